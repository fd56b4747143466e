/** `tf.image.flipLeftRight`, `flipUpDown` and `rot90`: gathers with reversed indices and transposes. */
import { tidy } from "../../engine/tidy.js";
import { ENGINE } from "../../engine/engine.js";
import { optionKeys } from "../../options.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { gather } from "../gather.js";
import { identity } from "../identity.js";
import { transpose } from "../transpose.js";
import { defineOp } from "../table/define.js";
import { checkInt, imageAxes } from "./checks.js";

/** `t` reversed along `axis` (a gather of n−1, …, 0). */
export function reverseAxis(t: Tensor, axis: number): Tensor {
  const n = t.shape[axis]!;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = n - 1 - i;
  return gather(t, ENGINE.upload(idx, [n], "int32"), axis);
}

/** Mirrors an image or a batch of images horizontally (reverses the width axis). `tf.image.flipLeftRight`. */
export const flipLeftRight = defineOp("image.flipLeftRight", function flipLeftRight(image: TensorLike): Tensor {
  return tidy(() => {
    const t = toTensor(image, "FlipLeftRight");
    return reverseAxis(t, imageAxes(t, "FlipLeftRight").width);
  });
}, { method: false });

/** Mirrors an image or a batch of images vertically (reverses the height axis). `tf.image.flipUpDown`. */
export const flipUpDown = defineOp("image.flipUpDown", function flipUpDown(image: TensorLike): Tensor {
  return tidy(() => {
    const t = toTensor(image, "FlipUpDown");
    return reverseAxis(t, imageAxes(t, "FlipUpDown").height);
  });
}, { method: false });

/** Options of `tf.image.rot90`. */
export interface Rot90Options {
  /** Number of quarter turns counter-clockwise (any integer; default 1). */
  k?: number;
}
const ROT90_KEYS = optionKeys<Rot90Options>()("k");

/** Rotates an image or a batch of images by `k` quarter turns counter-clockwise. `tf.image.rot90`. */
export const rot90 = defineOp("image.rot90", function rot90(image: TensorLike, options: Rot90Options = {}): Tensor {
  const op = "Rot90";
  const k = checkInt(options.k ?? 1, "k", op, -Infinity);
  return tidy(() => {
    const t = toTensor(image, op);
    const ax = imageAxes(t, op);
    const swap = t.rank === 3 ? [1, 0, 2] : [0, 2, 1, 3];
    switch (((k % 4) + 4) % 4) {
      case 1: return transpose(reverseAxis(t, ax.width), swap);
      case 2: return reverseAxis(reverseAxis(t, ax.height), ax.width);
      case 3: return reverseAxis(transpose(t, swap), ax.width);
      default: return identity(t);
    }
  });
}, { method: false, args: 2, options: ROT90_KEYS });
