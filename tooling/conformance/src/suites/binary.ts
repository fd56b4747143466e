/**
 * Elementwise binary kernels, derived from the op table: for every entry, every dtype it declares,
 * through its public op, against its float64 reference — every pair of edge values, broadcasting,
 * int32 wrap-around, and a property over the declared domains. Plus the composites built on them.
 */
import { describe } from "vitest";
import * as tf from "@tessera/core";
import type { BinaryKernelName, DType } from "@tessera/core/kernel";
import { BINARY_KERNELS, BINARY_OPS, BINARY_SPECS } from "@tessera/core/kernel";
import { broadcastTensorsArb } from "../arbitraries.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { describeHost, evalOp, host } from "../host.js";
import { binaryRef, castRef, unaryRef } from "../reference/elementwise.js";
import { domainOf } from "./unary.js";

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const FLOAT_EDGES = [NaN, Infinity, -Infinity, -0, 0, 1, -1, 2, -2, 0.5, -0.5, 3, -3, 7.25, -7.25, 1e-3, 100];
const INT_EDGES = [0, 1, -1, 2, -2, 65536, 46341, INT_MAX, INT_MIN, INT_MAX - 1];

/** Hand-picked [a, b] pairs: every pair of edge values through [E, 1] vs [E] broadcasting. */
function edgeCases(k: BinaryKernelName, dtype: DType): [HostTensor, HostTensor][] {
  const t = BINARY_SPECS[k].test;
  const cross = (as: readonly (number | string)[], bs: readonly (number | string)[]): [HostTensor, HostTensor] =>
    [host(dtype, [as.length, 1], [...as]), host(dtype, [bs.length], [...bs])];
  switch (dtype) {
    case "float32": case "float64": {
      const round = dtype === "float32" ? Math.fround : (v: number) => v;
      const e = [...FLOAT_EDGES, ...(t.edges?.float ?? [])].map(round);
      return [cross(e, e), [host(dtype, [], [2.5]), host(dtype, [2, 0], [])], [host(dtype, [1, 3, 1, 1, 1, 2], [1, 2, 3, 4, 5, 6]), host(dtype, [2, 1], [-1.5, 8])]];
    }
    case "int32": {
      const [as = INT_EDGES, bs = as] = t.edges?.int ?? [];
      return [cross(as, bs), [host(dtype, [], [as[as.length - 1]!]), host(dtype, [3], bs.slice(-3))]];
    }
    case "bool": return [cross([0, 1], [0, 1])];
    case "complex64": return [[host(dtype, [3], [1, 2, -3, 0.5, 0, -1]), host(dtype, [3], [1, 2, 2, 0.25, 4, -8])]];
    case "string": return [cross(["", "a", "b"], ["a", ""])];
    default: return [];
  }
}

export function describeBinary(ctx: ConformanceContext): void {
  describe("binary kernels", () => {
    for (const k of BINARY_KERNELS) {
      const spec = BINARY_SPECS[k];
      for (const dtype of spec.dtypes) {
        ctx.test(`${k} ${dtype}`, { kernels: [k], dtype }, async () => {
          const op = BINARY_OPS[k];
          const tol = ctx.tol(k, dtype);
          const check = async ([a, b]: HostTensor[]) => {
            const got = await evalOp([a!, b!], (x, y) => op(x!, y!));
            assertMatches(got, binaryRef(k, a!, b!), tol, () => `${k}(${describeHost(a!)}, ${describeHost(b!)})`);
          };
          await ctx.cases(edgeCases(k, dtype), check);
          const d = spec.test.domain?.[dtype];
          await ctx.property(broadcastTensorsArb(dtype, 2, {}, [domainOf(d, 0), domainOf(d, 1)]), check);
        });
      }
    }

    ctx.test("squaredDifference float32 (Sub then Square)", { kernels: ["Sub", "Square"], dtype: "float32" }, async () => {
      await ctx.property(broadcastTensorsArb("float32", 2, {}, [{ special: false }, { special: false }]), async ([a, b]) => {
        const got = await evalOp([a!, b!], (x, y) => tf.squaredDifference(x!, y!));
        const diff = binaryRef("Sub", a!, b!);
        assertMatches(got, { ...unaryRef("Square", diff), scale: (diff.data as number[]).map((v) => v * v) }, ctx.tol("Square", "float32"), () => `squaredDifference(${describeHost(a!)}, ${describeHost(b!)})`);
      });
    });

    ctx.test("divide int32 is true division in float64", { kernels: ["Cast", "Div"], dtype: "int32", needs: ["float64"] }, async () => {
      await ctx.property(broadcastTensorsArb("int32", 2, {}, [{}, { nonZero: true }]), async ([a, b]) => {
        const got = await evalOp([a!, b!], (x, y) => tf.divide(x!, y!));
        assertMatches(got, binaryRef("Div", castRef(a!, "float64"), castRef(b!, "float64")), ctx.tol("Div", "float64"), () => `divide(${describeHost(a!)}, ${describeHost(b!)})`);
      });
    });
  });
}
