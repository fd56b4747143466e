/**
 * `tf.where(condition)` with one argument: the coordinates of the true (non-zero) elements. The
 * result's shape depends on the values, so they are read to the host (synchronously in `where`,
 * with `await` in `whereAsync`), as TensorFlow's Where kernel does on the CPU.
 */
import type { BackendValues, DType } from "../dtypes.js";
import { ENGINE } from "../engine/engine.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { NON_STRING, checkDtype } from "./op-utils.js";
import { defineOp } from "./table/define.js";

const OP = "Where";

/** Whether element i of storage `v` of `dtype` is true / non-zero (complex: either part). */
export function isTrueAt(v: BackendValues, dtype: DType, i: number): boolean {
  if (dtype === "complex64") return (v as Float32Array)[2 * i] !== 0 || (v as Float32Array)[2 * i + 1] !== 0;
  return (v as ArrayLike<number>)[i] !== 0;
}

/** The `[n, rank]` int32 coordinates (row-major order) of the true elements of a tensor's storage. */
export function coordinatesOf(v: BackendValues, shape: readonly number[], dtype: DType): Tensor {
  const rank = shape.length;
  const size = shape.reduce((a, b) => a * b, 1);
  const hits: number[] = [];
  for (let i = 0; i < size; i++) if (isTrueAt(v, dtype, i)) hits.push(i);
  const out = new Int32Array(hits.length * rank);
  hits.forEach((f, row) => {
    for (let d = rank - 1; d >= 0; d--) {
      out[row * rank + d] = f % shape[d]!;
      f = Math.floor(f / shape[d]!);
    }
  });
  return ENGINE.upload(out, [hits.length, rank], "int32");
}

/** `tf.where(condition)`: reads `condition` synchronously. */
export function whereIndices(condition: TensorLike): Tensor {
  const c = toTensor(condition, OP);
  try {
    checkDtype(OP, c.dtype, NON_STRING);
    return coordinatesOf(c.dataSync() as BackendValues, c.shape, c.dtype);
  } finally {
    if (c !== condition) c.dispose();
  }
}

/**
 * `tf.where(condition)` that reads `condition` with `await` (works on every backend, WebGPU in a
 * browser included): the int32 coordinates, shape `[n, condition.rank]`, of the n true (non-zero)
 * elements in row-major order. The output's shape depends on the values. TensorFlow.js's
 * `tf.whereAsync`. `await tf.whereAsync([[true, false], [false, true]])` → `[[0, 0], [1, 1]]`.
 */
export const whereAsync = defineOp("whereAsync", async function whereAsync(condition: TensorLike): Promise<Tensor> {
  const c = toTensor(condition, OP);
  try {
    checkDtype(OP, c.dtype, NON_STRING);
    const v = (await c.data()) as BackendValues;
    return coordinatesOf(v, c.shape, c.dtype);
  } finally {
    if (c !== condition) c.dispose();
  }
}, { method: false });
