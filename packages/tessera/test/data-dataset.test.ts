/** tf.data on backend-js: sources, transformations, iteration, memory, and fit/evaluate/predict on datasets. */
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

const { Dataset } = tf.data;

beforeAll(async () => {
  await tf.setBackend("js");
});
beforeEach(() => {
  tf.keras.backend.clearSession();
  tf.random.setSeed(3);
});

/** The values of every element of one pass (disposing them). */
async function values(ds: tf.data.Dataset): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const e of ds) {
    const conv = (x: tf.data.Element): unknown => {
      if (x instanceof tf.Tensor) return x.arraySync();
      if (Array.isArray(x)) return (x as tf.data.Element[]).map(conv);
      return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, conv(v as tf.data.Element)]));
    };
    out.push(conv(e));
    tf.dispose(e as tf.Tensor);
  }
  return out;
}

describe("sources", () => {
  it("fromTensorSlices: one tensor, a tuple and a dict", async () => {
    expect(await values(Dataset.fromTensorSlices([[1, 2], [3, 4], [5, 6]]))).toEqual([[1, 2], [3, 4], [5, 6]]);
    const x = tf.constant([[1, 2], [3, 4]]);
    const y = tf.constant([7, 8], "int32");
    expect(await values(Dataset.fromTensorSlices([x, y]))).toEqual([[[1, 2], 7], [[3, 4], 8]]);
    expect(await values(Dataset.fromTensorSlices({ a: x, b: { c: y } }))).toEqual([{ a: [1, 2], b: { c: 7 } }, { a: [3, 4], b: { c: 8 } }]);
    expect(x.isDisposed).toBe(false);
    expect(Dataset.fromTensorSlices(x).cardinality()).toBe(2);
    expect(() => Dataset.fromTensorSlices([x, tf.constant([1, 2, 3])])).toThrow(/same first dimension/);
    expect(() => Dataset.fromTensorSlices(tf.constant(1))).toThrow(/same first dimension/);
  });

  it("fromTensors, range, zip, concatenate", async () => {
    expect(await values(Dataset.fromTensors([1, 2, 3]))).toEqual([[1, 2, 3]]);
    expect(await values(Dataset.range(4))).toEqual([0, 1, 2, 3]);
    expect(await values(Dataset.range(2, 9, 3))).toEqual([2, 5, 8]);
    expect(await values(Dataset.range(5, 1, -2))).toEqual([5, 3]);
    expect(Dataset.range(2, 9, 3).cardinality()).toBe(3);
    expect(() => Dataset.range(0, 5, 0)).toThrow(/step must not be 0/);
    expect(() => Dataset.range(3, { dtyp: "float32" } as never)).toThrow(/unexpected option 'dtyp' — did you mean 'dtype'/);
    const z = Dataset.zip([Dataset.range(3), Dataset.range(10, 20)]);
    expect(z.cardinality()).toBe(3);
    expect(await values(z)).toEqual([[0, 10], [1, 11], [2, 12]]);
    expect(await values(Dataset.zip({ b: Dataset.range(2), a: Dataset.range(5, 7) }))).toEqual([{ a: 5, b: 0 }, { a: 6, b: 1 }]);
    expect(await values(Dataset.range(2).concatenate(Dataset.range(7, 9)))).toEqual([0, 1, 7, 8]);
  });

  it("fromGenerator takes sync and async generators, restarts per pass, and reports errors", async () => {
    const ds = Dataset.fromGenerator(function* () {
      for (let i = 0; i < 3; i++) yield [tf.constant(i), tf.constant(i * 10)];
    });
    expect(ds.cardinality()).toBe(tf.data.UNKNOWN_CARDINALITY);
    expect(await values(ds)).toEqual([[0, 0], [1, 10], [2, 20]]);
    expect(await values(ds.take(1))).toEqual([[0, 0]]);
    const asyncDs = Dataset.fromGenerator(async function* () {
      yield 1;
      await new Promise((r) => setTimeout(r, 1));
      yield 2;
    });
    expect(await values(asyncDs)).toEqual([1, 2]);
    const before = tf.memory().numTensors;
    const throwing = Dataset.fromGenerator(function* () {
      yield 1;
      throw new Error("generator broke");
    });
    await expect(values(throwing.batch(2))).rejects.toThrow(/generator broke/);
    const changing = Dataset.fromGenerator(function* () {
      yield [tf.constant(1), tf.constant(2)];
      yield { a: tf.constant(1) };
    });
    await expect(values(changing)).rejects.toThrow(/element 1 has structure \{a: int32\(\)\}, unlike the elements before it/);
    expect(tf.memory().numTensors).toBe(before);
    // A generator that never ends is fine as long as the consumer stops.
    const forever = Dataset.fromGenerator(function* () {
      for (let i = 0; ; i++) yield i;
    });
    expect(await values(forever.take(3))).toEqual([0, 1, 2]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("transformations", () => {
  it("map spreads tuples, filter, batch with dropRemainder, unbatch, rebatch", async () => {
    const ds = Dataset.range(7).map((x) => [x, tf.multiply(x, 2)]);
    expect(await values(ds.take(2))).toEqual([[0, 0], [1, 2]]);
    const summed = ds.map((a, b) => tf.add(a as tf.Tensor, b as tf.Tensor));
    expect(await values(summed)).toEqual([0, 3, 6, 9, 12, 15, 18]);
    const even = Dataset.range(7).filter((x) => tf.equal(tf.mod(x, 2), 0));
    expect(await values(even)).toEqual([0, 2, 4, 6]);
    expect(await values(Dataset.range(5).filter(() => false))).toEqual([]);
    expect(await values(Dataset.range(7).batch(3))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(await values(Dataset.range(7).batch(3, { dropRemainder: true }))).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(Dataset.range(7).batch(3).cardinality()).toBe(3);
    expect(Dataset.range(7).batch(3, { dropRemainder: true }).cardinality()).toBe(2);
    expect(await values(ds.batch(4))).toEqual([[[0, 1, 2, 3], [0, 2, 4, 6]], [[4, 5, 6], [8, 10, 12]]]);
    expect(await values(Dataset.range(6).batch(4).unbatch())).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await values(Dataset.range(6).batch(4).rebatch(3))).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(() => Dataset.range(3).batch(2, { drop_remainder: true } as never)).toThrow(/Dataset.batch\(\) got an unexpected option 'drop_remainder' — did you mean 'dropRemainder'/);
    expect(() => Dataset.range(3).batch(0)).toThrow(/batchSize must be a positive integer/);
  });

  it("batch reports elements of different shapes; paddedBatch pads them", async () => {
    const ragged = Dataset.fromGenerator(function* () {
      yield [1, 2];
      yield [3, 4, 5];
    });
    const before = tf.memory().numTensors;
    await expect(values(ragged.batch(2))).rejects.toThrow(/cannot batch tensors with different shapes in component 0. Element 0 has shape \[2\] and element 1 has shape \[3\]/);
    expect(tf.memory().numTensors).toBe(before);
    expect(await values(ragged.paddedBatch(2, { paddingValues: -1 }))).toEqual([[[1, 2, -1], [3, 4, 5]]]);
  });

  it("shuffle is a seeded permutation, reshuffled per pass unless asked not to", async () => {
    const ds = Dataset.range(20).shuffle(20, { seed: 5 });
    const a = (await values(ds)) as number[];
    const b = (await values(ds)) as number[];
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(b).not.toEqual(a);
    const again = Dataset.range(20).shuffle(20, { seed: 5 });
    expect(await values(again)).toEqual(a);
    const fixed = Dataset.range(20).shuffle(20, { seed: 9, reshuffleEachIteration: false });
    expect(await values(fixed)).toEqual(await values(fixed));
    // A buffer of 1 keeps the order; a small buffer only moves elements forward a little.
    expect(await values(Dataset.range(5).shuffle(1))).toEqual([0, 1, 2, 3, 4]);
    const local = (await values(Dataset.range(50).shuffle(3, { seed: 1 }))) as number[];
    local.forEach((v, i) => expect(v).toBeLessThanOrEqual(i + 2));
  });

  it("repeat, take, skip, cache, prefetch, enumerate, flatMap, toArray, cardinality", async () => {
    expect(await values(Dataset.range(3).repeat(2))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(Dataset.range(3).repeat().cardinality()).toBe(tf.data.INFINITE_CARDINALITY);
    expect(Dataset.range(3).repeat().take(5).cardinality()).toBe(5);
    expect(await values(Dataset.range(3).repeat().take(5))).toEqual([0, 1, 2, 0, 1]);
    expect(await values(Dataset.range(5).skip(3))).toEqual([3, 4]);
    expect(await values(Dataset.range(5).skip(-1))).toEqual([]);
    let calls = 0;
    const cached = Dataset.range(3).map((x) => {
      calls++;
      return tf.add(x, 1);
    }).cache();
    expect(await values(cached)).toEqual([1, 2, 3]);
    expect(await values(cached)).toEqual([1, 2, 3]);
    expect(calls).toBe(3);
    expect(await values(Dataset.range(5).prefetch(tf.data.AUTOTUNE))).toEqual([0, 1, 2, 3, 4]);
    expect(await values(Dataset.range(5).prefetch(2).take(2))).toEqual([0, 1]);
    expect(tf.data.experimental.AUTOTUNE).toBe(tf.data.AUTOTUNE);
    expect(await values(Dataset.range(10, 12).enumerate({ start: 1 }))).toEqual([[1, 10], [2, 11]]);
    expect(await values(Dataset.range(3).flatMap((x) => Dataset.fromTensors(x).repeat(2)))).toEqual([0, 0, 1, 1, 2, 2]);
    const arr = await Dataset.range(4).take(2).toArray();
    expect(arr.map((t) => t.arraySync())).toEqual([0, 1]);
    tf.dispose(arr);
    await expect(Dataset.range(2).repeat().toArray()).rejects.toThrow(/infinite/);
  });

  it("batches of in-memory rows are cut whole (also after a full shuffle) and equal the element-wise path", async () => {
    const x = tf.constant(Array.from({ length: 10 }, (_, i) => [i, 10 * i]), "float32");
    const y = tf.constant(Array.from({ length: 10 }, (_, i) => i), "int32");
    const fast = Dataset.fromTensorSlices([x, y]);
    const slow = fast.map((a, b) => [a as tf.Tensor, b as tf.Tensor]);
    expect(await values(fast.batch(4))).toEqual(await values(slow.batch(4)));
    expect(await values(fast.batch(4, { dropRemainder: true }))).toEqual(await values(slow.batch(4, { dropRemainder: true })));
    const shuffled = fast.shuffle(10, { seed: 3 }).batch(4);
    expect(shuffled.cardinality()).toBe(3);
    const rows = async (ds: tf.data.Dataset): Promise<number[]> => ((await values(ds)) as [number[][], number[]][]).flatMap(([, b]) => b);
    const p1 = await rows(shuffled), p2 = await rows(shuffled);
    expect([...p1].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(p2).not.toEqual(p1);
    expect(await rows(fast.shuffle(10, { seed: 3 }).batch(4))).toEqual(p1);
    const fixed = fast.shuffle(10, { seed: 3, reshuffleEachIteration: false }).batch(4);
    expect(await rows(fixed)).toEqual(await rows(fixed));
    // x and y stay paired.
    for (const [xs, ys] of (await values(shuffled)) as [number[][], number[]][]) xs.forEach((r, i) => expect(r).toEqual([ys[i]!, 10 * ys[i]!]));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) await values(shuffled);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("map does not free tensors it does not own, and an async map works", async () => {
    const c = tf.constant([1, 2]);
    expect(await values(Dataset.range(2).map(() => c))).toEqual([[1, 2], [1, 2]]);
    expect(c.isDisposed).toBe(false);
    const asyncMapped = Dataset.range(3).map(async (x) => {
      await Promise.resolve();
      return tf.multiply(x, 3);
    });
    expect(await values(asyncMapped)).toEqual([0, 3, 6]);
    await expect(values(Dataset.range(2).map(() => undefined as never))).rejects.toThrow(/the function must return tensors/);
  });

  it("memory stays flat over 100 passes of a full pipeline (early exits included)", async () => {
    const x = tf.random.normal([40, 3], { seed: 1 });
    const y = tf.random.uniform([40], { maxval: 3, dtype: "int32", seed: 2 });
    const ds = Dataset.fromTensorSlices([x, y])
      .map((a, b) => [tf.multiply(a as tf.Tensor, 2), b])
      .filter((_a, b) => tf.notEqual(b as tf.Tensor, 5))
      .shuffle(16, { seed: 4 })
      .batch(8)
      .prefetch(2);
    await values(ds); // the first pass may create lasting state (none expected)
    const before = tf.memory().numTensors;
    for (let pass = 0; pass < 100; pass++) {
      let k = 0;
      for await (const e of ds) {
        tf.dispose(e as tf.Tensor[]);
        if (pass % 3 === 0 && ++k === 2) break; // stop early on some passes
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("fit, evaluate and predict on a Dataset", () => {
  function model(): tf.keras.Sequential {
    const m = new tf.keras.Sequential([new tf.keras.layers.Dense(8, { activation: "relu", inputShape: [4] }), new tf.keras.layers.Dense(3)]);
    m.compile({ optimizer: new tf.keras.optimizers.Adam({ learningRate: 0.03 }), loss: new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }), metrics: ["accuracy"] });
    return m;
  }

  it("trains to the same result as fit on tensors (no shuffle), with flat memory", async () => {
    const x = tf.random.normal([64, 4], { seed: 11 });
    const y = tf.argmax(tf.slice(x, [0, 0], [-1, 3]), 1);
    tf.random.setSeed(21);
    const a = model();
    const ha = await a.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
    tf.random.setSeed(21);
    const b = model();
    const ds = Dataset.fromTensorSlices([x, y]).batch(16);
    const before = tf.memory().numTensors;
    const hb = await b.fit(ds, { epochs: 3, verbose: 0 });
    for (let i = 0; i < 3; i++) expect(hb.history["loss"]![i]).toBeCloseTo(ha.history["loss"]![i]!, 5);
    const after = tf.memory().numTensors;
    await b.fit(ds, { epochs: 5, verbose: 0 });
    expect(tf.memory().numTensors).toBe(after);
    expect(after - before).toBeLessThanOrEqual(b.optimizer!.variables.length + 4);
    const evalT = (await a.evaluate(x, y, { verbose: 0, returnDict: true }));
    const evalA = await a.evaluate(Dataset.fromTensorSlices([x, y]).batch(10), { verbose: 0, returnDict: true });
    expect(evalA["loss"]).toBeCloseTo(evalT["loss"]!, 5);
    const pt = a.predict(x);
    const pd = await a.predict(Dataset.fromTensorSlices(x).batch(10));
    expect(pd.shape).toEqual([64, 3]);
    expect(Array.from(pd.dataSync() as Float32Array)).toEqual(Array.from(pt.dataSync() as Float32Array));
    const pxy = await a.predict(ds, { steps: 2 });
    expect(pxy.shape).toEqual([32, 3]);
    const tob = await a.testOnBatch(x, y);
    expect(tob["loss"]).toBeCloseTo(evalT["loss"]!, 5);
  });

  it("stepsPerEpoch continues the pass across epochs; validation datasets; bad input", async () => {
    const x = tf.random.normal([32, 4], { seed: 1 });
    const y = tf.argmax(tf.slice(x, [0, 0], [-1, 3]), 1);
    const m = model();
    const ds = Dataset.fromTensorSlices([x, y]).shuffle(32).batch(8).repeat();
    const h = await m.fit(ds, { epochs: 2, stepsPerEpoch: 3, verbose: 0, validationData: Dataset.fromTensorSlices([x, y]).batch(16), validationSteps: 1 });
    expect(Object.keys(h.history)).toEqual(["loss", "accuracy", "val_loss", "val_accuracy"]);
    const h2 = await m.fit(Dataset.fromTensorSlices([x, y]).batch(8), { epochs: 4, verbose: 0, validationData: [x, y], validationFreq: 2 });
    expect(h2.history["val_loss"]).toHaveLength(2);
    await expect(m.fit(ds, { verbose: 0 })).rejects.toThrow(/the dataset is infinite; pass stepsPerEpoch/);
    await expect(m.fit(Dataset.fromTensorSlices(x).batch(8), { verbose: 0 })).rejects.toThrow(/need targets: yield \[x, y\]/);
    await expect(m.fit(Dataset.fromTensorSlices([x, y]).batch(8), { verbose: 0, batchSize: 4 })).rejects.toThrow(/do not pass batchSize with a Dataset/);
    await expect(m.fit(Dataset.fromTensorSlices([x, y]).batch(8), { verbose: 0, epoch: 3 } as never)).rejects.toThrow(/Model.fit\(\) got an unexpected option 'epoch' — did you mean 'epochs'/);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const short = await m.fit(Dataset.fromTensorSlices([x, y]).batch(8), { epochs: 3, stepsPerEpoch: 3, verbose: 0 });
    expect(short.epoch).toEqual([0, 1]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/ran out of data/));
    warn.mockRestore();
  });
});
