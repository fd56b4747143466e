import { describe, expect, it } from "vitest";
import { DtypeError } from "@tessera/core/kernel";
import type { DType } from "@tessera/core/kernel";
import { backend, dispose, expectClose, expectExact, randomInts, randoms, run, tensor } from "./helpers.js";

const b = backend();

/** Reference batched matmul in float64 (complex64 values interleaved). */
function refMatmul(a: number[], bv: number[], Ba: number, Bb: number, M: number, N: number, K: number, tA: boolean, tB: boolean,
  complex = false, int = false): number[] {
  const B = Math.max(Ba, Bb);
  const out: number[] = [];
  const s = complex ? 2 : 1;
  for (let p = 0; p < B; p++) {
    const ao = (Ba === 1 ? 0 : p) * M * K, bo = (Bb === 1 ? 0 : p) * K * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let re = 0, im = 0;
        for (let k = 0; k < K; k++) {
          const ai = ao + (tA ? k * M + i : i * K + k), bi = bo + (tB ? j * K + k : k * N + j);
          if (complex) {
            const x = a[s * ai]!, y = a[s * ai + 1]!, u = bv[s * bi]!, v = bv[s * bi + 1]!;
            re += x * u - y * v;
            im += x * v + y * u;
          } else if (int) {
            re = (re + Math.imul(a[ai]!, bv[bi]!)) | 0;
          } else {
            re += a[ai]! * bv[bi]!;
          }
        }
        out.push(re);
        if (complex) out.push(im);
      }
    }
  }
  return out;
}

function check(dtype: DType, Ba: number, Bb: number, M: number, N: number, K: number, tA: boolean, tB: boolean): void {
  const complex = dtype === "complex64", int = dtype === "int32";
  const s = complex ? 2 : 1;
  const seed = M * 1000 + N * 10 + K;
  const av = int ? randomInts(Ba * M * K, seed, -50, 50) : randoms(s * Ba * M * K, seed, -1, 1, dtype !== "float64");
  const bv = int ? randomInts(Bb * K * N, seed + 1, -50, 50) : randoms(s * Bb * K * N, seed + 1, -1, 1, dtype !== "float64");
  const A = tensor(b, av, tA ? [Ba, K, M] : [Ba, M, K], dtype);
  const B = tensor(b, bv, tB ? [Bb, N, K] : [Bb, K, N], dtype);
  const outShape = [Math.max(Ba, Bb), M, N];
  const got = run(b, "BatchMatMul", [A, B], { transposeA: tA, transposeB: tB }, outShape, dtype);
  const want = refMatmul(av, bv, Ba, Bb, M, N, K, tA, tB, complex, int);
  const what = `${dtype} ${Ba}/${Bb}x${M}x${N}x${K} tA=${tA} tB=${tB}`;
  if (int) expectExact(got, want, what);
  else expectClose(got, want, dtype === "float64" ? 1e-12 : 1e-5, dtype === "float64" ? 1e-12 : 2e-5 * Math.sqrt(K), what);
  dispose(b, A, B);
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1], [4, 8, 4], [3, 5, 7], [17, 9, 33], [64, 10, 128], [5, 17, 300], [70, 40, 3], [13, 1, 2], [1, 13, 9],
];

describe("BatchMatMul", () => {
  for (const dtype of ["float32", "float64", "int32"] as const) {
    it(`${dtype}: edge shapes, all four transpose combinations`, () => {
      for (const [M, N, K] of SHAPES) {
        for (const tA of [false, true]) for (const tB of [false, true]) check(dtype, 1, 1, M, N, K, tA, tB);
      }
    });
    it(`${dtype}: batches, with either side broadcast`, () => {
      check(dtype, 3, 3, 6, 10, 5, false, false);
      check(dtype, 1, 4, 9, 7, 12, true, false);
      check(dtype, 4, 1, 9, 7, 12, false, true);
      check(dtype, 2, 2, 67, 19, 260, true, true);
    });
  }

  it("complex64", () => {
    check("complex64", 1, 1, 3, 4, 5, false, false);
    check("complex64", 2, 1, 3, 4, 5, true, true);
    check("complex64", 1, 2, 2, 3, 4, false, true);
  });

  it("spans several K blocks and row blocks (float32 256x300 by 300x72)", () => {
    check("float32", 1, 1, 256, 72, 600, false, false);
    check("float32", 1, 1, 130, 72, 600, true, true);
  });

  it("returns zeros when K = 0 and an empty tensor when M = 0", () => {
    const A = tensor(b, [], [1, 3, 0], "float32"), B = tensor(b, [], [1, 0, 2], "float32");
    expectExact(run(b, "BatchMatMul", [A, B], { transposeA: false, transposeB: false }, [1, 3, 2], "float32"), [0, 0, 0, 0, 0, 0]);
    const C = tensor(b, [], [1, 0, 4], "float32"), D = tensor(b, randoms(8, 1), [1, 4, 2], "float32");
    expect(run(b, "BatchMatMul", [C, D], { transposeA: false, transposeB: false }, [1, 0, 2], "float32")).toEqual([]);
    dispose(b, A, B, C, D);
  });

  it("rejects bool", () => {
    const A = tensor(b, [1], [1, 1, 1], "bool");
    expect(() => run(b, "BatchMatMul", [A, A], { transposeA: false, transposeB: false }, [1, 1, 1], "bool")).toThrow(DtypeError);
    dispose(b, A);
  });
});
