import { afterAll, beforeAll, describe, it } from "vitest";
import type { WebGPUBackend } from "../src/backend.js";
import { expectClose, expectEqual, makeBackend, rand, randInt, read, tensor, wrap } from "./helpers.js";
import { f32, matmulRef } from "./reference.js";

let b: WebGPUBackend;
beforeAll(async () => {
  b = await makeBackend();
});
afterAll(() => b?.dispose());

// [Ba, Bb, M, N, K]: thin (simple kernel), tiled with and without vec4 alignment, ragged edges, batch broadcast.
const CASES: [number, number, number, number, number][] = [
  [1, 1, 1, 1, 1], [1, 1, 1, 5, 3], [1, 1, 7, 3, 9], [1, 1, 64, 64, 64], [1, 1, 65, 67, 33], [1, 1, 128, 96, 256],
  [3, 3, 33, 20, 17], [1, 4, 20, 24, 8], [4, 1, 17, 32, 12], [2, 2, 100, 4, 50], [1, 1, 16, 16, 1], [1, 1, 200, 130, 70],
  // few output tiles, long K: split-K
  [1, 1, 20, 36, 3000],
];

describe("BatchMatMul", () => {
  it("float32 matches a float64 reference for every transpose combination", async () => {
    let seed = 1;
    for (const [Ba, Bb, M, N, K] of CASES) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          const av = rand(Ba * M * K, seed++).map(f32);
          const bv = rand(Bb * K * N, seed++).map(f32);
          const a = tensor(b, av, tA ? [Ba, K, M] : [Ba, M, K]);
          const c = tensor(b, bv, tB ? [Bb, N, K] : [Bb, K, N]);
          const outShape = [Math.max(Ba, Bb), M, N];
          const y = wrap(b.kernels.BatchMatMul!([a, c], { transposeA: tA, transposeB: tB }, { shape: outShape, dtype: "float32" }), outShape, "float32");
          // float32 accumulation error grows with K (the terms are about 1/3 each): scale atol with it.
          expectClose(await read(b, y), matmulRef(av, bv, Ba, Bb, M, N, K, tA, tB), 1e-5, 1e-6 * Math.max(10, K), `[${Ba},${Bb},${M},${N},${K}] tA=${tA} tB=${tB}`);
        }
      }
    }
  });

  it("int32 wraps around", async () => {
    for (const [Ba, Bb, M, N, K] of [[1, 1, 5, 6, 7], [2, 1, 40, 36, 20]] as [number, number, number, number, number][]) {
      for (const tB of [false, true]) {
        const av = randInt(Ba * M * K, 5, -100000, 100000);
        const bv = randInt(Bb * K * N, 6, -100000, 100000);
        const a = tensor(b, av, [Ba, M, K], "int32");
        const c = tensor(b, bv, tB ? [Bb, N, K] : [Bb, K, N], "int32");
        const outShape = [Math.max(Ba, Bb), M, N];
        const y = wrap(b.kernels.BatchMatMul!([a, c], { transposeA: false, transposeB: tB }, { shape: outShape, dtype: "int32" }), outShape, "int32");
        expectEqual(await read(b, y), matmulRef(av, bv, Ba, Bb, M, N, K, false, tB, true), `int32 [${Ba},${Bb},${M},${N},${K}]`);
      }
    }
  });

  it("K = 0 gives zeros and empty outputs work", async () => {
    const a = tensor(b, [], [1, 3, 0]);
    const c = tensor(b, [], [1, 0, 2]);
    const y = wrap(b.kernels.BatchMatMul!([a, c], { transposeA: false, transposeB: false }, { shape: [1, 3, 2], dtype: "float32" }), [1, 3, 2], "float32");
    expectEqual(await read(b, y), [0, 0, 0, 0, 0, 0]);
    const e = tensor(b, [], [1, 0, 4]);
    const f = tensor(b, rand(8, 3), [1, 4, 2]);
    const z = wrap(b.kernels.BatchMatMul!([e, f], { transposeA: false, transposeB: false }, { shape: [1, 0, 2], dtype: "float32" }), [1, 0, 2], "float32");
    expectEqual(await read(b, z), []);
  });
});
