/** Composite shape ops — reverse, roll, linspace, meshgrid, depthToSpace, spaceToDepth, sequenceMask — against host references. */
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { shapeArb, tensorArb } from "../arbitraries.js";
import type { ConformanceContext } from "../context.js";
import { FLOATS, build, describeOpCases, fc, num, opCase, ravel, store } from "./ops-harness.js";

const ALL: DType[] = [...FLOATS, "int32", "bool"];

const reverse = opCase<{ axes: number[] }>({
  name: "reverse", dtypes: [...ALL, "string"], kernels: ["Gather"], tolOf: "Gather",
  arb: (d) => shapeArb({ minRank: 1, maxRank: 4 }).chain((shape) => fc.record({
    xs: fc.tuple(tensorArb(d, fc.constant(shape))),
    p: fc.record({ axes: fc.subarray(shape.map((_, i) => i), { minLength: 1 }).chain((a) => fc.constant(a.map((v, k) => (k % 2 ? v - shape.length : v)))) }),
  })),
  run: ([x], p) => tf.reverse(x!, p.axes),
  ref: ([x], p) => {
    const r = x!.shape.length;
    const axes = p.axes.map((a) => (a < 0 ? a + r : a));
    const e = build("float64", x!.shape, (idx) => ravel(idx.map((v, k) => (axes.includes(k) ? x!.shape[k]! - 1 - v : v)), x!.shape));
    return { ...x!, data: (e.data as number[]).map((i) => x!.data[i]!) as number[] };
  },
  show: (p) => `axis ${JSON.stringify(p.axes)}`,
});

const roll = opCase<{ shift: number[]; axis: number[] }>({
  name: "roll", dtypes: ALL, kernels: ["Slice", "Concat"], tolOf: "Concat",
  arb: (d) => shapeArb({ minRank: 1, maxRank: 3, zero: false, maxDim: 6 }).chain((shape) => fc.record({
    xs: fc.tuple(tensorArb(d, fc.constant(shape))),
    p: fc.array(fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -shape.length, max: shape.length - 1 })), { minLength: 1, maxLength: 3 })
      .map((pairs) => ({ shift: pairs.map((q) => q[0]), axis: pairs.map((q) => q[1]) })),
  })),
  run: ([x], p) => tf.roll(x!, p.shift, p.axis),
  ref: ([x], p) => {
    const r = x!.shape.length;
    const total = new Array<number>(r).fill(0);
    p.axis.forEach((a, i) => { total[a < 0 ? a + r : a]! += p.shift[i]!; });
    const e = build("float64", x!.shape, (idx) => ravel(idx.map((v, k) => {
      const n = x!.shape[k]!;
      return (((v - total[k]!) % n) + n) % n;
    }), x!.shape));
    return { ...x!, data: (e.data as number[]).map((i) => x!.data[i]!) as number[] };
  },
  show: (p) => `shift ${JSON.stringify(p.shift)}, axis ${JSON.stringify(p.axis)}`,
});

const linspace = opCase<{ num: number; axis: number; start: number; stop: number }>({
  name: "linspace", dtypes: FLOATS, kernels: ["Add", "Mul", "Concat"], tolOf: "Mul",
  arb: (d) => fc.record({
    xs: fc.tuple(tensorArb(d, shapeArb({ maxRank: 2, zero: false, maxDim: 3 }), { min: -10, max: 10, special: false })),
    p: fc.record({ num: fc.integer({ min: 0, max: 6 }), axis: fc.integer({ min: -1, max: 0 }), start: fc.constant(0), stop: fc.integer({ min: -5, max: 5 }) }),
  }),
  // start: the generated tensor; stop: a number that broadcasts against it.
  run: ([x], p) => tf.linspace(x!, p.stop, p.num, { axis: p.axis }),
  ref: ([x], p) => {
    const r = x!.shape.length;
    const axis = p.axis < 0 ? p.axis + r + 1 : p.axis;
    const shape = [...x!.shape];
    shape.splice(axis, 0, p.num);
    const v = num(x!);
    const e = build(x!.dtype, shape, (idx) => {
      const k = idx[axis]!;
      const rest = idx.filter((_, i) => i !== axis);
      const s = v[ravel(rest, x!.shape)]!;
      if (p.num === 1) return s;
      if (k === p.num - 1) return p.stop;
      return s + (k * (p.stop - s)) / (p.num - 1);
    });
    // Values computed as start + k·delta in the dtype: absolute error on the inputs' scale.
    return { ...e, scale: e.data.map(() => 20) };
  },
  show: (p) => `stop ${p.stop}, num ${p.num}, axis ${p.axis}`,
});

const meshgrid = opCase<{ indexing: "xy" | "ij" }>({
  name: "meshgrid", dtypes: [...FLOATS, "int32"], kernels: ["Tile"], tolOf: "Tile",
  arb: (d) => fc.record({
    xs: fc.array(tensorArb(d, shapeArb({ minRank: 1, maxRank: 1, maxDim: 4 })), { minLength: 1, maxLength: 3 }),
    p: fc.record({ indexing: fc.constantFrom<"xy" | "ij">("xy", "ij") }),
  }),
  run: (xs, p) => tf.meshgrid(xs, { indexing: p.indexing }),
  ref: (xs, p) => {
    const n = xs.length;
    const pos = (i: number) => (p.indexing === "xy" && n >= 2 && i < 2 ? 1 - i : i);
    const shape = new Array<number>(n);
    xs.forEach((x, i) => { shape[pos(i)] = x.shape[0]!; });
    return xs.map((x, i) => build(x.dtype, shape, (idx) => store(x.dtype, num(x)[idx[pos(i)]!]!)));
  },
  show: (p) => `indexing ${p.indexing}`,
});

const depthToSpace = opCase<{ b: number }>({
  name: "depthToSpace", dtypes: [...ALL, "string"], kernels: ["Transpose"], tolOf: "Transpose",
  arb: (d) => fc.tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }))
    .chain(([b, n, h, w, c]) => fc.record({ xs: fc.tuple(tensorArb(d, fc.constant([n, h, w, b * b * c]))), p: fc.constant({ b }) })),
  run: ([x], p) => tf.nn.depthToSpace(x!, p.b),
  ref: ([x], p) => {
    const [n, h, w, c] = x!.shape as [number, number, number, number];
    const b = p.b, d = c / (b * b);
    const e = build("float64", [n, h * b, w * b, d], ([i, y, z, k]) => ravel([i!, Math.floor(y! / b), Math.floor(z! / b), ((y! % b) * b + (z! % b)) * d + k!], x!.shape));
    return { ...x!, shape: e.shape, data: (e.data as number[]).map((f) => x!.data[f]!) as number[] };
  },
  show: (p) => `blockSize ${p.b}`,
});

const spaceToDepth = opCase<{ b: number }>({
  name: "spaceToDepth", dtypes: ALL, kernels: ["Transpose"], tolOf: "Transpose",
  arb: (d) => fc.tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }))
    .chain(([b, n, h, w, c]) => fc.record({ xs: fc.tuple(tensorArb(d, fc.constant([n, h * b, w * b, c]))), p: fc.constant({ b }) })),
  run: ([x], p) => tf.nn.spaceToDepth(x!, p.b),
  ref: ([x], p) => {
    const [n, h, w, c] = x!.shape as [number, number, number, number];
    const b = p.b;
    const e = build("float64", [n, h / b, w / b, c * b * b], ([i, y, z, k]) => {
      const blk = Math.floor(k! / c), ch = k! % c;
      return ravel([i!, y! * b + Math.floor(blk / b), z! * b + (blk % b), ch], x!.shape);
    });
    return { ...x!, shape: e.shape, data: (e.data as number[]).map((f) => x!.data[f]!) as number[] };
  },
  show: (p) => `blockSize ${p.b}`,
});

const sequenceMask = opCase<{ maxlen: number | undefined }>({
  name: "sequenceMask", dtypes: ["int32"], kernels: ["Less"], tolOf: "Less",
  arb: () => fc.record({
    xs: fc.tuple(tensorArb("int32", shapeArb({ maxRank: 2, maxDim: 4 }), { min: 0, max: 6 })),
    p: fc.record({ maxlen: fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }) }),
  }),
  run: ([x], p) => [tf.sequenceMask(x!, { maxlen: p.maxlen }), tf.sequenceMask(x!, { maxlen: p.maxlen, dtype: "float32" })],
  ref: ([x], p) => {
    const v = num(x!);
    const m = p.maxlen ?? v.reduce((a, b) => Math.max(a, b), 0);
    const f = (idx: number[]) => (idx[idx.length - 1]! < v[ravel(idx.slice(0, -1), x!.shape)]! ? 1 : 0);
    return [build("bool", [...x!.shape, m], f), build("float32", [...x!.shape, m], f)];
  },
  show: (p) => `maxlen ${p.maxlen}`,
});

export function describeOpsShape(ctx: ConformanceContext): void {
  describeOpCases(ctx, "composite shape ops", [reverse, roll, linspace, meshgrid, depthToSpace, spaceToDepth, sequenceMask]);
}
