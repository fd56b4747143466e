/** Comparisons and logical ops (bool results; no gradients), and `where`. */
import type { DType } from "../dtypes.js";
import type { BinaryKernelName } from "../kernel/interface.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { ANY, NUMERIC_REAL, checkDtype, runBroadcast, withTensors } from "./op-utils.js";

function compare(k: BinaryKernelName, allowed: readonly DType[], a: TensorLike, b: TensorLike): Tensor {
  return withTensors([a, b], k, ([x, y]) => {
    checkDtype(k, x!.dtype, allowed);
    return runBroadcast(k, [x!, y!], "bool");
  });
}

export const equal = (a: TensorLike, b: TensorLike): Tensor => compare("Equal", ANY, a, b);
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => compare("NotEqual", ANY, a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => compare("Less", NUMERIC_REAL, a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => compare("LessEqual", NUMERIC_REAL, a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => compare("Greater", NUMERIC_REAL, a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => compare("GreaterEqual", NUMERIC_REAL, a, b);
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => compare("LogicalAnd", ["bool"], a, b);
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => compare("LogicalOr", ["bool"], a, b);

/** Picks `a` where `cond` is true and `b` elsewhere; all three broadcast (TensorFlow's `where` / SelectV2). */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = toTensor(cond, "SelectV2", "bool");
  try {
    checkDtype("SelectV2", c.dtype, ["bool"]);
    return withTensors([a, b], "SelectV2", ([x, y]) => runBroadcast("Where", [c, x!, y!], x!.dtype));
  } finally {
    if (c !== cond) c.dispose();
  }
}
