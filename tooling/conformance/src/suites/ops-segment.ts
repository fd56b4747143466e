/** Segment reductions, gatherNd, scatterNd and tensorScatterNd* against host references. */
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { shapeArb, valuesFor } from "../arbitraries.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { sizeOf } from "../host.js";
import { FLOATS, describeOpCases, fc, num, opCase, store } from "./ops-harness.js";

const NUM: DType[] = [...FLOATS, "int32"];
const int = (shape: number[], data: number[]): HostTensor => ({ dtype: "int32", shape, data });

interface SegP { numSegments: number }
/** data [ids.shape..., rest...] and ids with some out of range (dropped). */
const segArb = (d: DType) => fc.tuple(shapeArb({ minRank: 1, maxRank: 2, maxDim: 5 }), shapeArb({ maxRank: 2, maxDim: 3 }), fc.integer({ min: 0, max: 4 }))
  .chain(([idShape, rest, numSegments]) => fc.record({
    xs: fc.tuple(
      valuesFor(d, [...idShape, ...rest], { min: -10, max: 10, special: false }),
      fc.array(fc.integer({ min: -1, max: numSegments }), { minLength: sizeOf(idShape), maxLength: sizeOf(idShape) }).map((v) => int(idShape, v)),
    ),
    p: fc.constant({ numSegments }),
  }));

function segRef(data: HostTensor, ids: HostTensor, k: number, mean: boolean): HostTensor & { scale: number[] } {
  const m = sizeOf(ids.shape);
  const inner = m === 0 ? 0 : sizeOf(data.shape.slice(ids.shape.length));
  const rest = data.shape.slice(ids.shape.length);
  const out = new Array<number>(k * sizeOf(rest)).fill(0);
  const scale = out.slice();
  const count = new Array<number>(k).fill(0);
  const v = num(data), id = num(ids);
  for (let j = 0; j < m; j++) {
    const s = id[j]!;
    if (s < 0 || s >= k) continue;
    count[s]!++;
    for (let i = 0; i < inner; i++) { out[s * inner + i]! += v[j * inner + i]!; scale[s * inner + i]! += Math.abs(v[j * inner + i]!); }
  }
  const innerOut = sizeOf(rest);
  const data2 = out.map((x, i) => store(data.dtype, mean ? x / Math.max(count[Math.floor(i / Math.max(innerOut, 1))]!, 1) : x));
  return { dtype: data.dtype, shape: [k, ...rest], data: data2, scale };
}

const unsortedSegmentSum = opCase<SegP>({
  name: "unsortedSegmentSum", dtypes: NUM, kernels: ["UnsortedSegmentSum"], tolOf: "UnsortedSegmentSum",
  arb: segArb,
  run: ([d, ids], p) => tf.math.unsortedSegmentSum(d!, ids!, p.numSegments),
  ref: ([d, ids], p) => segRef(d!, ids!, p.numSegments, false),
  show: (p) => `numSegments ${p.numSegments}`,
});

const unsortedSegmentMean = opCase<SegP>({
  name: "unsortedSegmentMean", dtypes: FLOATS, kernels: ["UnsortedSegmentSum", "Div"], tolOf: "UnsortedSegmentSum",
  arb: segArb,
  run: ([d, ids], p) => tf.math.unsortedSegmentMean(d!, ids!, p.numSegments),
  ref: ([d, ids], p) => segRef(d!, ids!, p.numSegments, true),
  show: (p) => `numSegments ${p.numSegments}`,
});

/** params of `shape` and in-range N-d indices of depth `depth` in a batch of `batch`. */
const ndArb = (d: DType) => fc.tuple(shapeArb({ minRank: 1, maxRank: 3, maxDim: 4, zero: false }), shapeArb({ minRank: 0, maxRank: 2, maxDim: 3 }))
  .chain(([shape, batch]) => fc.integer({ min: 1, max: shape.length }).chain((depth) => {
    const n = sizeOf(batch);
    const tuple = fc.tuple(...shape.slice(0, depth).map((s) => fc.integer({ min: 0, max: s - 1 })));
    return fc.record({
      params: valuesFor(d, shape, { min: -10, max: 10, special: false }),
      indices: fc.array(tuple, { minLength: n, maxLength: n }).map((ts) => int([...batch, depth], ts.flat())),
      updates: valuesFor(d, [...batch, ...shape.slice(depth)], { min: -10, max: 10, special: false }),
    });
  }));

/** Flat offsets of each index tuple's slice, and the slice size. */
function slices(shape: number[], indices: HostTensor): { starts: number[]; inner: number } {
  const depth = indices.shape[indices.shape.length - 1]!;
  const inner = sizeOf(shape.slice(depth));
  const n = sizeOf(indices.shape.slice(0, -1));
  const idx = num(indices);
  const starts: number[] = [];
  for (let j = 0; j < n; j++) {
    let f = 0;
    for (let k = 0; k < depth; k++) f = f * shape[k]! + idx[j * depth + k]!;
    starts.push(f * inner);
  }
  return { starts, inner };
}

const gatherNd = opCase<null>({
  name: "gatherNd", dtypes: [...NUM, "bool"], kernels: ["Gather"], tolOf: "Gather",
  arb: (d) => ndArb(d).map((r) => ({ xs: [r.params, r.indices], p: null })),
  run: ([x, i]) => tf.gatherNd(x!, i!),
  ref: ([x, i]) => {
    const { starts, inner } = slices(x!.shape, i!);
    const depth = i!.shape[i!.shape.length - 1]!;
    const data: number[] = [];
    for (const s of starts) for (let k = 0; k < inner; k++) data.push(num(x!)[s + k]!);
    return { dtype: x!.dtype, shape: [...i!.shape.slice(0, -1), ...x!.shape.slice(depth)], data };
  },
  show: () => "",
});

type Mode = "scatterNd" | "add" | "sub" | "update";
function scatterCase(mode: Mode) {
  const name = mode === "scatterNd" ? "scatterNd" : `tensorScatterNd${mode[0]!.toUpperCase()}${mode.slice(1)}`;
  return opCase<null>({
    name, dtypes: NUM, kernels: ["UnsortedSegmentSum"], tolOf: "UnsortedSegmentSum",
    arb: (d) => ndArb(d).map((r) => ({ xs: [r.params, r.indices, r.updates], p: null })),
    run: ([x, i, u]) => mode === "scatterNd" ? tf.scatterNd(i!, u!, x!.shape)
      : mode === "add" ? tf.tensorScatterNdAdd(x!, i!, u!) : mode === "sub" ? tf.tensorScatterNdSub(x!, i!, u!) : tf.tensorScatterNdUpdate(x!, i!, u!),
    ref: ([x, i, u]) => {
      const { starts, inner } = slices(x!.shape, i!);
      const sum = new Array<number>(sizeOf(x!.shape)).fill(0);
      const hit = sum.map(() => false);
      const scale = sum.slice();
      starts.forEach((s, j) => { for (let k = 0; k < inner; k++) { sum[s + k]! += num(u!)[j * inner + k]!; scale[s + k]! += Math.abs(num(u!)[j * inner + k]!); hit[s + k] = true; } });
      const base = num(x!);
      const data = sum.map((v, f) => store(x!.dtype, mode === "scatterNd" ? v : mode === "add" ? base[f]! + v : mode === "sub" ? base[f]! - v : hit[f] ? v : base[f]!));
      return { dtype: x!.dtype, shape: x!.shape, data, scale: scale.map((s, f) => s + Math.abs(base[f]!)) };
    },
    show: () => "",
  });
}

export function describeOpsSegment(ctx: ConformanceContext): void {
  describeOpCases(ctx, "segment and N-d indexing ops", [unsortedSegmentSum, unsortedSegmentMean, gatherNd, ...(["scatterNd", "add", "sub", "update"] as Mode[]).map(scatterCase)]);
}
