/**
 * Segment reductions and N-d indexing written on the Gather and UnsortedSegmentSum kernels:
 * `tf.math.unsortedSegmentSum`, `unsortedSegmentMean`, `tf.gatherNd`,
 * `tf.scatterNd`, `tf.tensorScatterNdAdd`/`Sub`/`Update`. The kernels are each other's gradient.
 *
 * Out-of-range segment ids and scatter indices are dropped (TensorFlow's rule on GPUs, and its CPU
 * rule for negative segment ids), on every backend, with a zero gradient: raising as TensorFlow's CPU
 * kernels do would need the indices on the host.
 * gatherNd follows gather: an out-of-range index raises on js and wasm and gives zeros on webgpu.
 */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { sizeFromShape, shapesEqual } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { add, maximum, multiply, realdiv, subtract } from "./binary.js";
import { cast } from "./cast.js";
import { greater, greaterEqual, less, lessEqual, logicalAnd, where } from "./compare.js";
import { checkInt, composite, sliceAxis } from "./composite-utils.js";
import { constant, ones, onesLike } from "./creation.js";
import { gather } from "./gather.js";
import { NUMERIC, checkDtype } from "./op-utils.js";
import { reduceSum } from "./reduce.js";
import { reshape } from "./reshape.js";
import { defineOp } from "./table/define.js";

/**
 * out[k] = Σ data[j] over j with ids[j] = k; data viewed as [m, inner]. Ids outside [0, numSegments)
 * go to an extra segment that is cut off, so the kernel's gradient (a gather) stays in range and
 * gives them a zero gradient. Call inside `tidy`.
 */
function segmentSumKernel(data: Tensor, ids: Tensor, numSegments: number, op: string): Tensor {
  checkDtype(op, data.dtype, NUMERIC);
  checkDtype(op, ids.dtype, ["int32"]);
  if (ids.rank > data.rank || !shapesEqual(data.shape.slice(0, ids.rank), ids.shape)) {
    throw new InvalidArgumentError(opMessage(op, `segmentIds.shape [${ids.shape.join(",")}] must be a prefix of data.shape [${data.shape.join(",")}]`));
  }
  const rest = data.shape.slice(ids.rank);
  const m = ids.size;
  const inner = sizeFromShape(rest);
  const safe = where(logicalAnd(greaterEqual(ids, 0), less(ids, numSegments)), ids, numSegments);
  const k = numSegments + 1;
  const all = ENGINE.runKernel("UnsortedSegmentSum", [data, safe], { numSegments: k }, { shape: [1, k, inner], dtype: data.dtype }, [[1, m, inner], [m]], [k, ...rest]);
  return sliceAxis(all, 0, 0, numSegments);
}

/**
 * Sums the slices of `data` that share a segment id (TensorFlow's `tf.math.unsorted_segment_sum`):
 * `segmentIds` (int32) has a prefix of `data`'s shape, and the result has shape
 * `[numSegments, ...data.shape[segmentIds.rank:]]`; empty segments are 0, ids outside
 * `[0, numSegments)` are dropped. int32, float32, float64, complex64.
 */
export const unsortedSegmentSum = defineOp("unsortedSegmentSum", function unsortedSegmentSum(data: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  checkInt("UnsortedSegmentSum", "numSegments", numSegments, 0);
  return composite([data], "UnsortedSegmentSum", ([d]) => segmentSumKernel(d!, toTensor(segmentIds, "UnsortedSegmentSum", "int32"), numSegments, "UnsortedSegmentSum"));
}, { paths: ["math.unsortedSegmentSum"] });

/**
 * Mean of the slices of `data` that share a segment id (TensorFlow's `tf.math.unsorted_segment_mean`);
 * empty segments are 0. float32, float64.
 */
export const unsortedSegmentMean = defineOp("unsortedSegmentMean", function unsortedSegmentMean(data: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  checkInt("UnsortedSegmentMean", "numSegments", numSegments, 0);
  return composite([data], "UnsortedSegmentMean", ([d]) => {
    checkDtype("UnsortedSegmentMean", d!.dtype, ["float32", "float64"]);
    const ids = toTensor(segmentIds, "UnsortedSegmentMean", "int32");
    const sum = segmentSumKernel(d!, ids, numSegments, "UnsortedSegmentMean");
    const count = segmentSumKernel(onesLike(cast(ids, d!.dtype)), ids, numSegments, "UnsortedSegmentMean");
    const shape = [numSegments, ...sum.shape.slice(1).map(() => 1)];
    return realdiv(sum, reshape(maximum(count, 1), shape));
  });
}, { paths: ["math.unsortedSegmentMean"] });

/**
 * The linear index Σₖ indices[..., k] · stride(k) of each index tuple (last axis of `indices`) into
 * the first `depth` axes of `shape`, and the index tuples that are inside `shape`.
 */
function linearIndices(indices: Tensor, shape: readonly number[], op: string): { linear: Tensor; inside: Tensor; depth: number } {
  checkDtype(op, indices.dtype, ["int32"]);
  if (indices.rank < 1) throw new InvalidArgumentError(opMessage(op, `indices must have rank >= 1, got shape [${indices.shape.join(",")}]`));
  const depth = indices.shape[indices.rank - 1]!;
  if (depth > shape.length) throw new InvalidArgumentError(opMessage(op, `index depth ${depth} (indices.shape[-1]) exceeds the rank of shape [${shape.join(",")}]`));
  const strides = new Int32Array(depth);
  let s = 1;
  for (let k = depth - 1; k >= 0; k--) {
    strides[k] = s;
    s *= shape[k]!;
  }
  const linear = depth === 0 ? reshape(reduceSum(indices, { axis: -1 }), indices.shape.slice(0, -1)) : reduceSum(multiply(indices, constant(strides)), { axis: -1 });
  const dims = constant(new Int32Array(shape.slice(0, depth)));
  const ok = logicalAnd(greaterEqual(indices, 0), lessEqual(indices, subtract(dims, 1)));
  // All of an index tuple's entries in range: the tuple's count of good entries is `depth`.
  const inside = greaterEqual(reduceSum(cast(ok, "int32"), { axis: -1 }), depth);
  return { linear, inside, depth };
}

/**
 * Gathers slices of `params` at N-d indices (TensorFlow's `tf.gather_nd`): the last axis of `indices`
 * (int32) indexes the first `indices.shape[-1]` axes of `params`; the result has shape
 * `indices.shape[:-1] + params.shape[indices.shape[-1]:]`. Any dtype.
 */
export const gatherNd = defineOp("gatherNd", function gatherNd(params: TensorLike, indices: TensorLike): Tensor {
  return composite([params], "GatherNd", ([p]) => {
    const idx = toTensor(indices, "GatherNd", "int32");
    const { linear, inside, depth } = linearIndices(idx, p!.shape, "GatherNd");
    const lead = sizeFromShape(p!.shape.slice(0, depth));
    // An out-of-range tuple can still have an in-range linear index: send it out of range instead.
    const safe = where(inside, linear, lead);
    const flat = reshape(p!, [lead, ...p!.shape.slice(depth)]);
    return gather(flat, safe, 0);
  });
});

/** Scatters `updates` into zeros of `shape` at `indices` (linear index form), summing duplicates. */
function scatter(indices: Tensor, updates: Tensor, shape: readonly number[], op: string): Tensor {
  const { linear, inside, depth } = linearIndices(indices, shape, op);
  const batch = indices.shape.slice(0, -1);
  const want = [...batch, ...shape.slice(depth)];
  if (!shapesEqual(updates.shape, want)) {
    throw new InvalidArgumentError(opMessage(op, `updates must have shape [${want.join(",")}] for indices [${indices.shape.join(",")}] into shape [${shape.join(",")}], got [${updates.shape.join(",")}]`));
  }
  const lead = sizeFromShape(shape.slice(0, depth));
  const ids = where(inside, linear, -1);
  return reshape(segmentSumKernel(updates, ids, lead, op), shape);
}

/**
 * A tensor of `shape` that is zero except at `indices`, where it holds `updates` (TensorFlow's
 * `tf.scatter_nd`); repeated indices add up. `updates` must have shape
 * `indices.shape[:-1] + shape[indices.shape[-1]:]`. int32, float32, float64, complex64.
 */
export const scatterNd = defineOp("scatterNd", function scatterNd(indices: TensorLike, updates: TensorLike, shape: readonly number[]): Tensor {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) throw new InvalidArgumentError(opMessage("ScatterNd", `shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`));
  return composite([updates], "ScatterNd", ([u]) => scatter(toTensor(indices, "ScatterNd", "int32"), u!, shape, "ScatterNd"));
}, { method: false });

/** `tensor` plus `updates` scattered at `indices` (TensorFlow's `tf.tensor_scatter_nd_add`). int32, float32, float64, complex64. */
export const tensorScatterNdAdd = defineOp("tensorScatterNdAdd", function tensorScatterNdAdd(tensor: TensorLike, indices: TensorLike, updates: TensorLike): Tensor {
  return composite([tensor, updates], "TensorScatterAdd", ([t, u]) => add(t!, scatter(toTensor(indices, "TensorScatterAdd", "int32"), u!, t!.shape, "TensorScatterAdd")));
});

/** `tensor` minus `updates` scattered at `indices` (TensorFlow's `tf.tensor_scatter_nd_sub`). int32, float32, float64, complex64. */
export const tensorScatterNdSub = defineOp("tensorScatterNdSub", function tensorScatterNdSub(tensor: TensorLike, indices: TensorLike, updates: TensorLike): Tensor {
  return composite([tensor, updates], "TensorScatterSub", ([t, u]) => subtract(t!, scatter(toTensor(indices, "TensorScatterSub", "int32"), u!, t!.shape, "TensorScatterSub")));
});

/**
 * `tensor` with the slices at `indices` replaced by `updates` (TensorFlow's
 * `tf.tensor_scatter_nd_update`). For an index given more than once TensorFlow leaves the winner
 * unspecified; here the updates for it add up. int32, float32, float64, complex64.
 */
export const tensorScatterNdUpdate = defineOp("tensorScatterNdUpdate", function tensorScatterNdUpdate(tensor: TensorLike, indices: TensorLike, updates: TensorLike): Tensor {
  return composite([tensor, updates], "TensorScatterUpdate", ([t, u]) => {
    const idx = toTensor(indices, "TensorScatterUpdate", "int32");
    const values = scatter(idx, u!, t!.shape, "TensorScatterUpdate");
    const hit = greater(scatter(idx, ones(u!.shape, "int32"), t!.shape, "TensorScatterUpdate"), 0);
    return where(hit, values, t!);
  });
});
