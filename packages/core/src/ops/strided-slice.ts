/**
 * `tf.stridedSlice` (TensorFlow's `tf.strided_slice`), written from Slice, Gather and Reshape: the
 * masks are resolved on the host into one contiguous slice of the bounding box, one gather per axis
 * whose stride is not 1, and a reshape for the new and shrunk axes. Its gradient — TensorFlow's
 * StridedSliceGrad, a scatter of dy into zeros of the input's shape — falls out of those pieces
 * (Slice ↔ Pad, Gather ↔ UnsortedSegmentSum, Reshape ↔ Reshape), to every order.
 */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { optionKeys } from "../options.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { composite } from "./composite-utils.js";
import { constant } from "./creation.js";
import { gather } from "./gather.js";
import { identity } from "./identity.js";
import { reshape } from "./reshape.js";
import { slice } from "./slice.js";
import { defineOp } from "./table/define.js";

/**
 * Options of `tf.stridedSlice`: TensorFlow's bit masks, where bit i refers to entry i of
 * `begin`/`end`/`strides`. All default to 0.
 */
export interface StridedSliceOptions {
  /** Bit i set: ignore `begin[i]` and start at the first element in the stride's direction. */
  beginMask?: number;
  /** Bit i set: ignore `end[i]` and run to the last element in the stride's direction. */
  endMask?: number;
  /** Bit i set (at most one): entry i is `...`, standing for as many full axes as are not named. */
  ellipsisMask?: number;
  /** Bit i set: entry i inserts a new axis of size 1 (its begin/end/stride are ignored). */
  newAxisMask?: number;
  /** Bit i set: entry i picks the single index `begin[i]` and removes that axis. */
  shrinkAxisMask?: number;
}
const STRIDED_SLICE_KEYS = optionKeys<StridedSliceOptions>()("beginMask", "endMask", "ellipsisMask", "newAxisMask", "shrinkAxisMask");

/** A resolved strided slice: per input axis the first index, the stride and the count; and the output shape. */
export interface StridedSlicePlan {
  readonly begin: readonly number[];
  readonly strides: readonly number[];
  readonly sizes: readonly number[];
  readonly outShape: readonly number[];
}

const OP = "StridedSlice";
const NEW_AXIS = -1;
const SHRINK = -2;

function bit(mask: number, i: number): boolean {
  return i < 32 && ((mask >>> i) & 1) === 1;
}

function checkMask(name: string, v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new InvalidArgumentError(opMessage(OP, `${name} must be a non-negative 32-bit integer bit mask, got ${String(v)}`));
  }
  return v;
}

function checkIndexList(name: string, v: unknown): number[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== "number" || !Number.isInteger(x))) {
    throw new InvalidArgumentError(opMessage(OP, `${name} must be an array of integers, got ${JSON.stringify(v)}`));
  }
  return v as number[];
}

/**
 * Resolves TensorFlow's sparse slice spec (begin/end/strides with masks, at most one ellipsis) against
 * an input shape, following TensorFlow's rules: negative indices count from the end, out-of-range
 * begin/end are clamped, a shrunk index must be in range, and the result of each axis is
 * `ceil((end − begin) / stride)` elements (0 when the interval is empty or runs against the stride).
 */
export function planStridedSlice(shape: readonly number[], begin: unknown, end: unknown, strides: unknown, options: StridedSliceOptions = {}): StridedSlicePlan {
  const b = checkIndexList("begin", begin);
  const e = checkIndexList("end", end);
  const s = strides === undefined ? b.map(() => 1) : checkIndexList("strides", strides);
  if (b.length !== e.length || b.length !== s.length) {
    throw new InvalidArgumentError(opMessage(OP, `Expected begin, end, and strides to be 1D equal size tensors, but got shapes [${b.length}], [${e.length}], and [${s.length}] instead.`));
  }
  if (b.length > 32) throw new InvalidArgumentError(opMessage(OP, `at most 32 slice entries are supported, got ${b.length}`));
  const beginMask = checkMask("beginMask", options.beginMask);
  const endMask = checkMask("endMask", options.endMask);
  const ellipsisMask = checkMask("ellipsisMask", options.ellipsisMask);
  const newAxisMask = checkMask("newAxisMask", options.newAxisMask);
  const shrinkMask = checkMask("shrinkAxisMask", options.shrinkAxisMask);
  let sparseDims = b.length;
  const ellipses = [...Array(sparseDims).keys()].filter((i) => bit(ellipsisMask, i));
  if (ellipses.length > 1) throw new InvalidArgumentError(opMessage(OP, "Multiple ellipses in slice spec not allowed"));
  let newAfterEllipsis = 0;
  if (ellipses.length === 1) {
    for (let i = ellipses[0]! + 1; i < sparseDims; i++) if (bit(newAxisMask, i)) newAfterEllipsis++;
  } else {
    sparseDims += 1; // No ellipsis: one is implied after the last entry, keeping the remaining axes whole.
  }
  const ellipsisAt = ellipses.length === 1 ? ellipses[0]! : b.length;

  // The dense spec: one entry per input axis, and where each output axis comes from.
  const rank = shape.length;
  const dBegin = new Array<number>(rank).fill(0);
  const dEnd = new Array<number>(rank).fill(0);
  const dStride = new Array<number>(rank).fill(1);
  const dBeginMasked = new Array<boolean>(rank).fill(false);
  const dEndMasked = new Array<boolean>(rank).fill(false);
  const dShrink = new Array<boolean>(rank).fill(false);
  const gatherFrom: number[] = [];
  let full = 0;
  for (let i = 0; i < sparseDims; i++) {
    if (i === ellipsisAt) {
      const next = Math.min(rank - (sparseDims - i) + 1 + newAfterEllipsis, rank);
      for (; full < next; full++) {
        dBeginMasked[full] = true;
        dEndMasked[full] = true;
        gatherFrom.push(full);
      }
    } else if (bit(newAxisMask, i)) {
      gatherFrom.push(NEW_AXIS);
    } else {
      if (full === rank) {
        throw new InvalidArgumentError(opMessage(OP, `Index out of range using input dim ${full}; input has only ${rank} dims`));
      }
      dBegin[full] = b[i]!;
      dEnd[full] = e[i]!;
      dStride[full] = s[i]!;
      dBeginMasked[full] = bit(beginMask, i);
      dEndMasked[full] = bit(endMask, i);
      if (bit(shrinkMask, i)) {
        dShrink[full] = true;
        gatherFrom.push(SHRINK);
      } else {
        gatherFrom.push(full);
      }
      full++;
    }
  }

  const begins: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < rank; i++) {
    const dim = shape[i]!;
    const stride = dStride[i]!;
    if (stride === 0) throw new InvalidArgumentError(opMessage(OP, `strides[${i}] must be non-zero`));
    if (dShrink[i]) {
      if (stride < 0) throw new InvalidArgumentError(opMessage(OP, "only stride 1 allowed on non-range indexing."));
      const x = dBegin[i]! < 0 ? dim + dBegin[i]! : dBegin[i]!;
      if (x < 0 || x >= dim) throw new InvalidArgumentError(opMessage(OP, `slice index ${dBegin[i]} of dimension ${i} out of bounds.`));
      begins.push(x);
      sizes.push(1);
      continue;
    }
    const lo = stride > 0 ? 0 : -1;
    const hi = stride > 0 ? dim : dim - 1;
    const canonical = (x: number, masked: boolean, isEnd: boolean): number => {
      if (masked) return (stride > 0) !== isEnd ? lo : hi;
      const fwd = x < 0 ? dim + x : x;
      return fwd < lo ? lo : fwd > hi ? hi : fwd;
    };
    const first = canonical(dBegin[i]!, dBeginMasked[i]!, false);
    const last = canonical(dEnd[i]!, dEndMasked[i]!, true);
    const interval = last - first;
    const n = interval === 0 || (interval < 0) !== (stride < 0) ? 0 : Math.ceil(interval / stride);
    begins.push(first);
    sizes.push(n);
  }
  const outShape = gatherFrom.flatMap((g) => (g === NEW_AXIS ? [1] : g === SHRINK ? [] : [sizes[g]!]));
  return { begin: begins, strides: dStride, sizes, outShape };
}

/** Runs a resolved plan on `x`: the bounding box as one slice, a gather per strided axis, then the output's shape. */
export function applyStridedSlice(x: Tensor, plan: StridedSlicePlan): Tensor {
  const rank = x.rank;
  const lo = new Array<number>(rank);
  const len = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const n = plan.sizes[i]!, st = plan.strides[i]!, b = plan.begin[i]!;
    if (n === 0) {
      lo[i] = 0;
      len[i] = 0;
    } else {
      const end = b + (n - 1) * st;
      lo[i] = Math.min(b, end);
      len[i] = Math.abs(end - b) + 1;
    }
  }
  let y = slice(x, lo, len);
  for (let i = 0; i < rank; i++) {
    const n = plan.sizes[i]!, st = plan.strides[i]!;
    if (n <= 1 || st === 1) continue;
    const idx = new Int32Array(n);
    for (let k = 0; k < n; k++) idx[k] = plan.begin[i]! + k * st - lo[i]!;
    y = gather(y, constant(idx), i);
  }
  return reshape(y, [...plan.outShape]);
}

/**
 * Python-style strided slicing (TensorFlow's `tf.strided_slice`): `begin`, `end` and `strides`
 * (default all 1) are equal-length integer arrays, one entry per axis named, with TensorFlow's bit
 * masks in `options` (`beginMask`, `endMask`, `ellipsisMask`, `newAxisMask`, `shrinkAxisMask`).
 * Negative indices count from the end, out-of-range ends are clamped, negative strides walk
 * backwards; axes not named are kept whole. Any dtype; differentiable (the gradient scatters dy into
 * zeros of the input's shape). `tf.stridedSlice(x, [0, -1], [2, 0], [1, -1], { endMask: 2 })` is
 * `x[0:2, ::-1]`; `t.get("0:2, ::-1")` says the same.
 */
export const stridedSlice = defineOp("stridedSlice", function stridedSlice(
  input: TensorLike,
  begin: readonly number[],
  end: readonly number[],
  strides?: readonly number[],
  options: StridedSliceOptions = {},
): Tensor {
  return composite([input], OP, ([x]) => {
    const y = applyStridedSlice(x!, planStridedSlice(x!.shape, begin, end, strides, options));
    return y === x ? identity(x) : y;
  });
}, { args: 5, options: STRIDED_SLICE_KEYS });
