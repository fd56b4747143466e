/** `tf.math.l2Normalize` (also `tf.nn.l2Normalize`), written from primitives. */
import { optionKeys } from "../options.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { maximum, multiply } from "./binary.js";
import { FLOAT, Temps, checkDtype } from "./op-utils.js";
import { reduceSum, reductionAxes } from "./reduce.js";
import { rsqrt, square } from "./unary.js";
import { defineOp } from "./table/define.js";

/** Options of `tf.math.l2Normalize`. */
export interface L2NormalizeOptions {
  /** Axis or axes to normalize over (default: all). */
  axis?: number | readonly number[];
  /** Lower bound of the squared norm, which keeps zero vectors finite (default 1e-12). */
  epsilon?: number;
}
const L2_KEYS = optionKeys<L2NormalizeOptions>()("axis", "epsilon");

/** x / √max(Σ x², epsilon) over `axis` (TensorFlow's `tf.math.l2_normalize`). */
export const l2Normalize = defineOp("l2Normalize", function l2Normalize(x: TensorLike, options: L2NormalizeOptions = {}): Tensor {
  const t = toTensor(x, "L2Normalize");
  const tmp = new Temps();
  try {
    checkDtype("L2Normalize", t.dtype, FLOAT);
    const axis = reductionAxes(options.axis, t.rank, "L2Normalize");
    const sq = tmp.keep(reduceSum(tmp.keep(square(t)), { axis, keepdims: true }));
    return multiply(t, tmp.keep(rsqrt(tmp.keep(maximum(sq, options.epsilon ?? 1e-12)))));
  } finally {
    tmp.dispose();
    if (t !== x) t.dispose();
  }
}, { paths: ["math.l2Normalize", "nn.l2Normalize"], args: 2, options: L2_KEYS });
