/** Max and average pooling over NHWC windows, and their gradients. */
import type { Kernels, OutSpec, Pool2DAttrs } from "@tessera/core/kernel";
import { alloc, valuesOf, wrap } from "../backend.js";

type F = Float32Array | Float64Array;

/** Window bounds of output (oy, ox), clipped to the input. */
function window(oy: number, ox: number, a: Pool2DAttrs, h: number, w: number): [number, number, number, number] {
  const y0 = oy * a.strides[0] - a.padTop;
  const x0 = ox * a.strides[1] - a.padLeft;
  return [Math.max(y0, 0), Math.min(y0 + a.ksize[0], h), Math.max(x0, 0), Math.min(x0 + a.ksize[1], w)];
}

/** Calls f(inputPixelOffset, outputPixelOffset, y0, y1, x0, x1) per output pixel. */
function forEachWindow(xs: readonly number[], ys: readonly number[], a: Pool2DAttrs, f: (b: number, yo: number, win: [number, number, number, number]) => void): void {
  const [n, h, w] = xs as [number, number, number];
  const [, oh, ow, c] = ys as [number, number, number, number];
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) f(b, ((b * oh + oy) * ow + ox) * c, window(oy, ox, a, h, w));
    }
  }
}

/** For each output element, the input offset of the first maximum in its window (-1 if the window is empty). */
function argmaxOffsets(x: F, xs: readonly number[], ys: readonly number[], a: Pool2DAttrs): Int32Array {
  const [, h, w, c] = xs as [number, number, number, number];
  const arg = new Int32Array(ys[0]! * ys[1]! * ys[2]! * c).fill(-1);
  const best = new Float64Array(c);
  forEachWindow(xs, ys, a, (b, yo, [y0, y1, x0, x1]) => {
    best.fill(-Infinity);
    for (let y = y0; y < y1; y++) {
      for (let xx = x0; xx < x1; xx++) {
        const xo = ((b * h + y) * w + xx) * c;
        for (let k = 0; k < c; k++) {
          const v = x[xo + k]!;
          const cur = arg[yo + k]!;
          // The first max wins; NaN beats everything and sticks.
          if (cur < 0 || v > best[k]! || (v !== v && best[k] === best[k])) {
            best[k] = v;
            arg[yo + k] = xo + k;
          }
        }
      }
    }
  });
  return arg;
}

function avgPool(x: F, xs: readonly number[], out: OutSpec, a: Pool2DAttrs): F {
  const [, h, w, c] = xs as [number, number, number, number];
  const o = alloc(out.dtype, out.shape[0]! * out.shape[1]! * out.shape[2]! * c) as F;
  const acc = new Float64Array(c);
  forEachWindow(xs, out.shape, a, (b, yo, [y0, y1, x0, x1]) => {
    acc.fill(0);
    for (let y = y0; y < y1; y++) {
      for (let xx = x0; xx < x1; xx++) {
        const xo = ((b * h + y) * w + xx) * c;
        for (let k = 0; k < c; k++) acc[k]! += x[xo + k]!;
      }
    }
    const count = (y1 - y0) * (x1 - x0);
    for (let k = 0; k < c; k++) o[yo + k] = acc[k]! / count;
  });
  return o;
}

function avgPoolGrad(dy: F, dyShape: readonly number[], out: OutSpec, a: Pool2DAttrs): F {
  const [, h, w, c] = out.shape as [number, number, number, number];
  const acc = new Float64Array(out.shape[0]! * h * w * c);
  forEachWindow(out.shape, dyShape, a, (b, yo, [y0, y1, x0, x1]) => {
    const count = (y1 - y0) * (x1 - x0);
    for (let y = y0; y < y1; y++) {
      for (let xx = x0; xx < x1; xx++) {
        const xo = ((b * h + y) * w + xx) * c;
        for (let k = 0; k < c; k++) acc[xo + k]! += dy[yo + k]! / count;
      }
    }
  });
  const o = alloc(out.dtype, acc.length) as F;
  o.set(acc);
  return o;
}

export const poolKernels: Pick<Kernels, "MaxPool" | "AvgPool" | "MaxPoolGrad" | "AvgPoolGrad"> = {
  MaxPool: ([x], a, out) => {
    const xv = valuesOf<F>(x);
    const arg = argmaxOffsets(xv, x.shape, out.shape, a);
    const o = alloc(out.dtype, arg.length) as F;
    for (let i = 0; i < arg.length; i++) o[i] = arg[i]! >= 0 ? xv[arg[i]!]! : -Infinity;
    return wrap(o);
  },
  AvgPool: ([x], a, out) => wrap(avgPool(valuesOf<F>(x), x.shape, out, a)),
  MaxPoolGrad: ([x, dy], a, out) => {
    const arg = argmaxOffsets(valuesOf<F>(x), x.shape, dy.shape, a);
    const dv = valuesOf<F>(dy);
    const acc = new Float64Array(x.shape.reduce((p, d) => p * d, 1));
    for (let i = 0; i < arg.length; i++) if (arg[i]! >= 0) acc[arg[i]!]! += dv[i]!;
    const o = alloc(out.dtype, acc.length) as F;
    o.set(acc);
    return wrap(o);
  },
  AvgPoolGrad: ([dy], a, out) => wrap(avgPoolGrad(valuesOf<F>(dy), dy.shape, out, a)),
};
