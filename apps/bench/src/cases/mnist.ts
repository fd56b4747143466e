/**
 * A full epoch of the MNIST MLP (784-128-10, Adam, batch 64) with Keras fit, on the real digits of
 * the `mnist` package: 10,000 digits, a seeded shuffle, 8,000 to train and 2,000 to test (--quick
 * trains on the first 2,000 only). After the timed epochs both models are scored on the test set,
 * which shows the training really happened.
 */
import { createRequire } from "node:module";
import { permutation } from "../data.js";
import type { BenchCase, Output } from "../types.js";
import { mlpInit, mlpStepFlops, tesseraKerasMlp, tfjsLayersMlp } from "./mlp.js";
import { historyLoss } from "./training.js";

const MLP = [784, 128, 10];
const BATCH = 64;
const TRAIN = 8_000;
const TEST = 2_000;
/** Training digits per epoch under --quick: tfjs-backend-cpu needs ~10 s for a full epoch here. */
const QUICK_TRAIN = 2_000;

interface MnistDigit {
  raw: number[];
  length: number;
}

export interface MnistSet {
  xTrain: Float32Array;
  yTrain: Int32Array;
  xTest: Float32Array;
  yTest: Int32Array;
}

let cached: MnistSet | undefined;

/** The 10,000 digits, shuffled with a fixed seed: the first 8,000 train, the last 2,000 test. */
export function loadMnist(): MnistSet {
  if (cached) return cached;
  const digits = createRequire(import.meta.url)("mnist") as MnistDigit[];
  const images: Float32Array[] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    const { raw, length } = digits[d]!;
    for (let i = 0; i < length; i++) {
      images.push(Float32Array.from(raw.slice(i * 784, (i + 1) * 784)));
      labels.push(d);
    }
  }
  const order = permutation(images.length, 2024);
  const pick = (from: number, count: number) => {
    const x = new Float32Array(count * 784);
    const y = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      x.set(images[order[from + i]!]!, i * 784);
      y[i] = labels[order[from + i]!]!;
    }
    return { x, y };
  };
  const train = pick(0, TRAIN);
  const test = pick(images.length - TEST, TEST);
  cached = { xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y };
  return cached;
}

function accuracy(predicted: Output, labels: Int32Array): string {
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++;
  return `${((100 * right) / labels.length).toFixed(1)} %`;
}

export function mnistCases(quick: boolean): BenchCase[] {
  const train = quick ? QUICK_TRAIN : TRAIN;
  return [
    {
      id: "mnist-epoch",
      family: "mnist",
      title: `MNIST MLP epoch (${train} digits, batch ${BATCH}, fit)`,
      work: { flops: mlpStepFlops(MLP, BATCH) * Math.ceil(train / BATCH) },
      // Later epochs see a trained model: losses drift apart a little between libraries.
      tolerance: 2e-2,
      // An epoch is long enough to warm itself up; --quick times a single one per library.
      plan: { quick: { warmup: 0, min: 1, max: 1, budgetMs: 0 }, full: { warmup: 1, min: 5, max: 10, budgetMs: 30_000 } },
      tessera(lib) {
        const { tf } = lib;
        const model = tesseraKerasMlp(lib, MLP, mlpInit(MLP, 5));
        const data = loadMnist();
        const x = tf.constant(data.xTrain.subarray(0, train * 784), { shape: [train, 784] });
        const y = tf.constant(data.yTrain.subarray(0, train), { shape: [train], dtype: "int32" });
        let epochs = 0;
        return {
          async run() {
            const h = await model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
            epochs++;
            return historyLoss(h.history);
          },
          async note() {
            const xt = tf.constant(data.xTest, { shape: [TEST, 784] });
            const probs = model.predict(xt);
            const predicted = tf.argmax(probs, 1);
            const values = (await predicted.data()) as Output;
            tf.dispose([xt, probs, predicted]);
            return `Tessera test accuracy after ${epochs} epoch${epochs === 1 ? "" : "s"}: ${accuracy(values, data.yTest)}`;
          },
          dispose: () => {
            tf.dispose(model.variables);
            tf.dispose([x, y]);
          },
        };
      },
      async tfjs(lib) {
        const { tf } = lib;
        const model = await tfjsLayersMlp(lib, MLP, mlpInit(MLP, 5));
        const data = loadMnist();
        const x = tf.tensor2d(data.xTrain.subarray(0, train * 784), [train, 784]);
        const y = tf.tensor1d(Float32Array.from(data.yTrain.subarray(0, train)));
        let epochs = 0;
        return {
          async run() {
            const h = await model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
            epochs++;
            return historyLoss(h.history as Record<string, number[]>);
          },
          async note() {
            const predicted = tf.tidy(() => tf.argMax(model.predict(tf.tensor2d(data.xTest, [TEST, 784])) as ReturnType<typeof tf.tensor2d>, 1));
            const values = await predicted.data();
            predicted.dispose();
            return `TF.js test accuracy after ${epochs} epoch${epochs === 1 ? "" : "s"}: ${accuracy(values, data.yTest)}`;
          },
          dispose: () => {
            model.dispose();
            tf.dispose([x, y]);
          },
        };
      },
    },
  ];
}
