/** Composite linear algebra — matrixTranspose, diag, diagPart, trace, bandPart, tensordot, norm, cross — against float64 references. */
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { shapeArb, tensorArb, valuesFor } from "../arbitraries.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { FLOATS, build, describeOpCases, fc, num, opCase, ravel } from "./ops-harness.js";

const matArb = (d: DType, dom = {}) => shapeArb({ minRank: 2, maxRank: 4, maxDim: 4 }).chain((s) => tensorArb(d, fc.constant(s), dom));
const valueAt = (x: HostTensor, idx: number[]) => num(x)[ravel(idx, x.shape)]!;

const matrixTranspose = opCase<null>({
  name: "matrixTranspose", dtypes: [...FLOATS, "int32", "bool"], kernels: ["Transpose"], tolOf: "Transpose",
  arb: (d) => fc.record({ xs: fc.tuple(matArb(d)), p: fc.constant(null) }),
  run: ([x]) => tf.linalg.matrixTranspose(x!),
  ref: ([x]) => {
    const r = x!.shape.length;
    const shape = [...x!.shape.slice(0, -2), x!.shape[r - 1]!, x!.shape[r - 2]!];
    return build(x!.dtype, shape, (idx) => valueAt(x!, [...idx.slice(0, -2), idx[r - 1]!, idx[r - 2]!]));
  },
  show: () => "",
});

const diag = opCase<null>({
  name: "diag", dtypes: [...FLOATS, "int32", "bool"], kernels: ["Where"], tolOf: "Where",
  arb: (d) => fc.record({ xs: fc.tuple(tensorArb(d, shapeArb({ minRank: 1, maxRank: 3, maxDim: 4 }))), p: fc.constant(null) }),
  run: ([x]) => tf.linalg.diag(x!),
  ref: ([x]) => {
    const n = x!.shape[x!.shape.length - 1]!;
    return build(x!.dtype, [...x!.shape, n], (idx) => {
      const [i, j] = idx.slice(-2) as [number, number];
      return i === j ? valueAt(x!, idx.slice(0, -1)) : 0;
    });
  },
  show: () => "",
});

const diagPart = opCase<null>({
  name: "diagPart", dtypes: [...FLOATS, "int32", "bool"], kernels: ["Gather"], tolOf: "Gather",
  arb: (d) => fc.record({ xs: fc.tuple(matArb(d)), p: fc.constant(null) }),
  run: ([x]) => tf.linalg.diagPart(x!),
  ref: ([x]) => {
    const [m, n] = x!.shape.slice(-2) as [number, number];
    return build(x!.dtype, [...x!.shape.slice(0, -2), Math.min(m, n)], (idx) => valueAt(x!, [...idx, idx[idx.length - 1]!]));
  },
  show: () => "",
});

const trace = opCase<null>({
  name: "trace", dtypes: [...FLOATS, "int32"], kernels: ["Gather", "Sum"], tolOf: "Sum",
  arb: (d) => fc.record({ xs: fc.tuple(matArb(d, { special: false })), p: fc.constant(null) }),
  run: ([x]) => tf.linalg.trace(x!),
  ref: ([x]) => {
    const [m, n] = x!.shape.slice(-2) as [number, number];
    const e = build(x!.dtype, x!.shape.slice(0, -2), (idx) => {
      let s = 0;
      for (let i = 0; i < Math.min(m, n); i++) s += valueAt(x!, [...idx, i, i]);
      return s;
    });
    const sc = build("float64", x!.shape.slice(0, -2), (idx) => {
      let s = 0;
      for (let i = 0; i < Math.min(m, n); i++) s += Math.abs(valueAt(x!, [...idx, i, i]));
      return s;
    });
    return { ...e, scale: sc.data as number[] };
  },
  show: () => "",
});

const bandPart = opCase<{ lo: number; up: number }>({
  name: "bandPart", dtypes: [...FLOATS, "int32", "bool"], kernels: ["Where"], tolOf: "Where",
  arb: (d) => shapeArb({ minRank: 2, maxRank: 3, maxDim: 5 }).chain((s) => fc.record({
    xs: fc.tuple(tensorArb(d, fc.constant(s))),
    p: fc.record({ lo: fc.integer({ min: -1, max: s[s.length - 2]! }), up: fc.integer({ min: -1, max: s[s.length - 1]! }) }),
  })),
  run: ([x], p) => tf.linalg.bandPart(x!, p.lo, p.up),
  ref: ([x], p) => build(x!.dtype, x!.shape, (idx) => {
    const [i, j] = idx.slice(-2) as [number, number];
    return (p.lo < 0 || i - j <= p.lo) && (p.up < 0 || j - i <= p.up) ? valueAt(x!, idx) : 0;
  }),
  show: (p) => `numLower ${p.lo}, numUpper ${p.up}`,
});

const tensordot = opCase<{ axes: number | [number[], number[]] }>({
  name: "tensordot", dtypes: [...FLOATS, "int32"], kernels: ["BatchMatMul"], tolOf: "BatchMatMul",
  arb: (d) => fc.tuple(shapeArb({ minRank: 1, maxRank: 3, maxDim: 4, zero: false }), shapeArb({ minRank: 0, maxRank: 2, maxDim: 4, zero: false }), fc.integer({ min: 0, max: 2 }), fc.boolean())
    .chain(([free, freeB, k0, pairs]) => {
      const k = Math.min(k0, free.length);
      const contracted = free.slice(free.length - k);
      const aShape = free;
      // b: the contracted axes (in a's order), then b's free axes; with `pairs`, b's contracted axes are reversed.
      const bShape = pairs ? [...[...contracted].reverse(), ...freeB] : [...contracted, ...freeB];
      const axes: number | [number[], number[]] = pairs
        ? [contracted.map((_, i) => aShape.length - k + i), contracted.map((_, i) => k - 1 - i)]
        : k;
      const dom = { min: -5, max: 5, special: false, integer: d === "int32" };
      return fc.record({ xs: fc.tuple(valuesFor(d, aShape, dom), valuesFor(d, bShape, dom)), p: fc.constant({ axes }) });
    }),
  run: ([a, b], p) => tf.tensordot(a!, b!, p.axes),
  ref: ([a, b], p) => {
    const ra = a!.shape.length, rb = b!.shape.length;
    const [ax, bx] = typeof p.axes === "number"
      ? [Array.from({ length: p.axes }, (_, i) => ra - (p.axes as number) + i), Array.from({ length: p.axes }, (_, i) => i)]
      : p.axes;
    const fa = a!.shape.map((_, i) => i).filter((i) => !ax.includes(i));
    const fb = b!.shape.map((_, i) => i).filter((i) => !bx.includes(i));
    const kShape = ax.map((i) => a!.shape[i]!);
    const kSize = kShape.reduce((x, y) => x * y, 1);
    const shape = [...fa.map((i) => a!.shape[i]!), ...fb.map((i) => b!.shape[i]!)];
    const sum = (abs: boolean) => (idx: number[]) => {
      let s = 0;
      for (let f = 0; f < kSize; f++) {
        const kIdx: number[] = [];
        let r = f;
        for (let q = kShape.length - 1; q >= 0; q--) { kIdx[q] = r % kShape[q]!; r = Math.floor(r / kShape[q]!); }
        const ia = new Array<number>(ra), ib = new Array<number>(rb);
        fa.forEach((ai, q) => { ia[ai] = idx[q]!; });
        fb.forEach((bi, q) => { ib[bi] = idx[fa.length + q]!; });
        ax.forEach((ai, q) => { ia[ai] = kIdx[q]!; ib[bx[q]!] = kIdx[q]!; });
        const t = valueAt(a!, ia) * valueAt(b!, ib);
        s += abs ? Math.abs(t) : t;
      }
      return s;
    };
    const e = build(a!.dtype, shape, sum(false));
    return { ...e, scale: build("float64", shape, sum(true)).data as number[] };
  },
  show: (p) => `axes ${JSON.stringify(p.axes)}`,
});

type Ord = "euclidean" | "fro" | number;
const norm = opCase<{ ord: Ord; axis: number | [number, number] | undefined; keepdims: boolean }>({
  name: "norm", dtypes: FLOATS, kernels: ["Abs"], tolOf: "Sum",
  arb: (d) => shapeArb({ minRank: 2, maxRank: 3, maxDim: 4, zero: false }).chain((s) => fc.record({
    xs: fc.tuple(tensorArb(d, fc.constant(s), { min: -5, max: 5, special: false })),
    p: fc.oneof(
      fc.record({ ord: fc.constantFrom<Ord>("euclidean", 1, 2, 3, 0.5, Infinity), axis: fc.option(fc.integer({ min: -1, max: 0 }), { nil: undefined }), keepdims: fc.boolean() }),
      fc.record({ ord: fc.constantFrom<Ord>("euclidean", "fro", 1, Infinity), axis: fc.constantFrom<[number, number]>([-2, -1], [-1, -2]), keepdims: fc.boolean() }),
    ),
  })),
  run: ([x], p) => tf.norm(x!, { ord: p.ord, axis: p.axis, keepdims: p.keepdims }),
  ref: ([x], p) => {
    const r = x!.shape.length;
    const vec = (vs: number[]): number => {
      const a = vs.map(Math.abs);
      if (p.ord === Infinity) return Math.max(...a);
      const q = p.ord === "euclidean" ? 2 : (p.ord as number);
      return a.reduce((s, v) => s + v ** q, 0) ** (1 / q);
    };
    if (p.axis === undefined) {
      return { dtype: x!.dtype, shape: p.keepdims ? x!.shape.map(() => 1) : [], data: [x!.dtype === "float32" ? Math.fround(vec(num(x!))) : vec(num(x!))] };
    }
    const axes = (typeof p.axis === "number" ? [p.axis] : p.axis).map((a) => (a < 0 ? a + r : a));
    const kept = x!.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const e = build(x!.dtype, kept, (idx) => {
      const grab = (sub: number[]) => { const full = idx.slice(); axes.forEach((a, q) => { full[a] = sub[q]!; }); return valueAt(x!, full); };
      if (axes.length === 1) return vec(Array.from({ length: x!.shape[axes[0]!]! }, (_, k) => grab([k])));
      const [ra, ca] = axes as [number, number];
      const m = x!.shape[ra]!, n = x!.shape[ca]!;
      if (p.ord === "euclidean" || p.ord === "fro") {
        let s = 0;
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) s += grab([i, j]) ** 2;
        return Math.sqrt(s);
      }
      // 1: largest sum over the first axis; ∞: largest sum over the second.
      const [outerN, innerN] = p.ord === 1 ? [n, m] : [m, n];
      let best = 0;
      for (let o = 0; o < outerN; o++) {
        let s = 0;
        for (let i = 0; i < innerN; i++) s += Math.abs(p.ord === 1 ? grab([i, o]) : grab([o, i]));
        best = Math.max(best, s);
      }
      return best;
    });
    return p.keepdims ? e : { ...e, shape: kept.filter((_, i) => !axes.includes(i)) };
  },
  show: (p) => `ord ${String(p.ord)}, axis ${JSON.stringify(p.axis)}, keepdims ${p.keepdims}`,
});

const cross = opCase<null>({
  name: "cross", dtypes: [...FLOATS, "int32"], kernels: ["Gather", "Mul", "Sub"], tolOf: "Mul",
  arb: (d) => shapeArb({ maxRank: 2, maxDim: 3 }).chain((s) => fc.record({
    xs: fc.tuple(valuesFor(d, [...s, 3], { min: -20, max: 20, special: false }), valuesFor(d, [...s, 3], { min: -20, max: 20, special: false })),
    p: fc.constant(null),
  })),
  run: ([a, b]) => tf.linalg.cross(a!, b!),
  ref: ([a, b]) => {
    const e = build(a!.dtype, a!.shape, (idx) => {
      const k = idx[idx.length - 1]!;
      const g = (h: HostTensor, c: number) => valueAt(h, [...idx.slice(0, -1), c]);
      const i = (k + 1) % 3, j = (k + 2) % 3;
      return g(a!, i) * g(b!, j) - g(a!, j) * g(b!, i);
    });
    const sc = build("float64", a!.shape, (idx) => {
      const k = idx[idx.length - 1]!;
      const g = (h: HostTensor, c: number) => Math.abs(valueAt(h, [...idx.slice(0, -1), c]));
      const i = (k + 1) % 3, j = (k + 2) % 3;
      return g(a!, i) * g(b!, j) + g(a!, j) * g(b!, i);
    });
    return { ...e, scale: sc.data as number[] };
  },
  show: () => "",
});

export function describeOpsLinalg(ctx: ConformanceContext): void {
  describeOpCases(ctx, "composite linear algebra", [matrixTranspose, diag, diagPart, trace, bandPart, tensordot, norm, cross]);
}
