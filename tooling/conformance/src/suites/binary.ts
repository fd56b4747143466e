/** Elementwise binary kernels through `tf.add`, `tf.floorDiv`, `tf.equal`, ...: broadcasting, specials, int32 wrap-around. */
import { describe } from "vitest";
import * as tf from "@tessera/core";
import type { BinaryKernelName, DType } from "@tessera/core/kernel";
import { BINARY_KERNELS } from "@tessera/core/kernel";
import { broadcastTensorsArb } from "../arbitraries.js";
import type { ValueDomain } from "../arbitraries.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { describeHost, evalOp, host } from "../host.js";
import { binaryRef, castRef, unaryRef } from "../reference/elementwise.js";

export const BINARY_OPS: Record<BinaryKernelName, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
  Add: tf.add, Sub: tf.subtract, Mul: tf.multiply, Div: tf.divide, FloorDiv: tf.floorDiv, FloorMod: tf.mod, Pow: tf.pow,
  Maximum: tf.maximum, Minimum: tf.minimum, Equal: tf.equal, NotEqual: tf.notEqual, Less: tf.less, LessEqual: tf.lessEqual,
  Greater: tf.greater, GreaterEqual: tf.greaterEqual, LogicalAnd: tf.logicalAnd, LogicalOr: tf.logicalOr,
};

const REAL: DType[] = ["int32", "float32", "float64"];

export function binaryDtypes(k: BinaryKernelName): DType[] {
  switch (k) {
    case "Add": case "Sub": case "Mul": return [...REAL, "complex64"];
    case "Div": return ["float32", "float64", "complex64"];
    case "Equal": case "NotEqual": return ["bool", ...REAL, "complex64", "string"];
    case "LogicalAnd": case "LogicalOr": return ["bool"];
    default: return REAL;
  }
}

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/** Value ranges for [a, b]. */
function domains(k: BinaryKernelName, dtype: DType): [ValueDomain, ValueDomain] {
  const compare = ["Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual"].includes(k);
  if (dtype === "int32") {
    switch (k) {
      case "Add": case "Sub": case "Mul": return [{ min: INT_MIN, max: INT_MAX }, { min: INT_MIN, max: INT_MAX }];
      // INT_MIN / -1 overflows (backend-defined), so a stays above INT_MIN.
      case "FloorDiv": case "FloorMod": return [{ min: INT_MIN + 1, max: INT_MAX }, { nonZero: true }];
      case "Pow": return [{ min: -1000, max: 1000 }, { min: 0, max: 8 }];
      default: return compare ? [{ min: -3, max: 3 }, { min: -3, max: 3 }] : [{}, {}];
    }
  }
  if (dtype === "float32" || dtype === "float64") {
    if (k === "Pow") return [{ min: -10, max: 10 }, { min: -4, max: 4 }];
    if (compare) return [{ min: -3, max: 3 }, { min: -3, max: 3 }];
  }
  if (dtype === "complex64" && k === "Div") return [{}, { nonZero: true }];
  return [{}, {}];
}

const FLOAT_EDGES = [NaN, Infinity, -Infinity, -0, 0, 1, -1, 2, -2, 0.5, -0.5, 3, -3, 7.25, -7.25, 1e-3, 100];

/** Hand-picked [a, b] pairs: every pair of edge values through [E, 1] vs [E] broadcasting. */
function edgeCases(k: BinaryKernelName, dtype: DType): [HostTensor, HostTensor][] {
  const cross = (as: (number | string)[], bs: (number | string)[]): [HostTensor, HostTensor] =>
    [host(dtype, [as.length, 1], as), host(dtype, [bs.length], bs)];
  switch (dtype) {
    case "float32": case "float64": {
      const e = dtype === "float32" ? FLOAT_EDGES.map(Math.fround) : FLOAT_EDGES;
      return [cross(e, e), [host(dtype, [], [2.5]), host(dtype, [2, 0], [])], [host(dtype, [1, 3, 1, 1, 1, 2], [1, 2, 3, 4, 5, 6]), host(dtype, [2, 1], [-1.5, 8])]];
    }
    case "int32": {
      if (k === "FloorDiv" || k === "FloorMod") return [cross([0, 1, -1, 7, -7, 8, -8, INT_MAX, INT_MIN + 1], [1, -1, 2, -2, 3, -3, 8, INT_MAX, INT_MIN])];
      if (k === "Pow") return [cross([0, 1, -1, 2, -2, 3, -3, 7], [0, 1, 2, 3, 5, 31])];
      const e = [0, 1, -1, 2, -2, 65536, 46341, INT_MAX, INT_MIN, INT_MAX - 1];
      return [cross(e, e), [host(dtype, [], [INT_MAX]), host(dtype, [3], [1, INT_MAX, INT_MIN])]];
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
      for (const dtype of binaryDtypes(k)) {
        ctx.test(`${k} ${dtype}`, { kernels: [k], dtype }, async () => {
          const op = BINARY_OPS[k];
          const tol = ctx.tol(k, dtype);
          const check = async ([a, b]: HostTensor[]) => {
            const got = await evalOp([a!, b!], (x, y) => op(x!, y!));
            assertMatches(got, binaryRef(k, a!, b!), tol, () => `${k}(${describeHost(a!)}, ${describeHost(b!)})`);
          };
          await ctx.cases(edgeCases(k, dtype), check);
          await ctx.property(broadcastTensorsArb(dtype, 2, {}, domains(k, dtype)), check);
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
