/**
 * Further `tf.math` ops written from primitives: safe divisions, `addN`, float predicates, `logicalXor`,
 * truncating integer division, `polyval`, and the variance-style reductions.
 */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { shapesEqual } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensors } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { add, floorDiv, mod, multiply, realdiv, subtract } from "./binary.js";
import { cast } from "./cast.js";
import { equal, less, logicalAnd, logicalOr, notEqual, where } from "./compare.js";
import { composite } from "./composite-utils.js";
import { identity } from "./identity.js";
import { FLOAT, checkDtype, disposeTemps } from "./op-utils.js";
import type { ReduceOptions } from "./reduce.js";
import { reduceMean, reduceSum, reductionAxes } from "./reduce.js";
import { abs, log, logicalNot, sqrt, square } from "./unary.js";
import { tidy } from "../engine/tidy.js";
import { defineOp } from "./table/define.js";
import { optionKeys } from "../options.js";

const REDUCE_KEYS = optionKeys<ReduceOptions>()("axis", "keepdims");

/** x / y, and 0 where y is 0 (TensorFlow's `tf.math.divide_no_nan`). float32, float64. */
export const divideNoNan = defineOp("divideNoNan", function divideNoNan(x: TensorLike, y: TensorLike): Tensor {
  return composite([x, y], "DivNoNan", ([a, b]) => {
    checkDtype("DivNoNan", a!.dtype, FLOAT);
    const zero = equal(b!, 0);
    return where(zero, 0, realdiv(a!, where(zero, 1, b!)));
  });
}, { paths: ["math.divideNoNan"] });

/** x · log(y), and 0 where x is 0 (TensorFlow's `tf.math.xlogy`). float32, float64. */
export const xlogy = defineOp("xlogy", function xlogy(x: TensorLike, y: TensorLike): Tensor {
  return composite([x, y], "Xlogy", ([a, b]) => {
    checkDtype("Xlogy", a!.dtype, FLOAT);
    const zero = equal(a!, 0);
    return where(zero, 0, multiply(a!, log(where(zero, 1, b!))));
  });
}, { paths: ["math.xlogy"] });

/** x / y, and 0 where x is 0 (TensorFlow's `tf.math.xdivy`). float32, float64. */
export const xdivy = defineOp("xdivy", function xdivy(x: TensorLike, y: TensorLike): Tensor {
  return composite([x, y], "Xdivy", ([a, b]) => {
    checkDtype("Xdivy", a!.dtype, FLOAT);
    const zero = equal(a!, 0);
    return where(zero, 0, realdiv(a!, where(zero, 1, b!)));
  });
}, { paths: ["math.xdivy"] });

/**
 * The elementwise sum of a list of tensors of one shape and dtype (TensorFlow's `tf.math.add_n`; no
 * broadcasting). int32, float32, float64, complex64.
 */
export const addN = defineOp("addN", function addN(inputs: readonly TensorLike[]): Tensor {
  if (!Array.isArray(inputs) || inputs.length === 0) throw new InvalidArgumentError(opMessage("AddN", "inputs must be a non-empty array of tensors"));
  const ts = toTensors(inputs, "AddN");
  try {
    const first = ts[0]!;
    for (const t of ts) {
      checkDtype("AddN", t.dtype, ["int32", "float32", "float64", "complex64"]);
      if (!shapesEqual(t.shape, first.shape)) {
        throw new InvalidArgumentError(opMessage("AddN", `inputs must all have the same shape, got [${first.shape.join(",")}] and [${t.shape.join(",")}]`));
      }
    }
    if (ts.length === 1) return identity(first);
    return tidy(() => ts.slice(1).reduce((acc, t) => add(acc, t), first));
  } finally {
    disposeTemps(inputs, ts);
  }
}, { paths: ["math.addN"], method: false });

/** Whether each element is +∞ or -∞ (TensorFlow's `tf.math.is_inf`). float32, float64 → bool. */
export const isInf = defineOp("isInf", function isInf(x: TensorLike): Tensor {
  return composite([x], "IsInf", ([t]) => {
    checkDtype("IsInf", t!.dtype, FLOAT);
    return equal(abs(t!), Infinity);
  });
}, { paths: ["math.isInf"] });

/** Whether each element is finite (neither ±∞ nor NaN; TensorFlow's `tf.math.is_finite`). float32, float64 → bool. */
export const isFinite = defineOp("isFinite", function isFinite(x: TensorLike): Tensor {
  return composite([x], "IsFinite", ([t]) => {
    checkDtype("IsFinite", t!.dtype, FLOAT);
    return less(abs(t!), Infinity);
  });
}, { paths: ["math.isFinite"] });

/** Exclusive or of two bool tensors, with broadcasting (TensorFlow's `tf.math.logical_xor`). */
export const logicalXor = defineOp("logicalXor", function logicalXor(x: TensorLike, y: TensorLike): Tensor {
  return composite([x, y], "LogicalXor", ([a, b]) => {
    checkDtype("LogicalXor", a!.dtype, ["bool"]);
    return logicalAnd(logicalOr(a!, b!), logicalNot(logicalAnd(a!, b!)));
  });
}, { paths: ["math.logicalXor"] });

/** Where the truncated quotient differs from the floored one: a remainder, and operands of opposite signs. */
function truncAdjust(a: Tensor, b: Tensor, r: Tensor): Tensor {
  return logicalAnd(notEqual(r, 0), notEqual(less(a, 0), less(b, 0)));
}

/**
 * Integer division rounding toward zero, as C does (TensorFlow's `tf.truncatediv`):
 * `truncatediv(-7, 2)` is -3 (`floorDiv` gives -4). int32; division by zero raises as `floorDiv` does.
 */
export const truncatediv = defineOp("truncatediv", function truncatediv(x: TensorLike, y: TensorLike): Tensor {
  return composite([x, y], "TruncateDiv", ([a, b]) => {
    checkDtype("TruncateDiv", a!.dtype, ["int32"]);
    const q = floorDiv(a!, b!);
    return where(truncAdjust(a!, b!, mod(a!, b!)), add(q, 1), q);
  });
}, { paths: ["math.truncatediv"] });

/**
 * Remainder of the division rounding toward zero, with the sign of `x`, as C's `%` (TensorFlow's
 * `tf.truncatemod`): `truncatemod(-7, 2)` is -1 (`mod` gives 1). int32; division by zero raises as `mod` does.
 */
export const truncatemod = defineOp("truncatemod", function truncatemod(x: TensorLike, y: TensorLike): Tensor {
  return composite([x, y], "TruncateMod", ([a, b]) => {
    checkDtype("TruncateMod", a!.dtype, ["int32"]);
    const r = mod(a!, b!);
    return where(truncAdjust(a!, b!, r), subtract(r, b!), r);
  });
}, { paths: ["math.truncatemod"] });

/**
 * The polynomial `coeffs[0]·xⁿ⁻¹ + … + coeffs[n-1]` at `x`, by Horner's rule (TensorFlow's
 * `tf.math.polyval`); coefficients broadcast against `x`. int32, float32, float64, complex64.
 */
export const polyval = defineOp("polyval", function polyval(coeffs: readonly TensorLike[], x: TensorLike): Tensor {
  if (!Array.isArray(coeffs)) throw new InvalidArgumentError(opMessage("Polyval", "coeffs must be an array of tensors or numbers"));
  return composite([x, ...coeffs], "Polyval", ([t, ...cs]) => {
    checkDtype("Polyval", t!.dtype, ["int32", "float32", "float64", "complex64"]);
    if (cs.length === 0) return multiply(t!, 0);
    let p = add(multiply(t!, 0), cs[0]!);
    for (const c of cs.slice(1)) p = add(multiply(p, t!), c);
    return p;
  });
}, { paths: ["math.polyval"], method: false });

/** Mean of squared deviations from the mean over `axis` (TensorFlow's `tf.math.reduce_variance`). float32, float64. */
export const reduceVariance = defineOp("reduceVariance", function reduceVariance(x: TensorLike, options: ReduceOptions = {}): Tensor {
  return composite([x], "ReduceVariance", ([t]) => {
    checkDtype("ReduceVariance", t!.dtype, FLOAT);
    const axis = reductionAxes(options.axis, t!.rank, "ReduceVariance");
    const mean = reduceMean(t!, { axis, keepdims: true });
    return reduceMean(square(subtract(t!, mean)), { axis, keepdims: options.keepdims ?? false });
  });
}, { paths: ["math.reduceVariance"], args: 2, options: REDUCE_KEYS });

/** Standard deviation over `axis`: √variance (TensorFlow's `tf.math.reduce_std`). float32, float64. */
export const reduceStd = defineOp("reduceStd", function reduceStd(x: TensorLike, options: ReduceOptions = {}): Tensor {
  return composite([x], "ReduceStd", ([t]) => sqrt(reduceVariance(t!, options)));
}, { paths: ["math.reduceStd"], args: 2, options: REDUCE_KEYS });

/** √Σx² over `axis` (TensorFlow's `tf.math.reduce_euclidean_norm`). float32, float64. */
export const reduceEuclideanNorm = defineOp("reduceEuclideanNorm", function reduceEuclideanNorm(x: TensorLike, options: ReduceOptions = {}): Tensor {
  return composite([x], "EuclideanNorm", ([t]) => {
    checkDtype("EuclideanNorm", t!.dtype, FLOAT);
    return sqrt(reduceSum(square(t!), options));
  });
}, { paths: ["math.reduceEuclideanNorm"], args: 2, options: REDUCE_KEYS });

/**
 * The number of non-zero (true, non-empty) elements over `axis`, as int32 (TensorFlow's
 * `tf.math.count_nonzero`, whose default output dtype int64 Tessera does not have).
 */
export const countNonzero = defineOp("countNonzero", function countNonzero(input: TensorLike, options: ReduceOptions = {}): Tensor {
  return composite([input], "CountNonzero", ([t]) => {
    checkDtype("CountNonzero", t!.dtype, ["bool", "int32", "float32", "float64", "complex64", "string"]);
    const nz = t!.dtype === "bool" ? t! : notEqual(t!, t!.dtype === "string" ? "" : 0);
    return reduceSum(cast(nz, "int32"), options);
  });
}, { paths: ["math.countNonzero"], args: 2, options: REDUCE_KEYS });
