/**
 * Ops whose output shape depends on the input's values — `where(condition)`, `booleanMask`, `unique`,
 * `uniqueWithCounts`, `setdiff1d` and their `…Async` forms — against host references. Equality in
 * the references is JavaScript's `===`, which is TensorFlow's (NaN equals nothing, -0 equals 0).
 */
import { describe, expect } from "vitest";
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { shapeArb, tensorArb, valuesFor } from "../arbitraries.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { checkMemory, host, memorySnapshot, readTensor, sizeOf } from "../host.js";
import { FLOATS, describeOpCases, fc, opCase, ravel, unravel } from "./ops-harness.js";

const ALL: DType[] = [...FLOATS, "int32", "bool", "complex64", "string"];
const per = (d: DType): number => (d === "complex64" ? 2 : 1);
const i32 = (shape: number[], data: number[]): HostTensor => ({ dtype: "int32", shape, data });

/** Element i of h as its storage slots. */
const el = (h: HostTensor, i: number): (number | string)[] => h.data.slice(i * per(h.dtype), (i + 1) * per(h.dtype));
const same = (a: (number | string)[], b: (number | string)[]): boolean => a.every((v, k) => v === b[k]);
const truthy = (h: HostTensor, i: number): boolean => el(h, i).some((v) => v !== 0);
const take = (h: HostTensor, positions: number[], shape: number[]): HostTensor =>
  ({ dtype: h.dtype, shape, data: positions.flatMap((p) => el(h, p)) as number[] | string[] });

const whereIndices = opCase<null>({
  name: "where(condition)", dtypes: ["bool", "int32", ...FLOATS, "complex64"], kernels: [], tolOf: "Gather",
  arb: (d) => fc.record({ xs: fc.tuple(tensorArb(d, shapeArb({ maxRank: 4 }), { min: -1, max: 1, integer: true })), p: fc.constant(null) }),
  run: ([c]) => tf.where(c!),
  ref: ([c]) => {
    let n = 0;
    const rows: number[] = [];
    for (let i = 0; i < sizeOf(c!.shape); i++) if (truthy(c!, i)) { n++; rows.push(...unravel(i, c!.shape)); }
    return i32([n, c!.shape.length], rows);
  },
  show: () => "",
});

const booleanMask = opCase<{ axis: number; k: number }>({
  name: "booleanMask", dtypes: ALL, kernels: ["Gather"], tolOf: "Gather",
  arb: (d) => shapeArb({ minRank: 1, maxRank: 4, maxDim: 4 }).chain((shape) =>
    fc.integer({ min: 0, max: shape.length - 1 }).chain((axis) => fc.integer({ min: 1, max: shape.length - axis }).chain((k) => fc.record({
      xs: fc.tuple(valuesFor(d, shape, { special: false }), valuesFor("bool", shape.slice(axis, axis + k))),
      p: fc.constant({ axis, k }),
    })))),
  run: ([x, m], p) => tf.booleanMask(x!, m!, { axis: p.axis - (p.axis % 2 ? x!.shape.length : 0) }),
  ref: ([x, m], p) => {
    const pre = x!.shape.slice(0, p.axis), post = x!.shape.slice(p.axis + p.k);
    const hits: number[] = [];
    for (let i = 0; i < sizeOf(m!.shape); i++) if (truthy(m!, i)) hits.push(i);
    const shape = [...pre, hits.length, ...post];
    const positions: number[] = [];
    for (let f = 0; f < sizeOf(shape); f++) {
      const o = unravel(f, shape);
      const mid = unravel(hits[o[p.axis]!]!, m!.shape);
      positions.push(ravel([...o.slice(0, p.axis), ...mid, ...o.slice(p.axis + 1)], x!.shape));
    }
    return take(x!, positions, shape);
  },
  show: (p) => `axis ${p.axis}`,
});

/** First positions, idx and counts by quadratic search with `===`. */
function uniqueRef(x: HostTensor): { first: number[]; idx: number[]; count: number[] } {
  const first: number[] = [], idx: number[] = [], count: number[] = [];
  for (let i = 0; i < x.shape[0]!; i++) {
    const j = first.findIndex((f) => same(el(x, f), el(x, i)));
    if (j < 0) { idx.push(first.length); first.push(i); count.push(1); } else { idx.push(j); count[j]!++; }
  }
  return { first, idx, count };
}

// Small integer values (NaN, ±Inf and -0 mixed in for floats) so that repeats are common.
const vectorArb = (d: DType, maxLength = 8) => fc.integer({ min: 0, max: maxLength }).chain((n) => valuesFor(d, [n], { min: -3, max: 3, integer: true }));

const unique = opCase<null>({
  name: "unique and uniqueWithCounts", dtypes: ALL, kernels: ["Gather"], tolOf: "Gather",
  arb: (d) => fc.record({ xs: fc.tuple(vectorArb(d)), p: fc.constant(null) }),
  run: ([x]) => { const a = tf.unique(x!); const b = tf.uniqueWithCounts(x!); return [a.y, a.idx, b.y, b.idx, b.count]; },
  ref: ([x]) => {
    const r = uniqueRef(x!);
    const y = take(x!, r.first, [r.first.length]);
    const idx = i32([r.idx.length], r.idx);
    return [y, idx, y, idx, i32([r.count.length], r.count)];
  },
  show: () => "",
});

const setdiff1d = opCase<null>({
  name: "setdiff1d", dtypes: ALL, kernels: ["Gather"], tolOf: "Gather",
  arb: (d) => fc.record({ xs: fc.tuple(vectorArb(d), vectorArb(d, 4)), p: fc.constant(null) }),
  run: ([x, y]) => { const r = tf.setdiff1d(x!, y!); return [r.out, r.idx]; },
  ref: ([x, y]) => {
    const keep: number[] = [];
    for (let i = 0; i < x!.shape[0]!; i++) if (![...Array(y!.shape[0]!).keys()].some((j) => same(el(y!, j), el(x!, i)))) keep.push(i);
    return [take(x!, keep, [keep.length]), i32([keep.length], keep)];
  },
  show: () => "",
});

/** The async forms agree with fixed answers and leave memory as they found it. */
function describeAsyncForms(ctx: ConformanceContext): void {
  ctx.test("whereAsync, booleanMaskAsync, uniqueAsync, uniqueWithCountsAsync and setdiff1dAsync read with await", { kernels: ["Gather"] }, async () => {
    const before = memorySnapshot();
    const x = tf.constant([[1, 2], [3, 4], [5, 6]], "float32");
    const v = tf.constant([4, 4, -1, 7, -1, 4]);
    const results: tf.Tensor[] = [];
    const read = async (t: tf.Tensor): Promise<HostTensor> => { results.push(t); return readTensor(t); };
    try {
      expect(await read(await tf.whereAsync([[false, true], [true, true]]))).toEqual(i32([3, 2], [0, 1, 1, 0, 1, 1]));
      expect(await read(await tf.booleanMaskAsync(x, [true, false, true]))).toEqual(host("float32", [2, 2], [1, 2, 5, 6]));
      expect(await read(await tf.booleanMaskAsync(x, [false, true], { axis: 1 }))).toEqual(host("float32", [3, 1], [2, 4, 6]));
      const u = await tf.uniqueAsync(v);
      expect([await read(u.y), await read(u.idx)]).toEqual([i32([3], [4, -1, 7]), i32([6], [0, 0, 1, 2, 1, 0])]);
      const c = await tf.uniqueWithCountsAsync(v);
      expect([await read(c.y), await read(c.idx), await read(c.count)]).toEqual([i32([3], [4, -1, 7]), i32([6], [0, 0, 1, 2, 1, 0]), i32([3], [3, 2, 1])]);
      const s = await tf.setdiff1dAsync([1, 2, 3, 4, 5, 6, 2], [1, 3, 5]);
      expect([await read(s.out), await read(s.idx)]).toEqual([i32([4], [2, 4, 6, 2]), i32([4], [1, 3, 5, 6])]);
    } finally {
      tf.dispose([x, v, ...results]);
    }
    checkMemory(before, "after the async ops and dispose()");
  });
}

export function describeOpsDataDependent(ctx: ConformanceContext): void {
  describeOpCases(ctx, "ops with value-dependent output shapes", [whereIndices, booleanMask, unique, setdiff1d]);
  describe("ops with value-dependent output shapes, async forms", () => describeAsyncForms(ctx));
}
