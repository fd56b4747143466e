/** Fill (fill/zeros/ones), Cast between every pair of dtypes, and the complex64 kernels (complex, real, imag, conj). */
import fc from "fast-check";
import { describe } from "vitest";
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { broadcastTensorsArb, elementArb, shapeArb, tensorArb } from "../arbitraries.js";
import type { ValueDomain } from "../arbitraries.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { describeHost, evalOp, host, sizeOf } from "../host.js";
import { castRef, complexPartRef, complexRef } from "../reference/elementwise.js";
import { ALL } from "./movement.js";

const NUMERIC: DType[] = ["bool", "int32", "float32", "float64", "complex64"];

function castDomain(from: DType, to: DType): ValueDomain {
  if (from === "int32") return { min: -2147483648, max: 2147483647 };
  // float → int32 of NaN, ±Inf or out-of-range values is backend-defined.
  if (to === "int32") return { min: -1e6, max: 1e6, special: false };
  return { min: -1e6, max: 1e6 };
}

export function describeCreation(ctx: ConformanceContext): void {
  describe("fill, cast, complex", () => {
    for (const dtype of ALL) {
      ctx.test(`Fill ${dtype} (fill, zeros, ones)`, { kernels: ["Fill"], dtype }, async () => {
        const arb = fc.record({ shape: shapeArb({ maxSize: 1024 }), value: elementArb(dtype, dtype === "int32" ? { min: -2147483648, max: 2147483647 } : {}, true) });
        await ctx.property(arb, async ({ shape, value }) => {
          const n = sizeOf(shape);
          const v: number | boolean | string | tf.Complex = dtype === "bool" ? value[0] === 1 : dtype === "complex64" ? { re: value[0] as number, im: value[1] as number } : value[0]!;
          const got = await evalOp([], () => tf.fill(shape, v, dtype));
          const want = host(dtype, shape, Array.from({ length: n }, () => value).flat());
          assertMatches(got, want, { rtol: 0, atol: 0 }, () => `fill([${shape}], ${JSON.stringify(value)}, ${dtype})`);
          if (dtype !== "string") {
            const zeros = await evalOp([], () => tf.zeros(shape, dtype));
            assertMatches(zeros, host(dtype, shape, new Array<number>(n * (dtype === "complex64" ? 2 : 1)).fill(0)), { rtol: 0, atol: 0 }, () => `zeros([${shape}], ${dtype})`);
            const ones = await evalOp([], () => tf.ones(shape, dtype));
            const one = dtype === "complex64" ? [1, 0] : [1];
            assertMatches(ones, host(dtype, shape, Array.from({ length: n }, () => one).flat()), { rtol: 0, atol: 0 }, () => `ones([${shape}], ${dtype})`);
          }
        });
      });
    }

    ctx.test("eye (identity matrices, rectangular too)", { kernels: [], dtype: "float32" }, async () => {
      await ctx.property(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), async ([n, m]) => {
        const got = await evalOp([], () => tf.eye(n, m, "float32"));
        const want = host("float32", [n, m], Array.from({ length: n * m }, (_, i) => (Math.floor(i / m) === i % m ? 1 : 0)));
        assertMatches(got, want, { rtol: 0, atol: 0 }, () => `eye(${n}, ${m})`);
      });
    });

    for (const from of NUMERIC) {
      for (const to of NUMERIC) {
        if (from === to) continue;
        ctx.test(`Cast ${from} → ${to}`, { kernels: ["Cast"], dtype: from, needs: [to] }, async () => {
          const check = async (x: HostTensor) => {
            const got = await evalOp([x], (t) => tf.cast(t, to));
            assertMatches(got, castRef(x, to), { rtol: 0, atol: 0 }, () => `cast(${describeHost(x)}, ${to})`);
          };
          if (from === "float64" && to === "float32") {
            // Overflow to ±Inf, underflow to (signed) zero, round to nearest even.
            await ctx.cases([host(from, [7], [1e39, -1e39, 1e-50, -1e-50, 3.4028235677973366e38, 1 + 2 ** -24, 1 + 3 * 2 ** -24])], check);
          }
          if (from === "int32" && (to === "float32" || to === "complex64")) {
            await ctx.cases([host(from, [5], [16777217, -16777219, 2147483647, -2147483648, 123456789])], check);
          }
          if ((from === "float32" || from === "float64") && to === "int32") {
            await ctx.cases([host(from, [8], [2.9, -2.9, 0.5, -0.5, -0, 1e6, -1e6, 16777216])], check);
          }
          await ctx.property(tensorArb(from, shapeArb(), castDomain(from, to)), check);
        });
      }
    }

    ctx.test("Complex (tf.complex, broadcasting float32 parts)", { kernels: ["Complex"], dtype: "complex64", needs: ["float32"] }, async () => {
      await ctx.property(broadcastTensorsArb("float32", 2), async ([re, im]) => {
        const got = await evalOp([re!, im!], (a, b) => tf.complex(a!, b!));
        assertMatches(got, complexRef(re!, im!), { rtol: 0, atol: 0 }, () => `complex(${describeHost(re!)}, ${describeHost(im!)})`);
      });
    });

    for (const k of ["Real", "Imag", "Conj"] as const) {
      const op = k === "Real" ? tf.real : k === "Imag" ? tf.imag : tf.conj;
      ctx.test(`${k} complex64`, { kernels: [k], dtype: "complex64" }, async () => {
        await ctx.property(tensorArb("complex64", shapeArb()), async (x) => {
          const got = await evalOp([x], (t) => op(t));
          assertMatches(got, complexPartRef(k, x), { rtol: 0, atol: 0 }, () => `${k}(${describeHost(x)})`);
        });
      });
    }
  });
}
