/**
 * Optimizer state that saves and restores: `getWeights`/`setWeights` (iterations first, then each
 * slot kind over the variables), `model.save(dest, { includeOptimizer: true })` in TensorFlow.js's
 * layout, and resumed training that is bit-identical to an uninterrupted run.
 */
import * as tfc from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { beforeAll, describe, expect, it } from "vitest";
import { kerasSaveSetup } from "./helpers/keras-setup.js";
import { tfjsFileLoader, tfjsFileSaver } from "./helpers/tfjs-files.js";

const O = tf.keras.optimizers;
const { fresh } = kerasSaveSetup("tessera-optstate-", 5);
beforeAll(async () => {
  await tfc.setBackend("cpu");
});

const W0 = [[0.5, -1.5, 2.0, 0.1], [0.3, -0.2]];
/** A loss with a gradient that changes every step: Σ w³/3 + w² over both variables. */
const lossOf = (vs: tf.Variable[]) => () => vs.map((v) => tf.reduceSum(tf.add(tf.divide(tf.pow(v, 3), 3), tf.square(v)))).reduce((a, b) => tf.add(a, b));
const vars = (): tf.Variable[] => W0.map((w) => new tf.Variable(w, { dtype: "float32" }));
const values = (vs: readonly tf.Tensor[]): number[][] => vs.map((v) => Array.from(v.dataSync() as Float32Array));

/** Every optimizer configuration whose state must survive a restore. */
const CASES: [string, () => tf.keras.optimizers.Optimizer, string[]][] = [
  ["SGD", () => new O.SGD({ learningRate: 0.05 }), []],
  ["SGD momentum", () => new O.SGD({ learningRate: 0.05, momentum: 0.9 }), ["momentum"]],
  ["SGD nesterov", () => new O.SGD({ learningRate: 0.05, momentum: 0.8, nesterov: true }), ["momentum"]],
  ["Adam", () => new O.Adam({ learningRate: 0.05 }), ["m", "v"]],
  ["Adam amsgrad", () => new O.Adam({ learningRate: 0.05, amsgrad: true }), ["m", "v", "vhat"]],
  ["AdamW", () => new O.AdamW({ learningRate: 0.05, weightDecay: 0.01 }), ["m", "v"]],
  ["Adamax", () => new O.Adamax({ learningRate: 0.05 }), ["m", "u"]],
  ["Nadam", () => new O.Nadam({ learningRate: 0.05 }), ["momentum", "velocity"]],
  ["RMSprop", () => new O.RMSprop({ learningRate: 0.01 }), ["velocity"]],
  ["RMSprop centered momentum", () => new O.RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true }), ["velocity", "momentum", "average_gradient"]],
  ["Adagrad", () => new O.Adagrad({ learningRate: 0.1 }), ["accumulator"]],
  ["Adadelta", () => new O.Adadelta({ learningRate: 1 }), ["accumulated_grad", "accumulated_delta_var"]],
  ["Ftrl", () => new O.Ftrl({ learningRate: 0.1, l1RegularizationStrength: 0.01 }), ["accumulator", "linear"]],
  ["Lion", () => new O.Lion({ learningRate: 0.01 }), ["momentum"]],
  ["Adam with a schedule", () => new O.Adam({ learningRate: new O.schedules.ExponentialDecay(0.05, 3, 0.5) }), ["m", "v"]],
];

describe("optimizer.getWeights / setWeights", () => {
  it.each(CASES)("%s: a restored optimizer continues bit-identically", (_name, make, slots) => {
    const N = 4, M = 5;
    // Uninterrupted N + M steps.
    const ref = vars();
    const refOpt = make();
    for (let i = 0; i < N + M; i++) refOpt.minimize(lossOf(ref), ref);
    // N steps, state saved, then a fresh optimizer on fresh variables restored and M more steps.
    const a = vars();
    const optA = make();
    for (let i = 0; i < N; i++) optA.minimize(lossOf(a), a);
    const state = optA.getWeights();
    expect(state.length).toBe(1 + slots.length * 2);
    expect(state[0]!.dtype).toBe("int32");
    expect(state[0]!.shape).toEqual([]);
    expect(state[0]!.dataSync()[0]).toBe(N);
    // Slot kind by slot kind, each over the variables in order.
    state.slice(1).forEach((t, i) => expect(t.shape).toEqual([W0[i % 2]!.length]));
    expect(optA.namedWeights().map((w) => w.name)).toEqual(["iter", ...slots.flatMap((s) => [`Variable/${s}`, `Variable/${s}`])]);
    const b = W0.map((_, i) => new tf.Variable(a[i]!.readValue(), { dtype: "float32" }));
    const optB = make();
    optB.build(b);
    expect(optB.built).toBe(true);
    optB.setWeights(state);
    expect(optB.iterations).toBe(N);
    expect(values(optB.getWeights())).toEqual(values(state));
    for (let i = 0; i < M; i++) optB.minimize(lossOf(b), b);
    expect(values(b)).toEqual(values(ref));
    expect(optB.iterations).toBe(N + M);
    expect(values(optB.getWeights())).toEqual(values(refOpt.getWeights()));
    for (const t of [...state, ...ref, ...a, ...b]) t.dispose();
    for (const o of [refOpt, optA, optB]) o.dispose();
  });

  it("a fresh optimizer reports only its iterations; build creates zero (or initial-valued) slots", () => {
    const v = vars();
    const opt = new O.Adagrad({ initialAccumulatorValue: 0.25 });
    expect(opt.built).toBe(false);
    expect(values(opt.getWeights())).toEqual([[0]]);
    opt.build(v);
    expect(values(opt.getWeights())).toEqual([[0], [0.25, 0.25, 0.25, 0.25], [0.25, 0.25]]);
    // Building again with the same variables changes nothing.
    opt.build(v);
    expect(opt.getWeights().length).toBe(3);
    expect(opt.variables.map((s) => s.name)).toEqual(["accumulator/Variable:0", "accumulator/Variable:0"]);
    opt.dispose();
    expect(opt.built).toBe(false);
    v.forEach((x) => x.dispose());
  });

  it("setWeights with iterations alone works before build (SGD without momentum has no slots)", () => {
    const opt = new O.SGD();
    opt.setWeights([tf.constant(7, "int32")]);
    expect(opt.iterations).toBe(7);
    opt.setWeights([12]);
    expect(opt.iterations).toBe(12);
  });

  it("restoring the step count restores a schedule's position", () => {
    const make = () => new O.SGD({ learningRate: new O.schedules.PiecewiseConstantDecay([2], [0.1, 0.01]) });
    const opt = make();
    expect(opt.learningRate).toBeCloseTo(0.1);
    opt.setWeights([tf.constant(3, "int32")]);
    expect(opt.learningRate).toBeCloseTo(0.01);
  });

  describe("bad input: a clear error, and no state changed", () => {
    const setup = () => {
      const v = vars();
      const opt = new O.Adam({ learningRate: 0.1 });
      opt.minimize(lossOf(v), v);
      return { v, opt, before: values(opt.getWeights()) };
    };

    it("an optimizer that was never built", () => {
      const opt = new O.Adam();
      expect(() => opt.setWeights([0, [1, 2, 3, 4], [1, 2]])).toThrow(/has not been built yet.*optimizer\.build\(model\.trainableVariables\)/);
    });

    it("the wrong number of weights", () => {
      const { opt, before } = setup();
      expect(() => opt.setWeights(opt.getWeights().slice(0, 3))).toThrow(/expects 5 weights \(iterations, then m, v for each of 2 variables\), but received 3\. No state was changed/);
      expect(values(opt.getWeights())).toEqual(before);
    });

    it("a mis-shaped slot value", () => {
      const { opt, before } = setup();
      const w = opt.getWeights();
      w[4] = tf.zeros([3]);
      expect(() => opt.setWeights(w)).toThrow(/weight 4 has shape \(3,\), but slot v\/Variable:0 has shape \(2,\)\. No state was changed/);
      expect(values(opt.getWeights())).toEqual(before);
      expect(opt.iterations).toBe(1);
    });

    it("a slot value of another dtype", () => {
      const { opt } = setup();
      const w = opt.getWeights();
      w[1] = tf.zeros([4], "int32");
      expect(() => opt.setWeights(w)).toThrow(/weight 1 has dtype int32, but slot m\/Variable:0 has dtype float32/);
    });

    it("iterations that are not a non-negative integer scalar", () => {
      const { opt } = setup();
      const w = opt.getWeights();
      expect(() => opt.setWeights([tf.constant([1, 2], "int32"), ...w.slice(1)])).toThrow(/weight 0 must be the iterations count, a numeric scalar/);
      expect(() => opt.setWeights([tf.constant(-1, "int32"), ...w.slice(1)])).toThrow(/must be a non-negative integer, got -1/);
      expect(() => opt.setWeights([tf.constant(1.5), ...w.slice(1)])).toThrow(/must be a non-negative integer, got 1\.5/);
      expect(opt.iterations).toBe(1);
    });

    it("not an array; build with something that is not a Variable", () => {
      const opt = new O.Adam();
      expect(() => opt.setWeights(tf.zeros([1]) as unknown as tf.Tensor[])).toThrow(/expects an array of tensors/);
      expect(() => opt.build([tf.zeros([2])] as unknown as tf.Variable[])).toThrow(/element 0 of varList must be a tf\.Variable/);
      expect(() => opt.build("w" as unknown as tf.Variable[])).toThrow(/build expects a list of tf\.Variable/);
    });

    it("no tensors leak from getWeights/setWeights", () => {
      const { v, opt } = setup();
      const n0 = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        const w = opt.getWeights();
        opt.setWeights(w);
        w.forEach((t) => t.dispose());
      }
      expect(tf.memory().numTensors).toBe(n0);
      opt.dispose();
      v.forEach((x) => x.dispose());
    });
  });
});

// ------------------------------------------------------------------ models

const X = tf.random.uniform([12, 3], { seed: 11 });
const Y = tf.random.uniform([12, 2], { seed: 12 });

function mlp(): tf.keras.Sequential {
  return new tf.keras.Sequential([new tf.keras.layers.Dense(5, { activation: "tanh", inputShape: [3] }), new tf.keras.layers.Dense(2)]);
}

const MODEL_CASES: [string, () => tf.keras.optimizers.Optimizer][] = [
  ["Adam", () => new O.Adam({ learningRate: 0.02 })],
  ["AdamW", () => new O.AdamW({ learningRate: 0.02, weightDecay: 0.05 })],
  ["SGD with momentum", () => new O.SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
  ["Nadam", () => new O.Nadam({ learningRate: 0.02 })],
];

describe("model.save(dest, { includeOptimizer: true })", () => {
  it.each(MODEL_CASES)("%s: fit N epochs, save, load, fit M more = fit N + M epochs, weight for weight", async (_name, make) => {
    const fitArgs = { batchSize: 4, shuffle: false, verbose: 0 as const };
    tf.random.setSeed(3);
    const ref = mlp();
    const start = ref.getWeights();
    ref.compile({ optimizer: make(), loss: "mse", metrics: ["mae"] });
    await ref.fit(X, Y, { ...fitArgs, epochs: 5 });

    const a = mlp();
    a.setWeights(start);
    a.compile({ optimizer: make(), loss: "mse", metrics: ["mae"] });
    await a.fit(X, Y, { ...fitArgs, epochs: 2 });
    const dir = fresh();
    await a.save(dir, { includeOptimizer: true });
    const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
    expect(json.trainingConfig).toMatchObject({ loss: "mean_squared_error", metrics: ["mae"], optimizer_config: { class_name: make().className } });
    const specs = json.weightsManifest[0].weights as { name: string; group?: string; dtype: string }[];
    expect(specs.filter((s) => s.group === "optimizer")[0]).toMatchObject({ name: "iter", dtype: "int32" });

    const b = await tf.keras.models.loadModel<tf.keras.KerasTensor>(dir);
    expect(b.optimizer).not.toBeNull();
    expect(b.optimizer!.className).toBe(make().className);
    expect(b.optimizer!.iterations).toBe(a.optimizer!.iterations);
    expect(values(b.optimizer!.getWeights())).toEqual(values(a.optimizer!.getWeights()));
    await b.fit(X, Y, { ...fitArgs, epochs: 3 });
    expect(values(b.getWeights())).toEqual(values(ref.getWeights()));
    expect(values(b.optimizer!.getWeights())).toEqual(values(ref.optimizer!.getWeights()));
    for (const m of [ref, a, b]) m.dispose();
  });

  it("without includeOptimizer nothing of the optimizer is saved; compile: false loads uncompiled", async () => {
    const m = mlp();
    m.compile({ optimizer: "adam", loss: "mse" });
    await m.fit(X, Y, { epochs: 1, verbose: 0 });
    const plain = fresh();
    await m.save(plain);
    const json = JSON.parse(readFileSync(join(plain, "model.json"), "utf8"));
    expect(json.trainingConfig).toBeUndefined();
    expect((await tf.keras.models.loadModel(plain)).optimizer).toBeNull();
    const full = fresh();
    await m.save(full, { includeOptimizer: true });
    expect((await tf.keras.models.loadModel(full, { compile: false })).optimizer).toBeNull();
  });

  it("a loss instance keeps its config (fromLogits) through the training config", async () => {
    const m = mlp();
    m.compile({ optimizer: new O.RMSprop({ learningRate: 0.01, momentum: 0.5 }), loss: new tf.keras.losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), metrics: ["accuracy"] });
    await m.fit(X, tf.oneHot(tf.constant([0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0], "int32"), 2), { epochs: 1, verbose: 0 });
    const dir = fresh();
    await m.save(dir, { includeOptimizer: true });
    const b = await tf.keras.models.loadModel(dir);
    const loss = b.loss as tf.keras.losses.CategoricalCrossentropy;
    expect(loss.className).toBe("CategoricalCrossentropy");
    expect(loss.getConfig()).toMatchObject({ from_logits: true, label_smoothing: 0.1 });
    expect(b.optimizer!.getConfig()).toMatchObject({ momentum: 0.5 });
    expect(values(b.optimizer!.getWeights())).toEqual(values(m.optimizer!.getWeights()));
  });

  it("bad input: an uncompiled model, unknown or ill-typed options", async () => {
    const m = mlp();
    await expect(m.save(fresh(), { includeOptimizer: true })).rejects.toThrow(/is not compiled, so it has no optimizer to save/);
    await expect(m.save(fresh(), { includeOptimiser: true } as unknown as tf.keras.SaveOptions)).rejects.toThrow(/Model\.save\(\) got an unexpected option 'includeOptimiser' — did you mean 'includeOptimizer'\?/);
    await expect(m.save(fresh(), { includeOptimizer: "yes" } as unknown as tf.keras.SaveOptions)).rejects.toThrow(/`includeOptimizer` must be a boolean/);
    await expect(tf.keras.models.loadModel(fresh(), { compiled: false } as unknown as tf.keras.LoadOptions)).rejects.toThrow(/did you mean 'compile'/);
  });

  it("a training config naming an unknown loss fails the load (compile: false still loads)", async () => {
    const m = mlp();
    m.compile({ optimizer: "sgd", loss: "mse" });
    const dir = fresh();
    await m.save(dir, { includeOptimizer: true });
    const p = join(dir, "model.json");
    const json = JSON.parse(readFileSync(p, "utf8"));
    json.trainingConfig.loss = { class_name: "NoSuchLoss", config: {} };
    (await import("node:fs")).writeFileSync(p, JSON.stringify(json));
    await expect(tf.keras.models.loadModel(dir)).rejects.toThrow(/unknown loss class "NoSuchLoss"/);
    expect((await tf.keras.models.loadModel(dir, { compile: false })).optimizer).toBeNull();
  });
});

describe("interop with TensorFlow.js 4.22 (includeOptimizer)", () => {
  /** The same MLP in TF.js with Tessera's weights. */
  function theirMlp(weights: tf.Tensor[]): tfl.Sequential {
    const t = tfl.sequential({ layers: [tfl.layers.dense({ units: 5, activation: "tanh", inputShape: [3] }), tfl.layers.dense({ units: 2 })] });
    t.setWeights(weights.map((w) => tfc.tensor(Array.from(w.dataSync() as Float32Array), w.shape)));
    return t;
  }

  it("TensorFlow.js reads Tessera's Adam state, and Tessera reads TensorFlow.js's", async () => {
    const ours = mlp();
    ours.compile({ optimizer: new O.Adam({ learningRate: 0.01 }), loss: "mse" });
    await ours.fit(X, Y, { epochs: 2, batchSize: 6, shuffle: false, verbose: 0 });
    const dir = fresh();
    await ours.save(dir, { includeOptimizer: true });
    const theirs = await tfl.loadLayersModel(tfjsFileLoader(dir));
    expect(theirs.optimizer.getClassName()).toBe("Adam");
    const theirState = await theirs.optimizer.getWeights();
    const ourState = ours.optimizer!.getWeights();
    expect(theirState.length).toBe(ourState.length);
    expect(Array.from(theirState[0]!.tensor.dataSync() as Int32Array)).toEqual([4]);
    theirState.slice(1).forEach((w, i) => expect(Array.from(w.tensor.dataSync() as Float32Array)).toEqual(Array.from(ourState[i + 1]!.dataSync() as Float32Array)));

    // The other way: TF.js trains and saves with its optimizer; Tessera loads and holds the same state.
    const t = theirMlp(ours.getWeights());
    t.compile({ optimizer: tfc.train.adam(0.01), loss: "meanSquaredError" });
    await t.fit(tfc.tensor(Array.from(X.dataSync() as Float32Array), X.shape), tfc.tensor(Array.from(Y.dataSync() as Float32Array), Y.shape), { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    const dir2 = fresh();
    await t.save(tfjsFileSaver(dir2), { includeOptimizer: true });
    const back = await tf.keras.models.loadModel(dir2);
    expect(back.optimizer!.className).toBe("Adam");
    const want = await t.optimizer.getWeights();
    const got = back.optimizer!.getWeights();
    expect(got.length).toBe(want.length);
    expect(got[0]!.dataSync()[0]).toBe(3);
    want.slice(1).forEach((w, i) => expect(Array.from(got[i + 1]!.dataSync() as Float32Array)).toEqual(Array.from(w.tensor.dataSync() as Float32Array)));
  });
});
