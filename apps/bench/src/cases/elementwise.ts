/** Memory-bound elementwise adds: same-shape 1M and 16M, and a broadcast [1000,1000] + [1000]. */
import { randomFloats } from "../data.js";
import type { BenchCase } from "../types.js";
import { readTessera, readTfjs } from "./common.js";

function addCase(id: string, title: string, shapeA: number[], shapeB: number[]): BenchCase {
  const sizeA = shapeA.reduce((p, d) => p * d, 1);
  const sizeB = shapeB.reduce((p, d) => p * d, 1);
  return {
    id,
    family: "elementwise",
    title,
    // Read both inputs, write the output (float32).
    work: { bytes: (sizeA + sizeB + Math.max(sizeA, sizeB)) * 4 },
    tessera({ tf }) {
      const a = tf.constant(randomFloats(sizeA, 21), { shape: shapeA });
      const b = tf.constant(randomFloats(sizeB, 22), { shape: shapeB });
      return { run: () => readTessera(tf.add(a, b)), dispose: () => tf.dispose([a, b]) };
    },
    tfjs({ tf }) {
      const a = tf.tensor(randomFloats(sizeA, 21), shapeA);
      const b = tf.tensor(randomFloats(sizeB, 22), shapeB);
      return { run: () => readTfjs(tf.add(a, b)), dispose: () => tf.dispose([a, b]) };
    },
  };
}

export const elementwiseCases: BenchCase[] = [
  addCase("add-1m", "add 1M + 1M", [1 << 20], [1 << 20]),
  addCase("add-16m", "add 16M + 16M", [1 << 24], [1 << 24]),
  addCase("broadcast-add", "add [1000,1000] + [1000]", [1000, 1000], [1000]),
];
