/**
 * `tf.image.cropAndResize`: crops boxes out of a batch of images and resamples each to one size.
 * The boxes are read to the host (a small tensor) and every sample position, index and weight is
 * computed there in TensorFlow's float32 arithmetic; the pixels are read with one gather, so the
 * gradient with respect to the image is a segment sum on every backend. There is no gradient with
 * respect to the boxes (they only steer the sampling).
 */
import { tidy } from "../../engine/tidy.js";
import { ENGINE } from "../../engine/engine.js";
import { DtypeError, InvalidArgumentError, ValueError, opMessage } from "../../errors.js";
import { optionKeys } from "../../options.js";
import { formatShapeTuple } from "../../shape.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { cast } from "../cast.js";
import { reshape } from "../reshape.js";
import { defineOp } from "../table/define.js";
import { checkNumber } from "./checks.js";
import { newPlan, sample } from "./sampler.js";

/** Options of `tf.image.cropAndResize`. */
export interface CropAndResizeOptions {
  /** "bilinear" (default) or "nearest". */
  method?: "bilinear" | "nearest";
  /** Value of the samples that fall outside the image (default 0). */
  extrapolationValue?: number;
}
const KEYS = optionKeys<CropAndResizeOptions>()("method", "extrapolationValue");

/** Source coordinate of output row (or column) `i` of a box spanning [a, b] in normalised coordinates. */
function sourceCoord(a: number, b: number, i: number, crop: number, size: number, r: (x: number) => number): number {
  if (crop <= 1) return r(r(0.5 * r(a + b)) * (size - 1));
  const scale = r(r(r(b - a) * (size - 1)) / (crop - 1));
  return r(r(a * (size - 1)) + r(i * scale));
}

/**
 * Crops `boxes` ([numBoxes, 4] of normalised [y1, x1, y2, x2]; y2 < y1 flips the crop) out of
 * `image` ([batch, height, width, channels]), box `i` from image `boxIndices[i]`, and resizes each
 * crop to `cropSize` = [cropHeight, cropWidth] with bilinear or nearest sampling. Samples outside
 * the image take `extrapolationValue`. Output `[numBoxes, cropHeight, cropWidth, channels]`: float
 * images keep their dtype, int32 ones become float32. Differentiable with respect to the image.
 * `tf.image.cropAndResize`.
 */
export const cropAndResize = defineOp("image.cropAndResize", function cropAndResize(
  image: TensorLike, boxes: TensorLike, boxIndices: TensorLike, cropSize: readonly number[], options: CropAndResizeOptions = {},
): Tensor {
  const op = "CropAndResize";
  const method = options.method ?? "bilinear";
  if (method !== "bilinear" && method !== "nearest") throw new ValueError(opMessage(op, `method must be "bilinear" or "nearest", got ${JSON.stringify(method)}`));
  const extrapolation = checkNumber(options.extrapolationValue ?? 0, "extrapolationValue", op);
  if (!Array.isArray(cropSize) || cropSize.length !== 2 || !cropSize.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(opMessage(op, `cropSize must be two positive integers [cropHeight, cropWidth], got ${JSON.stringify(cropSize)}`));
  }
  const [ch, cw] = cropSize as [number, number];
  return tidy(() => {
    let img = toTensor(image, op);
    const bx = toTensor(boxes, op, "float32");
    const bi = toTensor(boxIndices, op, "int32");
    if (img.rank !== 4) throw new ValueError(opMessage(op, `image must be 4-D [batch, height, width, channels], got shape ${formatShapeTuple(img.shape)}`));
    if (img.dtype === "int32") img = cast(img, "float32");
    else if (img.dtype !== "float32" && img.dtype !== "float64") throw new DtypeError(opMessage(op, `image must be int32, float32 or float64, got ${img.dtype}`));
    if (bx.rank !== 2 || bx.shape[1] !== 4) throw new ValueError(opMessage(op, `boxes must be 2-D [numBoxes, 4], got shape ${formatShapeTuple(bx.shape)}`));
    if (bx.dtype !== "float32" && bx.dtype !== "float64") throw new DtypeError(opMessage(op, `boxes must be float32 or float64, got ${bx.dtype}`));
    const n = bx.shape[0]!;
    if (bi.rank !== 1 || bi.shape[0] !== n) throw new ValueError(opMessage(op, `boxIndices must be 1-D [numBoxes] with numBoxes = ${n}, got shape ${formatShapeTuple(bi.shape)}`));
    if (bi.dtype !== "int32") throw new DtypeError(opMessage(op, `boxIndices must be int32, got ${bi.dtype}`));
    const [batch, h, w, c] = img.shape as [number, number, number, number];
    if (h === 0 || w === 0) throw new InvalidArgumentError(opMessage(op, `image must be of non-zero size, got shape ${formatShapeTuple(img.shape)}`));
    const b = bx.dataSync() as Float32Array | Float64Array;
    const ind = bi.dataSync() as Int32Array;
    for (let i = 0; i < n; i++) {
      if (ind[i]! < 0 || ind[i]! >= batch) throw new InvalidArgumentError(opMessage(op, `boxIndices has values outside [0, ${batch}): boxIndices[${i}] = ${ind[i]}`));
      for (let j = 0; j < 4; j++) if (!Number.isFinite(b[4 * i + j]!)) throw new InvalidArgumentError(opMessage(op, `boxes[${i}] has a non-finite coordinate: ${b[4 * i + j]}`));
    }
    const r = bx.dtype === "float32" ? Math.fround : (x: number): number => x;
    const k = method === "bilinear" ? 4 : 1;
    const plan = newPlan(n * ch * cw, k);
    for (let i = 0; i < n; i++) {
      const [y1, x1, y2, x2] = [b[4 * i]!, b[4 * i + 1]!, b[4 * i + 2]!, b[4 * i + 3]!];
      const base = ind[i]! * h * w;
      for (let y = 0; y < ch; y++) {
        const inY = sourceCoord(y1, y2, y, ch, h, r);
        for (let x = 0; x < cw; x++) {
          const inX = sourceCoord(x1, x2, x, cw, w, r);
          const o = (i * ch + y) * cw + x;
          if (inY < 0 || inY > h - 1 || inX < 0 || inX > w - 1) {
            plan.fill[o] = 1;
            continue;
          }
          if (k === 1) {
            plan.index[o] = base + Math.round(inY) * w + Math.round(inX);
            plan.weight[o] = 1;
            continue;
          }
          const top = Math.floor(inY), bottom = Math.ceil(inY), left = Math.floor(inX), right = Math.ceil(inX);
          const yl = r(inY - top), xl = r(inX - left);
          const idx = [top * w + left, top * w + right, bottom * w + left, bottom * w + right];
          const wt = [(1 - yl) * (1 - xl), (1 - yl) * xl, yl * (1 - xl), yl * xl];
          for (let q = 0; q < 4; q++) {
            plan.index[4 * o + q] = base + idx[q]!;
            plan.weight[4 * o + q] = wt[q]!;
          }
        }
      }
    }
    const fill = ENGINE.upload(img.dtype === "float64" ? Float64Array.of(extrapolation) : Float32Array.of(extrapolation), [], img.dtype);
    return reshape(sample(img, plan, fill), [n, ch, cw, c]);
  });
}, { method: false, args: 5, options: KEYS });
