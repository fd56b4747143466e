/** Argument checks shared by the `tf.image` ops. */
import { DtypeError, ValueError, opMessage } from "../../errors.js";
import { formatShapeTuple } from "../../shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { FLOAT } from "../op-utils.js";

/** Axes of an image (rank 3, `[height, width, channels]`) or a batch of images (rank 4). */
export interface ImageAxes {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Checks that `t` is an image or a batch of images and returns its axes. */
export function imageAxes(t: Tensor, op: string, what = "image"): ImageAxes {
  if (t.rank !== 3 && t.rank !== 4) {
    throw new ValueError(opMessage(op, `'${what}' (shape ${formatShapeTuple(t.shape)}) must be 3-D [height, width, channels] or 4-D [batch, height, width, channels]`));
  }
  const b = t.rank - 3;
  return { height: b, width: b + 1, channels: b + 2 };
}

/** Checks that `t` holds float32 or float64 values. */
export function checkFloatImage(t: Tensor, op: string, what = "image"): void {
  if (!FLOAT.includes(t.dtype)) throw new DtypeError(opMessage(op, `${what} must be float32 or float64, got ${t.dtype}`));
}

/** Checks an integer argument (`min` ≤ value). */
export function checkInt(value: unknown, name: string, op: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new ValueError(opMessage(op, `${name} must be an integer${min === -Infinity ? "" : ` >= ${min}`}, got ${String(value)}`));
  }
  return value;
}

/** Checks a finite number argument. */
export function checkNumber(value: unknown, name: string, op: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ValueError(opMessage(op, `${name} must be a finite number, got ${String(value)}`));
  return value;
}
