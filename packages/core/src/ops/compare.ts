/** Comparisons and logical ops (bool results, no gradients), and `where`. */
import type { DType } from "../dtypes.js";
import { ValueError, opMessage } from "../errors.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { ANY, NUMERIC_REAL, checkDtype, runBroadcast, withTensors } from "./op-utils.js";
import { binaryOp, defineOp } from "./table/define.js";
import { whereIndices } from "./where-indices.js";

const toBool = (): DType => "bool";
const EQUALITY = ANY;
// Small values, so that ties (where comparisons differ) are common.
const NEAR = { min: -3, max: 3 } as const;
const NEAR_DOMAIN = { int32: [NEAR, NEAR], float32: [NEAR, NEAR], float64: [NEAR, NEAR] } as const;

/** a == b (any dtype; NaN is unequal to everything). `tf.math.equal`. */
export const equal = binaryOp("equal", "Equal", {
  paths: ["math.equal"], dtypes: EQUALITY, out: toBool, gradient: null,
  test: {
    real: (a, b) => (a === b ? 1 : 0), string: (a, b) => (a === b ? 1 : 0),
    complex: (ar, ai, br, bi) => [ar === br && ai === bi ? 1 : 0, 0], domain: NEAR_DOMAIN,
  },
});

/** a != b (any dtype). `tf.math.notEqual`. */
export const notEqual = binaryOp("notEqual", "NotEqual", {
  paths: ["math.notEqual"], dtypes: EQUALITY, out: toBool, gradient: null,
  test: {
    real: (a, b) => (a !== b ? 1 : 0), string: (a, b) => (a !== b ? 1 : 0),
    complex: (ar, ai, br, bi) => [ar === br && ai === bi ? 0 : 1, 0], domain: NEAR_DOMAIN,
  },
});

/** a < b. `tf.math.less`. */
export const less = binaryOp("less", "Less", {
  paths: ["math.less"], dtypes: NUMERIC_REAL, out: toBool, gradient: null, test: { real: (a, b) => (a < b ? 1 : 0), domain: NEAR_DOMAIN },
});

/** a ≤ b. `tf.math.lessEqual`. */
export const lessEqual = binaryOp("lessEqual", "LessEqual", {
  paths: ["math.lessEqual"], dtypes: NUMERIC_REAL, out: toBool, gradient: null, test: { real: (a, b) => (a <= b ? 1 : 0), domain: NEAR_DOMAIN },
});

/** a > b. `tf.math.greater`. */
export const greater = binaryOp("greater", "Greater", {
  paths: ["math.greater"], dtypes: NUMERIC_REAL, out: toBool, gradient: null, test: { real: (a, b) => (a > b ? 1 : 0), domain: NEAR_DOMAIN },
});

/** a ≥ b. `tf.math.greaterEqual`. */
export const greaterEqual = binaryOp("greaterEqual", "GreaterEqual", {
  paths: ["math.greaterEqual"], dtypes: NUMERIC_REAL, out: toBool, gradient: null, test: { real: (a, b) => (a >= b ? 1 : 0), domain: NEAR_DOMAIN },
});

/** Elementwise AND of bool tensors. `tf.math.logicalAnd`. */
export const logicalAnd = binaryOp("logicalAnd", "LogicalAnd", {
  paths: ["math.logicalAnd"], dtypes: ["bool"], gradient: null, test: { bool: (a, b) => (a && b ? 1 : 0) },
});

/** Elementwise OR of bool tensors. `tf.math.logicalOr`. */
export const logicalOr = binaryOp("logicalOr", "LogicalOr", {
  paths: ["math.logicalOr"], dtypes: ["bool"], gradient: null, test: { bool: (a, b) => (a || b ? 1 : 0) },
});

function whereImpl(condition: TensorLike): Tensor;
function whereImpl(condition: TensorLike, x: TensorLike, y: TensorLike): Tensor;
function whereImpl(condition: TensorLike, x?: TensorLike, y?: TensorLike): Tensor {
  if (x === undefined && y === undefined) return whereIndices(condition);
  if (x === undefined || y === undefined) {
    throw new ValueError(opMessage("SelectV2", "x and y must both be given (to pick from them) or both be left out (for the coordinates of the true elements)"));
  }
  const c = toTensor(condition, "SelectV2", "bool");
  try {
    checkDtype("SelectV2", c.dtype, ["bool"]);
    return withTensors([x, y], "SelectV2", ([a, b]) => runBroadcast("Where", [c, a!, b!], a!.dtype));
  } finally {
    if (c !== condition) c.dispose();
  }
}

/**
 * TensorFlow's `tf.where`. With three arguments, picks `x` where `condition` is true and `y`
 * elsewhere; all three broadcast (SelectV2). With `condition` alone, returns the int32 coordinates,
 * shape `[n, condition.rank]`, of its n true (non-zero) elements in row-major order — the output's
 * shape depends on the values, which are read synchronously (on WebGPU in a browser use
 * `await tf.whereAsync(condition)`). `tf.where([true, false, true])` → `[[0], [2]]`.
 */
export const where = defineOp("where", whereImpl, { method: false, args: 3 });
