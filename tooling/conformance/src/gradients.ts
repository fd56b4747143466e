/**
 * Gradient checks for every differentiable op, run on the backend under test: the tape's gradient is
 * compared with central finite differences of the same computation on the same backend, in float64
 * where the backend holds it (float32 with looser tolerances elsewhere), and complex64 in TensorFlow's
 * convention (for a real loss L of z = x + iy the gradient is ∂L/∂x + i·∂L/∂y).
 *
 * First order: L = Σ w ⊙ f(x) with fixed random weights w (so every row of the Jacobian counts, not
 * only its column sums). Second order: with L₂ = Σ w ⊙ f(x)² and G = ∇L₂ taken on an inner tape,
 * S = Σ u ⊙ G; an outer tape's ∇S (a Hessian-vector product, which runs every op's gradient's
 * gradient) is compared with finite differences of S. Squaring f makes even linear ops (matmul, conv,
 * gather, pooling) exercise the gradients of their gradient kernels.
 */
import { describe, expect, it } from "vitest";
import * as tf from "@tessera/core";
import type { DType, KernelName } from "@tessera/core/kernel";
import { BINARY_KERNELS, BINARY_OPS, BINARY_SPECS, KERNEL_NAMES, UNARY_KERNELS, UNARY_OPS, UNARY_SPECS } from "@tessera/core/kernel";
import { imageGradientCases, lossGradientCases, signalGradientCases } from "./composite-gradients.js";
import type { ConformanceContext } from "./context.js";
import { indexingGradientCases } from "./gradients-indexing.js";
import { convGradientCases } from "./gradients-conv.js";
import { opsGradientCases } from "./gradients-ops.js";
import { mulberry32 } from "./prng.js";

type T = tf.Tensor;

/** One input of a checked function: its shape and values (distinct values spread over [lo, hi], shuffled, by default). */
interface InputSpec {
  shape: number[];
  lo?: number;
  hi?: number;
  values?: number[];
  /** complex64 input (for complex cases); the default is the case's real dtype. */
  complex?: boolean;
}

/** A differentiable computation and the kernels it checks. */
export interface GradientCase {
  name: string;
  /** Kernels whose gradients this case checks (the test fails if one never ran). */
  kernels: KernelName[];
  /** Further kernels the second-order check must run (the gradients' own kernels). */
  secondKernels?: KernelName[];
  inputs: InputSpec[];
  f: (...xs: T[]) => T;
  /** Set false where a second derivative is not meaningful through this case. */
  second?: boolean;
  /** The computation passes through float32 (casts): float32 tolerances even on float64. */
  loose?: boolean;
  /** complex64 case: inputs marked `complex` are complex64, the rest float32 (needs complex64). */
  complex?: boolean;
  /** Further dtypes the case needs (e.g. a cast to float32 from float64). */
  needs?: DType[];
}

const mm = (a: T, b: T, o?: { transposeA?: boolean; transposeB?: boolean }): T => tf.matmul(a, b, o);
const pool2 = (x: T): T => tf.nn.maxPool2d(x, 2, 2, "VALID");

/** Real cases: run in float64 (or float32 where the backend lacks float64). */
export function realCases(dtype: "float32" | "float64"): GradientCase[] {
  const other: DType = dtype === "float64" ? "float32" : "float64";
  return [
    // Elementwise kernels, from the op table (each entry's gradient range keeps values off kinks and domain edges).
    ...elementwiseCases(["float32", "float64"]),
    { name: "multiply [2,3]*scalar", kernels: ["Mul"], inputs: [{ shape: [2, 3] }, { shape: [] , values: [1.3] }], f: tf.multiply },
    { name: "multiply x*x (same tensor twice)", kernels: ["Mul"], inputs: [{ shape: [3] }], f: (x) => tf.multiply(x, x) },
    { name: "squaredDifference", kernels: ["Sub", "Square"], inputs: [{ shape: [2, 3] }, { shape: [3] }], f: tf.squaredDifference },
    {
      name: "where(cond, [2,3], [3])", kernels: ["Where"], inputs: [{ shape: [2, 3] }, { shape: [3] }],
      f: (a, b) => tf.where(tf.constant([[true, false, true], [false, false, true]]), a!, b!),
    },
    // Reductions.
    { name: "reduceSum axis 1", kernels: ["Sum"], inputs: [{ shape: [2, 3, 2] }], f: (x) => tf.reduceSum(x, { axis: 1 }) },
    { name: "reduceSum axes [0,2] (transposed)", kernels: ["Sum", "Transpose"], inputs: [{ shape: [2, 3, 2] }], f: (x) => tf.reduceSum(x, { axis: [0, 2] }) },
    { name: "reduceSum all, keepdims", kernels: ["Sum"], inputs: [{ shape: [2, 3] }], f: (x) => tf.reduceSum(x, { keepdims: true }) },
    { name: "reduceProd axis 1", kernels: ["Prod"], inputs: [{ shape: [2, 3] }], f: (x) => tf.reduceProd(x, { axis: 1 }) },
    {
      name: "reduceProd with zeros", kernels: ["Prod"], inputs: [{ shape: [3, 3], values: [0.5, 0, 1.5, -1.2, 0, 0, 0.8, 2, -0.7] }],
      f: (x) => tf.reduceProd(x, { axis: 1 }),
    },
    { name: "reduceMax axis -1", kernels: ["Max"], inputs: [{ shape: [2, 3] }], f: (x) => tf.reduceMax(x, { axis: -1 }) },
    { name: "reduceMin axis 0", kernels: ["Min"], inputs: [{ shape: [2, 3] }], f: (x) => tf.reduceMin(x, { axis: 0 }) },
    { name: "reduceMean", kernels: ["Sum", "Div"], inputs: [{ shape: [2, 3] }], f: (x) => tf.reduceMean(x, { axis: 0 }) },
    { name: "reduceLogSumExp", kernels: ["Max", "Exp", "Log"], inputs: [{ shape: [2, 3] }], f: (x) => tf.reduceLogSumExp(x, { axis: 1 }) },
    // dtype conversion.
    { name: `cast ${dtype} → ${other} → ${dtype}`, kernels: ["Cast"], inputs: [{ shape: [2, 3] }], f: (x) => tf.cast(tf.cast(x, other), dtype), loose: true, needs: ["float32", "float64"] },
    // Linear algebra.
    { name: "matmul [2,3]@[3,2]", kernels: ["BatchMatMul"], inputs: [{ shape: [2, 3] }, { shape: [3, 2] }], f: (a, b) => mm(a!, b!) },
    { name: "matmul transposeA", kernels: ["BatchMatMul"], inputs: [{ shape: [3, 2] }, { shape: [3, 2] }], f: (a, b) => mm(a!, b!, { transposeA: true }) },
    { name: "matmul transposeB", kernels: ["BatchMatMul"], inputs: [{ shape: [2, 3] }, { shape: [2, 3] }], f: (a, b) => mm(a!, b!, { transposeB: true }) },
    { name: "matmul transposeA and B", kernels: ["BatchMatMul"], inputs: [{ shape: [3, 2] }, { shape: [2, 3] }], f: (a, b) => mm(a!, b!, { transposeA: true, transposeB: true }) },
    { name: "matmul batch [2,2,3]@[3,2] (broadcast)", kernels: ["BatchMatMul"], inputs: [{ shape: [2, 2, 3] }, { shape: [3, 2] }], f: (a, b) => mm(a!, b!) },
    { name: "matmul batch [1,2,3]@[2,3,2]", kernels: ["BatchMatMul"], inputs: [{ shape: [1, 2, 3] }, { shape: [2, 3, 2] }], f: (a, b) => mm(a!, b!) },
    { name: "matmul-tanh composite", kernels: ["BatchMatMul", "Tanh"], inputs: [{ shape: [2, 3], lo: -1, hi: 1 }, { shape: [3, 2], lo: -1, hi: 1 }], f: (a, b) => tf.tanh(mm(a!, b!)) },
    // Moving elements.
    { name: "reshape", kernels: [], inputs: [{ shape: [2, 3] }], f: (x) => tf.reshape(x, [3, 2]) },
    { name: "identity", kernels: [], inputs: [{ shape: [2, 3] }], f: (x) => tf.identity(x) },
    { name: "expandDims + squeeze", kernels: [], inputs: [{ shape: [2, 3] }], f: (x) => tf.squeeze(tf.expandDims(x, 1)) },
    { name: "transpose [2,3,2] perm [2,0,1]", kernels: ["Transpose"], inputs: [{ shape: [2, 3, 2] }], f: (x) => tf.transpose(x, [2, 0, 1]) },
    { name: "slice", kernels: ["Slice"], inputs: [{ shape: [3, 4] }], f: (x) => tf.slice(x, [1, 1], [2, 2]) },
    { name: "pad", kernels: ["Pad"], inputs: [{ shape: [2, 3] }], f: (x) => tf.pad(x, [[1, 0], [0, 2]], 0.5) },
    { name: "concat axis 1", kernels: ["Concat"], inputs: [{ shape: [2, 1] }, { shape: [2, 2] }, { shape: [2, 3] }], f: (a, b, d) => tf.concat([a!, b!, d!], 1) },
    { name: "stack / unstack", kernels: ["Concat", "Slice"], inputs: [{ shape: [2, 3] }, { shape: [2, 3] }], f: (a, b) => tf.stack([...tf.unstack(a!, 1), b!.slice([0, 0], [2, 1]).squeeze()], 1) },
    { name: "split", kernels: ["Slice"], inputs: [{ shape: [2, 4] }], f: (x) => { const [p, q] = tf.split(x, [1, 3], 1); return tf.matmul(tf.transpose(p!), q!); } },
    { name: "gather axis 0 (repeated indices)", kernels: ["Gather"], secondKernels: ["UnsortedSegmentSum"], inputs: [{ shape: [3, 2] }], f: (x) => tf.gather(x, [2, 0, 2]) },
    { name: "gather axis 1, 2-D indices", kernels: ["Gather"], secondKernels: ["UnsortedSegmentSum"], inputs: [{ shape: [2, 3] }], f: (x) => tf.gather(x, [[0, 2], [1, 1]], 1) },
    { name: "tile", kernels: ["Tile"], inputs: [{ shape: [2, 3] }], f: (x) => tf.tile(x, [2, 1]) },
    { name: "broadcastTo", kernels: ["Tile"], inputs: [{ shape: [3] }], f: (x) => tf.broadcastTo(x, [2, 3]) },
    // Networks.
    { name: "softmax", kernels: ["Exp", "Sum", "Div"], inputs: [{ shape: [2, 3] }], f: (x) => tf.nn.softmax(x) },
    { name: "logSoftmax", kernels: ["Exp", "Log"], inputs: [{ shape: [2, 3] }], f: (x) => tf.nn.logSoftmax(x) },
    { name: "sparseSoftmaxCrossEntropyWithLogits", kernels: ["Exp", "Log"], inputs: [{ shape: [2, 3] }], f: (x) => tf.nn.sparseSoftmaxCrossEntropyWithLogits([2, 0], x) },
    {
      name: "conv2d SAME stride 1", kernels: ["Conv2D"], secondKernels: ["Conv2DBackpropInput", "Conv2DBackpropFilter"],
      inputs: [{ shape: [1, 3, 3, 2], lo: -1, hi: 1 }, { shape: [2, 2, 2, 2], lo: -1, hi: 1 }], f: (x, w) => tf.nn.conv2d(x!, w!, 1, "SAME"),
    },
    {
      name: "conv2d VALID stride 2", kernels: ["Conv2D"], secondKernels: ["Conv2DBackpropInput", "Conv2DBackpropFilter"],
      inputs: [{ shape: [2, 5, 5, 1], lo: -1, hi: 1 }, { shape: [3, 3, 1, 2], lo: -1, hi: 1 }], f: (x, w) => tf.nn.conv2d(x!, w!, 2, "VALID"),
    },
    {
      name: "conv2d dilation 2", kernels: ["Conv2D"], secondKernels: ["Conv2DBackpropInput", "Conv2DBackpropFilter"],
      inputs: [{ shape: [1, 5, 5, 1], lo: -1, hi: 1 }, { shape: [2, 2, 1, 1], lo: -1, hi: 1 }], f: (x, w) => tf.nn.conv2d(x!, w!, 1, "SAME", { dilations: 2 }),
    },
    { name: "maxPool 2x2 VALID", kernels: ["MaxPool"], secondKernels: ["MaxPoolGrad"], inputs: [{ shape: [1, 4, 4, 2] }], f: pool2 },
    { name: "maxPool 3x3 stride 2 SAME", kernels: ["MaxPool"], secondKernels: ["MaxPoolGrad"], inputs: [{ shape: [1, 5, 5, 1] }], f: (x) => tf.nn.maxPool2d(x, 3, 2, "SAME") },
    { name: "avgPool 2x2 VALID", kernels: ["AvgPool"], secondKernels: ["AvgPoolGrad"], inputs: [{ shape: [1, 4, 4, 2] }], f: (x) => tf.nn.avgPool2d(x, 2, 2, "VALID") },
    { name: "maxPool1d 2 VALID", kernels: ["MaxPool"], secondKernels: ["MaxPoolGrad"], inputs: [{ shape: [1, 5, 2] }], f: (x) => tf.nn.maxPool1d(x, 2, 2, "VALID") },
    { name: "avgPool1d 3 stride 2 SAME", kernels: ["AvgPool"], secondKernels: ["AvgPoolGrad"], inputs: [{ shape: [2, 5, 1] }], f: (x) => tf.nn.avgPool1d(x, 3, 2, "SAME") },
    { name: "leakyRelu", kernels: ["Where", "Mul"], inputs: [{ shape: [2, 3], values: [-1.5, -0.7, -0.2, 0.3, 0.9, 1.4] }], f: (x) => tf.nn.leakyRelu(x, { alpha: 0.3 }) },
    { name: "l2Normalize axis 1", kernels: ["Sum", "Rsqrt", "Mul"], inputs: [{ shape: [2, 3], lo: 0.5, hi: 2 }], f: (x) => tf.math.l2Normalize(x, { axis: 1 }) },
    { name: "repeat per element", kernels: ["Gather"], secondKernels: ["UnsortedSegmentSum"], inputs: [{ shape: [3, 2] }], f: (x) => tf.repeat(x, [2, 0, 1], { axis: 0 }) },
    { name: "repeat one count", kernels: ["Tile"], inputs: [{ shape: [2, 3] }], f: (x) => tf.repeat(x, 2, { axis: 1 }) },
    { name: "avgPool 3x3 stride 2 SAME", kernels: ["AvgPool"], secondKernels: ["AvgPoolGrad"], inputs: [{ shape: [1, 5, 5, 1] }], f: (x) => tf.nn.avgPool2d(x, 3, 2, "SAME") },
    ...opsGradientCases(),
    ...indexingGradientCases(),
    ...convGradientCases(),
    // Composite families with their own case lists.
    ...lossGradientCases(),
    ...imageGradientCases(),
  ];
}

/** complex64 cases: inputs marked complex are complex64, the others float32. */
export function complexCases(): GradientCase[] {
  const z = (shape: number[]): InputSpec => ({ shape, complex: true, lo: -1.5, hi: 1.5 });
  return [
    { name: "complex(re, im) with broadcasting", kernels: ["Complex"], inputs: [{ shape: [2, 2] }, { shape: [2] }], f: tf.complex, complex: true },
    { name: "complex real", kernels: ["Real"], inputs: [z([2, 2])], f: tf.real, complex: true },
    { name: "complex imag", kernels: ["Imag"], inputs: [z([2, 2])], f: tf.imag, complex: true },
    { name: "complex conj", kernels: ["Conj"], inputs: [z([2, 2])], f: tf.conj, complex: true },
    { name: "complex reduceSum", kernels: ["Sum"], inputs: [z([2, 2])], f: (x) => tf.reduceSum(x, { axis: 0 }), complex: true },
    ...elementwiseCases(["complex64"]).map((c) => ({ ...c, name: `complex ${c.name}`, inputs: c.inputs.map((i) => z(i.shape)), complex: true })),
    { name: "complex matmul", kernels: ["BatchMatMul"], inputs: [z([2, 2]), z([2, 2])], f: (a, b) => tf.matmul(a!, b!), complex: true },
    { name: "cast float32 → complex64", kernels: ["Cast"], inputs: [{ shape: [2, 2] }], f: (x) => tf.cast(x, "complex64"), complex: true },
    { name: "|z|² through real and imag", kernels: ["Real", "Imag"], inputs: [z([3])], f: (x) => tf.add(tf.square(tf.real(x)), tf.square(tf.imag(x))), complex: true },
    ...signalGradientCases(z),
  ];
}

/** Ops with no gradient: the tape gives null for what only flows through them. */
type NonDifferentiable = { name: string; kernels: KernelName[]; f: (x: T) => T };

/** x as a dtype the kernel takes — its own where it can (so the tape sees the op), else bool (x > 0) or a cast. */
function asInput(x: T, dtypes: readonly DType[]): T {
  if (dtypes.includes(x.dtype)) return x;
  const d = dtypes[0]!;
  return d === "bool" ? tf.greater(x, 0) : tf.cast(x, d);
}

/** Ops with no gradient: the tape gives null for what only flows through them. */
function nonDifferentiable(): NonDifferentiable[] {
  const elementwise: NonDifferentiable[] = [
    ...UNARY_KERNELS.filter((k) => !UNARY_SPECS[k].differentiable).map((k) => {
      const spec = UNARY_SPECS[k];
      return { name: UNARY_OPS[k].info.name, kernels: [k] as KernelName[], f: (x: T) => tf.cast(UNARY_OPS[k](asInput(x, spec.dtypes)), x.dtype) };
    }),
    ...BINARY_KERNELS.filter((k) => !BINARY_SPECS[k].differentiable).map((k) => {
      const spec = BINARY_SPECS[k];
      return { name: BINARY_OPS[k].info.name, kernels: [k] as KernelName[], f: (x: T) => { const a = asInput(x, spec.dtypes); return tf.cast(BINARY_OPS[k](a, tf.onesLike(a)), x.dtype); } };
    }),
  ];
  return [
    ...elementwise,
    { name: "argmax / argmin", kernels: ["ArgMax", "ArgMin"], f: (x) => tf.cast(tf.add(tf.argmax(x, 1), tf.argmin(x, 1)), x.dtype) },
    { name: "reduceAll / reduceAny", kernels: ["All", "Any"], f: (x) => tf.cast(tf.logicalAnd(tf.reduceAll(tf.greater(x, -5)), tf.reduceAny(tf.greater(x, 0))), x.dtype) },
    { name: "argsort / topK indices", kernels: ["TopK"], f: (x) => tf.cast(tf.add(tf.argsort(x), tf.math.topK(x, { k: 3 }).indices), x.dtype) },
    { name: "searchsorted", kernels: ["SearchSorted"], f: (x) => tf.cast(tf.searchsorted(tf.sort(x), x, { side: "right" }), x.dtype) },
    { name: "fill", kernels: ["Fill"], f: (x) => tf.add(tf.fill(x.shape, 2, x.dtype), tf.stopGradient(x)) },
  ];
}

/** Gradient cases of every differentiable elementwise kernel that takes one of `dtypes`, from its table entry. */
function elementwiseCases(dtypes: readonly DType[]): GradientCase[] {
  const range = (r: readonly (readonly [number, number])[] | undefined, i: number) => {
    const [lo, hi] = r?.[i] ?? [-2, 2];
    return { lo, hi };
  };
  const takes = (d: readonly DType[]) => d.some((x) => dtypes.includes(x));
  return [
    ...UNARY_KERNELS.filter((k) => UNARY_SPECS[k].differentiable && takes(UNARY_SPECS[k].dtypes)).map((k): GradientCase => ({
      name: UNARY_OPS[k].info.name, kernels: [k], inputs: [{ shape: [2, 3], ...range(UNARY_SPECS[k].test.gradRange, 0) }], f: UNARY_OPS[k],
    })),
    ...BINARY_KERNELS.filter((k) => BINARY_SPECS[k].differentiable && takes(BINARY_SPECS[k].dtypes)).map((k): GradientCase => ({
      name: `${BINARY_OPS[k].info.name} [2,3],[3]`, kernels: [k],
      inputs: [{ shape: [2, 3], ...range(BINARY_SPECS[k].test.gradRange, 0) }, { shape: [3], ...range(BINARY_SPECS[k].test.gradRange, 1) }],
      f: (a, b) => BINARY_OPS[k](a!, b!),
    })),
  ];
}

// ---------------------------------------------------------------- the harness

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Host values of each input: flat reals, or interleaved [re, im] for complex inputs. */
function inputValues(c: GradientCase): number[][] {
  const rand = mulberry32(hash(c.name));
  return c.inputs.map((spec) => {
    const n = size(spec.shape) * (spec.complex ? 2 : 1);
    if (spec.values) return spec.values.slice();
    const lo = spec.lo ?? -2;
    const hi = spec.hi ?? 2;
    const v = Array.from({ length: n }, (_, k) => lo + ((hi - lo) * (k + 0.5)) / n);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [v[i], v[j]] = [v[j]!, v[i]!];
    }
    return v;
  });
}

interface Plan {
  real: "float32" | "float64";
  h1: number;
  h2: number;
  tol1: number;
  tol2: number;
}

function planFor(c: GradientCase, dtype: "float32" | "float64"): Plan {
  const single = dtype === "float32" || c.loose || c.complex;
  const real = c.complex ? "float32" : dtype;
  return single ? { real, h1: 1e-2, h2: 1e-2, tol1: 1e-2, tol2: 3e-2 } : { real, h1: 1e-5, h2: 1e-5, tol1: 1e-6, tol2: 1e-5 };
}

function makeInput(spec: InputSpec, values: readonly number[], real: DType): T {
  if (!spec.complex) return tf.constant(real === "float64" ? Float64Array.from(values) : Float32Array.from(values), { shape: spec.shape });
  const z = Array.from({ length: values.length / 2 }, (_, i) => ({ re: values[2 * i]!, im: values[2 * i + 1]! }));
  return tf.constant(z, { shape: spec.shape });
}

/** Weights for the loss, shaped like the output: L = Σ real(w ⊙ y). */
function weightsFor(y: T, rand: () => number): T {
  const n = y.size;
  const draw = (): number => (rand() < 0.5 ? -1 : 1) * (0.5 + rand());
  if (y.dtype === "complex64") return tf.constant(Array.from({ length: n }, () => ({ re: draw(), im: draw() })), { shape: y.shape });
  const v = Array.from({ length: n }, draw);
  return tf.constant(y.dtype === "float64" ? Float64Array.from(v) : Float32Array.from(v), { shape: y.shape });
}

function weightedSum(y: T, w: T): T {
  const p = tf.multiply(y, w);
  return y.dtype === "complex64" ? tf.reduceSum(tf.real(p)) : tf.reduceSum(p);
}

async function scalar(t: T): Promise<number> {
  return (await t.data())[0] as number;
}

/** Flat values of a gradient as the finite differences see them (interleaved for complex). */
async function flat(g: T | null, n: number): Promise<number[]> {
  if (!g) return new Array<number>(n).fill(0);
  return Array.from((await g.data()) as ArrayLike<number>);
}

function compare(what: string, analytic: number[], numeric: number[], tol: number): void {
  const bad: string[] = [];
  for (let i = 0; i < numeric.length; i++) {
    const a = analytic[i]!;
    const n = numeric[i]!;
    if (!(Math.abs(a - n) <= tol * (1 + Math.abs(n)))) bad.push(`[${i}] tape ${a} vs finite differences ${n}`);
  }
  if (bad.length) throw new Error(`${what}: ${bad.length} of ${numeric.length} elements differ (tolerance ${tol}):\n  ${bad.slice(0, 8).join("\n  ")}`);
}

/** Central differences of `fn` over every input element (both parts of complex ones). */
async function finiteDifferences(values: number[][], h: number, fn: (vals: number[][]) => Promise<number>): Promise<number[][]> {
  const out: number[][] = [];
  for (let k = 0; k < values.length; k++) {
    const row: number[] = [];
    for (let j = 0; j < values[k]!.length; j++) {
      const plus = values.map((v) => v.slice());
      const minus = values.map((v) => v.slice());
      plus[k]![j]! += h;
      minus[k]![j]! -= h;
      row.push(((await fn(plus)) - (await fn(minus))) / (2 * h));
    }
    out.push(row);
  }
  return out;
}

/** Runs `fn` on freshly made inputs, disposing everything it made. */
async function withInputs<R>(c: GradientCase, vals: number[][], real: DType, fn: (xs: T[]) => Promise<R>): Promise<R> {
  const xs = c.inputs.map((spec, k) => makeInput(spec, vals[k]!, real));
  try {
    return await fn(xs);
  } finally {
    for (const x of xs) x.dispose();
  }
}

/** The loss weights of case `c`, drawn by `rand` for the output of one forward pass on `values`. */
function lossWeights(c: GradientCase, values: number[][], real: DType, rand: () => number): Promise<T> {
  return withInputs(c, values, real, async (xs) => {
    const y = tf.tidy(() => c.f(...xs));
    try {
      return weightsFor(y, rand);
    } finally {
      y.dispose();
    }
  });
}

/** The value of the scalar that `f` makes from fresh inputs holding `vals` (all of it disposed after). */
function scalarAt(c: GradientCase, vals: number[][], real: DType, f: (xs: T[]) => T): Promise<number> {
  return withInputs(c, vals, real, async (xs) => {
    const s = f(xs);
    try {
      return await scalar(s);
    } finally {
      s.dispose();
    }
  });
}

/** Each gradient's values, flattened to the length of its input's values; disposes the gradients. */
async function flatGradients(grads: (T | null)[], values: number[][]): Promise<number[][]> {
  const out = await Promise.all(grads.map((g, k) => flat(g, values[k]!.length)));
  tf.dispose(grads);
  return out;
}

export async function checkFirstOrder(c: GradientCase, dtype: "float32" | "float64"): Promise<void> {
  const plan = planFor(c, dtype);
  const values = inputValues(c);
  const rand = mulberry32(hash(c.name) ^ 0x9e3779b9);
  const w = await lossWeights(c, values, plan.real, rand);
  try {
    const loss = (vals: number[][]): Promise<number> => scalarAt(c, vals, plan.real, (xs) => tf.tidy(() => weightedSum(c.f(...xs), w)));
    const analytic = await withInputs(c, values, plan.real, async (xs) => {
      const tape = new tf.GradientTape();
      try {
        const y = tape.record(() => {
          tape.watch(xs);
          return tf.tidy(() => c.f(...xs));
        });
        // The weights enter as outputGradients (the gradient of L with respect to y). For complex y,
        // ∂L/∂Re y + i·∂L/∂Im y of L = Σ real(w ⊙ y) is conj(w).
        const seed = y.dtype === "complex64" ? tf.conj(w) : w;
        const grads = tape.gradient(y, xs, { outputGradients: seed });
        if (seed !== w) seed.dispose();
        y.dispose();
        return await flatGradients(grads, values);
      } finally {
        tape.dispose();
      }
    });
    const numeric = await finiteDifferences(values, plan.h1, loss);
    numeric.forEach((row, k) => compare(`${c.name}: d/d(input ${k})`, analytic[k]!, row, plan.tol1));
  } finally {
    w.dispose();
  }
}

export async function checkSecondOrder(c: GradientCase, dtype: "float32" | "float64"): Promise<void> {
  const plan = planFor(c, dtype);
  const values = inputValues(c);
  const rand = mulberry32(hash(c.name) ^ 0x85ebca6b);
  const w = await lossWeights(c, values, plan.real, rand);
  const us = c.inputs.map((spec, k) => {
    const v = values[k]!.map(() => (rand() < 0.5 ? -1 : 1) * (0.5 + rand()));
    return makeInput(spec, v, plan.real);
  });
  /** S = Σ_k u_k ⊙ ∂L₂/∂x_k with L₂ = Σ w ⊙ f(x)², computed on an inner tape (inside `outer`, if given). */
  const sOf = (xs: T[], outer: tf.GradientTape | null): T => {
    const inner = new tf.GradientTape();
    try {
      const body = (): T => {
        const l2 = inner.record(() => {
          inner.watch(xs);
          if (outer) outer.watch(xs);
          return tf.tidy(() => {
            const y = c.f(...xs);
            return tf.reduceSum(tf.multiply(tf.multiply(y, y), w));
          });
        });
        const g = inner.gradient(l2, xs, { unconnectedGradients: "zero" });
        l2.dispose();
        const s = tf.tidy(() => g.map((gk, k) => tf.reduceSum(tf.multiply(gk, us[k]!))).reduce((a, b) => tf.add(a, b)));
        tf.dispose(g);
        return s;
      };
      return outer ? outer.record(body) : body();
    } finally {
      inner.dispose();
    }
  };
  try {
    const analytic = await withInputs(c, values, plan.real, async (xs) => {
      const outer = new tf.GradientTape();
      try {
        const s = sOf(xs, outer);
        const hv = outer.gradient(s, xs);
        s.dispose();
        return await flatGradients(hv, values);
      } finally {
        outer.dispose();
      }
    });
    const sValue = (vals: number[][]): Promise<number> => scalarAt(c, vals, plan.real, (xs) => sOf(xs, null));
    const numeric = await finiteDifferences(values, plan.h2, sValue);
    numeric.forEach((row, k) => compare(`${c.name}: second order, input ${k}`, analytic[k]!, row, plan.tol2));
  } finally {
    w.dispose();
    for (const u of us) u.dispose();
  }
}

/** Every kernel of the interface is either checked by a case here or declared non-differentiable. */
export function uncheckedKernels(cases: readonly GradientCase[]): KernelName[] {
  const seen = new Set<string>();
  for (const c of cases) for (const k of [...c.kernels, ...(c.secondKernels ?? [])]) seen.add(k);
  for (const n of nonDifferentiable()) for (const k of n.kernels) seen.add(k);
  return KERNEL_NAMES.filter((k) => !seen.has(k));
}

/** Registers the gradient checks of the conformance suite (called by `describeConformance`). */
export function describeGradientChecks(ctx: ConformanceContext): void {
  const dtype = ctx.has("float64") ? "float64" : "float32";
  const real = realCases(dtype);
  const complex = complexCases();
  describe(`gradients (finite differences, ${dtype}${ctx.has("complex64") ? ", complex64" : ""})`, () => {
    it("every differentiable kernel of the interface has a gradient check", () => {
      expect(uncheckedKernels([...real, ...complex])).toEqual([]);
    });
    describe("first order", () => {
      for (const c of real) {
        ctx.test(c.name, { kernels: c.kernels, dtype, needs: c.needs }, () => checkFirstOrder(c, dtype));
      }
      for (const c of complex) {
        ctx.test(c.name, { kernels: c.kernels, dtype: "complex64", needs: ["float32"] }, () => checkFirstOrder(c, dtype));
      }
    });
    describe("second order (Hessian-vector products through gradients of gradients)", () => {
      for (const c of real) {
        if (c.second === false) continue;
        ctx.test(`${c.name}: second order`, { kernels: [...c.kernels, ...(c.secondKernels ?? [])], dtype, needs: c.needs }, () => checkSecondOrder(c, dtype));
      }
    });
    describe("non-differentiable ops give no gradient", () => {
      for (const n of nonDifferentiable()) {
        ctx.test(n.name, { kernels: n.kernels, dtype }, async () => {
          const x = tf.constant(Float32Array.from([0.3, 1.6, -2.2, 0.9, -0.4, 2.7]), { shape: [2, 3] });
          const xd = dtype === "float64" ? tf.cast(x, "float64") : x;
          const tape = new tf.GradientTape();
          try {
            const y = tape.record(() => {
              tape.watch(xd);
              return tf.tidy(() => n.f(xd));
            });
            const g = tape.gradient(y, xd);
            y.dispose();
            expect(g, `${n.name}: the gradient through a non-differentiable op`).toBeNull();
          } finally {
            tape.dispose();
            if (xd !== x) xd.dispose();
            x.dispose();
          }
        });
      }
    });
  });
}
