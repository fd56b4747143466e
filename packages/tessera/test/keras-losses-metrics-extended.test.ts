/**
 * The Keras losses and metrics beyond the first five/four: values from the Keras docstring examples
 * (worked by hand where noted), the stateful metric API, option checks, memory, and use in compile/fit.
 */
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { beforeAll, describe, expect, it } from "vitest";

const L = tf.keras.losses;
const M = tf.keras.metrics;

beforeAll(async () => {
  await tf.setBackend("js");
});

const num = (t: tf.Tensor): number => {
  const v = t.dataSync()[0] as number;
  t.dispose();
  return v;
};

const T = [[0, 1], [0, 0]];
const P = [[0.6, 0.4], [0.4, 0.6]];

describe("losses", () => {
  it("regression and probabilistic losses match Keras's examples", () => {
    expect(num(new L.Huber().call(T, P))).toBeCloseTo(0.155, 3);
    expect(num(new L.Huber({ delta: 0.1 }).call([[0]], [[1]]))).toBeCloseTo(0.1 * 1 - 0.005, 6);
    expect(num(new L.LogCosh().call(T, [[1, 1], [0, 0]]))).toBeCloseTo(0.108, 3);
    expect(num(new L.KLDivergence().call(T, P))).toBeCloseTo(0.458, 3);
    expect(num(new L.Poisson().call(T, [[1, 1], [0, 0]]))).toBeCloseTo(0.5, 3);
    expect(num(new L.MeanSquaredLogarithmicError().call(T, [[1, 1], [1, 0]]))).toBeCloseTo(0.24, 2);
    expect(num(new L.MeanAbsolutePercentageError().call([[2, 1], [2, 3]], [[1, 1], [1, 0]]))).toBeCloseTo(50, 4);
    expect(num(new L.CosineSimilarity({ axis: 1 }).call([[0, 1], [1, 1]], [[1, 0], [1, 1]]))).toBeCloseTo(-0.5, 5);
    // LogCosh of a large error stays finite (≈ |x| − log 2).
    expect(num(new L.LogCosh().call([[0]], [[1000]]))).toBeCloseTo(1000 - Math.log(2), 2);
  });

  it("hinge losses convert 0/1 labels to -1/1", () => {
    expect(num(new L.Hinge().call(T, P))).toBeCloseTo(1.3, 4);
    expect(num(new L.SquaredHinge().call(T, P))).toBeCloseTo(1.86, 4);
    expect(num(new L.CategoricalHinge().call(T, P))).toBeCloseTo(1.4, 4);
    expect(num(new L.Hinge().call([[-1, 1]], [[0.6, 0.4]]))).toBeCloseTo((1.6 + 0.6) / 2, 5);
  });

  it("focal cross-entropies (Keras's examples and a float64 worked case)", () => {
    const y = [0, 1, 0, 0];
    const logits = [-18.6, 0.51, 2.94, -12.8];
    expect(num(new L.BinaryFocalCrossentropy({ gamma: 2, fromLogits: true }).call(y, logits))).toBeCloseTo(0.691, 3);
    expect(num(new L.BinaryFocalCrossentropy({ applyClassBalancing: true, gamma: 2, fromLogits: true }).call(y, logits))).toBeCloseTo(0.51, 2);
    // By hand: p = 0.8, t = 1, γ = 3 → (1 − 0.8)³ · −log 0.8.
    expect(num(new L.BinaryFocalCrossentropy({ gamma: 3 }).call([[1]], [[0.8]]))).toBeCloseTo(0.2 ** 3 * -Math.log(0.8), 6);
    expect(num(new L.CategoricalFocalCrossentropy().call([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]))).toBeCloseTo(0.23315276, 5);
  });

  it("names in compile, sample weights, reductions and option checks", () => {
    for (const n of ["huber", "log_cosh", "kld", "poisson", "hinge", "squared_hinge", "categorical_hinge", "cosine_similarity", "msle", "mape", "binary_focal_crossentropy", "categorical_focal_crossentropy"]) {
      expect(L.getLoss(n)).toBeInstanceOf(L.Loss);
    }
    expect(num(new L.Huber().call(T, P, [1, 0]))).toBeCloseTo((0.5 * 0.36 + 0.5 * 0.36) / 2 / 2, 5);
    expect(num(new L.Hinge({ reduction: "sum" }).call(T, P))).toBeCloseTo(2.6, 4);
    expect(() => new L.Huber({ delt: 2 } as never)).toThrow(/keras.losses.Huber\(\) got an unexpected option 'delt' — did you mean 'delta'\?/);
    expect(() => new L.BinaryCrossentropy({ from_logits: true } as never)).toThrow(/keras.losses.BinaryCrossentropy\(\) got an unexpected option 'from_logits' — did you mean 'fromLogits'\?/);
    expect(() => new L.SparseCategoricalCrossentropy({ labelSmoothing: 0.1 } as never)).toThrow(TypeError);
    expect(() => new L.MeanSquaredError({ reductions: "sum" } as never)).toThrow(/did you mean 'reduction'/);
  });
});

describe("metrics", () => {
  it("confusion counts, Precision and Recall (Keras's examples)", () => {
    const p = new M.Precision();
    p.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
    expect(num(p.result())).toBeCloseTo(2 / 3, 5);
    p.resetState();
    p.updateState([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]);
    expect(num(p.result())).toBeCloseTo(1, 5);
    const r = new M.Recall();
    r.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
    expect(num(r.result())).toBeCloseTo(2 / 3, 5);
    const tp = new M.TruePositives();
    tp.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
    expect(num(tp.result())).toBe(2);
    const fp = new M.FalsePositives(), tn = new M.TrueNegatives(), fn = new M.FalseNegatives();
    for (const m of [fp, tn, fn]) m.updateState([0, 1, 0, 1, 0], [0.9, 0.2, 0.1, 0.7, 0.6]);
    expect([num(fp.result()), num(tn.result()), num(fn.result())]).toEqual([2, 1, 1]);
    const multi = new M.Precision({ thresholds: [0.2, 0.8] });
    multi.updateState([0, 1, 1, 1], [0.5, 0.3, 0.9, 0.1]);
    expect(Array.from(multi.result().dataSync() as Float32Array).map((x) => +x.toFixed(5))).toEqual([+(2 / 3).toFixed(5), 1]);
    const byClass = new M.Recall({ classId: 1 });
    byClass.updateState([[0, 1], [1, 0], [0, 1]], [[0.2, 0.8], [0.9, 0.1], [0.7, 0.3]]);
    expect(num(byClass.result())).toBeCloseTo(0.5, 5);
    expect(num(new M.Precision().result())).toBe(0); // nothing seen: 0, not NaN
  });

  it("AUC: ROC (Keras's example), PR, and separable data", () => {
    const roc = new M.AUC({ numThresholds: 3 });
    roc.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
    expect(num(roc.result())).toBeCloseTo(0.75, 6);
    const perfect = new M.AUC();
    perfect.updateState([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]);
    expect(num(perfect.result())).toBeCloseTo(1, 4);
    const pr = new M.AUC({ curve: "PR" });
    pr.updateState([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]);
    expect(num(pr.result())).toBeCloseTo(1, 3);
    const inverted = new M.AUC();
    inverted.updateState([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]);
    expect(num(inverted.result())).toBeCloseTo(0, 4);
    expect(() => new M.AUC({ curve: "roc" as never })).toThrow(/curve must be "ROC" or "PR"/);
    expect(() => new M.AUC({ num_thresholds: 10 } as never)).toThrow(/keras.metrics.AUC\(\) got an unexpected option 'num_thresholds' — did you mean 'numThresholds'\?/);
  });

  it("top-k, RMSE, Sum, regression metrics", () => {
    const topk = new M.TopKCategoricalAccuracy({ k: 1 });
    topk.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
    expect(num(topk.result())).toBeCloseTo(0.5, 6);
    const sparse = new M.SparseTopKCategoricalAccuracy({ k: 1 });
    sparse.updateState([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
    expect(num(sparse.result())).toBeCloseTo(0.5, 6);
    const top2 = new M.SparseTopKCategoricalAccuracy({ k: 2 });
    top2.updateState([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
    expect(num(top2.result())).toBeCloseTo(1, 6);
    const rmse = new M.RootMeanSquaredError();
    rmse.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
    expect(num(rmse.result())).toBeCloseTo(0.5, 6);
    const sum = new M.Sum();
    sum.updateState([1, 3, 5, 7]);
    expect(num(sum.result())).toBe(16);
    const mse = new M.MeanSquaredError();
    mse.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
    expect(num(mse.result())).toBeCloseTo(0.25, 6);
    const cos = new M.CosineSimilarity();
    cos.updateState([[0, 1], [1, 1]], [[1, 0], [1, 1]]);
    expect(num(cos.result())).toBeCloseTo(0.5, 5);
    expect(() => new M.TopKCategoricalAccuracy({ k: 0 })).toThrow(/k must be a positive integer/);
    expect(() => new M.Sum({ nam: "x" } as never)).toThrow(/did you mean 'name'/);
  });

  it("stateful metrics keep memory flat in a custom loop", () => {
    const ms = [new M.AUC(), new M.Precision(), new M.RootMeanSquaredError(), new M.SparseTopKCategoricalAccuracy({ k: 2 })];
    const yb = tf.constant([0, 1, 1, 0], "float32");
    const pb = tf.constant([0.2, 0.7, 0.4, 0.9], "float32");
    const labels = tf.constant([0, 2], "int32");
    const probs = tf.constant([[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]], "float32");
    const step = () => {
      ms[0]!.updateState(yb, pb);
      ms[1]!.updateState(yb, pb);
      ms[2]!.updateState(yb, pb);
      ms[3]!.updateState(labels, probs);
      for (const m of ms) m.result().dispose();
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) step();
    for (const m of ms) m.resetState();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("compile takes them by name or instance and fit reports them", async () => {
    tf.random.setSeed(5);
    const x = tf.random.normal([64, 3], { seed: 2 });
    const y = tf.cast(tf.greater(tf.slice(x, [0, 0], [-1, 1]), 0), "float32");
    const model = new tf.keras.Sequential([new tf.keras.layers.Dense(1, { activation: "sigmoid", inputShape: [3] })]);
    model.compile({ optimizer: new tf.keras.optimizers.Adam({ learningRate: 0.1 }), loss: "binary_focal_crossentropy", metrics: ["auc", new M.Precision({ name: "prec" }), "recall"] });
    const h = await model.fit(x, y, { epochs: 5, batchSize: 16, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(["loss", "auc", "prec", "recall"]);
    expect(h.history["auc"]![4]!).toBeGreaterThan(0.9);
  });
});
