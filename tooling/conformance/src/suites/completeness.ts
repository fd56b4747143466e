/**
 * Does the backend have every kernel of the interface? Missing kernels fail the suite unless listed
 * in `expectMissing` (printed loudly); a listed kernel must really be missing and must be reported
 * with NotImplementedError when an op needs it, never quietly routed elsewhere.
 */
import { describe, expect, it } from "vitest";
import * as tf from "@tessera/core";
import type { DType, KernelName } from "@tessera/core/kernel";
import { KERNEL_NAMES, NotImplementedError } from "@tessera/core/kernel";
import type { ConformanceContext } from "../context.js";
import { BINARY_OPS } from "./binary.js";
import { REDUCE_OPS } from "./reduce.js";
import { UNARY_OPS } from "./unary.js";

type Probe = () => unknown;

const f = () => tf.ones([2, 2]);
const c = () => tf.constant([{ re: 1, im: 2 }]);

/** A minimal use of an op that needs kernel k (null for kernels only gradients use). */
export function probe(k: KernelName): Probe | null {
  if (k in UNARY_OPS) return () => UNARY_OPS[k as keyof typeof UNARY_OPS](k === "LogicalNot" ? tf.constant([true]) : f());
  if (k === "LogicalAnd" || k === "LogicalOr") return () => BINARY_OPS[k](tf.constant([true]), tf.constant([false]));
  if (k in BINARY_OPS) return () => BINARY_OPS[k as keyof typeof BINARY_OPS](f(), f());
  if (k === "All" || k === "Any") return () => REDUCE_OPS[k](tf.constant([true, false]), {});
  if (k in REDUCE_OPS) return () => REDUCE_OPS[k as keyof typeof REDUCE_OPS](f(), {});
  switch (k) {
    case "ArgMax": return () => tf.argmax(f());
    case "ArgMin": return () => tf.argmin(f());
    case "Cast": return () => tf.cast(f(), "int32");
    case "Where": return () => tf.where(tf.constant([true, false]), tf.ones([2]), tf.zeros([2]));
    case "Fill": return () => tf.fill([2], 1.5);
    case "BatchMatMul": return () => tf.matmul(f(), f());
    case "Transpose": return () => tf.transpose(f());
    case "Slice": return () => tf.slice(f(), [1, 0], [1, 2]);
    case "Pad": return () => tf.pad(f(), [[1, 0], [0, 1]]);
    case "Concat": return () => tf.concat([f(), f()], 0);
    case "Gather": return () => tf.gather(f(), [1]);
    case "Tile": return () => tf.tile(f(), [2, 1]);
    case "Conv2D": return () => tf.nn.conv2d(tf.ones([1, 2, 2, 1]), tf.ones([1, 1, 1, 1]), 1, "VALID");
    case "MaxPool": return () => tf.nn.maxPool2d(tf.ones([1, 2, 2, 1]), 2, 1, "VALID");
    case "AvgPool": return () => tf.nn.avgPool2d(tf.ones([1, 2, 2, 1]), 2, 1, "VALID");
    case "Complex": return () => tf.complex(tf.ones([2]), tf.ones([2]));
    case "Real": return () => tf.real(c());
    case "Imag": return () => tf.imag(c());
    case "Conj": return () => tf.conj(c());
    default: return null;
  }
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
      const needs: DType[] = ["Complex", "Real", "Imag", "Conj"].includes(k) ? ["complex64"] : [];
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
  });
}
