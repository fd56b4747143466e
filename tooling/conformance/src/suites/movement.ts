/**
 * Data movement on every dtype: transpose, slice/split/unstack, pad, tile/broadcastTo, concat/stack,
 * gather (and out-of-range indices), one-hot, and the UnsortedSegmentSum kernel directly. Movement
 * is exact: values come back bit for bit (NaN stays NaN).
 */
import fc from "fast-check";
import { describe } from "vitest";
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { InvalidArgumentError } from "@tessera/core/kernel";
import { permutationArb, shapeArb, tensorArb, valuesFor } from "../arbitraries.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import { runKernelDirect } from "../direct.js";
import type { HostTensor } from "../host.js";
import { describeHost, evalOp, host, sizeOf } from "../host.js";
import { whereRef } from "../reference/elementwise.js";
import { broadcastToRef, concatRef, gatherRef, oneHotRef, padRef, sliceRef, tileRef, transposeRef, unsortedSegmentSumRef } from "../reference/movement.js";
import type { Tolerance } from "../options.js";

export const ALL: DType[] = ["float32", "float64", "int32", "bool", "complex64", "string"];
const EXACT: Tolerance = { rtol: 0, atol: 0 };

export function describeMovement(ctx: ConformanceContext): void {
  describe("data movement", () => {
    for (const dtype of ALL) {
      ctx.test(`Transpose ${dtype}`, { kernels: ["Transpose"], dtype }, async () => {
        const arb = tensorArb(dtype, shapeArb({ minRank: 2 })).chain((x) => fc.record({ x: fc.constant(x), perm: permutationArb(x.shape.length) }));
        await ctx.cases([{ x: host(dtype, [2, 3], dtype === "string" ? ["a", "b", "c", "d", "e", "f"] : dtype === "complex64" ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] : [1, 0, 1, 1, 0, 0]), perm: [1, 0] }], async (c) => check(c));
        async function check({ x, perm }: { x: HostTensor; perm: number[] }) {
          const got = await evalOp([x], (t) => tf.transpose(t, perm));
          assertMatches(got, transposeRef(x, perm), EXACT, () => `transpose(${describeHost(x)}, [${perm}])`);
        }
        await ctx.property(arb.filter(({ perm }) => perm.some((p, i) => p !== i)), check);
      });

      ctx.test(`Slice ${dtype} (slice, split, unstack)`, { kernels: ["Slice"], dtype }, async () => {
        const arb = tensorArb(dtype, shapeArb({ minRank: 1 })).chain((x) => {
          const dims = x.shape.map((d) => fc.integer({ min: 0, max: d }).chain((b) => fc.record({ b: fc.constant(b), s: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: d - b })) })));
          return fc.record({ x: fc.constant(x), bs: fc.tuple(...dims) });
        });
        await ctx.property(arb, async ({ x, bs }) => {
          const begin = bs.map((v) => v.b), size = bs.map((v) => v.s);
          const got = await evalOp([x], (t) => tf.slice(t, begin, size));
          assertMatches(got, sliceRef(x, begin, size), EXACT, () => `slice(${describeHost(x)}, [${begin}], [${size}])`);
        });
        // split and unstack are slices too.
        await ctx.property(tensorArb(dtype, shapeArb({ minRank: 1, zero: false })).chain((x) => fc.record({ x: fc.constant(x), axis: fc.integer({ min: 0, max: x.shape.length - 1 }) })), async ({ x, axis }) => {
          const dim = x.shape[axis]!;
          const sizes = [Math.floor(dim / 2), dim - Math.floor(dim / 2)];
          const got = await evalOp([x], (t) => tf.split(t, sizes, axis));
          let start = 0;
          for (let i = 0; i < sizes.length; i++) {
            const begin = x.shape.map((_, d) => (d === axis ? start : 0));
            const size = x.shape.map((d, j) => (j === axis ? sizes[i]! : d));
            assertMatches(got[i]!, sliceRef(x, begin, size), EXACT, () => `split(${describeHost(x)}, [${sizes}], ${axis})[${i}]`);
            start += sizes[i]!;
          }
          const parts = await evalOp([x], (t) => tf.unstack(t, axis));
          if (parts.length !== dim) throw new Error(`unstack gave ${parts.length} tensors, want ${dim}`);
          parts.forEach((p, i) => {
            const want = sliceRef(x, x.shape.map((_, d) => (d === axis ? i : 0)), x.shape.map((d, j) => (j === axis ? 1 : d)));
            assertMatches(p, { ...want, shape: want.shape.filter((_, d) => d !== axis) }, EXACT, () => `unstack(${describeHost(x)}, ${axis})[${i}]`);
          });
        });
      });

      ctx.test(`Pad ${dtype}`, { kernels: ["Pad"], dtype }, async () => {
        const constant = dtype === "bool" ? fc.constantFrom(0, 1) : dtype === "int32" ? fc.integer({ min: -5, max: 5 }) : dtype === "string" ? fc.constant(0) : fc.constantFrom(0, -1.5, 7);
        const arb = tensorArb(dtype, shapeArb({ maxSize: 256 })).chain((x) => fc.record({
          x: fc.constant(x),
          paddings: fc.tuple(...x.shape.map(() => fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })))),
          value: constant,
        }));
        await ctx.property(arb, async ({ x, paddings, value }) => {
          const got = await evalOp([x], (t) => tf.pad(t, paddings, value));
          const fill = dtype === "string" ? "" : dtype === "float32" ? Math.fround(value) : value;
          assertMatches(got, padRef(x, paddings, fill), EXACT, () => `pad(${describeHost(x)}, ${JSON.stringify(paddings)}, ${value})`);
        });
      });

      ctx.test(`Tile ${dtype} (tile, broadcastTo)`, { kernels: ["Tile"], dtype }, async () => {
        const arb = tensorArb(dtype, shapeArb({ maxRank: 5, maxSize: 64, maxDim: 4 })).chain((x) => fc.record({
          x: fc.constant(x),
          reps: fc.tuple(...x.shape.map(() => fc.oneof({ arbitrary: fc.integer({ min: 1, max: 3 }), weight: 5 }, { arbitrary: fc.constant(0), weight: 1 }))),
        }));
        await ctx.property(arb, async ({ x, reps }) => {
          const got = await evalOp([x], (t) => tf.tile(t, reps));
          assertMatches(got, tileRef(x, reps), EXACT, () => `tile(${describeHost(x)}, [${reps}])`);
        });
        const bArb = shapeArb({ maxSize: 256 }).chain((target) =>
          fc.tuple(fc.integer({ min: 0, max: target.length }), fc.array(fc.boolean(), { minLength: target.length, maxLength: target.length })).chain(([drop, ones]) => {
            const shape = target.slice(drop).map((d, i) => (ones[drop + i] ? 1 : d));
            return fc.record({ x: valuesFor(dtype, shape), target: fc.constant(target) });
          }));
        await ctx.property(bArb, async ({ x, target }) => {
          const got = await evalOp([x], (t) => tf.broadcastTo(t, target));
          assertMatches(got, broadcastToRef(x, target), EXACT, () => `broadcastTo(${describeHost(x)}, [${target}])`);
        });
      });

      ctx.test(`Concat ${dtype} (concat, stack)`, { kernels: ["Concat"], dtype }, async () => {
        const arb = shapeArb({ minRank: 1, maxSize: 128 }).chain((shape) => fc.integer({ min: 0, max: shape.length - 1 }).chain((axis) =>
          fc.record({
            axis: fc.oneof(fc.constant(axis), fc.constant(axis - shape.length)),
            xs: fc.array(fc.integer({ min: 0, max: 3 }).chain((d) => valuesFor(dtype, shape.map((s, i) => (i === axis ? d : s)))), { minLength: 2, maxLength: 4 }),
          })));
        await ctx.property(arb, async ({ axis, xs }) => {
          const got = await evalOp(xs, (...ts) => tf.concat(ts, axis));
          assertMatches(got, concatRef(xs, axis), EXACT, () => `concat([${xs.map((x) => describeHost(x)).join(", ")}], ${axis})`);
        });
        const sArb = shapeArb({ maxSize: 64 }).chain((shape) => fc.record({
          axis: fc.integer({ min: 0, max: shape.length }),
          xs: fc.array(valuesFor(dtype, shape), { minLength: 2, maxLength: 3 }),
        }));
        await ctx.property(sArb, async ({ axis, xs }) => {
          const got = await evalOp(xs, (...ts) => tf.stack(ts, axis));
          const expanded = xs.map((x) => ({ ...x, shape: [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)] }));
          assertMatches(got, concatRef(expanded, axis), EXACT, () => `stack([${xs.map((x) => describeHost(x)).join(", ")}], ${axis})`);
        });
      });

      ctx.test(`Gather ${dtype}`, { kernels: ["Gather"], dtype }, async () => {
        const arb = tensorArb(dtype, shapeArb({ minRank: 1, maxRank: 4, maxSize: 128 })).chain((x) => fc.integer({ min: -x.shape.length, max: x.shape.length - 1 }).chain((axis) => {
          const n = x.shape[axis < 0 ? axis + x.shape.length : axis]!;
          const idxShape = shapeArb({ maxRank: 2, maxDim: 4 });
          const indices = n === 0
            ? fc.constant(host("int32", [0], []))
            : idxShape.chain((s) => fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: sizeOf(s), maxLength: sizeOf(s) }).map((d) => host("int32", s, d)));
          return fc.record({ x: fc.constant(x), axis: fc.constant(axis), indices });
        }));
        await ctx.property(arb, async ({ x, axis, indices }) => {
          const got = await evalOp([x, indices], (t, i) => tf.gather(t!, i!, axis));
          assertMatches(got, gatherRef(x, indices, axis), EXACT, () => `gather(${describeHost(x)}, ${describeHost(indices)}, ${axis})`);
        });
      });

      ctx.test(`Where ${dtype}`, { kernels: ["Where"], dtype }, async () => {
        const arb = shapeArb({ maxSize: 256 }).chain((out) => {
          const part = fc.tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
            .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[drop + i] ? 1 : d)));
          return fc.tuple(part, part, part).chain(([sc, sa, sb]) => fc.tuple(valuesFor("bool", sc), valuesFor(dtype, sa), valuesFor(dtype, sb)));
        });
        await ctx.property(arb, async ([c, a, b]) => {
          const got = await evalOp([c, a, b], (ct, at, bt) => tf.where(ct!, at!, bt!));
          assertMatches(got, whereRef(c, a, b), EXACT, () => `where(${describeHost(c)}, ${describeHost(a)}, ${describeHost(b)})`);
        });
      });
    }

    ctx.test("Gather with an index out of range throws InvalidArgumentError or gives zeros", { kernels: ["Gather"], dtype: "float32" }, async () => {
      const x = host("float32", [3, 2], [1, 2, 3, 4, 5, 6]);
      for (const bad of [3, -1, 1000]) {
        const indices = host("int32", [2], [0, bad]);
        let got: HostTensor | undefined;
        try {
          got = await evalOp([x, indices], (t, i) => tf.gather(t!, i!));
        } catch (err) {
          if (!(err instanceof InvalidArgumentError)) throw err;
          if (!/indices|index/i.test(err.message)) throw new Error(`the error should say which index is bad: ${err.message}`, { cause: err });
          continue;
        }
        assertMatches(got, host("float32", [2, 2], [1, 2, 0, 0]), EXACT, () => `gather(${describeHost(x)}, [0, ${bad}]) where the backend cannot check indices`);
      }
    });

    ctx.test("oneHot (index -1 and out-of-range give zero rows)", { kernels: ["Equal", "Cast"], dtype: "int32" }, async () => {
      const arb = shapeArb({ maxRank: 3, maxDim: 4 }).chain((s) => fc.record({
        depth: fc.integer({ min: 0, max: 6 }),
        indices: fc.array(fc.integer({ min: -2, max: 7 }), { minLength: sizeOf(s), maxLength: sizeOf(s) }).map((d) => host("int32", s, d)),
      }));
      await ctx.property(arb, async ({ depth, indices }) => {
        const got = await evalOp([indices], (i) => tf.oneHot(i, depth));
        assertMatches(got, oneHotRef(indices, depth), EXACT, () => `oneHot(${describeHost(indices)}, ${depth})`);
      });
    });

    for (const dtype of ["float32", "float64", "int32"] as DType[]) {
      ctx.test(`UnsortedSegmentSum ${dtype} (direct)`, { kernels: ["UnsortedSegmentSum"], dtype }, async () => {
        const arb = fc.record({ outer: fc.integer({ min: 0, max: 3 }), m: fc.integer({ min: 0, max: 8 }), inner: fc.integer({ min: 1, max: 4 }), numSegments: fc.integer({ min: 0, max: 5 }) })
          .chain(({ outer, m, inner, numSegments }) => fc.record({
            x: valuesFor(dtype, [outer, m, inner], dtype === "int32" ? { min: -2147483648, max: 2147483647 } : { special: false }),
            // Ids repeat (sums), and some fall outside [0, numSegments) (dropped).
            ids: fc.array(fc.integer({ min: -1, max: numSegments }), { minLength: m, maxLength: m }),
            numSegments: fc.constant(numSegments),
          }));
        await ctx.property(arb, async ({ x, ids, numSegments }) => {
          const [outer, , inner] = x.shape as [number, number, number];
          const got = await runKernelDirect(ctx.backend, "UnsortedSegmentSum", [x, host("int32", [ids.length], ids)], { numSegments }, { shape: [outer, numSegments, inner], dtype });
          assertMatches(got, unsortedSegmentSumRef(x, ids, numSegments), ctx.tol("UnsortedSegmentSum", dtype), () => `UnsortedSegmentSum(${describeHost(x)}, ids [${ids}], ${numSegments})`);
        });
      });
    }
  });
}
