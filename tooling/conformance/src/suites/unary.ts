/** Elementwise unary kernels through `tf.neg`, `tf.sqrt`, ...: every dtype each kernel takes, special values, edge shapes. */
import { describe } from "vitest";
import * as tf from "@tessera/core";
import type { DType, UnaryKernelName } from "@tessera/core/kernel";
import { UNARY_KERNELS } from "@tessera/core/kernel";
import { shapeArb, tensorArb } from "../arbitraries.js";
import type { ValueDomain } from "../arbitraries.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { describeHost, evalOp, host } from "../host.js";
import { unaryRef } from "../reference/elementwise.js";

/** The public op that reaches each kernel. */
export const UNARY_OPS: Record<UnaryKernelName, (x: tf.Tensor) => tf.Tensor> = {
  Neg: tf.neg, Abs: tf.abs, Sign: tf.sign, Square: tf.square, Sqrt: tf.sqrt, Rsqrt: tf.rsqrt, Exp: tf.exp, Log: tf.log,
  Log1p: tf.log1p, Sin: tf.sin, Cos: tf.cos, Tanh: tf.tanh, Sigmoid: tf.sigmoid, Relu: tf.relu, Elu: tf.elu,
  Softplus: tf.softplus, Floor: tf.floor, Ceil: tf.ceil, Round: tf.round, Reciprocal: tf.reciprocal, LogicalNot: tf.logicalNot,
};

/** Dtypes per kernel, as the kernel interface states them. */
export function unaryDtypes(k: UnaryKernelName): DType[] {
  if (k === "LogicalNot") return ["bool"];
  const out: DType[] = ["float32", "float64"];
  if (["Neg", "Abs", "Sign", "Square", "Relu"].includes(k)) out.push("int32");
  if (["Neg", "Square", "Exp", "Log", "Sqrt", "Reciprocal", "Abs"].includes(k)) out.push("complex64");
  return out;
}

/** Value ranges that exercise each kernel (out-of-domain inputs included: they must give NaN/±Inf as IEEE says). */
function domain(k: UnaryKernelName, dtype: DType): ValueDomain {
  if (dtype === "int32") {
    // Neg/Abs/Square wrap around: use the whole int32 range.
    return k === "Sign" || k === "Relu" ? {} : { min: -2147483648, max: 2147483647 };
  }
  if (dtype === "complex64") return { nonZero: k === "Log" || k === "Reciprocal" };
  switch (k) {
    // float64 reaches past exp's overflow (709) too, where naive formulas break down.
    case "Exp": case "Sigmoid": case "Softplus": case "Elu": case "Tanh": return dtype === "float64" ? { min: -1000, max: 1000 } : { min: -100, max: 100 };
    case "Round": case "Floor": case "Ceil": return { min: -20, max: 20 };
    case "Sin": case "Cos": return { min: -50, max: 50 };
    default: return {};
  }
}

/** Hand-picked values every float kernel sees: specials, signed zeros, ties for Round, domain edges. */
const FLOAT_EDGES = [NaN, Infinity, -Infinity, -0, 0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3.5, 1e-7, -1e-7, 88, -88, 100, -100, 0.999, -0.999];

export function describeUnary(ctx: ConformanceContext): void {
  describe("unary kernels", () => {
    for (const k of UNARY_KERNELS) {
      for (const dtype of unaryDtypes(k)) {
        ctx.test(`${k} ${dtype}`, { kernels: [k], dtype }, async () => {
          const op = UNARY_OPS[k];
          const tol = ctx.tol(k, dtype);
          const check = async (x: HostTensor) => {
            const got = await evalOp([x], (t) => op(t));
            assertMatches(got, unaryRef(k, x), tol, () => `${k}(${describeHost(x)})`);
          };
          if (dtype === "float32" || dtype === "float64") {
            const round = dtype === "float32" ? Math.fround : (v: number) => v;
            await ctx.cases([
              host(dtype, [FLOAT_EDGES.length], FLOAT_EDGES.map(round)),
              host(dtype, [], [1.5]),
              host(dtype, [0], []),
              host(dtype, [2, 0, 3], []),
              host(dtype, [1, 1, 1, 1, 1, 2], [-0.25, 7]),
            ], check);
          } else if (dtype === "int32") {
            await ctx.cases([host(dtype, [7], [0, 1, -1, 2147483647, -2147483648, 46341, -46341]), host(dtype, [], [-5])], check);
          } else if (dtype === "bool") {
            await ctx.cases([host(dtype, [2, 2], [0, 1, 1, 0]), host(dtype, [], [1]), host(dtype, [0, 3], [])], check);
          }
          await ctx.property(tensorArb(dtype, shapeArb(), domain(k, dtype)), check);
        });
      }
    }
  });
}
