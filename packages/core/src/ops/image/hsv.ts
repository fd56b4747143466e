/**
 * `tf.image` HSV ops: rgbToHsv, hsvToRgb, adjustHue, adjustSaturation, written from elementwise
 * ops (max, min, where, mod) so every backend runs them and gradients come from the parts.
 * Hue, saturation and value are in [0, 1], as TensorFlow's RGBToHSV/HSVToRGB kernels have them.
 */
import { tidy } from "../../engine/tidy.js";
import { ValueError, opMessage } from "../../errors.js";
import { formatShapeTuple } from "../../shape.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { add, divide, maximum, minimum, mod, multiply, subtract } from "../binary.js";
import { clipByValue } from "../clip.js";
import { equal, greater, greaterEqual, less, logicalAnd, where } from "../compare.js";
import { concat } from "../concat.js";
import { sliceAxis } from "../composite-utils.js";
import { zerosLike } from "../creation.js";
import { defineOp } from "../table/define.js";
import { checkFloatImage, checkNumber } from "./checks.js";

/** Converts and checks a float tensor with 3 values on its last axis; returns it and its three channels. */
function threeChannels(images: TensorLike, op: string): [Tensor, Tensor, Tensor, Tensor] {
  const t = toTensor(images, op);
  checkFloatImage(t, op, "images");
  if (t.rank < 1 || t.shape[t.rank - 1] !== 3) {
    throw new ValueError(opMessage(op, `images must have 3 channels on the last axis, got shape ${formatShapeTuple(t.shape)}`));
  }
  const ax = t.rank - 1;
  return [t, sliceAxis(t, ax, 0, 1), sliceAxis(t, ax, 1, 1), sliceAxis(t, ax, 2, 1)];
}

function toHsv(r: Tensor, g: Tensor, b: Tensor): [Tensor, Tensor, Tensor] {
  const v = maximum(maximum(r, g), b);
  const range = subtract(v, minimum(minimum(r, g), b));
  const zero = zerosLike(v);
  // Divisors replaced where they are 0, so that neither values nor gradients become NaN there.
  const s = where(greater(v, 0), divide(range, where(greater(v, 0), v, 1)), zero);
  const hasHue = greater(range, 0);
  // (difference / range) / 6 rather than difference · (1 / (6·range)), which overflows for a
  // subnormal range: the quotient is at most 1 in magnitude.
  const safeRange = where(hasHue, range, 1);
  const part = (p: Tensor, q: Tensor, offset: number): Tensor => add(divide(divide(subtract(p, q), safeRange), 6), offset);
  const hr = part(g, b, 0);
  const hg = part(b, r, 2 / 6);
  const hb = part(r, g, 4 / 6);
  let h = where(hasHue, where(equal(r, v), hr, where(equal(g, v), hg, hb)), zero);
  h = where(less(h, 0), add(h, 1), h);
  return [h, s, v];
}

function toRgb(h: Tensor, s: Tensor, v: Tensor): Tensor {
  const c = multiply(s, v);
  const dh = multiply(h, 6);
  // TensorFlow's kernel gives grey (v − c in every channel) for a hue outside [0, 1).
  const inRange = logicalAnd(greaterEqual(dh, 0), less(dh, 6));
  const channel = (n: number): Tensor => {
    const k = mod(add(dh, n), 6);
    const ramp = clipByValue(minimum(k, subtract(4, k)), 0, 1);
    return subtract(v, multiply(c, where(inRange, ramp, 1)));
  };
  return concat([channel(5), channel(3), channel(1)], -1);
}

/**
 * RGB to HSV on the last axis (size 3) of a float tensor; all three components in [0, 1] for RGB
 * values in [0, 1] (hue 0 and saturation 0 for greys). `tf.image.rgbToHsv`.
 */
export const rgbToHsv = defineOp("image.rgbToHsv", function rgbToHsv(images: TensorLike): Tensor {
  const op = "RGBToHSV";
  return tidy(() => {
    const [, r, g, b] = threeChannels(images, op);
    return concat(toHsv(r, g, b), -1);
  });
}, { method: false });

/**
 * HSV (each in [0, 1]) to RGB on the last axis (size 3) of a float tensor; a hue outside [0, 1)
 * gives grey, as TensorFlow's kernel does. `tf.image.hsvToRgb`.
 */
export const hsvToRgb = defineOp("image.hsvToRgb", function hsvToRgb(images: TensorLike): Tensor {
  const op = "HSVToRGB";
  return tidy(() => {
    const [, h, s, v] = threeChannels(images, op);
    return toRgb(h, s, v);
  });
}, { method: false });

/**
 * Rotates the hue of float RGB images by `delta` (a fraction of a full turn, in [-1, 1]): through HSV,
 * the hue taken modulo 1. `tf.image.adjustHue`.
 */
export const adjustHue = defineOp("image.adjustHue", function adjustHue(image: TensorLike, delta: number): Tensor {
  const op = "AdjustHue";
  const d = checkNumber(delta, "delta", op);
  if (d < -1 || d > 1) throw new ValueError(opMessage(op, `delta must be in the interval [-1, 1], got ${d}`));
  return tidy(() => {
    const [, r, g, b] = threeChannels(image, op);
    const [h, s, v] = toHsv(r, g, b);
    let h2 = mod(add(h, d), 1);
    h2 = where(greaterEqual(h2, 1), subtract(h2, 1), h2);
    return toRgb(h2, s, v);
  });
}, { method: false });

/**
 * Scales the saturation of float RGB images by `saturationFactor` (≥ 0) through HSV, clipping it to
 * [0, 1]. `tf.image.adjustSaturation`.
 */
export const adjustSaturation = defineOp("image.adjustSaturation", function adjustSaturation(image: TensorLike, saturationFactor: number): Tensor {
  const op = "AdjustSaturation";
  const f = checkNumber(saturationFactor, "saturationFactor", op);
  if (f < 0) throw new ValueError(opMessage(op, `saturationFactor must be >= 0, got ${f}`));
  return tidy(() => {
    const [, r, g, b] = threeChannels(image, op);
    const [h, s, v] = toHsv(r, g, b);
    // A hue just below 0 becomes 1 after the wrap in float32 arithmetic: the same colour as hue 0.
    return toRgb(where(greaterEqual(h, 1), subtract(h, 1), h), clipByValue(multiply(s, f), 0, 1), v);
  });
}, { method: false });
