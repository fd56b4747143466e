/** Reductions over axes, and argmax/argmin. Gradients in reduce.grad.ts. */
import type { DType } from "../dtypes.js";
import { InvalidArgumentError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import type { ReduceKernelName } from "./table/structured.js";
import { STRUCTURED_KERNELS } from "./table/structured.js";
import { normalizeAxis, sizeFromShape } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { add, divide, floorDiv, mod, subtract } from "./binary.js";
import { cast } from "./cast.js";
import { equal, less, logicalAnd, notEqual, where } from "./compare.js";
import { stopGradient } from "./identity.js";
import { NUMERIC, Temps, checkDtype } from "./op-utils.js";
import { reshape } from "./reshape.js";
import { transpose } from "./transpose.js";
import { exp, log } from "./unary.js";
import { defineOp } from "./table/define.js";
import { optionKeys } from "../options.js";

/** Options of the reductions. */
export interface ReduceOptions {
  /** The axes to reduce (negative counts from the end); all of them when omitted. An axis named twice raises InvalidArgumentError, as TensorFlow. */
  axis?: number | readonly number[];
  /** Keep reduced axes with size 1 (default false). */
  keepdims?: boolean;
}
const REDUCE_KEYS = optionKeys<ReduceOptions>()("axis", "keepdims");


/** Sorted, non-negative axes; an axis named twice raises InvalidArgumentError, as TensorFlow. */
export function reductionAxes(axis: number | readonly number[] | undefined, rank: number, op: string): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out = new Set<number>();
  for (const a of list) {
    if (rank === 0 && (a === 0 || a === -1)) continue;
    const n = normalizeAxis(a, rank, op);
    if (out.has(n)) throw new InvalidArgumentError(opMessage(op, `Invalid reduction arguments: Axes contains duplicate dimension: ${n}`));
    out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

/** Shape of a reduction's result (with keepdims: reduced axes become 1). */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  const drop = new Set(axes);
  return keepdims ? shape.map((d, i) => (drop.has(i) ? 1 : d)) : shape.filter((_, i) => !drop.has(i));
}

/**
 * Runs a reduce kernel in its canonical `[outer, n, inner]` form: contiguous axes are merged for free;
 * scattered axes are first transposed to the end.
 */
function runReduce(k: ReduceKernelName, t: Tensor, axes: readonly number[], outShape: number[], outDtype: DType): Tensor {
  const rank = t.rank;
  const contiguous = axes.length === 0 || axes[axes.length - 1]! - axes[0]! === axes.length - 1;
  if (contiguous) {
    const first = axes.length ? axes[0]! : rank;
    const last = axes.length ? axes[axes.length - 1]! : rank - 1;
    const view = [sizeFromShape(t.shape.slice(0, first)), sizeFromShape(t.shape.slice(first, last + 1)), sizeFromShape(t.shape.slice(last + 1))];
    return ENGINE.runKernel(k, [t], {}, { shape: [view[0]!, view[2]!], dtype: outDtype }, [view], outShape);
  }
  const keep = t.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const moved = transpose(t, [...keep, ...axes]);
  try {
    return runReduce(k, moved, axes.map((_, i) => keep.length + i), outShape, outDtype);
  } finally {
    moved.dispose();
  }
}

function reduceWith(k: Exclude<ReduceKernelName, "ArgMax" | "ArgMin">, x: TensorLike, opts: ReduceOptions = {}): Tensor {
  const t = toTensor(x, k);
  try {
    checkDtype(k, t.dtype, STRUCTURED_KERNELS[k].dtypes);
    const axes = reductionAxes(opts.axis, t.rank, k);
    const outShape = reducedShape(t.shape, axes, opts.keepdims ?? false);
    if (axes.length === 0) return ENGINE.runView("Identity", t, outShape, {});
    return runReduce(k, t, axes, outShape, t.dtype);
  } finally {
    if (t !== x) t.dispose();
  }
}

/** Sum over `axis` (all axes by default). */
export const reduceSum = defineOp("reduceSum", (x: TensorLike, opts?: ReduceOptions): Tensor => reduceWith("Sum", x, opts), { paths: ["math.reduceSum"], options: REDUCE_KEYS });
/** Product over `axis`. */
export const reduceProd = defineOp("reduceProd", (x: TensorLike, opts?: ReduceOptions): Tensor => reduceWith("Prod", x, opts), { paths: ["math.reduceProd"], options: REDUCE_KEYS });
/** Maximum over `axis` (NaN propagates). */
export const reduceMax = defineOp("reduceMax", (x: TensorLike, opts?: ReduceOptions): Tensor => reduceWith("Max", x, opts), { paths: ["math.reduceMax"], options: REDUCE_KEYS });
/** Minimum over `axis` (NaN propagates). */
export const reduceMin = defineOp("reduceMin", (x: TensorLike, opts?: ReduceOptions): Tensor => reduceWith("Min", x, opts), { paths: ["math.reduceMin"], options: REDUCE_KEYS });
/** Logical AND over `axis` (bool). */
export const reduceAll = defineOp("reduceAll", (x: TensorLike, opts?: ReduceOptions): Tensor => reduceWith("All", x, opts), { paths: ["math.reduceAll"], options: REDUCE_KEYS });
/** Logical OR over `axis` (bool). */
export const reduceAny = defineOp("reduceAny", (x: TensorLike, opts?: ReduceOptions): Tensor => reduceWith("Any", x, opts), { paths: ["math.reduceAny"], options: REDUCE_KEYS });

/**
 * Mean over `axis`. For int32 the mean is truncated toward zero, as TensorFlow's integer mean, and
 * computed in int32 (no float64 needed, so it works on backends without it).
 */
export const reduceMean = defineOp("reduceMean", function reduceMean(x: TensorLike, opts: ReduceOptions = {}): Tensor {
  const t = toTensor(x, "Mean");
  const tmp = new Temps();
  try {
    checkDtype("Mean", t.dtype, NUMERIC);
    const axes = reductionAxes(opts.axis, t.rank, "Mean");
    let count = 1;
    for (const a of axes) count *= t.shape[a]!;
    const sum = tmp.keep(reduceSum(t, opts));
    if (t.dtype !== "int32") return divide(sum, count);
    // trunc(s / n) = floor(s / n), plus 1 where s is negative and not a multiple of n (n > 0).
    const q = tmp.keep(floorDiv(sum, count));
    const inexact = tmp.keep(logicalAnd(tmp.keep(less(sum, 0)), tmp.keep(notEqual(tmp.keep(mod(sum, count)), 0))));
    return add(q, tmp.keep(cast(inexact, "int32")));
  } finally {
    tmp.dispose();
    if (t !== x) t.dispose();
  }
}, { paths: ["math.reduceMean"], args: 2, options: REDUCE_KEYS });

/**
 * log(Σ exp(x)) over `axis`, computed stably (the maximum is subtracted first; rows of -Inf give -Inf).
 */
export const reduceLogSumExp = defineOp("reduceLogSumExp", function reduceLogSumExp(x: TensorLike, opts: ReduceOptions = {}): Tensor {
  const t = toTensor(x, "ReduceLogSumExp");
  const tmp = new Temps();
  const keep = <T extends Tensor>(v: T): T => tmp.keep(v);
  try {
    checkDtype("ReduceLogSumExp", t.dtype, ["float32", "float64"]);
    const axes = reductionAxes(opts.axis, t.rank, "ReduceLogSumExp");
    const rawMax = keep(reduceMax(t, { axis: axes, keepdims: true }));
    // A non-finite max (all -Inf, or Inf) is replaced by 0 so that x - max stays meaningful.
    const finite = keep(equal(keep(subtract(rawMax, rawMax)), 0));
    const max = keep(stopGradient(keep(where(finite, rawMax, 0))));
    const sumExp = keep(reduceSum(keep(exp(keep(subtract(t, max)))), { axis: axes, keepdims: true }));
    const lse = keep(add(keep(log(sumExp)), max));
    return reshape(lse, reducedShape(t.shape, axes, opts.keepdims ?? false));
  } finally {
    tmp.dispose();
    if (t !== x) t.dispose();
  }
}, { paths: ["math.reduceLogsumexp"], args: 2, options: REDUCE_KEYS });

function argReduce(k: "ArgMax" | "ArgMin", x: TensorLike, axis = 0): Tensor {
  const t = toTensor(x, k);
  try {
    checkDtype(k, t.dtype, STRUCTURED_KERNELS[k].dtypes);
    if (t.rank === 0) throw new InvalidArgumentError(opMessage(k, `${k} needs a tensor of rank >= 1, got a scalar`));
    const ax = normalizeAxis(axis, t.rank, k);
    if (t.shape[ax] === 0) throw new InvalidArgumentError(opMessage(k, `Reduction axis ${ax} is empty in shape [${t.shape.join(",")}]`));
    return runReduce(k, t, [ax], reducedShape(t.shape, [ax], false), "int32");
  } finally {
    if (t !== x) t.dispose();
  }
}

/** Index (int32) of the largest value along `axis` (default 0); the first one on ties. */
export const argmax = defineOp("argmax", (x: TensorLike, axis?: number): Tensor => argReduce("ArgMax", x, axis), { paths: ["math.argmax"] });
/** Index (int32) of the smallest value along `axis` (default 0); the first one on ties. */
export const argmin = defineOp("argmin", (x: TensorLike, axis?: number): Tensor => argReduce("ArgMin", x, axis), { paths: ["math.argmin"] });
