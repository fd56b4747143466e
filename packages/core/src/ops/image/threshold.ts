/**
 * TensorFlow.js's `tf.image.threshold`: binarises an image (0–255 values) at a fixed level or at the
 * level Otsu's method picks from its histogram (the histogram is read and searched on the host).
 */
import { tidy } from "../../engine/tidy.js";
import { DtypeError, ValueError, opMessage } from "../../errors.js";
import { formatShapeTuple } from "../../shape.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { multiply } from "../binary.js";
import { cast } from "../cast.js";
import { greater, lessEqual } from "../compare.js";
import { defineOp } from "../table/define.js";
import { checkNumber } from "./checks.js";
import { rgbToGrayscale } from "./color.js";

/**
 * Otsu's level on a 256-bin histogram: the bin index (≤ 254) maximising the between-class variance
 * of bins [0, t] and [t + 1, 255]; −1 when no split has two non-empty classes. Ties keep the first.
 */
export function otsuLevel(hist: ArrayLike<number>, total: number): number {
  let best = -1, bestVar = 0;
  for (let t = 0; t < hist.length - 1; t++) {
    let n0 = 0, s0 = 0, n1 = 0, s1 = 0;
    for (let i = 0; i <= t; i++) { n0 += hist[i]!; s0 += i * hist[i]!; }
    for (let i = t + 1; i < hist.length; i++) { n1 += hist[i]!; s1 += i * hist[i]!; }
    const d = s0 / n0 - s1 / n1;
    const v = (n0 / total) * (n1 / total) * d * d;
    if (v > bestVar) { bestVar = v; best = t; }
  }
  return best;
}

/**
 * Binarises `image` ([height, width, 1 or 3], int32 or float32 values in 0–255; RGB is turned to
 * grayscale with TensorFlow's luma weights first): 255 where the value is above the level, 0 elsewhere
 * (swapped with `inverted`). `method` "binary" uses `threshValue`·255; "otsu" picks the level from
 * the histogram of the rounded values (`threshValue` is then ignored). Returns int32 [height, width, 1].
 * `tf.image.threshold` (TensorFlow.js).
 */
export const threshold = defineOp("image.threshold", function threshold(image: TensorLike, method: "binary" | "otsu" = "binary", inverted = false, threshValue = 0.5): Tensor {
  const op = "Threshold";
  if (method !== "binary" && method !== "otsu") throw new ValueError(opMessage(op, `method must be "binary" or "otsu", got ${JSON.stringify(method)}`));
  if (typeof inverted !== "boolean") throw new ValueError(opMessage(op, `inverted must be a boolean, got ${String(inverted)}`));
  const tv = checkNumber(threshValue, "threshValue", op);
  return tidy(() => {
    let t = toTensor(image, op);
    if (t.rank !== 3 || (t.shape[2] !== 1 && t.shape[2] !== 3)) {
      throw new ValueError(opMessage(op, `image must be 3-D [height, width, 1 or 3], got shape ${formatShapeTuple(t.shape)}`));
    }
    if (t.dtype !== "int32" && t.dtype !== "float32") throw new DtypeError(opMessage(op, `image must be int32 or float32, got ${t.dtype}`));
    if (t.dtype === "int32") t = cast(t, "float32");
    const gray = t.shape[2] === 3 ? rgbToGrayscale(t) : t;
    let level = tv * 255;
    if (method === "otsu") {
      const values = gray.dataSync() as Float32Array;
      const hist = new Float64Array(256);
      for (const v of values) {
        // Round half to even, as TensorFlow's round does.
        const r = Math.round(v);
        const bin = Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
        if (bin >= 0 && bin < 256) hist[bin] = hist[bin]! + 1;
      }
      level = otsuLevel(hist, t.shape[0]! * t.shape[1]!);
    }
    const on = inverted ? lessEqual(gray, level) : greater(gray, level);
    return cast(multiply(cast(on, "int32"), 255), "int32");
  });
}, { method: false, args: 4 });
