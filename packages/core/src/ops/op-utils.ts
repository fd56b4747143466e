/** Shared plumbing for op definitions: dtype checks, temporaries, broadcasting views. */
import type { DType } from "../dtypes.js";
import { DtypeError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import type { BinaryKernelName } from "../kernel/interface.js";
import { broadcastShapes, padShapeTo } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensors } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";

export const FLOAT: readonly DType[] = ["float32", "float64"];
export const NUMERIC_REAL: readonly DType[] = ["int32", "float32", "float64"];
export const NUMERIC: readonly DType[] = ["int32", "float32", "float64", "complex64"];
export const FLOAT_COMPLEX: readonly DType[] = ["float32", "float64", "complex64"];
export const NON_STRING: readonly DType[] = ["bool", "int32", "float32", "float64", "complex64"];
export const ANY: readonly DType[] = ["bool", "int32", "float32", "float64", "complex64", "string"];

/** Throws `Sqrt does not support dtype int32 (allowed: float32, float64) [Op:Sqrt]`. */
export function checkDtype(op: string, dtype: DType, allowed: readonly DType[]): void {
  if (!allowed.includes(dtype)) {
    throw new DtypeError(opMessage(op, `${op} does not support dtype ${dtype} (allowed: ${allowed.join(", ")})`));
  }
}

/** Disposes the tensors an op made from non-tensor arguments (JS numbers, arrays). */
export function disposeTemps(given: readonly unknown[], made: readonly Tensor[]): void {
  for (let i = 0; i < made.length; i++) if (made[i] !== given[i]) made[i]!.dispose();
}

/** Runs `fn` on converted arguments, then disposes the temporaries conversion made. */
export function withTensors<R>(xs: readonly TensorLike[], op: string, fn: (ts: Tensor[]) => R): R {
  const ts = toTensors(xs, op);
  try {
    return fn(ts);
  } finally {
    disposeTemps(xs, ts);
  }
}

type BroadcastKernel = BinaryKernelName | "Where" | "Complex";

/**
 * Runs a broadcasting kernel: computes the NumPy output shape and hands the kernel inputs padded to
 * the output's rank (the canonical form of the kernel interface).
 */
export function runBroadcast(kernel: BroadcastKernel, inputs: readonly Tensor[], outDtype: DType): Tensor {
  let shape = inputs[0]!.shape;
  for (let i = 1; i < inputs.length; i++) shape = broadcastShapes(shape, inputs[i]!.shape, kernel);
  const rank = shape.length;
  const views = inputs.map((t) => (t.shape.length === rank ? undefined : padShapeTo(t.shape, rank)));
  return ENGINE.runKernel(kernel, inputs, {} as never, { shape, dtype: outDtype }, views);
}

/** Collects temporaries and disposes them at the end of an op. */
export class Temps {
  private readonly list: Tensor[] = [];
  keep<T extends Tensor>(t: T): T {
    this.list.push(t);
    return t;
  }
  dispose(): void {
    for (const t of this.list) t.dispose();
  }
}
