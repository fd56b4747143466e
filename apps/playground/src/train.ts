/**
 * The demo's MNIST MLP (784 → 128 relu → 10, Adam 1e-3, batch 64), trained on the active backend
 * with progress reported per batch and per epoch, yielding to the browser between batches.
 */
import * as tf from "@tessera/core";
import { PIXELS } from "./data.js";
import type { Split } from "./data.js";
import { yieldToBrowser } from "./yield.js";

export const BATCH_SIZE = 64;
const HIDDEN = 128;
const CLASSES = 10;
const LEARNING_RATE = 1e-3;
const SEED = 7;

export interface BatchProgress {
  /** 1-based epoch and batch numbers. */
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  /** Running means over the epoch so far (as Keras logs them). */
  readonly loss: number;
  readonly accuracy: number;
}

export interface EpochResult {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly testLoss: number;
  readonly testAccuracy: number;
}

export interface TrainOptions {
  readonly epochs: number;
  readonly onBatch?: (p: BatchProgress) => void;
  readonly onEpoch?: (r: EpochResult) => void;
}

/** A trained model: its test accuracy and a way to classify one image. */
export interface Trained {
  readonly testAccuracy: number;
  /** The ten class probabilities of one 784-pixel image. */
  predict(image: Float32Array): Promise<Float32Array>;
  dispose(): void;
}

// Until Keras `fit` lands in core, the model is two dense layers' Variables, the step is a
// GradientTape `train_step`, and Adam is applied as Keras applies it.

interface Params {
  readonly w1: tf.Variable;
  readonly b1: tf.Variable;
  readonly w2: tf.Variable;
  readonly b2: tf.Variable;
}

function glorot(fanIn: number, fanOut: number, seed: number): tf.Tensor {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.random.uniform([fanIn, fanOut], { minval: -limit, maxval: limit, seed });
}

function makeParams(): Params {
  const [w1, b1, w2, b2] = tf.tidy(() => [
    new tf.Variable(glorot(PIXELS, HIDDEN, SEED), { name: "dense/kernel" }),
    new tf.Variable(tf.zeros([HIDDEN]), { name: "dense/bias" }),
    new tf.Variable(glorot(HIDDEN, CLASSES, SEED + 1), { name: "dense_1/kernel" }),
    new tf.Variable(tf.zeros([CLASSES]), { name: "dense_1/bias" }),
  ]);
  return { w1: w1!, b1: b1!, w2: w2!, b2: b2! };
}

/** The MLP's logits for a batch of images. */
function logitsOf(p: Params, x: tf.Tensor): tf.Tensor {
  const hidden = tf.relu(tf.add(tf.matmul(x, p.w1), p.b1));
  return tf.add(tf.matmul(hidden, p.w2), p.b2);
}

/** The fraction of rows whose largest logit is at the label. */
function accuracyOf(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  return tf.reduceMean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), "float32"));
}

/** Mean loss and accuracy of `logits` against integer `labels`, as two scalars. */
function lossAndAccuracy(logits: tf.Tensor, labels: tf.Tensor): [tf.Tensor, tf.Tensor] {
  return [tf.reduceMean(tf.nn.sparseSoftmaxCrossEntropyWithLogits(labels, logits)), accuracyOf(logits, labels)];
}

class Adam {
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private t = 0;
  constructor(private readonly vars: tf.Variable[], private readonly lr: number) {
    this.m = vars.map((w) => new tf.Variable(tf.zerosLike(w), { trainable: false }));
    this.v = vars.map((w) => new tf.Variable(tf.zerosLike(w), { trainable: false }));
  }

  apply(grads: tf.Tensor[]): void {
    this.t += 1;
    const b1 = 0.9, b2 = 0.999, eps = 1e-7;
    const lrT = (this.lr * Math.sqrt(1 - b2 ** this.t)) / (1 - b1 ** this.t);
    tf.tidy(() => {
      grads.forEach((g, i) => {
        const m = this.m[i]!, v = this.v[i]!;
        m.assign(tf.add(tf.multiply(m, b1), tf.multiply(g, 1 - b1)));
        v.assign(tf.add(tf.multiply(v, b2), tf.multiply(tf.square(g), 1 - b2)));
        this.vars[i]!.assignSub(tf.divide(tf.multiply(m, lrT), tf.add(tf.sqrt(v), eps)));
      });
    });
  }

  dispose(): void {
    for (const x of [...this.m, ...this.v]) x.dispose();
  }
}

/** One step on a batch; returns the batch's loss and accuracy scalars (the caller disposes them). */
function trainStep(p: Params, opt: Adam, x: tf.Tensor, y: tf.Tensor): [tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const tape = new tf.GradientTape();
    const { logits, loss } = tape.record(() => {
      const logits = logitsOf(p, x);
      return { logits, loss: tf.reduceMean(tf.nn.sparseSoftmaxCrossEntropyWithLogits(y, logits)) };
    });
    const grads = tape.gradient(loss, [p.w1, p.b1, p.w2, p.b2]);
    opt.apply(grads.map((g, i) => {
      if (!g) throw new Error(`No gradient reached variable ${i} of the MLP`);
      return g;
    }));
    return [loss, accuracyOf(logits, y)];
  });
}

async function scalars(ts: tf.Tensor[]): Promise<number[]> {
  const values = await Promise.all(ts.map((t) => t.data()));
  for (const t of ts) t.dispose();
  return values.map((v) => Number(v[0]));
}

/** Trains the MLP on `split` and evaluates it on the test set after every epoch. */
export async function trainMlp(split: Split, options: TrainOptions): Promise<Trained> {
  const params = makeParams();
  const vars = [params.w1, params.b1, params.w2, params.b2];
  const opt = new Adam(vars, LEARNING_RATE);
  const n = split.xTrain.shape[0]!;
  const batches = Math.ceil(n / BATCH_SIZE);
  let testAccuracy = NaN;
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const order = tf.random.permutation(n, { seed: SEED + epoch });
      let lossSum = 0, accSum = 0, seen = 0;
      try {
        for (let b = 0; b < batches; b++) {
          const size = Math.min(BATCH_SIZE, n - b * BATCH_SIZE);
          const [x, y] = tf.tidy(() => {
            const idx = tf.slice(order, [b * BATCH_SIZE], [size]);
            return [tf.gather(split.xTrain, idx), tf.gather(split.yTrain, idx)];
          });
          const [loss, acc] = await scalars(trainStep(params, opt, x, y));
          x.dispose();
          y.dispose();
          if (!Number.isFinite(loss)) throw new Error(`The loss became ${loss} at epoch ${epoch}, batch ${b + 1}`);
          lossSum += loss * size;
          accSum += acc * size;
          seen += size;
          options.onBatch?.({ epoch, batch: b + 1, batches, loss: lossSum / seen, accuracy: accSum / seen });
          await yieldToBrowser();
        }
      } finally {
        order.dispose();
      }
      const [testLoss, testAcc] = await scalars(tf.tidy(() => lossAndAccuracy(logitsOf(params, split.xTest), split.yTest)));
      testAccuracy = testAcc;
      options.onEpoch?.({ epoch, loss: lossSum / seen, accuracy: accSum / seen, testLoss, testAccuracy: testAcc });
      await yieldToBrowser();
    }
  } catch (err) {
    opt.dispose();
    for (const v of vars) v.dispose();
    throw err;
  }
  opt.dispose();
  return {
    testAccuracy,
    async predict(image: Float32Array): Promise<Float32Array> {
      const probs = tf.tidy(() => tf.nn.softmax(logitsOf(params, tf.constant(image, { shape: [1, PIXELS] }))));
      const values = await probs.data();
      probs.dispose();
      return Float32Array.from(values as Float32Array);
    },
    dispose(): void {
      for (const v of vars) v.dispose();
    },
  };
}
