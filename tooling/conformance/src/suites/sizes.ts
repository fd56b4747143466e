/**
 * Tensors too large for the backend (issue 16): every way to ask for one — ops made on the device,
 * values made on the host (random numbers, `range`, `eye`), kernels whose output is huge — raises
 * `ResourceExhaustedError` naming the op, the shape and the dtype before anything is allocated, so
 * `tf.memory()` and the backend's own byte count are unchanged (the context checks both after each
 * test) and the backend stays usable. On WebGPU this includes lazily fused ops, which used to
 * "succeed" and count bytes that were never allocated.
 */
import { describe, expect } from "vitest";
import * as tf from "@tessera/core";
import { MAX_TENSOR_ELEMENTS } from "@tessera/core/kernel";
import type { ConformanceContext } from "../context.js";
import { memorySnapshot } from "../host.js";

const { ResourceExhaustedError } = tf.errors;

interface SizeCase {
  title: string;
  run: () => unknown;
  /** The op and shape the message must name. */
  op: string;
  shape: string;
  dtype: string;
}

const BIG = "\\[1000000, 1000000\\]";

const CASES: SizeCase[] = [
  { title: "zeros([1e6, 1e6])", run: () => tf.zeros([1e6, 1e6]), op: "Fill", shape: BIG, dtype: "float32" },
  { title: "fill of int32", run: () => tf.fill([1e6, 1e6], 7), op: "Fill", shape: BIG, dtype: "int32" },
  { title: "ones with a size beyond 2^53", run: () => tf.ones([2 ** 27, 2 ** 27], "float32"), op: "Fill", shape: "\\[134217728, 134217728\\]", dtype: "float32" },
  { title: "zeros with a dimension beyond 2^53 beside a 0", run: () => tf.zeros([0, 2 ** 53]), op: "Fill", shape: "\\[0, 9007199254740992\\]", dtype: "float32" },
  { title: "constant filling a huge shape", run: () => tf.constant(1.5, { shape: [1e6, 1e6] }), op: "Const", shape: BIG, dtype: "float32" },
  { title: "range(2^40)", run: () => tf.range(0, 2 ** 40), op: "Range", shape: "\\[1099511627776\\]", dtype: "int32" },
  { title: "eye(1e6)", run: () => tf.eye(1e6), op: "Eye", shape: BIG, dtype: "float32" },
  { title: "random.normal", run: () => tf.random.normal([1e6, 1e6]), op: "RandomStandardNormal", shape: BIG, dtype: "float32" },
  { title: "random.uniform", run: () => tf.random.uniform([1e6, 1e6], { dtype: "float64" }), op: "RandomUniform", shape: BIG, dtype: "float64" },
  { title: "random.uniform of int32", run: () => tf.random.uniform([1e6, 1e6], { dtype: "int32", maxval: 10 }), op: "RandomUniformInt", shape: BIG, dtype: "int32" },
  { title: "random.gamma", run: () => tf.random.gamma([1e6, 1e6], 2), op: "RandomGamma", shape: BIG, dtype: "float32" },
  { title: "oneHot with a huge depth", run: () => tf.oneHot([0, 1, 2], 2 ** 32), op: "OneHot", shape: "\\[3, 4294967296\\]", dtype: "float32" },
  { title: "tile to a huge output", run: () => tf.tile(tf.tidy(() => tf.ones([1000])), [1e9]), op: "Tile", shape: "\\[1000000000000\\]", dtype: "float32" },
  { title: "broadcastTo a huge shape", run: () => tf.broadcastTo(tf.tidy(() => tf.ones([1])), [1e6, 1e6]), op: "Tile", shape: BIG, dtype: "float32" },
  { title: "matmul with a huge product", run: () => tf.matmul(tf.tidy(() => tf.ones([100000, 1])), tf.tidy(() => tf.ones([1, 100000]))), op: "BatchMatMul", shape: "\\[100000, 100000\\]", dtype: "float32" },
];

export function describeSizeLimits(ctx: ConformanceContext): void {
  describe("tensors too large for the backend", () => {
    for (const c of CASES) {
      ctx.test(`${c.title} raises ResourceExhaustedError naming ${c.op}, before allocating anything`, { kernels: [] }, () => {
        const before = memorySnapshot();
        let err: unknown;
        // Inputs made inside `run` are freed by tidy; the op fails before its output exists.
        tf.tidy(() => {
          try {
            c.run();
          } catch (e) {
            err = e;
          }
        });
        expect(err).toBeInstanceOf(ResourceExhaustedError);
        const msg = (err as Error).message;
        expect(msg).toMatch(new RegExp(`^OOM when allocating tensor with shape ${c.shape} and type ${c.dtype}`));
        expect(msg).toMatch(new RegExp(`on backend '${ctx.name}': .* \\[Op:${c.op}\\]$`));
        expect(memorySnapshot()).toEqual(before);
        expect(tf.memory().numBytes).toBeLessThan(2 ** 40);
      });
    }

    ctx.test("the backend's own buffer limit is enforced by the same check, and the backend stays usable", { kernels: [] }, async (t) => {
      const max = ctx.backend.maxElements?.("float32") ?? Infinity;
      if (!(max < MAX_TENSOR_ELEMENTS)) t.skip(`backend '${ctx.name}' declares no buffer limit below JavaScript's ${MAX_TENSOR_ELEMENTS} elements`);
      const before = memorySnapshot();
      expect(() => tf.zeros([max + 1])).toThrow(ResourceExhaustedError);
      expect(() => tf.zeros([max + 1])).toThrow(new RegExp(`holds at most ${max} float32 elements \\[Op:Fill\\]$`));
      // On WebGPU, Fill and elementwise ops are lazy (fused, allocated when read): refused all the same.
      const small = tf.ones([2]);
      expect(() => tf.tidy(() => tf.tile(tf.add(small, 1), [Math.ceil((max + 1) / 2)]))).toThrow(ResourceExhaustedError);
      const sum = tf.add(small, 1);
      expect(Array.from((await sum.data()) as Float32Array)).toEqual([2, 2]);
      tf.dispose([small, sum]);
      expect(memorySnapshot()).toEqual(before);
    });
  });
}
