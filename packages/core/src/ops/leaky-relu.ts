/** `tf.nn.leakyRelu`, written from primitives; its gradient comes from `where`. */
import { optionKeys } from "../options.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { multiply } from "./binary.js";
import { greater, where } from "./compare.js";
import { FLOAT, Temps, checkDtype } from "./op-utils.js";
import { defineOp } from "./table/define.js";

/** Options of `tf.nn.leakyRelu`. */
export interface LeakyReluOptions {
  /** Slope for negative inputs (default 0.2, TensorFlow's default). */
  alpha?: number;
}
const LEAKY_RELU_KEYS = optionKeys<LeakyReluOptions>()("alpha");

/**
 * Leaky rectified linear unit (TensorFlow's `tf.nn.leaky_relu`): `x` where `x > 0`, else `alpha · x`.
 * At 0 the gradient is `alpha`, as TensorFlow's kernel gives.
 */
export const leakyRelu = defineOp("leakyRelu", function leakyRelu(features: TensorLike, options: LeakyReluOptions = {}): Tensor {
  const alpha = options.alpha ?? 0.2;
  const t = toTensor(features, "LeakyRelu");
  const tmp = new Temps();
  try {
    checkDtype("LeakyRelu", t.dtype, FLOAT);
    return where(tmp.keep(greater(t, 0)), t, tmp.keep(multiply(t, alpha)));
  } finally {
    tmp.dispose();
    if (t !== features) t.dispose();
  }
}, { paths: ["nn.leakyRelu"], args: 2, options: LEAKY_RELU_KEYS });
