/**
 * Does the backend have every kernel of the interface? Missing kernels fail the suite unless listed
 * in `expectMissing` (printed loudly); a listed kernel must really be missing and must be reported
 * with NotImplementedError when an op needs it, never quietly routed elsewhere.
 */
import { describe, expect, it } from "vitest";
import * as tf from "@tessera/core";
import type { BinaryKernelName, DType, KernelName, StructuredKernelName, UnaryKernelName } from "@tessera/core/kernel";
import { BINARY_OPS, BINARY_SPECS, KERNEL_NAMES, NotImplementedError, UNARY_OPS, UNARY_SPECS, kernelSpec } from "@tessera/core/kernel";
import type { ConformanceContext } from "../context.js";

type Probe = () => unknown;

const f = () => tf.ones([2, 2]);
const c = () => tf.constant([{ re: 1, im: 2 }]);

/** A small tensor of `dtype` (the first dtype an elementwise kernel declares). */
function sample(dtype: DType): tf.Tensor {
  switch (dtype) {
    case "bool": return tf.constant([true, false]);
    case "complex64": return c();
    case "string": return tf.constant(["a", "b"]);
    default: return tf.ones([2], dtype);
  }
}

/** A minimal use of an op that needs each structured kernel (null for kernels only gradients use). */
const STRUCTURED_PROBES: Record<StructuredKernelName, Probe | null> = {
  Sum: () => tf.reduceSum(f()),
  Prod: () => tf.reduceProd(f()),
  Max: () => tf.reduceMax(f()),
  Min: () => tf.reduceMin(f()),
  All: () => tf.reduceAll(tf.constant([true, false])),
  Any: () => tf.reduceAny(tf.constant([true, false])),
  ArgMax: () => tf.argmax(f()),
  ArgMin: () => tf.argmin(f()),
  Cast: () => tf.cast(f(), "int32"),
  Where: () => tf.where(tf.constant([true, false]), tf.ones([2]), tf.zeros([2])),
  Fill: () => tf.fill([2], 1.5),
  BatchMatMul: () => tf.matmul(f(), f()),
  Transpose: () => tf.transpose(f()),
  Slice: () => tf.slice(f(), [1, 0], [1, 2]),
  Pad: () => tf.pad(f(), [[1, 0], [0, 1]]),
  Concat: () => tf.concat([f(), f()], 0),
  Gather: () => tf.gather(f(), [1]),
  UnsortedSegmentSum: null,
  Tile: () => tf.tile(f(), [2, 1]),
  Conv2D: () => tf.nn.conv2d(tf.ones([1, 2, 2, 1]), tf.ones([1, 1, 1, 1]), 1, "VALID"),
  Conv2DBackpropInput: null,
  Conv2DBackpropFilter: null,
  MaxPool: () => tf.nn.maxPool2d(tf.ones([1, 2, 2, 1]), 2, 1, "VALID"),
  AvgPool: () => tf.nn.avgPool2d(tf.ones([1, 2, 2, 1]), 2, 1, "VALID"),
  MaxPoolGrad: null,
  AvgPoolGrad: null,
  TopK: () => tf.math.topK(f(), { k: 1 }),
  SearchSorted: () => tf.searchsorted(tf.constant([1, 2, 3]), tf.constant([2])),
  Complex: () => tf.complex(tf.ones([2]), tf.ones([2])),
  Real: () => tf.real(c()),
  Imag: () => tf.imag(c()),
  Conj: () => tf.conj(c()),
};

/** A minimal use of an op that needs kernel k (null for kernels only gradients use). */
export function probe(k: KernelName): Probe | null {
  if (k in UNARY_OPS) {
    const u = k as UnaryKernelName;
    return () => UNARY_OPS[u](sample(UNARY_SPECS[u].dtypes[0]!));
  }
  if (k in BINARY_OPS) {
    const b = k as BinaryKernelName;
    return () => BINARY_OPS[b](sample(BINARY_SPECS[b].dtypes[0]!), sample(BINARY_SPECS[b].dtypes[0]!));
  }
  return STRUCTURED_PROBES[k as StructuredKernelName];
}

/** The dtypes a probe of kernel k needs the backend to hold. */
function probeDtypes(k: KernelName): DType[] {
  const spec = kernelSpec(k);
  return spec.kind === "structured" && spec.family !== "complex" ? [] : [spec.dtypes[0]!];
}

export function describeCompleteness(ctx: ConformanceContext): void {
  const expected = ctx.options.expectMissing ?? [];
  describe("completeness", () => {
    it(`implements all ${KERNEL_NAMES.length} kernels of the interface`, () => {
      const missing = KERNEL_NAMES.filter((k) => !ctx.implements(k));
      const unexpected = missing.filter((k) => !expected.includes(k));
      const stale = expected.filter((k) => ctx.implements(k));
      const extra = Object.keys(ctx.backend.kernels).filter((k) => !(KERNEL_NAMES as readonly string[]).includes(k));
      if (extra.length) ctx.coverage.note(`kernels outside the interface (ignored): ${extra.join(", ")}`);
      if (expected.length) {
        const line = "!".repeat(78);
        console.warn(`${line}\n!! backend '${ctx.name}' is INCOMPLETE: ${expected.length} kernel(s) expected missing:\n!!   ${expected.join(", ")}\n${line}`);
        ctx.coverage.note(`expected missing (work in progress): ${expected.join(", ")}`);
      }
      expect(unexpected, `backend '${ctx.name}' lacks kernels (add them, or list them in expectMissing while in progress)`).toEqual([]);
      expect(stale, `backend '${ctx.name}' implements kernels listed in expectMissing: remove them from the list`).toEqual([]);
    });

    for (const k of expected) {
      const p = probe(k);
      if (!p || ctx.implements(k)) continue;
      const needs = probeDtypes(k);
      ctx.test(`missing kernel ${k} is reported with NotImplementedError`, { kernels: [], needs }, async () => {
        let err: unknown;
        tf.tidy(() => {
          try {
            p();
          } catch (e) {
            err = e;
          }
        });
        expect(err).toBeInstanceOf(NotImplementedError);
        expect((err as Error).message).toContain(k);
        expect((err as Error).message).toContain(ctx.name);
      });
    }
  });
}

/** Registered last: every kernel the backend has must have run in a passing test. */
export function describeCoverageCheck(ctx: ConformanceContext): void {
  describe("coverage", () => {
    it("every implemented kernel ran in a passing test", () => {
      const statuses = ctx.coverage.finish();
      const untested = [...statuses].filter(([, c]) => c.status === "untested").map(([k]) => k);
      expect(untested, "kernels the suite never exercised on this backend").toEqual([]);
    });
    it("every public op ran in a passing test", () => {
      const never = publicOps().filter((name) => !ctx.coverage.ops.has(name) && !OPS_TESTED_ELSEWHERE.has(name));
      expect(never, "public ops no conformance test called on this backend (add a suite, or list them in OPS_TESTED_ELSEWHERE with the reason)").toEqual([]);
    });
  });
}

/**
 * Ops whose behaviour does not depend on the backend, checked by core's own tests instead: the random
 * ops draw their numbers in core (Philox) and only upload them.
 */
const OPS_TESTED_ELSEWHERE = new Set([
  "random.normal", "random.truncatedNormal", "random.uniform", "random.permutation", "random.shuffle",
  "random.gamma", "random.poisson", "random.categorical",
  "random.statelessUniform", "random.statelessNormal", "random.statelessTruncatedNormal", "random.statelessCategorical",
]);

/** The names of every op entry reachable from `tf` (the top level and its namespaces). */
export function publicOps(): string[] {
  const names = new Set<string>();
  const visit = (obj: object): void => {
    for (const v of Object.values(obj)) {
      const info = (v as { info?: { name?: unknown } } | null)?.info;
      if (typeof v === "function" && typeof info?.name === "string") names.add(info.name);
    }
  };
  visit(tf);
  for (const v of Object.values(tf)) if (v !== null && typeof v === "object" && !(v instanceof tf.Tensor)) visit(v);
  return [...names].sort();
}
