/**
 * Sorting and searching along the innermost axis: `tf.sort`, `tf.argsort`, `tf.math.topK`,
 * `tf.searchsorted`, `tf.math.lowerBound`, `tf.math.upperBound`.
 *
 * The TopK kernel gives the positions of each row's first k elements in sort order; the values are
 * a Gather of those positions, so sort's and topK's gradients (dy scattered back to the selected
 * positions) come from Gather's. SearchSorted is a binary search per value. Order: NaN counts as
 * larger than +Inf (first in a descending order, last in an ascending one), -0 equals +0, and equal
 * values keep their order (lower index first), so every sort here is stable.
 */
import { ENGINE } from "../engine/engine.js";
import { tidy } from "../engine/tidy.js";
import { InvalidArgumentError, ValueError, opMessage } from "../errors.js";
import { optionKeys } from "../options.js";
import { normalizeAxis, sizeFromShape } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { add } from "./binary.js";
import { composite } from "./composite-utils.js";
import { constant } from "./creation.js";
import { gather } from "./gather.js";
import { NUMERIC_REAL, checkDtype, withTensors } from "./op-utils.js";
import { reshape } from "./reshape.js";
import { defineOp } from "./table/define.js";
import { transpose } from "./transpose.js";

/** Sort direction of `tf.sort` and `tf.argsort`. */
export type SortDirection = "ASCENDING" | "DESCENDING";

/** Options of `tf.sort`. */
export interface SortOptions {
  /** Axis to sort along (default -1, the innermost). */
  axis?: number;
  /** `"ASCENDING"` (default) or `"DESCENDING"`. */
  direction?: SortDirection;
}
const SORT_KEYS = optionKeys<SortOptions>()("axis", "direction");

/** Options of `tf.argsort`. */
export interface ArgsortOptions extends SortOptions {
  /** Accepted for TensorFlow compatibility: Tessera's argsort is always stable (equal values keep their order). */
  stable?: boolean;
}
const ARGSORT_KEYS = optionKeys<ArgsortOptions>()("axis", "direction", "stable");

/** Options of `tf.math.topK`. */
export interface TopKOptions {
  /** How many of the largest entries of each row to return (default 1); 0 ≤ k ≤ the innermost dimension. */
  k?: number;
  /** Accepted for TensorFlow compatibility: the result is always sorted, largest first. */
  sorted?: boolean;
}
const TOPK_KEYS = optionKeys<TopKOptions>()("k", "sorted");

/** Options of `tf.searchsorted`. */
export interface SearchSortedOptions {
  /** `"left"` (default): the first position where the value fits; `"right"`: the last. */
  side?: "left" | "right";
  /** dtype of the positions: `"int32"` (the only integer dtype Tessera has). */
  outType?: "int32";
}
const SEARCHSORTED_KEYS = optionKeys<SearchSortedOptions>()("side", "outType");

/** Options of `tf.math.lowerBound` and `tf.math.upperBound`. */
export interface BoundOptions {
  /** dtype of the positions: `"int32"` (the only integer dtype Tessera has). */
  outType?: "int32";
}
const BOUND_KEYS = optionKeys<BoundOptions>()("outType");

/** The result of `tf.math.topK`: the k largest entries of each row and their positions in the row. */
export interface TopKResult {
  values: Tensor;
  indices: Tensor;
}

/** int32 positions of the first k of each row of x viewed as [outer, n]; shape [...x.shape[:-1], k]. */
function topKIndices(x: Tensor, k: number, descending: boolean): Tensor {
  const n = x.shape[x.rank - 1]!;
  const outer = n === 0 ? sizeFromShape(x.shape.slice(0, -1)) : x.size / n;
  const shape = [...x.shape.slice(0, -1), k];
  return ENGINE.runKernel("TopK", [x], { k, descending }, { shape: [outer, k], dtype: "int32" }, [[outer, n]], shape);
}

/** x[..., indices[..., j]] for int32 `indices` of shape [...x.shape[:-1], k] (a Gather, so differentiable). */
function takeAlongLastAxis(x: Tensor, indices: Tensor): Tensor {
  const n = x.shape[x.rank - 1]!;
  const k = indices.shape[indices.rank - 1]!;
  const outer = sizeFromShape(x.shape.slice(0, -1));
  const offsets = new Int32Array(outer);
  for (let r = 0; r < outer; r++) offsets[r] = r * n;
  const flat = add(reshape(indices, [outer, k]), constant(offsets, { shape: [outer, 1] }));
  return reshape(gather(reshape(x, [outer * n]), reshape(flat, [outer * k])), indices.shape);
}

function checkDirection(op: string, direction: unknown): boolean {
  if (direction !== "ASCENDING" && direction !== "DESCENDING") {
    throw new ValueError(opMessage(op, `direction must be "ASCENDING" or "DESCENDING", got ${JSON.stringify(direction)}`));
  }
  return direction === "DESCENDING";
}

/** Runs `f` on x with `axis` moved innermost, and moves the result's last axis back. Call inside `tidy`. */
function alongAxis(op: string, x: Tensor, axis: number, f: (t: Tensor) => Tensor): Tensor {
  checkDtype(op, x.dtype, NUMERIC_REAL);
  if (x.rank === 0) throw new InvalidArgumentError(opMessage(op, `the input must have rank >= 1, got a scalar`));
  const ax = normalizeAxis(axis, x.rank, op);
  if (ax === x.rank - 1) return f(x);
  const perm = x.shape.map((_, i) => i);
  perm[ax] = x.rank - 1;
  perm[x.rank - 1] = ax;
  return transpose(f(transpose(x, perm)), perm);
}

/**
 * Sorts `values` along `axis` (TensorFlow's `tf.sort`): `direction` `"ASCENDING"` (default) or
 * `"DESCENDING"`. int32, float32, float64. NaN sorts above +Inf (last ascending, first descending);
 * equal values keep their order. Differentiable: the gradient scatters dy back to where each value
 * came from.
 */
export const sort = defineOp("sort", function sort(values: TensorLike, options: SortOptions = {}): Tensor {
  const descending = checkDirection("Sort", options.direction ?? "ASCENDING");
  return composite([values], "Sort", ([x]) =>
    alongAxis("Sort", x!, options.axis ?? -1, (t) => takeAlongLastAxis(t, topKIndices(t, t.shape[t.rank - 1]!, descending))));
}, { args: 2, options: SORT_KEYS });

/**
 * Indices that sort `values` along `axis` (TensorFlow's `tf.argsort`), int32: `tf.gather` of them
 * along the axis gives `tf.sort`. Stable (equal values keep their order) whatever `stable` says.
 * int32, float32, float64; not differentiable.
 */
export const argsort = defineOp("argsort", function argsort(values: TensorLike, options: ArgsortOptions = {}): Tensor {
  const descending = checkDirection("Argsort", options.direction ?? "ASCENDING");
  if (options.stable !== undefined && typeof options.stable !== "boolean") {
    throw new ValueError(opMessage("Argsort", `stable must be a boolean, got ${JSON.stringify(options.stable)}`));
  }
  return composite([values], "Argsort", ([x]) =>
    alongAxis("Argsort", x!, options.axis ?? -1, (t) => topKIndices(t, t.shape[t.rank - 1]!, descending)));
}, { args: 2, options: ARGSORT_KEYS });

/**
 * The `k` largest entries of each row (innermost axis) and their positions (TensorFlow's
 * `tf.math.top_k`, also `tf.nn.top_k`): `tf.math.topK(x, { k: 2 })` → `{ values, indices }`, both
 * of shape `[...x.shape[:-1], k]`, values largest first, equal values lower index first, NaN above
 * +Inf. int32, float32, float64. `values` is differentiable (dy goes back to the chosen positions).
 */
export const topK = defineOp("topK", function topK(input: TensorLike, options: TopKOptions = {}): TopKResult {
  const k = options.k ?? 1;
  if (options.sorted !== undefined && typeof options.sorted !== "boolean") {
    throw new ValueError(opMessage("TopKV2", `sorted must be a boolean, got ${JSON.stringify(options.sorted)}`));
  }
  return withTensors([input], "TopKV2", ([x]) => tidy(() => {
    checkDtype("TopKV2", x!.dtype, NUMERIC_REAL);
    if (x!.rank === 0) throw new InvalidArgumentError(opMessage("TopKV2", `input must be >= 1-D, got shape []`));
    const n = x!.shape[x!.rank - 1]!;
    if (typeof k !== "number" || !Number.isInteger(k) || k < 0) throw new InvalidArgumentError(opMessage("TopKV2", `Need k >= 0, got ${String(k)}`));
    if (k > n) throw new InvalidArgumentError(opMessage("TopKV2", `input must have at least k columns. Had ${n}, needed ${k} (shape [${x!.shape.join(",")}])`));
    const indices = topKIndices(x!, k, true);
    return { values: takeAlongLastAxis(x!, indices), indices };
  }));
}, { paths: ["math.topK", "nn.topK"], args: 2, options: TOPK_KEYS });

function searchSorted(op: string, sortedSequence: TensorLike, values: TensorLike, side: unknown, outType: unknown): Tensor {
  if (side !== "left" && side !== "right") throw new ValueError(opMessage(op, `side must be "left" or "right", got ${JSON.stringify(side)}`));
  if (outType !== "int32") throw new InvalidArgumentError(opMessage(op, `outType must be "int32", got ${JSON.stringify(outType)}`));
  return withTensors([sortedSequence, values], op, ([s, v]) => {
    checkDtype(op, s!.dtype, NUMERIC_REAL);
    if (s!.rank === 0 || v!.rank === 0) {
      throw new InvalidArgumentError(opMessage(op, `sortedSequence and values must have rank >= 1, got shapes [${s!.shape.join(",")}] and [${v!.shape.join(",")}]`));
    }
    const rows = sizeFromShape(s!.shape.slice(0, -1));
    if (rows !== sizeFromShape(v!.shape.slice(0, -1))) {
      throw new InvalidArgumentError(opMessage(op, `sortedSequence [${s!.shape.join(",")}] and values [${v!.shape.join(",")}] must have the same number of rows (product of the leading dimensions)`));
    }
    const n = s!.shape[s!.rank - 1]!, m = v!.shape[v!.rank - 1]!;
    return ENGINE.runKernel("SearchSorted", [s!, v!], { side }, { shape: [rows, m], dtype: "int32" }, [[rows, n], [rows, m]], v!.shape);
  });
}

/**
 * Where each of `values` would go in `sortedSequence` to keep it sorted, along the innermost axis
 * (TensorFlow's `tf.searchsorted`): row r of `values` searches row r of `sortedSequence` (their
 * leading dimensions must hold the same number of rows). `side: "left"` gives the first such
 * position, `"right"` the last. Result: int32 of `values.shape`. int32, float32, float64.
 */
export const searchsorted = defineOp("searchsorted", function searchsorted(sortedSequence: TensorLike, values: TensorLike, options: SearchSortedOptions = {}): Tensor {
  return searchSorted("SearchSorted", sortedSequence, values, options.side ?? "left", options.outType ?? "int32");
}, { method: false, args: 3, options: SEARCHSORTED_KEYS });

/**
 * `tf.searchsorted(sortedSequence, values, { side: "left" })` (TensorFlow's `LowerBound` op,
 * `tf.math.lowerBound` here): the first position where each value fits.
 */
export const lowerBound = defineOp("lowerBound", function lowerBound(sortedSequence: TensorLike, values: TensorLike, options: BoundOptions = {}): Tensor {
  return searchSorted("LowerBound", sortedSequence, values, "left", options.outType ?? "int32");
}, { paths: ["math.lowerBound"], method: false, args: 3, options: BOUND_KEYS });

/**
 * `tf.searchsorted(sortedSequence, values, { side: "right" })` (TensorFlow's `UpperBound` op,
 * `tf.math.upperBound` here): the last position where each value fits.
 */
export const upperBound = defineOp("upperBound", function upperBound(sortedSequence: TensorLike, values: TensorLike, options: BoundOptions = {}): Tensor {
  return searchSorted("UpperBound", sortedSequence, values, "right", options.outType ?? "int32");
}, { paths: ["math.upperBound"], method: false, args: 3, options: BOUND_KEYS });
