/**
 * The layer catalogue: each layer against TensorFlow.js (configs and predictions, both ways through
 * files) where TF.js has it, values computed by hand where it does not, finite-difference gradient
 * checks (weights and inputs), masks, and bad input with Keras's messages.
 */
import * as tfc from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { describe, expect, it } from "vitest";
import { checkGradients, variable64 } from "./helpers/gradcheck.js";
import { randomData } from "./helpers/layer-interop.js";
import { maxDiff, tfjsFileLoader, tfjsFileSaver } from "./helpers/tfjs-files.js";
import { kerasLayerSetup, vals } from "./helpers/keras-layer-setup.js";

const L = tf.keras.layers;
const J = tfl.layers;
const { own, freshDir } = kerasLayerSetup({ what: "a catalogue test", seed: 21, also: () => tfc.setBackend("cpu"), tempPrefix: "tessera-catalogue-" });

// ---------------------------------------------------------------- TF.js interop, both ways

interface Spec {
  name: string;
  ours: () => tf.keras.layers.Layer;
  theirs: () => tfl.layers.Layer;
  /** Per-example input shape; several for merge layers. */
  input: number[] | number[][];
  /** Integer data in [0, int) (Embedding). */
  int?: number;
}

const specs: Spec[] = [
  { name: "Activation", ours: () => new L.Activation("tanh"), theirs: () => J.activation({ activation: "tanh" }), input: [3] },
  { name: "Reshape", ours: () => new L.Reshape([2, -1]), theirs: () => J.reshape({ targetShape: [2, -1] }), input: [6] },
  { name: "Permute", ours: () => new L.Permute([2, 1]), theirs: () => J.permute({ dims: [2, 1] }), input: [3, 4] },
  { name: "RepeatVector", ours: () => new L.RepeatVector(3), theirs: () => J.repeatVector({ n: 3 }), input: [4] },
  { name: "Masking", ours: () => new L.Masking({ maskValue: 0.5 }), theirs: () => J.masking({ maskValue: 0.5 }), input: [3, 2] },
  { name: "Embedding", ours: () => new L.Embedding(10, 3, { maskZero: true }), theirs: () => J.embedding({ inputDim: 10, outputDim: 3, maskZero: true }), input: [5], int: 10 },
  { name: "Cropping2D", ours: () => new L.Cropping2D({ cropping: [[1, 0], [0, 2]] }), theirs: () => J.cropping2D({ cropping: [[1, 0], [0, 2]] }), input: [5, 5, 2] },
  { name: "Cropping2D channels_first", ours: () => new L.Cropping2D({ cropping: [[1, 2], [2, 0]], dataFormat: "channels_first" }), theirs: () => J.cropping2D({ cropping: [[1, 2], [2, 0]], dataFormat: "channelsFirst" }), input: [2, 5, 5] },
  { name: "UpSampling2D", ours: () => new L.UpSampling2D({ size: [2, 3] }), theirs: () => J.upSampling2d({ size: [2, 3] }), input: [3, 3, 2] },
  { name: "UpSampling2D channels_first", ours: () => new L.UpSampling2D({ size: 2, dataFormat: "channels_first" }), theirs: () => J.upSampling2d({ size: [2, 2], dataFormat: "channelsFirst" }), input: [2, 3, 3] },
  { name: "ZeroPadding2D", ours: () => new L.ZeroPadding2D({ padding: [[1, 2], [0, 1]] }), theirs: () => J.zeroPadding2d({ padding: [[1, 2], [0, 1]] }), input: [3, 3, 2] },
  { name: "MaxPooling1D", ours: () => new L.MaxPooling1D({ poolSize: 2, strides: 1, padding: "same" }), theirs: () => J.maxPooling1d({ poolSize: 2, strides: 1, padding: "same" }), input: [5, 3] },
  { name: "AveragePooling1D", ours: () => new L.AveragePooling1D(3, { strides: 2 }), theirs: () => J.averagePooling1d({ poolSize: 3, strides: 2 }), input: [7, 2] },
  { name: "AveragePooling2D", ours: () => new L.AveragePooling2D({ poolSize: 2, padding: "same" }), theirs: () => J.averagePooling2d({ poolSize: 2, padding: "same" }), input: [5, 5, 2] },
  { name: "AveragePooling2D channels_first", ours: () => new L.AveragePooling2D({ poolSize: [2, 3], dataFormat: "channels_first" }), theirs: () => J.averagePooling2d({ poolSize: [2, 3], dataFormat: "channelsFirst" }), input: [2, 6, 6] },
  { name: "MaxPooling2D channels_first", ours: () => new L.MaxPooling2D(2, { dataFormat: "channels_first" }), theirs: () => J.maxPooling2d({ poolSize: 2, dataFormat: "channelsFirst" }), input: [3, 6, 6] },
  { name: "GlobalMaxPooling1D", ours: () => new L.GlobalMaxPooling1D(), theirs: () => J.globalMaxPooling1d(), input: [5, 3] },
  { name: "GlobalAveragePooling1D", ours: () => new L.GlobalAveragePooling1D(), theirs: () => J.globalAveragePooling1d(), input: [5, 3] },
  { name: "GlobalMaxPooling2D", ours: () => new L.GlobalMaxPooling2D(), theirs: () => J.globalMaxPooling2d({}), input: [4, 4, 2] },
  { name: "GlobalAveragePooling2D channels_first", ours: () => new L.GlobalAveragePooling2D({ dataFormat: "channels_first" }), theirs: () => J.globalAveragePooling2d({ dataFormat: "channelsFirst" }), input: [2, 4, 4] },
  { name: "LeakyReLU", ours: () => new L.LeakyReLU({ alpha: 0.1 }), theirs: () => J.leakyReLU({ alpha: 0.1 }), input: [4] },
  { name: "PReLU", ours: () => new L.PReLU({ sharedAxes: [1], alphaInitializer: "glorotUniform" }), theirs: () => J.prelu({ sharedAxes: [1], alphaInitializer: "glorotUniform" }), input: [3, 4] },
  { name: "ELU", ours: () => new L.ELU(), theirs: () => J.elu(), input: [4] },
  { name: "ReLU", ours: () => new L.ReLU({ maxValue: 0.5 }), theirs: () => J.reLU({ maxValue: 0.5 }), input: [4] },
  // TF.js's Softmax only takes the last axis; other axes are checked by hand below.
  { name: "Softmax", ours: () => new L.Softmax({ axis: -1 }), theirs: () => J.softmax({ axis: -1 }), input: [3, 4] },
  { name: "ThresholdedReLU", ours: () => new L.ThresholdedReLU({ theta: 0.2 }), theirs: () => J.thresholdedReLU({ theta: 0.2 }), input: [4] },
  { name: "GaussianNoise", ours: () => new L.GaussianNoise(0.3), theirs: () => J.gaussianNoise({ stddev: 0.3 }), input: [4] },
  { name: "GaussianDropout", ours: () => new L.GaussianDropout(0.2), theirs: () => J.gaussianDropout({ rate: 0.2 }), input: [4] },
  { name: "AlphaDropout", ours: () => new L.AlphaDropout(0.2), theirs: () => J.alphaDropout({ rate: 0.2 }), input: [4] },
  { name: "SpatialDropout1D", ours: () => new L.SpatialDropout1D(0.3), theirs: () => J.spatialDropout1d({ rate: 0.3 }), input: [4, 3] },
  { name: "Conv2D channels_first", ours: () => new L.Conv2D(3, 2, { dataFormat: "channels_first", padding: "same", strides: 2, activation: "relu" }), theirs: () => J.conv2d({ filters: 3, kernelSize: 2, dataFormat: "channelsFirst", padding: "same", strides: 2, activation: "relu" }), input: [2, 5, 5] },
  { name: "Flatten channels_first", ours: () => new L.Flatten({ dataFormat: "channels_first" }), theirs: () => J.flatten({ dataFormat: "channelsFirst" }), input: [2, 3, 3] },
  { name: "Add", ours: () => new L.Add(), theirs: () => J.add(), input: [[3], [3], [3]] },
  { name: "Multiply", ours: () => new L.Multiply(), theirs: () => J.multiply(), input: [[3], [3]] },
  { name: "Average", ours: () => new L.Average(), theirs: () => J.average(), input: [[2, 3], [2, 3]] },
  { name: "Maximum", ours: () => new L.Maximum(), theirs: () => J.maximum(), input: [[3], [3]] },
  { name: "Minimum", ours: () => new L.Minimum(), theirs: () => J.minimum(), input: [[3], [3]] },
  { name: "Concatenate", ours: () => new L.Concatenate({ axis: 1 }), theirs: () => J.concatenate({ axis: 1 }), input: [[2, 3], [4, 3]] },
  { name: "Dot (normalize)", ours: () => new L.Dot(1, { normalize: true }), theirs: () => J.dot({ axes: 1, normalize: true }), input: [[4], [4]] },
  { name: "Dot [2, 2]", ours: () => new L.Dot([2, 2]), theirs: () => J.dot({ axes: [2, 2] }), input: [[3, 4], [5, 4]] },
];

const inputsOf = (s: Spec): number[][] => (Array.isArray(s.input[0]) ? (s.input as number[][]) : [s.input as number[]]);

function oursModel(s: Spec): tf.keras.Model<tf.keras.SymbolicOutputs> {
  const ins = inputsOf(s).map((shape) => tf.keras.Input({ shape }));
  const out = s.ours().apply(ins.length === 1 ? ins[0]! : ins) as tf.keras.KerasTensor;
  return new tf.keras.Model({ inputs: ins.length === 1 ? ins[0]! : ins, outputs: out });
}

function theirsModel(s: Spec): tfl.LayersModel {
  const ins = inputsOf(s).map((shape) => tfl.input({ shape }));
  const out = s.theirs().apply(ins.length === 1 ? ins[0]! : ins) as tfl.SymbolicTensor;
  return tfl.model({ inputs: ins, outputs: out });
}

function batch(s: Spec, n: number, seed: number): number[][] {
  return inputsOf(s).map((shape, i) => randomData([n, ...shape], seed + i, s.int));
}

describe("each layer loads in TensorFlow.js and back, predicting the same", () => {
  for (const s of specs) {
    it(s.name, async () => {
      const shapes = inputsOf(s).map((shape) => [3, ...shape]);
      const xs = batch(s, 3, 40);
      // Tessera → TF.js
      const ours = own(oursModel(s));
      const dir = freshDir();
      await ours.save(dir);
      const loadedThere = await tfl.loadLayersModel(tfjsFileLoader(dir));
      const theirPred = loadedThere.predict(xs.map((x, i) => tfc.tensor(x, shapes[i]!))) as tfc.Tensor;
      const ourPred = tf.tidy(() => ours.predict(xs.map((x, i) => tf.constant(x, { shape: shapes[i]!, dtype: "float32" }))) as tf.Tensor);
      expect(ourPred.shape).toEqual(theirPred.shape);
      expect(maxDiff(vals(ourPred), vals(theirPred))).toBeLessThan(1e-5);
      ourPred.dispose();
      // TF.js → Tessera
      const theirs = theirsModel(s);
      const dir2 = freshDir();
      await theirs.save(tfjsFileSaver(dir2));
      const loadedHere = own(await tf.keras.models.loadModel(dir2));
      expect(loadedHere.layers[loadedHere.layers.length - 1]!.getClassName()).toBe(theirs.layers[theirs.layers.length - 1]!.getClassName());
      const expected = theirs.predict(xs.map((x, i) => tfc.tensor(x, shapes[i]!))) as tfc.Tensor;
      const got = tf.tidy(() => loadedHere.predict(xs.map((x, i) => tf.constant(x, { shape: shapes[i]!, dtype: "float32" }))) as tf.Tensor);
      expect(maxDiff(vals(got), vals(expected))).toBeLessThan(1e-5);
      got.dispose();
      // The config round-trips in Tessera.
      const layer = ours.layers[ours.layers.length - 1]!;
      const again = own(tf.keras.models.layerFromConfig({ class_name: layer.getClassName(), config: layer.getConfig() }));
      expect(again.getConfig()).toEqual({ ...layer.getConfig(), name: layer.name });
    });
  }
});

// ---------------------------------------------------------------- layers TF.js does not have: values by hand

describe("values of the layers TensorFlow.js lacks", () => {
  const t = (v: number[], shape: number[]) => tf.constant(v, { shape, dtype: "float32" });
  const applyVals = (layer: tf.keras.layers.Layer, x: tf.Tensor | tf.Tensor[], opts: tf.keras.ApplyOptions = {}) =>
    tf.tidy(() => {
      const y = layer.apply(x as tf.Tensor, opts) as tf.Tensor;
      return { shape: y.shape, v: vals(y) };
    });

  it("Cropping1D, ZeroPadding1D, UpSampling1D", () => {
    const x = own(t([1, 2, 3, 4, 5, 6, 7, 8], [1, 4, 2]));
    expect(applyVals(new L.Cropping1D({ cropping: [1, 2] }), x)).toEqual({ shape: [1, 1, 2], v: [3, 4] });
    expect(applyVals(new L.Cropping1D(), x)).toEqual({ shape: [1, 2, 2], v: [3, 4, 5, 6] });
    expect(applyVals(new L.ZeroPadding1D({ padding: [1, 0] }), x).v).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(applyVals(new L.UpSampling1D({ size: 2 }), x).v).toEqual([1, 2, 1, 2, 3, 4, 3, 4, 5, 6, 5, 6, 7, 8, 7, 8]);
  });

  it("Cropping3D, ZeroPadding3D, UpSampling3D, global 3-D pooling (both data formats)", () => {
    const v = Array.from({ length: 2 * 3 * 3 * 3 }, (_, i) => i);
    const x = own(t(v, [1, 3, 3, 3, 2]));
    const cropped = applyVals(new L.Cropping3D({ cropping: [[1, 0], [0, 1], [1, 1]] }), x);
    expect(cropped.shape).toEqual([1, 2, 2, 1, 2]);
    // element [d, h, w, c] = ((d*3 + h)*3 + w)*2 + c, with d from 1, h from 0, w = 1.
    expect(cropped.v).toEqual([20, 21, 26, 27, 38, 39, 44, 45]);
    expect(applyVals(new L.ZeroPadding3D({ padding: 1 }), x).shape).toEqual([1, 5, 5, 5, 2]);
    const up = applyVals(new L.UpSampling3D({ size: [1, 2, 1] }), x);
    expect(up.shape).toEqual([1, 3, 6, 3, 2]);
    expect(up.v.slice(0, 12)).toEqual([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]);
    expect(applyVals(new L.GlobalMaxPooling3D(), x).v).toEqual([52, 53]);
    expect(applyVals(new L.GlobalAveragePooling3D({ keepdims: true }), x)).toEqual({ shape: [1, 1, 1, 1, 2], v: [26, 27] });
    const cf = own(tf.transpose(x, [0, 4, 1, 2, 3]));
    expect(applyVals(new L.GlobalAveragePooling3D({ dataFormat: "channels_first" }), cf).v).toEqual([26, 27]);
    expect(applyVals(new L.Cropping3D({ cropping: [[1, 0], [0, 1], [1, 1]], dataFormat: "channels_first" }), cf).shape).toEqual([1, 2, 2, 2, 1]);
  });

  it("Subtract, and merges of inputs of different ranks (Keras expands after the batch axis)", () => {
    const a = own(t([5, 7], [1, 2]));
    const b = own(t([1, 2], [1, 2]));
    expect(applyVals(new L.Subtract(), [a, b]).v).toEqual([4, 5]);
    expect(() => new L.Subtract().apply([a, b, a])).toThrow("A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape=[(1, 2), (1, 2), (1, 2)]");
    const seq = own(t([1, 1, 2, 2, 3, 3], [1, 3, 2]));
    expect(applyVals(new L.Add(), [seq, a]).v).toEqual([6, 8, 7, 9, 8, 10]);
  });

  it("ReLU with negativeSlope and threshold, ELU with alpha, Softmax over two axes, LeakyReLU's negativeSlope", () => {
    const x = own(t([-2, -0.5, 0.25, 1, 3], [1, 5]));
    // Keras: x for x > threshold (clipped at maxValue), else negativeSlope · (x − threshold).
    const r = applyVals(new L.ReLU({ maxValue: 2, negativeSlope: 0.1, threshold: 0.5 }), x).v;
    [-0.25, -0.1, -0.025, 1, 2].forEach((e, i) => expect(r[i]).toBeCloseTo(e, 6));
    const e = applyVals(new L.ELU({ alpha: 0.5 }), x).v;
    [0.5 * (Math.exp(-2) - 1), 0.5 * (Math.exp(-0.5) - 1), 0.25, 1, 3].forEach((v, i) => expect(e[i]).toBeCloseTo(v, 6));
    const sm = applyVals(new L.Softmax({ axis: [1, 2] }), own(t([1, 2, 3, 4], [1, 2, 2]))).v;
    const z = [1, 2, 3, 4].map(Math.exp);
    z.forEach((v, i) => expect(sm[i]).toBeCloseTo(v / z.reduce((p, q) => p + q), 6));
    expect(applyVals(new L.LeakyReLU({ negativeSlope: 0.5 }), x).v.slice(0, 2)).toEqual([-1, -0.25]);
    expect(new L.LeakyReLU().alpha).toBe(0.3);
    // Softmax with a mask gives masked positions probability 0.
    const m = own(tf.constant([[true, false, true, false, true]]));
    const p = applyVals(new L.Softmax(), x, { mask: m }).v;
    expect(p[1]).toBeCloseTo(0, 8);
    expect(p[0]! + p[2]! + p[4]!).toBeCloseTo(1, 6);
  });

  it("noise layers: identity at inference, the right statistics while training", () => {
    const x = own(tf.ones([4000]));
    const z = own(tf.zeros([4000]));
    for (const l of [new L.GaussianNoise(0.5), new L.GaussianDropout(0.3), new L.AlphaDropout(0.3), new L.SpatialDropout2D(0.5), new L.SpatialDropout3D(0.5)]) {
      const y = l.getClassName().startsWith("Spatial") ? own(tf.ones(l.getClassName().endsWith("2D") ? [2, 3, 3, 4] : [2, 2, 2, 2, 4])) : x;
      expect(applyVals(l, y).v).toEqual(vals(y));
    }
    const stats = (v: number[]) => {
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) };
    };
    const gn = stats(applyVals(new L.GaussianNoise(0.5), z, { training: true }).v);
    expect(Math.abs(gn.mean)).toBeLessThan(0.05);
    expect(Math.abs(gn.std - 0.5)).toBeLessThan(0.05);
    const gd = stats(applyVals(new L.GaussianDropout(0.3), x, { training: true }).v);
    expect(Math.abs(gd.mean - 1)).toBeLessThan(0.05);
    expect(Math.abs(gd.std - Math.sqrt(0.3 / 0.7))).toBeLessThan(0.05);
    // AlphaDropout keeps zero mean and unit variance of standard normal inputs.
    const n = own(tf.random.normal([20000], { seed: 3 }));
    const ad = stats(applyVals(new L.AlphaDropout(0.2), n, { training: true }).v);
    expect(Math.abs(ad.mean)).toBeLessThan(0.05);
    expect(Math.abs(ad.std - 1)).toBeLessThan(0.05);
    // SpatialDropout2D drops whole channels: each (example, channel) is all zero or all 2.
    const img = own(tf.ones([8, 3, 3, 4]));
    const sd = applyVals(new L.SpatialDropout2D(0.5), img, { training: true }).v;
    for (let b = 0; b < 8; b++) {
      for (let c = 0; c < 4; c++) {
        const ch = Array.from({ length: 9 }, (_, k) => sd[b * 36 + k * 4 + c]!);
        expect(new Set(ch).size).toBe(1);
        expect([0, 2]).toContain(ch[0]);
      }
    }
    const sdCf = applyVals(new L.SpatialDropout2D(0.5, { dataFormat: "channels_first" }), own(tf.ones([4, 3, 2, 2])), { training: true }).v;
    for (let k = 0; k < 12; k++) expect(new Set(sdCf.slice(k * 4, k * 4 + 4)).size).toBe(1);
  });

  it("configs of these layers round-trip", () => {
    const layers = [
      new L.Cropping1D({ cropping: [1, 2] }), new L.Cropping3D({ cropping: 2, dataFormat: "channels_first" }), new L.UpSampling1D({ size: 3 }), new L.UpSampling3D({ size: [1, 2, 3] }),
      new L.ZeroPadding1D({ padding: 2 }), new L.ZeroPadding3D({ padding: [[1, 2], [3, 4], [5, 6]] }), new L.GlobalMaxPooling3D({ keepdims: true }), new L.GlobalAveragePooling3D(),
      new L.SpatialDropout2D(0.3, { seed: 4 }), new L.SpatialDropout3D(0.1, { dataFormat: "channels_first" }), new L.Subtract(), new L.ReLU({ negativeSlope: 0.2, threshold: 1 }),
      new L.ELU({ alpha: 0.7 }), new L.Softmax({ axis: [1, 2] }), new L.GaussianNoise(0.2, { seed: 1 }), new L.AlphaDropout(0.1, { noiseShape: [null, 1] }),
    ];
    for (const l of layers) {
      const again = tf.keras.models.layerFromConfig({ class_name: l.getClassName(), config: l.getConfig() });
      expect(again.getClassName()).toBe(l.getClassName());
      expect(again.getConfig()).toEqual(l.getConfig());
    }
  });
});

// ---------------------------------------------------------------- gradients

describe("gradients against finite differences (float64)", () => {
  it("layers with weights: Embedding, PReLU, Conv2D channels_first (weights and inputs)", () => {
    const emb = own(new L.Embedding(6, 3, { dtype: "float64" }));
    const ids = own(tf.constant([[1, 5, 0], [2, 2, 4]], "int32"));
    tf.tidy(() => void emb.apply(ids));
    checkGradients(() => emb.apply(ids), [emb.embeddings!]);

    const prelu = own(new L.PReLU({ dtype: "float64", alphaInitializer: { class_name: "RandomUniform", config: { minval: 0.1, maxval: 0.5 } }, sharedAxes: [2] }));
    const x = own(variable64([2, 3, 4], 1));
    tf.tidy(() => void prelu.apply(x));
    checkGradients(() => prelu.apply(x), [prelu.alpha!, x]);

    const conv = own(new L.Conv2D(2, [2, 3], { dataFormat: "channels_first", padding: "same", dtype: "float64", activation: "tanh", biasInitializer: "ones" }));
    const img = own(variable64([2, 3, 4, 5], 2));
    tf.tidy(() => void conv.apply(img));
    checkGradients(() => conv.apply(img), [conv.kernel!, conv.bias!, img]);
  });

  it("weightless layers, through their inputs", () => {
    const cases: [tf.keras.layers.Layer, number[]][] = [
      [new L.LeakyReLU({ alpha: 0.2, dtype: "float64" }), [3, 4]],
      [new L.ELU({ alpha: 0.7, dtype: "float64" }), [3, 4]],
      [new L.ReLU({ maxValue: 0.8, negativeSlope: 0.3, threshold: 0.1, dtype: "float64" }), [3, 4]],
      [new L.ThresholdedReLU({ theta: 0.3, dtype: "float64" }), [3, 4]],
      [new L.Softmax({ axis: [1, 2], dtype: "float64" }), [2, 3, 2]],
      [new L.MaxPooling1D({ poolSize: 2, padding: "same", dtype: "float64" }), [2, 5, 2]],
      [new L.AveragePooling1D({ poolSize: 2, dtype: "float64" }), [2, 5, 2]],
      [new L.AveragePooling2D({ poolSize: 2, dataFormat: "channels_first", padding: "same", dtype: "float64" }), [1, 2, 3, 3]],
      [new L.GlobalMaxPooling2D({ dtype: "float64" }), [2, 3, 3, 2]],
      [new L.Cropping2D({ cropping: [[1, 0], [1, 1]], dtype: "float64" }), [1, 3, 4, 2]],
      [new L.ZeroPadding2D({ padding: 1, dtype: "float64" }), [1, 2, 2, 2]],
      [new L.UpSampling2D({ size: [2, 1], dtype: "float64" }), [1, 2, 2, 2]],
      [new L.Reshape([3, 2], { dtype: "float64" }), [2, 6]],
      [new L.Permute([2, 1], { dtype: "float64" }), [2, 3, 2]],
      [new L.RepeatVector(2, { dtype: "float64" }), [2, 3]],
      [new L.Masking({ maskValue: 0, dtype: "float64" }), [2, 3, 2]],
      [new L.Flatten({ dataFormat: "channels_first", dtype: "float64" }), [2, 2, 3]],
    ];
    cases.forEach(([layer, shape], i) => {
      own(layer);
      const x = own(variable64(shape, 10 + i));
      checkGradients(() => layer.apply(x), [x]);
    });
  });

  it("merge layers and masked average pooling, through every input", () => {
    const a = own(variable64([2, 3, 4], 31));
    const b = own(variable64([2, 3, 4], 32));
    for (const layer of [new L.Add({ dtype: "float64" }), new L.Subtract({ dtype: "float64" }), new L.Multiply({ dtype: "float64" }), new L.Average({ dtype: "float64" }), new L.Maximum({ dtype: "float64" }), new L.Minimum({ dtype: "float64" }), new L.Concatenate({ axis: 1, dtype: "float64" }), new L.Dot([2, 2], { normalize: true, dtype: "float64" }), new L.Dot([1, 1], { dtype: "float64" })]) {
      checkGradients(() => layer.apply([a, b]), [a, b]);
    }
    const mask = own(tf.constant([[true, true, false], [true, false, false]]));
    const pool = new L.GlobalAveragePooling1D({ dtype: "float64" });
    checkGradients(() => pool.apply(a, { mask }), [a]);
  });
});

// ---------------------------------------------------------------- masks and bad input

describe("masks", () => {
  it("merge layers combine masks; Concatenate fills missing ones; pooling drops them", () => {
    const x = own(tf.ones([2, 3, 2]));
    const m1 = own(tf.constant([[true, true, false], [true, false, true]]));
    const m2 = own(tf.constant([[true, false, true], [true, true, true]]));
    const add = new L.Add();
    const m = own(add.computeMask([x, x], [m1, m2]) as tf.Tensor);
    expect(Array.from(m.dataSync() as Uint8Array)).toEqual([1, 0, 0, 1, 0, 1]);
    const cat = own(new L.Concatenate({ axis: 1 }).computeMask([x, x], [m1, null]) as tf.Tensor);
    expect(cat.shape).toEqual([2, 6]);
    expect(Array.from(cat.dataSync() as Uint8Array)).toEqual([1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1]);
    expect(new L.GlobalAveragePooling1D().computeMask()).toBeNull();
    expect(new L.Add().computeMask([x, x], [null, null])).toBeNull();
  });
});

describe("bad input: Keras's messages, naming the layer", () => {
  it("wrong shapes and ranks at call time", () => {
    const x2 = own(tf.ones([2, 3]));
    const x3 = own(tf.ones([2, 3, 4]));
    expect(() => new L.RepeatVector(2).apply(x3)).toThrow('Input 0 of layer "repeat_vector" is incompatible with the layer: expected ndim=2, found ndim=3. Full shape received: (2, 3, 4)');
    expect(() => new L.MaxPooling1D().apply(x2)).toThrow(/Input 0 of layer "max_pooling1d" is incompatible with the layer: expected ndim=3, found ndim=2/);
    expect(() => new L.GlobalAveragePooling2D().apply(x3)).toThrow(/layer "global_average_pooling2d" is incompatible with the layer: expected ndim=4/);
    expect(() => new L.Permute([2, 1]).apply(x2)).toThrow(/layer "permute" is incompatible with the layer: expected ndim=3, found ndim=2/);
    expect(() => new L.Reshape([5]).apply(x2)).toThrow('total size of new array must be unchanged, input_shape = (3,), output_shape = (5,) (layer "reshape")');
    expect(() => new L.Cropping1D({ cropping: [2, 2] }).apply(x3)).toThrow(/`cropping` parameter of `Cropping1D` layer must be smaller than the input length. Received: input length=3/);
    expect(() => new L.Dot(1).apply([x2, own(tf.ones([2, 4]))])).toThrow("Incompatible input shapes: axis values 3 (at axis 1) != 4 (at axis 1). Full input shapes: (2, 3), (2, 4)");
    expect(() => new L.Dot(1).apply([x2, x2, x2])).toThrow(/A `Dot` layer should be called on a list of 2 inputs/);
    expect(() => new L.Concatenate().apply([x2, x3])).toThrow(/A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=\[\(2, 3\), \(2, 3, 4\)\]/);
    expect(() => new L.Add().apply([x2, own(tf.ones([3, 3]))])).toThrow("Cannot merge tensors with different batch sizes. Received tensors with shapes [(2, 3), (3, 3)]");
    expect(() => new L.Add().apply(x2)).toThrow(/A merge layer should be called on a list of inputs/);
    const emb = own(new L.Embedding(5, 2));
    expect(() => emb.apply(own(tf.constant([[1, 7]], "int32")))).toThrow(/7/);
    const prelu = own(new L.PReLU());
    tf.tidy(() => void prelu.apply(x2));
    expect(() => prelu.apply(own(tf.ones([2, 4])))).toThrow('Input 0 of layer "p_re_lu" is incompatible with the layer: expected axis 1 of input shape to have value 3, but received input with shape (2, 4)');
    const conv = own(new L.Conv2D(2, 3, { dataFormat: "channels_first" }));
    tf.tidy(() => void conv.apply(tf.ones([1, 2, 5, 5])));
    expect(() => conv.apply(own(tf.ones([1, 5, 5, 2])))).toThrow(/expected axis 1 of input shape to have value 2, but received input with shape \(1, 5, 5, 2\)/);
  });

  it("bad constructor arguments and unknown options", () => {
    expect(() => new L.Reshape([2, -1, -1])).toThrow("There must be at most one unknown dimension in output_shape. Received: output_shape=(2, -1, -1)");
    expect(() => new L.Permute([1, 3])).toThrow("Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be consecutive and start from 1. Received dims=[1,3]");
    expect(() => new L.Embedding(0, 4)).toThrow("Both `input_dim` and `output_dim` should be positive, Received input_dim = 0 and output_dim = 4");
    expect(() => new L.ReLU({ maxValue: -1 })).toThrow("max_value of a ReLU layer cannot be a negative value (or not a number). Got: -1");
    expect(() => new L.GaussianDropout(1.5)).toThrow(/Expected a float value between 0 and 1. Received: rate=1.5/);
    expect(() => new L.GaussianNoise(-1)).toThrow(/Expected a float value greater than or equal to 0. Received: stddev=-1/);
    expect(() => new L.Cropping2D({ cropping: [1, 2, 3] as never })).toThrow(/`cropping` must be a non-negative integer, 2 integers, or 2 pairs/);
    expect(() => new L.UpSampling2D({ size: 0 })).toThrow(/`size` must be a positive integer or a list of 2 of them, got 0/);
    expect(() => new L.UpSampling2D({ interpolation: "bilinear" })).toThrow(/needs tf\.image\.resize/);
    expect(() => new L.AveragePooling2D({ dataFormat: "NCHW" as never })).toThrow(/`data_format` must be "channels_last" or "channels_first", got "NCHW"/);
    expect(() => new L.Dot("1" as never)).toThrow(/Invalid format for argument `axes`/);
    expect(() => new L.LeakyReLU({ alpha: 0.1, negativeSlope: 0.1 })).toThrow(/pass `alpha` or `negativeSlope`, not both/);
    expect(() => new L.Embedding(5, 2, { embeddingsRegularizer: "l3" as never })).toThrow(/Unknown regularizer: "l3"/);
    expect(() => new L.GlobalMaxPooling1D({ keepDims: true } as never)).toThrow("keras.layers.GlobalMaxPooling1D() got an unexpected option 'keepDims' — did you mean 'keepdims'?");
    expect(() => new L.MaxPooling1D({ poolsize: 2 } as never)).toThrow(/keras\.layers\.MaxPooling1D\(\) got an unexpected option 'poolsize' — did you mean 'poolSize'\?/);
    expect(() => new L.SpatialDropout2D(0.2, { noiseShape: [1] } as never)).toThrow(/unexpected option 'noiseShape'/);
    const x = own(tf.ones([1, 2]));
    expect(() => new L.Activation("relu").apply(x, { trainig: true } as never)).toThrow("Activation.apply() got an unexpected option 'trainig' — did you mean 'training'?");
    expect(() => tf.keras.models.layerFromConfig({ class_name: "Cropping2D", config: { cropping: [[1, 1], [1, 1]], data_formatt: "channels_last" } })).toThrow(/unexpected option 'dataFormatt'/);
    expect(() => tf.keras.models.layerFromConfig({ class_name: "Lambda", config: {} })).toThrow(/A Lambda layer cannot be loaded from a config/);
  });
});
