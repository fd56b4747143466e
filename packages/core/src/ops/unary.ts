/** Elementwise unary ops. Their gradients are in unary.grad.ts. */
import type { DType } from "../dtypes.js";
import { ENGINE } from "../engine/engine.js";
import type { UnaryKernelName } from "../kernel/interface.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { FLOAT, FLOAT_COMPLEX, NUMERIC, NUMERIC_REAL, checkDtype } from "./op-utils.js";

/** Which dtypes each unary kernel accepts (core rejects the rest before any kernel runs). */
const ALLOWED: Record<UnaryKernelName, readonly DType[]> = {
  Neg: NUMERIC, Abs: NUMERIC, Sign: NUMERIC_REAL, Square: NUMERIC, Sqrt: FLOAT_COMPLEX, Rsqrt: FLOAT,
  Exp: FLOAT_COMPLEX, Log: FLOAT_COMPLEX, Log1p: FLOAT, Sin: FLOAT, Cos: FLOAT, Tanh: FLOAT, Sigmoid: FLOAT,
  Relu: NUMERIC_REAL, Elu: FLOAT, Softplus: FLOAT, Floor: FLOAT, Ceil: FLOAT, Round: FLOAT,
  Reciprocal: FLOAT_COMPLEX, LogicalNot: ["bool"],
};

/** Runs unary kernel `k` on `x` (converted with its inferred dtype). */
export function unary(k: UnaryKernelName, x: TensorLike): Tensor {
  const t = toTensor(x, k);
  try {
    checkDtype(k, t.dtype, ALLOWED[k]);
    const dtype = k === "Abs" && t.dtype === "complex64" ? "float32" : t.dtype;
    return ENGINE.runKernel(k, [t], {}, { shape: t.shape, dtype });
  } finally {
    if (t !== x) t.dispose();
  }
}

/** -x */
export const neg = (x: TensorLike): Tensor => unary("Neg", x);
/** |x| (the magnitude, float32, for complex64). */
export const abs = (x: TensorLike): Tensor => unary("Abs", x);
/** -1, 0 or 1 (NaN stays NaN). */
export const sign = (x: TensorLike): Tensor => unary("Sign", x);
/** x² */
export const square = (x: TensorLike): Tensor => unary("Square", x);
/** √x */
export const sqrt = (x: TensorLike): Tensor => unary("Sqrt", x);
/** 1/√x */
export const rsqrt = (x: TensorLike): Tensor => unary("Rsqrt", x);
/** eˣ */
export const exp = (x: TensorLike): Tensor => unary("Exp", x);
/** Natural logarithm. */
export const log = (x: TensorLike): Tensor => unary("Log", x);
/** log(1 + x), accurate for small x. */
export const log1p = (x: TensorLike): Tensor => unary("Log1p", x);
export const sin = (x: TensorLike): Tensor => unary("Sin", x);
export const cos = (x: TensorLike): Tensor => unary("Cos", x);
export const tanh = (x: TensorLike): Tensor => unary("Tanh", x);
/** 1 / (1 + e⁻ˣ) */
export const sigmoid = (x: TensorLike): Tensor => unary("Sigmoid", x);
/** max(x, 0) */
export const relu = (x: TensorLike): Tensor => unary("Relu", x);
/** x for x > 0, eˣ − 1 otherwise. */
export const elu = (x: TensorLike): Tensor => unary("Elu", x);
/** log(1 + eˣ), computed without overflow. */
export const softplus = (x: TensorLike): Tensor => unary("Softplus", x);
export const floor = (x: TensorLike): Tensor => unary("Floor", x);
export const ceil = (x: TensorLike): Tensor => unary("Ceil", x);
/** Rounds half to even, as TensorFlow (`round(2.5) = 2`). */
export const round = (x: TensorLike): Tensor => unary("Round", x);
/** 1/x */
export const reciprocal = (x: TensorLike): Tensor => unary("Reciprocal", x);
/** Elementwise NOT of a bool tensor. */
export const logicalNot = (x: TensorLike): Tensor => unary("LogicalNot", x);
