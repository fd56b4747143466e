/**
 * The demo's MNIST MLP (784 → 128 relu → 10 logits, Adam 1e-3, batch 64) in Keras, trained with
 * `model.fit` on the active backend. `fit` yields to the event loop during training, so the page
 * stays responsive; its callbacks feed the progress per batch and the test values per epoch.
 */
import * as tf from "@tessera/core";
import { PIXELS } from "./data.js";
import type { Split } from "./data.js";

export const BATCH_SIZE = 64;
const HIDDEN = 128;
const CLASSES = 10;
const LEARNING_RATE = 1e-3;

export interface BatchProgress {
  /** 1-based epoch and batch numbers. */
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  /** Means over the epoch so far, as Keras logs them. */
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

function logValue(logs: Record<string, number>, key: string): number {
  const v = logs[key];
  if (typeof v !== "number") throw new Error(`Keras logs have no '${key}' (got ${Object.keys(logs).join(", ") || "nothing"})`);
  if (!Number.isFinite(v)) throw new Error(`Training diverged: ${key} became ${v}`);
  return v;
}

/**
 * Builds the MLP, trains it on `split` and evaluates it on the test set after every epoch. Initial
 * weights and batch order come from the global seed sequence, which `split` has just set.
 */
export async function trainMlp(split: Split, options: TrainOptions): Promise<Trained> {
  const model = new tf.keras.Sequential([
    new tf.keras.layers.Dense(HIDDEN, { activation: "relu", inputShape: [PIXELS] }),
    new tf.keras.layers.Dense(CLASSES),
  ]);
  const optimizer = new tf.keras.optimizers.Adam({ learningRate: LEARNING_RATE });
  const release = (): void => {
    model.dispose();
    optimizer.dispose();
  };
  try {
    model.compile({
      optimizer,
      loss: new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      metrics: ["accuracy"],
    });
    const batches = Math.ceil(split.xTrain.shape[0]! / BATCH_SIZE);
    let epoch = 0;
    await model.fit(split.xTrain, split.yTrain, {
      epochs: options.epochs,
      batchSize: BATCH_SIZE,
      validationData: [split.xTest, split.yTest],
      verbose: 0,
      callbacks: [
        {
          onEpochBegin: (e) => {
            epoch = e + 1;
          },
          onTrainBatchEnd: (batch, logs) => {
            options.onBatch?.({ epoch, batch: batch + 1, batches, loss: logValue(logs, "loss"), accuracy: logValue(logs, "accuracy") });
          },
          onEpochEnd: (e, logs) => {
            options.onEpoch?.({
              epoch: e + 1,
              loss: logValue(logs, "loss"),
              accuracy: logValue(logs, "accuracy"),
              testLoss: logValue(logs, "val_loss"),
              testAccuracy: logValue(logs, "val_accuracy"),
            });
          },
        },
      ],
    });
    const test = await model.evaluate(split.xTest, split.yTest, { batchSize: 500, verbose: 0, returnDict: true });
    const testAccuracy = logValue(test, "accuracy");
    return {
      testAccuracy,
      async predict(image: Float32Array): Promise<Float32Array> {
        const probs = tf.tidy(() => tf.nn.softmax(model.predict(tf.constant(image, { shape: [1, PIXELS] }))));
        try {
          return Float32Array.from((await probs.data()) as Float32Array);
        } finally {
          probs.dispose();
        }
      },
      dispose: release,
    };
  } catch (err) {
    release();
    throw err;
  }
}
