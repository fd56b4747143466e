import type { BinaryKernelName, UnaryKernelName } from "@tessera/core/kernel";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { WebGPUBackend } from "../src/backend.js";
import { expectClose, expectEqual, makeBackend, rand, read, tensor, wrap } from "./helpers.js";
import type { T } from "./helpers.js";
import { f32 } from "./reference.js";

let b: WebGPUBackend;
beforeAll(async () => {
  b = await makeBackend();
});
afterAll(() => b?.dispose());

type C = [number, number];
const UNARY: Partial<Record<UnaryKernelName, (z: C) => C>> = {
  Neg: ([a, c]) => [-a, -c],
  Square: ([a, c]) => [a * a - c * c, 2 * a * c],
  Exp: ([a, c]) => [Math.exp(a) * Math.cos(c), Math.exp(a) * Math.sin(c)],
  Log: ([a, c]) => [Math.log(Math.hypot(a, c)), Math.atan2(c, a)],
  Sqrt: ([a, c]) => {
    const m = Math.hypot(a, c);
    if (m === 0) return [0, c];
    if (a >= 0) {
      const t = Math.sqrt((m + a) / 2);
      return [t, c / (2 * t)];
    }
    const t = Math.sqrt((m - a) / 2);
    return [Math.abs(c) / (2 * t), c < 0 ? -t : t];
  },
  Reciprocal: ([a, c]) => [a / (a * a + c * c), -c / (a * a + c * c)],
};
const BINARY: Partial<Record<BinaryKernelName, (p: C, q: C) => C>> = {
  Add: (p, q) => [p[0] + q[0], p[1] + q[1]],
  Sub: (p, q) => [p[0] - q[0], p[1] - q[1]],
  Mul: (p, q) => [p[0] * q[0] - p[1] * q[1], p[0] * q[1] + p[1] * q[0]],
  Div: (p, q) => {
    const d = q[0] * q[0] + q[1] * q[1];
    return [(p[0] * q[0] + p[1] * q[1]) / d, (p[1] * q[0] - p[0] * q[1]) / d];
  },
};

function pairs(v: readonly number[]): C[] {
  return Array.from({ length: v.length / 2 }, (_, i) => [v[2 * i]!, v[2 * i + 1]!]);
}

describe("complex64", () => {
  const zs = [1, 2, -3, 0.5, 0, -1, 2.5, 0, -4, -4, 1e-3, 7, 1e-40, 1e-40, 0, 1.4e-45, ...rand(40, 77, -3, 3)].map(f32);
  const n = zs.length / 2;

  it("unary kernels match float64 references (tiny and subnormal values included)", async () => {
    const z = tensor(b, zs, [n], "complex64");
    for (const [op, ref] of Object.entries(UNARY) as [UnaryKernelName, (z: C) => C][]) {
      const got = await read(b, wrap(b.kernels[op]!([z], {}, { shape: [n], dtype: "complex64" }), [n], "complex64"));
      const want = pairs(zs).flatMap((p) => ref(p).map(f32));
      // At 0, Log and Reciprocal give ±Inf/NaN parts that differ between formulas: compare finite references only.
      const finite = want.map((w, i) => (Number.isFinite(w) ? got[i]! : w));
      expectClose(finite, want, 2e-5, 1e-6, op);
    }
    const abs = await read(b, wrap(b.kernels.Abs!([z], {}, { shape: [n], dtype: "float32" }), [n], "float32"));
    expectClose(abs, pairs(zs).map(([a, c]) => f32(Math.hypot(a, c))), 1e-6, 1e-6, "Abs");
  });

  it("binary kernels, Equal/NotEqual and broadcasting", async () => {
    const p = tensor(b, zs, [n, 1], "complex64");
    const qv = [2, -1, 0.5, 0.25].map(f32);
    const q = tensor(b, qv, [1, 2], "complex64");
    for (const [op, ref] of Object.entries(BINARY) as [BinaryKernelName, (p: C, q: C) => C][]) {
      const got = await read(b, wrap(b.kernels[op]!([p, q], {}, { shape: [n, 2], dtype: "complex64" }), [n, 2], "complex64"));
      const want = pairs(zs).flatMap((x) => pairs(qv).flatMap((y) => ref(x, y).map(f32)));
      expectClose(got, want, 1e-5, 1e-6, op);
    }
    const e = tensor(b, [1, 2, 3, 4, NaN, 0], [3], "complex64");
    const f = tensor(b, [1, 2, 3, 5, NaN, 0], [3], "complex64");
    expectEqual(await read(b, wrap(b.kernels.Equal!([e, f], {}, { shape: [3], dtype: "bool" }), [3], "bool")), [1, 0, 0]);
    expectEqual(await read(b, wrap(b.kernels.NotEqual!([e, f], {}, { shape: [3], dtype: "bool" }), [3], "bool")), [0, 1, 1]);
  });

  it("Complex, Real, Imag, Conj, Cast, Fill, Sum, Transpose, Gather, Pad and MatMul", async () => {
    const re = tensor(b, [1, 2, 3], [3]);
    const im = tensor(b, [-1], [1]);
    const z = wrap(b.kernels.Complex!([re, im], {}, { shape: [3], dtype: "complex64" }), [3], "complex64");
    expectEqual(await read(b, z), [1, -1, 2, -1, 3, -1]);
    expectEqual(await read(b, wrap(b.kernels.Real!([z], {}, { shape: [3], dtype: "float32" }), [3], "float32")), [1, 2, 3]);
    expectEqual(await read(b, wrap(b.kernels.Imag!([z], {}, { shape: [3], dtype: "float32" }), [3], "float32")), [-1, -1, -1]);
    expectEqual(await read(b, wrap(b.kernels.Conj!([z], {}, { shape: [3], dtype: "complex64" }), [3], "complex64")), [1, 1, 2, 1, 3, 1]);
    const cast = (t: T, dtype: "float32" | "int32" | "bool" | "complex64"): number[] | Promise<number[]> =>
      read(b, wrap(b.kernels.Cast!([t], {}, { shape: t.shape, dtype }), t.shape, dtype));
    const w = tensor(b, [2.5, 0, 0, 0, 0, -1, -1.5, 3], [4], "complex64");
    expectEqual(await cast(w, "float32"), [2.5, 0, 0, -1.5]);
    expectEqual(await cast(w, "int32"), [2, 0, 0, -1]);
    expectEqual(await cast(w, "bool"), [1, 0, 1, 1]);
    expectEqual(await cast(tensor(b, [7, -2], [2], "int32"), "complex64"), [7, 0, -2, 0]);
    expectEqual(await read(b, wrap(b.kernels.Fill!([], { value: [1.5, -2] }, { shape: [2], dtype: "complex64" }), [2], "complex64")), [1.5, -2, 1.5, -2]);
    const m = tensor(b, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [1, 3, 2], "complex64");
    expectEqual(await read(b, wrap(b.kernels.Sum!([m], {}, { shape: [1, 2], dtype: "complex64" }), [1, 2], "complex64")), [15, 18, 21, 24]);
    const tr = wrap(b.kernels.Transpose!([{ ...m, shape: [3, 2] }], { perm: [1, 0] }, { shape: [2, 3], dtype: "complex64" }), [2, 3], "complex64");
    expectEqual(await read(b, tr), [1, 2, 5, 6, 9, 10, 3, 4, 7, 8, 11, 12]);
    const idx = tensor(b, [2, 0, 5], [3], "int32");
    const g = wrap(b.kernels.Gather!([{ ...m, shape: [1, 3, 2] }, idx], {}, { shape: [1, 3, 2], dtype: "complex64" }), [1, 3, 2], "complex64");
    expectEqual(await read(b, g), [9, 10, 11, 12, 1, 2, 3, 4, 0, 0, 0, 0]);
    const pd = wrap(b.kernels.Pad!([z], { paddings: [[1, 0]], constantValue: 5 }, { shape: [4], dtype: "complex64" }), [4], "complex64");
    expectEqual(await read(b, pd), [5, 0, 1, -1, 2, -1, 3, -1]);
    // [[1+i, 2]] · [[1], [i]] = 1 + i + 2i = 1 + 3i
    const a = tensor(b, [1, 1, 2, 0], [1, 1, 2], "complex64");
    const c = tensor(b, [1, 0, 0, 1], [1, 2, 1], "complex64");
    const mm = wrap(b.kernels.BatchMatMul!([a, c], { transposeA: false, transposeB: false }, { shape: [1, 1, 1], dtype: "complex64" }), [1, 1, 1], "complex64");
    expectEqual(await read(b, mm), [1, 3]);
  });
});
