/**
 * The real handwritten digits of the `mnist` package (10,000 of them, about 1,000 per class, 784
 * pixels in [0, 1] each), shuffled with a seeded `tf.random.permutation` (after `tf.random.setSeed`): the first 8,000 train, the
 * last 2,000 test. Loaded once and shared by the MNIST sections.
 */
import { createRequire } from "node:module";
import * as tf from "@tessera/tf";

/** What the `mnist` package exports per digit: the raw pixels of all its samples. */
interface MnistDigit {
  raw: number[];
  length: number;
}

/** Train/test tensors: images `[n, 784]` float32, labels `[n]` int32. */
export interface MnistData {
  xTrain: tf.Tensor;
  yTrain: tf.Tensor;
  xTest: tf.Tensor;
  yTest: tf.Tensor;
}

export const TRAIN = 8000;
export const TEST = 2000;
/** Seed of the train/test split (and of each model's initial weights). */
export const SEED = 42;

let cached: MnistData | null = null;

/** The seeded split (made once). */
export function mnist(): MnistData {
  if (cached) return cached;
  const digits = createRequire(import.meta.url)("mnist") as MnistDigit[];
  const total = digits.slice(0, 10).reduce((n, d) => n + d.length, 0);
  const pixels = new Float32Array(total * 784);
  const labels = new Int32Array(total);
  let k = 0;
  for (let d = 0; d < 10; d++) {
    const { raw, length } = digits[d]!;
    pixels.set(raw.slice(0, length * 784), k * 784);
    labels.fill(d, k, k + length);
    k += length;
  }
  if (total !== TRAIN + TEST) throw new Error(`expected ${TRAIN + TEST} digits in the mnist package, found ${total}`);
  // setSeed restarts the seeded streams, so the split is the same however often it is made.
  tf.random.setSeed(SEED);
  cached = tf.tidy(() => {
    const order = tf.random.permutation(total, { seed: SEED });
    const x = tf.gather(tf.constant(pixels, { shape: [total, 784] }), order);
    const y = tf.gather(tf.constant(labels), order);
    return {
      xTrain: tf.slice(x, [0, 0], [TRAIN, 784]),
      yTrain: tf.slice(y, [0], [TRAIN]),
      xTest: tf.slice(x, [TRAIN, 0], [TEST, 784]),
      yTest: tf.slice(y, [TRAIN], [TEST]),
    };
  });
  return cached;
}

/** Frees the data set. */
export function disposeMnist(): void {
  if (cached) tf.dispose([cached.xTrain, cached.yTrain, cached.xTest, cached.yTest]);
  cached = null;
}

/** Loss per epoch of each model trained, for the plot: `{ name, train, test }`. */
export interface LossCurve {
  name: string;
  train: number[];
  test: number[];
  /** Final accuracy on the 2,000 test digits. */
  testAccuracy: number;
  /** Training time in seconds. */
  seconds: number;
}

/** Filled by the training sections, drawn by the plot section. */
export const curves: LossCurve[] = [];

/** Accuracy of `logits` (or probabilities) `[n, 10]` against labels `[n]`. */
export async function accuracy(predictions: tf.Tensor, labels: tf.Tensor): Promise<number> {
  const hits = tf.tidy(() => tf.reduceMean(tf.cast(tf.equal(tf.argmax(predictions, 1), labels), "float32")));
  try {
    return (await hits.data())[0] as number;
  } finally {
    hits.dispose();
  }
}

/** Prints Keras's summary, then compiles as every digit model here trains: Adam 1e-3, cross-entropy from logits, accuracy. */
export function summarizeAndCompile(model: tf.keras.Sequential, log: (line: string) => void): void {
  model.summary({ printFn: (line) => log(line) });
  model.compile({
    optimizer: new tf.keras.optimizers.Adam({ learningRate: 1e-3 }),
    loss: new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    metrics: ["accuracy"],
  });
}
