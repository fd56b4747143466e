/** `tf.image.centralCrop`, `cropToBoundingBox` and `padToBoundingBox`: slices and zero padding. */
import { tidy } from "../../engine/tidy.js";
import { ValueError, opMessage } from "../../errors.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { identity } from "../identity.js";
import { pad, slice } from "../slice.js";
import { defineOp } from "../table/define.js";
import { checkInt, checkNumber, imageAxes } from "./checks.js";

/** Slices `[top, top + h) × [left, left + w)` out of an image or batch. */
function cropHW(t: Tensor, top: number, left: number, h: number, w: number): Tensor {
  const batch = t.rank === 4 ? [0] : [];
  const all = t.rank === 4 ? [-1] : [];
  return slice(t, [...batch, top, left, 0], [...all, h, w, -1]);
}

/**
 * The central region of an image or batch covering `centralFraction` (in (0, 1]) of its height and
 * width: TensorFlow's offsets ⌊(size − size·fraction)/2⌋ on each side. `tf.image.centralCrop`.
 */
export const centralCrop = defineOp("image.centralCrop", function centralCrop(image: TensorLike, centralFraction: number): Tensor {
  const op = "CentralCrop";
  const f = checkNumber(centralFraction, "centralFraction", op);
  if (f <= 0 || f > 1) throw new ValueError(opMessage(op, `centralFraction must be within (0, 1], got ${f}`));
  return tidy(() => {
    const t = toTensor(image, op);
    const ax = imageAxes(t, op);
    if (f === 1) return identity(t);
    const h = t.shape[ax.height]!, w = t.shape[ax.width]!;
    const top = Math.trunc((h - h * f) / 2), left = Math.trunc((w - w * f) / 2);
    return cropHW(t, top, left, h - 2 * top, w - 2 * left);
  });
}, { method: false });

function boxArgs(offsetHeight: number, offsetWidth: number, targetHeight: number, targetWidth: number, op: string): [number, number, number, number] {
  return [
    checkInt(offsetHeight, "offsetHeight", op, 0), checkInt(offsetWidth, "offsetWidth", op, 0),
    checkInt(targetHeight, "targetHeight", op, 1), checkInt(targetWidth, "targetWidth", op, 1),
  ];
}

/**
 * The `targetHeight × targetWidth` window of an image or batch whose top-left corner is at
 * (`offsetHeight`, `offsetWidth`); the window must lie inside the image. `tf.image.cropToBoundingBox`.
 */
export const cropToBoundingBox = defineOp("image.cropToBoundingBox", function cropToBoundingBox(image: TensorLike, offsetHeight: number, offsetWidth: number, targetHeight: number, targetWidth: number): Tensor {
  const op = "CropToBoundingBox";
  const [oh, ow, th, tw] = boxArgs(offsetHeight, offsetWidth, targetHeight, targetWidth, op);
  return tidy(() => {
    const t = toTensor(image, op);
    const ax = imageAxes(t, op);
    const h = t.shape[ax.height]!, w = t.shape[ax.width]!;
    if (oh + th > h) throw new ValueError(opMessage(op, `height must be >= target + offset: ${h} < ${th} + ${oh}`));
    if (ow + tw > w) throw new ValueError(opMessage(op, `width must be >= target + offset: ${w} < ${tw} + ${ow}`));
    return cropHW(t, oh, ow, th, tw);
  });
}, { method: false, args: 5 });

/**
 * Zero-pads an image or batch to `targetHeight × targetWidth`, placing it with `offsetHeight` rows
 * above and `offsetWidth` columns to its left. `tf.image.padToBoundingBox`.
 */
export const padToBoundingBox = defineOp("image.padToBoundingBox", function padToBoundingBox(image: TensorLike, offsetHeight: number, offsetWidth: number, targetHeight: number, targetWidth: number): Tensor {
  const op = "PadToBoundingBox";
  const [oh, ow, th, tw] = boxArgs(offsetHeight, offsetWidth, targetHeight, targetWidth, op);
  return tidy(() => {
    const t = toTensor(image, op);
    const ax = imageAxes(t, op);
    const h = t.shape[ax.height]!, w = t.shape[ax.width]!;
    const below = th - oh - h, right = tw - ow - w;
    if (below < 0) throw new ValueError(opMessage(op, `height must be <= target - offset: ${h} > ${th} - ${oh}`));
    if (right < 0) throw new ValueError(opMessage(op, `width must be <= target - offset: ${w} > ${tw} - ${ow}`));
    const batch: [number, number][] = t.rank === 4 ? [[0, 0]] : [];
    return pad(t, [...batch, [oh, below], [ow, right], [0, 0]]);
  });
}, { method: false, args: 5 });
