/**
 * Segment reductions beyond the sum: `tf.math.segmentSum/Mean/Max/Min/Prod` (sorted ids) and
 * `tf.math.unsortedSegmentMax/Min/Prod`. The ids are read to the host (for the sorted ops the last id
 * fixes the output's size), which lays each segment's rows out in one row of a `[numSegments, L]`
 * index matrix (L: the longest segment), padded with a row holding the reduction's identity; one
 * gather and one Max/Min/Prod reduction along L then give every segment at once, and the gradient is
 * the reduction's — shared equally among tied extremes, as TensorFlow's segment gradients do.
 * Memory is numSegments × L rows, so one very long segment among many short ones costs more than
 * TensorFlow's dedicated kernels.
 */
import type { BackendValues, DType } from "../dtypes.js";
import { InvalidArgumentError, opMessage } from "../errors.js";
import { describeDims, shapesEqual } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { greater, where } from "./compare.js";
import { checkInt, composite } from "./composite-utils.js";
import { concat } from "./concat.js";
import { constant, fill } from "./creation.js";
import { gather } from "./gather.js";
import { NUMERIC, NUMERIC_REAL, checkDtype } from "./op-utils.js";
import { reduceMax, reduceMin, reduceProd } from "./reduce.js";
import { reshape } from "./reshape.js";
import { unsortedSegmentMean, unsortedSegmentSum } from "./segment.js";
import { defineOp } from "./table/define.js";

type Kind = "max" | "min" | "prod";

const FLOAT_MAX: Partial<Record<DType, number>> = { float32: 3.4028234663852886e38, float64: Number.MAX_VALUE, int32: 2147483647 };

/** The identity each reduction pads with, and the value TensorFlow gives an empty segment. */
function padValue(kind: Kind, dtype: DType): number {
  if (kind === "prod") return 1;
  if (dtype === "int32") return kind === "max" ? -2147483648 : 2147483647;
  return kind === "max" ? -Infinity : Infinity;
}
function emptyValue(kind: Kind, dtype: DType, sorted: boolean): number {
  if (kind === "prod") return 1;
  if (sorted) return 0;
  const big = FLOAT_MAX[dtype]!;
  return kind === "max" ? (dtype === "int32" ? -2147483648 : -big) : big;
}

/**
 * Reduces the rows of `data` (viewed as `[m, ...rest]`, m = the ids' size) by segment. `ids` are the
 * ids' values; rows whose id is outside [0, k) are dropped.
 */
function segmentReduce(data: Tensor, idShape: readonly number[], ids: ArrayLike<number>, k: number, kind: Kind, sorted: boolean): Tensor {
  const m = ids.length;
  const rest = data.shape.slice(idShape.length);
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let j = 0; j < m; j++) {
    const s = ids[j]!;
    if (s >= 0 && s < k) members[s]!.push(j);
  }
  const len = Math.max(1, ...members.map((r) => r.length));
  const index = new Int32Array(k * len).fill(m); // row m: the padding row
  members.forEach((r, s) => r.forEach((j, i) => { index[s * len + i] = j; }));
  const rows = reshape(data, [m, ...rest]);
  const pad = fill([1, ...rest], padValue(kind, data.dtype), data.dtype);
  const picked = gather(concat([rows, pad], 0), reshape(constant(index), [k, len]), 0);
  const reduce = kind === "max" ? reduceMax : kind === "min" ? reduceMin : reduceProd;
  const r = reduce(picked, { axis: 1 });
  const empty = emptyValue(kind, data.dtype, sorted);
  if (empty === padValue(kind, data.dtype) || members.every((x) => x.length > 0)) return r;
  const nonEmpty = greater(constant(Int32Array.from(members, (x) => x.length), { shape: [k, ...rest.map(() => 1)] }), 0);
  return where(nonEmpty, r, fill([1], empty, data.dtype));
}

function readIds(ids: Tensor, op: string): ArrayLike<number> {
  checkDtype(op, ids.dtype, ["int32"]);
  return ids.dataSync() as BackendValues as Int32Array;
}

function checkPrefix(op: string, data: Tensor, ids: Tensor): void {
  if (ids.rank > data.rank || !shapesEqual(data.shape.slice(0, ids.rank), ids.shape)) {
    throw new InvalidArgumentError(opMessage(op, `segmentIds.shape ${describeDims(ids.shape)} must be a prefix of data.shape ${describeDims(data.shape)}`));
  }
}

/** The number of segments of sorted ids (last id + 1), after TensorFlow's checks. */
function sortedCount(op: string, data: Tensor, ids: Tensor): number {
  if (ids.rank !== 1) throw new InvalidArgumentError(opMessage(op, `segment_ids should be a vector, got shape ${describeDims(ids.shape)}`));
  if (data.rank < 1 || data.shape[0] !== ids.shape[0]) {
    throw new InvalidArgumentError(opMessage(op, `segment_ids should be the same size as dimension 0 of input, got ${describeDims(ids.shape)} for data shape ${describeDims(data.shape)}`));
  }
  const v = readIds(ids, op);
  for (let i = 0; i < v.length; i++) {
    if (v[i]! < 0) throw new InvalidArgumentError(opMessage(op, `segment ids must be >= 0, got ${v[i]} at position ${i}`));
    if (i > 0 && v[i]! < v[i - 1]!) throw new InvalidArgumentError(opMessage(op, `segment ids are not increasing: ${v[i - 1]} then ${v[i]} at position ${i}`));
  }
  return v.length === 0 ? 0 : v[v.length - 1]! + 1;
}

function sortedOp(op: string, kind: Kind | "sum" | "mean", data: TensorLike, segmentIds: TensorLike): Tensor {
  return composite([data], op, ([d]) => {
    checkDtype(op, d!.dtype, kind === "mean" ? ["float32", "float64"] : kind === "sum" ? NUMERIC : NUMERIC_REAL);
    const ids = toTensor(segmentIds, op, "int32");
    const k = sortedCount(op, d!, ids);
    if (kind === "sum") return unsortedSegmentSum(d!, ids, k);
    if (kind === "mean") return unsortedSegmentMean(d!, ids, k);
    return segmentReduce(d!, ids.shape, readIds(ids, op), k, kind, true);
  });
}

function unsortedOp(op: string, kind: Kind, data: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  checkInt(op, "numSegments", numSegments, 0);
  return composite([data], op, ([d]) => {
    checkDtype(op, d!.dtype, NUMERIC_REAL);
    const ids = toTensor(segmentIds, op, "int32");
    checkDtype(op, ids.dtype, ["int32"]);
    checkPrefix(op, d!, ids);
    return segmentReduce(d!, ids.shape, readIds(ids, op), numSegments, kind, false);
  });
}

/**
 * Sum of the rows of `data` in each segment (TensorFlow's `tf.math.segment_sum`). Empty segments
 * are 0. int32, float32, float64, complex64. `tf.math.segmentSum([[1, 2], [3, 4], [5, 6]], [0, 0, 2])`
 * → `[[4, 6], [0, 0], [5, 6]]`.
 *
 * `segmentIds` (int32, 1-D, the length of data's first axis) must be sorted and non-negative; the
 * result has `segmentIds[-1] + 1` rows, so its shape depends on the ids' values, which are read
 * synchronously.
 */
export const segmentSum = defineOp("segmentSum", function segmentSum(data: TensorLike, segmentIds: TensorLike): Tensor {
  return sortedOp("SegmentSum", "sum", data, segmentIds);
}, { paths: ["math.segmentSum"] });

/** Mean of the rows of `data` in each segment (TensorFlow's `tf.math.segment_mean`); empty segments are 0. float32, float64. See `segmentSum` for `segmentIds`. */
export const segmentMean = defineOp("segmentMean", function segmentMean(data: TensorLike, segmentIds: TensorLike): Tensor {
  return sortedOp("SegmentMean", "mean", data, segmentIds);
}, { paths: ["math.segmentMean"] });

/**
 * Maximum of the rows of `data` in each segment (TensorFlow's `tf.math.segment_max`); empty segments
 * are 0, and tied maxima share the gradient equally. int32, float32, float64. See `segmentSum` for
 * `segmentIds`.
 */
export const segmentMax = defineOp("segmentMax", function segmentMax(data: TensorLike, segmentIds: TensorLike): Tensor {
  return sortedOp("SegmentMax", "max", data, segmentIds);
}, { paths: ["math.segmentMax"] });

/** Minimum of the rows of `data` in each segment (TensorFlow's `tf.math.segment_min`); empty segments are 0. int32, float32, float64. See `segmentSum` for `segmentIds`. */
export const segmentMin = defineOp("segmentMin", function segmentMin(data: TensorLike, segmentIds: TensorLike): Tensor {
  return sortedOp("SegmentMin", "min", data, segmentIds);
}, { paths: ["math.segmentMin"] });

/** Product of the rows of `data` in each segment (TensorFlow's `tf.math.segment_prod`); empty segments are 1. int32, float32, float64. See `segmentSum` for `segmentIds`. */
export const segmentProd = defineOp("segmentProd", function segmentProd(data: TensorLike, segmentIds: TensorLike): Tensor {
  return sortedOp("SegmentProd", "prod", data, segmentIds);
}, { paths: ["math.segmentProd"] });

/**
 * Maximum of the slices of `data` that share a segment id (TensorFlow's
 * `tf.math.unsorted_segment_max`): `segmentIds` (int32) has a prefix of `data`'s shape, the result
 * `[numSegments, ...data.shape[segmentIds.rank:]]`; ids outside `[0, numSegments)` are dropped, and
 * an empty segment holds the dtype's lowest value (−3.4028235e38 for float32), as in TensorFlow.
 * The ids are read synchronously. int32, float32, float64.
 */
export const unsortedSegmentMax = defineOp("unsortedSegmentMax", function unsortedSegmentMax(data: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  return unsortedOp("UnsortedSegmentMax", "max", data, segmentIds, numSegments);
}, { paths: ["math.unsortedSegmentMax"] });

/** As `unsortedSegmentMax`, the minimum (TensorFlow's `tf.math.unsorted_segment_min`); an empty segment holds the dtype's largest value. */
export const unsortedSegmentMin = defineOp("unsortedSegmentMin", function unsortedSegmentMin(data: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  return unsortedOp("UnsortedSegmentMin", "min", data, segmentIds, numSegments);
}, { paths: ["math.unsortedSegmentMin"] });

/** As `unsortedSegmentMax`, the product (TensorFlow's `tf.math.unsorted_segment_prod`); an empty segment holds 1. */
export const unsortedSegmentProd = defineOp("unsortedSegmentProd", function unsortedSegmentProd(data: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  return unsortedOp("UnsortedSegmentProd", "prod", data, segmentIds, numSegments);
}, { paths: ["math.unsortedSegmentProd"] });
