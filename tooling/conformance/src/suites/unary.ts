/**
 * Elementwise unary kernels, derived from the op table: for every entry, every dtype it declares,
 * through its public op (`tf.neg`, `tf.tan`, …), against its float64 reference — special values,
 * edge shapes and a property over its declared domain.
 */
import { describe } from "vitest";
import type { DType, UnaryKernelName, ValueDomain } from "@tessera/core/kernel";
import { UNARY_KERNELS, UNARY_OPS, UNARY_SPECS } from "@tessera/core/kernel";
import { shapeArb, tensorArb } from "../arbitraries.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { describeHost, evalOp, host } from "../host.js";
import { unaryRef } from "../reference/elementwise.js";

/** Hand-picked values every float kernel sees: specials, signed zeros, ties for Round, domain edges. */
const FLOAT_EDGES = [NaN, Infinity, -Infinity, -0, 0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3.5, 1e-7, -1e-7, 88, -88, 100, -100, 0.999, -0.999];
const INT_EDGES = [0, 1, -1, 2147483647, -2147483648, 46341, -46341];

/** The domain an entry declares for `dtype` (the first one, for a unary kernel). */
export function domainOf(d: ValueDomain | readonly ValueDomain[] | undefined, i = 0): ValueDomain {
  return (Array.isArray(d) ? d[i] : d) ?? {};
}

function edgeCases(k: UnaryKernelName, dtype: DType): HostTensor[] {
  const t = UNARY_SPECS[k].test;
  switch (dtype) {
    case "float32": case "float64": {
      const round = dtype === "float32" ? Math.fround : (v: number) => v;
      const e = [...FLOAT_EDGES, ...(t.edges?.float ?? [])].map(round);
      return [host(dtype, [e.length], e), host(dtype, [], [1.5]), host(dtype, [0], []), host(dtype, [2, 0, 3], []), host(dtype, [1, 1, 1, 1, 1, 2], [-0.25, 7])];
    }
    case "int32": {
      const e = t.edges?.int?.[0] ?? INT_EDGES;
      return [host(dtype, [e.length], e), host(dtype, [], [-5])];
    }
    case "bool": return [host(dtype, [2, 2], [0, 1, 1, 0]), host(dtype, [], [1]), host(dtype, [0, 3], [])];
    default: return [];
  }
}

export function describeUnary(ctx: ConformanceContext): void {
  describe("unary kernels", () => {
    for (const k of UNARY_KERNELS) {
      for (const dtype of UNARY_SPECS[k].dtypes) {
        ctx.test(`${k} ${dtype}`, { kernels: [k], dtype }, async () => {
          const op = UNARY_OPS[k];
          const tol = ctx.tol(k, dtype);
          const check = async (x: HostTensor) => {
            const got = await evalOp([x], (t) => op(t));
            assertMatches(got, unaryRef(k, x), tol, () => `${k}(${describeHost(x)})`);
          };
          await ctx.cases(edgeCases(k, dtype), check);
          await ctx.property(tensorArb(dtype, shapeArb(), domainOf(UNARY_SPECS[k].test.domain?.[dtype])), check);
        });
      }
    }
  });
}
