/**
 * `tf.image` HSV ops (rgbToHsv, hsvToRgb, adjustHue, adjustSaturation) and `threshold` against
 * float64 references written from TensorFlow's RGBToHSV / HSVToRGB kernels and TensorFlow.js's
 * threshold, plus bad arguments.
 */
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { valuesFor } from "../arbitraries.js";
import type { Expected } from "../compare.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { evalOp, expectOpError, host } from "../host.js";
import { describeOpCases, FLOATS, fc, num, opCase, store } from "./ops-harness.js";

/** TensorFlow's RGBToHSV for one pixel, and the conditioning of the hue (max / range). */
export function hsvOf(r: number, g: number, b: number): { h: number; s: number; v: number; cond: number } {
  const v = Math.max(r, g, b), range = v - Math.min(r, g, b);
  const s = v > 0 ? range / v : 0;
  let h = 0;
  if (range > 0) {
    // (difference / range) / 6: finite for subnormal ranges too.
    h = r === v ? (g - b) / range / 6 : g === v ? (b - r) / range / 6 + 2 / 6 : (r - g) / range / 6 + 4 / 6;
  }
  if (h < 0) h += 1;
  return { h, s, v, cond: range > 0 ? Math.max(Math.abs(r), Math.abs(g), Math.abs(b)) / range : 1 };
}

/** TensorFlow's HSVToRGB for one pixel. */
export function rgbOf(h: number, s: number, v: number): [number, number, number] {
  const c = s * v, m = v - c, dh = h * 6;
  const cat = Math.floor(dh), x = c * (1 - Math.abs((dh % 2) - 1));
  const table: [number, number, number][] = [[c, x, 0], [x, c, 0], [0, c, x], [0, x, c], [x, 0, c], [c, 0, x]];
  const [r, g, b] = cat >= 0 && cat <= 5 ? table[cat]! : [0, 0, 0];
  return [r + m, g + m, b + m];
}

/** Images [..., 3] with values in [0, 1]. */
const pixelsArb = (d: DType) => fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.boolean())
  .chain(([a, b, batched]) => valuesFor(d, batched ? [a, b, 3] : [b, 3], { min: 0, max: 1, special: false }))
  // The domain is [0, 1]: fold the tiny negative values the generator mixes in back into it.
  .map((x) => ({ ...x, data: num(x).map((v) => Math.abs(v) + 0) }));

/** Maps each pixel of `x` ([..., 3]) through `f`, which also gives a per-pixel scale. */
function perPixel(x: HostTensor, f: (r: number, g: number, b: number) => { out: number[]; scale: number }): Expected {
  const v = num(x), data: number[] = [], scale: number[] = [];
  for (let i = 0; i < v.length; i += 3) {
    const { out, scale: s } = f(v[i]!, v[i + 1]!, v[i + 2]!);
    data.push(...out.map((o) => store(x.dtype, o)));
    scale.push(s, s, s);
  }
  return { dtype: x.dtype, shape: x.shape, data, scale };
}

const rgbToHsv = opCase<null>({
  name: "image.rgbToHsv", dtypes: FLOATS, kernels: ["Maximum", "Minimum", "Where"], tolOf: "Div",
  arb: (d) => pixelsArb(d).map((x) => ({ xs: [x], p: null })),
  run: ([x]) => tf.image.rgbToHsv(x!),
  ref: ([x]) => perPixel(x!, (r, g, b) => { const o = hsvOf(r, g, b); return { out: [o.h, o.s, o.v], scale: 8 * o.cond }; }),
  show: () => "",
});

const hsvToRgb = opCase<null>({
  name: "image.hsvToRgb", dtypes: FLOATS, kernels: ["Mul", "FloorMod", "Where"], tolOf: "Mul",
  arb: (d) => pixelsArb(d).map((x) => ({ xs: [x], p: null })),
  run: ([x]) => tf.image.hsvToRgb(x!),
  ref: ([x]) => perPixel(x!, (h, s, v) => ({ out: rgbOf(h, s, v), scale: 16 })),
  show: () => "",
});

const adjustHue = opCase<number>({
  name: "image.adjustHue", dtypes: FLOATS, kernels: ["FloorMod", "Where"], tolOf: "Div",
  arb: (d) => fc.record({ xs: pixelsArb(d).map((x) => [x]), p: fc.constantFrom(0, 0.25, -0.4, 0.9, -1, 1) }),
  run: ([x], delta) => tf.image.adjustHue(x!, delta),
  ref: ([x], delta) => perPixel(x!, (r, g, b) => {
    const o = hsvOf(r, g, b);
    let h = (((o.h + delta) % 1) + 1) % 1;
    if (h >= 1) h -= 1;
    return { out: rgbOf(h, o.s, o.v), scale: 16 * o.cond };
  }),
  show: (d) => `delta ${d}`,
});

const adjustSaturation = opCase<number>({
  name: "image.adjustSaturation", dtypes: FLOATS, kernels: ["Mul", "Where"], tolOf: "Div",
  arb: (d) => fc.record({ xs: pixelsArb(d).map((x) => [x]), p: fc.constantFrom(0, 0.5, 1, 2.5) }),
  run: ([x], f) => tf.image.adjustSaturation(x!, f),
  ref: ([x], f) => perPixel(x!, (r, g, b) => {
    const o = hsvOf(r, g, b);
    // Hue 1 (a hue just below 0 after wrapping) is hue 0.
    return { out: rgbOf(o.h >= 1 ? o.h - 1 : o.h, Math.min(1, Math.max(0, o.s * f)), o.v), scale: 16 * o.cond };
  }),
  show: (f) => `factor ${f}`,
});

/** The first level maximising Otsu's between-class variance, from prefix sums (−1 if none). */
function otsuRef(gray: number[], total: number): number {
  const hist = new Array<number>(256).fill(0);
  for (const g of gray) {
    const r = Math.round(g), bin = Math.abs(g % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
    if (bin >= 0 && bin < 256) hist[bin]!++;
  }
  let best = -1, bestVar = 0, n0 = 0, s0 = 0;
  const n = hist.reduce((a, b) => a + b, 0), s = hist.reduce((a, b, i) => a + i * b, 0);
  for (let t = 0; t < 255; t++) {
    n0 += hist[t]!; s0 += t * hist[t]!;
    const w0 = n0 / total, w1 = (n - n0) / total, d = s0 / n0 - (s - s0) / (n - n0);
    const v = w0 * w1 * d * d;
    if (v > bestVar) { bestVar = v; best = t; }
  }
  return best;
}

interface ThreshP { method: "binary" | "otsu"; inverted: boolean; level: number }
const threshold = opCase<ThreshP>({
  name: "image.threshold", dtypes: ["float32", "int32"], kernels: ["Greater", "Cast"], tolOf: "Mul",
  arb: (d) => fc.record({
    xs: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom(1, 3))
      .chain(([h, w, c]) => valuesFor(d, [h, w, c], { min: 0, max: 255, special: false, integer: true })).map((x) => [x]),
    p: fc.record({ method: fc.constantFrom<"binary" | "otsu">("binary", "otsu"), inverted: fc.boolean(), level: fc.constantFrom(0.5, 0.2, 0.9) }),
  }),
  run: ([x], p) => tf.image.threshold(x!, p.method, p.inverted, p.level),
  ref: ([x], p) => {
    const v = num(x!), [h, w, c] = x!.shape as [number, number, number];
    const f = Math.fround, wts = [0.2989, 0.587, 0.114].map(f);
    const gray: number[] = [];
    for (let i = 0; i < h * w; i++) {
      gray.push(c === 1 ? v[i]! : f(f(f(v[3 * i]! * wts[0]!) + f(v[3 * i + 1]! * wts[1]!)) + f(v[3 * i + 2]! * wts[2]!)));
    }
    const level = p.method === "otsu" ? otsuRef(gray, h * w) : p.level * 255;
    const on = (g: number): boolean => (p.inverted ? g <= level : g > level);
    const data = gray.map((g) => (on(g) ? 255 : 0));
    // A gray value within rounding of the level may land on either side.
    const alt = gray.map((g) => (Math.abs(g - level) < 1e-3 ? (on(g) ? 0 : 255) : undefined));
    return { dtype: "int32", shape: [h, w, 1], data, alt };
  },
  show: (p) => JSON.stringify(p),
});

export function describeImageColor(ctx: ConformanceContext): void {
  describeOpCases(ctx, "image ops: HSV and threshold", [rgbToHsv, hsvToRgb, adjustHue, adjustSaturation, threshold]);

  ctx.test("image HSV ops: values TensorFlow gives", { kernels: ["Where"], dtype: "float32" }, async () => {
    // tf.image.rgb_to_hsv([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0.5], [0.2, 0.4, 0.8]])
    const rgb = host("float32", [5, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0.5, 0.2, 0.4, 0.8]);
    const got = await evalOp([rgb], (x) => tf.image.rgbToHsv(x!));
    const want = [0, 1, 1, 1 / 3, 1, 1, 2 / 3, 1, 1, 0, 0, 0.5, 0.6111111, 0.75, 0.8].map(Math.fround);
    assertMatches(got, { dtype: "float32", shape: [5, 3], data: want }, ctx.tol("Div", "float32"), () => "rgbToHsv primaries");
    const back = await evalOp([host("float32", [5, 3], want)], (x) => tf.image.hsvToRgb(x!));
    assertMatches(back, { dtype: "float32", shape: [5, 3], data: num(rgb) }, ctx.tol("Div", "float32"), () => "hsvToRgb primaries");
  });

  ctx.test("image HSV ops and threshold: bad arguments", { kernels: [], dtype: "float32", needs: ["int32", "float64"] }, async () => {
    const img = host("float32", [2, 2, 3], [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 0.5]);
    const two = host("float32", [2, 2], [0, 0.1, 0.2, 0.3]);
    const ints = host("int32", [1, 1, 3], [1, 2, 3]);
    const V = tf.errors.ValueError;
    await expectOpError([two], (x) => tf.image.rgbToHsv(x!), V);
    await expectOpError([two], (x) => tf.image.hsvToRgb(x!), V);
    await expectOpError([ints], (x) => tf.image.rgbToHsv(x!), tf.errors.DtypeError);
    await expectOpError([img], (x) => tf.image.adjustHue(x!, 1.5), V);
    await expectOpError([img], (x) => tf.image.adjustHue(x!, NaN), V);
    await expectOpError([img], (x) => tf.image.adjustSaturation(x!, -1), V);
    await expectOpError([two], (x) => tf.image.threshold(x!), V);
    await expectOpError([img], (x) => tf.image.threshold(x!, "mean" as "otsu"), V);
    await expectOpError([host("float64", [1, 1, 1], [3])], (x) => tf.image.threshold(x!), tf.errors.DtypeError);
  });
}
