/** `tf.nn.moments`, written from primitives (its gradient comes from theirs). */
import { optionKeys } from "../options.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { subtract } from "./binary.js";
import { FLOAT, Temps, checkDtype } from "./op-utils.js";
import { reduceMean, reductionAxes } from "./reduce.js";
import { reshape } from "./reshape.js";
import { square } from "./unary.js";
import { defineOp } from "./table/define.js";

/** Options of `tf.nn.moments`. */
export interface MomentsOptions {
  /** Keep the reduced axes with size 1 (default false). */
  keepdims?: boolean;
}
const MOMENTS_KEYS = optionKeys<MomentsOptions>()("keepdims");

/** The two results of `tf.nn.moments`. */
export interface Moments {
  /** Mean over `axes`. */
  mean: Tensor;
  /** Population variance over `axes` (divided by the count, not count − 1). */
  variance: Tensor;
}

/**
 * Mean and variance of `x` over `axes` (TensorFlow's `tf.nn.moments`): the variance is the mean of
 * the squared deviations from the mean, as TensorFlow computes it (no shift).
 */
export const moments = defineOp("moments", function moments(x: TensorLike, axes: number | readonly number[], options: MomentsOptions = {}): Moments {
  const t = toTensor(x, "Moments");
  const tmp = new Temps();
  try {
    checkDtype("Moments", t.dtype, FLOAT);
    const axis = reductionAxes(axes, t.rank, "Moments");
    const mean = reduceMean(t, { axis, keepdims: true });
    const variance = reduceMean(tmp.keep(square(tmp.keep(subtract(t, mean)))), { axis, keepdims: options.keepdims ?? false });
    if (options.keepdims) return { mean, variance };
    tmp.keep(mean);
    return { mean: reshape(mean, variance.shape), variance };
  } finally {
    tmp.dispose();
    if (t !== x) t.dispose();
  }
}, { paths: ["nn.moments"], method: false, args: 3, options: MOMENTS_KEYS });
