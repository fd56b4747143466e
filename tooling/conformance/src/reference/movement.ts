/**
 * Reference for data movement (any dtype; complex64 moves two slots per element): transpose, slice,
 * pad, tile, concat, gather, unsorted segment sum, one-hot.
 */
import type { Expected } from "../compare.js";
import type { HostTensor } from "../host.js";
import { sizeOf } from "../host.js";
import { wrap32 } from "./elementwise.js";
import { ravel, unravel } from "./indexing.js";

type Slot = number | string;

function width(h: HostTensor): number {
  return h.dtype === "complex64" ? 2 : 1;
}

/** Builds a tensor of `shape` whose element i is element `source(idx)` of `x` (or `fill` when null). */
function gatherElements(x: HostTensor, shape: number[], source: (idx: number[]) => number | null, fill: Slot[] = []): Expected {
  const w = width(x);
  const data: Slot[] = [];
  const n = sizeOf(shape);
  for (let i = 0; i < n; i++) {
    const p = source(unravel(i, shape));
    for (let s = 0; s < w; s++) data.push(p === null ? fill[s]! : x.data[p * w + s]!);
  }
  return { dtype: x.dtype, shape, data: data as number[] | string[] };
}

export function transposeRef(x: HostTensor, perm: readonly number[]): Expected {
  const shape = perm.map((p) => x.shape[p]!);
  return gatherElements(x, shape, (idx) => {
    const src = new Array<number>(x.shape.length);
    perm.forEach((p, i) => (src[p] = idx[i]!));
    return ravel(src, x.shape);
  });
}

export function sliceRef(x: HostTensor, begin: readonly number[], size: readonly number[]): Expected {
  const shape = size.map((s, i) => (s === -1 ? x.shape[i]! - begin[i]! : s));
  return gatherElements(x, shape, (idx) => ravel(idx.map((v, i) => v + begin[i]!), x.shape));
}

export function padRef(x: HostTensor, paddings: readonly (readonly [number, number])[], value: Slot): Expected {
  const shape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  const fill: Slot[] = x.dtype === "complex64" ? [value, 0] : [value];
  return gatherElements(x, shape, (idx) => {
    const src = idx.map((v, i) => v - paddings[i]![0]);
    return src.every((v, i) => v >= 0 && v < x.shape[i]!) ? ravel(src, x.shape) : null;
  }, fill);
}

export function tileRef(x: HostTensor, reps: readonly number[]): Expected {
  const shape = x.shape.map((d, i) => d * reps[i]!);
  return gatherElements(x, shape, (idx) => ravel(idx.map((v, i) => v % x.shape[i]!), x.shape));
}

/** NumPy broadcast_to. */
export function broadcastToRef(x: HostTensor, shape: readonly number[]): Expected {
  const off = shape.length - x.shape.length;
  return gatherElements(x, [...shape], (idx) => ravel(x.shape.map((d, i) => (d === 1 ? 0 : idx[off + i]!)), x.shape));
}

export function concatRef(xs: readonly HostTensor[], axis: number): Expected {
  const rank = xs[0]!.shape.length;
  const ax = axis < 0 ? axis + rank : axis;
  const shape = [...xs[0]!.shape];
  shape[ax] = xs.reduce((a, x) => a + x.shape[ax]!, 0);
  const w = width(xs[0]!);
  const data: Slot[] = [];
  const n = sizeOf(shape);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    let j = idx[ax]!;
    let which = 0;
    while (j >= xs[which]!.shape[ax]!) j -= xs[which++]!.shape[ax]!;
    const x = xs[which]!;
    const p = ravel(idx.map((v, d) => (d === ax ? j : v)), x.shape);
    for (let s = 0; s < w; s++) data.push(x.data[p * w + s]!);
  }
  return { dtype: xs[0]!.dtype, shape, data: data as number[] | string[] };
}

/** x.shape[:axis] + indices.shape + x.shape[axis+1:], all indices in range. */
export function gatherRef(x: HostTensor, indices: HostTensor, axis: number): Expected {
  const ax = axis < 0 ? axis + x.shape.length : axis;
  const ir = indices.shape.length;
  const shape = [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)];
  return gatherElements(x, shape, (idx) => {
    const k = (indices.data as number[])[ravel(idx.slice(ax, ax + ir), indices.shape)]!;
    return ravel([...idx.slice(0, ax), k, ...idx.slice(ax + ir)], x.shape);
  });
}

/** The canonical kernel: x [outer, m, inner], segment ids [m] → [outer, numSegments, inner]; out-of-range ids are dropped. */
export function unsortedSegmentSumRef(x: HostTensor, ids: readonly number[], numSegments: number): Expected {
  const [outer, m, inner] = x.shape as [number, number, number];
  const shape = [outer, numSegments, inner];
  const acc = new Array<number>(sizeOf(shape)).fill(0);
  const big = new Array<bigint>(sizeOf(shape)).fill(0n);
  const scale = new Array<number>(sizeOf(shape)).fill(0);
  const d = x.data as number[];
  for (let p = 0; p < outer; p++) {
    for (let j = 0; j < m; j++) {
      const k = ids[j]!;
      if (k < 0 || k >= numSegments) continue;
      for (let i = 0; i < inner; i++) {
        const o = (p * numSegments + k) * inner + i;
        const v = d[(p * m + j) * inner + i]!;
        acc[o]! += v;
        big[o]! += x.dtype === "int32" ? BigInt(v) : 0n;
        scale[o]! += Math.abs(v);
      }
    }
  }
  if (x.dtype === "int32") return { dtype: "int32", shape, data: big.map(wrap32) };
  return { dtype: x.dtype, shape, data: x.dtype === "float32" ? acc.map(Math.fround) : acc, scale };
}

/** float32 one-hot rows; an index outside [0, depth) gives zeros. */
export function oneHotRef(indices: HostTensor, depth: number, on = 1, off = 0): Expected {
  const data: number[] = [];
  for (const k of indices.data as number[]) for (let j = 0; j < depth; j++) data.push(Math.fround(j === k ? on : off));
  return { dtype: "float32", shape: [...indices.shape, depth], data };
}
