/**
 * Regularizers and constraints: Dense layers carrying them saved to and loaded from TensorFlow.js,
 * `layer.losses`, a training step against TensorFlow.js's (penalty in the loss, projection after the
 * update), each constraint by hand, penalty gradients, bad input.
 */
import * as tfc from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { describe, expect, it } from "vitest";
import { checkGradients, variable64 } from "./helpers/gradcheck.js";
import { checkInterop, randomData } from "./helpers/layer-interop.js";
import { maxDiff } from "./helpers/tfjs-files.js";
import { kerasLayerSetup, vals } from "./helpers/keras-layer-setup.js";

const L = tf.keras.layers;
const R = tf.keras.regularizers;
const C = tf.keras.constraints;
kerasLayerSetup({ what: "a regularizer test", also: () => tfc.setBackend("cpu") });

describe("with TensorFlow.js", () => {
  it("a Dense layer with regularizers and constraints loads both ways", async () =>
    checkInterop({
      name: "Dense",
      // (TF.js projects weights when they are set, Keras only after updates: the random weights satisfy the constraints.)
      ours: () => new L.Dense(3, { kernelRegularizer: R.l1l2({ l1: 0.01, l2: 0.02 }), biasRegularizer: "l2", kernelConstraint: C.maxNorm({ maxValue: 3 }) }),
      theirs: () => tfl.layers.dense({ units: 3, kernelRegularizer: tfl.regularizers.l1l2({ l1: 0.01, l2: 0.02 }), kernelConstraint: tfl.constraints.maxNorm({ maxValue: 3 }) }),
      input: [4],
    }));

  it("a training step agrees with TensorFlow.js's: penalties in the loss, projections after the update", async () => {
    // Initial weights within the constraints (TF.js projects weights as they are set; Keras does not).
    const w0 = randomData([4, 3], 1).map((v) => v / 10);
    const b0 = [0.1, 0, 0.3];
    const xs = randomData([8, 4], 2);
    const ys = randomData([8, 3], 3).map((v) => v * 4);
    const ours = new tf.keras.Sequential([new L.Dense(3, { inputShape: [4], kernelRegularizer: R.l1l2({ l1: 0.01, l2: 0.1 }), kernelConstraint: C.maxNorm({ maxValue: 0.45 }), biasConstraint: C.nonNeg() })]);
    // TF.js's fit does not apply constraints after updates (only when weights are set): its step is
    // compared unconstrained, and ours must be its projection.
    const theirs = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4], kernelRegularizer: tfl.regularizers.l1l2({ l1: 0.01, l2: 0.1 }) })] });
    tf.tidy(() => ours.setWeights([tf.constant(w0, { shape: [4, 3], dtype: "float32" }), tf.constant(b0, "float32")]));
    theirs.setWeights([tfc.tensor(w0, [4, 3]), tfc.tensor(b0)]);
    // model.losses: the kernel's penalty.
    const pen = tf.tidy(() => vals(ours.losses[0]!)[0]!);
    expect(pen).toBeCloseTo(0.01 * w0.reduce((a, v) => a + Math.abs(v), 0) + 0.1 * w0.reduce((a, v) => a + v * v, 0), 5);
    ours.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.5 }), loss: "meanSquaredError" });
    theirs.compile({ optimizer: tfc.train.sgd(0.5), loss: "meanSquaredError" });
    const x = tf.constant(xs, { shape: [8, 4], dtype: "float32" });
    const y = tf.constant(ys, { shape: [8, 3], dtype: "float32" });
    const tx = tfc.tensor(xs, [8, 4]);
    const ty = tfc.tensor(ys, [8, 3]);
    const h1 = await ours.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const h2 = await theirs.fit(tx, ty, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(maxDiff(h1.history["loss"] as number[], h2.history["loss"] as number[])).toBeLessThan(1e-5);
    const a = ours.getWeights();
    const b = theirs.getWeights();
    const projected = tf.tidy(() => [vals(C.maxNorm({ maxValue: 0.45 }).apply(tf.constant(vals(b[0]!), { shape: [4, 3], dtype: "float32" }))), vals(C.nonNeg().apply(tf.constant(vals(b[1]!), "float32")))]);
    a.forEach((t, i) => expect(maxDiff(vals(t), projected[i]!)).toBeLessThan(1e-5));
    // The constraints hold, and acted: column norms ≤ 0.45 with one at the bound, bias ≥ 0.
    const k = vals(a[0]!);
    const colNorms = [0, 1, 2].map((c) => Math.sqrt([0, 1, 2, 3].reduce((s, r) => s + k[r * 3 + c]! ** 2, 0)));
    for (const n of colNorms) expect(n).toBeLessThanOrEqual(0.45 + 1e-6);
    expect(Math.max(...colNorms)).toBeCloseTo(0.45, 5);
    expect(Math.min(...vals(a[1]!))).toBeGreaterThanOrEqual(0);
    a.forEach((t) => t.dispose());
    tfc.dispose([tx, ty]);
    for (const t of [x, y]) t.dispose();
    ours.dispose();
    theirs.dispose();
  });
});

describe("by hand", () => {
  it("each constraint, and configs that round-trip", () => {
    tf.tidy(() => {
      const w = tf.constant([[3, 0.1], [4, -0.2]], "float32"); // column norms 5 and √0.05
      const close = (t: tf.Tensor, e: number[]) => e.forEach((v, i) => expect(vals(t)[i]).toBeCloseTo(v, 5));
      close(C.unitNorm().apply(w), [0.6, 0.1 / Math.sqrt(0.05), 0.8, -0.2 / Math.sqrt(0.05)]);
      close(C.maxNorm({ maxValue: 2 }).apply(w), [1.2, 0.1, 1.6, -0.2]);
      close(C.minMaxNorm({ minValue: 1, maxValue: 2, rate: 0.5 }).apply(w), [3 * 3.5 / 5, 0.1 * (0.5 + 0.5 * Math.sqrt(0.05)) / Math.sqrt(0.05), 4 * 3.5 / 5, -0.2 * (0.5 + 0.5 * Math.sqrt(0.05)) / Math.sqrt(0.05)]);
      close(C.nonNeg().apply(w), [3, 0.1, 4, 0]);
      close(C.unitNorm({ axis: 1 }).apply(w), [3 / Math.sqrt(9.01), 0.1 / Math.sqrt(9.01), 4 / Math.sqrt(16.04), -0.2 / Math.sqrt(16.04)]);
    });
    const d = new L.Dense(2, { kernelRegularizer: "l1", biasRegularizer: { class_name: "L2", config: { l2: 0.3 } }, kernelConstraint: { class_name: "MinMaxNorm", config: { min_value: 0.1, max_value: 2, rate: 0.5, axis: 0 } } });
    const again = tf.keras.models.layerFromConfig({ class_name: "Dense", config: d.getConfig() });
    expect(again.getConfig()).toEqual(d.getConfig());
    expect(d.getConfig()["bias_regularizer"]).toEqual({ class_name: "L1L2", config: { l1: 0, l2: 0.3 } });
  });

  it("penalty gradients against finite differences", () => {
    const w = variable64([3, 2], 4);
    checkGradients(() => R.l1l2({ l1: 0.3, l2: 0.7 }).call(w), [w]);
    w.dispose();
  });

  it("bad input", () => {
    expect(() => R.l2(-1)).toThrow(/Regularizer l2 must be a non-negative number, got -1/);
    expect(() => new L.Dense(2, { kernelRegularizer: "l3" as never })).toThrow(/Unknown regularizer: "l3"/);
    expect(() => new L.Dense(2, { kernelConstraint: "positive" })).toThrow(/Unknown constraint: "positive". Valid constraints are "max_norm"/);
    expect(() => new L.Dense(2, { kernelConstraint: { class_name: "Clip", config: {} } })).toThrow(/Unknown constraint class "Clip"/);
  });
});
