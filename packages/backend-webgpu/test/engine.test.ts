import { DtypeError, NotImplementedError, ResourceExhaustedError } from "@tessera/core/kernel";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebGPUBackend } from "../src/backend.js";
import { sizeClass } from "../src/buffer-pool.js";
import { expectEqual, makeBackend, rand, read, readSync, tensor, wrap } from "./helpers.js";
import type { T } from "./helpers.js";
import { f32 } from "./reference.js";

let b: WebGPUBackend;
beforeAll(async () => {
  b = await makeBackend();
});
afterAll(() => b?.dispose());

function inUse(): number {
  b.flush();
  return b.memory()["numBytesInUse"] as number;
}
const add = (x: T, y: T): T => wrap(b.kernels.Add!([x, y], {}, { shape: x.shape, dtype: x.dtype }), x.shape, x.dtype);
const exp = (x: T): T => wrap(b.kernels.Exp!([x], {}, { shape: x.shape, dtype: x.dtype }), x.shape, x.dtype);

describe("engine", () => {
  it("describes its adapter; software adapters are marked as fallback", () => {
    const d = b.describe();
    expect(d).toMatch(/^WebGPU on /);
    if (/llvmpipe|swiftshader/i.test(d)) {
      expect(b.gpu.summary.isFallback).toBe(true);
      expect(d).toMatch(/fallback/);
    }
  });

  it("holds every dtype (float64 emulated exactly); a kernel without a dtype case says so with a DtypeError", () => {
    expect([...b.dtypes].sort()).toEqual(["bool", "complex64", "float32", "float64", "int32", "string"]);
    const x = tensor(b, [1, 2], [2], "int32");
    expect(() => b.kernels.Exp!([x], {}, { shape: [2], dtype: "int32" })).toThrow(DtypeError);
    expect(() => b.kernels.Exp!([x], {}, { shape: [2], dtype: "int32" })).toThrow(/dtype int32 is not supported for Exp on backend 'webgpu' \[Op:Exp\]/);
    const c = tensor(b, [1, 0], [1, 1, 2], "bool");
    expect(() => b.kernels.BatchMatMul!([c, c], { transposeA: false, transposeB: true }, { shape: [1, 1, 1], dtype: "bool" })).toThrow(/bool.*BatchMatMul/);
    b.disposeData(x.dataId);
    b.disposeData(c.dataId);
  });

  it("size classes waste at most a third", () => {
    for (const n of [1, 256, 257, 1000, 4096, 5000, 1 << 20, (1 << 20) + 1, 3 << 20]) {
      const c = sizeClass(n);
      expect(c).toBeGreaterThanOrEqual(n);
      if (n > 256) expect((c - n) / c).toBeLessThanOrEqual(1 / 3 + 1e-9);
      expect(c % 16).toBe(0);
    }
  });

  it("freed buffers return to the pool and are reused; memory is exact", async () => {
    const base = inUse();
    const x = tensor(b, rand(1000, 1), [1000]);
    expect(inUse()).toBe(base + sizeClass(4000));
    b.disposeData(x.dataId);
    expect(inUse()).toBe(base);
    const buffers = b.memory()["numBuffers"];
    for (let i = 0; i < 20; i++) {
      const t = tensor(b, rand(1000, i), [1000]);
      const y = exp(t);
      await read(b, y);
      b.disposeData(t.dataId);
      b.disposeData(y.dataId);
    }
    expect(inUse()).toBe(base);
    expect(b.memory()["numBuffers"]).toBeLessThanOrEqual((buffers as number) + 2);
    const m = b.memory();
    expect(m.numBytesInBackend).toBeGreaterThanOrEqual((m["numBytesInUse"] as number) + (m["numBytesInPool"] as number));
  });

  it("a pending fused expression keeps its inputs alive after they are freed", async () => {
    const base = inUse();
    const v = rand(300, 5, -2, 2).map(f32);
    const x = tensor(b, v, [300]);
    const doubled = add(x, x);
    const y = exp(doubled);
    const sum = add(x, x);
    b.disposeData(sum.dataId);
    b.disposeData(x.dataId);
    b.disposeData(doubled.dataId);
    const got = await read(b, y);
    got.forEach((g, i) => expect(Math.abs(g - Math.exp(2 * v[i]!))).toBeLessThanOrEqual(1e-5 * Math.exp(2 * v[i]!)));
    b.disposeData(y.dataId);
    expect(inUse()).toBe(base);
  });

  it("fuses a chain of elementwise kernels into one dispatch", async () => {
    const x = tensor(b, [1, 2, 3], [3]);
    const y = tensor(b, [4, 5, 6], [3]);
    const before = b.recorder.dispatches;
    let z = add(x, y);
    for (let i = 0; i < 5; i++) z = exp(wrap(b.kernels.Neg!([z], {}, { shape: [3], dtype: "float32" }), [3], "float32"));
    expect(b.recorder.dispatches).toBe(before);
    await read(b, z);
    expect(b.recorder.dispatches).toBe(before + 1);
  });

  it("batches commands into few submits", async () => {
    const x = tensor(b, rand(64, 3), [8, 8]);
    const submits = b.recorder.submits;
    let y = x;
    for (let i = 0; i < 10; i++) {
      y = wrap(b.kernels.BatchMatMul!([view(y), view(x)], { transposeA: false, transposeB: false }, { shape: [1, 8, 8], dtype: "float32" }), [8, 8], "float32");
    }
    await read(b, y);
    expect(b.recorder.submits - submits).toBeLessThanOrEqual(2);
  });

  it("reads synchronously in Node, lazily computed data and bools included", () => {
    expect(b.syncReadUnavailable).toBeNull();
    const x = tensor(b, [1, -2, 3], [3]);
    expect(readSync(b, exp(x)).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([2.7183, 0.1353, 20.0855]);
    const c = wrap(b.kernels.Greater!([x, tensor(b, [0, 0, 0], [3])], {}, { shape: [3], dtype: "bool" }), [3], "bool");
    const raw = b.readSync(c.dataId, "bool", 3);
    expect(raw).toBeInstanceOf(Uint8Array);
    expect(Array.from(raw as Uint8Array)).toEqual([1, 0, 1]);
    expect(Array.from(b.readSync(tensor(b, [], [0]).dataId, "float32", 0) as Float32Array)).toEqual([]);
  });

  it("where synchronous reads are impossible (browsers), readSync says to use await t.data()", () => {
    const x = tensor(b, [1], [1]);
    b.syncReadUnavailable = "browsers cannot wait for the GPU synchronously";
    try {
      expect(() => b.readSync(x.dataId, "float32", 1)).toThrow(NotImplementedError);
      expect(() => b.readSync(x.dataId, "float32", 1)).toThrow(/await t\.data\(\)/);
    } finally {
      b.syncReadUnavailable = null;
    }
    b.disposeData(x.dataId);
  });

  it("keeps strings on the host", async () => {
    const s = tensor(b, ["a", "bc", ""], [3], "string");
    expect(await b.read(s.dataId, "string", 3)).toEqual(["a", "bc", ""]);
    expect(b.readSync(s.dataId, "string", 3)).toEqual(["a", "bc", ""]);
    expect(b.memory()["numBytesHostStrings"]).toBe(6);
    const t = b.kernels.Transpose!([{ ...s, shape: [1, 3] }], { perm: [1, 0] }, { shape: [3, 1], dtype: "string" });
    expect(b.readSync(t, "string", 3)).toEqual(["a", "bc", ""]);
    b.disposeData(t);
    expect(() => b.kernels.Exp!([s], {}, { shape: [3], dtype: "string" })).toThrow(DtypeError);
    b.disposeData(s.dataId);
    expect(b.memory()["numBytesHostStrings"]).toBe(0);
  });

  it("a buffer larger than the device allows is a ResourceExhaustedError naming the op; the backend stays usable", async () => {
    const limit = Math.min(b.gpu.limits.maxStorageBufferBindingSize, b.gpu.limits.maxBufferSize);
    const n = Math.floor(limit / 4) + 1024;
    const base = inUse();
    expect(() => b.kernels.Fill!([], { value: 1 }, { shape: [n], dtype: "float32" })).not.toThrow();
    // Fill is lazy: the allocation happens when it is materialized.
    const big = b.kernels.Fill!([], { value: 1 }, { shape: [n], dtype: "float32" });
    expect(() => b.kernels.Sum!([{ dataId: big, shape: [1, n, 1], dtype: "float32" }], {}, { shape: [1, 1], dtype: "float32" })).toThrow(ResourceExhaustedError);
    expect(() => b.kernels.Transpose!([{ dataId: big, shape: [n], dtype: "float32" }], { perm: [0] }, { shape: [n], dtype: "float32" })).toThrow(/\[Op:Fill\]|\[Op:Transpose\]/);
    b.disposeData(big);
    const ok = tensor(b, [1, 2], [2]);
    expectEqual(await read(b, add(ok, ok)), [2, 4]);
    expect(inUse()).toBe(base + 2 * sizeClass(8));
  });

  it("shader compilation errors name the op and do not poison later work", async () => {
    expect(() => b.programs.get({ op: "MyOp", key: "broken-test-program", numInputs: 0, wgsl: () => "fn main( {" })).toThrow(/MyOp/);
    const x = tensor(b, [1, 2], [2]);
    expectEqual(await read(b, add(x, x)), [2, 4]);
  });
});

describe("device loss", () => {
  it("turns into clear errors naming the op, and the registered backend can be re-initialised", async () => {
    const tf = await import("@tessera/core");
    await import("../src/index.js");
    const first = (await tf.findBackend("webgpu")) as WebGPUBackend;
    const x = tensor(first, [1, 2, 3], [3]);
    first.gpu.device.destroy(); // what a driver reset looks like to the page
    await new Promise((r) => setTimeout(r, 50));
    expect(() => first.kernels.Exp!([x], {}, { shape: [3], dtype: "float32" })).toThrow(/device was lost.*\[Op:Exp\]/s);
    await expect(first.read(x.dataId, "float32", 3)).rejects.toThrow(/device was lost/);
    const second = (await tf.findBackend("webgpu")) as WebGPUBackend;
    expect(second).not.toBe(first);
    const y = tensor(second, [1, 2, 3], [3]);
    expectEqual(await read(second, wrap(second.kernels.Add!([y, y], {}, { shape: [3], dtype: "float32" }), [3], "float32")), [2, 4, 6]);
    second.dispose();
  });
});

function view(t: T): T {
  return { ...t, shape: [1, ...t.shape] };
}
