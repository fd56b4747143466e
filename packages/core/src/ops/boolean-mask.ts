/**
 * `tf.booleanMask`: the mask is read to the host (its true count is the output's size), then one
 * gather picks the slices, so the gradient is the gather's (an UnsortedSegmentSum).
 */
import { tidy } from "../engine/tidy.js";
import { InvalidArgumentError, ValueError, opMessage } from "../errors.js";
import { optionKeys } from "../options.js";
import { describeDims, normalizeAxis, shapesEqual, sizeFromShape } from "../shape.js";
import type { BackendValues } from "../dtypes.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { constant } from "./creation.js";
import { gather } from "./gather.js";
import { checkDtype } from "./op-utils.js";
import { reshape } from "./reshape.js";
import { defineOp } from "./table/define.js";

/** Options of `tf.booleanMask`. */
export interface BooleanMaskOptions {
  /** The first axis of `tensor` the mask covers (default 0; negative counts from the end). */
  axis?: number;
}
const BOOLEAN_MASK_KEYS = optionKeys<BooleanMaskOptions>()("axis");

const OP = "BooleanMask";

/** Checks the shapes and returns the axis the mask starts at. */
function checkMask(t: Tensor, m: Tensor, axis: number | undefined): number {
  checkDtype(OP, m.dtype, ["bool"]);
  if (m.rank === 0) throw new ValueError(opMessage(OP, "mask cannot be scalar"));
  if (axis !== undefined && !Number.isInteger(axis)) throw new InvalidArgumentError(opMessage(OP, `axis must be an integer, got ${String(axis)}`));
  const a = t.rank === 0 ? 0 : normalizeAxis(axis ?? 0, t.rank, OP);
  const covered = t.shape.slice(a, a + m.rank);
  if (!shapesEqual(covered, m.shape)) {
    throw new ValueError(opMessage(OP, `mask shape ${describeDims(m.shape)} must match tensor.shape[${a}:${a + m.rank}] = ${describeDims(covered)} (tensor shape ${describeDims(t.shape)})`));
  }
  return a;
}

/** The masked slices, given the mask's storage. Call with both tensors alive. */
function applyMask(t: Tensor, m: Tensor, axis: number, v: BackendValues): Tensor {
  return tidy(() => {
    const hits: number[] = [];
    for (let i = 0; i < m.size; i++) if ((v as ArrayLike<number>)[i] !== 0) hits.push(i);
    const flat = reshape(t, [...t.shape.slice(0, axis), sizeFromShape(m.shape), ...t.shape.slice(axis + m.rank)]);
    return gather(flat, constant(Int32Array.from(hits)), axis);
  });
}

function withPair<R>(tensor: TensorLike, mask: TensorLike, fn: (t: Tensor, m: Tensor) => R): R {
  const t = toTensor(tensor, OP);
  let m: Tensor;
  try {
    m = toTensor(mask, OP, "bool");
  } catch (err) {
    if (t !== tensor) t.dispose();
    throw err;
  }
  const done = (): void => {
    if (t !== tensor) t.dispose();
    if (m !== mask) m.dispose();
  };
  let r: R;
  try {
    r = fn(t, m);
  } catch (err) {
    done();
    throw err;
  }
  if (r instanceof Promise) return r.finally(done) as R;
  done();
  return r;
}

/**
 * The slices of `tensor` where `mask` is true (TensorFlow's `tf.boolean_mask`): `mask` (bool, rank
 * k ≥ 1) covers axes `axis … axis+k-1` of `tensor` and must match their shape; those axes become one
 * axis holding the selected slices in row-major order. The output's shape depends on the mask's
 * values, which are read synchronously (on WebGPU in a browser use `tf.booleanMaskAsync`). Any
 * dtype; differentiable in `tensor`. `tf.booleanMask([[1, 2], [3, 4], [5, 6]], [true, false, true])`
 * → `[[1, 2], [5, 6]]`.
 */
export const booleanMask = defineOp("booleanMask", function booleanMask(tensor: TensorLike, mask: TensorLike, options: BooleanMaskOptions = {}): Tensor {
  return withPair(tensor, mask, (t, m) => {
    const axis = checkMask(t, m, options.axis);
    return applyMask(t, m, axis, m.dataSync() as BackendValues);
  });
}, { args: 3, options: BOOLEAN_MASK_KEYS });

/**
 * `tf.booleanMask` that reads the mask with `await` (works on every backend, WebGPU in a browser
 * included). TensorFlow.js's `tf.booleanMaskAsync`.
 */
export const booleanMaskAsync = defineOp("booleanMaskAsync", function booleanMaskAsync(tensor: TensorLike, mask: TensorLike, options: BooleanMaskOptions = {}): Promise<Tensor> {
  return withPair(tensor, mask, async (t, m) => {
    const axis = checkMask(t, m, options.axis);
    const v = (await m.data()) as BackendValues;
    return applyMask(t, m, axis, v);
  });
}, { args: 3, options: BOOLEAN_MASK_KEYS });
