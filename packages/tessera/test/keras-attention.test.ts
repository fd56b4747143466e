/**
 * Attention layers (TensorFlow.js has none): Attention, AdditiveAttention and MultiHeadAttention
 * against float64 references written here, masks (value, query, causal, explicit), save/load through
 * files, finite-difference gradients, and bad input.
 */
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { describe, expect, it } from "vitest";
import { checkGradients, variable64 } from "./helpers/gradcheck.js";
import { randomData } from "./helpers/layer-interop.js";
import { maxDiff } from "./helpers/tfjs-files.js";
import { f32, kerasLayerSetup, vals } from "./helpers/keras-layer-setup.js";

const L = tf.keras.layers;
const { own, ownAll, freshDir } = kerasLayerSetup({ what: "an attention test", seed: 9, tempPrefix: "tessera-attention-" });
type M = number[][];
const softmaxRow = (r: number[]) => {
  const m = Math.max(...r);
  const e = r.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};
const rows = (v: number[], n: number, d: number): M => Array.from({ length: n }, (_, i) => v.slice(i * d, i * d + d));

/** softmax(scores with hidden entries −∞) · v for one example. */
function attend(scores: M, v: M, keep?: (i: number, j: number) => boolean): M {
  return scores.map((r, i) => {
    const w = softmaxRow(r.map((s, j) => (keep && !keep(i, j) ? s - 1e9 : s)));
    return v[0]!.map((_, c) => w.reduce((acc, wj, j) => acc + wj * v[j]![c]!, 0));
  });
}

describe("values against float64 references", () => {
  const qd = randomData([1, 2, 3], 1);
  const vd = randomData([1, 4, 3], 2);
  const q = rows(qd, 2, 3);
  const v = rows(vd, 4, 3);
  const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

  it("Attention: dot scores, value mask, query mask, causal mask, scores returned", () => {
    const Q = own(f32(qd, [1, 2, 3]));
    const V = own(f32(vd, [1, 4, 3]));
    const att = own(new L.Attention());
    const plain = attend(q.map((a) => v.map((b) => dot(a, b))), v);
    expect(maxDiff(vals(own(att.apply([Q, V]) as tf.Tensor)), plain.flat())).toBeLessThan(1e-5);
    const vMask = own(tf.constant([[true, false, true, false]]));
    const qMask = own(tf.constant([[true, false]]));
    const masked = attend(q.map((a) => v.map((b) => dot(a, b))), v, (_, j) => j % 2 === 0).map((r, i) => (i === 1 ? r.map(() => 0) : r));
    expect(maxDiff(vals(own(att.apply([Q, V], { mask: [qMask, vMask] }) as tf.Tensor)), masked.flat())).toBeLessThan(1e-5);
    const causal = attend(q.map((a) => v.map((b) => dot(a, b))), v, (i, j) => j <= i);
    const [out, w] = att.apply([Q, V], { useCausalMask: true, returnAttentionScores: true } as tf.keras.ApplyOptions) as unknown as tf.Tensor[];
    ownAll(out!, w!);
    expect(maxDiff(vals(out!), causal.flat())).toBeLessThan(1e-5);
    expect(w!.shape).toEqual([1, 2, 4]);
    expect(vals(w!)[1]).toBe(0);
    // The output mask is the query's.
    const m = own(att.computeMask([Q, V], [qMask, vMask]) as tf.Tensor);
    expect(Array.from(m.dataSync() as Uint8Array)).toEqual([1, 0]);
  });

  it("Attention with a key, concat scores; AdditiveAttention", () => {
    const Q = own(f32(qd, [1, 2, 3]));
    const V = own(f32(vd, [1, 4, 3]));
    const kd = randomData([1, 4, 3], 3);
    const K = own(f32(kd, [1, 4, 3]));
    const k = rows(kd, 4, 3);
    const keyed = attend(q.map((a) => k.map((b) => dot(a, b))), v);
    expect(maxDiff(vals(own(own(new L.Attention()).apply([Q, V, K]) as tf.Tensor)), keyed.flat())).toBeLessThan(1e-5);
    const concat = own(new L.Attention({ scoreMode: "concat", useScale: true }));
    const tanhSum = (a: number[], b: number[], s = [1, 1, 1]) => a.reduce((acc, x, i) => acc + s[i]! * Math.tanh(x + b[i]!), 0);
    expect(maxDiff(vals(own(concat.apply([Q, V]) as tf.Tensor)), attend(q.map((a) => v.map((b) => tanhSum(a, b))), v).flat())).toBeLessThan(1e-5);
    const add = own(new L.AdditiveAttention());
    tf.tidy(() => void add.apply([Q, V]));
    const scale = [0.5, -1, 2];
    tf.tidy(() => add.setWeights([f32(scale, [3])]));
    expect(maxDiff(vals(own(add.apply([Q, V]) as tf.Tensor)), attend(q.map((a) => v.map((b) => tanhSum(a, b, scale))), v).flat())).toBeLessThan(1e-5);
  });

  it("MultiHeadAttention: projections per head, 1/√keyDim scaling, output projection, masks", () => {
    const H = 2, KD = 2, VD = 3, B = 1, TQ = 2, TV = 4, D = 3, OUT = 5;
    const mha = own(new L.MultiHeadAttention(H, KD, { valueDim: VD, outputShape: OUT, biasInitializer: { class_name: "RandomUniform", config: { seed: 1 } } }));
    const Q = own(f32(qd, [B, TQ, D]));
    const V = own(f32(vd, [B, TV, D]));
    tf.tidy(() => void mha.apply([Q, V]));
    expect(mha.weights.map((w) => w.name)).toEqual([
      "multi_head_attention/query/kernel:0", "multi_head_attention/query/bias:0", "multi_head_attention/key/kernel:0", "multi_head_attention/key/bias:0",
      "multi_head_attention/value/kernel:0", "multi_head_attention/value/bias:0", "multi_head_attention/attention_output/kernel:0", "multi_head_attention/attention_output/bias:0",
    ]);
    const W = mha.getWeights().map((t) => {
      const r = vals(t);
      t.dispose();
      return r;
    });
    const [wq, bq, wk, bk, wv, bv, wo, bo] = W as [number[], number[], number[], number[], number[], number[], number[], number[]];
    // x [T, D] · kernel [D, H, S] + bias [H, S] → [H][T][S]
    const proj = (x: M, k: number[], b: number[], S: number): number[][][] =>
      Array.from({ length: H }, (_, h) => x.map((row) => Array.from({ length: S }, (_, s) => row.reduce((acc, xv, d) => acc + xv * k[(d * H + h) * S + s]!, 0) + b[h * S + s]!)));
    const reference = (keep?: (i: number, j: number) => boolean): number[] => {
      const qp = proj(q, wq, bq, KD), kp = proj(v, wk, bk, KD), vp = proj(v, wv, bv, VD);
      const heads = Array.from({ length: H }, (_, h) => attend(qp[h]!.map((a) => kp[h]!.map((b) => dot(a, b) / Math.sqrt(KD))), vp[h]!, keep));
      return q.flatMap((_, i) => Array.from({ length: OUT }, (_, o) => bo[o]! + heads.reduce((acc, hd, h) => acc + hd[i]!.reduce((a2, x, s) => a2 + x * wo[(h * VD + s) * OUT + o]!, 0), 0)));
    };
    expect(maxDiff(vals(own(mha.apply([Q, V]) as tf.Tensor)), reference())).toBeLessThan(1e-5);
    const am = own(tf.constant([[[true, true, false, true], [false, true, true, true]]]));
    const keepAm = (i: number, j: number) => (i === 0 ? j !== 2 : j !== 0);
    expect(maxDiff(vals(own(mha.apply([Q, V], { attentionMask: am } as tf.keras.ApplyOptions) as tf.Tensor)), reference(keepAm))).toBeLessThan(1e-5);
    expect(maxDiff(vals(own(mha.apply([Q, V], { useCausalMask: true } as tf.keras.ApplyOptions) as tf.Tensor)), reference((i, j) => j <= i))).toBeLessThan(1e-5);
    const vMask = own(tf.constant([[true, true, true, false]]));
    expect(maxDiff(vals(own(mha.apply([Q, V], { mask: [null, vMask] }) as tf.Tensor)), reference((_, j) => j !== 3))).toBeLessThan(1e-5);
    const both = mha.apply([Q, V], { returnAttentionScores: true } as tf.keras.ApplyOptions) as unknown as tf.Tensor[];
    ownAll(...both);
    const scores = both[1];
    expect(scores!.shape).toEqual([1, 2, 2, 4]);
  });
});

describe("in models", () => {
  it("a functional self-attention block saves and loads (config and weights)", async () => {
    const x = tf.keras.Input({ shape: [4, 6] });
    const a = new L.MultiHeadAttention(2, 3).apply([x, x]) as tf.keras.KerasTensor;
    const y = new L.LayerNormalization().apply(new L.Add().apply([x, a]));
    const s = new L.Attention({ useScale: true }).apply([y, y]) as tf.keras.KerasTensor;
    const z = new L.AdditiveAttention().apply([s, y]) as tf.keras.KerasTensor;
    const model = own(new tf.keras.Model({ inputs: x, outputs: z }));
    expect(z.shape).toEqual([null, 4, 6]);
    const dir = freshDir();
    await model.save(dir);
    const back = own(await tf.keras.models.loadModel(dir));
    const data = own(f32(randomData([2, 4, 6], 4), [2, 4, 6]));
    const p1 = own(model.predict(data) as tf.Tensor);
    const p2 = own(back.predict(data) as tf.Tensor);
    expect(maxDiff(vals(p1), vals(p2))).toBeLessThan(1e-6);
    for (const l of model.layers.slice(1)) {
      const again = own(tf.keras.models.layerFromConfig({ class_name: l.getClassName(), config: l.getConfig() }));
      expect(again.getConfig()).toEqual(l.getConfig());
    }
  });
});

describe("gradients against finite differences (float64)", () => {
  it("weights, queries and values of each layer, with masks", { timeout: 120_000 }, () => {
    const q = own(variable64([2, 2, 3], 1, -1, 1, "q"));
    const v = own(variable64([2, 3, 3], 2, -1, 1, "v"));
    const vMask = own(tf.constant([[true, false, true], [true, true, true]]));
    const cases: [tf.keras.layers.Layer, tf.keras.ApplyOptions][] = [
      [new L.Attention({ dtype: "float64", useScale: true }), { mask: [null, vMask] }],
      [new L.Attention({ dtype: "float64", scoreMode: "concat" }), {}],
      [new L.AdditiveAttention({ dtype: "float64" }), { mask: [null, vMask] }],
      [new L.MultiHeadAttention(2, 2, { dtype: "float64", biasInitializer: { class_name: "RandomUniform", config: { seed: 3 } } }), { mask: [null, vMask] }],
    ];
    for (const [layer, opts] of cases) {
      own(layer);
      tf.tidy(() => void layer.apply([q, v], opts));
      checkGradients(() => layer.apply([q, v], opts) as tf.Tensor, [...layer.trainableWeights, q, v]);
    }
  });
});

describe("bad input", () => {
  it("names the layer and the problem", () => {
    const x = own(tf.ones([1, 2, 3]));
    expect(() => new L.Attention().apply(x)).toThrow(/must be called on a list of inputs, namely \[query, value\] or \[query, value, key\]/);
    expect(() => new L.Attention({ scoreMode: "add" as never })).toThrow(/Invalid value for argument score_mode/);
    expect(() => new L.Attention({ dropout: 1 })).toThrow(/dropout must be a number in \[0, 1\), got 1/);
    expect(() => new L.MultiHeadAttention(0, 2)).toThrow(/`num_heads` must be a positive integer, got 0/);
    expect(() => new L.MultiHeadAttention(2, 2, { attentionAxes: [1, 2] })).toThrow(/attentionAxes \[1,2\] is not supported/);
    expect(() => new L.MultiHeadAttention(2, 2).apply([x])).toThrow(/must be called on \[query, value\] or \[query, value, key\]; received 1 input/);
    const mha = own(new L.MultiHeadAttention(2, 2));
    expect(() => mha.apply([x, x], { attentionMask: own(tf.ones([1, 2, 5], "bool")) } as tf.keras.ApplyOptions)).toThrow(/attentionMask must have shape \(1, 2, 2\), got \(1, 2, 5\)/);
    expect(() => mha.apply([x, own(tf.ones([1, 2]))])).toThrow(/Input 1 of layer "multi_head_attention(_\d+)?" is incompatible with the layer: expected ndim=3, found ndim=2/);
    expect(() => mha.apply([x, x], { attentionMsk: null } as never)).toThrow(/unexpected option 'attentionMsk' — did you mean 'attentionMask'\?/);
  });
});
