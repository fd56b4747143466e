/**
 * The activations added for the layer catalogue — mish, log_softmax, gelu, gelu_new, hard_swish — in
 * Dense layers against TensorFlow.js through files (both ways) where TF.js has them, by hand
 * otherwise, and their gradients against finite differences.
 */
import * as tfc from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { describe, expect, it } from "vitest";
import { checkGradients, variable64 } from "./helpers/gradcheck.js";
import { checkInterop } from "./helpers/layer-interop.js";
import { kerasLayerSetup } from "./helpers/keras-layer-setup.js";

const L = tf.keras.layers;
const J = tfl.layers;
kerasLayerSetup({ what: "an activation test", also: () => tfc.setBackend("cpu") });

describe("against TensorFlow.js in Dense layers, both ways", () => {
  // (TF.js 4.22 cannot load its own "gelu_new" from a file: it looks the name up as "geluNew". Checked by hand below.)
  for (const [ours, theirs] of [["mish", "mish"], ["log_softmax", "logSoftmax"], ["gelu", "gelu"]] as const) {
    it(ours, async () => checkInterop({ name: ours, ours: () => new L.Dense(4, { activation: ours }), theirs: () => J.dense({ units: 4, activation: theirs as never }), input: [3] }));
  }
});

describe("by hand and gradients", () => {
  it("hard_swish (and its other names), values and gradients of all four", () => {
    const xs = [-4, -1.5, 0, 0.5, 2, 5];
    tf.tidy(() => {
      const y = Array.from(tf.keras.activations.get("hard_swish")(tf.constant(xs)).dataSync() as Float32Array);
      xs.forEach((x, i) => expect(y[i]).toBeCloseTo((x * Math.min(Math.max(x + 3, 0), 6)) / 6, 6));
      const g = Array.from(tf.keras.activations.geluNew(tf.constant(xs)).dataSync() as Float32Array);
      xs.forEach((x, i) => {
        expect(g[i]).toBeCloseTo(0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))), 5);
      });
      // Keras's "gelu" is the exact form (approximate=False), tf.nn.gelu's default.
      const e = Array.from(tf.keras.activations.get("gelu")(tf.constant(xs)).dataSync() as Float32Array);
      const exact = Array.from(tf.nn.gelu(tf.constant(xs)).dataSync() as Float32Array);
      expect(e).toEqual(exact);
      expect(e[0]).toBeCloseTo(-4 * 0.5 * 6.334248366623996e-5, 7); // 0.5·x·erfc(4/√2) at x = −4
      expect(tf.keras.activations.get("hard_silu")).toBe(tf.keras.activations.get("hard_swish"));
      expect(tf.keras.activations.get("logSoftmax")).toBe(tf.keras.activations.logSoftmax);
    });
    const x = variable64([2, 5], 3, -3, 3);
    for (const name of ["mish", "log_softmax", "gelu", "gelu_new", "hard_swish"]) {
      const f = tf.keras.activations.get(name);
      checkGradients(() => f(x), [x]);
    }
    x.dispose();
  });
});
