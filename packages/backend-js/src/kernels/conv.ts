/**
 * Conv2D and its two gradients, NHWC/HWIO, as matrix products: the input is unrolled into patch
 * rows (im2col), in chunks so the patch matrix stays small, and the register-tiled `gemm` of
 * matmul.ts does the arithmetic. With P the patches [N·OH·OW, KH·KW·Ci] and F the filter viewed
 * as [KH·KW·Ci, Co]:  y = P·F,  dP = dy·Fᵀ (scattered back into dx),  dF = Pᵀ·dy.
 */
import type { Conv2DAttrs, Kernels, OutSpec, TensorInfo } from "@tessera/core/kernel";
import { alloc, valuesOf, wrap } from "../backend.js";
import { gemm } from "./matmul.js";

type F = Float32Array | Float64Array;

/** Patch-matrix elements per chunk (4 MiB of float32). */
const CHUNK = 1 << 20;

interface Geo {
  n: number; h: number; w: number; ci: number; kh: number; kw: number; co: number; oh: number; ow: number;
  sh: number; sw: number; dh: number; dw: number; pt: number; pl: number;
  /** Patch width KH·KW·Ci and number of patch rows N·OH·OW. */
  k: number; rows: number;
}

function geometry(x: readonly number[], f: readonly number[], y: readonly number[], a: Conv2DAttrs): Geo {
  const g = {
    n: x[0]!, h: x[1]!, w: x[2]!, ci: x[3]!, kh: f[0]!, kw: f[1]!, co: f[3]!, oh: y[1]!, ow: y[2]!,
    sh: a.strides[0], sw: a.strides[1], dh: a.dilations[0], dw: a.dilations[1], pt: a.padTop, pl: a.padLeft,
  };
  return { ...g, k: g.kh * g.kw * g.ci, rows: g.n * g.oh * g.ow };
}

/** Rows per chunk (at least one): bounds the patch matrix (rows × K) and the product (rows × Co). */
function chunkRows(g: Geo): number {
  return Math.max(1, Math.floor(CHUNK / Math.max(g.k, g.co, 1)));
}

/**
 * Input offset of every (patch row, filter tap) for rows [row0, row0 + rows), -1 where the tap falls
 * in the padding. Each tap covers Ci contiguous values. One table drives both im2col and col2im, and
 * keeps per-tap callbacks out of loops that are as hot as the product itself when Ci is small.
 */
function tapOffsets(g: Geo, row0: number, rows: number, offs: Int32Array): void {
  const { ci, kh, kw, oh, ow, h, w, sh, sw, dh, dw, pt, pl } = g;
  const per = oh * ow;
  let t = 0;
  for (let r = 0; r < rows; r++) {
    const idx = row0 + r;
    const b = Math.floor(idx / per);
    const rem = idx - b * per;
    const oy = Math.floor(rem / ow);
    const ox = rem - oy * ow;
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh - pt + ky * dh;
      const rowBase = (b * h + iy) * w;
      for (let kx = 0; kx < kw; kx++, t++) {
        const ix = ox * sw - pl + kx * dw;
        offs[t] = iy >= 0 && iy < h && ix >= 0 && ix < w ? (rowBase + ix) * ci : -1;
      }
    }
  }
}

/** Fills `patches` with `taps` taps of Ci values each, per the offset table. */
function im2col(x: F, ci: number, offs: Int32Array, taps: number, patches: F): void {
  for (let t = 0, p = 0; t < taps; t++, p += ci) {
    const src = offs[t]!;
    if (src < 0) for (let c = 0; c < ci; c++) patches[p + c] = 0;
    else for (let c = 0; c < ci; c++) patches[p + c] = x[src + c]!;
  }
}

/** Adds a patch-matrix gradient back onto the input positions its taps came from. */
function col2im(dp: Float64Array, ci: number, offs: Int32Array, taps: number, dx: Float64Array): void {
  for (let t = 0, p = 0; t < taps; t++, p += ci) {
    const dst = offs[t]!;
    if (dst >= 0) for (let c = 0; c < ci; c++) dx[dst + c]! += dp[p + c]!;
  }
}

/** Unrolls `x` chunk by chunk: `fn(patches, r0, rows)` sees patch rows [r0, r0 + rows) in `patches`. */
function forEachPatchChunk(x: F, g: Geo, fn: (patches: F, r0: number, rows: number) => void): void {
  const step = chunkRows(g);
  const size = Math.min(g.rows, step);
  const patches = x instanceof Float64Array ? new Float64Array(size * g.k) : new Float32Array(size * g.k);
  const offs = new Int32Array(size * g.kh * g.kw);
  for (let r0 = 0; r0 < g.rows; r0 += step) {
    const rows = Math.min(step, g.rows - r0);
    tapOffsets(g, r0, rows, offs);
    im2col(x, g.ci, offs, rows * g.kh * g.kw, patches);
    fn(patches, r0, rows);
  }
}

/** Rounds a float64 accumulator into the output dtype. */
function rounded(acc: Float64Array, out: OutSpec): F {
  const o = alloc(out.dtype, acc.length) as F;
  o.set(acc);
  return o;
}

function conv2d([x, filter]: readonly [TensorInfo, TensorInfo], attrs: Conv2DAttrs, out: OutSpec): F {
  const g = geometry(x.shape, filter.shape, out.shape, attrs);
  const fv = valuesOf<F>(filter);
  const o = alloc(out.dtype, g.rows * g.co) as F;
  if (g.k === 0) return o;
  forEachPatchChunk(valuesOf<F>(x), g, (patches, r0, rows) => {
    gemm({ v: patches, off: 0, rs: g.k, cs: 1 }, { v: fv, off: 0, rs: g.co, cs: 1 }, rows, g.co, g.k, o, r0 * g.co);
  });
  return o;
}

function backpropInput([dy, filter]: readonly [TensorInfo, TensorInfo], attrs: Conv2DAttrs, out: OutSpec): F {
  const g = geometry(out.shape, filter.shape, dy.shape, attrs);
  const dv = valuesOf<F>(dy), fv = valuesOf<F>(filter);
  const acc = new Float64Array(g.n * g.h * g.w * g.ci);
  if (g.k > 0 && g.co > 0) {
    const step = chunkRows(g);
    const dp = new Float64Array(Math.min(g.rows, step) * g.k);
    const offs = new Int32Array(Math.min(g.rows, step) * g.kh * g.kw);
    for (let r0 = 0; r0 < g.rows; r0 += step) {
      const rows = Math.min(step, g.rows - r0);
      // dP = dy · Fᵀ: Fᵀ(co, kidx) = F[kidx·Co + co].
      gemm({ v: dv, off: r0 * g.co, rs: g.co, cs: 1 }, { v: fv, off: 0, rs: 1, cs: g.co }, rows, g.k, g.co, dp, 0);
      tapOffsets(g, r0, rows, offs);
      col2im(dp, g.ci, offs, rows * g.kh * g.kw, acc);
    }
  }
  return rounded(acc, out);
}

function backpropFilter([x, dy]: readonly [TensorInfo, TensorInfo], attrs: Conv2DAttrs, out: OutSpec): F {
  const g = geometry(x.shape, out.shape, dy.shape, attrs);
  const dv = valuesOf<F>(dy);
  const acc = new Float64Array(g.k * g.co);
  if (g.k > 0 && g.co > 0) {
    forEachPatchChunk(valuesOf<F>(x), g, (patches, r0, rows) => {
      // dF += Pᵀ · dy: Pᵀ(kidx, row) = P[row·K + kidx].
      gemm({ v: patches, off: 0, rs: 1, cs: g.k }, { v: dv, off: r0 * g.co, rs: g.co, cs: 1 }, g.k, g.co, rows, acc, 0, true);
    });
  }
  return rounded(acc, out);
}

export const convKernels: Pick<Kernels, "Conv2D" | "Conv2DBackpropInput" | "Conv2DBackpropFilter"> = {
  Conv2D: (i, a, o) => wrap(conv2d(i, a, o)),
  Conv2DBackpropInput: (i, a, o) => wrap(backpropInput(i, a, o)),
  Conv2DBackpropFilter: (i, a, o) => wrap(backpropFilter(i, a, o)),
};
