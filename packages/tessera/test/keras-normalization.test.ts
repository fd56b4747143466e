/**
 * Normalization layers: BatchNormalization and LayerNormalization against TensorFlow.js (files both
 * ways, training steps and moving statistics), UnitNormalization and GroupNormalization by hand,
 * finite-difference gradients (weights and inputs), configs and bad input.
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
const J = tfl.layers;
const { own } = kerasLayerSetup({ what: "a normalization test", seed: 3, also: () => tfc.setBackend("cpu") });

describe("against TensorFlow.js, through files both ways (random weights)", () => {
  const specs = [
    { name: "BatchNormalization", ours: () => new L.BatchNormalization(), theirs: () => J.batchNormalization(), input: [4] },
    // (TF.js 4.22 computes axis 1 of 4-D inputs wrongly on its cpu backend; that case is checked by hand below.)
    { name: "BatchNormalization on images, no center", ours: () => new L.BatchNormalization({ center: false, epsilon: 0.01, momentum: 0.9 }), theirs: () => J.batchNormalization({ center: false, epsilon: 0.01, momentum: 0.9 }), input: [2, 2, 3] },
    { name: "BatchNormalization no scale", ours: () => new L.BatchNormalization({ scale: false }), theirs: () => J.batchNormalization({ scale: false }), input: [2, 3] },
    { name: "LayerNormalization", ours: () => new L.LayerNormalization(), theirs: () => J.layerNormalization(), input: [5] },
    { name: "LayerNormalization two axes", ours: () => new L.LayerNormalization({ axis: [1, 2], epsilon: 1e-5 }), theirs: () => J.layerNormalization({ axis: [1, 2], epsilon: 1e-5 }), input: [3, 4] },
    { name: "LayerNormalization no center/scale", ours: () => new L.LayerNormalization({ center: false, scale: false }), theirs: () => J.layerNormalization({ center: false, scale: false }), input: [2, 4] },
  ];
  for (const s of specs) it(s.name, async () => checkInterop(s));
});

describe("BatchNormalization while training", () => {
  it("normalizes with batch statistics and moves the moving statistics as TensorFlow.js does", () => {
    const x = randomData([6, 2, 3], 1);
    const ours = own(new L.BatchNormalization({ momentum: 0.8 }));
    const theirs = J.batchNormalization({ momentum: 0.8 });
    const tx = tfc.tensor(x, [6, 2, 3]);
    const ox = own(tf.constant(x, { shape: [6, 2, 3], dtype: "float32" }));
    for (let step = 0; step < 3; step++) {
      const a = own(ours.apply(ox, { training: true }));
      const b = theirs.apply(tx, { training: true }) as tfc.Tensor;
      expect(maxDiff(vals(a), vals(b))).toBeLessThan(1e-5);
      b.dispose();
    }
    const ourW = ours.getWeights();
    const theirW = theirs.getWeights();
    expect(ours.weights.map((w) => w.name)).toEqual(["batch_normalization/gamma:0", "batch_normalization/beta:0", "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0"]);
    expect(ours.nonTrainableWeights.length).toBe(2);
    ourW.forEach((w, i) => expect(maxDiff(vals(w), vals(theirW[i]!))).toBeLessThan(1e-6));
    // The moving mean moved: 1 − 0.8³ of the way to the batch mean.
    const mean = [0, 1, 2].map((c) => x.filter((_, i) => i % 3 === c).reduce((p, q) => p + q, 0) / 12);
    mean.forEach((m, c) => expect(vals(ourW[2]!)[c]).toBeCloseTo(m * (1 - 0.8 ** 3), 5));
    ourW.forEach((w) => w.dispose());
    // Inference uses the moving statistics, and leaves them alone.
    const inf = own(ours.apply(ox));
    const tInf = theirs.apply(tx) as tfc.Tensor;
    expect(maxDiff(vals(inf), vals(tInf))).toBeLessThan(1e-5);
    tfc.dispose([tx, tInf]);
  });

  it("a frozen layer runs in inference mode even while training; fit trains gamma and beta only", () => {
    const x = own(tf.constant(randomData([8, 3], 2), { shape: [8, 3], dtype: "float32" }));
    const bn = own(new L.BatchNormalization({ trainable: false }));
    const a = own(bn.apply(x, { training: true }));
    expect(maxDiff(vals(a), vals(x).map((v) => v / Math.sqrt(1 + 1e-3)))).toBeLessThan(1e-6);
    expect(vals(bn.movingMean!)).toEqual([0, 0, 0]);
    expect(bn.trainableWeights).toEqual([]);
  });

  it("trains in a model: loss goes down, moving statistics approach the data's", async () => {
    const input = tf.keras.Input({ shape: [3] });
    const bn = new L.BatchNormalization({ momentum: 0.5 });
    const model = own(new tf.keras.Model({ inputs: input, outputs: new L.Dense(1).apply(bn.apply(input)) }));
    model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
    const xs = randomData([32, 3], 4).map((v, i) => v + (i % 3) * 3);
    const x = own(tf.constant(xs, { shape: [32, 3], dtype: "float32" }));
    const y = own(tf.constant(randomData([32, 1], 5), { shape: [32, 1], dtype: "float32" }));
    const h = await model.fit(x, y, { epochs: 8, batchSize: 32, verbose: 0 });
    const losses = h.history["loss"] as number[];
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    const mm = vals(bn.movingMean!);
    [0, 1, 2].forEach((c) => expect(Math.abs(mm[c]! - xs.filter((_, i) => i % 3 === c).reduce((p, q) => p + q, 0) / 32)).toBeLessThan(0.05));
  });
});

describe("layers TensorFlow.js lacks: values by hand", () => {
  it("UnitNormalization", () => {
    const x = own(tf.constant([3, 4, 0, 0, 1, 0], { shape: [3, 2], dtype: "float32" }));
    const y = own(new L.UnitNormalization().apply(x));
    [0.6, 0.8, 0, 0, 1, 0].forEach((v, i) => expect(vals(y)[i]).toBeCloseTo(v, 6));
    const y2 = own(new L.UnitNormalization({ axis: [0, 1] }).apply(x));
    expect(vals(y2)[0]).toBeCloseTo(3 / Math.sqrt(26), 6);
  });

  it("GroupNormalization: per example and group, over the group's channels and the other axes", () => {
    const data = randomData([2, 3, 4], 8);
    const x = own(tf.constant(data, { shape: [2, 3, 4], dtype: "float32" }));
    const gn = own(new L.GroupNormalization({ groups: 2, epsilon: 1e-3 }));
    const y = vals(own(gn.apply(x)));
    for (let b = 0; b < 2; b++) {
      for (let g = 0; g < 2; g++) {
        const idx: number[] = [];
        for (let t = 0; t < 3; t++) for (let c = g * 2; c < g * 2 + 2; c++) idx.push(b * 12 + t * 4 + c);
        const m = idx.reduce((p, i) => p + data[i]!, 0) / idx.length;
        const v = idx.reduce((p, i) => p + (data[i]! - m) ** 2, 0) / idx.length;
        for (const i of idx) expect(y[i]).toBeCloseTo((data[i]! - m) / Math.sqrt(v + 1e-3), 5);
      }
    }
    // groups = 1 is layer normalization over every non-batch axis.
    const ln = vals(own(own(new L.LayerNormalization({ axis: [1, 2] })).apply(x)));
    const g1 = vals(own(own(new L.GroupNormalization({ groups: 1 })).apply(x)));
    expect(maxDiff(ln, g1)).toBeLessThan(1e-6);
  });

  it("BatchNormalization on axis 1 (channels first) at inference, by hand", () => {
    const bn = own(new L.BatchNormalization({ axis: 1, center: false }));
    const x = own(tf.constant([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], { shape: [1, 3, 2, 2], dtype: "float32" }));
    tf.tidy(() => void bn.apply(x));
    tf.tidy(() => bn.setWeights([[0.5, 1, 2], [1, 2, 3], [1, 2, 3]].map((w) => tf.constant(w, "float32"))));
    const y = vals(own(bn.apply(x)));
    const g = [0.5, 1, 2], m = [1, 2, 3], v = [1, 2, 3];
    y.forEach((got, i) => {
      const c = Math.floor(i / 4);
      expect(got).toBeCloseTo(((i + 1 - m[c]!) / Math.sqrt(v[c]! + 1e-3)) * g[c]!, 5);
    });
  });

  it("configs round-trip", () => {
    for (const l of [new L.UnitNormalization({ axis: [1, 2] }), new L.GroupNormalization({ groups: 4, axis: 1, epsilon: 1e-5, center: false }), new L.BatchNormalization({ axis: [1, 3], momentum: 0.5 })]) {
      const again = tf.keras.models.layerFromConfig({ class_name: l.getClassName(), config: l.getConfig() });
      expect(again.getConfig()).toEqual(l.getConfig());
    }
  });
});

describe("gradients against finite differences (float64)", () => {
  it("weights and inputs of each layer, BatchNormalization in both modes", () => {
    const x = own(variable64([4, 3, 4], 1));
    const cases: [tf.keras.layers.Layer, boolean][] = [
      [new L.BatchNormalization({ dtype: "float64", gammaInitializer: { class_name: "RandomUniform", config: { minval: 0.5, maxval: 1.5, seed: 1 } }, betaInitializer: "ones" }), true],
      [new L.BatchNormalization({ dtype: "float64", axis: 1, movingVarianceInitializer: { class_name: "RandomUniform", config: { minval: 0.5, maxval: 1.5, seed: 2 } } }), false],
      [new L.LayerNormalization({ dtype: "float64", gammaInitializer: { class_name: "RandomUniform", config: { minval: 0.5, maxval: 1.5, seed: 3 } } }), false],
      [new L.LayerNormalization({ dtype: "float64", axis: [1, 2] }), false],
      [new L.GroupNormalization({ dtype: "float64", groups: 2, gammaInitializer: { class_name: "RandomUniform", config: { minval: 0.5, maxval: 1.5, seed: 4 } } }), false],
      [new L.UnitNormalization({ dtype: "float64" }), false],
    ];
    for (const [layer, training] of cases) {
      own(layer);
      tf.tidy(() => void layer.apply(x));
      // Training mode moves the moving statistics at every call; they do not enter the training output.
      checkGradients(() => layer.apply(x, { training }), [...layer.trainableWeights, x]);
    }
  });
});

describe("bad input", () => {
  it("names the layer and the problem", () => {
    expect(() => new L.BatchNormalization({ axis: 1.5 })).toThrow(/Expected an int or a list\/tuple of ints for the argument 'axis' of BatchNormalization, but received: 1.5/);
    expect(() => new L.BatchNormalization({ momentum: 2 })).toThrow(/momentum must be a number in \[0, 1\], got 2/);
    expect(() => new L.LayerNormalization({ epsilon: -1 })).toThrow(/epsilon must be a non-negative number, got -1/);
    expect(() => new L.LayerNormalization({ gammaRegularizer: "l3" as never })).toThrow(/Unknown regularizer: "l3"/);
    expect(() => new L.BatchNormalization({ moment: 0.9 } as never)).toThrow(/unexpected option 'moment' — did you mean 'momentum'\?/);
    expect(() => new L.GroupNormalization({ groups: 0 })).toThrow(/groups must be a positive integer, got 0/);
    const x = own(tf.ones([2, 6]));
    expect(() => new L.GroupNormalization({ groups: 4 }).apply(x)).toThrow("Number of groups (4) must be a multiple of the number of channels (6).");
    expect(() => new L.GroupNormalization({ groups: 8 }).apply(x)).toThrow("Number of groups (8) cannot be more than the number of channels (6).");
    expect(() => new L.LayerNormalization({ axis: 2 }).apply(x)).toThrow(/Invalid axis: 2 for an input of rank 2/);
    const bn = own(new L.BatchNormalization());
    tf.tidy(() => void bn.apply(x));
    expect(() => bn.apply(own(tf.ones([2, 5])))).toThrow(/Input 0 of layer "batch_normalization(_\d+)?" is incompatible with the layer: expected axis 1 of input shape to have value 6, but received input with shape \(2, 5\)/);
    expect(() => bn.apply(own(tf.ones([2, 3, 6])))).toThrow(/expected ndim=2, found ndim=3/);
  });
});
