/** Elementwise binary arithmetic with NumPy broadcasting. Gradients in binary.grad.ts. */
import type { DType } from "../dtypes.js";
import type { BinaryKernelName } from "../kernel/interface.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { cast } from "./cast.js";
import { NUMERIC, NUMERIC_REAL, checkDtype, runBroadcast, withTensors } from "./op-utils.js";
import { square } from "./unary.js";

const ALLOWED: Partial<Record<BinaryKernelName, readonly DType[]>> = {
  Add: NUMERIC, Sub: NUMERIC, Mul: NUMERIC, Div: ["float32", "float64", "complex64"],
  FloorDiv: NUMERIC_REAL, FloorMod: NUMERIC_REAL, Pow: NUMERIC_REAL, Maximum: NUMERIC_REAL, Minimum: NUMERIC_REAL,
};

/** Runs an arithmetic kernel whose output dtype is its inputs'. */
export function arith(k: BinaryKernelName, a: TensorLike, b: TensorLike): Tensor {
  return withTensors([a, b], k, ([x, y]) => {
    checkDtype(k, x!.dtype, ALLOWED[k]!);
    return runBroadcast(k, [x!, y!], x!.dtype);
  });
}

/** a + b */
export const add = (a: TensorLike, b: TensorLike): Tensor => arith("Add", a, b);
/** a − b */
export const subtract = (a: TensorLike, b: TensorLike): Tensor => arith("Sub", a, b);
/** a · b */
export const multiply = (a: TensorLike, b: TensorLike): Tensor => arith("Mul", a, b);

/**
 * True division, as TensorFlow's `/`: int32 operands are converted to float64 first
 * (`tf.divide(5, 2)` is 2.5, float64).
 */
export function divide(a: TensorLike, b: TensorLike): Tensor {
  return withTensors([a, b], "Div", ([x, y]) => {
    if (x!.dtype !== "int32") return arith("Div", x!, y!);
    const fx = cast(x!, "float64");
    const fy = cast(y!, "float64");
    try {
      return arith("Div", fx, fy);
    } finally {
      fx.dispose();
      fy.dispose();
    }
  });
}

/** ⌊a / b⌋ (Python semantics for negative operands). */
export const floorDiv = (a: TensorLike, b: TensorLike): Tensor => arith("FloorDiv", a, b);
/** a − ⌊a / b⌋·b: the result has the divisor's sign, as Python's `%`. */
export const mod = (a: TensorLike, b: TensorLike): Tensor => arith("FloorMod", a, b);
/** aᵇ */
export const pow = (a: TensorLike, b: TensorLike): Tensor => arith("Pow", a, b);
/** Elementwise maximum (NaN propagates). */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => arith("Maximum", a, b);
/** Elementwise minimum (NaN propagates). */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => arith("Minimum", a, b);

/** (a − b)² */
export function squaredDifference(a: TensorLike, b: TensorLike): Tensor {
  return withTensors([a, b], "SquaredDifference", ([x, y]) => {
    checkDtype("SquaredDifference", x!.dtype, NUMERIC_REAL);
    const d = arith("Sub", x!, y!);
    try {
      return square(d);
    } finally {
      d.dispose();
    }
  });
}
