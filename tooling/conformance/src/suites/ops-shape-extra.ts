/**
 * spaceToBatchNd / batchToSpaceNd (and TF2's spaceToBatch / batchToSpace), broadcastDynamicShape,
 * ensureShape, unravelIndex and eye with batchShape, against host references.
 */
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { shapeArb, valuesFor } from "../arbitraries.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { FLOATS, build, describeOpCases, fc, num, opCase, ravel } from "./ops-harness.js";

const ALL: DType[] = [...FLOATS, "int32", "bool", "complex64", "string"];
const per = (d: DType): number => (d === "complex64" ? 2 : 1);

/** A host tensor of `shape` whose element at each index is `x`'s element at `src(idx)` (or zero/empty where it returns null). */
function gatherHost(x: HostTensor, shape: number[], src: (idx: number[]) => number | null): HostTensor {
  const flat = build("float64", shape, (idx) => src(idx) ?? -1).data as number[];
  const zero = x.dtype === "string" ? "" : 0;
  const data = flat.flatMap((f) => (f < 0 ? new Array(per(x.dtype)).fill(zero) : x.data.slice(f * per(x.dtype), (f + 1) * per(x.dtype))));
  return { dtype: x.dtype, shape, data: data as number[] | string[] };
}

interface BlockP { block: number[]; pairs: [number, number][]; alias: boolean }

const spaceToBatchNd = opCase<BlockP>({
  name: "spaceToBatchNd and spaceToBatch", dtypes: ALL, kernels: ["Pad", "Transpose"], tolOf: "Transpose",
  arb: (d) => fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), shapeArb({ maxRank: 1, maxDim: 2, zero: false }), fc.boolean()).chain(([m, batch, rest, alias]) =>
    fc.tuple(...Array.from({ length: m }, () => fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }))
      .chain(([b, k]) => fc.integer({ min: 0, max: k * b - 1 }).chain((p0) => fc.integer({ min: 0, max: k * b - 1 - p0 }).map((p1) => ({ b, p0, p1, size: k * b - p0 - p1 }))))))
      .chain((axes) => fc.record({
        xs: fc.tuple(valuesFor(d, [batch, ...axes.map((a) => a.size), ...rest], { special: false })),
        p: fc.constant({ block: axes.map((a) => a.b), pairs: axes.map((a): [number, number] => [a.p0, a.p1]), alias }),
      }))),
  run: ([x], p) => (p.alias ? tf.spaceToBatch : tf.spaceToBatchNd)(x!, p.block, p.pairs),
  ref: ([x], p) => {
    const [batch, ...restAll] = x!.shape as [number, ...number[]];
    const m = p.block.length;
    const spatial = restAll.slice(0, m), rest = restAll.slice(m);
    const padded = spatial.map((s, i) => s + p.pairs[i]![0] + p.pairs[i]![1]);
    const prod = p.block.reduce((a, b) => a * b, 1);
    const shape = [batch * prod, ...padded.map((s, i) => s / p.block[i]!), ...rest];
    return gatherHost(x!, shape, (idx) => {
      const b = idx[0]! % batch, off = Math.floor(idx[0]! / batch);
      const o = [...Array(m).keys()].map((i) => Math.floor(off / p.block.slice(i + 1).reduce((a, c) => a * c, 1)) % p.block[i]!);
      const src = o.map((oi, i) => idx[1 + i]! * p.block[i]! + oi - p.pairs[i]![0]);
      if (src.some((v, i) => v < 0 || v >= spatial[i]!)) return null;
      return ravel([b, ...src, ...idx.slice(1 + m)], x!.shape);
    });
  },
  show: (p) => JSON.stringify(p),
});

const batchToSpaceNd = opCase<BlockP>({
  name: "batchToSpaceNd and batchToSpace", dtypes: ALL, kernels: ["Transpose", "Slice"], tolOf: "Transpose",
  arb: (d) => fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), shapeArb({ maxRank: 1, maxDim: 2, zero: false }), fc.boolean()).chain(([m, batch, rest, alias]) =>
    fc.tuple(...Array.from({ length: m }, () => fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }))))
      .chain((axes) => fc.tuple(...axes.map(([b, s]) => fc.integer({ min: 0, max: b * s }).chain((c0) => fc.integer({ min: 0, max: b * s - c0 }).map((c1): [number, number] => [c0, c1]))))
        .chain((pairs) => fc.record({
          xs: fc.tuple(valuesFor(d, [batch * axes.reduce((a, [b]) => a * b, 1), ...axes.map(([, s]) => s), ...rest], { special: false })),
          p: fc.constant({ block: axes.map((a) => a[0]), pairs, alias }),
        })))),
  run: ([x], p) => (p.alias ? tf.batchToSpace : tf.batchToSpaceNd)(x!, p.block, p.pairs),
  ref: ([x], p) => {
    const m = p.block.length;
    const prod = p.block.reduce((a, b) => a * b, 1);
    const batch = x!.shape[0]! / prod;
    const spatial = x!.shape.slice(1, 1 + m), rest = x!.shape.slice(1 + m);
    const shape = [batch, ...spatial.map((s, i) => s * p.block[i]! - p.pairs[i]![0] - p.pairs[i]![1]), ...rest];
    return gatherHost(x!, shape, (idx) => {
      const full = [...Array(m).keys()].map((i) => idx[1 + i]! + p.pairs[i]![0]);
      const o = full.map((f, i) => f % p.block[i]!);
      const s = full.map((f, i) => Math.floor(f / p.block[i]!));
      return ravel([ravel(o, p.block) * batch + idx[0]!, ...s, ...idx.slice(1 + m)], x!.shape);
    });
  },
  show: (p) => JSON.stringify(p),
});

const broadcastDynamicShape = opCase<null>({
  name: "broadcastDynamicShape", dtypes: ["int32"], kernels: [], tolOf: "Tile",
  arb: () => shapeArb({ maxRank: 4 }).chain((out) => fc.tuple(...[0, 1].map(() => fc.tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
    .map(([drop, ones]) => out.slice(drop).map((v, i) => (ones[drop + i] ? 1 : v)))))
    .map(([a, b]) => ({ xs: [{ dtype: "int32", shape: [a!.length], data: a! }, { dtype: "int32", shape: [b!.length], data: b! }] as HostTensor[], p: null }))),
  run: ([a, b]) => tf.broadcastDynamicShape(a!, b!),
  ref: ([a, b]) => {
    const x = num(a!), y = num(b!), r = Math.max(x.length, y.length);
    const out = [...Array(r).keys()].map((i) => {
      const u = x[x.length - r + i] ?? 1, v = y[y.length - r + i] ?? 1;
      return u === 1 ? v : u;
    });
    return { dtype: "int32", shape: [r], data: out };
  },
  show: () => "",
});

const ensureShape = opCase<{ shape: (number | null)[] | null }>({
  name: "ensureShape", dtypes: ALL, kernels: [], tolOf: "Tile",
  arb: (d) => shapeArb({ maxRank: 3 }).chain((s) => fc.record({
    xs: fc.tuple(valuesFor(d, s, { special: false })),
    p: fc.record({ shape: fc.option(fc.tuple(...s.map((v) => fc.constantFrom<number | null>(v, null))), { nil: null }) }),
  })),
  run: ([x], p) => tf.ensureShape(x!, p.shape),
  ref: ([x]) => x!,
  show: (p) => JSON.stringify(p.shape),
});

const unravelIndex = opCase<{ dims: number[]; scalar: boolean }>({
  name: "unravelIndex", dtypes: ["int32"], kernels: ["FloorDiv", "FloorMod"], tolOf: "FloorDiv",
  arb: () => fc.tuple(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }), fc.boolean()).chain(([dims, scalar]) => {
    const size = dims.reduce((a, b) => a * b, 1);
    return fc.record({
      xs: fc.array(fc.integer({ min: 0, max: size - 1 }), { minLength: scalar ? 1 : 0, maxLength: scalar ? 1 : 6 })
        .map((v) => [{ dtype: "int32", shape: scalar ? [] : [v.length], data: v }] as HostTensor[]),
      p: fc.constant({ dims, scalar }),
    });
  }),
  run: ([i], p) => tf.unravelIndex(i!, p.dims),
  ref: ([i], p) => {
    const v = num(i!);
    const rows = p.dims.map((_, k) => v.map((f) => Math.floor(f / p.dims.slice(k + 1).reduce((a, b) => a * b, 1)) % p.dims[k]!));
    return { dtype: "int32", shape: p.scalar ? [p.dims.length] : [p.dims.length, v.length], data: rows.flat() };
  },
  show: (p) => JSON.stringify(p),
});

const eyeBatch = opCase<{ n: number; m: number; batch: number[] }>({
  name: "eye with batchShape", dtypes: [...FLOATS, "int32", "bool"], kernels: [], tolOf: "Tile",
  arb: () => fc.record({
    xs: fc.constant([] as HostTensor[]),
    p: fc.record({ n: fc.integer({ min: 0, max: 3 }), m: fc.integer({ min: 0, max: 3 }), batch: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }) }),
  }),
  // The dtype under test is not an input: run every dtype the case lists in turn.
  run: (_, p) => (["float32", "float64", "int32", "bool"] as const).map((dtype) => tf.eye(p.n, p.m, { batchShape: p.batch, dtype })),
  ref: (_, p) => (["float32", "float64", "int32", "bool"] as const).map((dtype) => build(dtype, [...p.batch, p.n, p.m], (idx) => (idx[idx.length - 1] === idx[idx.length - 2] ? 1 : 0))),
  show: (p) => JSON.stringify(p),
});

export function describeOpsShapeExtra(ctx: ConformanceContext): void {
  describeOpCases(ctx, "batch/space and shape-utility ops", [spaceToBatchNd, batchToSpaceNd, broadcastDynamicShape, ensureShape, unravelIndex]);
  describeOpCases(ctx, "eye with batchShape", [{ ...eyeBatch, dtypes: ["float32"] }]);
}
