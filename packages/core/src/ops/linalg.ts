/**
 * `tf.linalg` ops written from primitives: matrixTranspose, diag, diagPart, trace, bandPart,
 * tensordot, norm and cross. Gradients come from the ops they are made of.
 */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { optionKeys } from "../options.js";
import { normalizeAxis, sizeFromShape } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { multiply, pow, subtract } from "./binary.js";
import { where } from "./compare.js";
import { conj } from "./complex.js";
import { checkInt, composite, distinctAxes } from "./composite-utils.js";
import { constant, eye, zerosLike } from "./creation.js";
import { gather } from "./gather.js";
import { identity } from "./identity.js";
import { matmul } from "./matmul.js";
import { NUMERIC, checkDtype } from "./op-utils.js";
import { reduceMax, reduceSum } from "./reduce.js";
import { expandDims, reshape } from "./reshape.js";
import { transpose } from "./transpose.js";
import { abs, sqrt, square } from "./unary.js";
import { defineOp } from "./table/define.js";

function needRank(op: string, t: Tensor, rank: number, what = "input"): void {
  if (t.rank < rank) throw new InvalidArgumentError(opMessage(op, `${what} must have rank >= ${rank}, got shape [${t.shape.join(",")}]`));
}

/** Options of `tf.linalg.matrixTranspose`. */
export interface MatrixTransposeOptions {
  /** Also conjugate complex entries (the adjoint). Default false. */
  conjugate?: boolean;
}
const MATRIX_TRANSPOSE_KEYS = optionKeys<MatrixTransposeOptions>()("conjugate");

/** Swaps the last two axes (TensorFlow's `tf.linalg.matrix_transpose`); `conjugate` gives the adjoint. Any dtype; rank >= 2. */
export const matrixTranspose = defineOp("matrixTranspose", function matrixTranspose(a: TensorLike, options: MatrixTransposeOptions = {}): Tensor {
  return composite([a], "MatrixTranspose", ([t]) => {
    needRank("MatrixTranspose", t!, 2);
    const r = t!.rank;
    const perm = t!.shape.map((_, i) => (i === r - 2 ? r - 1 : i === r - 1 ? r - 2 : i));
    const y = transpose(t!, perm);
    return options.conjugate && y.dtype === "complex64" ? conj(y) : y;
  });
}, { paths: ["linalg.matrixTranspose"], args: 2, options: MATRIX_TRANSPOSE_KEYS });

/** A bool [n, n] identity mask. */
function eyeMask(m: number, n: number): Tensor {
  return eye(m, n, "bool");
}

/**
 * Batched diagonal matrices from their diagonals (TensorFlow's `tf.linalg.diag` with its defaults):
 * `[..., n]` → `[..., n, n]` with zeros off the diagonal. Any dtype but string.
 */
export const diag = defineOp("diag", function diag(diagonal: TensorLike): Tensor {
  return composite([diagonal], "MatrixDiag", ([d]) => {
    needRank("MatrixDiag", d!, 1, "diagonal");
    checkDtype("MatrixDiag", d!.dtype, ["bool", ...NUMERIC]);
    const n = d!.shape[d!.rank - 1]!;
    const column = expandDims(d!, -1);
    return where(eyeMask(n, n), column, zerosLike(column));
  });
}, { paths: ["linalg.diag"] });

/** The main diagonals of a batch of matrices (TensorFlow's `tf.linalg.diag_part`): `[..., m, n]` → `[..., min(m, n)]`. Any dtype. */
export const diagPart = defineOp("diagPart", function diagPart(input: TensorLike): Tensor {
  return composite([input], "MatrixDiagPart", ([t]) => {
    needRank("MatrixDiagPart", t!, 2);
    const [m, n] = t!.shape.slice(-2) as [number, number];
    const k = Math.min(m, n);
    const idx = new Int32Array(k);
    for (let i = 0; i < k; i++) idx[i] = i * (n + 1);
    const flat = reshape(t!, [...t!.shape.slice(0, -2), m * n]);
    return gather(flat, constant(idx), flat.rank - 1);
  });
}, { paths: ["linalg.diagPart"] });

/** The sum of the main diagonal of each matrix (TensorFlow's `tf.linalg.trace`): `[..., m, n]` → `[...]`. Numeric dtypes. */
export const trace = defineOp("trace", function trace(x: TensorLike): Tensor {
  return composite([x], "Trace", ([t]) => {
    checkDtype("Trace", t!.dtype, NUMERIC);
    const d = diagPart(t!);
    return reduceSum(d, { axis: -1 });
  });
}, { paths: ["linalg.trace"] });

/**
 * Keeps a band of each matrix and zeroes the rest (TensorFlow's `tf.linalg.band_part`): entry (i, j)
 * stays where `(numLower < 0 || i − j <= numLower) && (numUpper < 0 || j − i <= numUpper)`.
 * `bandPart(x, 0, -1)` is the upper triangle, `bandPart(x, -1, 0)` the lower. Any dtype but string.
 */
export const bandPart = defineOp("bandPart", function bandPart(input: TensorLike, numLower: number, numUpper: number): Tensor {
  return composite([input], "MatrixBandPart", ([t]) => {
    needRank("MatrixBandPart", t!, 2);
    checkDtype("MatrixBandPart", t!.dtype, ["bool", ...NUMERIC]);
    const lo = checkInt("MatrixBandPart", "numLower", numLower);
    const up = checkInt("MatrixBandPart", "numUpper", numUpper);
    const [m, n] = t!.shape.slice(-2) as [number, number];
    if (lo > m || up > n) {
      throw new InvalidArgumentError(opMessage("MatrixBandPart", `numLower (${lo}) must be <= ${m} and numUpper (${up}) <= ${n} for matrices of shape [${m},${n}]`));
    }
    if (m * n === 0) return identity(t!);
    const mask = new Array<boolean>(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) mask[i * n + j] = (lo < 0 || i - j <= lo) && (up < 0 || j - i <= up);
    return where(constant(mask, { shape: [m, n], dtype: "bool" }), t!, zerosLike(t!));
  });
}, { paths: ["linalg.bandPart"] });

/**
 * Contracts `a` and `b` over axes (TensorFlow's `tf.tensordot`, also `tf.linalg.tensordot`):
 * `axes` is a count N (the last N axes of `a` with the first N of `b`) or a pair of equal-length axis
 * lists. The result has `a`'s free axes then `b`'s. `tensordot(a, b, 0)` is the outer product.
 */
export const tensordot = defineOp("tensordot", function tensordot(a: TensorLike, b: TensorLike, axes: number | readonly [number | readonly number[], number | readonly number[]]): Tensor {
  return composite([a, b], "Tensordot", ([x, y]) => {
    checkDtype("Tensordot", x!.dtype, NUMERIC);
    let ax: number[];
    let bx: number[];
    if (typeof axes === "number") {
      checkInt("Tensordot", "axes", axes, 0);
      if (axes > x!.rank || axes > y!.rank) {
        throw new InvalidArgumentError(opMessage("Tensordot", `axes (${axes}) must not exceed the ranks of a [${x!.shape.join(",")}] and b [${y!.shape.join(",")}]`));
      }
      ax = Array.from({ length: axes }, (_, i) => x!.rank - axes + i);
      bx = Array.from({ length: axes }, (_, i) => i);
    } else {
      if (!Array.isArray(axes) || axes.length !== 2) throw new InvalidArgumentError(opMessage("Tensordot", `axes must be a number or a pair of axis lists, got ${JSON.stringify(axes)}`));
      ax = distinctAxes(axes[0], x!.rank, "Tensordot");
      bx = distinctAxes(axes[1], y!.rank, "Tensordot");
      if (ax.length !== bx.length) throw new InvalidArgumentError(opMessage("Tensordot", `the axis lists must have the same length, got ${JSON.stringify(axes)}`));
    }
    ax.forEach((p, i) => {
      if (x!.shape[p] !== y!.shape[bx[i]!]) {
        throw new InvalidArgumentError(opMessage("Tensordot", `contracted axes differ in size: a [${x!.shape.join(",")}] axis ${p} vs. b [${y!.shape.join(",")}] axis ${bx[i]}`));
      }
    });
    const freeA = x!.shape.map((_, i) => i).filter((i) => !ax.includes(i));
    const freeB = y!.shape.map((_, i) => i).filter((i) => !bx.includes(i));
    const k = sizeFromShape(ax.map((i) => x!.shape[i]!));
    const fa = freeA.map((i) => x!.shape[i]!);
    const fb = freeB.map((i) => y!.shape[i]!);
    const a2 = reshape(transpose(x!, [...freeA, ...ax]), [sizeFromShape(fa), k]);
    const b2 = reshape(transpose(y!, [...bx, ...freeB]), [k, sizeFromShape(fb)]);
    return reshape(matmul(a2, b2), [...fa, ...fb]);
  });
}, { paths: ["linalg.tensordot"] });

/** Options of `tf.norm`. */
export interface NormOptions {
  /**
   * `"euclidean"` (default; Frobenius for matrices), `"fro"` (matrices), `1`, `2`, `Infinity`, or any
   * positive p for vectors. Matrix norms take `"euclidean"`, `"fro"`, `1` and `Infinity`; the matrix
   * 2-norm needs a singular value decomposition, which Tessera does not have yet, and raises.
   */
  ord?: "euclidean" | "fro" | number;
  /** One axis (vector norm), two axes (matrix norm), or none (the whole tensor as a vector). */
  axis?: number | readonly [number, number];
  /** Keep the reduced axes with size 1. Default false. */
  keepdims?: boolean;
}
const NORM_KEYS = optionKeys<NormOptions>()("ord", "axis", "keepdims");

/** Vector and matrix norms (TensorFlow's `tf.norm`, also `tf.linalg.norm`). float32, float64, complex64 (float32 result). */
export const norm = defineOp("norm", function norm(tensor: TensorLike, options: NormOptions = {}): Tensor {
  return composite([tensor], "Norm", ([t]) => {
    checkDtype("Norm", t!.dtype, ["float32", "float64", "complex64"]);
    const ord = options.ord ?? "euclidean";
    const keepdims = options.keepdims ?? false;
    const bad = (why: string) => new InvalidArgumentError(opMessage("Norm", `${why}, got ord ${JSON.stringify(ord === Infinity ? "Infinity" : ord)} and axis ${JSON.stringify(options.axis)}`));
    const mag = abs(t!);
    if (Array.isArray(options.axis)) {
      if (options.axis.length !== 2) throw bad("axis must be one axis or a pair of axes");
      const [r, c] = distinctAxes(options.axis, t!.rank, "Norm") as [number, number];
      if (ord === "euclidean" || ord === "fro") return sqrt(reduceSum(square(mag), { axis: [r, c], keepdims }));
      if (ord === 1 || ord === Infinity) {
        // 1: the largest column sum; ∞: the largest row sum.
        return reduceMax(reduceSum(mag, { axis: ord === 1 ? r : c, keepdims: true }), { axis: [r, c], keepdims });
      }
      if (ord === 2) throw bad("the matrix 2-norm needs a singular value decomposition, which is not supported yet");
      throw bad("matrix norms take ord 'euclidean', 'fro', 1 or Infinity");
    }
    const axis = options.axis === undefined ? undefined : normalizeAxis(options.axis as number, t!.rank, "Norm");
    if (ord === "fro") throw bad("'fro' is a matrix norm: give two axes");
    if (ord === "euclidean" || ord === 2) return sqrt(reduceSum(square(mag), { axis, keepdims }));
    if (typeof ord !== "number" || !(ord > 0)) throw bad("ord must be 'euclidean', 'fro', or a positive number");
    if (ord === Infinity) return reduceMax(mag, { axis, keepdims });
    if (ord === 1) return reduceSum(mag, { axis, keepdims });
    return pow(reduceSum(pow(mag, ord), { axis, keepdims }), 1 / ord);
  });
}, { paths: ["linalg.norm"], args: 2, options: NORM_KEYS });

/** The cross product of 3-vectors along the last axis, with broadcasting (TensorFlow's `tf.linalg.cross`). int32, float32, float64. */
export const cross = defineOp("cross", function cross(a: TensorLike, b: TensorLike): Tensor {
  return composite([a, b], "Cross", ([x, y]) => {
    checkDtype("Cross", x!.dtype, ["int32", "float32", "float64"]);
    for (const t of [x!, y!]) {
      if (t.rank < 1 || t.shape[t.rank - 1] !== 3) throw new InvalidArgumentError(opMessage("Cross", `inputs must have a last axis of size 3, got [${x!.shape.join(",")}] and [${y!.shape.join(",")}]`));
    }
    const i120 = constant(new Int32Array([1, 2, 0]));
    const i201 = constant(new Int32Array([2, 0, 1]));
    const g = (t: Tensor, i: Tensor) => gather(t, i, t.rank - 1);
    return subtract(multiply(g(x!, i120), g(y!, i201)), multiply(g(x!, i201), g(y!, i120)));
  });
}, { paths: ["linalg.cross"] });
