/**
 * Image resizing as gathers plus arithmetic: `tf.image.resize` (TF2: half-pixel centers) and
 * TensorFlow 1's `resizeBilinear` / `resizeNearestNeighbor` with `alignCorners` and
 * `halfPixelCenters` (`tf.compat.v1.image`, TensorFlow.js's `tf.image`). Source coordinates, indices
 * and interpolation weights are computed on the host in float32 arithmetic, as TensorFlow's kernels
 * compute them, so the sampled pixels agree with TensorFlow's exactly; gradients flow through the
 * gathers (a segment sum) and the weights.
 */
import { tidy } from "../../engine/tidy.js";
import { ENGINE } from "../../engine/engine.js";
import { DtypeError, InvalidArgumentError, ValueError, opMessage } from "../../errors.js";
import { optionKeys } from "../../options.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { add, multiply, subtract } from "../binary.js";
import { cast } from "../cast.js";
import { expandDims, squeeze } from "../reshape.js";
import { gather } from "../gather.js";
import { defineOp } from "../table/define.js";
import { imageAxes } from "./checks.js";

const f32 = Math.fround;

/** TensorFlow's `CalculateResizeScale`, in float32. */
function resizeScale(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? f32((inSize - 1) / (outSize - 1)) : f32(inSize / outSize);
}

/** Source index of each output position for nearest-neighbour sampling along one axis. */
export function nearestIndices(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Int32Array {
  const scale = resizeScale(inSize, outSize, alignCorners);
  const out = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const src = halfPixelCenters ? f32(f32(i + 0.5) * scale) : f32(i * scale);
    let k = Math.min(alignCorners ? Math.round(src) : Math.floor(src), inSize - 1);
    if (halfPixelCenters) k = Math.max(0, k);
    out[i] = k;
  }
  return out;
}

/** Lower and upper source indices and the weight of the upper one, per output position along one axis. */
export function bilinearWeights(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): { lower: Int32Array; upper: Int32Array; lerp: Float64Array } {
  const scale = resizeScale(inSize, outSize, alignCorners);
  const lower = new Int32Array(outSize), upper = new Int32Array(outSize), lerp = new Float64Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const src = halfPixelCenters ? f32(f32(f32(i + 0.5) * scale) - 0.5) : f32(i * scale);
    const fl = Math.floor(src);
    lower[i] = Math.max(fl, 0);
    upper[i] = Math.min(Math.ceil(src), inSize - 1);
    lerp[i] = f32(src - fl);
  }
  return { lower, upper, lerp };
}

/** Checked resize arguments. */
interface ResizeArgs {
  readonly t: Tensor;
  readonly batched: boolean;
  readonly outH: number;
  readonly outW: number;
}

function resizeArgs(images: TensorLike, size: readonly number[], op: string): ResizeArgs {
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(opMessage(op, `size must be two positive integers [newHeight, newWidth], got ${JSON.stringify(size)}`));
  }
  let t = toTensor(images, op);
  imageAxes(t, op, "images");
  if (t.dtype !== "float32" && t.dtype !== "float64" && t.dtype !== "int32") {
    throw new DtypeError(opMessage(op, `images must be int32, float32 or float64, got ${t.dtype}`));
  }
  const batched = t.rank === 4;
  if (!batched) t = expandDims(t, 0);
  if (t.shape[1] === 0 || t.shape[2] === 0) throw new InvalidArgumentError(opMessage(op, `input image must be of non-zero size, got shape [${t.shape.join(",")}]`));
  return { t, batched, outH: size[0]!, outW: size[1]! };
}

function checkModes(alignCorners: boolean, halfPixelCenters: boolean, op: string): void {
  if (alignCorners && halfPixelCenters) throw new InvalidArgumentError(opMessage(op, "If halfPixelCenters is true, alignCorners must be false"));
}

const upload = (v: Int32Array): Tensor => ENGINE.upload(v, [v.length], "int32");

function nearest(a: ResizeArgs, alignCorners: boolean, halfPixelCenters: boolean): Tensor {
  const { t } = a;
  const rows = gather(t, upload(nearestIndices(t.shape[1]!, a.outH, alignCorners, halfPixelCenters)), 1);
  const out = gather(rows, upload(nearestIndices(t.shape[2]!, a.outW, alignCorners, halfPixelCenters)), 2);
  return a.batched ? out : squeeze(out, 0);
}

function bilinear(a: ResizeArgs, alignCorners: boolean, halfPixelCenters: boolean): Tensor {
  const t = a.t.dtype === "int32" ? cast(a.t, "float32") : a.t;
  const dtype = t.dtype as "float32" | "float64";
  const y = bilinearWeights(t.shape[1]!, a.outH, alignCorners, halfPixelCenters);
  const x = bilinearWeights(t.shape[2]!, a.outW, alignCorners, halfPixelCenters);
  const weights = (v: Float64Array, shape: number[]): Tensor => ENGINE.upload(dtype === "float32" ? Float32Array.from(v) : v, shape, dtype);
  const xLerp = weights(x.lerp, [1, 1, a.outW, 1]);
  const yLerp = weights(y.lerp, [1, a.outH, 1, 1]);
  const topRows = gather(t, upload(y.lower), 1), bottomRows = gather(t, upload(y.upper), 1);
  const xl = upload(x.lower), xu = upload(x.upper);
  const lerpX = (rows: Tensor): Tensor => {
    const left = gather(rows, xl, 2);
    return add(left, multiply(subtract(gather(rows, xu, 2), left), xLerp));
  };
  const top = lerpX(topRows), bottom = lerpX(bottomRows);
  const out = add(top, multiply(subtract(bottom, top), yLerp));
  return a.batched ? out : squeeze(out, 0);
}

/** Options of TensorFlow 1's resize ops. */
export interface ResizeV1Options {
  /** Align the corner pixels of input and output (default false). */
  alignCorners?: boolean;
  /** Sample at pixel centers, as TF2 does (default false, TensorFlow 1's behaviour). */
  halfPixelCenters?: boolean;
}
const V1_KEYS = optionKeys<ResizeV1Options>()("alignCorners", "halfPixelCenters");

/**
 * Bilinear resizing of an image `[h, w, c]` or batch `[b, h, w, c]` to `size` = [newHeight, newWidth]
 * with TensorFlow 1's corner conventions. Float images keep their dtype; int32 ones become float32.
 * `tf.compat.v1.image.resizeBilinear` (TensorFlow.js's `tf.image.resizeBilinear`).
 */
export const resizeBilinear = defineOp("compat.v1.image.resizeBilinear", function resizeBilinear(images: TensorLike, size: readonly number[], options: ResizeV1Options = {}): Tensor {
  const op = "ResizeBilinear";
  const ac = options.alignCorners ?? false, hp = options.halfPixelCenters ?? false;
  checkModes(ac, hp, op);
  return tidy(() => bilinear(resizeArgs(images, size, op), ac, hp));
}, { method: false, args: 3, options: V1_KEYS });

/**
 * Nearest-neighbour resizing of an image or batch to `size` with TensorFlow 1's corner conventions;
 * any numeric dtype is kept. `tf.compat.v1.image.resizeNearestNeighbor` (TensorFlow.js's
 * `tf.image.resizeNearestNeighbor`).
 */
export const resizeNearestNeighbor = defineOp("compat.v1.image.resizeNearestNeighbor", function resizeNearestNeighbor(images: TensorLike, size: readonly number[], options: ResizeV1Options = {}): Tensor {
  const op = "ResizeNearestNeighbor";
  const ac = options.alignCorners ?? false, hp = options.halfPixelCenters ?? false;
  checkModes(ac, hp, op);
  return tidy(() => nearest(resizeArgs(images, size, op), ac, hp));
}, { method: false, args: 3, options: V1_KEYS });

/** Options of `tf.image.resize`. */
export interface ResizeOptions {
  /** "bilinear" (default) or "nearest". */
  method?: "bilinear" | "nearest";
  /** Scale to fit inside `size` keeping the aspect ratio (default false). */
  preserveAspectRatio?: boolean;
  /** Anti-aliasing when downsampling; only false (the default) is supported. */
  antialias?: boolean;
}
const RESIZE_KEYS = optionKeys<ResizeOptions>()("method", "preserveAspectRatio", "antialias");

/** Round half to even (TensorFlow's `round`). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Resizes an image `[h, w, c]` or batch `[b, h, w, c]` to `size` = [newHeight, newWidth] with TF2's
 * conventions (half-pixel centers, corners not aligned). `method`: "bilinear" (float output; int32
 * becomes float32) or "nearest" (keeps the dtype). `tf.image.resize`.
 */
export const resize = defineOp("image.resize", function resize(images: TensorLike, size: readonly number[], options: ResizeOptions = {}): Tensor {
  const op = "Resize";
  const method = options.method ?? "bilinear";
  if (method !== "bilinear" && method !== "nearest") {
    throw new ValueError(opMessage(op, `Resize method is not implemented: ${JSON.stringify(method)} (supported: "bilinear", "nearest")`));
  }
  if (options.antialias) throw new ValueError(opMessage(op, "antialias: true is not supported; resize with antialias: false"));
  return tidy(() => {
    const a = resizeArgs(images, size, op);
    let args = a;
    if (options.preserveAspectRatio) {
      // TensorFlow's rule: the smaller scale factor of the two, sizes rounded half to even.
      const h = a.t.shape[1]!, w = a.t.shape[2]!;
      const s = Math.min(f32(a.outH / h), f32(a.outW / w));
      args = { ...a, outH: Math.max(1, roundHalfEven(f32(s * h))), outW: Math.max(1, roundHalfEven(f32(s * w))) };
    }
    return method === "nearest" ? nearest(args, false, true) : bilinear(args, false, true);
  });
}, { method: false, args: 3, options: RESIZE_KEYS });
