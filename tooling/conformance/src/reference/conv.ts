/**
 * Reference for 2-D convolution and pooling (NHWC input, HWIO filters) and their gradients, plus
 * TensorFlow's output-size/padding rules, written from the definitions.
 */
import type { Expected } from "../compare.js";
import type { HostTensor } from "../host.js";
import { roundTo } from "./elementwise.js";

export type PaddingSpec = "SAME" | "VALID" | [[0, 0], [number, number], [number, number], [0, 0]];

export interface Geometry {
  oh: number;
  ow: number;
  padTop: number;
  padLeft: number;
}

function axis(size: number, k: number, stride: number, dilation: number, padding: PaddingSpec, i: 1 | 2): { out: number; before: number } {
  const eff = (k - 1) * dilation + 1;
  if (padding === "VALID") return { out: Math.max(0, Math.ceil((size - eff + 1) / stride)), before: 0 };
  if (padding === "SAME") {
    const out = Math.ceil(size / stride);
    const total = Math.max(0, (out - 1) * stride + eff - size);
    return { out, before: Math.floor(total / 2) };
  }
  const [before, after] = padding[i];
  return { out: Math.floor((size + before + after - eff) / stride) + 1, before };
}

/** TensorFlow's output size and leading padding of a window op on an NHWC input of height h, width w. */
export function geometry(h: number, w: number, kh: number, kw: number, strides: [number, number], dilations: [number, number], padding: PaddingSpec): Geometry {
  const y = axis(h, kh, strides[0], dilations[0], padding, 1);
  const x = axis(w, kw, strides[1], dilations[1], padding, 2);
  return { oh: y.out, ow: x.out, padTop: y.before, padLeft: x.before };
}

export interface ConvSpec {
  strides: [number, number];
  dilations: [number, number];
  geo: Geometry;
}

/** Visits every in-bounds (output pixel, filter tap) of a conv: f(b, oy, ox, iy, ix, ky, kx). */
function forEachTap(n: number, h: number, w: number, kh: number, kw: number, s: ConvSpec, f: (b: number, oy: number, ox: number, iy: number, ix: number, ky: number, kx: number) => void): void {
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < s.geo.oh; oy++) {
      for (let ox = 0; ox < s.geo.ow; ox++) {
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * s.strides[0] - s.geo.padTop + ky * s.dilations[0];
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * s.strides[1] - s.geo.padLeft + kx * s.dilations[1];
            if (ix >= 0 && ix < w) f(b, oy, ox, iy, ix, ky, kx);
          }
        }
      }
    }
  }
}

function finish(dtype: HostTensor["dtype"], shape: number[], acc: number[], mag: number[]): Expected {
  return { dtype, shape, data: acc.map((v) => roundTo(dtype, v)), scale: mag };
}

/**
 * Convolutions are checked against a normwise bound: every element may be off by the tolerance times
 * the largest term magnitude of the whole result. Fast algorithms (Winograd, FFT) mix neighbouring
 * outputs in a transformed domain, so an output whose own terms cancel to 0 still carries rounding of
 * the order of its neighbours' magnitude; a wrong kernel is off by O(1) relative and still fails.
 */
function finishNormwise(dtype: HostTensor["dtype"], shape: number[], acc: number[], mag: number[]): Expected {
  let top = 0;
  for (const m of mag) if (m > top) top = m;
  return finish(dtype, shape, acc, mag.map(() => top));
}

/**
 * Visits every product term of a conv as flat indices: input x[xi] times filter f[fi] adds to
 * output y[yi] (x [N, H, W, Ci], f [KH, KW, Ci, Co], y [N, OH, OW, Co]).
 */
function forEachTerm(
  [n, h, w, ci]: readonly number[], [kh, kw, , co]: readonly number[], s: ConvSpec, f: (xi: number, fi: number, yi: number) => void,
): void {
  forEachTap(n!, h!, w!, kh!, kw!, s, (b, oy, ox, iy, ix, ky, kx) => {
    for (let c = 0; c < ci!; c++) {
      for (let o = 0; o < co!; o++) {
        f(((b * h! + iy) * w! + ix) * ci! + c, ((ky * kw! + kx) * ci! + c) * co! + o, ((b * s.geo.oh + oy) * s.geo.ow + ox) * co! + o);
      }
    }
  });
}

/** Sums the products of every conv term into element `at(xi, fi, yi)` of a result of `size`, with their magnitudes. */
function convSums(
  size: number, xShape: readonly number[], fShape: readonly number[], s: ConvSpec,
  term: (xi: number, fi: number, yi: number) => { at: number; p: number },
): { acc: number[]; mag: number[] } {
  const acc = new Array<number>(size).fill(0);
  const mag = acc.slice();
  forEachTerm(xShape, fShape, s, (xi, fi, yi) => {
    const { at, p } = term(xi, fi, yi);
    acc[at]! += p;
    mag[at]! += Math.abs(p);
  });
  return { acc, mag };
}

export function conv2dRef(x: HostTensor, f: HostTensor, s: ConvSpec): Expected {
  const n = x.shape[0]!;
  const co = f.shape[3]!;
  const shape = [n, s.geo.oh, s.geo.ow, co];
  const xv = x.data as number[], fv = f.data as number[];
  const { acc, mag } = convSums(n * s.geo.oh * s.geo.ow * co, x.shape, f.shape, s, (xi, fi, yi) => ({ at: yi, p: xv[xi]! * fv[fi]! }));
  return finishNormwise(x.dtype, shape, acc, mag);
}

/** d(conv)/d(input): dy [N, OH, OW, Co], filter [KH, KW, Ci, Co] → [N, H, W, Ci]. */
export function conv2dBackpropInputRef(inputShape: [number, number, number, number], dy: HostTensor, f: HostTensor, s: ConvSpec): Expected {
  const [n, h, w, ci] = inputShape;
  const dv = dy.data as number[], fv = f.data as number[];
  const { acc, mag } = convSums(n * h * w * ci, inputShape, f.shape, s, (xi, fi, yi) => ({ at: xi, p: dv[yi]! * fv[fi]! }));
  return finishNormwise(dy.dtype, [...inputShape], acc, mag);
}

/** d(conv)/d(filter): x [N, H, W, Ci], dy [N, OH, OW, Co] → [KH, KW, Ci, Co]. */
export function conv2dBackpropFilterRef(x: HostTensor, dy: HostTensor, filterShape: [number, number, number, number], s: ConvSpec): Expected {
  const [kh, kw, , co] = filterShape;
  const ci = x.shape[3]!;
  const xv = x.data as number[], dv = dy.data as number[];
  const { acc, mag } = convSums(kh * kw * ci * co, x.shape, filterShape, s, (xi, fi, yi) => ({ at: fi, p: xv[xi]! * dv[yi]! }));
  return finishNormwise(x.dtype, [...filterShape], acc, mag);
}

export interface PoolSpec {
  ksize: [number, number];
  strides: [number, number];
  geo: Geometry;
}

/** The in-bounds input rows/cols of output pixel (oy, ox). */
function poolWindow(oy: number, ox: number, s: PoolSpec, h: number, w: number): [number, number, number, number] {
  const y0 = oy * s.strides[0] - s.geo.padTop, x0 = ox * s.strides[1] - s.geo.padLeft;
  return [Math.max(0, y0), Math.min(h, y0 + s.ksize[0]), Math.max(0, x0), Math.min(w, x0 + s.ksize[1])];
}

/**
 * Calls `visit` for each output element of a pool, in row-major order, with the flat input indices
 * of its in-bounds window (row-major) and the window's size.
 */
function forEachPoolWindow(xShape: readonly number[], s: PoolSpec, visit: (window: number[], count: number) => void): void {
  const [n, h, w, c] = xShape as [number, number, number, number];
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < s.geo.oh; oy++) {
      for (let ox = 0; ox < s.geo.ow; ox++) {
        const [y0, y1, x0, x1] = poolWindow(oy, ox, s, h, w);
        for (let k = 0; k < c; k++) {
          const window: number[] = [];
          for (let y = y0; y < y1; y++) for (let xx = x0; xx < x1; xx++) window.push(((b * h + y) * w + xx) * c + k);
          visit(window, (y1 - y0) * (x1 - x0));
        }
      }
    }
  }
}

/** For each output element, the flat input index of the first maximum of its window (row-major scan). */
function argmaxes(x: HostTensor, s: PoolSpec): number[] {
  const xv = x.data as number[];
  const out: number[] = [];
  forEachPoolWindow(x.shape, s, (window) => {
    let at = -1;
    for (const p of window) if (at < 0 || xv[p]! > xv[at]!) at = p;
    out.push(at);
  });
  return out;
}

export function maxPoolRef(x: HostTensor, s: PoolSpec): Expected {
  const [n, , , c] = x.shape as [number, number, number, number];
  const xv = x.data as number[];
  return { dtype: x.dtype, shape: [n, s.geo.oh, s.geo.ow, c], data: argmaxes(x, s).map((p) => xv[p]!) };
}

export function avgPoolRef(x: HostTensor, s: PoolSpec): Expected {
  const [n, , , c] = x.shape as [number, number, number, number];
  const xv = x.data as number[];
  const data: number[] = [];
  const scale: number[] = [];
  forEachPoolWindow(x.shape, s, (window, count) => {
    let sum = 0, mag = 0;
    for (const p of window) {
      const v = xv[p]!;
      sum += v;
      mag += Math.abs(v);
    }
    data.push(roundTo(x.dtype, sum / count));
    scale.push(mag / count);
  });
  return { dtype: x.dtype, shape: [n, s.geo.oh, s.geo.ow, c], data, scale };
}

/** Each dy goes to the first maximum of its window. */
export function maxPoolGradRef(x: HostTensor, dy: HostTensor, s: PoolSpec): Expected {
  const acc = new Array<number>(x.data.length).fill(0);
  const mag = acc.slice();
  const dv = dy.data as number[];
  argmaxes(x, s).forEach((p, i) => {
    acc[p]! += dv[i]!;
    mag[p]! += Math.abs(dv[i]!);
  });
  return finish(x.dtype, [...x.shape], acc, mag);
}

/** Each dy is spread evenly over the in-bounds elements of its window. */
export function avgPoolGradRef(inputShape: [number, number, number, number], dy: HostTensor, s: PoolSpec): Expected {
  const [n, h, w, c] = inputShape;
  const acc = new Array<number>(n * h * w * c).fill(0);
  const mag = acc.slice();
  const dv = dy.data as number[];
  let i = 0;
  forEachPoolWindow(inputShape, s, (window, count) => {
    const g = dv[i++]! / count;
    for (const p of window) {
      acc[p]! += g;
      mag[p]! += Math.abs(g);
    }
  });
  return finish(dy.dtype, [...inputShape], acc, mag);
}
