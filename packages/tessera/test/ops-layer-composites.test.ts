/**
 * Composite ops added for the Keras layers: tf.nn.leakyRelu, tf.repeat, tf.nn.maxPool1d/avgPool1d,
 * tf.nn.l2Normalize, tf.nn.moments — values against TensorFlow.js, gradients against finite differences, bad input.
 */
import * as tfc from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tessera/core";
import { beforeAll, describe, expect, it } from "vitest";
import { checkGradients, variable64 } from "./helpers/gradcheck.js";
import { onJsFreeingEverything } from "./helpers/js-backend.js";
import { maxDiff } from "./helpers/tfjs-files.js";

onJsFreeingEverything("a composite-op test leaked tensors");
beforeAll(async () => {
  await tfc.setBackend("cpu");
});

const data = [-2, -0.5, 0, 0.75, 1.5, 3, -1, 2, 0.25, -0.125, 4, -3];
const vals = (t: tf.Tensor | tfc.Tensor) => Array.from(t.dataSync() as Float32Array);
function same(ours: () => tf.Tensor, theirs: () => tfc.Tensor): void {
  tf.tidy(() => {
    const a = ours();
    const b = tfc.tidy(theirs);
    expect(a.shape).toEqual(b.shape);
    expect(maxDiff(vals(a), vals(b))).toBeLessThan(1e-6);
    b.dispose();
  });
}

describe("values against TensorFlow.js", () => {
  it("leakyRelu", () => {
    same(() => tf.nn.leakyRelu(tf.constant(data)), () => tfc.leakyRelu(tfc.tensor(data), 0.2));
    same(() => tf.leakyRelu(tf.constant(data), { alpha: 0.05 }), () => tfc.leakyRelu(tfc.tensor(data), 0.05));
    same(() => tf.constant(data).leakyRelu({ alpha: 0.5 }), () => tfc.leakyRelu(tfc.tensor(data), 0.5));
  });

  it("maxPool1d and avgPool1d (valid, same, strides)", () => {
    const x = () => tf.constant(data, { shape: [2, 3, 2], dtype: "float32" });
    const y = () => tfc.tensor(data, [2, 3, 2]);
    const as4 = (t: tfc.Tensor) => tfc.reshape(t, [2, 1, 3, 2]) as tfc.Tensor4D;
    for (const [k, s, p] of [[2, 1, "valid"], [2, 2, "same"], [3, 1, "same"], [1, 1, "valid"]] as const) {
      same(() => tf.nn.maxPool1d(x(), k, s, p.toUpperCase() as "SAME"), () => tfc.reshape(tfc.maxPool(as4(y()), [1, k], [1, s], p), [2, -1, 2]));
      same(() => tf.nn.avgPool1d(x(), [k], [1, s, 1], p), () => tfc.reshape(tfc.avgPool(as4(y()), [1, k], [1, s], p), [2, -1, 2]));
    }
  });

  it("l2Normalize", () => {
    same(() => tf.nn.l2Normalize(tf.constant(data, { shape: [3, 4], dtype: "float32" }), { axis: 1 }), () => {
      const t = tfc.tensor(data, [3, 4]);
      return tfc.div(t, tfc.sqrt(tfc.maximum(tfc.sum(tfc.square(t), 1, true), 1e-12)));
    });
    tf.tidy(() => expect(vals(tf.l2Normalize(tf.zeros([2])))).toEqual([0, 0]));
  });

  it("moments (mean and population variance, keepdims)", () => {
    const x = () => tf.constant(data, { shape: [3, 4], dtype: "float32" });
    const y = () => tfc.tensor(data, [3, 4]);
    same(() => tf.nn.moments(x(), [0]).mean, () => tfc.moments(y(), [0]).mean);
    same(() => tf.nn.moments(x(), [0]).variance, () => tfc.moments(y(), [0]).variance);
    same(() => tf.nn.moments(x(), [1], { keepdims: true }).variance, () => tfc.moments(y(), [1], true).variance);
    same(() => tf.nn.moments(x(), [0, 1]).variance, () => tfc.moments(y(), [0, 1]).variance);
    tf.tidy(() => expect(() => tf.nn.moments(tf.constant([1, 2], "int32"), [0])).toThrow(/Moments/));
  });

  it("repeat: one count, one per element, no axis (flattened), zero", () => {
    tf.tidy(() => {
      const x = tf.constant([[1, 2], [3, 4]], "float32");
      expect(tf.repeat(x, 2, { axis: 1 }).arraySync()).toEqual([[1, 1, 2, 2], [3, 3, 4, 4]]);
      expect(tf.repeat(x, 2, { axis: 0 }).arraySync()).toEqual([[1, 2], [1, 2], [3, 4], [3, 4]]);
      expect(tf.repeat(x, [1, 3], { axis: -2 }).arraySync()).toEqual([[1, 2], [3, 4], [3, 4], [3, 4]]);
      expect(tf.repeat(x, 2).arraySync()).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
      expect(x.repeat(0, { axis: 1 }).shape).toEqual([2, 0]);
      expect(tf.repeat(tf.constant([true, false]), [2, 1]).arraySync()).toEqual([true, true, false]);
    });
  });
});

describe("gradients against finite differences", () => {
  it("through every composite", () => {
    const x = variable64([2, 5, 3], 1);
    checkGradients(() => tf.nn.leakyRelu(x, { alpha: 0.3 }), [x]);
    checkGradients(() => tf.repeat(x, [2, 0, 1, 1, 3], { axis: 1 }), [x]);
    checkGradients(() => tf.repeat(x, 3, { axis: 2 }), [x]);
    checkGradients(() => tf.nn.maxPool1d(x, 2, 1, "SAME"), [x]);
    checkGradients(() => tf.nn.avgPool1d(x, 3, 2, "VALID"), [x]);
    checkGradients(() => tf.nn.l2Normalize(x, { axis: [1, 2] }), [x]);
    checkGradients(() => tf.nn.moments(x, [0, 2]).variance, [x]);
    checkGradients(() => tf.nn.moments(x, [1], { keepdims: true }).mean, [x]);
    x.dispose();
  });
});

describe("bad input", () => {
  it("names the op and the problem", () => {
    const x = tf.ones([2, 3]);
    const i = tf.ones([2], "int32");
    expect(() => tf.nn.leakyRelu(i)).toThrow("LeakyRelu does not support dtype int32 (allowed: float32, float64) [Op:LeakyRelu]");
    expect(() => tf.nn.leakyRelu(x, { aplha: 1 } as never)).toThrow("leakyRelu() got an unexpected option 'aplha' — did you mean 'alpha'?");
    expect(() => tf.repeat(x, -1, { axis: 1 })).toThrow("repeats must be a non-negative integer, got -1 for an axis of size 3 [Op:Repeat]");
    expect(() => tf.repeat(x, [1, 2], { axis: 1 })).toThrow("repeats must have one count per element (3), got [1,2] for an axis of size 3 [Op:Repeat]");
    expect(() => tf.repeat(x, 1, { axis: 2 })).toThrow(/axis 2 is out of bounds|Invalid axis|axis/i);
    expect(() => tf.nn.maxPool1d(x, 2, 1, "VALID")).toThrow("input must be 3-dimensional NWC, got shape [2,3] [Op:MaxPool1D]");
    const seq = tf.ones([1, 2, 1]);
    expect(() => tf.nn.avgPool1d(seq, [1, 2], 1, "VALID")).toThrow("ksize must be a positive integer, [w] or [1, w, 1], got [1,2] [Op:AvgPool1D]");
    expect(() => tf.nn.maxPool1d(seq, 4, 1, "VALID")).toThrow(/Computed output size would be negative: -1/);
    expect(() => tf.nn.l2Normalize(i)).toThrow(/L2Normalize does not support dtype int32/);
    tf.dispose([x, i, seq]);
  });
});
