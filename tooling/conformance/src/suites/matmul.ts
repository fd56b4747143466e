/** BatchMatMul through `tf.matmul`: transposes, broadcast batch dims, empty and K = 0 products, int32 wrap-around. */
import fc from "fast-check";
import { describe } from "vitest";
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { DtypeError } from "@tessera/core/kernel";
import { broadcastShapesArb, valuesFor } from "../arbitraries.js";
import type { ValueDomain } from "../arbitraries.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { describeHost, evalOp } from "../host.js";
import { matmulRef } from "../reference/linalg.js";

interface Case {
  a: HostTensor;
  b: HostTensor;
  transposeA: boolean;
  transposeB: boolean;
}

function caseArb(dtype: DType, dom: ValueDomain): fc.Arbitrary<Case> {
  // Mostly small matrices, sometimes past the 4×4 tiles typical kernels use (at most 64 elements a side).
  const dim = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 6 }), weight: 6 }, { arbitrary: fc.integer({ min: 7, max: 40 }), weight: 2 }, { arbitrary: fc.constant(0), weight: 1 });
  return fc.record({
    m: dim, k: dim, n: dim,
    batches: broadcastShapesArb(2, { maxRank: 3, maxDim: 3, maxSize: 8 }),
    transposeA: fc.boolean(), transposeB: fc.boolean(),
  }).chain(({ m, k, n, batches, transposeA, transposeB }) => {
    // Keep every operand and the result at a few thousand elements.
    const scale = Math.max(1, Math.ceil(Math.sqrt((Math.max(m * k, k * n, m * n) * 8) / 4096)));
    const [mm, kk, nn] = [m, k, n].map((d) => Math.ceil(d / scale)) as [number, number, number];
    const aShape = [...batches[0]!, ...(transposeA ? [kk, mm] : [mm, kk])];
    const bShape = [...batches[1]!, ...(transposeB ? [nn, kk] : [kk, nn])];
    return fc.record({ a: valuesFor(dtype, aShape, dom), b: valuesFor(dtype, bShape, dom), transposeA: fc.constant(transposeA), transposeB: fc.constant(transposeB) });
  });
}

function domain(dtype: DType): ValueDomain {
  if (dtype === "int32") return { min: -2147483648, max: 2147483647 };
  return { min: -10, max: 10, special: false };
}

export function describeMatmul(ctx: ConformanceContext): void {
  describe("matmul", () => {
    for (const dtype of ["float32", "float64", "int32", "complex64"] as DType[]) {
      ctx.test(`BatchMatMul ${dtype}`, { kernels: ["BatchMatMul"], dtype }, async (t) => {
        const check = async (c: Case) => {
          let got: HostTensor;
          try {
            got = await evalOp([c.a, c.b], (x, y) => tf.matmul(x!, y!, { transposeA: c.transposeA, transposeB: c.transposeB }));
          } catch (err) {
            // complex64 matmul is optional in the kernel interface.
            if (dtype === "complex64" && err instanceof DtypeError) t.skip(`BatchMatMul declines complex64: ${err.message}`);
            throw err;
          }
          assertMatches(got, matmulRef(c.a, c.b, c.transposeA, c.transposeB), ctx.tol("BatchMatMul", dtype),
            () => `matmul(${describeHost(c.a)}, ${describeHost(c.b)}, transposeA ${c.transposeA}, transposeB ${c.transposeB})`);
        };
        await ctx.property(caseArb(dtype, domain(dtype)), check);
      });
    }

    ctx.test("matmul float32 with NaN and Inf", { kernels: ["BatchMatMul"], dtype: "float32" }, async () => {
      const a: HostTensor = { dtype: "float32", shape: [2, 3], data: [1, NaN, 2, Infinity, 1, 0] };
      const b: HostTensor = { dtype: "float32", shape: [3, 2], data: [1, 2, 3, 4, 5, -Infinity] };
      const got = await evalOp([a, b], (x, y) => tf.matmul(x!, y!));
      assertMatches(got, matmulRef(a, b, false, false), ctx.tol("BatchMatMul", "float32"), () => "matmul with specials");
    });
  });
}
