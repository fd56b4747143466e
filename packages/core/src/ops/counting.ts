/**
 * Counting ops: `tf.math.bincount` and `tf.math.confusionMatrix` (their inputs are read to the host:
 * the output's size depends on the largest value, and TensorFlow's CPU checks reject negative or
 * out-of-range values; the counting itself is an UnsortedSegmentSum on the backend), and
 * `tf.math.inTopK` (comparisons and a sum, nothing read back).
 */
import type { BackendValues, DType } from "../dtypes.js";
import { DtypeError, InvalidArgumentError, opMessage } from "../errors.js";
import { optionKeys } from "../options.js";
import { describeDims, shapesEqual } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { greater, greaterEqual, less, logicalAnd, where } from "./compare.js";
import { cast } from "./cast.js";
import { checkInt, composite } from "./composite-utils.js";
import { constant, ones, range, zeros } from "./creation.js";
import { gather } from "./gather.js";
import { add, multiply } from "./binary.js";
import { isFinite } from "./math-extra.js";
import { NUMERIC_REAL, checkDtype } from "./op-utils.js";
import { reduceAll, reduceSum } from "./reduce.js";
import { expandDims, reshape } from "./reshape.js";
import { unsortedSegmentSum } from "./segment.js";
import { defineOp } from "./table/define.js";

/** Options of `tf.math.bincount` (TensorFlow's keyword arguments). */
export interface BincountOptions {
  /** Added to the bin of the matching `arr` element instead of 1 (same shape as `arr`); the output takes its dtype. */
  weights?: TensorLike;
  /** At least this many bins. */
  minlength?: number;
  /** At most this many bins; values at or past it are not counted. */
  maxlength?: number;
  /** Output dtype without weights: int32 (default), float32 or float64. */
  dtype?: DType;
  /** `undefined` or 0: count over all of `arr`; -1: count each row of a 2-D `arr` separately. */
  axis?: number;
  /** 1 for every bin that would be non-zero, 0 elsewhere (not with `weights`). */
  binaryOutput?: boolean;
}
const BINCOUNT_KEYS = optionKeys<BincountOptions>()("weights", "minlength", "maxlength", "dtype", "axis", "binaryOutput");

const COUNT_DTYPES: readonly DType[] = ["int32", "float32", "float64"];

function checkCountDtype(op: string, d: DType | undefined): DType {
  if (d !== undefined && !COUNT_DTYPES.includes(d)) throw new DtypeError(opMessage(op, `dtype must be int32, float32 or float64, got ${JSON.stringify(d)}`));
  return d ?? "int32";
}

/**
 * Counts how often each value occurs in the non-negative int32 `arr` (TensorFlow's
 * `tf.math.bincount`): bin v holds the number of elements equal to v, or the sum of their `weights`.
 * The number of bins is `max(arr) + 1` (0 for an empty `arr`), raised to `minlength` and cut to
 * `maxlength`, so the output's shape depends on the values, which are read synchronously. With
 * `axis: -1` a 2-D `arr` is counted row by row (`[rows, bins]`). Differentiable in `weights`.
 * `tf.math.bincount([1, 1, 2, 5])` → `[0, 2, 1, 0, 0, 1]`.
 */
export const bincount = defineOp("bincount", function bincount(arr: TensorLike, options: BincountOptions = {}): Tensor {
  const op = "Bincount";
  const { minlength, maxlength, axis, binaryOutput = false } = options;
  if (minlength !== undefined) checkInt(op, "minlength", minlength, 0);
  if (maxlength !== undefined) checkInt(op, "maxlength", maxlength, 0);
  if (axis !== undefined && axis !== 0 && axis !== -1) throw new InvalidArgumentError(opMessage(op, `axis must be 0, -1 or left out, got ${String(axis)}`));
  if (binaryOutput && options.weights !== undefined) throw new InvalidArgumentError(opMessage(op, "binaryOutput and weights are mutually exclusive"));
  const dtype = checkCountDtype(op, options.dtype);
  return composite([], op, () => {
    const a: Tensor | undefined = toTensor(arr, op, "int32");
    checkDtype(op, a.dtype, ["int32"]);
    const perRow = axis === -1;
    if (perRow && a!.rank !== 2) throw new InvalidArgumentError(opMessage(op, `axis -1 needs a 2-D arr, got shape ${describeDims(a!.shape)}`));
    const v = a!.dataSync() as BackendValues as Int32Array;
    let top = 0;
    for (let i = 0; i < v.length; i++) {
      if (v[i]! < 0) throw new InvalidArgumentError(opMessage(op, `Input arr must be non-negative, got ${v[i]} at flat position ${i}`));
      if (v[i]! + 1 > top) top = v[i]! + 1;
    }
    let bins = Math.max(top, minlength ?? 0);
    if (maxlength !== undefined) bins = Math.min(bins, maxlength);
    const rows = perRow ? a!.shape[0]! : 1;
    const inner = perRow ? a!.shape[1]! : v.length;
    const ids = new Int32Array(v.length);
    for (let i = 0; i < v.length; i++) ids[i] = v[i]! < bins ? Math.floor(i / Math.max(inner, 1)) * bins + v[i]! : -1;
    let w: Tensor;
    if (options.weights !== undefined) {
      w = toTensor(options.weights, op);
      checkDtype(op, w.dtype, COUNT_DTYPES);
      if (!shapesEqual(w.shape, a!.shape)) throw new InvalidArgumentError(opMessage(op, `weights shape ${describeDims(w.shape)} must match arr shape ${describeDims(a!.shape)}`));
      w = reshape(w, [v.length]);
    } else {
      w = ones([v.length], dtype);
    }
    let counts = unsortedSegmentSum(w, constant(ids), rows * bins);
    if (binaryOutput) counts = cast(greater(counts, 0), dtype);
    return reshape(counts, perRow ? [rows, bins] : [bins]);
  });
}, { paths: ["math.bincount"], args: 2, options: BINCOUNT_KEYS });

/** Options of `tf.math.confusionMatrix`. */
export interface ConfusionMatrixOptions {
  /** Number of classes (default: the largest label or prediction + 1, read from the values). */
  numClasses?: number;
  /** Each pair's contribution instead of 1 (same shape as `labels`). */
  weights?: TensorLike;
  /** Output dtype: int32 (default, or the weights' dtype), float32 or float64. */
  dtype?: DType;
}
const CONFUSION_KEYS = optionKeys<ConfusionMatrixOptions>()("numClasses", "weights", "dtype");

/**
 * The `[numClasses, numClasses]` confusion matrix of 1-D `labels` and `predictions` (TensorFlow's
 * `tf.math.confusion_matrix`): entry `[i, j]` counts (or sums the `weights` of) the positions where
 * the label is i and the prediction j. Float labels and predictions are truncated to integers, as
 * TensorFlow's cast does. The values are read synchronously: negative values or values not below
 * `numClasses` raise `InvalidArgumentError`, and without `numClasses` the largest sets the size.
 * `tf.math.confusionMatrix([1, 2, 4], [2, 2, 4])` → 5×5 with ones at [1, 2], [2, 2], [4, 4].
 */
export const confusionMatrix = defineOp("confusionMatrix", function confusionMatrix(labels: TensorLike, predictions: TensorLike, options: ConfusionMatrixOptions = {}): Tensor {
  const op = "ConfusionMatrix";
  if (options.numClasses !== undefined) checkInt(op, "numClasses", options.numClasses, 0);
  if (options.dtype !== undefined) checkCountDtype(op, options.dtype);
  return composite([], op, () => {
    const l = toTensor(labels, op, "int32");
    const p = toTensor(predictions, op, "int32");
    for (const [name, t] of [["labels", l], ["predictions", p]] as const) {
      checkDtype(op, t.dtype, NUMERIC_REAL);
      if (t.rank !== 1) throw new InvalidArgumentError(opMessage(op, `${name} must be a 1-D vector, got shape ${describeDims(t.shape)}`));
    }
    if (l.size !== p.size) throw new InvalidArgumentError(opMessage(op, `labels and predictions must have the same size, got ${l.size} and ${p.size}`));
    const lv = Array.from(l.dataSync() as ArrayLike<number>, Math.trunc);
    const pv = Array.from(p.dataSync() as ArrayLike<number>, Math.trunc);
    const all = [...lv, ...pv];
    all.forEach((x, i) => {
      if (!(x >= 0)) throw new InvalidArgumentError(opMessage(op, `${i < lv.length ? "labels" : "predictions"} must be non-negative, got ${x}`));
    });
    const n = options.numClasses ?? all.reduce((a, b) => Math.max(a, b + 1), 0);
    all.forEach((x, i) => {
      if (x >= n) throw new InvalidArgumentError(opMessage(op, `${i < lv.length ? "labels" : "predictions"} must be less than numClasses ${n}, got ${x}`));
    });
    let w: Tensor;
    if (options.weights !== undefined) {
      w = toTensor(options.weights, op, options.dtype);
      checkDtype(op, w.dtype, COUNT_DTYPES);
      if (options.dtype !== undefined && w.dtype !== options.dtype) throw new DtypeError(opMessage(op, `weights have dtype ${w.dtype} but dtype ${options.dtype} was asked for`));
      if (!shapesEqual(w.shape, l.shape)) throw new InvalidArgumentError(opMessage(op, `weights shape ${describeDims(w.shape)} must match labels shape ${describeDims(l.shape)}`));
    } else {
      w = ones([lv.length], options.dtype ?? "int32");
    }
    const ids = constant(Int32Array.from(lv, (x, i) => x * n + pv[i]!));
    return reshape(unsortedSegmentSum(w, ids, n * n), [n, n]);
  });
}, { paths: ["math.confusionMatrix"], args: 3, options: CONFUSION_KEYS });

/**
 * Whether each target is among the `k` largest predictions of its row (TensorFlow's
 * `tf.math.in_top_k(targets, predictions, k)`): true when fewer than k classes score strictly more
 * than the target, so ties at the boundary all count as in. A target outside `[0, classes)` or a row
 * holding a non-finite prediction gives false. `targets` int32 `[batch]`, `predictions` float
 * `[batch, classes]` → bool `[batch]`. No gradient.
 */
export const inTopK = defineOp("inTopK", function inTopK(targets: TensorLike, predictions: TensorLike, k: number): Tensor {
  const op = "InTopKV2";
  checkInt(op, "k", k);
  return composite([predictions], op, ([pr]) => {
    checkDtype(op, pr!.dtype, ["float32", "float64"]);
    const t = toTensor(targets, op, "int32");
    checkDtype(op, t.dtype, ["int32"]);
    if (pr!.rank !== 2) throw new InvalidArgumentError(opMessage(op, `predictions must be 2-dimensional, got shape ${describeDims(pr!.shape)}`));
    const [batch, classes] = pr!.shape as [number, number];
    if (t.rank !== 1 || t.shape[0] !== batch) {
      throw new InvalidArgumentError(opMessage(op, `targets must be 1-dimensional and match the batch size ${batch}, got shape ${describeDims(t.shape)}`));
    }
    if (batch === 0 || classes === 0) return zeros([batch], "bool");
    const valid = logicalAnd(greaterEqual(t, 0), less(t, classes));
    const safe = where(valid, t, 0);
    const flat = add(multiply(range(0, batch, 1, "int32"), classes), safe);
    const target = gather(reshape(pr!, [batch * classes]), flat);
    const more = reduceSum(cast(greater(pr!, expandDims(target, 1)), "int32"), { axis: 1 });
    const finite = reduceAll(isFinite(pr!), { axis: 1 });
    return logicalAnd(logicalAnd(valid, finite), less(more, k));
  });
}, { paths: ["math.inTopK"], method: false });
