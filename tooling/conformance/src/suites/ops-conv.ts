/**
 * The convolution variants written in core from the conv kernels and elementwise ops — conv2d with
 * `dataFormat: "NCHW"`, conv1d, conv2dTranspose, conv1dTranspose, depthwiseConv2d, separableConv2d —
 * against float64 references, and their bad inputs.
 */
import { describe, expect } from "vitest";
import * as tf from "@tessera/core";
import { valuesFor } from "../arbitraries.js";
import type { Expected } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { expectOpError, host } from "../host.js";
import type { ConvSpec, PaddingSpec } from "../reference/conv.js";
import { conv2dBackpropInputRef, conv2dRef, geometry } from "../reference/conv.js";
import { FLOATS, describeOpCases, fc, opCase, ravel, store, unravel } from "./ops-harness.js";

const pair = (max: number) => fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max }));
const DOM = { min: -4, max: 4, special: false };

/** A 2-D window problem: input spatial size, window, strides, dilations, padding and its geometry. */
interface Problem {
  n: number;
  h: number;
  w: number;
  k: [number, number];
  strides: [number, number];
  dilations: [number, number];
  padding: PaddingSpec;
  spec: ConvSpec;
}

/** Window problems whose outputs are not empty; `oneOf` keeps strides or dilations at 1 (as depthwise requires). */
function problemArb(oneOf: boolean, maxH = 7): fc.Arbitrary<Problem> {
  const explicit = fc.tuple(pair(3), pair(3)).map(([[t, b], [l, r]]): PaddingSpec => [[0, 0], [t - 1, b - 1], [l - 1, r - 1], [0, 0]]);
  return fc.record({
    n: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 1, max: maxH }), w: fc.integer({ min: 1, max: maxH }),
    k: pair(3), strides: pair(3), dilations: pair(2), stridedFirst: fc.boolean(),
    padding: fc.oneof(fc.constantFrom<PaddingSpec>("SAME", "VALID"), explicit),
  }).map(({ n, h, w, k, strides, dilations, stridedFirst, padding }) => {
    if (oneOf) {
      if (stridedFirst) dilations = [1, 1];
      else strides = [1, 1];
    }
    const padH = Array.isArray(padding) ? padding[1][0] + padding[1][1] : 0;
    const padW = Array.isArray(padding) ? padding[2][0] + padding[2][1] : 0;
    const hh = padding === "SAME" ? h : Math.max(h, (k[0] - 1) * dilations[0] + 1 - padH);
    const ww = padding === "SAME" ? w : Math.max(w, (k[1] - 1) * dilations[1] + 1 - padW);
    return { n, h: hh, w: ww, k, strides, dilations, padding, spec: { strides, dilations, geo: geometry(hh, ww, k[0], k[1], strides, dilations, padding) } };
  });
}

/** `h` with its axes permuted (data and per-element scales). */
function permute<T extends HostTensor | Expected>(h: T, perm: readonly number[]): T {
  const shape = perm.map((a) => h.shape[a]!);
  const n = h.data.length;
  const data = new Array<number>(n);
  const scale = (h as Expected).scale ? new Array<number>(n) : undefined;
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    const src = new Array<number>(perm.length);
    perm.forEach((a, k) => { src[a] = idx[k]!; });
    const j = ravel(src, h.shape);
    data[i] = h.data[j] as number;
    if (scale) scale[i] = (h as Expected).scale![j]!;
  }
  return { ...h, shape, data, ...(scale ? { scale } : {}) };
}

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];
const nchwPadding = (p: PaddingSpec): tf.Padding => (Array.isArray(p) ? [[0, 0], [0, 0], p[1], p[2]] : p);
const showProblem = (p: Problem) => `strides [${p.strides}], dilations [${p.dilations}], padding ${JSON.stringify(p.padding)}`;

const conv2dNCHW = opCase<Problem>({
  name: "conv2d NCHW", dtypes: FLOATS, kernels: ["Conv2D", "Transpose"], tolOf: "Conv2D",
  arb: (d) => problemArb(false).chain((p) => fc.record({ ci: fc.integer({ min: 1, max: 3 }), co: fc.integer({ min: 1, max: 3 }) }).chain(({ ci, co }) => fc.record({
    xs: fc.tuple(valuesFor(d, [p.n, ci, p.h, p.w], DOM), valuesFor(d, [p.k[0], p.k[1], ci, co], DOM)),
    p: fc.constant(p),
  }))),
  run: ([x, f], p) => tf.nn.conv2d(x!, f!, [1, 1, ...p.strides], nchwPadding(p.padding), { dataFormat: "NCHW", dilations: [1, 1, ...p.dilations] }),
  ref: ([x, f], p) => permute(conv2dRef(permute(x!, TO_NHWC), f!, p.spec), TO_NCHW),
  show: showProblem,
});

/** A 1-D problem as the 2-D problem of its `[N, 1, W, C]` view. */
function problem1dArb(): fc.Arbitrary<Problem & { ncw: boolean }> {
  return fc.record({
    n: fc.integer({ min: 1, max: 2 }), w: fc.integer({ min: 1, max: 9 }), k: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 3 }),
    d: fc.integer({ min: 1, max: 2 }), padding: fc.constantFrom<"SAME" | "VALID">("SAME", "VALID"), ncw: fc.boolean(),
  }).map(({ n, w, k, s, d, padding, ncw }) => {
    const ww = padding === "SAME" ? w : Math.max(w, (k - 1) * d + 1);
    const strides: [number, number] = [1, s], dilations: [number, number] = [1, d];
    return { n, h: 1, w: ww, k: [1, k], strides, dilations, padding, ncw, spec: { strides, dilations, geo: geometry(1, ww, 1, k, strides, dilations, padding) } };
  });
}

/** NWC `[N, W, C]` host data as NHWC `[N, 1, W, C]`, and back; NCW goes through a transpose. */
const as4 = (h: HostTensor, ncw: boolean): HostTensor => {
  const nwc = ncw ? permute(h, [0, 2, 1]) : h;
  return { ...nwc, shape: [nwc.shape[0]!, 1, nwc.shape[1]!, nwc.shape[2]!] };
};
const as3 = (e: Expected, ncw: boolean): Expected => {
  const nwc = { ...e, shape: [e.shape[0]!, e.shape[2]!, e.shape[3]!] };
  return ncw ? permute(nwc, [0, 2, 1]) : nwc;
};

const conv1d = opCase<Problem & { ncw: boolean }>({
  name: "conv1d", dtypes: FLOATS, kernels: ["Conv2D"], tolOf: "Conv2D",
  arb: (d) => problem1dArb().chain((p) => fc.record({ ci: fc.integer({ min: 1, max: 3 }), co: fc.integer({ min: 1, max: 3 }) }).chain(({ ci, co }) => fc.record({
    xs: fc.tuple(valuesFor(d, p.ncw ? [p.n, ci, p.w] : [p.n, p.w, ci], DOM), valuesFor(d, [p.k[1], ci, co], DOM)),
    p: fc.constant(p),
  }))),
  run: ([x, f], p) => tf.nn.conv1d(x!, f!, p.strides[1], p.padding as "SAME", { dilations: p.dilations[1], dataFormat: p.ncw ? "NCW" : "NWC" }),
  ref: ([x, f], p) => as3(conv2dRef(as4(x!, p.ncw), { ...f!, shape: [1, ...f!.shape] }, p.spec), p.ncw),
  show: (p) => `${showProblem(p)}, ${p.ncw ? "NCW" : "NWC"}`,
});

/** A transposed convolution: the forward problem's input is the output (`outShape`). */
const conv2dTranspose = opCase<Problem & { cout: number; nchw: boolean }>({
  name: "conv2dTranspose", dtypes: FLOATS, kernels: ["Conv2DBackpropInput"], tolOf: "Conv2DBackpropInput",
  arb: (d) => problemArb(false).chain((p) => fc.record({ cin: fc.integer({ min: 1, max: 3 }), cout: fc.integer({ min: 1, max: 3 }), nchw: fc.boolean() }).chain(({ cin, cout, nchw }) => fc.record({
    xs: fc.tuple(valuesFor(d, [p.n, p.spec.geo.oh, p.spec.geo.ow, cin], DOM).map((x) => (nchw ? permute(x, TO_NCHW) : x)), valuesFor(d, [p.k[0], p.k[1], cout, cin], DOM)),
    p: fc.constant({ ...p, cout, nchw }),
  }))),
  run: ([x, f], p) => p.nchw
    ? tf.nn.conv2dTranspose(x!, f!, [p.n, p.cout, p.h, p.w], [1, 1, ...p.strides], { padding: nchwPadding(p.padding), dataFormat: "NCHW", dilations: p.dilations })
    : tf.nn.conv2dTranspose(x!, f!, [p.n, p.h, p.w, p.cout], p.strides, { padding: p.padding as tf.Padding, dilations: p.dilations }),
  ref: ([x, f], p) => {
    const e = conv2dBackpropInputRef([p.n, p.h, p.w, p.cout], p.nchw ? permute(x!, TO_NHWC) : x!, f!, p.spec);
    return p.nchw ? permute(e, TO_NCHW) : e;
  },
  show: (p) => `${showProblem(p)}, output [${p.n}, ${p.h}, ${p.w}, ${p.cout}]${p.nchw ? " NCHW" : ""}`,
});

const conv1dTranspose = opCase<Problem & { ncw: boolean; cout: number }>({
  name: "conv1dTranspose", dtypes: FLOATS, kernels: ["Conv2DBackpropInput"], tolOf: "Conv2DBackpropInput",
  arb: (d) => problem1dArb().chain((p) => fc.record({ cin: fc.integer({ min: 1, max: 3 }), cout: fc.integer({ min: 1, max: 3 }) }).chain(({ cin, cout }) => fc.record({
    xs: fc.tuple(valuesFor(d, [p.n, p.spec.geo.ow, cin], DOM).map((x) => (p.ncw ? permute(x, [0, 2, 1]) : x)), valuesFor(d, [p.k[1], cout, cin], DOM)),
    p: fc.constant({ ...p, cout }),
  }))),
  run: ([x, f], p) => tf.nn.conv1dTranspose(x!, f!, p.ncw ? [p.n, p.cout, p.w] : [p.n, p.w, p.cout], p.strides[1], {
    padding: p.padding as "SAME", dilations: p.dilations[1], dataFormat: p.ncw ? "NCW" : "NWC",
  }),
  ref: ([x, f], p) => as3(conv2dBackpropInputRef([p.n, 1, p.w, p.cout], as4(x!, p.ncw), { ...f!, shape: [1, ...f!.shape] }, p.spec), p.ncw),
  show: (p) => `${showProblem(p)}, output width ${p.w}, ${p.ncw ? "NCW" : "NWC"}`,
});

/** Depthwise convolution in float64 (unrounded), with each output's term magnitudes. */
function depthwise(x: HostTensor, f: HostTensor, s: ConvSpec): { shape: number[]; acc: number[]; mag: number[] } {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [kh, kw, , m] = f.shape as [number, number, number, number];
  const { oh, ow, padTop, padLeft } = s.geo;
  const shape = [n, oh, ow, c * m];
  const acc = new Array<number>(n * oh * ow * c * m).fill(0);
  const mag = acc.slice();
  const xv = x.data as number[], fv = f.data as number[];
  for (let b = 0; b < n; b++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
    const iy = oy * s.strides[0] - padTop + ky * s.dilations[0];
    const ix = ox * s.strides[1] - padLeft + kx * s.dilations[1];
    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
    for (let ch = 0; ch < c; ch++) for (let q = 0; q < m; q++) {
      const p = xv[((b * h + iy) * w + ix) * c + ch]! * fv[((ky * kw + kx) * c + ch) * m + q]!;
      const at = ((b * oh + oy) * ow + ox) * c * m + ch * m + q;
      acc[at]! += p;
      mag[at]! += Math.abs(p);
    }
  }
  return { shape, acc, mag };
}

const depthwiseConv2d = opCase<Problem & { nchw: boolean }>({
  name: "depthwiseConv2d", dtypes: FLOATS, kernels: ["Slice", "Concat", "Mul", "Sum"], tolOf: "Mul",
  // Small problems: each window is a few dispatches, and WebGPU's exact float64 is slow on CPU drivers.
  arb: (d) => problemArb(true, 5).chain((p) => fc.record({ c: fc.integer({ min: 1, max: 3 }), m: fc.integer({ min: 1, max: 2 }), nchw: fc.boolean() }).chain(({ c, m, nchw }) => fc.record({
    xs: fc.tuple(valuesFor(d, [p.n, p.h, p.w, c], DOM).map((x) => (nchw ? permute(x, TO_NCHW) : x)), valuesFor(d, [p.k[0], p.k[1], c, m], DOM)),
    p: fc.constant({ ...p, nchw }),
  }))),
  run: ([x, f], p) => p.nchw
    ? tf.nn.depthwiseConv2d(x!, f!, [1, 1, ...p.strides], nchwPadding(p.padding), { dataFormat: "NCHW", dilations: p.dilations })
    : tf.nn.depthwiseConv2d(x!, f!, p.strides, p.padding as tf.Padding, { dilations: p.dilations }),
  ref: ([x, f], p) => {
    const r = depthwise(p.nchw ? permute(x!, TO_NHWC) : x!, f!, p.spec);
    const e: Expected = { dtype: f!.dtype, shape: r.shape, data: r.acc.map((v) => store(f!.dtype, v)), scale: r.mag };
    return p.nchw ? permute(e, TO_NCHW) : e;
  },
  show: (p) => `${showProblem(p)}${p.nchw ? ", NCHW" : ""}`,
});

const separableConv2d = opCase<Problem>({
  name: "separableConv2d", dtypes: FLOATS, kernels: ["Mul", "Sum", "Conv2D"], tolOf: "Conv2D",
  arb: (d) => problemArb(true, 4).chain((p) => fc.record({ c: fc.integer({ min: 1, max: 3 }), m: fc.integer({ min: 1, max: 2 }), co: fc.integer({ min: 1, max: 3 }) }).chain(({ c, m, co }) => fc.record({
    xs: fc.tuple(valuesFor(d, [p.n, p.h, p.w, c], DOM), valuesFor(d, [p.k[0], p.k[1], c, m], DOM), valuesFor(d, [1, 1, c * m, co], DOM)),
    p: fc.constant(p),
  }))),
  run: ([x, df, pf], p) => tf.nn.separableConv2d(x!, df!, pf!, p.strides, p.padding as tf.Padding, { dilations: p.dilations }),
  ref: ([x, df, pf], p) => {
    const r = depthwise(x!, df!, p.spec);
    const [n, oh, ow, cm] = r.shape as [number, number, number, number];
    const co = pf!.shape[3]!;
    const pv = pf!.data as number[];
    const data: number[] = [], scale: number[] = [];
    for (let pix = 0; pix < n * oh * ow; pix++) {
      for (let o = 0; o < co; o++) {
        let acc = 0, mag = 0;
        for (let j = 0; j < cm; j++) {
          acc += r.acc[pix * cm + j]! * pv[j * co + o]!;
          mag += r.mag[pix * cm + j]! * Math.abs(pv[j * co + o]!);
        }
        data.push(store(x!.dtype, acc));
        scale.push(mag);
      }
    }
    return { dtype: x!.dtype, shape: [n, oh, ow, co], data, scale };
  },
  show: showProblem,
});

type ErrorClass = abstract new (...args: never[]) => Error;
interface BadCase { title: string; inputs: HostTensor[]; run: (...ts: tf.Tensor[]) => unknown; error: ErrorClass; message: RegExp }

const { InvalidArgumentError, DtypeError } = tf.errors;
const f32 = (shape: number[]) => host("float32", shape, new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0.5));
const x4 = f32([1, 4, 4, 2]);

const BAD: BadCase[] = [
  { title: "conv2d with an unknown dataFormat", inputs: [x4, f32([2, 2, 2, 1])], run: (x, f) => tf.nn.conv2d(x!, f!, 1, "SAME", { dataFormat: "NHCW" as "NCHW" }), error: InvalidArgumentError, message: /dataFormat.*"NHCW".*\[Op:Conv2D\]$/ },
  { title: "conv2d NCHW with mismatched depth", inputs: [x4, f32([2, 2, 2, 1])], run: (x, f) => tf.nn.conv2d(x!, f!, 1, "SAME", { dataFormat: "NCHW" }), error: InvalidArgumentError, message: /input depth must equal filter depth: 4 vs 2.*\[Op:Conv2D\]$/ },
  { title: "conv2d NCHW with NHWC-shaped strides", inputs: [x4, f32([2, 2, 4, 1])], run: (x, f) => tf.nn.conv2d(x!, f!, [1, 2, 2, 1], "SAME", { dataFormat: "NCHW" }), error: InvalidArgumentError, message: /strides must be .*\[1, 1, h, w\].*\[Op:Conv2D\]$/ },
  { title: "conv1d of a rank-4 input", inputs: [x4, f32([2, 2, 1])], run: (x, f) => tf.nn.conv1d(x!, f!, 1, "SAME"), error: InvalidArgumentError, message: /3-dimensional NWC.*\[1,4,4,2\].*\[Op:Conv1D\]$/ },
  { title: "conv1d with mismatched depth", inputs: [f32([1, 5, 2]), f32([2, 3, 1])], run: (x, f) => tf.nn.conv1d(x!, f!, 1, "VALID"), error: InvalidArgumentError, message: /input depth must equal filter depth: 2 vs 3.*\[Op:Conv1D\]$/ },
  { title: "conv1d of int32", inputs: [host("int32", [1, 2, 1], [1, 2]), host("int32", [1, 1, 1], [1])], run: (x, f) => tf.nn.conv1d(x!, f!, 1, "VALID"), error: DtypeError, message: /int32.*\[Op:Conv1D\]$/ },
  { title: "conv2dTranspose with an outputShape that does not convolve to the input", inputs: [x4, f32([3, 3, 1, 2])], run: (x, f) => tf.nn.conv2dTranspose(x!, f!, [1, 9, 9, 1], 2), error: InvalidArgumentError, message: /gives spatial size \[5, 5\], not the input's \[4, 4\].*\[Op:Conv2DBackpropInput\]$/ },
  { title: "conv2dTranspose with a wrong outputShape depth", inputs: [x4, f32([3, 3, 1, 2])], run: (x, f) => tf.nn.conv2dTranspose(x!, f!, [1, 8, 8, 3], 2), error: InvalidArgumentError, message: /outputShape depth.*3 vs 1.*\[Op:Conv2DBackpropInput\]$/ },
  { title: "conv2dTranspose with mismatched in_channels", inputs: [x4, f32([3, 3, 1, 3])], run: (x, f) => tf.nn.conv2dTranspose(x!, f!, [1, 8, 8, 1], 2), error: InvalidArgumentError, message: /in_channels.*2 vs 3.*\[Op:Conv2DBackpropInput\]$/ },
  { title: "conv2dTranspose with an outputShape of rank 3", inputs: [x4, f32([3, 3, 1, 2])], run: (x, f) => tf.nn.conv2dTranspose(x!, f!, [8, 8, 1], 2), error: InvalidArgumentError, message: /outputShape must be 4 non-negative integers.*\[Op:Conv2DBackpropInput\]$/ },
  { title: "conv2dTranspose with another batch size", inputs: [x4, f32([3, 3, 1, 2])], run: (x, f) => tf.nn.conv2dTranspose(x!, f!, [2, 8, 8, 1], 2), error: InvalidArgumentError, message: /batch size 1.*\[Op:Conv2DBackpropInput\]$/ },
  { title: "conv2dTranspose of a rank-3 filter", inputs: [x4, f32([3, 1, 2])], run: (x, f) => tf.nn.conv2dTranspose(x!, f!, [1, 8, 8, 1], 2), error: InvalidArgumentError, message: /filters must be 4-dimensional.*\[Op:Conv2DBackpropInput\]$/ },
  { title: "conv1dTranspose of a rank-4 input", inputs: [x4, f32([3, 1, 2])], run: (x, f) => tf.nn.conv1dTranspose(x!, f!, [1, 8, 1], 2), error: InvalidArgumentError, message: /3-dimensional NWC.*\[Op:Conv1DTranspose\]$/ },
  { title: "depthwiseConv2d with mismatched depth", inputs: [x4, f32([2, 2, 3, 1])], run: (x, f) => tf.nn.depthwiseConv2d(x!, f!, 1, "SAME"), error: InvalidArgumentError, message: /input depth.*2 vs 3.*\[Op:DepthwiseConv2dNative\]$/ },
  { title: "depthwiseConv2d of a rank-3 input", inputs: [f32([4, 4, 2]), f32([2, 2, 2, 1])], run: (x, f) => tf.nn.depthwiseConv2d(x!, f!, 1, "SAME"), error: InvalidArgumentError, message: /4-dimensional NHWC.*\[Op:DepthwiseConv2dNative\]$/ },
  { title: "depthwiseConv2d with strides and dilations above 1", inputs: [x4, f32([2, 2, 2, 1])], run: (x, f) => tf.nn.depthwiseConv2d(x!, f!, 2, "SAME", { dilations: 2 }), error: InvalidArgumentError, message: /strides must be 1 when dilations.*\[Op:DepthwiseConv2dNative\]$/ },
  { title: "depthwiseConv2d with a window larger than the input (VALID)", inputs: [x4, f32([6, 1, 2, 1])], run: (x, f) => tf.nn.depthwiseConv2d(x!, f!, 1, "VALID"), error: InvalidArgumentError, message: /negative.*\[Op:DepthwiseConv2dNative\]$/ },
  { title: "depthwiseConv2d of int32", inputs: [host("int32", [1, 1, 1, 1], [1]), host("int32", [1, 1, 1, 1], [1])], run: (x, f) => tf.nn.depthwiseConv2d(x!, f!, 1, "SAME"), error: DtypeError, message: /int32.*\[Op:DepthwiseConv2dNative\]$/ },
  { title: "separableConv2d with a pointwise filter of the wrong depth", inputs: [x4, f32([2, 2, 2, 2]), f32([1, 1, 2, 3])], run: (x, d, p) => tf.nn.separableConv2d(x!, d!, p!, 1, "SAME"), error: InvalidArgumentError, message: /in_channels·channel_multiplier = 4.*\[Op:SeparableConv2D\]$/ },
  { title: "separableConv2d with a 2x2 pointwise filter", inputs: [x4, f32([2, 2, 2, 1]), f32([2, 2, 2, 3])], run: (x, d, p) => tf.nn.separableConv2d(x!, d!, p!, 1, "SAME"), error: InvalidArgumentError, message: /pointwise filter must be \[1, 1.*\[Op:SeparableConv2D\]$/ },
];

export function describeOpsConv(ctx: ConformanceContext): void {
  describeOpCases(ctx, "convolution variants", [conv2dNCHW, conv1d, conv2dTranspose, conv1dTranspose, depthwiseConv2d, separableConv2d]);
  describe("bad inputs of the convolution variants", () => {
    for (const c of BAD) {
      ctx.test(`${c.title} throws ${c.error.name}, leaving inputs and memory unchanged`, { kernels: [] }, async () => {
        const err = await expectOpError(c.inputs, c.run, c.error);
        expect(err.message).toMatch(c.message);
      });
    }
  });
}
