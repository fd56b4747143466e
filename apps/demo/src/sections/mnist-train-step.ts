/**
 * TensorFlow 2's "quickstart for experts" training loop on real MNIST digits: a `tf.data` pipeline
 * (shuffle, batch, prefetch), a subclassed model, `train_step` with a GradientTape,
 * SparseCategoricalCrossentropy from logits, AdamW with a CosineDecay schedule, and Mean /
 * SparseCategoricalAccuracy metrics. MLP 784-128-10, batch 64, 10 epochs.
 */
import * as tf from "@tessera/tf";
import type { Log, Section } from "../log.js";
import { SEED, TEST, TRAIN, accuracy, curves, mnist } from "./mnist-data.js";

export const EPOCHS = 10;
export const BATCH = 64;

/** The seed's model: Dense(128, relu) → Dense(10) logits. */
class MyModel extends tf.keras.Model {
  d1 = new tf.keras.layers.Dense(128, { activation: "relu" });
  d2 = new tf.keras.layers.Dense(10);
  override call(x: tf.Tensor, options: tf.keras.CallOptions): tf.Tensor {
    return this.d2.apply(this.d1.apply(x, options), options);
  }
}

async function run(log: Log): Promise<void> {
  const { xTrain, yTrain, xTest, yTest } = mnist();
  log(`backend: ${tf.getBackend()}`);
  log(`MNIST (the mnist package's real digits): ${TRAIN} to train, ${TEST} to test, split by tf.random.permutation(10000, { seed: ${SEED} })`);
  tf.random.setSeed(SEED);
  const model = new MyModel();
  const lossObject = new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true });
  const stepsPerEpoch = Math.ceil(TRAIN / BATCH);
  const optimizer = new tf.keras.optimizers.AdamW({ learningRate: new tf.keras.optimizers.schedules.CosineDecay(2e-3, EPOCHS * stepsPerEpoch) });
  const trainDs = tf.data.Dataset.fromTensorSlices([xTrain, yTrain]).shuffle(TRAIN).batch(BATCH).prefetch(tf.data.AUTOTUNE);
  const trainLoss = new tf.keras.metrics.Mean("train_loss");
  const trainAccuracy = new tf.keras.metrics.SparseCategoricalAccuracy("train_accuracy");
  const testLoss = new tf.keras.metrics.Mean("test_loss");
  const testAccuracy = new tf.keras.metrics.SparseCategoricalAccuracy("test_accuracy");

  const trainStep = (images: tf.Tensor, labels: tf.Tensor): void =>
    tf.tidy(() => {
      const tape = new tf.GradientTape();
      let predictions!: tf.Tensor;
      const loss = tape.record(() => {
        predictions = model.apply(images, { training: true });
        return lossObject.call(labels, predictions);
      });
      const gradients = tape.gradient(loss, model.trainableVariables);
      optimizer.applyGradients(tf.zip(gradients, model.trainableVariables));
      trainLoss.updateState(loss);
      trainAccuracy.updateState(labels, predictions);
    });

  const testStep = (images: tf.Tensor, labels: tf.Tensor): void =>
    tf.tidy(() => {
      const predictions = model.apply(images, { training: false });
      testLoss.updateState(lossObject.call(labels, predictions));
      testAccuracy.updateState(labels, predictions);
    });

  log(
    [
      "const trainDs = tf.data.Dataset.fromTensorSlices([xTrain, yTrain]).shuffle(TRAIN).batch(64).prefetch(tf.data.AUTOTUNE);",
      "const optimizer = new tf.keras.optimizers.AdamW({ learningRate: new tf.keras.optimizers.schedules.CosineDecay(2e-3, epochs * stepsPerEpoch) });",
      "const trainStep = (images, labels) => tf.tidy(() => {",
      "  const tape = new tf.GradientTape();",
      "  const loss = tape.record(() => lossObject.call(labels, (predictions = model.apply(images, { training: true }))));",
      "  const gradients = tape.gradient(loss, model.trainableVariables);",
      "  optimizer.applyGradients(tf.zip(gradients, model.trainableVariables));",
      "  trainLoss.updateState(loss); trainAccuracy.updateState(labels, predictions);",
      "});",
    ].join("\n"),
  );
  const curve = { name: "MLP, train_step loop (tf.data, AdamW + CosineDecay)", train: [] as number[], test: [] as number[], testAccuracy: NaN, seconds: NaN };
  const read = async (m: tf.keras.metrics.Metric): Promise<number> => {
    const r = m.result();
    const v = (await r.data())[0] as number;
    r.dispose();
    return v;
  };
  const t0 = performance.now();
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (const m of [trainLoss, trainAccuracy, testLoss, testAccuracy]) m.resetState();
    for await (const batch of trainDs) {
      const [images, labels] = batch as [tf.Tensor, tf.Tensor];
      trainStep(images, labels);
      tf.dispose([images, labels]);
      // Let the event loop run (timers, I/O; in a browser, rendering) between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    for (let start = 0; start < TEST; start += 500) {
      tf.tidy(() => testStep(tf.slice(xTest, [start, 0], [500, 784]), tf.slice(yTest, [start], [500])));
    }
    const [l, a, tl, ta] = [await read(trainLoss), await read(trainAccuracy), await read(testLoss), await read(testAccuracy)];
    curve.train.push(l);
    curve.test.push(tl);
    log(`Epoch ${epoch + 1}, Loss: ${l.toFixed(4)}, Accuracy: ${(a * 100).toFixed(2)}, Test Loss: ${tl.toFixed(4)}, Test Accuracy: ${(ta * 100).toFixed(2)}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const logits = model.predict(xTest);
  const acc = await accuracy(logits, yTest);
  logits.dispose();
  curves.push({ ...curve, testAccuracy: acc, seconds });
  log(`trained ${EPOCHS} epochs in ${seconds.toFixed(1)} s on backend '${tf.getBackend()}'`);
  log(`test accuracy: ${acc.toFixed(4)}`);
  model.dispose();
  optimizer.dispose();
  for (const m of [trainLoss, trainAccuracy, testLoss, testAccuracy]) m.dispose();
}

export const mnistTrainStep: Section = { title: "MNIST: the train_step loop (GradientTape, Adam)", run };
