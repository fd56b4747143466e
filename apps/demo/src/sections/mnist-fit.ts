/**
 * The same MLP (784-128-10, Adam, batch 64, 10 epochs) as a Sequential trained with
 * `compile` + `fit` (Keras's progress bar, validation on the test digits), then saved in the
 * TensorFlow.js layers format, loaded back, and checked to predict identically.
 */
import { fileURLToPath } from "node:url";
import * as tf from "@tessera/tf";
import type { Log, Section } from "../log.js";
import { SEED, accuracy, curves, mnist, summarizeAndCompile } from "./mnist-data.js";
import { BATCH, EPOCHS } from "./mnist-train-step.js";

/** Where the trained model is saved (model.json + weights). */
export const MODEL_DIR = fileURLToPath(new URL("../../out/mnist-mlp", import.meta.url));

async function run(log: Log): Promise<void> {
  const { xTrain, yTrain, xTest, yTest } = mnist();
  log(`backend: ${tf.getBackend()}`);
  tf.random.setSeed(SEED);
  const model = new tf.keras.Sequential([
    new tf.keras.layers.Dense(128, { activation: "relu", inputShape: [784] }),
    new tf.keras.layers.Dense(10),
  ]);
  summarizeAndCompile(model, log);
  const t0 = performance.now();
  const history = await model.fit(xTrain, yTrain, { epochs: EPOCHS, batchSize: BATCH, validationData: [xTest, yTest] });
  const seconds = (performance.now() - t0) / 1000;
  const loss = history.history["loss"]!;
  const valLoss = history.history["val_loss"]!;
  log(`per-epoch loss: ${loss.map((l) => l.toFixed(4)).join(", ")}`);
  const [testLoss, testAcc] = (await model.evaluate(xTest, yTest, { verbose: 0 })) as number[];
  log(`trained ${EPOCHS} epochs in ${seconds.toFixed(1)} s on backend '${tf.getBackend()}'; evaluate: loss ${testLoss!.toFixed(4)}, accuracy ${testAcc!.toFixed(4)}`);
  log(`test accuracy: ${testAcc!.toFixed(4)}`);
  curves.push({ name: "MLP, fit", train: loss, test: valLoss, testAccuracy: testAcc!, seconds });

  await model.save(MODEL_DIR);
  const loaded = await tf.keras.models.loadModel(MODEL_DIR);
  const [a, b] = [model.predict(xTest), loaded.predict(xTest)];
  const same = tf.tidy(() => tf.reduceAll(tf.equal(a, b)).dataSync()[0] === 1);
  const reloadedAcc = await accuracy(b, yTest);
  log(`saved to ${MODEL_DIR} (model.json + weights), loaded back: predictions identical: ${same}, accuracy ${reloadedAcc.toFixed(4)}`);
  tf.dispose([a, b]);
  model.dispose();
  loaded.dispose();
}

export const mnistFit: Section = { title: "MNIST: the same MLP with compile + fit, saved and reloaded", run };
