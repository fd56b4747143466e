/**
 * A small CNN on the same digits: Conv2D → MaxPooling2D → Flatten → Dense → Dense(10), trained
 * with `fit`. Sized so the whole demo stays within a few minutes on the js backend.
 */
import * as tf from "tessera";
import type { Log, Section } from "../log.js";
import { SEED, TEST, TRAIN, curves, mnist } from "./mnist-data.js";

export const CNN_EPOCHS = 5;
export const CNN_FILTERS = 8;
export const CNN_HIDDEN = 64;

async function run(log: Log): Promise<void> {
  const data = mnist();
  log(`backend: ${tf.getBackend()}`);
  const xTrain = tf.reshape(data.xTrain, [TRAIN, 28, 28, 1]);
  const xTest = tf.reshape(data.xTest, [TEST, 28, 28, 1]);
  tf.random.setSeed(SEED);
  const model = new tf.keras.Sequential([
    new tf.keras.layers.Conv2D(CNN_FILTERS, 3, { activation: "relu", inputShape: [28, 28, 1] }),
    new tf.keras.layers.MaxPooling2D(2),
    new tf.keras.layers.Flatten(),
    new tf.keras.layers.Dense(CNN_HIDDEN, { activation: "relu" }),
    new tf.keras.layers.Dense(10),
  ]);
  model.summary({ printFn: (line) => log(line) });
  model.compile({
    optimizer: new tf.keras.optimizers.Adam({ learningRate: 1e-3 }),
    loss: new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    metrics: ["accuracy"],
  });
  const t0 = performance.now();
  const history = await model.fit(xTrain, data.yTrain, { epochs: CNN_EPOCHS, batchSize: 64, validationData: [xTest, data.yTest] });
  const seconds = (performance.now() - t0) / 1000;
  log(`per-epoch loss: ${history.history["loss"]!.map((l) => l.toFixed(4)).join(", ")}`);
  const [, testAcc] = (await model.evaluate(xTest, data.yTest, { verbose: 0 })) as number[];
  log(`trained ${CNN_EPOCHS} epochs in ${seconds.toFixed(1)} s on backend '${tf.getBackend()}'`);
  log(`test accuracy: ${testAcc!.toFixed(4)}`);
  curves.push({ name: "CNN, fit", train: history.history["loss"]!, test: history.history["val_loss"]!, testAccuracy: testAcc!, seconds });
  tf.dispose([xTrain, xTest]);
  model.dispose();
}

export const mnistCnn: Section = { title: "MNIST: a small CNN (Conv2D, MaxPooling2D, Dense) with fit", run };
