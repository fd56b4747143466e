/**
 * A harness for op suites whose cases take several inputs and may return several tensors: each case
 * names the public op, the kernels it must run, an input generator, the call and a float64 reference.
 * Also host-side helpers the references share (row-major index arithmetic along one axis).
 */
import fc from "fast-check";
import { describe } from "vitest";
import type * as tf from "@tessera/core";
import type { DType, KernelName } from "@tessera/core/kernel";
import type { Expected } from "../compare.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { describeHost, evalOp, sizeOf } from "../host.js";

/** One op under test, for each of its dtypes. */
export interface OpCase<P> {
  /** Test title; starts with the public op it checks. */
  name: string;
  dtypes: DType[];
  /** Kernels the op runs (the test fails if one never ran). */
  kernels: KernelName[];
  /** Inputs and parameters. */
  arb: (dtype: DType) => fc.Arbitrary<{ xs: HostTensor[]; p: P }>;
  run: (xs: tf.Tensor[], p: P) => tf.Tensor | tf.Tensor[];
  ref: (xs: HostTensor[], p: P) => Expected | Expected[];
  /** Kernel whose tolerance applies. */
  tolOf: KernelName;
  show: (p: P) => string;
}

/** Erases a case's parameter type for a list of cases. */
export const opCase = <P>(c: OpCase<P>): OpCase<unknown> => c as OpCase<unknown>;

/** Registers every case of `cases` under `title`. */
export function describeOpCases(ctx: ConformanceContext, title: string, cases: readonly OpCase<unknown>[]): void {
  describe(title, () => {
    for (const c of cases) {
      for (const dtype of c.dtypes) {
        ctx.test(`${c.name} ${dtype}`, { kernels: c.kernels, dtype }, async () => {
          await ctx.property(c.arb(dtype), async ({ xs, p }) => {
            const want = c.ref(xs, p);
            const got = await evalOp(xs, (...ts) => c.run(ts, p) as tf.Tensor);
            const gots = Array.isArray(want) ? (got as unknown as HostTensor[]) : [got];
            const wants = Array.isArray(want) ? want : [want];
            if (gots.length !== wants.length) throw new Error(`${c.name}: got ${gots.length} outputs, want ${wants.length}`);
            wants.forEach((w, i) => assertMatches(gots[i]!, w, ctx.tol(c.tolOf, w.dtype), () => `${c.name}(${xs.map((x) => describeHost(x)).join(", ")}, ${c.show(p)}) output ${i}`));
          });
        });
      }
    }
  });
}

export const FLOATS: DType[] = ["float32", "float64"];

/** The numbers of a host tensor. */
export const num = (h: HostTensor): number[] => h.data as number[];

/** Rounds a float64 reference to what `dtype` holds (int32 wraps). */
export function store(dtype: DType, v: number): number {
  if (dtype === "float32") return Math.fround(v);
  if (dtype === "int32") return v | 0;
  return v;
}

/** Strides of a row-major shape. */
export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** The flat indices of every line of `shape` along `axis` (each line in order along the axis). */
export function linesAlong(shape: readonly number[], axis: number): number[][] {
  const n = shape[axis]!;
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  const out: number[][] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const line: number[] = [];
      for (let k = 0; k < n; k++) line.push((o * n + k) * inner + i);
      out.push(line);
    }
  }
  return out;
}

/** Multi-index of flat index `i` in `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return idx;
}

/** Flat index of a multi-index in `shape`. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let f = 0;
  for (let d = 0; d < shape.length; d++) f = f * shape[d]! + idx[d]!;
  return f;
}

/** Evaluates `f` at every multi-index of `shape` into a host tensor. */
export function build(dtype: DType, shape: readonly number[], f: (idx: number[]) => number): Expected {
  const n = sizeOf(shape);
  const data: number[] = [];
  for (let i = 0; i < n; i++) data.push(store(dtype, f(unravel(i, shape))));
  return { dtype, shape: [...shape], data };
}

/** NumPy's broadcast shape of several shapes. */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, k) => {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - rank + k] ?? 1;
      if (v !== 1) d = v;
    }
    return d;
  });
}

/** The value of `h` at a multi-index of the broadcast shape. */
export function at(h: HostTensor, idx: readonly number[]): number {
  const r = h.shape.length;
  const own = idx.slice(idx.length - r).map((v, k) => (h.shape[k] === 1 ? 0 : v));
  return (h.data as number[])[ravel(own, h.shape)]!;
}

export { fc };
