/** Model training on backend-js: compile, fit (History, callbacks, validation, yields), evaluate, predict, summary, weights. */
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { settle } from "./helpers/gc.js";

const { Dense, Conv2D, MaxPooling2D, Flatten, Dropout } = tf.keras.layers;

beforeAll(async () => {
  await tf.setBackend("js");
});
beforeEach(() => {
  tf.keras.backend.clearSession();
  tf.random.setSeed(7);
});

/** A separable toy problem: the label is the index of the largest of the first three features. */
function toyData(n: number, seed: number): { x: tf.Tensor; y: tf.Tensor } {
  const x = tf.random.normal([n, 4], { seed });
  const y = tf.argmax(tf.slice(x, [0, 0], [-1, 3]), 1);
  return { x, y };
}

function mlp(): tf.keras.Sequential {
  return new tf.keras.Sequential([new Dense(16, { activation: "relu", inputShape: [4] }), new Dense(3)]);
}

const silent = { verbose: 0 } as const;

/** Collects what a progress bar prints. */
function sink(dynamic = false): tf.keras.ProgressSink & { text: string } {
  const s = { text: "", dynamic, write: (t: string) => void (s.text += t) };
  return s;
}

describe("compile and fit", () => {
  it("trains: the loss falls, History has per-epoch logs, evaluate agrees with the metrics", async () => {
    const { x, y } = toyData(256, 1);
    const model = mlp();
    model.compile({ optimizer: new tf.keras.optimizers.Adam({ learningRate: 0.02 }), loss: new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }), metrics: ["accuracy"] });
    expect(model.metricsNames).toEqual(["loss", "accuracy"]);
    const history = await model.fit(x, y, { epochs: 8, batchSize: 32, ...silent });
    expect(history.epoch).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Object.keys(history.history)).toEqual(["loss", "accuracy"]);
    const loss = history.history["loss"]!;
    expect(loss[7]!).toBeLessThan(loss[0]! * 0.5);
    expect(history.history["accuracy"]![7]!).toBeGreaterThan(0.85);
    const [evalLoss, evalAcc] = (await model.evaluate(x, y, silent)) as number[];
    expect(evalLoss).toBeLessThan(loss[0]!);
    expect(evalAcc).toBeGreaterThan(0.85);
    const dict = await model.evaluate(x, y, { ...silent, returnDict: true });
    expect(dict).toEqual({ loss: evalLoss, accuracy: evalAcc });
    expect(model.optimizer!.iterations).toBe(8 * 8);
  });

  it("accepts names for the optimizer, loss and metrics, and validation data", async () => {
    const { x, y } = toyData(96, 2);
    const val = toyData(32, 3);
    const model = new tf.keras.Sequential([new Dense(3, { activation: "softmax", inputShape: [4] })]);
    model.compile({ optimizer: "rmsprop", loss: "sparse_categorical_crossentropy", metrics: ["sparse_categorical_accuracy"] });
    const h = await model.fit(x, y, { epochs: 1, ...silent });
    expect(h).toBeInstanceOf(tf.keras.callbacks.History);
    expect(Object.keys(h.history)).toEqual(["loss", "sparse_categorical_accuracy"]);
    const model2 = new tf.keras.Sequential([new Dense(3, { activation: "softmax", inputShape: [4] })]);
    model2.compile({ optimizer: "sgd", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
    const h2 = await model2.fit(x, y, { epochs: 2, batchSize: 16, validationData: [val.x, val.y], ...silent });
    expect(Object.keys(h2.history)).toEqual(["loss", "accuracy", "val_loss", "val_accuracy"]);
    const h3 = await model2.fit(x, y, { epochs: 1, validationSplit: 0.25, shuffle: false, ...silent });
    expect(h3.history["val_loss"]).toHaveLength(1);
  });

  it("works with MSE regression and a one-hot categorical loss", async () => {
    const x = tf.random.uniform([64, 2], { seed: 4 });
    const y = tf.matmul(x, tf.constant([[2], [-1]], "float32")).add(0.5);
    const reg = new tf.keras.Sequential([new Dense(1, { inputShape: [2] })]);
    reg.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.3 }), loss: "mse", metrics: ["mae"] });
    const h = await reg.fit(x, y, { epochs: 40, batchSize: 16, ...silent });
    expect(h.history["loss"]![39]!).toBeLessThan(0.01);
    const w = reg.getWeights().map((t) => Array.from(t.dataSync() as Float32Array));
    expect(w[0]![0]!).toBeCloseTo(2, 0);
    expect(w[1]![0]!).toBeCloseTo(0.5, 0);
    const { x: cx, y: cy } = toyData(64, 5);
    const cat = new tf.keras.Sequential([new Dense(3, { activation: "softmax", inputShape: [4] })]);
    cat.compile({ optimizer: "adam", loss: new tf.keras.losses.CategoricalCrossentropy(), metrics: ["accuracy"] });
    const hc = await cat.fit(cx, tf.oneHot(cy, 3), { epochs: 2, ...silent });
    expect(hc.history["accuracy"]).toHaveLength(2);
  });

  it("trains a small CNN with dropout", async () => {
    const x = tf.random.uniform([32, 6, 6, 1], { seed: 8 });
    const y = tf.cast(tf.greater(tf.reduceMean(x, { axis: [1, 2, 3] }), 0.5), "int32");
    const cnn = new tf.keras.Sequential([
      new Conv2D(4, 3, { activation: "relu", inputShape: [6, 6, 1] }),
      new MaxPooling2D(2),
      new Flatten(),
      new Dropout(0.1),
      new Dense(2),
    ]);
    cnn.compile({ optimizer: "adam", loss: new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
    const h = await cnn.fit(x, y, { epochs: 3, batchSize: 8, ...silent });
    expect(h.history["loss"]!.every(Number.isFinite)).toBe(true);
    expect(cnn.predict(x).shape).toEqual([32, 2]);
  });

  it("a model without an input shape trains from its first batch", async () => {
    const make = () => new tf.keras.Sequential([new Dense(3), new Dense(1)]);
    tf.random.setSeed(21);
    const twin = make();
    twin.apply(tf.zeros([1, 2]));
    tf.random.setSeed(21);
    const model = make();
    model.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.5 }), loss: "mse" });
    await model.fit(tf.ones([4, 2]), tf.ones([4, 1]), { epochs: 1, batchSize: 4, shuffle: false, ...silent });
    const moved = model.getWeights().map((w, i) => tf.reduceMax(tf.abs(tf.subtract(w, twin.getWeights()[i]!))).dataSync()[0] as number);
    expect(moved.every((d) => d > 0)).toBe(true);
  });

  it("a layer that returns its input inside a Sequential", () => {
    class Passthrough extends tf.keras.layers.Layer {}
    const m = new tf.keras.Sequential([new Dense(2, { inputShape: [2], kernelInitializer: "ones" }), new Passthrough(), new Dense(1, { kernelInitializer: "ones" })]);
    expect(Array.from(m.apply([[1, 2]]).dataSync() as Float32Array)).toEqual([6]);
  });

  it("calls callbacks in order and stops when asked", async () => {
    const { x, y } = toyData(40, 6);
    const model = mlp();
    model.compile({ optimizer: "adam", loss: new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
    const events: string[] = [];
    class Recorder extends tf.keras.callbacks.Callback {
      override onTrainBegin() { events.push("train_begin"); }
      override async onEpochBegin(e: number) { events.push(`epoch_begin ${e}`); }
      override onTrainBatchEnd(b: number, logs: tf.keras.callbacks.Logs) { events.push(`batch ${b} ${typeof logs["loss"]}`); }
      override onEpochEnd(e: number) {
        events.push(`epoch_end ${e}`);
        if (e === 1) this.model!.stopTraining = true;
      }
      override onTrainEnd() { events.push("train_end"); }
    }
    const plain: number[] = [];
    const h = await model.fit(x, y, { epochs: 5, batchSize: 20, callbacks: [new Recorder(), { onEpochEnd: (e) => void plain.push(e) }], ...silent });
    expect(events).toEqual([
      "train_begin", "epoch_begin 0", "batch 0 number", "batch 1 number", "epoch_end 0",
      "epoch_begin 1", "batch 0 number", "batch 1 number", "epoch_end 1", "train_end",
    ]);
    expect(plain).toEqual([0, 1]);
    expect(h.epoch).toEqual([0, 1]);
    expect(() => new tf.keras.callbacks.LambdaCallback({ onEpochEndd: () => {} } as never)).toThrow(/unknown hook "onEpochEndd"/);
  });

  it("EarlyStopping stops when the monitored log stops improving", async () => {
    const { x, y } = toyData(32, 9);
    const model = mlp();
    model.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 1e-9 }), loss: new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
    const stop = new tf.keras.callbacks.EarlyStopping({ monitor: "loss", patience: 1, minDelta: 0.01 });
    const h = await model.fit(x, y, { epochs: 10, callbacks: [stop], shuffle: false, ...silent });
    expect(h.epoch).toEqual([0, 1]);
    expect(stop.stoppedEpoch).toBe(1);
  });

  it("yields to the event loop while training (a page stays responsive)", async () => {
    const { x, y } = toyData(512, 10);
    const model = mlp();
    model.compile({ optimizer: "adam", loss: new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const batchEnds: number[] = [];
    await model.fit(x, y, { epochs: 2, batchSize: 8, callbacks: [{ onTrainBatchEnd: () => void batchEnds.push(ticks) }], ...silent });
    running = false;
    // Other work ran between batches, not only after fit resolved.
    expect(batchEnds[batchEnds.length - 1]!).toBeGreaterThan(0);
    expect(ticks).toBeGreaterThan(1);
  });

  it("does not grow memory across epochs", async () => {
    const { x, y } = toyData(64, 11);
    const model = mlp();
    model.compile({ optimizer: "adam", loss: new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }), metrics: ["accuracy"] });
    await model.fit(x, y, { epochs: 1, batchSize: 16, ...silent });
    // fit yields to the event loop, where the garbage collector may free tensors leaked by earlier
    // tests: settle it on both sides so the comparison sees only what training kept.
    const count = () => tf.memory().numTensors;
    await settle(count);
    const before = tf.memory();
    await model.fit(x, y, { epochs: 3, batchSize: 16, validationData: [x, y], ...silent });
    await model.evaluate(x, y, silent);
    tf.dispose(model.predict(x));
    await settle(count);
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
  });
});

describe("bad input", () => {
  it("fit with mismatched x/y lengths", async () => {
    const model = mlp();
    model.compile({ optimizer: "adam", loss: "mse" });
    await expect(model.fit(tf.zeros([10, 4]), tf.zeros([8, 3]), silent)).rejects.toThrow(
      "Data cardinality is ambiguous:\n  x sizes: 10\n  y sizes: 8\nMake sure all arrays contain the same number of samples.",
    );
    await expect(model.evaluate(tf.zeros([10, 4]), tf.zeros([9, 3]), silent)).rejects.toThrow(/Data cardinality is ambiguous/);
  });

  it("fit on inputs of the wrong shape says what the first layer expects", async () => {
    const model = mlp();
    model.compile({ optimizer: "adam", loss: "mse" });
    await expect(model.fit(tf.zeros([10, 5]), tf.zeros([10, 3]), silent)).rejects.toThrow(/expected shape=\(None, 4\), found shape=\(\d+, 5\)/);
  });

  it("unknown optimizer, loss and metric names list the valid ones; fit before compile", async () => {
    const model = mlp();
    expect(() => model.compile({ optimizer: "adamz", loss: "mse" })).toThrow(/Unknown optimizer: "adamz". Valid optimizers are: "sgd", "adam", "adamw", "rmsprop"/);
    expect(() => model.compile({ optimizer: "adam", loss: "hinge_los" })).toThrow(/Unknown loss function: "hinge_los". Valid losses are: .*"sparse_categorical_crossentropy"/);
    expect(() => model.compile({ optimizer: "adam", loss: "mse", metrics: ["aucc"] })).toThrow(/Unknown metric function: "aucc". Valid metrics are: "accuracy"/);
    await expect(model.fit(tf.zeros([2, 4]), tf.zeros([2, 3]), silent)).rejects.toThrow(/You must compile your model before training/);
    model.compile({ optimizer: "adam", loss: "mse" });
    await expect(model.fit(tf.zeros([2, 4]), tf.zeros([2, 3]), { epochs: -1 })).rejects.toThrow(/epochs must be an integer/);
    await expect(model.fit(tf.zeros([2, 4]), tf.zeros([2, 3]), { batchSize: 0 })).rejects.toThrow(/batchSize must be an integer ≥ 1/);
  });

  it("setWeights with wrong shapes or count leaves the weights unchanged", () => {
    const model = mlp();
    const before = model.getWeights().map((t) => Array.from(t.dataSync() as Float32Array));
    const good = model.getWeights();
    const bad = [good[0]!, good[1]!, tf.zeros([16, 4]), good[3]!];
    expect(() => model.setWeights(bad)).toThrow(/weight shape \(16, 3\) \(dense_1\/kernel:0\) is not compatible with provided weight shape \(16, 4\).*No weights were changed/);
    expect(() => model.setWeights(good.slice(0, 3))).toThrow(/expects 4 weights .* but setWeights received 3/);
    expect(model.getWeights().map((t) => Array.from(t.dataSync() as Float32Array))).toEqual(before);
    const ones = good.map((t) => tf.onesLike(t));
    model.setWeights(ones);
    expect(Array.from(model.getWeights()[3]!.dataSync() as Float32Array)).toEqual([1, 1, 1]);
  });
});

describe("predict, summary, progress", () => {
  it("predict batches and matches apply", () => {
    const model = mlp();
    const x = tf.random.normal([70, 4], { seed: 12 });
    const a = model.predict(x, { batchSize: 32 });
    const b = model.apply(x);
    expect(a.shape).toEqual([70, 3]);
    expect(Array.from(a.dataSync() as Float32Array)).toEqual(Array.from(b.dataSync() as Float32Array));
    expect(model.predict([[1, 2, 3, 4]]).shape).toEqual([1, 3]);
  });

  it("summary prints Keras's table", () => {
    const model = new tf.keras.Sequential([new Dense(128, { activation: "relu", inputShape: [784] }), new Dense(10)]);
    const lines: string[] = [];
    model.summary({ printFn: (l) => lines.push(l) });
    expect(lines.join("\n")).toBe(
      [
        'Model: "sequential"',
        "_________________________________________________________________",
        " Layer (type)                Output Shape              Param #   ",
        "=================================================================",
        " dense (Dense)               (None, 128)               100480    ",
        "                                                                 ",
        " dense_1 (Dense)             (None, 10)                1290      ",
        "                                                                 ",
        "=================================================================",
        "Total params: 101,770",
        "Trainable params: 101,770",
        "Non-trainable params: 0",
        "_________________________________________________________________",
      ].join("\n"),
    );
    expect(() => new tf.keras.Sequential([new Dense(2)]).summary()).toThrow(/This model has not yet been built/);
  });

  it("fit prints Keras's progress lines", async () => {
    const { x, y } = toyData(40, 13);
    const model = mlp();
    model.compile({ optimizer: "adam", loss: new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }), metrics: ["accuracy"] });
    const s = sink();
    await model.fit(x, y, { epochs: 2, batchSize: 16, progressSink: s });
    expect(s.text).toMatch(/^Epoch 1\/2\n3\/3 \[==============================\] - \d+s \d+(ms|us|s)\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}\nEpoch 2\/2\n3\/3 \[=+\] .*\n$/);
    const s2 = sink();
    await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 2, progressSink: s2 });
    expect(s2.text).toMatch(/^Epoch 1\/1\n3\/3 - \d+s - loss: \d\.\d{4} - accuracy: \d\.\d{4} - \d+s\/epoch - \d+(ms|us|s)\/step\n$/);
  });

  it("Progbar draws Keras's bar in a terminal", () => {
    let t = 0;
    const s = sink(true);
    const bar = new tf.keras.Progbar(10, { sink: s, now: () => t, interval: 0 });
    t = 1;
    bar.update(3, [["loss", 0.5], ["tiny", 0.0001234]]);
    t = 4;
    bar.update(10, [["loss", 0.25]]);
    const first = " 3/10 [========>.....................] - ETA: 2s - loss: 0.5000 - tiny: 1.2340e-04";
    const last = "10/10 [==============================] - 4s 400ms/step - loss: 0.2500";
    // The shorter final line is padded to cover the previous one.
    expect(s.text).toBe(`\r${first}\r${last}${" ".repeat(first.length - last.length)}\n`);
  });
});

describe("subclassed models", () => {
  it("train with fit and a custom train step", async () => {
    class MyModel extends tf.keras.Model {
      d1 = new Dense(16, { activation: "relu" });
      d2 = new Dense(3);
      override call(x: tf.Tensor, opts: tf.keras.CallOptions) {
        return this.d2.apply(this.d1.apply(x, opts), opts);
      }
    }
    const model = new MyModel();
    const { x, y } = toyData(64, 14);
    model.compile({ optimizer: "adam", loss: new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
    const h = await model.fit(x, y, { epochs: 3, batchSize: 16, ...silent });
    expect(h.history["loss"]).toHaveLength(3);
    expect(model.variables.map((v) => v.name)).toEqual(["dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0"]);
    const lines: string[] = [];
    model.summary({ printFn: (l) => lines.push(l) });
    expect(lines[4]).toBe(" dense (Dense)               (None, 16)                80        ");
    await expect(model.save("/tmp/never")).rejects.toThrow(/subclassed Model: its architecture is code/);

    // The seed's train_step, written out: tape, loss, gradients, applyGradients with tf.zip.
    const lossObject = new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true });
    const optimizer = new tf.keras.optimizers.Adam();
    const trainLoss = new tf.keras.metrics.Mean("train_loss");
    const trainAcc = new tf.keras.metrics.SparseCategoricalAccuracy("train_accuracy");
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        const tape = new tf.GradientTape();
        let predictions!: tf.Tensor;
        const loss = tape.record(() => {
          predictions = model.apply(x, { training: true });
          return lossObject.call(y, predictions);
        });
        const gradients = tape.gradient(loss, model.trainableVariables);
        optimizer.applyGradients(tf.zip(gradients, model.trainableVariables));
        trainLoss.updateState(loss);
        trainAcc.updateState(y, predictions);
      });
    }
    expect(trainLoss.result().dataSync()[0]).toBeLessThan(h.history["loss"]![0]!);
    expect(optimizer.iterations).toBe(3);
  });
});
