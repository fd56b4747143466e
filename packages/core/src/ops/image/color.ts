/**
 * `tf.image` colour and intensity ops: rgbToGrayscale, grayscaleToRgb, adjustBrightness,
 * adjustContrast, perImageStandardization. Float images are computed in their own dtype (TensorFlow
 * goes through float32 even for float64 images).
 */
import { tidy } from "../../engine/tidy.js";
import { ENGINE } from "../../engine/engine.js";
import { DtypeError, ValueError, opMessage } from "../../errors.js";
import { formatShapeTuple } from "../../shape.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { add, divide, maximum, multiply, subtract } from "../binary.js";
import { cast } from "../cast.js";
import { concat } from "../concat.js";
import { reduceMean, reduceSum } from "../reduce.js";
import { sqrt, square } from "../unary.js";
import { defineOp } from "../table/define.js";
import { checkFloatImage, checkNumber, imageAxes } from "./checks.js";

/** TensorFlow's luma weights (ITU-R BT.601). */
const RGB_WEIGHTS = [0.2989, 0.587, 0.114];

/**
 * Grayscale from RGB: 0.2989·R + 0.5870·G + 0.1140·B over the last axis, kept as a size-1 channel
 * axis. Float images of any rank ≥ 1 with 3 channels. `tf.image.rgbToGrayscale`.
 */
export const rgbToGrayscale = defineOp("image.rgbToGrayscale", function rgbToGrayscale(images: TensorLike): Tensor {
  const op = "RgbToGrayscale";
  return tidy(() => {
    const t = toTensor(images, op);
    checkFloatImage(t, op, "images");
    if (t.rank < 1 || t.shape[t.rank - 1] !== 3) {
      throw new ValueError(opMessage(op, `images must have 3 channels on the last axis, got shape ${formatShapeTuple(t.shape)}`));
    }
    const w = ENGINE.upload(t.dtype === "float32" ? Float32Array.from(RGB_WEIGHTS) : Float64Array.from(RGB_WEIGHTS), [3], t.dtype);
    return reduceSum(multiply(t, w), { axis: -1, keepdims: true });
  });
}, { method: false });

/** Repeats a single channel three times (RGB from grayscale); images of rank ≥ 2, any dtype. `tf.image.grayscaleToRgb`. */
export const grayscaleToRgb = defineOp("image.grayscaleToRgb", function grayscaleToRgb(images: TensorLike): Tensor {
  const op = "GrayscaleToRgb";
  const t = toTensor(images, op);
  try {
    if (t.rank < 2 || t.shape[t.rank - 1] !== 1) {
      throw new ValueError(opMessage(op, `images must have rank >= 2 and 1 channel on the last axis, got shape ${formatShapeTuple(t.shape)}`));
    }
    return concat([t, t, t], -1);
  } finally {
    if (t !== images) t.dispose();
  }
}, { method: false });

/** Adds `delta` to every value of a float image. `tf.image.adjustBrightness`. */
export const adjustBrightness = defineOp("image.adjustBrightness", function adjustBrightness(image: TensorLike, delta: number): Tensor {
  const op = "AdjustBrightness";
  const d = checkNumber(delta, "delta", op);
  return tidy(() => {
    const t = toTensor(image, op);
    checkFloatImage(t, op);
    return add(t, d);
  });
}, { method: false });

/**
 * (x − mean)·contrastFactor + mean, where the mean is taken per image and channel over height and
 * width. Float images, rank ≥ 3 (`[..., height, width, channels]`). `tf.image.adjustContrast`.
 */
export const adjustContrast = defineOp("image.adjustContrast", function adjustContrast(images: TensorLike, contrastFactor: number): Tensor {
  const op = "AdjustContrast";
  const f = checkNumber(contrastFactor, "contrastFactor", op);
  return tidy(() => {
    const t = toTensor(images, op);
    checkFloatImage(t, op, "images");
    if (t.rank < 3) throw new ValueError(opMessage(op, `images must have rank >= 3 ([..., height, width, channels]), got shape ${formatShapeTuple(t.shape)}`));
    const mean = reduceMean(t, { axis: [-3, -2], keepdims: true });
    return add(multiply(subtract(t, mean), f), mean);
  });
}, { method: false });

/**
 * (x − mean) / max(stddev, 1/√N) per image, over its N = height·width·channels values: zero mean
 * and unit variance, with the divisor bounded away from 0 for uniform images. int32 images become
 * float32. `tf.image.perImageStandardization`.
 */
export const perImageStandardization = defineOp("image.perImageStandardization", function perImageStandardization(image: TensorLike): Tensor {
  const op = "PerImageStandardization";
  return tidy(() => {
    let t = toTensor(image, op);
    imageAxes(t, op);
    if (t.dtype === "int32") t = cast(t, "float32");
    else if (t.dtype !== "float32" && t.dtype !== "float64") throw new DtypeError(opMessage(op, `image must be int32, float32 or float64, got ${t.dtype}`));
    const n = t.shape.slice(-3).reduce((a, b) => a * b, 1);
    const axis = [-3, -2, -1];
    const mean = reduceMean(t, { axis, keepdims: true });
    const centered = subtract(t, mean);
    const stddev = sqrt(reduceMean(square(centered), { axis, keepdims: true }));
    return divide(centered, maximum(stddev, n === 0 ? 1 : 1 / Math.sqrt(n)));
  });
}, { method: false });
