/**
 * Composite ops (written in core from other ops, no kernel of their own) against float64 references:
 * each entry of `COMPOSITES` names the op, the kernels it runs, an input generator, the call and the
 * reference. Adding a composite op means adding one entry here (and a gradient case in
 * `gradients.ts` when it is differentiable).
 */
import fc from "fast-check";
import { describe } from "vitest";
import * as tf from "@tessera/core";
import type { DType, KernelName } from "@tessera/core/kernel";
import { shapeArb, tensorArb } from "../arbitraries.js";
import type { Expected } from "../compare.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { describeHost, evalOp, sizeOf } from "../host.js";

/** One composite op under test, for one dtype. */
interface CompositeCase<P> {
  /** Test title; also the public op it checks. */
  name: string;
  dtypes: DType[];
  /** Kernels the composite runs (the test fails if one never ran). */
  kernels: KernelName[];
  /** Inputs and parameters. */
  arb: (dtype: DType) => fc.Arbitrary<{ x: HostTensor; p: P }>;
  run: (x: tf.Tensor, p: P) => tf.Tensor;
  ref: (x: HostTensor, p: P) => Expected;
  /** Kernel whose tolerance applies. */
  tolOf: KernelName;
  show: (p: P) => string;
}

const FLOATS: DType[] = ["float32", "float64"];
const num = (h: HostTensor): number[] => h.data as number[];

/** Strides of a row-major shape. */
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

const leakyRelu: CompositeCase<{ alpha: number }> = {
  name: "leakyRelu", dtypes: FLOATS, kernels: ["Greater", "Mul", "Where"], tolOf: "Mul",
  arb: (dtype) => fc.record({ x: tensorArb(dtype, shapeArb({ maxRank: 3 }), { min: -10, max: 10 }), p: fc.record({ alpha: fc.constantFrom(0.2, 0.01, 1.5) }) }),
  run: (x, p) => tf.nn.leakyRelu(x, { alpha: p.alpha }),
  ref: (x, p) => ({ ...x, data: num(x).map((v) => (v > 0 ? v : p.alpha * v)) }),
  show: (p) => `alpha ${p.alpha}`,
};

const l2Normalize: CompositeCase<{ axis: number }> = {
  name: "l2Normalize", dtypes: FLOATS, kernels: ["Square", "Sum", "Maximum", "Rsqrt", "Mul"], tolOf: "Sum",
  arb: (dtype) => shapeArb({ minRank: 1, maxRank: 3, zero: false }).chain((shape) => fc.record({
    x: tensorArb(dtype, fc.constant(shape), { min: -10, max: 10, special: false }),
    p: fc.record({ axis: fc.integer({ min: -shape.length, max: shape.length - 1 }) }),
  })),
  run: (x, p) => tf.math.l2Normalize(x, { axis: p.axis }),
  ref: (x, p) => {
    const axis = p.axis < 0 ? p.axis + x.shape.length : p.axis;
    const st = strides(x.shape), n = x.shape[axis]!, v = num(x);
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) {
      // First element of i's line along `axis`.
      const start = i - (Math.floor(i / st[axis]!) % n) * st[axis]!;
      let ss = 0;
      for (let k = 0; k < n; k++) ss += v[start + k * st[axis]!]! ** 2;
      out[i] = v[i]! / Math.sqrt(Math.max(ss, 1e-12));
    }
    return { ...x, data: out };
  },
  show: (p) => `axis ${p.axis}`,
};

const repeat: CompositeCase<{ axis: number; repeats: number | number[] }> = {
  name: "repeat", dtypes: ["float32", "float64", "int32"], kernels: ["Gather"], tolOf: "Gather",
  arb: (dtype) => shapeArb({ minRank: 1, maxRank: 3, maxSize: 64 }).chain((shape) => fc.integer({ min: 0, max: shape.length - 1 }).chain((axis) => fc.record({
    x: tensorArb(dtype, fc.constant(shape), { min: -10, max: 10 }),
    p: fc.record({ axis: fc.constant(axis), repeats: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: shape[axis]!, maxLength: shape[axis]! }) }),
  }))),
  run: (x, p) => tf.repeat(x, p.repeats, { axis: p.axis }),
  ref: (x, p) => {
    const { axis } = p;
    const n = x.shape[axis]!;
    const counts = typeof p.repeats === "number" ? new Array<number>(n).fill(p.repeats) : p.repeats;
    const outer = sizeOf(x.shape.slice(0, axis)), inner = sizeOf(x.shape.slice(axis + 1));
    const v = num(x), out: number[] = [];
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < n; k++) {
        for (let r = 0; r < counts[k]!; r++) for (let j = 0; j < inner; j++) out.push(v[(o * n + k) * inner + j]!);
      }
    }
    const shape = x.shape.slice();
    shape[axis] = counts.reduce((a, b) => a + b, 0);
    return { dtype: x.dtype, shape, data: out };
  },
  show: (p) => `repeats ${JSON.stringify(p.repeats)}, axis ${p.axis}`,
};

/** `repeat` with one count for every element (reshape + tile, no gather). */
const repeatScalar: CompositeCase<{ axis: number; repeats: number | number[] }> = {
  ...repeat, name: "repeat (one count)", kernels: ["Tile"],
  arb: (dtype) => shapeArb({ minRank: 1, maxRank: 3, maxSize: 64 }).chain((shape) => fc.record({
    x: tensorArb(dtype, fc.constant(shape), { min: -10, max: 10 }),
    p: fc.record({ axis: fc.integer({ min: 0, max: shape.length - 1 }), repeats: fc.integer({ min: 2, max: 3 }) }),
  })),
};

const COMPOSITES = [leakyRelu, l2Normalize, repeat, repeatScalar] as CompositeCase<unknown>[];

export function describeComposites(ctx: ConformanceContext): void {
  describe("composite ops", () => {
    for (const c of COMPOSITES) {
      for (const dtype of c.dtypes) {
        ctx.test(`${c.name} ${dtype}`, { kernels: c.kernels, dtype }, async () => {
          await ctx.property(c.arb(dtype), async ({ x, p }) => {
            const got = await evalOp([x], (t) => c.run(t!, p));
            assertMatches(got, c.ref(x, p), ctx.tol(c.tolOf, dtype), () => `${c.name}(${describeHost(x)}, ${c.show(p)})`);
          });
        });
      }
    }
  });
}
