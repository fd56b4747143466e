import { describe, expect, it } from "vitest";
import { ResourceExhaustedError } from "@tessera/core/kernel";
import type { DType } from "@tessera/core/kernel";
import { WasmBackend } from "../src/backend.js";
import { backend, dispose, randomInts, rng, run, tensor } from "./helpers.js";

describe("buffers", () => {
  const b = backend();

  it("round-trips every dtype through write, readSync and read", async () => {
    const cases: [DType, ArrayLike<number> | string[]][] = [
      ["bool", Uint8Array.from([1, 0, 1])],
      ["int32", Int32Array.from([-2147483648, 0, 2147483647])],
      ["float32", Float32Array.from([1.5, NaN, -Infinity])],
      ["float64", Float64Array.from([Math.PI, -0, 1e300])],
      ["complex64", Float32Array.from([1, 2, 3, 4, 5, 6])],
      ["string", ["a", "", "ü"]],
    ];
    for (const [dtype, values] of cases) {
      const id = b.write(values as never, [3], dtype);
      expect(Array.from(b.readSync(id, dtype, 3) as ArrayLike<unknown>)).toEqual(Array.from(values as ArrayLike<unknown>));
      expect(Array.from((await b.read(id, dtype, 3)) as ArrayLike<unknown>)).toEqual(Array.from(values as ArrayLike<unknown>));
      b.disposeData(id);
    }
  });

  it("returns copies the caller owns", () => {
    const id = b.write(Float32Array.from([1, 2]), [2], "float32");
    const r = b.readSync(id, "float32", 2) as Float32Array;
    r[0] = 99;
    expect(Array.from(b.readSync(id, "float32", 2) as Float32Array)).toEqual([1, 2]);
    b.disposeData(id);
  });

  it("stores bools as 0/1", () => {
    const id = b.write(Uint8Array.from([0, 2, 255]), [3], "bool");
    expect(Array.from(b.readSync(id, "bool", 3) as Uint8Array)).toEqual([0, 1, 1]);
    b.disposeData(id);
  });

  it("accounts bytes held and returns to the baseline after disposal", () => {
    const base = b.memory().numBytesInBackend;
    const x = tensor(b, new Float32Array(1000), [1000], "float32");
    const y = tensor(b, new Float64Array(10), [10], "float64");
    expect(b.memory().numBytesInBackend).toBe(base + 4000 + 80);
    dispose(b, x, y);
    expect(b.memory().numBytesInBackend).toBe(base);
  });

  it("refuses to read disposed data", () => {
    const id = b.write(Float32Array.from([1]), [1], "float32");
    b.disposeData(id);
    expect(() => b.readSync(id, "float32", 1)).toThrow(/disposed/);
  });
});

describe("allocator", () => {
  it("reuses freed blocks: a steady loop does not grow wasm memory", () => {
    const b = WasmBackend.createSync({ threads: 1 });
    const step = () => {
      const x = tensor(b, new Float32Array(50000), [50000], "float32");
      const y = tensor(b, new Float32Array(50000), [50000], "float32");
      const out = run(b, "Add", [x, y], {}, [50000], "float32");
      dispose(b, x, y);
      return out.length;
    };
    for (let i = 0; i < 5; i++) step();
    const size = b.memory().wasmMemoryBytes as number;
    for (let i = 0; i < 200; i++) step();
    expect(b.memory().wasmMemoryBytes).toBe(size);
    expect(b.exports.checkHeap()).toBe(0);
    b.dispose();
  });

  it("keeps its invariants under random allocation and freeing (coalescing, splitting, growth)", () => {
    const b = WasmBackend.createSync({ threads: 1 });
    const r = rng(42);
    const live: object[] = [];
    const base = b.memory().numBytesInBackend;
    let expected = 0;
    const sizes = new Map<object, number>();
    for (let i = 0; i < 3000; i++) {
      if (live.length > 0 && r() < 0.45) {
        const k = Math.floor(r() * live.length);
        const id = live.splice(k, 1)[0]!;
        expected -= sizes.get(id)!;
        b.disposeData(id);
      } else {
        const n = r() < 0.1 ? 1 + Math.floor(r() * 300000) : 1 + Math.floor(r() * 2000);
        const id = b.write(new Uint8Array(n), [n], "bool");
        sizes.set(id, Math.max(16, Math.ceil(n / 16) * 16));
        expected += sizes.get(id)!;
        live.push(id);
      }
      if (i % 100 === 0) expect(b.exports.checkHeap()).toBe(0);
    }
    // Blocks are 16-byte multiples; a remainder too small to split stays with its block.
    const held = b.memory().numBytesInBackend - base;
    expect(held).toBeGreaterThanOrEqual(expected);
    expect(held).toBeLessThanOrEqual(expected + 32 * live.length);
    for (const id of live) b.disposeData(id);
    expect(b.memory().numBytesInBackend).toBe(base);
    expect(b.exports.checkHeap()).toBe(0);
    // Everything coalesced: one block as large as everything the loop used fits without growth.
    const size = b.memory().wasmMemoryBytes as number;
    const big = b.write(new Uint8Array(size / 2), [size / 2], "bool");
    expect(b.memory().wasmMemoryBytes).toBe(size);
    b.disposeData(big);
    b.dispose();
  });
});

describe("out of memory", () => {
  it("throws ResourceExhaustedError for a tensor beyond the memory limit and stays usable", () => {
    const b = WasmBackend.createSync({ threads: 1, maxMemoryMB: 32 });
    const keep = tensor(b, [1, 2, 3], [3], "float32");
    const before = b.memory().numBytesInBackend;
    expect(() => b.write(new Float32Array(10_000_000), [10_000_000], "float32")).toThrow(ResourceExhaustedError);
    expect(() => b.write(new Float32Array(10_000_000), [10_000_000], "float32")).toThrow(/40000000 bytes/);
    // A kernel whose output cannot fit names the op.
    expect(() => run(b, "Tile", [keep], { reps: [4_000_000] }, [12_000_000], "float32")).toThrow(/Tile/);
    expect(b.memory().numBytesInBackend).toBe(before);
    expect(run(b, "Add", [keep, keep], {}, [3], "float32")).toEqual([2, 4, 6]);
    expect(b.exports.checkHeap()).toBe(0);
    dispose(b, keep);
    b.dispose();
  });

  it("frees a kernel's output when a later allocation in the kernel fails", () => {
    const b = WasmBackend.createSync({ threads: 1, maxMemoryMB: 64 });
    const [K, N] = [3000, 2000]; // B is 24 MB; its packed copy needs 24 MB more
    const B1 = tensor(b, new Float32Array(K * N), [1, K, N], "float32");
    const B2 = tensor(b, new Float32Array(K * N), [1, K, N], "float32");
    const A = tensor(b, new Float32Array(K), [1, 1, K], "float32");
    const before = b.memory().numBytesInBackend;
    expect(() => run(b, "BatchMatMul", [A, B1], { transposeA: false, transposeB: false }, [1, 1, N], "float32"))
      .toThrow(ResourceExhaustedError);
    expect(b.memory().numBytesInBackend).toBe(before);
    dispose(b, B2);
    expect(run(b, "BatchMatMul", [A, B1], { transposeA: false, transposeB: false }, [1, 1, N], "float32")).toHaveLength(N);
    dispose(b, A, B1);
    b.dispose();
  });

  it("rejects a tensor larger than wasm32 memory can ever hold", () => {
    const b = WasmBackend.createSync({ threads: 1 });
    const fill = b.kernels.Fill!;
    expect(() => fill([], { value: 1 }, { shape: [1 << 30, 2], dtype: "float32" })).toThrow(ResourceExhaustedError);
    expect(randomInts(3, 1, 0, 10)).toHaveLength(3);
    expect(run(b, "Neg", [tensor(b, [1], [1], "int32")], {}, [1], "int32")).toEqual([-1]);
    b.dispose();
  });
});
