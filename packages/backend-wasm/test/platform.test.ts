import { afterEach, describe, expect, it, vi } from "vitest";
import { listBackends } from "@tessera/core";
import { NotImplementedError } from "@tessera/core/kernel";
import { WasmBackend } from "../src/backend.js";
import "../src/index.js";

afterEach(() => vi.restoreAllMocks());

describe("platform detection", () => {
  it("refuses to start without WebAssembly SIMD, saying so", () => {
    vi.spyOn(WebAssembly, "validate").mockReturnValue(false);
    expect(() => WasmBackend.createSync()).toThrow(NotImplementedError);
    expect(() => WasmBackend.createSync()).toThrow(/WebAssembly SIMD/);
  });

  it("uses plain SIMD when relaxed SIMD is turned off", () => {
    const b = WasmBackend.createSync({ threads: 1, relaxedSimd: false });
    expect(b.binary).toBe("tessera-simd");
    expect(b.describe()).toMatch(/^wasm \(SIMD, 1 thread\)/);
    b.dispose();
  });

  it("registers itself as 'wasm' when imported", () => {
    expect(listBackends()).toContain("wasm");
  });

  it("reports what it holds and how many threads run", async () => {
    const b = await WasmBackend.create({ threads: 2 });
    expect(b.threadCount).toBe(2);
    expect(b.memory()).toMatchObject({ numBytesInBackend: 0, threads: 2 });
    const x = { dataId: b.write(new Float32Array(1), [1], "float32"), shape: [1], dtype: "float32" as const };
    b.dispose();
    expect(() => b.kernels.Neg!([x], {}, { shape: [1], dtype: "float32" })).toThrow(/disposed/);
  });
});
