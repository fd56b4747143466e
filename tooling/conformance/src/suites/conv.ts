/**
 * Conv2D through `tf.nn.conv2d` (strides, dilations, SAME/VALID/explicit padding), its two gradient
 * kernels directly, and pooling through `tf.nn.maxPool2d`/`avgPool2d` plus the pooling gradients.
 */
import fc from "fast-check";
import { describe } from "vitest";
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { valuesFor } from "../arbitraries.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import { runKernelDirect } from "../direct.js";
import type { HostTensor } from "../host.js";
import { describeHost, evalOp, host } from "../host.js";
import type { ConvSpec, PaddingSpec, PoolSpec } from "../reference/conv.js";
import {
  avgPoolGradRef, avgPoolRef, conv2dBackpropFilterRef, conv2dBackpropInputRef, conv2dRef, geometry, maxPoolGradRef, maxPoolRef,
} from "../reference/conv.js";

interface ConvCase {
  x: HostTensor;
  f: HostTensor;
  dy: HostTensor;
  strides: [number, number];
  dilations: [number, number];
  padding: PaddingSpec;
  spec: ConvSpec;
}

const FLOATS: DType[] = ["float32", "float64"];
const pair = (max: number) => fc.tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max }));

/**
 * Convolution problems: mostly narrow ones with every stride/dilation/padding combination, and some
 * 3×3 unit-stride ones with many channels — the shape of real networks, which backends route to
 * their fast paths (Winograd on wasm, tiled products elsewhere).
 */
function convCaseArb(dtype: DType): fc.Arbitrary<ConvCase> {
  const explicit = fc.tuple(pair(3), pair(3)).map(([[t, b], [l, r]]): PaddingSpec => [[0, 0], [t - 1, b - 1], [l - 1, r - 1], [0, 0]]);
  const narrow = fc.record({
    n: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 1, max: 7 }), w: fc.integer({ min: 1, max: 7 }),
    ci: fc.integer({ min: 1, max: 3 }), co: fc.integer({ min: 1, max: 3 }), k: pair(3),
    strides: pair(3), dilations: pair(2),
    padding: fc.oneof(fc.constantFrom<PaddingSpec>("SAME", "VALID"), explicit),
  });
  const wide = fc.record({
    n: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 3, max: 8 }), w: fc.integer({ min: 3, max: 8 }),
    ci: fc.constantFrom(4, 6, 8, 16), co: fc.integer({ min: 4, max: 16 }), k: fc.constant<[number, number]>([3, 3]),
    strides: fc.constant<[number, number]>([1, 1]), dilations: fc.constant<[number, number]>([1, 1]),
    padding: fc.constantFrom<PaddingSpec>("SAME", "VALID"),
  });
  return fc.oneof({ arbitrary: narrow, weight: 3 }, { arbitrary: wide, weight: 1 }).chain(({ n, h, w, ci, co, k, strides, dilations, padding }) => {
    // Inputs at least as large as the (dilated, padded) window, so no output dimension is empty.
    const padH = Array.isArray(padding) ? padding[1][0] + padding[1][1] : 0;
    const padW = Array.isArray(padding) ? padding[2][0] + padding[2][1] : 0;
    const hh = padding === "SAME" ? h : Math.max(h, (k[0] - 1) * dilations[0] + 1 - padH);
    const ww = padding === "SAME" ? w : Math.max(w, (k[1] - 1) * dilations[1] + 1 - padW);
    const geo = geometry(hh, ww, k[0], k[1], strides, dilations, padding);
    const dom = { min: -4, max: 4, special: false };
    return fc.record({
      x: valuesFor(dtype, [n, hh, ww, ci], dom),
      f: valuesFor(dtype, [k[0], k[1], ci, co], dom),
      dy: valuesFor(dtype, [n, geo.oh, geo.ow, co], dom),
      strides: fc.constant(strides), dilations: fc.constant(dilations), padding: fc.constant(padding),
      spec: fc.constant({ strides, dilations, geo }),
    });
  });
}

function attrs(s: ConvSpec) {
  return { strides: s.strides, dilations: s.dilations, padTop: s.geo.padTop, padLeft: s.geo.padLeft };
}

function showConv(c: ConvCase): string {
  return `x ${describeHost(c.x)}, filter ${describeHost(c.f)}, strides [${c.strides}], dilations [${c.dilations}], padding ${JSON.stringify(c.padding)}`;
}

interface PoolCase {
  x: HostTensor;
  dy: HostTensor;
  ksize: [number, number];
  strides: [number, number];
  padding: "SAME" | "VALID";
  spec: PoolSpec;
}

function poolCaseArb(dtype: DType): fc.Arbitrary<PoolCase> {
  return fc.record({
    n: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 1, max: 6 }), w: fc.integer({ min: 1, max: 6 }), c: fc.integer({ min: 1, max: 3 }),
    ksize: pair(3), strides: pair(3), padding: fc.constantFrom<"SAME" | "VALID">("SAME", "VALID"),
  }).chain(({ n, h, w, c, ksize, strides, padding }) => {
    const hh = padding === "VALID" ? Math.max(h, ksize[0]) : h;
    const ww = padding === "VALID" ? Math.max(w, ksize[1]) : w;
    const geo = geometry(hh, ww, ksize[0], ksize[1], strides, [1, 1], padding);
    return fc.record({
      // Few distinct values: ties decide which element gets MaxPool's gradient (the first one).
      x: valuesFor(dtype, [n, hh, ww, c], { min: -3, max: 3, special: false }),
      dy: valuesFor(dtype, [n, geo.oh, geo.ow, c], { min: -4, max: 4, special: false }),
      ksize: fc.constant(ksize), strides: fc.constant(strides), padding: fc.constant(padding),
      spec: fc.constant({ ksize, strides, geo }),
    });
  });
}

/** A 1-D pooling problem (NWC), checked against the 2-D reference on its `[N, 1, W, C]` view. */
function pool1dCaseArb(dtype: DType): fc.Arbitrary<PoolCase> {
  return fc.record({
    n: fc.integer({ min: 1, max: 2 }), w: fc.integer({ min: 1, max: 8 }), c: fc.integer({ min: 1, max: 3 }),
    k: fc.integer({ min: 1, max: 3 }), s: fc.integer({ min: 1, max: 3 }), padding: fc.constantFrom<"SAME" | "VALID">("SAME", "VALID"),
  }).chain(({ n, w, c, k, s, padding }) => {
    const ww = padding === "VALID" ? Math.max(w, k) : w;
    const ksize: [number, number] = [1, k], strides: [number, number] = [1, s];
    const geo = geometry(1, ww, 1, k, strides, [1, 1], padding);
    return fc.record({
      x: valuesFor(dtype, [n, 1, ww, c], { min: -3, max: 3, special: false }),
      dy: fc.constant({ dtype, shape: [0], data: [] } as HostTensor),
      ksize: fc.constant(ksize), strides: fc.constant(strides), padding: fc.constant(padding),
      spec: fc.constant({ ksize, strides, geo }),
    });
  });
}

/** Runs a 1-D pool on the NWC view of a `[N, 1, W, C]` case and gives the result back in 4-D. */
async function pool1d(c: PoolCase, op: (x: tf.Tensor, k: number, s: number, p: "SAME" | "VALID") => tf.Tensor): Promise<HostTensor> {
  const [n, , w, ch] = c.x.shape as [number, number, number, number];
  const got = await evalOp([{ ...c.x, shape: [n, w, ch] }], (x) => op(x!, c.ksize[1], c.strides[1], c.padding));
  return { ...got, shape: [n, 1, got.shape[1]!, ch] };
}

function poolAttrs(s: PoolSpec) {
  return { ksize: s.ksize, strides: s.strides, padTop: s.geo.padTop, padLeft: s.geo.padLeft };
}

function showPool(c: PoolCase): string {
  return `x ${describeHost(c.x)}, ksize [${c.ksize}], strides [${c.strides}], padding ${c.padding}`;
}

export function describeConv(ctx: ConformanceContext): void {
  describe("convolution and pooling", () => {
    for (const dtype of FLOATS) {
      ctx.test(`Conv2D ${dtype}`, { kernels: ["Conv2D"], dtype }, async () => {
        const check = async (c: ConvCase) => {
          const got = await evalOp([c.x, c.f], (x, f) => tf.nn.conv2d(x!, f!, c.strides, c.padding, { dilations: c.dilations }));
          assertMatches(got, conv2dRef(c.x, c.f, c.spec), ctx.tol("Conv2D", dtype), () => `conv2d(${showConv(c)})`);
        };
        // A zero input times a NaN or Inf weight is NaN, not 0 (no skipping of zeros).
        const x = host(dtype, [1, 2, 2, 1], [0, 1, 0, 2]);
        const f = host(dtype, [1, 1, 1, 2], [NaN, Infinity]);
        const spec: ConvSpec = { strides: [1, 1], dilations: [1, 1], geo: geometry(2, 2, 1, 1, [1, 1], [1, 1], "VALID") };
        await ctx.cases([{ x, f, dy: host(dtype, [1, 2, 2, 2], new Array<number>(8).fill(1)), strides: [1, 1], dilations: [1, 1], padding: "VALID", spec } as ConvCase], check);
        await ctx.property(convCaseArb(dtype), check);
      });

      ctx.test(`Conv2DBackpropInput ${dtype} (direct)`, { kernels: ["Conv2DBackpropInput"], dtype }, async () => {
        await ctx.property(convCaseArb(dtype), async (c) => {
          const inputShape = c.x.shape as [number, number, number, number];
          const got = await runKernelDirect(ctx.backend, "Conv2DBackpropInput", [c.dy, c.f], attrs(c.spec), { shape: inputShape, dtype });
          assertMatches(got, conv2dBackpropInputRef(inputShape, c.dy, c.f, c.spec), ctx.tol("Conv2DBackpropInput", dtype), () => `Conv2DBackpropInput(dy ${describeHost(c.dy)}, ${showConv(c)})`);
        });
      });

      ctx.test(`Conv2DBackpropFilter ${dtype} (direct)`, { kernels: ["Conv2DBackpropFilter"], dtype }, async () => {
        await ctx.property(convCaseArb(dtype), async (c) => {
          const filterShape = c.f.shape as [number, number, number, number];
          const got = await runKernelDirect(ctx.backend, "Conv2DBackpropFilter", [c.x, c.dy], attrs(c.spec), { shape: filterShape, dtype });
          assertMatches(got, conv2dBackpropFilterRef(c.x, c.dy, filterShape, c.spec), ctx.tol("Conv2DBackpropFilter", dtype), () => `Conv2DBackpropFilter(dy ${describeHost(c.dy)}, ${showConv(c)})`);
        });
      });

      ctx.test(`MaxPool ${dtype}`, { kernels: ["MaxPool"], dtype }, async () => {
        await ctx.property(poolCaseArb(dtype), async (c) => {
          const got = await evalOp([c.x], (x) => tf.nn.maxPool2d(x, c.ksize, c.strides, c.padding));
          assertMatches(got, maxPoolRef(c.x, c.spec), ctx.tol("MaxPool", dtype), () => `maxPool2d(${showPool(c)})`);
        });
      });

      ctx.test(`AvgPool ${dtype}`, { kernels: ["AvgPool"], dtype }, async () => {
        await ctx.property(poolCaseArb(dtype), async (c) => {
          const got = await evalOp([c.x], (x) => tf.nn.avgPool2d(x, c.ksize, c.strides, c.padding));
          assertMatches(got, avgPoolRef(c.x, c.spec), ctx.tol("AvgPool", dtype), () => `avgPool2d(${showPool(c)})`);
        });
      });

      ctx.test(`maxPool1d ${dtype}`, { kernels: ["MaxPool"], dtype }, async () => {
        await ctx.property(pool1dCaseArb(dtype), async (c) => {
          assertMatches(await pool1d(c, tf.nn.maxPool1d), maxPoolRef(c.x, c.spec), ctx.tol("MaxPool", dtype), () => `maxPool1d(${showPool(c)})`);
        });
      });

      ctx.test(`avgPool1d ${dtype}`, { kernels: ["AvgPool"], dtype }, async () => {
        await ctx.property(pool1dCaseArb(dtype), async (c) => {
          assertMatches(await pool1d(c, tf.nn.avgPool1d), avgPoolRef(c.x, c.spec), ctx.tol("AvgPool", dtype), () => `avgPool1d(${showPool(c)})`);
        });
      });

      ctx.test(`MaxPoolGrad ${dtype} (direct)`, { kernels: ["MaxPoolGrad"], dtype }, async () => {
        await ctx.property(poolCaseArb(dtype), async (c) => {
          const got = await runKernelDirect(ctx.backend, "MaxPoolGrad", [c.x, c.dy], poolAttrs(c.spec), { shape: c.x.shape, dtype });
          assertMatches(got, maxPoolGradRef(c.x, c.dy, c.spec), ctx.tol("MaxPoolGrad", dtype), () => `MaxPoolGrad(dy ${describeHost(c.dy)}, ${showPool(c)})`);
        });
      });

      ctx.test(`AvgPoolGrad ${dtype} (direct)`, { kernels: ["AvgPoolGrad"], dtype }, async () => {
        await ctx.property(poolCaseArb(dtype), async (c) => {
          const inputShape = c.x.shape as [number, number, number, number];
          const got = await runKernelDirect(ctx.backend, "AvgPoolGrad", [c.dy], poolAttrs(c.spec), { shape: inputShape, dtype });
          assertMatches(got, avgPoolGradRef(inputShape, c.dy, c.spec), ctx.tol("AvgPoolGrad", dtype), () => `AvgPoolGrad(dy ${describeHost(c.dy)}, ${showPool(c)})`);
        });
      });
    }
  });
}
