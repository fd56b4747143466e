/**
 * Projective warps: `tf.image.transform` (TensorFlow's ImageProjectiveTransform, as TensorFlow.js's
 * `image.transform` exposes it) and TensorFlow.js's `image.rotateWithOffset`. The (small) transform
 * parameters are read on the host, where every source pixel and weight is computed; the pixels are
 * read with one gather, so gradients with respect to the image flow on every backend.
 */
import { tidy } from "../../engine/tidy.js";
import { ENGINE } from "../../engine/engine.js";
import type { DType } from "../../dtypes.js";
import { DtypeError, ValueError, opMessage } from "../../errors.js";
import { optionKeys } from "../../options.js";
import { formatShapeTuple } from "../../shape.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { reshape } from "../reshape.js";
import { defineOp } from "../table/define.js";
import { checkNumber } from "./checks.js";
import type { SamplePlan } from "./sampler.js";
import { newPlan, sample } from "./sampler.js";

/** How points outside the input are filled. */
export type FillMode = "constant" | "reflect" | "wrap" | "nearest";

/** Options of `tf.image.transform`. */
export interface TransformOptions {
  /** "nearest" (default) or "bilinear". */
  interpolation?: "nearest" | "bilinear";
  /**
   * "constant" (default: `fillValue` outside), "reflect" (d c b a | a b c d | d c b a), "wrap"
   * (a b c d | a b c d | a b c d) or "nearest" (a a a a | a b c d | d d d d).
   */
  fillMode?: FillMode;
  /** Value outside the input in "constant" mode (default 0). */
  fillValue?: number;
  /** [height, width] of the output (default: the input's). */
  outputShape?: readonly [number, number];
}
const TRANSFORM_KEYS = optionKeys<TransformOptions>()("interpolation", "fillMode", "fillValue", "outputShape");

/** Rounds half away from zero (C's `round`, which TensorFlow's kernel uses). */
const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

/** Maps a source coordinate outside [0, len − 1] back inside, per fill mode (TensorFlow's rules). */
export function mapCoord(x: number, len: number, mode: FillMode): number {
  if (mode === "constant") return x;
  if (mode === "nearest") return clamp(x, 0, len - 1);
  let v = x;
  if (mode === "reflect") {
    if (v < 0) {
      if (len <= 1) v = 0;
      else {
        const sz2 = 2 * len;
        if (v < sz2) v += sz2 * Math.trunc(-v / sz2);
        v = v < -len ? v + sz2 : -v - 1;
      }
    } else if (v > len - 1) {
      if (len <= 1) v = 0;
      else {
        const sz2 = 2 * len;
        v -= sz2 * Math.trunc(v / sz2);
        if (v >= len) v = sz2 - v - 1;
      }
    }
  } else if (v < 0) {
    v = len <= 1 ? 0 : v + len * (Math.trunc(-v / (len - 1)) + 1);
  } else if (v > len - 1) {
    v = len <= 1 ? 0 : v - len * Math.trunc(v / (len - 1));
  }
  return clamp(v, 0, len - 1);
}

function checkImage(image: TensorLike, op: string, dtypes: readonly DType[]): Tensor {
  const img = toTensor(image, op);
  if (img.rank !== 4) throw new ValueError(opMessage(op, `image must be 4-D [batch, height, width, channels], got shape ${formatShapeTuple(img.shape)}`));
  if (!dtypes.includes(img.dtype)) throw new DtypeError(opMessage(op, `image must be ${dtypes.join(" or ")}, got ${img.dtype}`));
  return img;
}

function scalarOf(v: number, dtype: DType): Tensor {
  return ENGINE.upload(dtype === "int32" ? Int32Array.of(Math.trunc(v)) : dtype === "float64" ? Float64Array.of(v) : Float32Array.of(v), [], dtype);
}

/**
 * Applies projective transforms to a batch of images `[batch, height, width, channels]`.
 * `transforms` is `[8]` or `[1 or batch, 8]`: a row [a0, a1, a2, b0, b1, b2, c0, c1] maps the *output*
 * point (x, y) to the input point ((a0·x + a1·y + a2)/k, (b0·x + b1·y + b2)/k) with k = c0·x + c1·y + 1
 * (k = 0 gives the fill value). Nearest sampling keeps any numeric dtype; bilinear needs float images.
 * `tf.image.transform` (TensorFlow.js; TF2's `ImageProjectiveTransformV3`).
 */
export const transform = defineOp("image.transform", function transform(image: TensorLike, transforms: TensorLike, options: TransformOptions = {}): Tensor {
  const op = "Transform";
  const interpolation = options.interpolation ?? "nearest";
  if (interpolation !== "nearest" && interpolation !== "bilinear") throw new ValueError(opMessage(op, `interpolation must be "nearest" or "bilinear", got ${JSON.stringify(interpolation)}`));
  const mode = options.fillMode ?? "constant";
  if (!["constant", "reflect", "wrap", "nearest"].includes(mode)) throw new ValueError(opMessage(op, `fillMode must be "constant", "reflect", "wrap" or "nearest", got ${JSON.stringify(mode)}`));
  const fillValue = checkNumber(options.fillValue ?? 0, "fillValue", op);
  const outShape = options.outputShape;
  if (outShape !== undefined && (!Array.isArray(outShape) || outShape.length !== 2 || !outShape.every((d) => Number.isInteger(d) && d > 0))) {
    throw new ValueError(opMessage(op, `outputShape must be two positive integers [height, width], got ${JSON.stringify(outShape)}`));
  }
  return tidy(() => {
    const img = checkImage(image, op, interpolation === "bilinear" ? ["float32", "float64"] : ["int32", "float32", "float64"]);
    const tr = toTensor(transforms, op, "float32");
    const [batch, h, w, c] = img.shape as [number, number, number, number];
    const rows = tr.rank === 1 ? 1 : tr.shape[0]!;
    if ((tr.rank !== 1 && tr.rank !== 2) || tr.shape[tr.rank - 1] !== 8 || (rows !== 1 && rows !== batch)) {
      throw new ValueError(opMessage(op, `transforms must be [8] or [1 or batch (${batch}), 8], got shape ${formatShapeTuple(tr.shape)}`));
    }
    if (tr.dtype !== "float32" && tr.dtype !== "float64") throw new DtypeError(opMessage(op, `transforms must be float32 or float64, got ${tr.dtype}`));
    const t = tr.dataSync() as Float32Array | Float64Array;
    if (!t.every(Number.isFinite)) throw new ValueError(opMessage(op, "transforms must be finite"));
    const [oh, ow] = outShape ?? [h, w];
    const k = interpolation === "bilinear" ? 4 : 1;
    const plan = newPlan(batch * oh * ow, k);
    const at = (p: SamplePlan, o: number, q: number, b: number, y: number, x: number, weight: number): void => {
      if (y >= 0 && y < h && x >= 0 && x < w) {
        p.index[o * k + q] = (b * h + y) * w + x;
        p.weight[o * k + q] = weight;
      } else p.fill[o] = p.fill[o]! + weight;
    };
    for (let b = 0; b < batch; b++) {
      const m = rows === 1 ? 0 : 8 * b;
      for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) {
        const o = (b * oh + y) * ow + x;
        const proj = t[m + 6]! * x + t[m + 7]! * y + 1;
        if (proj === 0) {
          plan.fill[o] = 1;
          continue;
        }
        const inX = mapCoord((t[m]! * x + t[m + 1]! * y + t[m + 2]!) / proj, w, mode);
        const inY = mapCoord((t[m + 3]! * x + t[m + 4]! * y + t[m + 5]!) / proj, h, mode);
        if (k === 1) {
          at(plan, o, 0, b, roundHalfAway(inY), roundHalfAway(inX), 1);
          continue;
        }
        const y0 = Math.floor(inY), x0 = Math.floor(inX);
        const dy = inY - y0, dx = inX - x0;
        at(plan, o, 0, b, y0, x0, (1 - dy) * (1 - dx));
        at(plan, o, 1, b, y0, x0 + 1, (1 - dy) * dx);
        at(plan, o, 2, b, y0 + 1, x0, dy * (1 - dx));
        at(plan, o, 3, b, y0 + 1, x0 + 1, dy * dx);
      }
    }
    return reshape(sample(img, plan, scalarOf(fillValue, img.dtype)), [batch, oh, ow, c]);
  });
}, { method: false, args: 3, options: TRANSFORM_KEYS });

/** Options of `tf.image.rotateWithOffset`. */
export interface RotateWithOffsetOptions {
  /** Value of pixels rotated in from outside: a number, or one per channel (RGB, alpha 255 for a 4th) (default 0). */
  fillValue?: number | readonly number[];
  /** Centre of rotation: a fraction of width and height, or [x, y] fractions (default 0.5). */
  center?: number | readonly [number, number];
}
const ROTATE_KEYS = optionKeys<RotateWithOffsetOptions>()("fillValue", "center");

/**
 * Rotates a batch of images `[batch, height, width, channels]` by `radians` about `center`, sampling
 * the nearest source pixel; pixels that come from outside take `fillValue`. Any numeric dtype.
 * `tf.image.rotateWithOffset` (TensorFlow.js).
 */
export const rotateWithOffset = defineOp("image.rotateWithOffset", function rotateWithOffset(image: TensorLike, radians: number, options: RotateWithOffsetOptions = {}): Tensor {
  const op = "RotateWithOffset";
  const angle = checkNumber(radians, "radians", op);
  const center = options.center ?? 0.5;
  const [cxf, cyf] = typeof center === "number" ? [center, center] : Array.isArray(center) && center.length === 2 ? center : [NaN, NaN];
  checkNumber(cxf, "center", op);
  checkNumber(cyf, "center", op);
  const fillValue = options.fillValue ?? 0;
  const fills = typeof fillValue === "number" ? [fillValue] : Array.isArray(fillValue) ? [...fillValue] : [NaN];
  fills.forEach((v) => checkNumber(v, "fillValue", op));
  return tidy(() => {
    const img = checkImage(image, op, ["int32", "float32", "float64"]);
    const [batch, h, w, c] = img.shape as [number, number, number, number];
    let fill: Tensor;
    if (typeof fillValue === "number") fill = scalarOf(fillValue, img.dtype);
    else {
      const perChannel = fills.length === 3 && c === 4 ? [...fills, 255] : fills;
      if (perChannel.length !== c) throw new ValueError(opMessage(op, `fillValue has ${fills.length} values for an image with ${c} channels`));
      const v = img.dtype === "int32" ? Int32Array.from(perChannel, Math.trunc) : img.dtype === "float64" ? Float64Array.from(perChannel) : Float32Array.from(perChannel);
      fill = ENGINE.upload(v, [c], img.dtype);
    }
    const cx = w * cxf, cy = h * cyf;
    const sin = Math.sin(angle), cos = Math.cos(angle);
    const plan = newPlan(batch * h * w, 1);
    for (let b = 0; b < batch; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const o = (b * h + y) * w + x;
      const sx = Math.round((x - cx) * cos - (y - cy) * sin + cx);
      const sy = Math.round((x - cx) * sin + (y - cy) * cos + cy);
      if (sx >= 0 && sx < w && sy >= 0 && sy < h) {
        plan.index[o] = (b * h + sy) * w + sx;
        plan.weight[o] = 1;
      }
    }
    return reshape(sample(img, plan, fill), [batch, h, w, c]);
  });
}, { method: false, args: 3, options: ROTATE_KEYS });
