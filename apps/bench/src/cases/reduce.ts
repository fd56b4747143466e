/** Full reduction of 16M floats to a scalar. */
import { randomFloats } from "../data.js";
import type { BenchCase } from "../types.js";
import { readTessera, readTfjs } from "./common.js";

const N = 1 << 24;

export const reduceCases: BenchCase[] = [
  {
    id: "sum-16m",
    family: "reduce",
    title: "reduceSum 16M → scalar",
    work: { bytes: N * 4 },
    tessera({ tf }) {
      const x = tf.constant(randomFloats(N, 31), { shape: [N] });
      return { run: () => readTessera(tf.reduceSum(x)), dispose: () => x.dispose() };
    },
    tfjs({ tf }) {
      const x = tf.tensor1d(randomFloats(N, 31));
      return { run: () => readTfjs(tf.sum(x)), dispose: () => x.dispose() };
    },
  },
];
