/** topK k = 10 of every row of a [64, 10000] float32 matrix (values read back). */
import { randomFloats } from "../data.js";
import type { BenchCase } from "../types.js";
import { readTessera, readTfjs } from "./common.js";

const ROWS = 64;
const COLS = 10000;
const K = 10;

export const sortCases: BenchCase[] = [
  {
    id: "topk-64x10000-k10",
    family: "sort",
    title: "topK k=10 of [64,10000]",
    work: { bytes: ROWS * COLS * 4 },
    tessera({ tf }) {
      const x = tf.constant(randomFloats(ROWS * COLS, 47), { shape: [ROWS, COLS] });
      return {
        run: () => {
          const { values, indices } = tf.math.topK(x, { k: K });
          indices.dispose();
          return readTessera(values);
        },
        dispose: () => x.dispose(),
      };
    },
    tfjs({ tf }) {
      const x = tf.tensor2d(randomFloats(ROWS * COLS, 47), [ROWS, COLS]);
      return {
        run: () => {
          const { values, indices } = tf.topk(x, K, true);
          indices.dispose();
          return readTfjs(values);
        },
        dispose: () => x.dispose(),
      };
    },
  },
];
