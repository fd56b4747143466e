/**
 * Data movement: Transpose, Slice, Pad, Tile, Concat, Gather, UnsortedSegmentSum. Generic over every
 * dtype (strings included); complex64 moves two slots per element.
 */
import type { DType, Kernels, TensorInfo } from "@tessera/core/kernel";
import { InvalidArgumentError, sizeFromShape, slotsPerElement, stridesOf } from "@tessera/core/kernel";
import { alloc, valuesOf, wrap } from "../backend.js";
import { forEachStrided } from "./broadcast.js";

type Slots = { [i: number]: number | string; length: number };

function out(dtype: DType, size: number): Slots {
  return alloc(dtype, size) as unknown as Slots;
}

/** Copies `n` elements of width `w` from src[s..] to dst[d..]. */
function copyRun(src: Slots, s: number, dst: Slots, d: number, n: number, w: number): void {
  const m = n * w;
  for (let i = 0; i < m; i++) dst[d * w + i] = src[s * w + i]!;
}

function transpose(x: TensorInfo, perm: readonly number[], shape: readonly number[]): Slots {
  const src = valuesOf(x) as unknown as Slots;
  const w = slotsPerElement(x.dtype);
  const size = sizeFromShape(shape);
  const o = out(x.dtype, size);
  const rank = shape.length;
  const inStrides = stridesOf(x.shape);
  const st = perm.map((p) => inStrides[p]!); // input stride for each output axis
  if (rank === 2 && w === 1) {
    // Blocked 2-D transpose: both sides stay in cache.
    const [r, c] = shape as [number, number];
    const B = 32;
    for (let i0 = 0; i0 < r; i0 += B) {
      for (let j0 = 0; j0 < c; j0 += B) {
        const i1 = Math.min(i0 + B, r), j1 = Math.min(j0 + B, c);
        for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) o[i * c + j] = src[i * st[0]! + j * st[1]!]!;
      }
    }
    return o;
  }
  if (w === 1) forEachStrided(shape, st, size, (i, s) => { o[i] = src[s]!; });
  else forEachStrided(shape, st, size, (i, s) => copyRun(src, s, o, i, 1, w));
  return o;
}

/** Calls `run(srcOffset, dstOffset)` for each contiguous last-axis run of a box copy. */
function forEachRun(shape: readonly number[], srcStrides: readonly number[], srcBase: number, dstStrides: readonly number[], dstBase: number, run: (s: number, d: number) => void): void {
  const rank = shape.length;
  if (rank === 0) return run(srcBase, dstBase);
  if (shape.some((d) => d === 0)) return;
  const idx = new Array<number>(rank - 1).fill(0);
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= shape[d]!;
  let s = srcBase;
  let t = dstBase;
  for (let r = 0; r < rows; r++) {
    run(s, t);
    for (let d = rank - 2; d >= 0; d--) {
      s += srcStrides[d]!;
      t += dstStrides[d]!;
      if (++idx[d]! < shape[d]!) break;
      s -= srcStrides[d]! * shape[d]!;
      t -= dstStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

export const movementKernels: Pick<Kernels, "Transpose" | "Slice" | "Pad" | "Tile" | "Concat" | "Gather" | "UnsortedSegmentSum"> = {
  Transpose: ([x], { perm }, o) => wrap(transpose(x, perm, o.shape) as never),

  Slice: ([x], { begin }, o) => {
    const src = valuesOf(x) as unknown as Slots;
    const w = slotsPerElement(x.dtype);
    const dst = out(x.dtype, sizeFromShape(o.shape));
    const ss = stridesOf(x.shape);
    const ds = stridesOf(o.shape);
    const base = begin.reduce((acc, b, i) => acc + b * ss[i]!, 0);
    const n = o.shape.length ? o.shape[o.shape.length - 1]! : 1;
    forEachRun(o.shape, ss, base, ds, 0, (s, d) => copyRun(src, s, dst, d, n, w));
    return wrap(dst as never);
  },

  Pad: ([x], { paddings, constantValue }, o) => {
    const src = valuesOf(x) as unknown as Slots;
    const w = slotsPerElement(x.dtype);
    const dst = out(x.dtype, sizeFromShape(o.shape));
    if (x.dtype === "complex64") for (let i = 0; i < dst.length; i += 2) dst[i] = constantValue;
    else if (x.dtype !== "string") for (let i = 0; i < dst.length; i++) dst[i] = constantValue;
    const ss = stridesOf(x.shape);
    const ds = stridesOf(o.shape);
    const base = paddings.reduce((acc, p, i) => acc + p[0] * ds[i]!, 0);
    const n = x.shape.length ? x.shape[x.shape.length - 1]! : 1;
    forEachRun(x.shape, ss, 0, ds, base, (s, d) => copyRun(src, s, dst, d, n, w));
    return wrap(dst as never);
  },

  Tile: ([x], { reps }, o) => {
    const src = valuesOf(x) as unknown as Slots;
    const w = slotsPerElement(x.dtype);
    const dst = out(x.dtype, sizeFromShape(o.shape));
    const rank = o.shape.length;
    const size = sizeFromShape(o.shape);
    const ss = stridesOf(x.shape);
    const idx = new Array<number>(rank).fill(0);
    void reps;
    for (let i = 0; i < size; i++) {
      let s = 0;
      for (let d = 0; d < rank; d++) s += (idx[d]! % x.shape[d]!) * ss[d]!;
      copyRun(src, s, dst, i, 1, w);
      for (let d = rank - 1; d >= 0; d--) {
        if (++idx[d]! < o.shape[d]!) break;
        idx[d] = 0;
      }
    }
    return wrap(dst as never);
  },

  Concat: (xs, _a, o) => {
    const [outer, total] = o.shape as [number, number];
    const w = slotsPerElement(o.dtype);
    const dst = out(o.dtype, sizeFromShape(o.shape));
    let col = 0;
    for (const x of xs) {
      const inner = x.shape[1]!;
      const src = valuesOf(x) as unknown as Slots;
      for (let r = 0; r < outer; r++) copyRun(src, r * inner, dst, r * total + col, inner, w);
      col += inner;
    }
    return wrap(dst as never);
  },

  Gather: ([x, indices], _a, o) => {
    const [outer, n, inner] = x.shape as [number, number, number];
    const idx = valuesOf<Int32Array>(indices);
    const m = idx.length;
    for (let j = 0; j < m; j++) {
      const k = idx[j]!;
      if (k < 0 || k >= n) throw new InvalidArgumentError(`indices[${j}] = ${k} is not in [0, ${n}) [Op:GatherV2]`);
    }
    const src = valuesOf(x) as unknown as Slots;
    const w = slotsPerElement(x.dtype);
    const dst = out(o.dtype, sizeFromShape(o.shape));
    for (let p = 0; p < outer; p++) {
      for (let j = 0; j < m; j++) copyRun(src, (p * n + idx[j]!) * inner, dst, (p * m + j) * inner, inner, w);
    }
    return wrap(dst as never);
  },

  UnsortedSegmentSum: ([x, indices], { numSegments }, o) => {
    const [outer, m, inner] = x.shape as [number, number, number];
    const idx = valuesOf<Int32Array>(indices);
    const src = valuesOf<Float32Array | Float64Array | Int32Array>(x);
    const dst = alloc(o.dtype, sizeFromShape(o.shape)) as Float32Array | Float64Array | Int32Array;
    const isInt = x.dtype === "int32";
    for (let p = 0; p < outer; p++) {
      for (let j = 0; j < m; j++) {
        const k = idx[j]!;
        if (k < 0 || k >= numSegments) continue;
        const s = (p * m + j) * inner;
        const d = (p * numSegments + k) * inner;
        if (isInt) for (let i = 0; i < inner; i++) dst[d + i] = (dst[d + i]! + src[s + i]!) | 0;
        else for (let i = 0; i < inner; i++) dst[d + i]! += src[s + i]!;
      }
    }
    return wrap(dst);
  },
};
