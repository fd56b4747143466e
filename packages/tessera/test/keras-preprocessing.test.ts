/**
 * Preprocessing layers: Rescaling, Resizing, CenterCrop, CategoryEncoding, Discretization and
 * Normalization — values against hand-computed ones and Keras's documented examples, `adapt` on
 * tensors, arrays and datasets, configs that round-trip (and through files), TensorFlow.js interop
 * where TF.js 4.22 has the layer, bad input.
 */
import "@tensorflow/tfjs-backend-cpu";
import * as tfc from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { describe, expect, it } from "vitest";
import { checkInterop } from "./helpers/layer-interop.js";
import { kerasLayerSetup, vals } from "./helpers/keras-layer-setup.js";

const L = tf.keras.layers;
const J = tfl.layers;
const { own, freshDir } = kerasLayerSetup({ what: "a preprocessing test", seed: 11, also: () => tfc.setBackend("cpu"), tempPrefix: "tessera-preproc-" });

/** Applies `layer` to `x` (made inside the scope when a function) and reads the result. */
const run = (layer: tf.keras.layers.Layer, x: tf.TensorLike | (() => tf.Tensor)): { v: number[]; shape: number[]; dtype: string } =>
  tf.tidy(() => {
    const y = layer.apply(typeof x === "function" ? x() : x) as tf.Tensor;
    return { v: vals(y), shape: y.shape, dtype: y.dtype };
  });
const roundTrip = (layer: tf.keras.layers.Layer) => {
  const again = own(tf.keras.models.layerFromConfig({ class_name: layer.getClassName(), config: layer.getConfig() }));
  expect(again.getConfig()).toEqual(layer.getConfig());
  return again;
};
const close = (a: number[], b: number[], digits = 5) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v, `index ${i}`).toBeCloseTo(b[i]!, digits));
};

describe("image preprocessing", () => {
  it("Rescaling: x · scale + offset, integer inputs become floats", () => {
    const r = own(new L.Rescaling(1 / 127.5, { offset: -1 }));
    const out = run(r, () => tf.constant([[0, 255, 127]], "int32"));
    close(out.v, [-1, 1, 127 / 127.5 - 1]);
    expect(out.dtype).toBe("float32");
    expect(roundTrip(r).getConfig()).toMatchObject({ scale: 1 / 127.5, offset: -1 });
  });

  it("CenterCrop: the centred window, starting at ⌊(H − h)/2⌋; smaller images are resized", () => {
    const img = tf.tidy(() => tf.reshape(tf.range(0, 30, 1, "float32"), [1, 5, 6, 1]));
    own(img);
    const c = own(new L.CenterCrop(2, 3));
    const out = run(c, img);
    expect(out.shape).toEqual([1, 2, 3, 1]);
    // Rows 1–2 (⌊3/2⌋ = 1), columns 1–3 (⌊3/2⌋ = 1).
    expect(out.v).toEqual([7, 8, 9, 13, 14, 15]);
    // A single image (rank 3) works too; an image smaller than the window is resized to it.
    expect(run(c, () => tf.ones([4, 4, 2])).shape).toEqual([2, 3, 2]);
    const up = run(new L.CenterCrop(4, 4), () => tf.ones([1, 2, 2, 1]));
    expect(up.shape).toEqual([1, 4, 4, 1]);
    close(up.v, new Array(16).fill(1));
    roundTrip(c);
  });

  it("Resizing: tf.image.resize's half-pixel bilinear and nearest; cropToAspectRatio crops first", () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    const img = own(tf.constant(xs, { shape: [1, 4, 4, 1], dtype: "float32" }));
    const bilinear = run(own(new L.Resizing(2, 2)), img);
    // Downscaling by 2 with half-pixel centres averages each 2×2 block.
    close(bilinear.v, [3.5, 5.5, 11.5, 13.5]);
    // The same as TensorFlow.js's resizeBilinear with halfPixelCenters (TF2's convention).
    const theirs = tfc.tidy(() => Array.from(tfc.image.resizeBilinear(tfc.tensor4d(xs, [1, 4, 4, 1]), [3, 5], false, true).dataSync()));
    close(run(own(new L.Resizing(3, 5)), img).v, theirs);
    expect(run(own(new L.Resizing(2, 2, { interpolation: "nearest" })), img).v).toEqual([6, 8, 14, 16]);
    // A 4×4 image to 2×1 with cropToAspectRatio: the centred 4×2 window (columns 1–2), then halved in height.
    const cropped = run(own(new L.Resizing(2, 1, { cropToAspectRatio: true })), img);
    close(cropped.v, [(2 + 3 + 6 + 7) / 4, (10 + 11 + 14 + 15) / 4]);
    roundTrip(own(new L.Resizing(3, 5, { interpolation: "nearest", cropToAspectRatio: true })));
  });

  it("load both ways with TensorFlow.js: Rescaling, CenterCrop", async () => {
    await checkInterop({ name: "Rescaling", ours: () => new L.Rescaling(0.5, { offset: 0.25 }), theirs: () => J.rescaling({ scale: 0.5, offset: 0.25 }), input: [3, 2] });
  });

  it("CenterCrop and CategoryEncoding agree with TensorFlow.js's layers and read their configs", () => {
    // (TF.js 4.22's CenterCrop and CategoryEncoding overwrite their input's shape while computing their
    // output's, which breaks any TF.js model holding them: they are compared called on tensors.)
    const xs = Array.from({ length: 2 * 5 * 6 * 2 }, (_, i) => Math.sin(i));
    const theirCrop = tfc.tidy(() => Array.from((J.centerCrop({ height: 2, width: 3 }).apply(tfc.tensor4d(xs, [2, 5, 6, 2])) as tfc.Tensor).dataSync()));
    const ourCrop = own(tf.keras.models.layerFromConfig({ class_name: "CenterCrop", config: { name: "cc", trainable: true, height: 2, width: 3 } }));
    expect(run(ourCrop, () => tf.constant(xs, { shape: [2, 5, 6, 2], dtype: "float32" })).v).toEqual(theirCrop);
    const ids = [0, 3, 3, 1, 2, 2];
    for (const mode of ["multi_hot", "count"] as const) {
      const theirs = tfc.tidy(() => Array.from((J.categoryEncoding({ numTokens: 5, outputMode: mode === "count" ? "count" : "multiHot" }).apply(tfc.tensor2d(ids, [2, 3], "int32")) as tfc.Tensor).dataSync()));
      // A TF.js model.json spells the mode in snake_case (its serializer converts enum values).
      const ours = own(tf.keras.models.layerFromConfig({ class_name: "CategoryEncoding", config: { name: `ce_${mode}`, trainable: true, num_tokens: 5, output_mode: mode } }));
      expect(run(ours, () => tf.constant(ids, { shape: [2, 3], dtype: "int32" })).v, mode).toEqual(theirs);
    }
  });
});

describe("CategoryEncoding", () => {
  it("Keras's documented examples: one_hot, multi_hot, count with weights", () => {
    const oh = own(new L.CategoryEncoding({ numTokens: 4, outputMode: "one_hot" }));
    const a = run(oh, () => tf.constant([3, 2, 0, 1], "int32"));
    expect(a.shape).toEqual([4, 4]);
    expect(a.v).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0]);
    const mh = own(new L.CategoryEncoding({ numTokens: 4, outputMode: "multi_hot" }));
    const b = run(mh, () => tf.constant([[0, 1], [0, 0], [1, 2], [3, 1]], "int32"));
    expect(b.v).toEqual([1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1]);
    const ct = own(new L.CategoryEncoding({ numTokens: 4, outputMode: "count" }));
    const weights = own(tf.constant([[0.1, 0.2], [0.1, 0.1], [0.2, 0.3], [0.4, 0.2]], "float32"));
    const c = tf.tidy(() => vals(ct.apply(tf.constant([[0, 1], [0, 0], [1, 2], [3, 1]], "int32"), { countWeights: weights } as tf.keras.layers.CategoryEncodingCallOptions) as tf.Tensor));
    close(c, [0.1, 0.2, 0, 0, 0.2, 0, 0, 0, 0, 0.2, 0.3, 0, 0, 0.2, 0, 0.4]);
    expect(run(ct, () => tf.constant([[1, 1, 1, 3]], "int32")).v).toEqual([0, 3, 0, 1]);
    // [batch, 1] one-hot gives [batch, numTokens].
    expect(run(oh, () => tf.constant([[2], [0]], "int32")).shape).toEqual([2, 4]);
    roundTrip(ct);
  });

  it("symbolic shapes, and TensorFlow.js's camelCase output modes are read", () => {
    const x = tf.keras.Input({ shape: [3], dtype: "int32" });
    expect((new L.CategoryEncoding({ numTokens: 5 }).apply(x) as tf.keras.KerasTensor).shape).toEqual([null, 5]);
    const fromTfjs = own(tf.keras.models.layerFromConfig({ class_name: "CategoryEncoding", config: { name: "ce", num_tokens: 3, output_mode: "oneHot", sparse: false } }));
    expect(fromTfjs.getConfig()["output_mode"]).toBe("one_hot");
  });

  it("bad input", () => {
    expect(() => new L.CategoryEncoding({})).toThrow(/`num_tokens` must be set/);
    expect(() => new L.CategoryEncoding({ numTokens: 0 })).toThrow(/`num_tokens` must be >= 1/);
    expect(() => new L.CategoryEncoding({ numTokens: 3, outputMode: "tf_idf" as never })).toThrow(/Unknown value for `output_mode`/);
    expect(() => new L.CategoryEncoding({ numTokens: 3, sparse: true })).toThrow(/sparse/);
    const ce = own(new L.CategoryEncoding({ numTokens: 3 }));
    expect(() => run(ce, () => tf.constant([[0, 3]], "int32"))).toThrow(/Input values must be in the range 0 <= values < num_tokens with num_tokens=3/);
    expect(() => run(ce, () => tf.constant([[-1, 0]], "int32"))).toThrow(/range 0 <= values < num_tokens/);
    expect(() => tf.tidy(() => ce.apply(tf.constant([[0]], "int32"), { countWeights: [[1]] } as never))).toThrow(/`count_weights` is not used/);
    expect(() => run(own(new L.CategoryEncoding({ numTokens: 3, outputMode: "one_hot" })), () => tf.constant([[0, 1]], "int32"))).toThrow(/maximum supported output rank is 2/);
  });
});

describe("Discretization", () => {
  it("bucket ids from boundaries (Keras's example), and encoded outputs", () => {
    const d = own(new L.Discretization({ binBoundaries: [0, 1, 2] }));
    const out = run(d, () => tf.constant([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]], "float32"));
    expect(out.v).toEqual([0, 2, 3, 1, 1, 3, 2, 1]);
    expect(out.dtype).toBe("int32");
    const mh = own(new L.Discretization({ binBoundaries: [0, 1, 2], outputMode: "count" }));
    expect(run(mh, () => tf.constant([[-1, 0.5, 0.7, 5]], "float32")).v).toEqual([1, 2, 0, 1]);
    roundTrip(mh);
  });

  it("adapt finds Keras's quantile boundaries, on arrays and on a dataset of batches", async () => {
    const data = [[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]];
    const d = own(new L.Discretization({ numBins: 4, epsilon: 0.01 }));
    await d.adapt(data);
    // Sorted values −1.5 0 0 0.5 1 1.3 3 3.4 with cumulative shares 1/8 … 1: the values at shares ¼, ½, ¾.
    close(d.binBoundaries!, [0, 0.5, 1.3]);
    expect(run(d, () => tf.constant(data, "float32")).v).toEqual([0, 2, 3, 2, 1, 3, 3, 1]);
    const again = roundTrip(d) as tf.keras.layers.Discretization;
    expect(again.binBoundaries).toEqual(d.binBoundaries);
    // 0 … 99 in four batches of 25: boundaries at the values with cumulative share ¼, ½, ¾ (24, 49, 74).
    const ds = tf.data.Dataset.fromTensorSlices(own(tf.tidy(() => tf.reshape(tf.range(0, 100, 1, "float32"), [4, 25])))).batch(1);
    const q = own(new L.Discretization({ numBins: 4, epsilon: 0.01 }));
    await q.adapt(ds);
    close(q.binBoundaries!, [24, 49, 74], 3);
  });

  it("bad input", async () => {
    expect(() => new L.Discretization({})).toThrow(/You need to set either `num_bins` or `bin_boundaries`/);
    expect(() => new L.Discretization({ numBins: 3, binBoundaries: [0] })).toThrow(/Both `num_bins` and `bin_boundaries` should not be set/);
    expect(() => new L.Discretization({ binBoundaries: [1, 0] })).toThrow(/sorted list/);
    expect(() => new L.Discretization({ numBins: -1 })).toThrow(/`num_bins` must be greater than or equal to 0/);
    const d = own(new L.Discretization({ numBins: 2 }));
    expect(() => run(d, [[1]])).toThrow(/call `adapt\(dataset\)` before/);
    await expect(own(new L.Discretization({ binBoundaries: [0] })).adapt([[1]])).rejects.toThrow(/Cannot adapt a Discretization layer that has been initialized with `bin_boundaries`/);
    await expect(d.adapt([[1]], { steps: 2 })).rejects.toThrow(/`steps` is only for a Dataset/);
  });
});

describe("Normalization", () => {
  it("adapt on a tensor: per-feature mean and variance; inverted; saved with the model", async () => {
    const data = [[1, 10], [2, 20], [3, 60]];
    const n = own(new L.Normalization());
    await n.adapt(data);
    close(vals(n.adaptMean!), [2, 30]);
    close(vals(n.adaptVariance!), [2 / 3, (400 + 100 + 900) / 3], 3);
    const out = run(n, data);
    close(out.v, [-1 / Math.sqrt(2 / 3), -20 / Math.sqrt(1400 / 3), 0, -10 / Math.sqrt(1400 / 3), 1 / Math.sqrt(2 / 3), 30 / Math.sqrt(1400 / 3)], 4);
    const inv = own(new L.Normalization({ mean: [2, 30], variance: [4, 9], invert: true }));
    close(run(inv, [[1, 1]]).v, [4, 33]);
    // Weights in Keras's order and names; a saved model keeps the adapted statistics.
    expect(n.weights.map((w) => w.name)).toEqual(["normalization/mean:0", "normalization/variance:0", "normalization/count:0"]);
    const input = tf.keras.Input({ shape: [2] });
    const model = own(new tf.keras.Model({ inputs: input, outputs: n.apply(input) }));
    const dir = freshDir();
    await model.save(dir);
    const back = own(await tf.keras.models.loadModel(dir));
    close(tf.tidy(() => vals(back.predict(tf.constant(data, "float32")) as tf.Tensor)), out.v, 4);
  });

  it("adapt on a dataset combines batches as one pass over all the data; other axes", async () => {
    const rows = Array.from({ length: 12 }, (_, i) => [i, (i * 7) % 5, i * i]);
    const flat = rows.flat();
    const ds = tf.data.Dataset.fromTensorSlices(own(tf.constant(flat, { shape: [12, 3], dtype: "float32" }))).batch(5);
    const n = own(new L.Normalization({ axis: -1 }));
    await n.adapt(ds);
    for (let f = 0; f < 3; f++) {
      const col = rows.map((r) => r[f]!);
      const mean = col.reduce((a, b) => a + b, 0) / 12;
      expect(vals(n.adaptMean!)[f]).toBeCloseTo(mean, 3);
      expect(vals(n.adaptVariance!)[f]! / (col.reduce((a, b) => a + (b - mean) ** 2, 0) / 12)).toBeCloseTo(1, 5);
    }
    expect(vals(n.count!)).toEqual([12]);
    // axis: null normalizes with one mean and variance over everything.
    const all = own(new L.Normalization({ axis: null }));
    await all.adapt([[1, 2], [3, 4]]);
    close(run(all, [[2.5]]).v, [0]);
    close([vals(all.adaptVariance!)[0]!], [1.25]);
    // Statistics along axis 1 of [batch, 2, 3] inputs: one per row of each sample.
    const rowsN = own(new L.Normalization({ axis: 1, mean: [0, 10], variance: [1, 4] }));
    close(run(rowsN, [[[1, 2, 3], [10, 12, 14]]]).v, [1, 2, 3, 0, 1, 2]);
    roundTrip(rowsN);
  });

  it("bad input", async () => {
    expect(() => new L.Normalization({ mean: 1 })).toThrow(/both `mean` and `variance` must be set/);
    expect(() => new L.Normalization({ axis: 0 })).toThrow(/may not be 0/);
    await expect(own(new L.Normalization({ mean: 0, variance: 1 })).adapt([[1]])).rejects.toThrow(/Cannot adapt a Normalization layer with statically set/);
    const n = own(new L.Normalization());
    await n.adapt([[1, 2, 3]]);
    await expect(n.adapt([[1, 2]])).rejects.toThrow(/incompatible|does not match/);
    expect(() => run(own(new L.Normalization({ mean: [1, 2], variance: [1, 1] })), [[1, 2, 3]])).toThrow(/`mean` has 2 values, but the inputs have 3 features/);
  });
});

describe("bad input (image layers)", () => {
  it("sizes, modes and ranks are checked", () => {
    expect(() => new L.Resizing(0, 2)).toThrow(/`height` must be a positive integer/);
    expect(() => new L.Resizing(2, 2, { interpolation: "bicubic" as never })).toThrow(/`interpolation` must be "bilinear" or "nearest"/);
    expect(() => new L.CenterCrop(2, 2.5)).toThrow(/`width` must be a positive integer/);
    expect(() => new L.Rescaling(Number.NaN)).toThrow(/`scale` must be a finite number/);
    expect(() => new L.Rescaling(1, { ofset: 1 } as never)).toThrow(TypeError);
    expect(() => run(own(new L.CenterCrop(1, 1)), [[1, 2]])).toThrow(/expected min_ndim=3, found ndim=2/);
  });
});

describe("StringLookup and IntegerLookup", () => {
  const readStrings = (t: tf.Tensor) => Array.from(t.dataSync() as unknown as string[]);

  it("Keras's documented examples: indices, mask token, encoded outputs, inversion", () => {
    const vocab = ["a", "b", "c", "d"];
    const s = own(new L.StringLookup({ vocabulary: vocab }));
    const data = () => tf.constant([["a", "c", "d"], ["d", "z", "b"]]);
    const ids = run(s, data);
    expect(ids.v).toEqual([1, 3, 4, 4, 0, 2]);
    expect(ids.dtype).toBe("int32");
    expect(s.getVocabulary()).toEqual(["[UNK]", "a", "b", "c", "d"]);
    expect(s.vocabularySize()).toBe(5);
    const masked = own(new L.StringLookup({ vocabulary: vocab, maskToken: "" }));
    expect(run(masked, () => tf.constant([["a", "c", "d"], ["", "z", "b"]])).v).toEqual([2, 4, 5, 0, 1, 3]);
    const mh = own(new L.StringLookup({ vocabulary: vocab, outputMode: "multi_hot" }));
    expect(run(mh, () => tf.constant([["a", "c", "d", "d"], ["d", "z", "b", "z"]])).v).toEqual([0, 1, 0, 1, 1, 1, 0, 1, 0, 1]);
    const ct = own(new L.StringLookup({ vocabulary: vocab, outputMode: "count" }));
    expect(run(ct, () => tf.constant([["a", "c", "d", "d"], ["d", "z", "b", "z"]])).v).toEqual([0, 1, 0, 1, 2, 2, 0, 1, 0, 1]);
    const padded = own(new L.StringLookup({ vocabulary: vocab, outputMode: "one_hot", maxTokens: 7, padToMaxTokens: true }));
    expect(run(padded, () => tf.constant([["b"]])).v).toEqual([0, 0, 1, 0, 0, 0, 0]);
    const inv = own(new L.StringLookup({ vocabulary: vocab, invert: true }));
    const back = tf.tidy(() => readStrings(inv.apply(tf.constant([[1, 3, 4], [4, 0, 2]], "int32")) as tf.Tensor));
    expect(back).toEqual(["a", "c", "d", "d", "[UNK]", "b"]);
    const ints = own(new L.IntegerLookup({ vocabulary: [12, 36, 1138, 42] }));
    expect(run(ints, () => tf.constant([[12, 1138, 42], [42, 1000, 36]], "int32")).v).toEqual([1, 3, 4, 4, 0, 2]);
    expect(ints.getVocabulary()).toEqual([-1, 12, 36, 1138, 42]);
    // Whole numbers in a float tensor (a model's float32 input) are tokens too.
    expect(run(ints, [[36.0, 5]]).v).toEqual([2, 0]);
    for (const l of [s, masked, mh, inv, ints]) expect(roundTrip(l).getConfig()).toEqual(l.getConfig());
  });

  it("adapt: most frequent first, ties by token descending, cut to maxTokens; datasets too", async () => {
    const s = own(new L.StringLookup());
    await s.adapt(own(tf.constant([["a", "c", "d"], ["d", "z", "b"]])));
    expect(s.getVocabulary()).toEqual(["[UNK]", "d", "z", "c", "b", "a"]);
    const i = own(new L.IntegerLookup({ maxTokens: 4 }));
    const ds = tf.data.Dataset.fromTensorSlices(own(tf.constant([[12, 1138, 42], [42, 1000, 36]], "int32"))).batch(1);
    await i.adapt(ds);
    expect(i.getVocabulary()).toEqual([-1, 42, 1138, 1000]);
    // The adapted vocabulary is in the config, so a saved model keeps it.
    const input = tf.keras.Input({ shape: [3], dtype: "int32" });
    const model = own(new tf.keras.Model({ inputs: input, outputs: i.apply(input) }));
    const dir = freshDir();
    await model.save(dir);
    const loaded = own(await tf.keras.models.loadModel(dir));
    expect((loaded.layers[1] as tf.keras.layers.IntegerLookup).getVocabulary()).toEqual([-1, 42, 1138, 1000]);
    expect(tf.tidy(() => vals(loaded.predict(tf.constant([[42, 7, 1000]], "int32")) as tf.Tensor))).toEqual([1, 0, 3]);
  });

  it("bad input", async () => {
    expect(() => new L.StringLookup({ vocabulary: ["a", "a"] })).toThrow(/repeated term/);
    expect(() => new L.StringLookup({ vocabulary: ["a", "[UNK]"] })).toThrow(/reserved token "\[UNK\]"/);
    expect(() => new L.StringLookup({ vocabulary: ["a", "b", "c"], maxTokens: 3 })).toThrow(/larger than the maximum vocab size/);
    expect(() => new L.StringLookup({ numOovIndices: 2 })).toThrow(/`num_oov_indices` > 1/);
    expect(() => new L.StringLookup({ invert: true, outputMode: "count" })).toThrow(/must be `'int'` when `invert` is true/);
    expect(() => new L.StringLookup({ padToMaxTokens: true })).toThrow(/`max_tokens` must be set/);
    expect(() => new L.IntegerLookup({ vocabulary: [1, 2.5] })).toThrow(/must hold integers/);
    expect(() => new L.StringLookup({ vocabulary: [1] as never })).toThrow(/must hold strings/);
    const strict = own(new L.StringLookup({ vocabulary: ["a"], numOovIndices: 0 }));
    expect(() => run(strict, () => tf.constant(["b"]))).toThrow(/out-of-vocabulary token "b"/);
    expect(() => run(own(new L.IntegerLookup({ vocabulary: [1] })), () => tf.constant([["x"]]))).toThrow(/expected int32 inputs, got string/);
    await expect(own(new L.IntegerLookup()).adapt(own(tf.constant(["a"])))).rejects.toThrow(/adapt expects int32 tokens, got string/);
  });
});
