/**
 * Elementwise unary kernels of `tf.math` beyond the basics: inverse trigonometric and hyperbolic
 * functions, `expm1`, and the error functions. One entry per kernel (see `table/define.ts`),
 * re-exported from `unary.ts` so the op table collects them with the other unary kernels. Each
 * gradient is written with core ops (so higher orders work on every backend).
 */
import type { Tensor } from "../tensor/tensor.js";
import { add, multiply, realdiv, subtract } from "./binary.js";
import { FLOAT } from "./op-utils.js";
import { erfcReference, erfReference } from "./special-reference.js";
import { unaryOp } from "./table/define.js";
import { exp, neg, sqrt, square } from "./unary.js";

// Property-test ranges: the functions' domains, and ranges that reach float overflow for the hyperbolics.
const UNIT = { float32: { min: -1, max: 1 }, float64: { min: -1, max: 1 } } as const;
const HYPERBOLIC = { float32: { min: -100, max: 100 }, float64: { min: -1000, max: 1000 } } as const;
/** Large magnitudes, where x² overflows: the inverse hyperbolics switch to log(2|x|) there. */
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
/** Where the error functions switch formulas (fdlibm's ranges) and where erfc underflows. */
const ERF_EDGES = [0.84375, -0.84375, 0.25, 0.2499, 1.25, -1.25, 1.2499, 2.857, 2.858, 5.9, 6, -6, 10, -10, 26, 27.5, 28];
const LARGE_EDGES = [3e8, -3e8, 1e19, -1e19, 1e30, -1e30, 3.4e38, -3.4e38];

/** √(1 − x²), the derivative's denominator of asin and acos (as (1 − x)(1 + x): no cancellation near ±1). */
function sqrtOneMinusSquare(x: Tensor): Tensor {
  return sqrt(multiply(subtract(1, x), add(x, 1)));
}

/** Arcsine, in [−π/2, π/2] (NaN outside [−1, 1]). `tf.math.asin`. */
export const asin = unaryOp("asin", "Asin", {
  paths: ["math.asin"],
  dtypes: FLOAT,
  // asin′(x) = 1 / √(1 − x²).
  gradient: { save: "input", grad: (dy, x): Tensor => realdiv(dy, sqrtOneMinusSquare(x)) },
  test: { real: Math.asin, domain: UNIT, gradRange: [[-0.8, 0.8]] },
});

/** Arccosine, in [0, π] (NaN outside [−1, 1]). `tf.math.acos`. */
export const acos = unaryOp("acos", "Acos", {
  paths: ["math.acos"],
  dtypes: FLOAT,
  // acos′(x) = −1 / √(1 − x²).
  gradient: { save: "input", grad: (dy, x): Tensor => neg(realdiv(dy, sqrtOneMinusSquare(x))) },
  test: { real: Math.acos, domain: UNIT, gradRange: [[-0.8, 0.8]] },
});

/** Arctangent, in (−π/2, π/2). `tf.math.atan`. */
export const atan = unaryOp("atan", "Atan", {
  paths: ["math.atan"],
  dtypes: FLOAT,
  // atan′(x) = 1 / (1 + x²).
  gradient: { save: "input", grad: (dy, x): Tensor => realdiv(dy, add(square(x), 1)) },
  test: { real: Math.atan, edges: { float: LARGE_EDGES } },
});

/** Hyperbolic sine. `tf.math.sinh`. */
export const sinh = unaryOp("sinh", "Sinh", {
  paths: ["math.sinh"],
  dtypes: FLOAT,
  gradient: { save: "input", grad: (dy, x): Tensor => multiply(dy, cosh(x)) },
  test: { real: Math.sinh, domain: HYPERBOLIC, edges: { float: [89, -89, 89.4, 709, 710, -710, 711] } },
});

/** Hyperbolic cosine. `tf.math.cosh`. */
export const cosh = unaryOp("cosh", "Cosh", {
  paths: ["math.cosh"],
  dtypes: FLOAT,
  gradient: { save: "input", grad: (dy, x): Tensor => multiply(dy, sinh(x)) },
  test: { real: Math.cosh, domain: HYPERBOLIC, edges: { float: [89, -89, 89.4, 709, 710, -710, 711] } },
});

/** Inverse hyperbolic sine. `tf.math.asinh`. */
export const asinh = unaryOp("asinh", "Asinh", {
  paths: ["math.asinh"],
  dtypes: FLOAT,
  // asinh′(x) = 1 / √(x² + 1).
  gradient: { save: "input", grad: (dy, x): Tensor => realdiv(dy, sqrt(add(square(x), 1))) },
  test: { real: Math.asinh, edges: { float: LARGE_EDGES } },
});

/** Inverse hyperbolic cosine (NaN below 1). `tf.math.acosh`. */
export const acosh = unaryOp("acosh", "Acosh", {
  paths: ["math.acosh"],
  dtypes: FLOAT,
  // acosh′(x) = 1 / √((x − 1)(x + 1)).
  gradient: { save: "input", grad: (dy, x): Tensor => realdiv(dy, sqrt(multiply(subtract(x, 1), add(x, 1)))) },
  test: {
    real: Math.acosh,
    domain: { float32: { min: 0.5, max: 100 }, float64: { min: 0.5, max: 100 } },
    edges: { float: [1.0000001, 1.0001, 2, 3, ...LARGE_EDGES] },
    gradRange: [[1.3, 3]],
  },
});

/** Inverse hyperbolic tangent (±Inf at ±1, NaN beyond). `tf.math.atanh`. */
export const atanh = unaryOp("atanh", "Atanh", {
  paths: ["math.atanh"],
  dtypes: FLOAT,
  // atanh′(x) = 1 / (1 − x²).
  gradient: { save: "input", grad: (dy, x): Tensor => realdiv(dy, multiply(subtract(1, x), add(x, 1))) },
  test: { real: Math.atanh, domain: UNIT, gradRange: [[-0.7, 0.7]] },
});

/** eˣ − 1, accurate for small x. `tf.math.expm1`. */
export const expm1 = unaryOp("expm1", "Expm1", {
  paths: ["math.expm1"],
  dtypes: FLOAT,
  gradient: { save: "input", grad: (dy, x): Tensor => multiply(dy, exp(x)) },
  test: { real: Math.expm1, domain: HYPERBOLIC, edges: { float: [1e-10, -1e-10, 1e-20, 0.3, -0.3, 88.7, 709.7, -40] } },
});

/** The Gauss error function 2/√π ∫₀ˣ e^(−t²) dt. `tf.math.erf`. */
export const erf = unaryOp("erf", "Erf", {
  paths: ["math.erf"],
  dtypes: FLOAT,
  // erf′(x) = 2/√π · e^(−x²).
  gradient: { save: "input", grad: (dy, x): Tensor => multiply(dy, multiply(exp(neg(square(x))), TWO_OVER_SQRT_PI)) },
  test: { real: erfReference, domain: { float32: { min: -8, max: 8 }, float64: { min: -8, max: 8 } }, edges: { float: ERF_EDGES } },
});

/** The complementary error function 1 − erf(x), accurate where it is small. `tf.math.erfc`. */
export const erfc = unaryOp("erfc", "Erfc", {
  paths: ["math.erfc"],
  dtypes: FLOAT,
  gradient: { save: "input", grad: (dy, x): Tensor => multiply(dy, multiply(exp(neg(square(x))), -TWO_OVER_SQRT_PI)) },
  test: { real: erfcReference, domain: { float32: { min: -8, max: 12 }, float64: { min: -8, max: 30 } }, edges: { float: ERF_EDGES } },
});
