/**
 * `classWeight` and `sampleWeight` in `fit` (arrays and datasets yielding `[x, y, sampleWeight]`) and
 * `sampleWeight` in `evaluate`, with Keras's semantics: the loss is `sum(loss · w) / examples`, metrics
 * are weighted means, class weights multiply sample weights.
 */
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";

beforeAll(async () => {
  await tf.setBackend("js");
});
beforeEach(() => {
  tf.keras.backend.clearSession();
});

const N = 8;
const X = tf.random.uniform([N, 3], { seed: 21 });
const Y = tf.random.uniform([N, 2], { seed: 22 });
const LABELS = tf.constant([0, 1, 2, 1, 0, 2, 2, 1], "int32");
const SW = [0.5, 2, 1, 0, 3, 1, 0.25, 1];
const values = (vs: readonly tf.Tensor[]): number[][] => vs.map((v) => Array.from(v.dataSync() as Float32Array));
/** A model's weights as numbers (the snapshots freed). */
const weightsOf = (m: tf.keras.Model): number[][] => {
  const ws = m.getWeights();
  const out = values(ws);
  ws.forEach((w) => w.dispose());
  return out;
};

function net(units = 2): tf.keras.Sequential {
  tf.random.setSeed(4);
  return new tf.keras.Sequential([new tf.keras.layers.Dense(4, { activation: "tanh", inputShape: [3] }), new tf.keras.layers.Dense(units)]);
}

describe("fit with sampleWeight", () => {
  it("one full-batch step equals a hand-written step on sum(loss · w) / n", async () => {
    const a = net();
    a.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.1 }), loss: "mse" });
    const b = net();
    b.setWeights(a.getWeights());
    await a.fit(X, Y, { batchSize: N, epochs: 1, shuffle: false, verbose: 0, sampleWeight: SW });
    const opt = new tf.keras.optimizers.SGD({ learningRate: 0.1 });
    const w = tf.constant(SW);
    opt.minimize(() => tf.divide(tf.reduceSum(tf.multiply(tf.keras.losses.meanSquaredError(Y, b.apply(X) as tf.Tensor), w)), N), b.trainableVariables);
    const got = values(a.getWeights()), want = values(b.getWeights());
    got.forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 6)));
  });

  it("weights of 1 change nothing; weights of 2 double the loss", async () => {
    const a = net(), b = net(), c = net();
    for (const m of [a, b, c]) m.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.05 }), loss: "mse" });
    const args = { batchSize: 4, epochs: 2, shuffle: false, verbose: 0 as const };
    await a.fit(X, Y, args);
    await b.fit(X, Y, { ...args, sampleWeight: new Array(N).fill(1) });
    expect(values(b.getWeights())).toEqual(values(a.getWeights()));
    const plain = (await c.evaluate(X, Y, { verbose: 0 })) as number;
    expect(await c.evaluate(X, Y, { verbose: 0, sampleWeight: tf.fill([N], 2) })).toBeCloseTo(2 * plain, 5);
  });

  it("validationSplit keeps the held-out examples' weights", async () => {
    const m = net();
    m.compile({ optimizer: "sgd", loss: "mse" });
    const h = await m.fit(X, Y, { batchSize: 4, epochs: 1, shuffle: false, verbose: 0, sampleWeight: SW, validationSplit: 0.25 });
    const tail = await m.evaluate(tf.slice(X, [6, 0], [2, 3]), tf.slice(Y, [6, 0], [2, 2]), { verbose: 0, sampleWeight: SW.slice(6) });
    expect(h.history["val_loss"]![0]).toBeCloseTo(tail as number, 6);
  });
});

describe("evaluate with sampleWeight", () => {
  it("loss is sum(loss · w) / n and metrics are weighted means", async () => {
    const m = net();
    m.compile({ optimizer: "sgd", loss: "mse", metrics: ["mae"] });
    const [loss, mae] = (await m.evaluate(X, Y, { verbose: 0, sampleWeight: SW, batchSize: 3 })) as number[];
    const pred = m.predict(X) as tf.Tensor;
    const mse = tf.keras.losses.meanSquaredError(Y, pred).dataSync() as Float32Array;
    const abs = tf.keras.losses.meanAbsoluteError(Y, pred).dataSync() as Float32Array;
    // Keras's loss reduction: each batch's sum(l·w)/batch, averaged over batches weighted by batch size.
    let total = 0;
    for (let s = 0; s < N; s += 3) {
      let b = 0;
      const n = Math.min(3, N - s);
      for (let i = s; i < s + n; i++) b += mse[i]! * SW[i]!;
      total += b; // (b / n) · n
    }
    expect(loss).toBeCloseTo(total / N, 5);
    const sw = SW.reduce((p, q) => p + q, 0);
    expect(mae).toBeCloseTo(SW.reduce((p, w, i) => p + w * abs[i]!, 0) / sw, 5);
  });

  it("zero weights leave examples out of the metrics", async () => {
    const m = net(3);
    m.compile({ optimizer: "sgd", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
    const w = [1, 1, 1, 1, 0, 0, 0, 0];
    const r = (await m.evaluate(X, LABELS, { verbose: 0, sampleWeight: w, returnDict: true })) as Record<string, number>;
    const head = (await m.evaluate(tf.slice(X, [0, 0], [4, 3]), tf.slice(LABELS, [0], [4]), { verbose: 0, returnDict: true })) as Record<string, number>;
    expect(r["accuracy"]).toBeCloseTo(head["accuracy"]!, 6);
  });
});

describe("fit with classWeight", () => {
  const CW = { 0: 1, 1: 3, 2: 0.5 };
  const perExample = (labels: number[]) => labels.map((c) => CW[c as 0 | 1 | 2]);

  it("equals sampleWeight holding each example's class weight (integer and one-hot labels)", async () => {
    const labels = Array.from(LABELS.dataSync() as Int32Array);
    const args = { batchSize: 4, epochs: 2, shuffle: false, verbose: 0 as const };
    const a = net(3), b = net(3), c = net(3);
    a.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
    b.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
    c.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
    const ha = await a.fit(X, LABELS, { ...args, classWeight: CW });
    const hb = await b.fit(X, LABELS, { ...args, sampleWeight: perExample(labels) });
    expect(values(a.getWeights())).toEqual(values(b.getWeights()));
    expect(ha.history).toEqual(hb.history);
    const d = net(3);
    d.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
    const oneHot = tf.oneHot(LABELS, 3);
    await c.fit(X, oneHot, { ...args, classWeight: CW });
    await d.fit(X, oneHot, { ...args, sampleWeight: perExample(labels) });
    expect(values(c.getWeights())).toEqual(values(d.getWeights()));
  });

  it("multiplies sampleWeight", async () => {
    const labels = Array.from(LABELS.dataSync() as Int32Array);
    const args = { batchSize: 4, epochs: 1, shuffle: false, verbose: 0 as const };
    const a = net(3), b = net(3);
    for (const m of [a, b]) m.compile({ optimizer: "sgd", loss: "sparse_categorical_crossentropy" });
    await a.fit(X, LABELS, { ...args, classWeight: CW, sampleWeight: SW });
    await b.fit(X, LABELS, { ...args, sampleWeight: perExample(labels).map((w, i) => w * SW[i]!) });
    expect(values(a.getWeights())).toEqual(values(b.getWeights()));
  });
});

describe("datasets yielding [x, y, sampleWeight]", () => {
  it("fit and evaluate match the same weights given as arrays", async () => {
    const args = { epochs: 2, verbose: 0 as const };
    const a = net(), b = net();
    for (const m of [a, b]) m.compile({ optimizer: "adam", loss: "mse", metrics: ["mae"] });
    const sw = tf.constant(SW);
    const ds = tf.data.Dataset.fromTensorSlices([X, Y, sw]).batch(4);
    const ha = await a.fit(ds, args);
    const hb = await b.fit(X, Y, { ...args, batchSize: 4, shuffle: false, sampleWeight: sw });
    expect(values(a.getWeights())).toEqual(values(b.getWeights()));
    expect(ha.history).toEqual(hb.history);
    expect(await a.evaluate(ds, { verbose: 0 })).toEqual(await b.evaluate(X, Y, { verbose: 0, batchSize: 4, sampleWeight: sw }));
  });

  it("classWeight applies to each batch of a dataset", async () => {
    const a = net(3), b = net(3);
    for (const m of [a, b]) m.compile({ optimizer: "sgd", loss: "sparse_categorical_crossentropy" });
    await a.fit(tf.data.Dataset.fromTensorSlices([X, LABELS]).batch(4), { epochs: 1, verbose: 0, classWeight: { 0: 2, 1: 1, 2: 4 } });
    await b.fit(X, LABELS, { epochs: 1, verbose: 0, batchSize: 4, shuffle: false, classWeight: { 0: 2, 1: 1, 2: 4 } });
    expect(values(a.getWeights())).toEqual(values(b.getWeights()));
  });
});

describe("bad input", () => {
  it("a class in the data without a weight: a clear error before any step, nothing leaked", async () => {
    const m = net(3);
    m.compile({ optimizer: "sgd", loss: "sparse_categorical_crossentropy" });
    await m.evaluate(X, LABELS, { verbose: 0 }); // builds the loss trackers
    const ds = tf.data.Dataset.fromTensorSlices([X, LABELS]).batch(4);
    const before = values(m.getWeights());
    const n0 = tf.memory().numTensors;
    await expect(m.fit(X, LABELS, { verbose: 0, classWeight: { 0: 1, 1: 2 } })).rejects.toThrow(/`classWeight` must contain all classes in the data\. The classes \[2\] exist in the data but not in `classWeight`/);
    expect(tf.memory().numTensors).toBe(n0);
    expect(weightsOf(m)).toEqual(before);
    // In a dataset the batch that holds the class fails; earlier batches stepped as asked.
    await expect(m.fit(ds, { verbose: 0, classWeight: { 0: 1, 1: 2 } })).rejects.toThrow(/The classes \[2\] exist in the data/);
    expect(tf.memory().numTensors).toBe(n0);
  });

  it("ill-formed classWeight and sampleWeight", async () => {
    const m = net(3);
    m.compile({ optimizer: "sgd", loss: "sparse_categorical_crossentropy" });
    await m.evaluate(X, LABELS, { verbose: 0 }); // builds the loss trackers
    const ds = tf.data.Dataset.fromTensorSlices([X, LABELS]).batch(4);
    const strings = tf.constant(["a", "b", "c", "d", "e", "f", "g", "h"]);
    const halves = tf.fill([N], 0.5);
    const n0 = tf.memory().numTensors;
    await expect(m.fit(X, LABELS, { verbose: 0, classWeight: [1, 2, 3] as unknown as tf.keras.ClassWeight })).rejects.toThrow(/`classWeight` must be an object mapping class indices to weights/);
    await expect(m.fit(X, LABELS, { verbose: 0, classWeight: { a: 1 } as unknown as tf.keras.ClassWeight })).rejects.toThrow(/keys must be class indices \(integers ≥ 0\), got "a"/);
    await expect(m.fit(X, LABELS, { verbose: 0, classWeight: { 0: -1, 1: 1, 2: 1 } })).rejects.toThrow(/for class 0 must be a finite number ≥ 0, got -1/);
    await expect(m.fit(X, LABELS, { verbose: 0, classWeight: {} })).rejects.toThrow(/`classWeight` is empty/);
    await expect(m.fit(X, LABELS, { verbose: 0, sampleWeight: [1, 2, 3] })).rejects.toThrow(/`sampleWeight` must have one weight per example \(shape \(8,\)\); got shape \(3,\)/);
    await expect(m.evaluate(X, LABELS, { verbose: 0, sampleWeight: 2 })).rejects.toThrow(/one weight per example/);
    await expect(m.fit(X, LABELS, { verbose: 0, sampleWeight: strings })).rejects.toThrow(/`sampleWeight` must be numeric, got dtype string/);
    await expect(m.fit(X, LABELS, { verbose: 0, sampleWeights: SW } as unknown as tf.keras.FitArgs)).rejects.toThrow(/Model\.fit\(\) got an unexpected option 'sampleWeights' — did you mean 'sampleWeight'\?/);
    await expect(m.fit(X, halves, { verbose: 0, classWeight: { 0: 1 } })).rejects.toThrow(/needs integer class labels, but y holds 0\.5/);
    await expect(m.fit(ds, { verbose: 0, sampleWeight: SW })).rejects.toThrow(/do not pass sampleWeight with a Dataset; yield \[x, y, sampleWeight\]/);
    await expect(m.evaluate(ds, { verbose: 0, sampleWeight: SW })).rejects.toThrow(/do not pass sampleWeight with a Dataset/);
    expect(tf.memory().numTensors).toBe(n0);
  });

  it("classWeight on a model with two outputs", async () => {
    const inp = tf.keras.Input({ shape: [3] });
    const o1 = new tf.keras.layers.Dense(2).apply(inp) as tf.keras.KerasTensor;
    const o2 = new tf.keras.layers.Dense(2).apply(inp) as tf.keras.KerasTensor;
    const m = new tf.keras.Model({ inputs: inp, outputs: [o1, o2] });
    m.compile({ optimizer: "sgd", loss: "sparse_categorical_crossentropy" });
    const y = tf.constant([0, 1, 1, 0, 1, 0, 0, 1], "int32");
    await expect(m.fit(X, [y, y], { verbose: 0, classWeight: { 0: 1, 1: 2 } })).rejects.toThrow(/`classWeight` is only supported for models with a single output \(this one has 2\)/);
    // One sampleWeight weights every output.
    const h = await m.fit(X, [y, y], { verbose: 0, epochs: 1, sampleWeight: SW });
    expect(Number.isFinite(h.history["loss"]![0])).toBe(true);
  });
});
