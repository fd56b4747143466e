/**
 * Sorted and unsorted segment reductions, bincount, confusionMatrix and inTopK against host
 * references computed in float64.
 */
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { shapeArb, valuesFor } from "../arbitraries.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { sizeOf } from "../host.js";
import { FLOATS, describeOpCases, fc, num, opCase, store } from "./ops-harness.js";

const REAL: DType[] = [...FLOATS, "int32"];
const i32 = (shape: number[], data: number[]): HostTensor => ({ dtype: "int32", shape, data });
type Kind = "sum" | "mean" | "max" | "min" | "prod";

const F32_MAX = 3.4028234663852886e38;
/** TensorFlow's value for an empty segment. */
function emptyOf(kind: Kind, dtype: DType, sorted: boolean): number {
  if (kind === "prod") return 1;
  if (sorted || kind === "sum" || kind === "mean") return 0;
  const big = dtype === "int32" ? 2147483647 : dtype === "float32" ? F32_MAX : Number.MAX_VALUE;
  return kind === "max" ? (dtype === "int32" ? -2147483648 : -big) : big;
}

function segmentRef(data: HostTensor, ids: HostTensor, k: number, kind: Kind, sorted: boolean): HostTensor & { scale: number[] } {
  const m = sizeOf(ids.shape);
  const rest = data.shape.slice(ids.shape.length);
  const inner = sizeOf(rest);
  const groups: number[][][] = Array.from({ length: k }, () => Array.from({ length: inner }, () => []));
  const id = num(ids), v = num(data);
  for (let j = 0; j < m; j++) {
    if (id[j]! < 0 || id[j]! >= k) continue;
    for (let i = 0; i < inner; i++) groups[id[j]!]![i]!.push(v[j * inner + i]!);
  }
  const out: number[] = [], scale: number[] = [];
  for (const g of groups) {
    for (const xs of g) {
      let r: number;
      if (xs.length === 0) r = emptyOf(kind, data.dtype, sorted);
      else if (kind === "sum") r = xs.reduce((a, b) => a + b, 0);
      else if (kind === "mean") r = xs.reduce((a, b) => a + b, 0) / xs.length;
      else if (kind === "max") r = Math.max(...xs);
      else if (kind === "min") r = Math.min(...xs);
      else r = data.dtype === "int32" ? xs.reduce((a, b) => Math.imul(a, b), 1) : xs.reduce((a, b) => a * b, 1);
      out.push(store(data.dtype, r));
      scale.push(kind === "prod" ? xs.reduce((a, b) => a * Math.abs(b), 1) * (xs.length + 1) : xs.reduce((a, b) => a + Math.abs(b), 0) + Math.abs(r));
    }
  }
  return { dtype: data.dtype, shape: [k, ...rest], data: out, scale };
}

/** data [n, rest…] with sorted non-negative ids (gaps make empty segments). */
const sortedArb = (d: DType) => fc.tuple(fc.integer({ min: 1, max: 6 }), shapeArb({ maxRank: 2, maxDim: 3 }))
  .chain(([n, rest]) => fc.record({
    xs: fc.tuple(
      valuesFor(d, [n, ...rest], { min: -3, max: 3, special: false }),
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: n, maxLength: n }).map((v) => i32([n], v.sort((a, b) => a - b))),
    ),
    p: fc.constant(null),
  }));

function sortedCase(kind: Kind) {
  const name = `segment${kind[0]!.toUpperCase()}${kind.slice(1)}` as "segmentSum";
  return opCase<null>({
    name, dtypes: kind === "mean" ? FLOATS : REAL, kernels: kind === "sum" || kind === "mean" ? ["UnsortedSegmentSum"] : ["Gather", kind === "max" ? "Max" : kind === "min" ? "Min" : "Prod"],
    tolOf: kind === "prod" ? "Prod" : "UnsortedSegmentSum",
    arb: sortedArb,
    run: ([d, ids]) => tf.math[name](d!, ids!),
    ref: ([d, ids]) => { const v = num(ids!); return segmentRef(d!, ids!, v.length ? v[v.length - 1]! + 1 : 0, kind, true); },
    show: () => "",
  });
}

interface SegP { numSegments: number }
/** data [ids.shape…, rest…] with some ids out of range (dropped). */
const unsortedArb = (d: DType) => fc.tuple(shapeArb({ minRank: 1, maxRank: 2, maxDim: 4 }), shapeArb({ maxRank: 2, maxDim: 3 }), fc.integer({ min: 0, max: 4 }))
  .chain(([idShape, rest, numSegments]) => fc.record({
    xs: fc.tuple(
      valuesFor(d, [...idShape, ...rest], { min: -3, max: 3, special: false }),
      fc.array(fc.integer({ min: -1, max: numSegments }), { minLength: sizeOf(idShape), maxLength: sizeOf(idShape) }).map((v) => i32(idShape, v)),
    ),
    p: fc.constant({ numSegments }),
  }));

function unsortedCase(kind: "max" | "min" | "prod") {
  const name = `unsortedSegment${kind[0]!.toUpperCase()}${kind.slice(1)}` as "unsortedSegmentMax";
  return opCase<SegP>({
    name, dtypes: REAL, kernels: ["Gather", kind === "max" ? "Max" : kind === "min" ? "Min" : "Prod"], tolOf: kind === "prod" ? "Prod" : "Gather",
    arb: unsortedArb,
    run: ([d, ids], p) => tf.math[name](d!, ids!, p.numSegments),
    ref: ([d, ids], p) => segmentRef(d!, ids!, p.numSegments, kind, false),
    show: (p) => `numSegments ${p.numSegments}`,
  });
}

interface BinP { minlength?: number; maxlength?: number; perRow: boolean; weighted: boolean; binary: boolean }
const bincount = opCase<BinP>({
  name: "bincount", dtypes: REAL, kernels: ["UnsortedSegmentSum"], tolOf: "UnsortedSegmentSum",
  // The dtype under test is the weights' (and the output's).
  arb: (d) => fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 6 })).chain(([perRow, rows, n]) => {
    const shape = perRow ? [rows, n] : [n];
    return fc.record({
      xs: fc.tuple(valuesFor("int32", shape, { min: 0, max: 6 }), valuesFor(d, shape, { min: -3, max: 3, special: false })),
      p: fc.record({
        minlength: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }), maxlength: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
        perRow: fc.constant(perRow), weighted: fc.boolean(), binary: fc.boolean(),
      }).map((p) => ({ ...p, binary: p.binary && !p.weighted })),
    });
  }),
  run: ([a, w], p) => tf.math.bincount(a!, {
    minlength: p.minlength, maxlength: p.maxlength, ...(p.perRow ? { axis: -1 } : {}),
    ...(p.weighted ? { weights: w! } : { dtype: w!.dtype }), binaryOutput: p.binary,
  }),
  ref: ([a, w], p) => {
    const v = num(a!), wv = num(w!);
    let bins = Math.max(v.reduce((x, y) => Math.max(x, y + 1), 0), p.minlength ?? 0);
    if (p.maxlength !== undefined) bins = Math.min(bins, p.maxlength);
    const rows = p.perRow ? a!.shape[0]! : 1, inner = p.perRow ? a!.shape[1]! : v.length;
    const out = new Array<number>(rows * bins).fill(0);
    v.forEach((x, i) => { if (x < bins) out[Math.floor(i / Math.max(inner, 1)) * bins + x]! += p.weighted ? wv[i]! : 1; });
    return { dtype: w!.dtype, shape: p.perRow ? [rows, bins] : [bins], data: out.map((c) => store(w!.dtype, p.binary ? (c > 0 ? 1 : 0) : c)), scale: out.map((c) => Math.abs(c) + 3 * v.length) };
  },
  show: (p) => JSON.stringify(p),
});

const confusionMatrix = opCase<{ numClasses?: number; weighted: boolean }>({
  name: "confusionMatrix", dtypes: REAL, kernels: ["UnsortedSegmentSum"], tolOf: "UnsortedSegmentSum",
  arb: (d) => fc.integer({ min: 0, max: 7 }).chain((n) => fc.record({
    xs: fc.tuple(valuesFor("int32", [n], { min: 0, max: 4 }), valuesFor("int32", [n], { min: 0, max: 4 }), valuesFor(d, [n], { min: -3, max: 3, special: false })),
    p: fc.record({ numClasses: fc.option(fc.integer({ min: 5, max: 6 }), { nil: undefined }), weighted: fc.boolean() }),
  })),
  run: ([l, pr, w], p) => tf.math.confusionMatrix(l!, pr!, { numClasses: p.numClasses, ...(p.weighted ? { weights: w! } : { dtype: w!.dtype }) }),
  ref: ([l, pr, w], p) => {
    const lv = num(l!), pv = num(pr!), wv = num(w!);
    const n = p.numClasses ?? [...lv, ...pv].reduce((a, b) => Math.max(a, b + 1), 0);
    const out = new Array<number>(n * n).fill(0);
    lv.forEach((x, i) => { out[x * n + pv[i]!]! += p.weighted ? wv[i]! : 1; });
    return { dtype: w!.dtype, shape: [n, n], data: out.map((c) => store(w!.dtype, c)), scale: out.map((c) => Math.abs(c) + 3 * lv.length) };
  },
  show: (p) => JSON.stringify(p),
});

const inTopK = opCase<{ k: number }>({
  name: "inTopK", dtypes: FLOATS, kernels: ["Gather", "Greater", "Sum"], tolOf: "Greater",
  // Few distinct values, so ties are common; NaN/±Inf mixed in.
  arb: (d) => fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 })).chain(([batch, classes]) => fc.record({
    xs: fc.tuple(valuesFor("int32", [batch], { min: -1, max: classes }), valuesFor(d, [batch, classes], { min: -2, max: 2, integer: true })),
    p: fc.record({ k: fc.integer({ min: 0, max: classes + 1 }) }),
  })),
  run: ([t, pr], p) => tf.math.inTopK(t!, pr!, p.k),
  ref: ([t, pr], p) => {
    const [batch, classes] = pr!.shape as [number, number];
    const tv = num(t!), v = num(pr!);
    const out: number[] = [];
    for (let b = 0; b < batch; b++) {
      const row = v.slice(b * classes, (b + 1) * classes);
      const target = tv[b]!;
      if (target < 0 || target >= classes || row.some((x) => !Number.isFinite(x))) { out.push(0); continue; }
      out.push(row.filter((x) => x > row[target]!).length < p.k ? 1 : 0);
    }
    return { dtype: "bool", shape: [batch], data: out };
  },
  show: (p) => `k ${p.k}`,
});

export function describeOpsSegmentReduce(ctx: ConformanceContext): void {
  describeOpCases(ctx, "segment reductions and counting ops", [
    ...(["sum", "mean", "max", "min", "prod"] as Kind[]).map(sortedCase),
    ...(["max", "min", "prod"] as const).map(unsortedCase),
    bincount, confusionMatrix, inTopK,
  ]);
}
