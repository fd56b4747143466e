/**
 * Sampling an image batch at host-computed source pixels: the shared core of cropAndResize,
 * transform and rotateWithOffset. Each output pixel reads K source pixels (flat indices into the
 * batch's `[batch·height·width]` pixels) with weights, plus a weight on the fill value; the reads are
 * one gather, so gradients with respect to the image flow through the gather (a segment sum).
 */
import { ENGINE } from "../../engine/engine.js";
import type { DType } from "../../dtypes.js";
import type { Tensor } from "../../tensor/tensor.js";
import { add, multiply } from "../binary.js";
import { where } from "../compare.js";
import { gather } from "../gather.js";
import { reduceSum } from "../reduce.js";
import { reshape } from "../reshape.js";

/** Source pixels and weights of `count` output pixels, `k` reads each. */
export interface SamplePlan {
  readonly count: number;
  readonly k: number;
  /** `count·k` flat source pixel indices (any valid index where the weight is 0). */
  readonly index: Int32Array;
  /** `count·k` weights (for k = 1: 1 where the pixel is read, 0 where the fill value is used). */
  readonly weight: Float64Array;
  /** `count` weights of the fill value. */
  readonly fill: Float64Array;
}

/** An empty plan for `count` output pixels with `k` reads each. */
export function newPlan(count: number, k: number): SamplePlan {
  return { count, k, index: new Int32Array(count * k), weight: new Float64Array(count * k), fill: new Float64Array(count) };
}

function uploadFloat(v: Float64Array, shape: number[], dtype: DType): Tensor {
  return ENGINE.upload(dtype === "float64" ? v : Float32Array.from(v), shape, dtype);
}

/**
 * Runs `plan` on `image` ([batch, height, width, channels]); `fill` is a scalar or a per-channel tensor
 * of the image's dtype. Returns [count, channels]. With k = 1 the reads are selected (any dtype);
 * with k > 1 they are weighted sums (float images).
 */
export function sample(image: Tensor, plan: SamplePlan, fill: Tensor): Tensor {
  const c = image.shape[3]!;
  const pixels = reshape(image, [-1, c]);
  if (plan.k === 1) {
    const read = gather(pixels, ENGINE.upload(plan.index, [plan.count], "int32"));
    const mask = ENGINE.upload(Uint8Array.from(plan.weight, (w) => (w !== 0 ? 1 : 0)), [plan.count, 1], "bool");
    return where(mask, read, fill);
  }
  const read = gather(pixels, ENGINE.upload(plan.index, [plan.count, plan.k], "int32"));
  const weighted = reduceSum(multiply(read, uploadFloat(plan.weight, [plan.count, plan.k, 1], image.dtype)), { axis: 1 });
  if (!plan.fill.some((w) => w !== 0)) return weighted;
  return add(weighted, multiply(uploadFloat(plan.fill, [plan.count, 1], image.dtype), fill));
}
