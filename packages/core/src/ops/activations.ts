/** Activation functions of `tf.nn` written from primitives: relu6, selu, silu (swish), logSigmoid, softsign, gelu. */
import { optionKeys } from "../options.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { add, multiply, realdiv } from "./binary.js";
import { greater, greaterEqual, where } from "./compare.js";
import { composite } from "./composite-utils.js";
import { FLOAT, NUMERIC_REAL, checkDtype } from "./op-utils.js";
import { abs, elu, erfc, neg, relu, sigmoid, softplus, tanh } from "./unary.js";
import { defineOp } from "./table/define.js";

/**
 * min(max(x, 0), 6) (TensorFlow's `tf.nn.relu6`). As TensorFlow's kernel, the gradient is 1 only
 * strictly inside (0, 6). int32, float32, float64.
 */
export const relu6 = defineOp("relu6", function relu6(features: TensorLike): Tensor {
  return composite([features], "Relu6", ([x]) => {
    checkDtype("Relu6", x!.dtype, NUMERIC_REAL);
    return where(greaterEqual(x!, 6), 6, relu(x!));
  });
}, { paths: ["nn.relu6"] });

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * Scaled exponential linear unit (TensorFlow's `tf.nn.selu`): `scale · x` for x > 0, else
 * `scale · alpha · (eˣ − 1)`, with Klambauer et al.'s constants. float32, float64.
 */
export const selu = defineOp("selu", function selu(features: TensorLike): Tensor {
  return composite([features], "Selu", ([x]) => {
    checkDtype("Selu", x!.dtype, FLOAT);
    return multiply(where(greater(x!, 0), x!, multiply(elu(x!), SELU_ALPHA)), SELU_SCALE);
  });
}, { paths: ["nn.selu"] });

/** Options of `tf.nn.silu`. */
export interface SiluOptions {
  /** Slope inside the sigmoid (default 1). */
  beta?: number;
}
const SILU_KEYS = optionKeys<SiluOptions>()("beta");

/** x · sigmoid(beta · x) (TensorFlow's `tf.nn.silu`, also `tf.nn.swish`). float32, float64. */
export const silu = defineOp("silu", function silu(features: TensorLike, options: SiluOptions = {}): Tensor {
  return composite([features], "Silu", ([x]) => {
    checkDtype("Silu", x!.dtype, FLOAT);
    const beta = options.beta ?? 1;
    return multiply(x!, sigmoid(beta === 1 ? x! : multiply(x!, beta)));
  });
}, { paths: ["nn.silu", "nn.swish"], args: 2, options: SILU_KEYS });

/** log(sigmoid(x)) = −softplus(−x), stable for large |x| (TensorFlow's `tf.math.log_sigmoid`). float32, float64. */
export const logSigmoid = defineOp("logSigmoid", function logSigmoid(x: TensorLike): Tensor {
  return composite([x], "LogSigmoid", ([t]) => {
    checkDtype("LogSigmoid", t!.dtype, FLOAT);
    return neg(softplus(neg(t!)));
  });
}, { paths: ["math.logSigmoid"] });

/** x / (1 + |x|) (TensorFlow's `tf.nn.softsign`, also `tf.math.softsign`). float32, float64. */
export const softsign = defineOp("softsign", function softsign(features: TensorLike): Tensor {
  return composite([features], "Softsign", ([x]) => {
    checkDtype("Softsign", x!.dtype, FLOAT);
    return realdiv(x!, add(abs(x!), 1));
  });
}, { paths: ["nn.softsign", "math.softsign"] });

/** Options of `tf.nn.gelu`. */
export interface GeluOptions {
  /** Use the tanh approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) instead of erf (default false). */
  approximate?: boolean;
}
const GELU_KEYS = optionKeys<GeluOptions>()("approximate");
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * Gaussian error linear unit (TensorFlow's `tf.nn.gelu(features, approximate=False)`): x·Φ(x) =
 * 0.5·x·(1 + erf(x/√2)), computed as 0.5·x·erfc(−x/√2) (the same function, without the cancellation
 * of 1 + erf for negative x), or with `approximate: true` the tanh form
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). float32, float64.
 */
export const gelu = defineOp("gelu", function gelu(features: TensorLike, options: GeluOptions = {}): Tensor {
  const approximate = options.approximate ?? false;
  if (typeof approximate !== "boolean") throw new TypeError(`gelu() option approximate must be a boolean, got ${typeof approximate}`);
  return composite([features], "Gelu", ([x]) => {
    checkDtype("Gelu", x!.dtype, FLOAT);
    const half = multiply(x!, 0.5);
    if (!approximate) return multiply(half, erfc(multiply(x!, -Math.SQRT1_2)));
    const cube = multiply(multiply(x!, x!), x!);
    return multiply(half, add(tanh(multiply(add(x!, multiply(cube, 0.044715)), SQRT_2_OVER_PI)), 1));
  });
}, { paths: ["nn.gelu"], args: 2, options: GELU_KEYS });
