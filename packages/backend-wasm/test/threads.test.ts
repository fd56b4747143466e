import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WasmBackend } from "../src/backend.js";
import { backend, dispose, expectClose, expectExact, randoms, run, tensor } from "./helpers.js";

// Sizes are just above the thresholds in src/kernels/thresholds.ts, so the work really is split.
let mt: WasmBackend;
const st = backend();

beforeAll(async () => {
  mt = await WasmBackend.create({ threads: 2 });
});
afterAll(() => mt.dispose());

/** Runs the same kernel on the single- and the two-thread backend. */
function both(name: Parameters<typeof run>[1], inputs: { v: number[]; shape: number[]; dtype: "float32" | "int32" }[], attrs: object,
  shape: number[], dtype: "float32" | "int32" | "bool"): [number[], number[]] {
  const a = inputs.map((i) => tensor(st, i.v, i.shape, i.dtype));
  const c = inputs.map((i) => tensor(mt, i.v, i.shape, i.dtype));
  const r1 = run(st, name, a, attrs, shape, dtype), r2 = run(mt, name, c, attrs, shape, dtype);
  dispose(st, ...a);
  dispose(mt, ...c);
  return [r1, r2];
}

describe("worker threads", () => {
  it("start and report themselves", () => {
    expect(mt.threadCount).toBe(2);
    expect(mt.describe()).toMatch(/2 threads/);
  });

  it("really hands chunks to the worker", () => {
    const pool = mt.threadPoolForTesting!;
    const before = pool.workerChunks;
    const x = tensor(mt, randoms(512 * 512, 20), [1, 512, 512], "float32");
    // On a busy machine the main thread may finish an op before the worker wakes: repeat until it took work.
    for (let i = 0; i < 50 && pool.workerChunks === before; i++) {
      run(mt, "BatchMatMul", [x, x], { transposeA: false, transposeB: false }, [1, 512, 512], "float32");
    }
    expect(pool.workerChunks).toBeGreaterThan(before);
    dispose(mt, x);
  });

  it("matmul split across threads gives the single-thread result bit for bit", () => {
    const [M, N, K] = [150, 120, 100];
    const x = { v: randoms(M * K, 1), shape: [1, M, K], dtype: "float32" as const };
    const y = { v: randoms(K * N, 2), shape: [1, N, K], dtype: "float32" as const };
    const [r1, r2] = both("BatchMatMul", [x, y], { transposeA: false, transposeB: true }, [1, M, N], "float32");
    expectExact(r2, r1);
  });

  it("conv2d and its gradients split across threads", () => {
    const x = { v: randoms(4 * 16 * 16 * 8, 3), shape: [4, 16, 16, 8], dtype: "float32" as const };
    const f = { v: randoms(3 * 3 * 8 * 16, 4), shape: [3, 3, 8, 16], dtype: "float32" as const };
    const attrs = { strides: [1, 1], dilations: [1, 1], padTop: 1, padLeft: 1 };
    const [c1, c2] = both("Conv2D", [x, f], attrs, [4, 16, 16, 16], "float32");
    expectExact(c2, c1);
    const dy = { v: randoms(4 * 16 * 16 * 16, 5), shape: [4, 16, 16, 16], dtype: "float32" as const };
    const [i1, i2] = both("Conv2DBackpropInput", [dy, f], attrs, [4, 16, 16, 8], "float32");
    expectExact(i2, i1);
    const [f1, f2] = both("Conv2DBackpropFilter", [x, dy], attrs, [3, 3, 8, 16], "float32");
    expectExact(f2, f1);
    // Winograd (3x3, unit strides, enough channels): blocks of tiles on both threads.
    const xw = { v: randoms(4 * 16 * 16 * 16, 15), shape: [4, 16, 16, 16], dtype: "float32" as const };
    const fw = { v: randoms(3 * 3 * 16 * 32, 16), shape: [3, 3, 16, 32], dtype: "float32" as const };
    const [w1, w2] = both("Conv2D", [xw, fw], attrs, [4, 16, 16, 32], "float32");
    expectExact(w2, w1);
  });

  it("elementwise, broadcasting and unary ops split across threads", () => {
    const n = 300_001;
    const a = { v: randoms(n, 6), shape: [n], dtype: "float32" as const };
    const c = { v: randoms(n, 7), shape: [n], dtype: "float32" as const };
    const [s1, s2] = both("Add", [a, c], {}, [n], "float32");
    expectExact(s2, s1);
    const [g1, g2] = both("Greater", [a, c], {}, [n], "bool");
    expectExact(g2, g1);
    const [e1, e2] = both("Exp", [a], {}, [n], "float32");
    expectExact(e2, e1);
    const m = { v: randoms(700 * 500, 8), shape: [700, 500], dtype: "float32" as const };
    const row = { v: randoms(500, 9), shape: [1, 500], dtype: "float32" as const };
    const [b1, b2] = both("Mul", [m, row], {}, [700, 500], "float32");
    expectExact(b2, b1);
  });

  it("reductions split across threads (one long row uses per-thread partial sums)", () => {
    const n = 1 << 20;
    const x = { v: randoms(n, 10), shape: [1, n, 1], dtype: "float32" as const };
    const [s1, s2] = both("Sum", [x], {}, [1, 1], "float32");
    expectClose(s2, s1, 1e-6, 1e-3);
    const [m1, m2] = both("Max", [x], {}, [1, 1], "float32");
    expectExact(m2, m1);
    const xi = { v: randoms(n, 11).map((v) => Math.round(v * 1e6)), shape: [1, n, 1], dtype: "int32" as const };
    const [i1, i2] = both("Sum", [xi], {}, [1, 1], "int32");
    expectExact(i2, i1);
    const cols = { v: randoms(600 * 700, 12), shape: [1, 600, 700], dtype: "float32" as const };
    const [c1, c2] = both("Sum", [cols], {}, [1, 700], "float32");
    expectExact(c2, c1);
  });

  it("transpose and pooling split across threads", () => {
    const x = { v: randoms(8 * 300 * 200, 13), shape: [8, 300, 200], dtype: "float32" as const };
    const [t1, t2] = both("Transpose", [x], { perm: [0, 2, 1] }, [8, 200, 300], "float32");
    expectExact(t2, t1);
    const img = { v: randoms(8 * 64 * 64 * 16, 14), shape: [8, 64, 64, 16], dtype: "float32" as const };
    const attrs = { ksize: [2, 2], strides: [2, 2], padTop: 0, padLeft: 0 };
    const [p1, p2] = both("MaxPool", [img], attrs, [8, 32, 32, 16], "float32");
    expectExact(p2, p1);
  });
});

describe("a worker that dies", () => {
  it("while idle: is reported, and the backend continues on one thread", async () => {
    const b = await WasmBackend.create({ threads: 2 });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    b.threadPoolForTesting!.terminateWorker(1);
    await vi.waitFor(() => expect(b.threadCount).toBe(1), { timeout: 5000 });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/worker 1 .*one thread/));
    expect(b.threadsReason).toMatch(/worker 1/);
    const n = 200_000;
    const x = tensor(b, randoms(n, 1), [n], "float32");
    expect(run(b, "Add", [x, x], {}, [n], "float32")).toHaveLength(n);
    warn.mockRestore();
    b.dispose();
  });

  it("while holding work: the op still completes correctly, then one thread", async () => {
    const b = await WasmBackend.create({ threads: 2 });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const [M, N, K] = [1024, 256, 256]; // long enough that the worker surely claims a chunk
    const av = randoms(M * K, 2), bv = randoms(K * N, 3);
    const A = tensor(b, av, [1, M, K], "float32"), B = tensor(b, bv, [1, K, N], "float32");
    const A1 = tensor(st, av, [1, M, K], "float32"), B1 = tensor(st, bv, [1, K, N], "float32");
    const want = run(st, "BatchMatMul", [A1, B1], { transposeA: false, transposeB: false }, [1, M, N], "float32");
    b.threadPoolForTesting!.killOnNextChunk(1);
    // On a busy machine the main thread may finish an op before the worker wakes: repeat until it took work.
    for (let i = 0; i < 50 && b.threadCount === 2; i++) {
      expectExact(run(b, "BatchMatMul", [A, B], { transposeA: false, transposeB: false }, [1, M, N], "float32"), want);
    }
    expect(b.threadCount).toBe(1);
    expect(warn).toHaveBeenCalled();
    expect(run(b, "BatchMatMul", [A, B], { transposeA: false, transposeB: false }, [1, M, N], "float32")).toEqual(want);
    dispose(st, A1, B1);
    warn.mockRestore();
    b.dispose();
  });
});
