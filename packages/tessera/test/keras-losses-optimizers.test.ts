/**
 * tf.keras losses, optimizers and metrics on backend-js. Expected values are TensorFlow's documented
 * examples (`tf.keras.losses.*`, `tf.keras.optimizers.*` docstrings) or the formulas worked by hand.
 */
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { beforeAll, describe, expect, it, vi } from "vitest";

const L = tf.keras.losses;
const O = tf.keras.optimizers;
const M = tf.keras.metrics;

beforeAll(async () => {
  await tf.setBackend("js");
});

const num = (t: tf.Tensor): number => t.dataSync()[0] as number;

describe("losses", () => {
  it("MeanSquaredError and MeanAbsoluteError", () => {
    const yTrue = [[0, 1], [0, 0]];
    const yPred = [[1, 1], [1, 0]];
    expect(num(new L.MeanSquaredError().call(yTrue, yPred))).toBeCloseTo(0.5, 6);
    expect(num(new L.MeanAbsoluteError().call(yTrue, yPred))).toBeCloseTo(0.5, 6);
    expect(num(new L.MeanSquaredError().call(yTrue, yPred, [0.7, 0.3]))).toBeCloseTo(0.25, 6);
    expect(num(new L.MeanSquaredError({ reduction: "sum" }).call(yTrue, yPred))).toBeCloseTo(1.0, 6);
    expect(Array.from(new L.MeanSquaredError({ reduction: "none" }).call(yTrue, yPred).dataSync() as Float32Array)).toEqual([0.5, 0.5]);
  });

  it("BinaryCrossentropy from probabilities and from logits", () => {
    expect(num(new L.BinaryCrossentropy().call([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]))).toBeCloseTo(0.815, 3);
    expect(num(new L.BinaryCrossentropy({ fromLogits: true }).call([0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8]))).toBeCloseTo(0.865, 3);
    // Extreme logits stay finite (stable formulation); saturated probabilities are clipped to 1e-7.
    expect(num(new L.BinaryCrossentropy({ fromLogits: true }).call([[1, 0]], [[-200, 200]]))).toBeCloseTo(200, 3);
    expect(num(new L.BinaryCrossentropy().call([[1]], [[0]]))).toBeCloseTo(-Math.log(1e-7 + 1e-7), 1);
  });

  it("CategoricalCrossentropy and SparseCategoricalCrossentropy agree", () => {
    const probs = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]];
    expect(num(new L.CategoricalCrossentropy().call([[0, 1, 0], [0, 0, 1]], probs))).toBeCloseTo(1.177, 3);
    expect(num(new L.SparseCategoricalCrossentropy().call([1, 2], probs))).toBeCloseTo(1.177, 3);
    expect(num(new L.SparseCategoricalCrossentropy().call([[1], [2]], probs))).toBeCloseTo(1.177, 3);
    expect(num(new L.SparseCategoricalCrossentropy().call(tf.constant([1, 2], "float32"), probs))).toBeCloseTo(1.177, 3);
    const logits = [[1, 2, 3], [0.5, -1, 4]];
    const lse = (r: number[]) => Math.log(r.reduce((a, b) => a + Math.exp(b), 0));
    const want = ((lse(logits[0]!) - 2) + (lse(logits[1]!) - 0.5)) / 2;
    expect(num(new L.SparseCategoricalCrossentropy({ fromLogits: true }).call([1, 0], logits))).toBeCloseTo(want, 5);
    expect(num(new L.CategoricalCrossentropy({ fromLogits: true }).call([[0, 1, 0], [1, 0, 0]], logits))).toBeCloseTo(want, 5);
    expect(num(new L.CategoricalCrossentropy({ labelSmoothing: 0.1 }).call([[0, 1, 0]], [[0.2, 0.7, 0.1]]))).toBeCloseTo(
      -((0.1 / 3) * Math.log(0.2) + (0.9 + 0.1 / 3) * Math.log(0.7) + (0.1 / 3) * Math.log(0.1)),
      5,
    );
  });

  it("bad shapes and unknown names are clear errors", () => {
    expect(() => new L.SparseCategoricalCrossentropy().call([1, 2, 0], [[0.5, 0.5], [0.5, 0.5]])).toThrow(/incompatible shapes: labels \(3,\) and predictions \(2, 2\)/);
    expect(() => new L.CategoricalCrossentropy().call([[1, 0]], [[0.5, 0.5, 0]])).toThrow(/must have the same shape/);
    expect(() => L.getLoss("cross_entropy")).toThrow(
      /Unknown loss function: "cross_entropy". Valid losses are: "mse", "mae", "mean_squared_error", "mean_absolute_error", "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy"/,
    );
    expect(L.getLoss("sparseCategoricalCrossentropy")).toBeInstanceOf(L.SparseCategoricalCrossentropy);
  });
});

describe("optimizers", () => {
  it("Adam's first step matches TensorFlow (10 → 9.9 with lr 0.1 on v²/2)", () => {
    const v = new tf.Variable(10.0, { dtype: "float32" });
    const opt = new O.Adam({ learningRate: 0.1 });
    expect(opt.minimize(() => tf.divide(tf.square(v), 2), [v])).toBe(1);
    expect(num(v)).toBeCloseTo(9.9, 5);
    expect(opt.iterations).toBe(1);
    expect(opt.getConfig()).toMatchObject({ learning_rate: 0.1, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false });
  });

  it("Adam follows Keras's update over several steps", () => {
    const v = new tf.Variable([1.0, -2.0], { dtype: "float32" });
    const opt = new O.Adam({ learningRate: 0.01 });
    let m = [0, 0], s = [0, 0], w = [1.0, -2.0];
    for (let t = 1; t <= 5; t++) {
      const g = w.map((x) => 3 * x * x); // d/dw of w³
      m = m.map((mi, i) => mi + (g[i]! - mi) * 0.1);
      s = s.map((si, i) => si + (g[i]! ** 2 - si) * 0.001);
      const alpha = (0.01 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
      w = w.map((wi, i) => wi - (alpha * m[i]!) / (Math.sqrt(s[i]!) + 1e-7));
      opt.applyGradients(tf.zip([tf.constant(g.map(Math.fround), "float32")], [v]));
    }
    const got = v.dataSync();
    expect(got[0]).toBeCloseTo(w[0]!, 5);
    expect(got[1]).toBeCloseTo(w[1]!, 5);
  });

  it("SGD with momentum moves 0.1 then 0.18 (TensorFlow's docstring)", () => {
    const v = new tf.Variable(1.0, { dtype: "float32" });
    const opt = new O.SGD({ learningRate: 0.1, momentum: 0.9 });
    const loss = () => tf.divide(tf.square(v), 2);
    opt.minimize(loss, [v]);
    expect(1 - num(v)).toBeCloseTo(0.1, 6);
    const v1 = num(v);
    opt.minimize(loss, [v]);
    expect(v1 - num(v)).toBeCloseTo(0.18, 6);
    const plain = new tf.Variable(1.0, { dtype: "float32" });
    new O.SGD({ learningRate: 0.1 }).minimize(() => tf.divide(tf.square(plain), 2), [plain]);
    expect(num(plain)).toBeCloseTo(0.9, 6);
  });

  it("RMSprop's first step matches TensorFlow (10 → 9.683772)", () => {
    const v = new tf.Variable(10.0, { dtype: "float32" });
    new O.RMSprop({ learningRate: 0.1 }).minimize(() => tf.divide(tf.square(v), 2), [v]);
    expect(num(v)).toBeCloseTo(9.683772, 5);
    const c = new tf.Variable(10.0, { dtype: "float32" });
    new O.RMSprop({ learningRate: 0.1, centered: true, momentum: 0.5 }).minimize(() => tf.divide(tf.square(c), 2), [c]);
    // centred: ms = 10, mg = 1, Δ = 0.1·10/√(10 − 1) ; momentum starts at Δ.
    expect(num(c)).toBeCloseTo(10 - 1 / 3, 5);
  });

  it("applyGradients checks every pair before changing anything", () => {
    const a = new tf.Variable([1, 2], { dtype: "float32" });
    const b = new tf.Variable([3, 4], { dtype: "float32" });
    const opt = new O.SGD({ learningRate: 1 });
    expect(() => opt.applyGradients([[tf.constant([1, 1], "float32"), a], [tf.constant([1, 1, 1], "float32"), b]])).toThrow(
      /gradient shape \(3,\) does not match variable Variable:0 of shape \(2,\)/,
    );
    expect(Array.from(a.dataSync() as Float32Array)).toEqual([1, 2]);
    expect(() => opt.applyGradients([[null, a], [null, b]])).toThrow(/No gradients provided for any variable/);
    expect(() => opt.applyGradients([[tf.ones([2]), tf.ones([2]) as unknown as tf.Variable]])).toThrow(/must be a tf.Variable/);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    opt.applyGradients([[null, a], [tf.constant([1, 1], "float32"), b]]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Gradients do not exist for variables \[Variable:0\]/));
    warn.mockRestore();
    expect(Array.from(b.dataSync() as Float32Array)).toEqual([2, 3]);
    expect(() => tf.zip([1, 2], [1])).toThrow(/different lengths \(2 vs 1\)/);
  });

  it("optimizer names and bad options", () => {
    expect(O.get("Adam")).toBeInstanceOf(O.Adam);
    expect(O.get("rmsprop")).toBeInstanceOf(O.RMSprop);
    expect(() => O.get("adamx")).toThrow(/Unknown optimizer: "adamx". Valid optimizers are: "sgd", "adam", "adamw", "rmsprop"/);
    expect(() => new O.Adam({ learningRate: -1 })).toThrow(/learningRate/);
    expect(() => new O.SGD({ momentum: 1 })).toThrow(/momentum/);
  });

  it("slot variables are created once and freed by dispose", () => {
    const v = new tf.Variable(tf.ones([3, 3]));
    const opt = new O.Adam();
    const before = tf.memory().numTensors;
    opt.applyGradients([[tf.ones([3, 3]), v]]);
    opt.applyGradients([[tf.ones([3, 3]), v]]);
    expect(opt.variables.map((s) => s.name)).toEqual(["m/Variable:0", "v/Variable:0"]);
    expect(tf.memory().numTensors).toBe(before + 2 + 2); // two slots, two gradient constants
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before + 2);
  });
});

describe("metrics", () => {
  it("SparseCategoricalAccuracy accumulates across batches", () => {
    const m = new M.SparseCategoricalAccuracy();
    m.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
    expect(num(m.result())).toBeCloseTo(0.5, 6);
    m.updateState([0, 0], [[0.9, 0.1, 0], [0.8, 0.2, 0]]);
    expect(num(m.result())).toBeCloseTo(0.75, 6);
    m.resetState();
    expect(num(m.result())).toBe(0);
    expect(m.name).toBe("sparse_categorical_accuracy");
  });

  it("Mean, categorical and binary accuracy", () => {
    const mean = new M.Mean("train_loss");
    mean.updateState([1, 3, 5]);
    mean.updateState(7, 3);
    expect(num(mean.result())).toBeCloseTo((1 + 3 + 5 + 21) / 6, 5);
    expect(Array.from(M.categoricalAccuracy([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]).dataSync() as Float32Array)).toEqual([0, 1]);
    expect(Array.from(M.binaryAccuracy([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]).dataSync() as Float32Array)).toEqual([1, 1, 1, 0]);
    expect(() => M.getMetric("precisio")).toThrow(/Unknown metric function: "precisio". Valid metrics are: "accuracy", "acc"/);
  });
});
