/**
 * The convolution layers beside Conv2D — Conv1D, Conv2DTranspose, Conv1DTranspose, DepthwiseConv2D,
 * SeparableConv1D, SeparableConv2D — against TensorFlow.js (files both ways, random weights) where
 * TF.js has the layer, against the 2-D layers where it does not, finite-difference gradients
 * (weights and inputs), configs, save/load, and bad input.
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
const { own, freshDir } = kerasLayerSetup({ what: "a conv-variants test", seed: 17, also: () => tfc.setBackend("cpu"), tempPrefix: "tessera-conv-variants-" });

describe("against TensorFlow.js, through files both ways (random weights)", () => {
  const specs = [
    { name: "Conv1D same relu", ours: () => new L.Conv1D(3, 3, { padding: "same", activation: "relu" }), theirs: () => J.conv1d({ filters: 3, kernelSize: 3, padding: "same", activation: "relu" }), input: [7, 2] },
    // (TF.js 4.22 has no causal padding; it is checked by hand below.)
    { name: "Conv1D dilation 2", ours: () => new L.Conv1D(2, 2, { dilationRate: 2 }), theirs: () => J.conv1d({ filters: 2, kernelSize: 2, dilationRate: 2 }), input: [6, 3] },
    { name: "Conv1D strides 2 valid, no bias", ours: () => new L.Conv1D(2, 3, { strides: 2, useBias: false }), theirs: () => J.conv1d({ filters: 2, kernelSize: 3, strides: 2, useBias: false }), input: [8, 2] },
    { name: "Conv2DTranspose strides 2 same", ours: () => new L.Conv2DTranspose(3, 3, { strides: 2, padding: "same" }), theirs: () => J.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: "same" }), input: [4, 4, 2] },
    { name: "Conv2DTranspose [2,3] strides [1,2] valid tanh", ours: () => new L.Conv2DTranspose(2, [2, 3], { strides: [1, 2], activation: "tanh" }), theirs: () => J.conv2dTranspose({ filters: 2, kernelSize: [2, 3], strides: [1, 2], activation: "tanh" }), input: [3, 4, 2] },
    { name: "Conv2DTranspose channels_first", ours: () => new L.Conv2DTranspose(2, 2, { strides: 2, dataFormat: "channels_first" }), theirs: () => J.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2, dataFormat: "channelsFirst" }), input: [3, 3, 3] },
    { name: "DepthwiseConv2D multiplier 2 strides 2 same", ours: () => new L.DepthwiseConv2D(3, { depthMultiplier: 2, strides: 2, padding: "same" }), theirs: () => J.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: "same" }), input: [5, 5, 3] },
    { name: "DepthwiseConv2D valid relu", ours: () => new L.DepthwiseConv2D([2, 3], { activation: "relu" }), theirs: () => J.depthwiseConv2d({ kernelSize: [2, 3], activation: "relu" }), input: [4, 4, 2] },
    { name: "DepthwiseConv2D channels_first", ours: () => new L.DepthwiseConv2D(2, { dataFormat: "channels_first" }), theirs: () => J.depthwiseConv2d({ kernelSize: 2, dataFormat: "channelsFirst" }), input: [2, 4, 4] },
    // (TF.js 4.22 leaves depth_multiplier out of SeparableConv2D's saved config, so multipliers above 1 are checked in Tessera's own files below.)
    { name: "SeparableConv2D same", ours: () => new L.SeparableConv2D(4, 3, { padding: "same" }), theirs: () => J.separableConv2d({ filters: 4, kernelSize: 3, padding: "same" }), input: [5, 5, 2] },
    { name: "SeparableConv2D strides 2 valid", ours: () => new L.SeparableConv2D(2, 2, { strides: 2 }), theirs: () => J.separableConv2d({ filters: 2, kernelSize: 2, strides: 2 }), input: [6, 6, 3] },
    { name: "SeparableConv2D dilation 2", ours: () => new L.SeparableConv2D(2, 2, { dilationRate: 2 }), theirs: () => J.separableConv2d({ filters: 2, kernelSize: 2, dilationRate: 2 }), input: [5, 5, 2] },
  ];
  for (const s of specs) it(s.name, async () => checkInterop(s));
});

/** A float32 input of `[batch, ...shape]` with deterministic values. */
const input = (shape: number[], seed: number): tf.Tensor => own(tf.constant(randomData(shape, seed), { shape, dtype: "float32" }));

/** Copies `from`'s weights, reshaped to `to`'s weight shapes, into `to` (same order). */
function copyWeights(from: tf.keras.layers.Layer, to: tf.keras.layers.Layer): void {
  tf.tidy(() => to.setWeights(from.getWeights().map((w, i) => tf.reshape(w, to.weights[i]!.shape))));
}

describe("layers TensorFlow.js lacks, against the 2-D layers", () => {
  it("Conv1DTranspose is Conv2DTranspose on [batch, 1, steps, channels]", () => {
    interface Case1D { strides?: number; padding?: "same" | "valid"; dilationRate?: number; outputPadding?: number }
    const cases: [Case1D, number][] = [[{ strides: 2, padding: "same" }, 5], [{ strides: 3 }, 4], [{ dilationRate: 2, padding: "same" }, 4], [{ strides: 2, outputPadding: 1 }, 3]];
    for (const [args, steps] of cases) {
      const one = own(new L.Conv1DTranspose(2, 3, { ...args, biasInitializer: "ones", activation: "relu" }));
      const two = own(new L.Conv2DTranspose(2, [1, 3], {
        strides: [1, args.strides ?? 1], padding: args.padding ?? "valid", dilationRate: [1, args.dilationRate ?? 1],
        ...(args.outputPadding === undefined ? {} : { outputPadding: [0, args.outputPadding] }),
        activation: "relu",
      }));
      const x = input([2, steps, 3], steps);
      const y1 = own(one.apply(x) as tf.Tensor);
      tf.tidy(() => void two.apply(tf.reshape(x, [2, 1, steps, 3])));
      copyWeights(one, two);
      const y2 = own(tf.tidy(() => tf.squeeze(two.apply(tf.reshape(x, [2, 1, steps, 3])) as tf.Tensor, 1)));
      expect(y1.shape).toEqual(one.computeOutputShape([2, steps, 3]));
      expect(maxDiff(vals(y1), vals(y2))).toBeLessThan(1e-6);
    }
  });

  it("Conv2DTranspose with outputPadding has Keras's output size", () => {
    const l = own(new L.Conv2DTranspose(1, 3, { strides: 2, padding: "same", outputPadding: 1 }));
    const y = own(l.apply(input([1, 4, 5, 2], 1)) as tf.Tensor);
    expect(y.shape).toEqual([1, 8, 10, 1]);
    expect(l.computeOutputShape([null, 4, 5, 2])).toEqual([null, 8, 10, 1]);
    const v = own(new L.Conv2DTranspose(1, 2, { strides: 3, outputPadding: [2, 0] }));
    expect((own(v.apply(input([1, 2, 2, 1], 2)) as tf.Tensor)).shape).toEqual([1, 7, 5, 1]);
  });

  it("SeparableConv1D is SeparableConv2D on [batch, 1, steps, channels]; causal padding pads on the left", () => {
    interface CaseSep { strides?: number; padding?: "same" | "causal"; dilationRate?: number; depthMultiplier?: number }
    const cases: CaseSep[] = [{ padding: "same", depthMultiplier: 2 }, { strides: 2 }, { dilationRate: 2, padding: "causal" }];
    for (const args of cases) {
      const one = own(new L.SeparableConv1D(3, 2, { ...args, biasInitializer: "ones" }));
      const x = input([2, 6, 2], 3);
      const y1 = own(one.apply(x) as tf.Tensor);
      expect(y1.shape).toEqual(one.computeOutputShape([2, 6, 2]));
      const causal = args.padding === "causal";
      const x4 = own(tf.tidy(() => tf.reshape(causal ? tf.pad(x, [[0, 0], [2, 0], [0, 0]]) : x, [2, 1, causal ? 8 : 6, 2])));
      const two = own(new L.SeparableConv2D(3, [1, 2], {
        strides: [1, args.strides ?? 1], padding: args.padding === "same" ? "same" : "valid",
        dilationRate: [1, args.dilationRate ?? 1], depthMultiplier: args.depthMultiplier ?? 1,
      }));
      tf.tidy(() => void two.apply(x4));
      copyWeights(one, two);
      const y2 = own(tf.tidy(() => tf.squeeze(two.apply(x4) as tf.Tensor, 1)));
      expect(maxDiff(vals(y1), vals(y2))).toBeLessThan(1e-6);
    }
    // Causal: the first output step sees only the first input step.
    const c = own(new L.Conv1D(1, 3, { padding: "causal", kernelInitializer: "ones", useBias: false }));
    const y = own(c.apply(own(tf.constant([[[1], [2], [4], [8]]], "float32"))) as tf.Tensor);
    expect(vals(y)).toEqual([1, 3, 7, 14]);
  });

  it("channels_first equals channels_last on transposed inputs (Conv1D, DepthwiseConv2D, SeparableConv2D, SeparableConv1D)", () => {
    const cases: [() => tf.keras.layers.Layer, () => tf.keras.layers.Layer, number[]][] = [
      [() => new L.Conv1D(2, 3, { padding: "same" }), () => new L.Conv1D(2, 3, { padding: "same", dataFormat: "channels_first" }), [2, 5, 3]],
      [() => new L.DepthwiseConv2D(2, { depthMultiplier: 2 }), () => new L.DepthwiseConv2D(2, { depthMultiplier: 2, dataFormat: "channels_first" }), [2, 4, 4, 3]],
      [() => new L.SeparableConv2D(2, 3, { padding: "same" }), () => new L.SeparableConv2D(2, 3, { padding: "same", dataFormat: "channels_first" }), [1, 4, 3, 2]],
      [() => new L.SeparableConv1D(2, 2), () => new L.SeparableConv1D(2, 2, { dataFormat: "channels_first" }), [2, 5, 3]],
      [() => new L.Conv1DTranspose(2, 2, { strides: 2 }), () => new L.Conv1DTranspose(2, 2, { strides: 2, dataFormat: "channels_first" }), [2, 3, 3]],
    ];
    for (const [last, first, shape] of cases) {
      const a = own(last()), b = own(first());
      const x = input(shape, 4);
      const toFirst = shape.length === 3 ? [0, 2, 1] : [0, 3, 1, 2];
      const toLast = shape.length === 3 ? [0, 2, 1] : [0, 2, 3, 1];
      const ya = own(a.apply(x) as tf.Tensor);
      const xf = own(tf.transpose(x, toFirst));
      tf.tidy(() => void b.apply(xf));
      copyWeights(a, b);
      const yb = own(tf.tidy(() => tf.transpose(b.apply(xf) as tf.Tensor, toLast)));
      expect(maxDiff(vals(ya), vals(yb))).toBeLessThan(1e-5);
      expect(b.computeOutputShape(xf.shape)).toEqual(own(b.apply(xf) as tf.Tensor).shape);
    }
  });
});

describe("weights, configs and files", () => {
  it("weight names and shapes follow Keras", () => {
    const cases: [tf.keras.layers.Layer, number[], string[], number[][]][] = [
      [new L.Conv1D(4, 3), [2, 6, 2], ["kernel", "bias"], [[3, 2, 4], [4]]],
      [new L.Conv2DTranspose(4, [2, 3]), [1, 3, 3, 2], ["kernel", "bias"], [[2, 3, 4, 2], [4]]],
      [new L.Conv1DTranspose(4, 3), [1, 3, 2], ["kernel", "bias"], [[3, 4, 2], [4]]],
      [new L.DepthwiseConv2D(3, { depthMultiplier: 2 }), [1, 4, 4, 3], ["depthwise_kernel", "bias"], [[3, 3, 3, 2], [6]]],
      [new L.SeparableConv2D(5, 3, { depthMultiplier: 2 }), [1, 4, 4, 3], ["depthwise_kernel", "pointwise_kernel", "bias"], [[3, 3, 3, 2], [1, 1, 6, 5], [5]]],
      [new L.SeparableConv1D(5, 3), [1, 4, 3], ["depthwise_kernel", "pointwise_kernel", "bias"], [[3, 3, 1], [1, 3, 5], [5]]],
    ];
    for (const [layer, shape, names, shapes] of cases) {
      own(layer);
      tf.tidy(() => void layer.apply(tf.zeros(shape)));
      expect(layer.weights.map((w) => w.name)).toEqual(names.map((n) => `${layer.name}/${n}:0`));
      expect(layer.weights.map((w) => w.shape)).toEqual(shapes);
    }
  });

  it("configs are snake_case and round-trip (Conv1DTranspose, SeparableConv1D with regularizers and constraints)", () => {
    const t = own(new L.Conv1DTranspose(3, 2, { strides: 2, outputPadding: 1, padding: "same", kernelRegularizer: "l2", biasConstraint: "non_neg" }));
    const c = t.getConfig();
    expect(c).toMatchObject({ filters: 3, kernel_size: [2], strides: [2], output_padding: [1], padding: "same", data_format: "channels_last", dilation_rate: [1], use_bias: true, activity_regularizer: null });
    expect((c["kernel_regularizer"] as { class_name: string }).class_name).toMatch(/L2|L1L2/);
    const t2 = own(tf.keras.models.layerFromConfig({ class_name: "Conv1DTranspose", config: c }));
    expect(t2.getConfig()).toEqual({ ...c, name: t2.name });
    const s = own(new L.SeparableConv1D(2, 3, { depthMultiplier: 2, padding: "causal", pointwiseInitializer: "ones", depthwiseConstraint: "max_norm" }));
    const sc = s.getConfig();
    expect(sc).toMatchObject({ filters: 2, kernel_size: [3], depth_multiplier: 2, padding: "causal", pointwise_initializer: { class_name: "Ones" } });
    const s2 = own(tf.keras.models.layerFromConfig({ class_name: "SeparableConv1D", config: sc }));
    expect(s2.getConfig()).toEqual({ ...sc, name: s2.name });
    const d = own(new L.DepthwiseConv2D(3, { depthMultiplier: 3, dilationRate: 2 }));
    const d2 = own(tf.keras.models.layerFromConfig({ class_name: "DepthwiseConv2D", config: d.getConfig() }));
    expect(d2.getConfig()).toEqual({ ...d.getConfig(), name: d2.name });
  });

  it("a model of every variant saves and loads, predicting the same", async () => {
    const x = tf.keras.Input({ shape: [8, 3] });
    let h = new L.Conv1D(4, 3, { padding: "causal", activation: "relu" }).apply(x) as tf.keras.KerasTensor;
    h = new L.SeparableConv1D(4, 2, { depthMultiplier: 2 }).apply(h) as tf.keras.KerasTensor;
    h = new L.Conv1DTranspose(3, 2, { strides: 2 }).apply(h) as tf.keras.KerasTensor;
    h = new L.Reshape([2, 7, 3]).apply(h) as tf.keras.KerasTensor;
    h = new L.DepthwiseConv2D(2, { padding: "same", depthMultiplier: 2 }).apply(h) as tf.keras.KerasTensor;
    h = new L.SeparableConv2D(2, 2, { dataFormat: "channels_first" }).apply(h) as tf.keras.KerasTensor;
    h = new L.Conv2DTranspose(2, 2, { strides: 2, padding: "same" }).apply(h) as tf.keras.KerasTensor;
    const model = own(new tf.keras.Model({ inputs: x, outputs: h }));
    const xs = input([2, 8, 3], 9);
    const before = own(model.predict(xs) as tf.Tensor);
    const dir = freshDir();
    await model.save(dir);
    const loaded = own(await tf.keras.models.loadModel(dir));
    const after = own(loaded.predict(xs) as tf.Tensor);
    expect(after.shape).toEqual(before.shape);
    expect(maxDiff(vals(before), vals(after))).toBe(0);
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
  });
});

describe("gradients against finite differences (float64)", () => {
  it("weights and inputs of each layer", () => {
    const cases: [tf.keras.layers.Layer, number[]][] = [
      [new L.Conv1D(2, 3, { dtype: "float64", padding: "causal", dilationRate: 2, activation: "tanh", biasInitializer: "ones" }), [2, 5, 2]],
      [new L.Conv1D(2, 2, { dtype: "float64", strides: 2, dataFormat: "channels_first" }), [1, 2, 5]],
      [new L.Conv2DTranspose(2, [2, 3], { dtype: "float64", strides: 2, padding: "same", biasInitializer: "ones" }), [1, 2, 3, 2]],
      [new L.Conv2DTranspose(1, 2, { dtype: "float64", dataFormat: "channels_first", strides: 2, outputPadding: 1 }), [1, 2, 2, 2]],
      [new L.Conv1DTranspose(2, 3, { dtype: "float64", strides: 2, biasInitializer: "ones" }), [2, 3, 2]],
      [new L.DepthwiseConv2D(2, { dtype: "float64", depthMultiplier: 2, strides: 2, padding: "same", biasInitializer: "ones" }), [1, 3, 3, 2]],
      [new L.DepthwiseConv2D(2, { dtype: "float64", dilationRate: 2, dataFormat: "channels_first" }), [1, 2, 4, 3]],
      [new L.SeparableConv2D(2, 2, { dtype: "float64", depthMultiplier: 2, padding: "same", activation: "tanh", biasInitializer: "ones" }), [1, 3, 3, 2]],
      [new L.SeparableConv1D(2, 2, { dtype: "float64", padding: "causal", biasInitializer: "ones" }), [2, 4, 2]],
    ];
    cases.forEach(([layer, shape], i) => {
      own(layer);
      const x = own(variable64(shape, 30 + i));
      tf.tidy(() => void layer.apply(x));
      expect(layer.trainableWeights.length).toBeGreaterThan(0);
      checkGradients(() => layer.apply(x) as tf.Tensor, [...layer.trainableWeights, x], { tol: 1e-6 });
    });
  });
});

describe("bad input", () => {
  it("names the layer and the problem", () => {
    expect(() => new L.Conv1D(0, 3)).toThrow(/Expected a strictly positive integer. Received filters=0/);
    expect(() => new L.SeparableConv2D(2, 3, { strides: 2, dilationRate: 2 })).toThrow(/`strides > 1` is not compatible with `dilation_rate > 1`/);
    expect(() => new L.Conv2DTranspose(2, 3, { strides: 2, outputPadding: 2 })).toThrow(/strides must be greater than output padding/);
    expect(() => new L.Conv2DTranspose(2, 3, { padding: "causal" })).toThrow(/`padding` must be "valid" or "same", got "causal"/);
    expect(() => new L.DepthwiseConv2D(3, { depthMultiplier: 0 })).toThrow(/depth_multiplier/);
    expect(() => new L.Conv1D(2, [3, 3])).toThrow(/`kernel_size` must be a positive integer or a list of 1/);
    expect(() => new L.DepthwiseConv2D(3, { filters: 2 } as never)).toThrow(/unexpected option 'filters'/);
    const d = own(new L.DepthwiseConv2D(2));
    expect(() => d.apply(own(tf.zeros([2, 4, 3])))).toThrow(/expected ndim=4, found ndim=3/);
    tf.tidy(() => void d.apply(tf.zeros([1, 4, 4, 3])));
    expect(() => d.apply(own(tf.zeros([1, 4, 4, 2])))).toThrow(/expected axis -1 of input shape to have value 3/);
    expect(() => tf.keras.models.layerFromConfig({ class_name: "SeparableConv2D", config: { kernel_size: 3 } })).toThrow(/has no `filters`/);
    expect(() => tf.keras.models.layerFromConfig({ class_name: "Conv1D", config: { filters: 2, kernel_size: 3, groups: 2 } })).toThrow(/grouped convolutions \(groups=2\) are not supported/);
    expect(() => tf.keras.models.layerFromConfig({ class_name: "Conv1D", config: { filters: 2, kernel_size: 3, kernal_initializer: "ones" } })).toThrow(/unexpected option 'kernalInitializer' — did you mean 'kernelInitializer'\?/);
  });
});
