/**
 * Conv2D and its two gradients, NHWC/HWIO, computed directly (no im2col buffer): the innermost loop
 * runs over output channels, which are contiguous in both the filter and the output.
 */
import type { Conv2DAttrs, Kernels, OutSpec, TensorInfo } from "@tessera/core/kernel";
import { alloc, valuesOf, wrap } from "../backend.js";

type F = Float32Array | Float64Array;

interface Geo {
  n: number; h: number; w: number; ci: number; kh: number; kw: number; co: number; oh: number; ow: number;
  sh: number; sw: number; dh: number; dw: number; pt: number; pl: number;
}

function geometry(x: readonly number[], f: readonly number[], y: readonly number[], a: Conv2DAttrs): Geo {
  return {
    n: x[0]!, h: x[1]!, w: x[2]!, ci: x[3]!, kh: f[0]!, kw: f[1]!, co: f[3]!, oh: y[1]!, ow: y[2]!,
    sh: a.strides[0], sw: a.strides[1], dh: a.dilations[0], dw: a.dilations[1], pt: a.padTop, pl: a.padLeft,
  };
}

/** Calls `f(xOff, wOff, yOff)` for every in-bounds (output pixel, filter tap) pair. */
function forEachTap(g: Geo, f: (xOff: number, wOff: number, yOff: number) => void): void {
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const yOff = ((b * g.oh + oy) * g.ow + ox) * g.co;
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh - g.pt + ky * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * g.sw - g.pl + kx * g.dw;
            if (ix < 0 || ix >= g.w) continue;
            f(((b * g.h + iy) * g.w + ix) * g.ci, (ky * g.kw + kx) * g.ci * g.co, yOff);
          }
        }
      }
    }
  }
}

/** Zeros may be skipped only when the other operand is finite (0 · NaN and 0 · Inf are NaN). */
function allFinite(v: F): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return false;
  return true;
}

function conv2d([x, filter]: readonly [TensorInfo, TensorInfo], attrs: Conv2DAttrs, out: OutSpec): F {
  const g = geometry(x.shape, filter.shape, out.shape, attrs);
  const xv = valuesOf<F>(x), wv = valuesOf<F>(filter);
  const acc = new Float64Array(g.n * g.oh * g.ow * g.co);
  const { ci: CI, co: CO } = g;
  const skipZeros = allFinite(wv);
  forEachTap(g, (xo, wo, yo) => {
    for (let c = 0; c < CI; c++) {
      const xval = xv[xo + c]!;
      if (xval === 0 && skipZeros) continue;
      const wr = wo + c * CO;
      for (let o = 0; o < CO; o++) acc[yo + o]! += xval * wv[wr + o]!;
    }
  });
  const o = alloc(out.dtype, acc.length) as F;
  o.set(acc);
  return o;
}

function backpropInput([dy, filter]: readonly [TensorInfo, TensorInfo], attrs: Conv2DAttrs, out: OutSpec): F {
  const g = geometry(out.shape, filter.shape, dy.shape, attrs);
  const dv = valuesOf<F>(dy), wv = valuesOf<F>(filter);
  const acc = new Float64Array(g.n * g.h * g.w * g.ci);
  const { ci: CI, co: CO } = g;
  forEachTap(g, (xo, wo, yo) => {
    for (let c = 0; c < CI; c++) {
      const wr = wo + c * CO;
      let s = 0;
      for (let o = 0; o < CO; o++) s += dv[yo + o]! * wv[wr + o]!;
      acc[xo + c]! += s;
    }
  });
  const o = alloc(out.dtype, acc.length) as F;
  o.set(acc);
  return o;
}

function backpropFilter([x, dy]: readonly [TensorInfo, TensorInfo], attrs: Conv2DAttrs, out: OutSpec): F {
  const g = geometry(x.shape, out.shape, dy.shape, attrs);
  const xv = valuesOf<F>(x), dv = valuesOf<F>(dy);
  const acc = new Float64Array(g.kh * g.kw * g.ci * g.co);
  const { ci: CI, co: CO } = g;
  const skipZeros = allFinite(dv);
  forEachTap(g, (xo, wo, yo) => {
    for (let c = 0; c < CI; c++) {
      const xval = xv[xo + c]!;
      if (xval === 0 && skipZeros) continue;
      const wr = wo + c * CO;
      for (let o = 0; o < CO; o++) acc[wr + o]! += xval * dv[yo + o]!;
    }
  });
  const o = alloc(out.dtype, acc.length) as F;
  o.set(acc);
  return o;
}

export const convKernels: Pick<Kernels, "Conv2D" | "Conv2DBackpropInput" | "Conv2DBackpropFilter"> = {
  Conv2D: (i, a, o) => wrap(conv2d(i, a, o)),
  Conv2DBackpropInput: (i, a, o) => wrap(backpropInput(i, a, o)),
  Conv2DBackpropFilter: (i, a, o) => wrap(backpropFilter(i, a, o)),
};
