/** Reductions through `tf.reduceSum` & co. over random axis sets (contiguous or not, negative, keepdims), argmax/argmin, mean, logSumExp, `tf.nn.moments`. */
import fc from "fast-check";
import { describe } from "vitest";
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { shapeArb, valuesFor } from "../arbitraries.js";
import type { ShapeConstraints, ValueDomain } from "../arbitraries.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { describeHost, evalOp, host } from "../host.js";
import type { FoldKernel } from "../reference/reduce.js";
import { argRef, logSumExpRef, meanRef, normalizeAxes, reduceRef, varianceRef } from "../reference/reduce.js";

type Axis = number | number[] | undefined;

/** undefined (all axes), one axis, or a subset of axes in any order with some counted from the end. */
export function axisArb(rank: number): fc.Arbitrary<Axis> {
  if (rank === 0) return fc.constantFrom<Axis>(undefined, 0, -1, []);
  const ids = Array.from({ length: rank }, (_, i) => i);
  const subset = fc.shuffledSubarray(ids).chain((sub) => fc.tuple(...sub.map((a) => fc.boolean().map((neg) => (neg ? a - rank : a)))));
  return fc.oneof(fc.constant<Axis>(undefined), fc.integer({ min: -rank, max: rank - 1 }), subset);
}

interface Case {
  x: HostTensor;
  axis: Axis;
  keepdims: boolean;
}

function caseArb(dtype: DType, dom: ValueDomain, shapes: ShapeConstraints = {}): fc.Arbitrary<Case> {
  return shapeArb(shapes).chain((shape) =>
    fc.record({ x: valuesFor(dtype, shape, dom), axis: axisArb(shape.length), keepdims: fc.boolean() }),
  );
}

export const REDUCE_OPS: Record<FoldKernel, (x: tf.Tensor, o: tf.ReduceOptions) => tf.Tensor> = {
  Sum: tf.reduceSum, Prod: tf.reduceProd, Max: tf.reduceMax, Min: tf.reduceMin, All: tf.reduceAll, Any: tf.reduceAny,
};

const FOLDS: [FoldKernel, DType[]][] = [
  ["Sum", ["int32", "float32", "float64", "complex64"]],
  ["Prod", ["int32", "float32", "float64"]],
  ["Max", ["int32", "float32", "float64"]],
  ["Min", ["int32", "float32", "float64"]],
  ["All", ["bool"]],
  ["Any", ["bool"]],
];

function foldDomain(k: FoldKernel, dtype: DType): ValueDomain {
  if (dtype === "int32") return k === "Sum" ? { min: -2147483648, max: 2147483647 } : k === "Prod" ? {} : { min: -5, max: 5 };
  if (k === "Prod") return { min: -2, max: 2 };
  return {};
}

function opts(c: Case): tf.ReduceOptions {
  return c.axis === undefined ? { keepdims: c.keepdims } : { axis: c.axis, keepdims: c.keepdims };
}

function show(name: string, c: Case): string {
  return `${name}(${describeHost(c.x)}, axis ${JSON.stringify(c.axis)}, keepdims ${c.keepdims})`;
}

export function describeReduce(ctx: ConformanceContext): void {
  describe("reductions", () => {
    for (const [k, dtypes] of FOLDS) {
      for (const dtype of dtypes) {
        ctx.test(`${k} ${dtype}`, { kernels: [k], dtype }, async () => {
          const check = async (c: Case) => {
            const got = await evalOp([c.x], (t) => REDUCE_OPS[k](t, opts(c)));
            assertMatches(got, reduceRef(k, c.x, normalizeAxes(c.axis, c.x.shape.length), c.keepdims), ctx.tol(k, dtype), () => show(k, c));
          };
          // Empty reductions give the identity (0, 1, -Inf/+Inf or INT_MIN/INT_MAX, true/false).
          const empty = dtype === "complex64" ? [] : [{ x: host(dtype, [2, 0, 3], []), axis: 1, keepdims: false }, { x: host(dtype, [0], []), axis: undefined, keepdims: true }];
          await ctx.cases(empty, check);
          await ctx.property(caseArb(dtype, foldDomain(k, dtype), k === "Prod" ? { maxSize: 64 } : {}), check);
        });
      }
    }

    for (const isMax of [true, false]) {
      const k = isMax ? "ArgMax" : "ArgMin";
      for (const dtype of ["int32", "float32", "float64"] as DType[]) {
        ctx.test(`${k} ${dtype}`, { kernels: [k], dtype }, async () => {
          const arb = shapeArb({ minRank: 1 }).chain((shape) =>
            fc.integer({ min: -shape.length, max: shape.length - 1 }).chain((axis) => {
              const s = shape.slice();
              const ax = axis < 0 ? axis + s.length : axis;
              s[ax] = Math.max(1, s[ax]!);
              // Few distinct values, so ties (first index wins) are common.
              return fc.record({ x: valuesFor(dtype, s, { min: -3, max: 3 }), axis: fc.constant(axis) });
            }),
          );
          const check = async ({ x, axis }: { x: HostTensor; axis: number }) => {
            const got = await evalOp([x], (t) => (isMax ? tf.argmax(t, axis) : tf.argmin(t, axis)));
            assertMatches(got, argRef(isMax, x, axis), undefined, () => `${k}(${describeHost(x)}, axis ${axis})`);
          };
          if (dtype !== "int32") {
            await ctx.cases([
              { x: host(dtype, [5], [1, NaN, 3, NaN, -Infinity]), axis: 0 },
              { x: host(dtype, [2, 3], [Infinity, Infinity, 1, -Infinity, 0, -Infinity]), axis: 1 },
            ], check);
          }
          await ctx.property(arb, check);
        });
      }
    }

    for (const dtype of ["float32", "float64", "int32"] as DType[]) {
      // Core divides floats, and floor-divides int32 sums (truncating toward zero, as TensorFlow).
      ctx.test(`reduceMean ${dtype}`, { kernels: ["Sum", dtype === "int32" ? "FloorDiv" : "Div"], dtype }, async () => {
        const dom: ValueDomain = dtype === "int32" ? { min: -1000, max: 1000 } : { special: false };
        // Integer means of empty reductions divide by zero: keep int32 cases non-empty.
        await ctx.property(caseArb(dtype, dom, { zero: dtype !== "int32" }), async (c) => {
          const got = await evalOp([c.x], (t) => tf.reduceMean(t, opts(c)));
          assertMatches(got, meanRef(c.x, normalizeAxes(c.axis, c.x.shape.length), c.keepdims), ctx.tol("Div", dtype), () => show("reduceMean", c));
        });
      });
    }

    for (const dtype of ["float32", "float64"] as DType[]) {
      ctx.test(`nn.moments ${dtype}`, { kernels: ["Sum", "Div", "Sub", "Square"], dtype }, async () => {
        // Empty reductions give NaN means; keep the cases non-empty, with at least one reduced axis.
        await ctx.property(caseArb(dtype, { special: false, min: -10, max: 10 }, { zero: false }), async (c) => {
          const axes = normalizeAxes(c.axis, c.x.shape.length);
          const [mean, variance] = await evalOp([c.x], (t) => {
            const m = tf.nn.moments(t, axes, { keepdims: c.keepdims });
            return [m.mean, m.variance];
          });
          assertMatches(mean!, meanRef(c.x, axes, c.keepdims), ctx.tol("Div", dtype), () => show("nn.moments (mean)", c));
          assertMatches(variance!, varianceRef(c.x, axes, c.keepdims), ctx.tol("Div", dtype), () => show("nn.moments (variance)", c));
        });
      });
    }

    for (const dtype of ["float32", "float64"] as DType[]) {
      ctx.test(`reduceLogSumExp ${dtype}`, { kernels: ["Max", "Exp", "Sum", "Log"], dtype }, async () => {
        const check = async (c: Case) => {
          const got = await evalOp([c.x], (t) => tf.reduceLogSumExp(t, opts(c)));
          assertMatches(got, logSumExpRef(c.x, normalizeAxes(c.axis, c.x.shape.length), c.keepdims), ctx.tol("Exp", dtype), () => show("reduceLogSumExp", c));
        };
        await ctx.cases([
          { x: host(dtype, [2, 3], [-Infinity, -Infinity, -Infinity, 1000, 1000, -1000]), axis: 1, keepdims: false },
          { x: host(dtype, [3], [Infinity, 0, 1]), axis: undefined, keepdims: false },
        ], check);
        await ctx.property(caseArb(dtype, { min: -50, max: 50 }), check);
      });
    }
  });
}
