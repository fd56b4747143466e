/** BatchMatMul (assembly/gemm.ts + assembly/matmul.ts); transposes are absorbed by the packers. */
import { sizeFromShape } from "@tessera/core/kernel";
import type { Kernels } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";
import { A_MATMUL, B_PLAIN, B_TRANSPOSED, runGemm } from "./gemm.js";
import { fillZero } from "./fill.js";
import { GEMM_PARALLEL } from "./thresholds.js";

export function matmulKernels(b: WasmBackend): Pick<Kernels, "BatchMatMul"> {
  return {
    BatchMatMul: ([x, y], { transposeA, transposeB }, spec) => {
      const dtype = x.dtype;
      if (dtype !== "float32" && dtype !== "float64" && dtype !== "int32" && dtype !== "complex64") b.unsupported("BatchMatMul", dtype);
      const [batches, M, N] = spec.shape as [number, number, number];
      const Ba = x.shape[0]!, Bb = y.shape[0]!;
      const K = transposeA ? x.shape[1]! : x.shape[2]!;
      const o = b.output(spec);
      if (sizeFromShape(spec.shape) === 0) return o;
      if (K === 0) {
        fillZero(b, o.ptr, spec.dtype, sizeFromShape(spec.shape));
        return o;
      }
      if (dtype === "complex64") {
        b.setInts(1, [M, N, K, b.ptr(x), b.ptr(y), o.ptr, 0, Ba === 1 ? 0 : M * K, Bb === 1 ? 0 : K * N, 0,
          transposeA ? 1 : 0, transposeB ? 1 : 0]);
        const work = batches * M * N * K * 4;
        b.run("matmul_c64_run", batches * M, { work, threshold: GEMM_PARALLEL });
        return o;
      }
      runGemm(b, {
        dtype, aMode: A_MATMUL, bMode: transposeB ? B_TRANSPOSED : B_PLAIN, M, N, K, batches,
        a: b.ptr(x), aBatchStride: Ba === 1 ? 0 : M * K, transA: transposeA,
        b: b.ptr(y), bBatches: Bb, bBatchStride: K * N,
        c: o.ptr, cBatchStride: M * N, ldc: N,
      });
      return o;
    },
  };
}
