/**
 * Elementwise binary arithmetic with NumPy broadcasting: one entry per kernel (see `table/define.ts`),
 * plus the composites `divide` (TensorFlow's true division) and `squaredDifference`. Each gradient is
 * written for the broadcast shape; the table sums it back to each input's shape.
 */
import { conjIfComplex } from "../gradients/grad-utils.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { cast } from "./cast.js";
import { greater, greaterEqual, lessEqual, where } from "./compare.js";
import { FLOAT, NUMERIC, NUMERIC_REAL, checkDtype, withTensors } from "./op-utils.js";
import { binaryOp, defineOp } from "./table/define.js";
import { log, neg, square } from "./unary.js";

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const INT_FULL = { min: INT_MIN, max: INT_MAX } as const;
const FLOAT_COMPLEX = ["float32", "float64", "complex64"] as const;

type C = readonly [number, number];

/** Python's floor division on exact integers (the int32 reference). */
function floorDivBig(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** aᵇ on int32 with two's-complement wrap-around, by squaring (exact for any exponent ≥ 0). */
function intPow(a: number, b: number): bigint {
  let r = 1n;
  let x = BigInt.asIntN(32, BigInt(a));
  for (let e = b; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) r = BigInt.asIntN(32, r * x);
    x = BigInt.asIntN(32, x * x);
  }
  return r;
}

/** C's `pow`: differs from JS's Math.pow at pow(1, NaN) = 1 and pow(-1, ±Inf) = 1. */
function cPow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

/** a + b. `tf.math.add`. */
export const add = binaryOp("add", "Add", {
  paths: ["math.add"],
  dtypes: NUMERIC,
  gradient: { grad: [(dy): Tensor => dy, (dy): Tensor => dy] },
  test: { real: (a, b) => a + b, int: (a, b) => BigInt(a) + BigInt(b), complex: (ar, ai, br, bi): C => [ar + br, ai + bi], domain: { int32: [INT_FULL, INT_FULL] } },
});

/** a − b. `tf.math.subtract`. */
export const subtract = binaryOp("subtract", "Sub", {
  paths: ["math.subtract"],
  dtypes: NUMERIC,
  gradient: { grad: [(dy): Tensor => dy, (dy): Tensor => neg(dy)] },
  test: { real: (a, b) => a - b, int: (a, b) => BigInt(a) - BigInt(b), complex: (ar, ai, br, bi): C => [ar - br, ai - bi], domain: { int32: [INT_FULL, INT_FULL] } },
});

/** a · b. `tf.math.multiply`. */
export const multiply = binaryOp("multiply", "Mul", {
  paths: ["math.multiply"],
  dtypes: NUMERIC,
  gradient: { save: ["a", "b"], grad: [(dy, { b }): Tensor => multiply(dy, conjIfComplex(b)), (dy, { a }): Tensor => multiply(conjIfComplex(a), dy)] },
  test: {
    real: (a, b) => a * b,
    int: (a, b) => BigInt(a) * BigInt(b),
    complex: (ar, ai, br, bi): C => [ar * br - ai * bi, ar * bi + ai * br],
    domain: { int32: [INT_FULL, INT_FULL] },
    gradRange: [[-2, 2], [-1.5, 2.5]],
  },
});

/** a / b for floating and complex dtypes (no integer promotion). `tf.math.realdiv`. */
export const realdiv = binaryOp("realdiv", "Div", {
  paths: ["math.realdiv"],
  dtypes: FLOAT_COMPLEX,
  gradient: {
    save: ["a", "b"],
    grad: [(dy, { b }): Tensor => realdiv(dy, conjIfComplex(b)), (dy, { a, b }): Tensor => multiply(dy, conjIfComplex(realdiv(realdiv(neg(a), b), b)))],
  },
  test: {
    real: (a, b) => a / b,
    complex: (ar, ai, br, bi): C => {
      const d = br * br + bi * bi;
      return [(ar * br + ai * bi) / d, (ai * br - ar * bi) / d];
    },
    domain: { complex64: [{}, { nonZero: true }] },
    gradRange: [[-2, 2], [0.5, 2]],
  },
});

/**
 * ⌊a / b⌋ (Python semantics for negative operands). `tf.math.floordiv`.
 * int32 division by zero raises `InvalidArgumentError` ("Integer division by zero") on js and wasm, as
 * TensorFlow's CPU kernels do; on webgpu, where a GPU kernel cannot raise, it gives 0.
 */
export const floorDiv = binaryOp("floorDiv", "FloorDiv", {
  paths: ["math.floordiv"],
  dtypes: NUMERIC_REAL,
  gradient: null,
  test: {
    real: (a, b) => Math.floor(a / b),
    int: (a, b) => floorDivBig(BigInt(a), BigInt(b)),
    // INT_MIN / -1 overflows (wraps); the property stays above it and checks wrapping in the edges.
    domain: { int32: [{ min: INT_MIN + 1, max: INT_MAX }, { nonZero: true }] },
    edges: { int: [[0, 1, -1, 7, -7, 8, -8, INT_MAX, INT_MIN + 1], [1, -1, 2, -2, 3, -3, 8, INT_MAX, INT_MIN]] },
  },
});

/**
 * a − ⌊a / b⌋·b: the result has the divisor's sign, as Python's `%`. `tf.math.floormod`, `tf.math.mod`.
 * int32 modulo zero raises `InvalidArgumentError` on js and wasm (TensorFlow's CPU kernels); webgpu gives 0.
 */
export const mod = binaryOp("mod", "FloorMod", {
  paths: ["math.floormod", "math.mod"],
  dtypes: NUMERIC_REAL,
  // a mod b = a − ⌊a/b⌋·b, and ⌊a/b⌋ is locally constant.
  gradient: { save: ["a", "b"], grad: [(dy): Tensor => dy, (dy, { a, b }): Tensor => multiply(dy, neg(floorDiv(a, b)))] },
  test: {
    real: (a, b) => {
      const r = a % b;
      return r !== 0 && r < 0 !== b < 0 ? r + b : r;
    },
    int: (a, b) => BigInt(a) - floorDivBig(BigInt(a), BigInt(b)) * BigInt(b),
    domain: { int32: [{ min: INT_MIN + 1, max: INT_MAX }, { nonZero: true }] },
    edges: { int: [[0, 1, -1, 7, -7, 8, -8, INT_MAX, INT_MIN + 1], [1, -1, 2, -2, 3, -3, 8, INT_MAX, INT_MIN]] },
    gradRange: [[2.2, 2.8], [1, 1.05]],
  },
});

/**
 * aᵇ (C's `pow` for floats). `tf.math.pow`. For int32 a negative exponent raises `InvalidArgumentError`
 * on js and wasm, as TensorFlow's CPU kernels do; on webgpu it gives 0 (1 or ±1 for bases 1 and −1).
 */
export const pow = binaryOp("pow", "Pow", {
  paths: ["math.pow"],
  dtypes: NUMERIC_REAL,
  gradient: {
    save: ["a", "b", "y"],
    grad: [
      (dy, { a, b }): Tensor => multiply(dy, multiply(b, pow(a, subtract(b, 1)))),
      (dy, { a, y }): Tensor => {
        // d(aᵇ)/db = aᵇ·log a, taken as 0 where a ≤ 0 (the double where keeps NaN out of higher orders).
        const positive = greater(a, 0);
        return multiply(dy, multiply(y, where(positive, log(where(positive, a, 1)), 0)));
      },
    ],
  },
  test: {
    real: cPow,
    int: intPow,
    domain: { float32: [{ min: -10, max: 10 }, { min: -4, max: 4 }], float64: [{ min: -10, max: 10 }, { min: -4, max: 4 }], int32: [{ min: -1000, max: 1000 }, { min: 0, max: 8 }] },
    edges: { int: [[0, 1, -1, 2, -2, 3, -3, 7], [0, 1, 2, 3, 5, 31]] },
    gradRange: [[0.5, 2], [-1.5, 1.5]],
  },
});

/** Elementwise maximum (NaN propagates; ties send the gradient to `a`). `tf.math.maximum`. */
export const maximum = binaryOp("maximum", "Maximum", {
  paths: ["math.maximum"],
  dtypes: NUMERIC_REAL,
  gradient: { save: ["a", "b"], grad: [(dy, { a, b }): Tensor => where(greaterEqual(a, b), dy, 0), (dy, { a, b }): Tensor => where(greaterEqual(a, b), 0, dy)] },
  test: { real: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b), gradRange: [[-2, 2], [-1.9, 1.9]] },
});

/** Elementwise minimum (NaN propagates; ties send the gradient to `a`). `tf.math.minimum`. */
export const minimum = binaryOp("minimum", "Minimum", {
  paths: ["math.minimum"],
  dtypes: NUMERIC_REAL,
  gradient: { save: ["a", "b"], grad: [(dy, { a, b }): Tensor => where(lessEqual(a, b), dy, 0), (dy, { a, b }): Tensor => where(lessEqual(a, b), 0, dy)] },
  test: { real: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b), gradRange: [[-2, 2], [-1.9, 1.9]] },
});

/** The angle of the point (x, y) = (b, a): atan(a / b) in the right quadrant, in (−π, π]. `tf.math.atan2(y, x)`. */
export const atan2 = binaryOp("atan2", "Atan2", {
  paths: ["math.atan2"],
  dtypes: FLOAT,
  // ∂/∂y = x / (x² + y²), ∂/∂x = −y / (x² + y²).
  gradient: {
    save: ["a", "b"],
    grad: [(dy, { a, b }): Tensor => realdiv(multiply(dy, b), add(square(a), square(b))), (dy, { a, b }): Tensor => realdiv(multiply(dy, neg(a)), add(square(a), square(b)))],
  },
  test: { real: Math.atan2, gradRange: [[0.5, 2], [-2, -0.5]] },
});

/**
 * True division, as TensorFlow's `/`: int32 operands are converted to float64 first
 * (`tf.divide(5, 2)` is 2.5, float64). `tf.math.divide`, `tf.math.truediv`.
 */
export const divide = defineOp("divide", (a: TensorLike, b: TensorLike): Tensor =>
  withTensors([a, b], "Div", ([x, y]) => {
    if (x!.dtype !== "int32") return realdiv(x!, y!);
    const fx = cast(x!, "float64");
    const fy = cast(y!, "float64");
    try {
      return realdiv(fx, fy);
    } finally {
      fx.dispose();
      fy.dispose();
    }
  }), { paths: ["math.divide", "math.truediv"] });

/** (a − b)². `tf.math.squaredDifference`. */
export const squaredDifference = defineOp("squaredDifference", (a: TensorLike, b: TensorLike): Tensor =>
  withTensors([a, b], "SquaredDifference", ([x, y]) => {
    checkDtype("SquaredDifference", x!.dtype, NUMERIC_REAL);
    const d = subtract(x!, y!);
    try {
      return square(d);
    } finally {
      d.dispose();
    }
  }), { paths: ["math.squaredDifference"] });
