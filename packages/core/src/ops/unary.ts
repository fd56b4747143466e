/**
 * Elementwise unary ops: one entry per kernel (see `table/define.ts`). Each entry is the public
 * function, and declares its kernel's dtypes, output dtype, gradient, float64 reference and test
 * domains — everything the backends, the conformance suite and the gradient checks derive from.
 * Complex gradients follow TensorFlow: dy · conj(f′(z)).
 */
import { conjIfComplex } from "../gradients/grad-utils.js";
import type { Tensor } from "../tensor/tensor.js";
import { add, multiply, realdiv, subtract } from "./binary.js";
import { equal, greater, where } from "./compare.js";
import { complex } from "./complex.js";
import { zerosLike } from "./creation.js";
import { FLOAT, FLOAT_COMPLEX, NUMERIC, NUMERIC_REAL } from "./op-utils.js";
import { unaryOp } from "./table/define.js";

/** Round half to even (TensorFlow's Round, NumPy's rint): the float64 reference. */
function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 && x < 0 ? -0 : r;
}

/** The principal square root of re + i·im, without cancellation (imaginary part with the sign of im). */
function complexSqrt(re: number, im: number): readonly [number, number] {
  const m = Math.hypot(re, im);
  if (m === 0) return [0, im];
  if (re >= 0) {
    const t = Math.sqrt((m + re) / 2);
    return [t, im / (2 * t)];
  }
  const t = Math.sqrt((m - re) / 2);
  return [Math.abs(im) / (2 * t), im < 0 ? -t : t];
}

// Value ranges that exercise the exponentials past float overflow (float64 reaches 709 and beyond).
const EXP_RANGE = { float32: { min: -100, max: 100 }, float64: { min: -1000, max: 1000 } } as const;
const INT_FULL = { min: -2147483648, max: 2147483647 } as const;

/** -x. `tf.math.negative`. */
export const neg = unaryOp("neg", "Neg", {
  paths: ["math.negative"],
  dtypes: NUMERIC,
  gradient: { grad: (dy: Tensor): Tensor => neg(dy) },
  test: { real: (x) => -x, int: (x) => -BigInt(x), complex: (re, im) => [-re, -im], domain: { int32: INT_FULL } },
});

/** |x|; the magnitude (float32) for complex64. `tf.math.abs`. */
export const abs = unaryOp("abs", "Abs", {
  paths: ["math.abs"],
  dtypes: NUMERIC,
  out: (d) => (d === "complex64" ? "float32" : d),
  gradient: {
    save: "input",
    grad: (dy, x): Tensor => {
      if (x.dtype !== "complex64") return multiply(dy, sign(x));
      // d|z| = z / |z| (TensorFlow's convention), 0 at z = 0.
      const r = abs(x);
      const zero = zerosLike(dy);
      const g = realdiv(multiply(complex(dy, zero), x), complex(r, zero));
      return where(equal(r, 0), 0, g);
    },
  },
  test: { real: Math.abs, int: (x) => (x < 0 ? -BigInt(x) : BigInt(x)), complex: (re, im) => [Math.hypot(re, im), 0], domain: { int32: INT_FULL } },
});

/** -1, 0 or 1 (±0 and NaN are kept). Its gradient is zero, as TensorFlow's. `tf.math.sign`. */
export const sign = unaryOp("sign", "Sign", {
  paths: ["math.sign"],
  dtypes: NUMERIC_REAL,
  gradient: { grad: (dy: Tensor): Tensor => zerosLike(dy) },
  test: { real: (x) => (x > 0 ? 1 : x < 0 ? -1 : x) },
});

/** x². `tf.math.square`. */
export const square = unaryOp("square", "Square", {
  paths: ["math.square"],
  dtypes: NUMERIC,
  gradient: { save: "input", grad: (dy, x): Tensor => multiply(dy, multiply(conjIfComplex(x), 2)) },
  test: { real: (x) => x * x, int: (x) => BigInt(x) * BigInt(x), complex: (re, im) => [re * re - im * im, 2 * re * im], domain: { int32: INT_FULL } },
});

/** √x. `tf.math.sqrt`. */
export const sqrt = unaryOp("sqrt", "Sqrt", {
  paths: ["math.sqrt"],
  dtypes: FLOAT_COMPLEX,
  gradient: { save: "output", grad: (dy, y): Tensor => realdiv(dy, multiply(conjIfComplex(y), 2)) },
  test: { real: Math.sqrt, complex: complexSqrt, gradRange: [[0.5, 2]] },
});

/** 1/√x. `tf.math.rsqrt`. */
export const rsqrt = unaryOp("rsqrt", "Rsqrt", {
  paths: ["math.rsqrt"],
  dtypes: FLOAT,
  gradient: { save: "output", grad: (dy, y): Tensor => multiply(dy, multiply(multiply(square(y), y), -0.5)) },
  test: { real: (x) => 1 / Math.sqrt(x), gradRange: [[0.5, 2]] },
});

/** eˣ. `tf.math.exp`. */
export const exp = unaryOp("exp", "Exp", {
  paths: ["math.exp"],
  dtypes: FLOAT_COMPLEX,
  gradient: { save: "output", grad: (dy, y): Tensor => multiply(dy, conjIfComplex(y)) },
  test: { real: Math.exp, complex: (re, im) => [Math.exp(re) * Math.cos(im), Math.exp(re) * Math.sin(im)], domain: EXP_RANGE },
});

/** Natural logarithm. `tf.math.log`. */
export const log = unaryOp("log", "Log", {
  paths: ["math.log"],
  dtypes: FLOAT_COMPLEX,
  gradient: { save: "input", grad: (dy, x): Tensor => realdiv(dy, conjIfComplex(x)) },
  test: { real: Math.log, complex: (re, im) => [Math.log(Math.hypot(re, im)), Math.atan2(im, re)], domain: { complex64: { nonZero: true } }, gradRange: [[0.5, 2.5]] },
});

/** log(1 + x), accurate for small x. `tf.math.log1p`. */
export const log1p = unaryOp("log1p", "Log1p", {
  paths: ["math.log1p"],
  dtypes: FLOAT,
  gradient: { save: "input", grad: (dy, x): Tensor => realdiv(dy, add(x, 1)) },
  test: { real: Math.log1p, gradRange: [[-0.5, 2]] },
});

/** Sine. `tf.math.sin`. */
export const sin = unaryOp("sin", "Sin", {
  paths: ["math.sin"],
  dtypes: FLOAT,
  gradient: { save: "input", grad: (dy, x): Tensor => multiply(dy, cos(x)) },
  test: { real: Math.sin, domain: { float32: { min: -50, max: 50 }, float64: { min: -50, max: 50 } } },
});

/** Cosine. `tf.math.cos`. */
export const cos = unaryOp("cos", "Cos", {
  paths: ["math.cos"],
  dtypes: FLOAT,
  gradient: { save: "input", grad: (dy, x): Tensor => neg(multiply(dy, sin(x))) },
  test: { real: Math.cos, domain: { float32: { min: -50, max: 50 }, float64: { min: -50, max: 50 } } },
});

/** Tangent. `tf.math.tan`. */
export const tan = unaryOp("tan", "Tan", {
  paths: ["math.tan"],
  dtypes: FLOAT,
  // tan′(x) = 1 / cos²(x).
  gradient: { save: "input", grad: (dy, x): Tensor => realdiv(dy, square(cos(x))) },
  test: { real: Math.tan, domain: { float32: { min: -50, max: 50 }, float64: { min: -50, max: 50 } }, gradRange: [[-1.2, 1.2]] },
});

/** Hyperbolic tangent. `tf.math.tanh`. */
export const tanh = unaryOp("tanh", "Tanh", {
  paths: ["math.tanh"],
  dtypes: FLOAT,
  // Written on the saved output y, so the second derivative flows through y (tfjs issue 3252 did not).
  gradient: { save: "output", grad: (dy, y): Tensor => multiply(dy, subtract(1, square(y))) },
  test: { real: Math.tanh, domain: EXP_RANGE },
});

/** 1 / (1 + e⁻ˣ). `tf.math.sigmoid`, `tf.nn.sigmoid`. */
export const sigmoid = unaryOp("sigmoid", "Sigmoid", {
  paths: ["math.sigmoid", "nn.sigmoid"],
  dtypes: FLOAT,
  gradient: { save: "output", grad: (dy, y): Tensor => multiply(dy, multiply(y, subtract(1, y))) },
  test: { real: (x) => 1 / (1 + Math.exp(-x)), domain: EXP_RANGE },
});

/** max(x, 0) (NaN stays NaN). `tf.nn.relu`. */
export const relu = unaryOp("relu", "Relu", {
  paths: ["nn.relu"],
  dtypes: NUMERIC_REAL,
  gradient: { save: "output", grad: (dy, y): Tensor => where(greater(y, 0), dy, 0) },
  test: { real: (x) => (x > 0 ? x : x !== x ? x : 0) },
});

/** x for x > 0, eˣ − 1 otherwise. `tf.nn.elu`. */
export const elu = unaryOp("elu", "Elu", {
  paths: ["nn.elu"],
  dtypes: FLOAT,
  // elu′(x) = 1 for x > 0, eˣ = y + 1 otherwise.
  gradient: { save: "output", grad: (dy, y): Tensor => where(greater(y, 0), dy, multiply(dy, add(y, 1))) },
  test: { real: (x) => (x > 0 ? x : Math.expm1(x)), domain: EXP_RANGE },
});

/** log(1 + eˣ), computed without overflow. `tf.math.softplus`, `tf.nn.softplus`. */
export const softplus = unaryOp("softplus", "Softplus", {
  paths: ["math.softplus", "nn.softplus"],
  dtypes: FLOAT,
  gradient: { save: "input", grad: (dy, x): Tensor => multiply(dy, sigmoid(x)) },
  test: { real: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))), domain: EXP_RANGE },
});

const ROUNDING = { float32: { min: -20, max: 20 }, float64: { min: -20, max: 20 } } as const;

/** ⌊x⌋. `tf.math.floor`. */
export const floor = unaryOp("floor", "Floor", { paths: ["math.floor"], dtypes: FLOAT, gradient: null, test: { real: Math.floor, domain: ROUNDING } });

/** ⌈x⌉. `tf.math.ceil`. */
export const ceil = unaryOp("ceil", "Ceil", { paths: ["math.ceil"], dtypes: FLOAT, gradient: null, test: { real: Math.ceil, domain: ROUNDING } });

/** Rounds half to even, as TensorFlow (`round(2.5) = 2`). `tf.math.round`. */
export const round = unaryOp("round", "Round", { paths: ["math.round"], dtypes: FLOAT, gradient: null, test: { real: roundHalfEven, domain: ROUNDING } });

/** 1/x. `tf.math.reciprocal`. */
export const reciprocal = unaryOp("reciprocal", "Reciprocal", {
  paths: ["math.reciprocal"],
  dtypes: FLOAT_COMPLEX,
  gradient: { save: "output", grad: (dy, y): Tensor => neg(multiply(dy, square(conjIfComplex(y)))) },
  test: {
    real: (x) => 1 / x,
    complex: (re, im) => {
      const d = re * re + im * im;
      return [re / d, -im / d];
    },
    domain: { complex64: { nonZero: true } },
  },
});

/** Elementwise NOT of a bool tensor. `tf.math.logicalNot`. */
export const logicalNot = unaryOp("logicalNot", "LogicalNot", {
  paths: ["math.logicalNot"],
  dtypes: ["bool"],
  gradient: null,
  test: { bool: (x) => (x ? 0 : 1) },
});

/** Whether each element is NaN (bool). `tf.math.isNan` (TF2's `is_nan`). */
export const isNan = unaryOp("isNan", "IsNan", {
  paths: ["math.isNan"],
  dtypes: FLOAT,
  out: () => "bool",
  gradient: null,
  test: { real: (x) => (Number.isNaN(x) ? 1 : 0) },
});

// Inverse trigonometric and hyperbolic functions, expm1 and the error functions.
export * from "./unary-math.js";
