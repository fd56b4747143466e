/** matmul n×n · n×n, 128 to 1024, plus transposed operands (no copy should be made for them). */
import { randomFloats } from "../data.js";
import type { BenchCase } from "../types.js";
import { readTessera, readTfjs } from "./common.js";

function matmulCase(n: number, transposeA: boolean, transposeB: boolean, skipInQuick = false): BenchCase {
  const suffix = `${transposeA ? "-ta" : ""}${transposeB ? "-tb" : ""}`;
  const operands = transposeA ? "Aᵀ·B" : transposeB ? "A·Bᵀ" : "A·B";
  return {
    id: `matmul-${n}${suffix}`,
    family: "matmul",
    title: `matmul ${n}² ${operands}`,
    work: { flops: 2 * n * n * n },
    threaded: true,
    skipInQuick,
    // Under --quick the 1024² runs are warm from the smaller sizes before them; skip their warm-up.
    ...(n >= 1024 ? { plan: { quick: { warmup: 0 } } } : {}),
    tessera({ tf }) {
      const a = tf.constant(randomFloats(n * n, 11), { shape: [n, n] });
      const b = tf.constant(randomFloats(n * n, 12), { shape: [n, n] });
      return {
        run: () => readTessera(tf.matmul(a, b, { transposeA, transposeB })),
        dispose: () => tf.dispose([a, b]),
      };
    },
    tfjs({ tf }) {
      const a = tf.tensor2d(randomFloats(n * n, 11), [n, n]);
      const b = tf.tensor2d(randomFloats(n * n, 12), [n, n]);
      return {
        run: () => readTfjs(tf.matMul(a, b, transposeA, transposeB)),
        dispose: () => tf.dispose([a, b]),
      };
    },
  };
}

export const matmulCases: BenchCase[] = [
  ...[128, 256, 512, 1024].map((n) => matmulCase(n, false, false)),
  matmulCase(512, true, false),
  matmulCase(512, false, true),
  matmulCase(1024, true, false, true),
  matmulCase(1024, false, true, true),
];
