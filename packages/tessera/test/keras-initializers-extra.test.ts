/**
 * Initializers: Orthogonal (gain, seeds, tall and wide shapes), Identity, Keras's lower-case
 * spellings and short aliases; the silu activation.
 */
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { describe, expect, it } from "vitest";
import { kerasLayerSetup, vals } from "./helpers/keras-layer-setup.js";

const I = tf.keras.initializers;
kerasLayerSetup({ what: "an initializer test", seed: 3 });

/** Aᵀ·A (or A·Aᵀ with `rows`) of a row-major r × c matrix. */
function gram(a: number[], r: number, c: number, rows: boolean): number[][] {
  const n = rows ? r : c;
  const at = (i: number, j: number) => a[i * c + j]!;
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let k = 0; k < (rows ? c : r); k++) s += rows ? at(i, k) * at(j, k) : at(k, i) * at(k, j);
    return s;
  }));
}

describe("initializers", () => {
  it("Orthogonal: orthonormal columns (tall) or rows (wide) times gain; the same seed gives the same matrix", () => {
    const tall = tf.tidy(() => vals(new I.Orthogonal({ gain: 2, seed: 5 }).call([6, 3])));
    gram(tall, 6, 3, false).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 4 : 0, 5)));
    const wide = tf.tidy(() => vals(I.orthogonal({ seed: 5 }).call([2, 5])));
    gram(wide, 2, 5, true).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 5)));
    const again = tf.tidy(() => vals(new I.Orthogonal({ gain: 2, seed: 5 }).call([6, 3])));
    expect(again).toEqual(tall);
    // Rank > 2 is flattened to [prod(shape[:-1]), shape[-1]].
    const conv = tf.tidy(() => vals(I.orthogonal({ seed: 1 }).call([2, 2, 3])));
    gram(conv, 4, 3, false).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 5)));
    expect(() => I.orthogonal().call([4])).toThrow(/at least two-dimensional/);
  });

  it("Identity pads non-square matrices with zeros; the lower-case spellings and aliases are the classes", () => {
    expect(tf.tidy(() => vals(I.identity({ gain: 3 }).call([2, 3])))).toEqual([3, 0, 0, 0, 3, 0]);
    const same = (a: tf.keras.initializers.Initializer, b: tf.keras.initializers.Initializer) => {
      expect(a.className).toBe(b.className);
      expect(a.getConfig()).toEqual(b.getConfig());
    };
    same(I.glorotUniform({ seed: 2 }), new I.GlorotUniform({ seed: 2 }));
    same(I.heNormal(), new I.HeNormal());
    same(I.constant({ value: 4 }), new I.Constant({ value: 4 }));
    same(I.truncatedNormal({ stddev: 2 }), new I.TruncatedNormal({ stddev: 2 }));
    same(I.varianceScaling({ scale: 2, mode: "fan_out" }), new I.VarianceScaling({ scale: 2, mode: "fan_out" }));
    same(I.getInitializer("uniform"), new I.RandomUniform());
    same(I.getInitializer("normal"), new I.RandomNormal());
    same(I.getInitializer("one"), new I.Ones());
    same(I.getInitializer("zero"), new I.Zeros());
    expect(() => I.getInitializer("orthogonall")).toThrow(/Unknown initializer: "orthogonall"/);
  });

  it("silu is swish", () => {
    expect(tf.keras.activations.silu).toBe(tf.keras.activations.swish);
    expect(tf.tidy(() => vals(tf.keras.activations.silu(tf.constant([0, 1], "float32"))))[1]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
  });
});
