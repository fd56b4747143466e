/**
 * Composite math and activation ops (cumulative sums and products, clipping, safe divisions, float
 * predicates, truncating division, polyval, variance-style reductions, relu6/selu/silu/logSigmoid/
 * softsign/gelu) against float64 references.
 */
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { UNARY_SPECS } from "@tessera/core/kernel";
import { shapeArb, tensorArb, valuesFor } from "../arbitraries.js";
import type { Expected } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { FLOATS, at, broadcastShape, build, describeOpCases, fc, linesAlong, num, opCase, store } from "./ops-harness.js";

interface CumP { axis: number; exclusive: boolean; reverse: boolean }

/** Reference of a cumulative op: `combine` over each line, exclusive/reverse as TensorFlow. */
function cumulativeRef(x: HostTensor, p: CumP, unit: number, combine: (a: number, b: number) => number, mag: (v: number) => number): Expected {
  const v = num(x);
  const out = new Array<number>(v.length);
  const scale = new Array<number>(v.length);
  for (const line of linesAlong(x.shape, p.axis)) {
    const order = p.reverse ? [...line].reverse() : line;
    let acc = unit, m = 0;
    for (const i of order) {
      if (p.exclusive) {
        out[i] = store(x.dtype, acc);
        scale[i] = m;
        acc = combine(acc, v[i]!);
        m += mag(v[i]!);
      } else {
        acc = combine(acc, v[i]!);
        m += mag(v[i]!);
        out[i] = store(x.dtype, acc);
        scale[i] = m;
      }
    }
  }
  return { dtype: x.dtype, shape: x.shape, data: out, scale };
}

const cumArb = (dtype: DType, dom: { min: number; max: number; special?: boolean }) =>
  shapeArb({ minRank: 1, maxRank: 3, maxDim: 7 }).chain((shape) => fc.record({
    xs: fc.tuple(tensorArb(dtype, fc.constant(shape), { special: false, ...dom })),
    p: fc.record({ axis: fc.integer({ min: -shape.length, max: shape.length - 1 }), exclusive: fc.boolean(), reverse: fc.boolean() }),
  }));
const norm = (p: CumP, rank: number): CumP => ({ ...p, axis: p.axis < 0 ? p.axis + rank : p.axis });
const showCum = (p: CumP) => `axis ${p.axis}, exclusive ${p.exclusive}, reverse ${p.reverse}`;

const cumsum = opCase<CumP>({
  name: "cumsum", dtypes: [...FLOATS, "int32"], kernels: ["Slice", "Concat", "Add"], tolOf: "Add",
  arb: (d) => cumArb(d, { min: -100, max: 100 }),
  run: ([x], p) => tf.math.cumsum(x!, p),
  ref: ([x], p) => cumulativeRef(x!, norm(p, x!.shape.length), 0, (a, b) => a + b, Math.abs),
  show: showCum,
});

const cumprod = opCase<CumP>({
  name: "cumprod", dtypes: [...FLOATS, "int32"], kernels: ["Slice", "Concat", "Mul"], tolOf: "Mul",
  arb: (d) => cumArb(d, { min: -3, max: 3 }),
  run: ([x], p) => tf.math.cumprod(x!, p),
  ref: ([x], p) => cumulativeRef(x!, norm(p, x!.shape.length), 1, (a, b) => a * b, () => 0),
  show: showCum,
});

const cumulativeLogsumexp = opCase<CumP>({
  name: "cumulativeLogsumexp", dtypes: FLOATS, kernels: ["Slice", "Concat", "Exp", "Log"], tolOf: "Log",
  arb: (d) => cumArb(d, { min: -20, max: 20 }),
  run: ([x], p) => tf.math.cumulativeLogsumexp(x!, p),
  ref: ([x], p) => {
    const r = cumulativeRef(x!, norm(p, x!.shape.length), -Infinity, (a, b) => {
      const m = Math.max(a, b);
      return m === -Infinity ? m : m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }, () => 0);
    // The result's magnitude can be near 0 after cancellation of logs: allow an absolute error of the inputs' size.
    return { ...r, scale: r.data.map(() => 20) };
  },
  show: showCum,
});

/** Elementwise case over inputs that broadcast: `f` of the inputs' values at each output element. */
function elementwise(
  name: string, dtypes: DType[], kernels: OpCaseKernels, arity: number, run: (xs: tf.Tensor[]) => tf.Tensor,
  f: (...v: number[]) => number, opts: { out?: DType; dom?: { min?: number; max?: number; special?: boolean; nonZero?: boolean }[]; scale?: (...v: number[]) => number } = {},
) {
  return opCase<null>({
    name, dtypes, kernels, tolOf: kernels[0]!,
    arb: (d) => shapeArb({ maxRank: 3 }).chain((out) => fc.tuple(...Array.from({ length: arity }, (_, k) =>
      fc.tuple(fc.integer({ min: 0, max: out.length }), fc.boolean()).chain(([drop, one]) =>
        valuesFor(d, out.slice(drop).map((s, i) => (one && i === 0 ? 1 : s)), opts.dom?.[k] ?? opts.dom?.[0] ?? {})))))
      .map((xs) => ({ xs, p: null })),
    run: (xs) => run(xs),
    ref: (xs) => {
      const shape = broadcastShape(...xs.map((x) => x.shape));
      const e = build(opts.out ?? xs[0]!.dtype, shape, (idx) => f(...xs.map((x) => at(x, idx))));
      if (opts.scale) e.scale = build("float64", shape, (idx) => opts.scale!(...xs.map((x) => at(x, idx)))).data as number[];
      return e;
    },
    show: () => "",
  });
}
type OpCaseKernels = Parameters<typeof opCase>[0]["kernels"];

const clipByValue = opCase<{ lo: number; hi: number }>({
  name: "clipByValue", dtypes: [...FLOATS, "int32"], kernels: ["Maximum", "Minimum"], tolOf: "Maximum",
  arb: (d) => fc.record({
    xs: fc.tuple(tensorArb(d, shapeArb({ maxRank: 3 }), { min: -10, max: 10 })),
    p: fc.tuple(fc.integer({ min: -6, max: 2 }), fc.integer({ min: 0, max: 6 })).map(([lo, w]) => ({ lo, hi: lo + w })),
  }),
  run: ([x], p) => tf.clipByValue(x!, p.lo, p.hi),
  ref: ([x], p) => ({ ...x!, data: num(x!).map((v) => (v !== v ? v : Math.min(Math.max(v, p.lo), p.hi))) }),
  show: (p) => `[${p.lo}, ${p.hi}]`,
});

const clipByNorm = opCase<{ c: number; axes: number[] | undefined }>({
  name: "clipByNorm", dtypes: FLOATS, kernels: ["Square", "Sum", "Sqrt", "Div"], tolOf: "Sum",
  arb: (d) => shapeArb({ minRank: 1, maxRank: 3, zero: false }).chain((shape) => fc.record({
    xs: fc.tuple(tensorArb(d, fc.constant(shape), { min: -5, max: 5, special: false })),
    p: fc.record({ c: fc.constantFrom(0.5, 3, 100), axes: fc.option(fc.constant([shape.length - 1]), { nil: undefined }) }),
  })),
  run: ([x], p) => tf.clipByNorm(x!, p.c, { axes: p.axes }),
  ref: ([x], p) => {
    const v = num(x!);
    const out = v.slice();
    const groups = p.axes ? linesAlong(x!.shape, x!.shape.length - 1) : [v.map((_, i) => i)];
    for (const g of groups) {
      const n = Math.sqrt(g.reduce((s, i) => s + v[i]! ** 2, 0));
      for (const i of g) out[i] = store(x!.dtype, (v[i]! * p.c) / Math.max(n, p.c));
    }
    return { ...x!, data: out };
  },
  show: (p) => `clipNorm ${p.c}, axes ${JSON.stringify(p.axes)}`,
});

const clipByGlobalNorm = opCase<{ c: number }>({
  name: "clipByGlobalNorm", dtypes: FLOATS, kernels: ["Square", "Sum", "Sqrt", "Mul"], tolOf: "Sum",
  arb: (d) => fc.record({
    xs: fc.tuple(tensorArb(d, shapeArb({ maxRank: 2, zero: false }), { min: -5, max: 5, special: false }), tensorArb(d, shapeArb({ maxRank: 2, zero: false }), { min: -5, max: 5, special: false })),
    p: fc.record({ c: fc.constantFrom(0.5, 3, 1000) }),
  }),
  run: (xs, p) => { const [list, n] = tf.clipByGlobalNorm(xs, p.c); return [...(list as tf.Tensor[]), n]; },
  ref: (xs, p) => {
    const g = Math.sqrt(xs.reduce((s, x) => s + num(x).reduce((a, v) => a + v * v, 0), 0));
    const k = p.c / Math.max(g, p.c);
    return [...xs.map((x) => ({ ...x, data: num(x).map((v) => store(x.dtype, v * k)) })), { dtype: xs[0]!.dtype, shape: [], data: [store(xs[0]!.dtype, g)] }];
  },
  show: (p) => `clipNorm ${p.c}`,
});

const divideNoNan = elementwise("divideNoNan", FLOATS, ["Div", "Where"], 2, ([a, b]) => tf.math.divideNoNan(a!, b!), (a, b) => (b === 0 ? 0 : a / b));
const xlogy = elementwise("xlogy", FLOATS, ["Log", "Mul", "Where"], 2, ([a, b]) => tf.math.xlogy(a!, b!), (a, b) => (a === 0 ? 0 : a * Math.log(b)), {
  dom: [{ min: -5, max: 5 }, { min: 0, max: 50 }],
});
const xdivy = elementwise("xdivy", FLOATS, ["Div", "Where"], 2, ([a, b]) => tf.math.xdivy(a!, b!), (a, b) => (a === 0 ? 0 : a / b));
const isInf = elementwise("isInf", FLOATS, ["Abs", "Equal"], 1, ([a]) => tf.math.isInf(a!), (a) => (Math.abs(a) === Infinity ? 1 : 0), { out: "bool" });
const isFinite = elementwise("isFinite", FLOATS, ["Abs", "Less"], 1, ([a]) => tf.math.isFinite(a!), (a) => (Number.isFinite(a) ? 1 : 0), { out: "bool" });
const logicalXor = elementwise("logicalXor", ["bool"], ["LogicalAnd", "LogicalOr", "LogicalNot"], 2, ([a, b]) => tf.math.logicalXor(a!, b!), (a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0));
const truncDiv = (a: number, b: number) => Math.trunc(a / b);
const truncatediv = elementwise("truncatediv", ["int32"], ["FloorDiv", "FloorMod", "Where"], 2, ([a, b]) => tf.truncatediv(a!, b!), truncDiv, { dom: [{ min: -50, max: 50 }, { min: -9, max: 9, nonZero: true }] });
const truncatemod = elementwise("truncatemod", ["int32"], ["FloorMod", "Where"], 2, ([a, b]) => tf.truncatemod(a!, b!), (a, b) => a - truncDiv(a, b) * b, { dom: [{ min: -50, max: 50 }, { min: -9, max: 9, nonZero: true }] });
const relu6 = elementwise("relu6", [...FLOATS, "int32"], ["Relu", "Where"], 1, ([a]) => tf.nn.relu6(a!), (a) => (a !== a ? a : Math.min(Math.max(a, 0), 6)), { dom: [{ min: -10, max: 10 }] });
const SELU_A = 1.6732632423543772, SELU_S = 1.0507009873554805;
const selu = elementwise("selu", FLOATS, ["Elu", "Where"], 1, ([a]) => tf.nn.selu(a!), (a) => SELU_S * (a > 0 ? a : SELU_A * Math.expm1(a)), { dom: [{ min: -20, max: 20 }] });
const silu = elementwise("silu", FLOATS, ["Sigmoid", "Mul"], 1, ([a]) => tf.nn.silu(a!), (a) => a / (1 + Math.exp(-a)), { dom: [{ min: -30, max: 30 }] });
const swish = elementwise("silu (beta 2, as swish)", FLOATS, ["Sigmoid", "Mul"], 1, ([a]) => tf.nn.swish(a!, { beta: 2 }), (a) => a / (1 + Math.exp(-2 * a)), { dom: [{ min: -30, max: 30 }] });
const logSigmoid = elementwise("logSigmoid", FLOATS, ["Softplus", "Neg"], 1, ([a]) => tf.math.logSigmoid(a!), (a) => -(Math.max(-a, 0) + Math.log1p(Math.exp(-Math.abs(a)))), { dom: [{ min: -50, max: 50 }] });
const softsign = elementwise("softsign", FLOATS, ["Abs", "Div"], 1, ([a]) => tf.nn.softsign(a!), (a) => a / (1 + Math.abs(a)), { dom: [{ min: -100, max: 100, special: false }] });
const erfcRef = UNARY_SPECS.Erfc.test.real!;
const gelu = elementwise("gelu", FLOATS, ["Erfc", "Mul"], 1, ([a]) => tf.nn.gelu(a!), (a) => 0.5 * a * erfcRef(-a * Math.SQRT1_2), { dom: [{ min: -12, max: 12 }] });
const geluTanh = elementwise("gelu (approximate)", FLOATS, ["Tanh", "Mul", "Add"], 1, ([a]) => tf.nn.gelu(a!, { approximate: true }),
  (a) => 0.5 * a * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (a + 0.044715 * a ** 3))), { dom: [{ min: -12, max: 12 }] });
const addN = elementwise("addN", [...FLOATS, "int32"], ["Add"], 3, (xs) => tf.math.addN(xs.map((x) => tf.broadcastTo(x, broadcastShape(...xs.map((t) => t.shape))))), (a, b, c) => a + b + c, {
  scale: (a, b, c) => Math.abs(a) + Math.abs(b) + Math.abs(c), dom: [{ special: false }],
});
const polyval = elementwise("polyval", FLOATS, ["Mul", "Add"], 3, ([x, c0, c1]) => tf.math.polyval([c0!, c1!, 2.5], x!), (x, c0, c1) => (c0 * x + c1) * x + 2.5, {
  dom: [{ min: -5, max: 5, special: false }], scale: (x, c0, c1) => (Math.abs(c0 * x) + Math.abs(c1)) * Math.abs(x) + 2.5,
});

interface RedP { axis: number | undefined; keepdims: boolean }
/** Reference reduction over one axis (or all): `f` of each group's values. */
function reduceRef(x: HostTensor, p: RedP, f: (vs: number[]) => number, outDtype: DType = x.dtype): Expected {
  const v = num(x);
  if (p.axis === undefined) return { dtype: outDtype, shape: p.keepdims ? x.shape.map(() => 1) : [], data: [store(outDtype, f(v))] };
  const axis = p.axis < 0 ? p.axis + x.shape.length : p.axis;
  const shape = x.shape.map((d, i) => (i === axis ? 1 : d));
  const data = linesAlong(x.shape, axis).map((line) => store(outDtype, f(line.map((i) => v[i]!))));
  return { dtype: outDtype, shape: p.keepdims ? shape : shape.filter((_, i) => i !== axis), data };
}
const redArb = (d: DType, dom: { min: number; max: number; special?: boolean }) =>
  shapeArb({ minRank: 1, maxRank: 3, zero: false }).chain((shape) => fc.record({
    xs: fc.tuple(tensorArb(d, fc.constant(shape), { special: false, ...dom })),
    p: fc.record({ axis: fc.option(fc.integer({ min: -shape.length, max: shape.length - 1 }), { nil: undefined }), keepdims: fc.boolean() }),
  }));
const mean = (vs: number[]) => vs.reduce((a, b) => a + b, 0) / vs.length;
const variance = (vs: number[]) => { const m = mean(vs); return mean(vs.map((v) => (v - m) ** 2)); };
const showRed = (p: RedP) => `axis ${p.axis}, keepdims ${p.keepdims}`;

const reduceVariance = opCase<RedP>({
  name: "reduceVariance", dtypes: FLOATS, kernels: ["Sum", "Sub", "Square"], tolOf: "Sum",
  arb: (d) => redArb(d, { min: -10, max: 10 }),
  run: ([x], p) => tf.math.reduceVariance(x!, p),
  ref: ([x], p) => { const e = reduceRef(x!, p, variance); return { ...e, scale: e.data.map(() => 100) }; },
  show: showRed,
});
const reduceStd = opCase<RedP>({
  name: "reduceStd", dtypes: FLOATS, kernels: ["Sum", "Sqrt"], tolOf: "Sum",
  arb: (d) => redArb(d, { min: -10, max: 10 }),
  run: ([x], p) => tf.math.reduceStd(x!, p),
  ref: ([x], p) => { const e = reduceRef(x!, p, (vs) => Math.sqrt(variance(vs))); return { ...e, scale: e.data.map(() => 10) }; },
  show: showRed,
});
const reduceEuclideanNorm = opCase<RedP>({
  name: "reduceEuclideanNorm", dtypes: FLOATS, kernels: ["Square", "Sum", "Sqrt"], tolOf: "Sum",
  arb: (d) => redArb(d, { min: -10, max: 10 }),
  run: ([x], p) => tf.math.reduceEuclideanNorm(x!, p),
  ref: ([x], p) => reduceRef(x!, p, (vs) => Math.sqrt(vs.reduce((a, b) => a + b * b, 0))),
  show: showRed,
});
const countNonzero = opCase<RedP>({
  name: "countNonzero", dtypes: [...FLOATS, "int32", "bool"], kernels: ["Cast", "Sum"], tolOf: "Sum",
  arb: (d) => redArb(d, { min: -2, max: 2, special: true }),
  run: ([x], p) => tf.math.countNonzero(x!, p),
  ref: ([x], p) => reduceRef(x!, p, (vs) => vs.filter((v) => v !== 0).length, "int32"),
  show: showRed,
});

const CASES = [
  cumsum, cumprod, cumulativeLogsumexp, clipByValue, clipByNorm, clipByGlobalNorm, divideNoNan, xlogy, xdivy, isInf, isFinite,
  logicalXor, truncatediv, truncatemod, relu6, selu, silu, swish, logSigmoid, softsign, gelu, geluTanh, addN, polyval,
  reduceVariance, reduceStd, reduceEuclideanNorm, countNonzero,
];

export function describeOpsMath(ctx: ConformanceContext): void {
  describeOpCases(ctx, "composite math and activation ops", CASES);
}
