/** conv2d NHWC [8,32,32,16] with HWIO [3,3,16,32] filters, stride 1, SAME padding. */
import { randomFloats } from "../data.js";
import type { BenchCase } from "../types.js";
import { readTessera, readTfjs } from "./common.js";

const X = [8, 32, 32, 16] as const;
const F = [3, 3, 16, 32] as const;
const xSize = X[0] * X[1] * X[2] * X[3];
const fSize = F[0] * F[1] * F[2] * F[3];

export const convCases: BenchCase[] = [
  {
    id: "conv2d",
    family: "conv",
    title: "conv2d [8,32,32,16]×[3,3,16,32] SAME",
    // Output N·H·W·Cout, each a dot product of KH·KW·Cin.
    work: { flops: 2 * X[0] * X[1] * X[2] * F[3] * F[0] * F[1] * F[2] },
    threaded: true,
    tessera({ tf }) {
      const x = tf.constant(randomFloats(xSize, 41), { shape: [...X] });
      const f = tf.constant(randomFloats(fSize, 42, 0.25), { shape: [...F] });
      return { run: () => readTessera(tf.nn.conv2d(x, f, 1, "SAME")), dispose: () => tf.dispose([x, f]) };
    },
    tfjs({ tf }) {
      const x = tf.tensor4d(randomFloats(xSize, 41), [...X]);
      const f = tf.tensor4d(randomFloats(fSize, 42, 0.25), [...F]);
      return { run: () => readTfjs(tf.conv2d(x, f, 1, "same")), dispose: () => tf.dispose([x, f]) };
    },
  },
];
