/**
 * Recurrent layers: SimpleRNN, LSTM and GRU against TensorFlow.js (files both ways, masks from
 * Embedding), return_sequences / return_state / go_backwards / stateful / initial states, the cells
 * and RNN with stacked cells, GRU's reset_after by hand, the Bidirectional and TimeDistributed
 * wrappers, finite-difference gradients, bad input.
 */
import * as tfc from "@tensorflow/tfjs-core";
// TF.js's Orthogonal initializer (its recurrent default) uses Tensor methods registered by this module.
import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { describe, expect, it } from "vitest";
import { checkGradients, variable64 } from "./helpers/gradcheck.js";
import { checkInterop, randomData } from "./helpers/layer-interop.js";
import { maxDiff } from "./helpers/tfjs-files.js";
import { f32, kerasLayerSetup, vals } from "./helpers/keras-layer-setup.js";

const L = tf.keras.layers;
const J = tfl.layers;
const { own, ownAll } = kerasLayerSetup({ what: "a recurrent test", seed: 5, also: () => tfc.setBackend("cpu") });

describe("against TensorFlow.js, through files both ways (random weights)", () => {
  const specs = [
    { name: "SimpleRNN", ours: () => new L.SimpleRNN(4), theirs: () => J.simpleRNN({ units: 4 }), input: [5, 3] },
    { name: "SimpleRNN sequences, backwards, relu", ours: () => new L.SimpleRNN(3, { returnSequences: true, goBackwards: true, activation: "relu" }), theirs: () => J.simpleRNN({ units: 3, returnSequences: true, goBackwards: true, activation: "relu" }), input: [4, 2] },
    { name: "LSTM", ours: () => new L.LSTM(3), theirs: () => J.lstm({ units: 3 }), input: [5, 2] },
    { name: "LSTM sequences, hard_sigmoid, no bias", ours: () => new L.LSTM(2, { returnSequences: true, recurrentActivation: "hard_sigmoid", useBias: false }), theirs: () => J.lstm({ units: 2, returnSequences: true, useBias: false }), input: [3, 4] },
    { name: "GRU (reset_after false)", ours: () => new L.GRU(3, { resetAfter: false }), theirs: () => J.gru({ units: 3 }), input: [4, 2] },
    { name: "GRU sequences, backwards", ours: () => new L.GRU(2, { resetAfter: false, returnSequences: true, goBackwards: true }), theirs: () => J.gru({ units: 2, returnSequences: true, goBackwards: true }), input: [4, 3] },
    {
      name: "Embedding(maskZero) → LSTM: masked steps keep the state",
      ours: () => [new L.Embedding(4, 3, { maskZero: true }), new L.LSTM(3, { returnSequences: true })],
      theirs: () => [J.embedding({ inputDim: 4, outputDim: 3, maskZero: true }), J.lstm({ units: 3, returnSequences: true })],
      input: [6],
      int: 4,
    },
    {
      name: "Embedding(maskZero) → GRU",
      ours: () => [new L.Embedding(3, 2, { maskZero: true }), new L.GRU(2, { resetAfter: false })],
      theirs: () => [J.embedding({ inputDim: 3, outputDim: 2, maskZero: true }), J.gru({ units: 2 })],
      input: [5],
      int: 3,
    },
    { name: "Bidirectional(LSTM)", ours: () => new L.Bidirectional(new L.LSTM(2)), theirs: () => J.bidirectional({ layer: J.lstm({ units: 2 }) as never }), input: [4, 3] },
    {
      name: "Bidirectional(GRU) sequences, sum",
      ours: () => new L.Bidirectional(new L.GRU(3, { resetAfter: false, returnSequences: true }), { mergeMode: "sum" }),
      theirs: () => J.bidirectional({ layer: J.gru({ units: 3, returnSequences: true }) as never, mergeMode: "sum" }),
      input: [4, 2],
    },
    {
      name: "Embedding(maskZero) → Bidirectional(SimpleRNN) sequences, ave",
      ours: () => [new L.Embedding(4, 2, { maskZero: true }), new L.Bidirectional(new L.SimpleRNN(2, { returnSequences: true }), { mergeMode: "ave" })],
      theirs: () => [J.embedding({ inputDim: 4, outputDim: 2, maskZero: true }), J.bidirectional({ layer: J.simpleRNN({ units: 2, returnSequences: true }) as never, mergeMode: "ave" })],
      input: [5],
      int: 4,
    },
    { name: "TimeDistributed(Dense)", ours: () => new L.TimeDistributed(new L.Dense(3, { activation: "relu" })), theirs: () => J.timeDistributed({ layer: J.dense({ units: 3, activation: "relu" }) }), input: [4, 2] },
    {
      name: "LSTM sequences → TimeDistributed(Dense)",
      ours: () => [new L.LSTM(3, { returnSequences: true }), new L.TimeDistributed(new L.Dense(2))],
      theirs: () => [J.lstm({ units: 3, returnSequences: true }), J.timeDistributed({ layer: J.dense({ units: 2 }) })],
      input: [4, 2],
    },
  ];
  for (const s of specs) it(s.name, async () => checkInterop(s));
});

describe("options", () => {
  it("returnState gives [output, ...states]; the output is the last h; weights are <layer>/kernel", () => {
    const x = own(f32(randomData([2, 4, 3], 1), [2, 4, 3]));
    const lstm = own(new L.LSTM(5, { returnState: true, returnSequences: true }));
    const [seq, h, c] = lstm.apply(x) as unknown as tf.Tensor[];
    ownAll(seq!, h!, c!);
    expect(seq!.shape).toEqual([2, 4, 5]);
    expect(h!.shape).toEqual([2, 5]);
    expect(c!.shape).toEqual([2, 5]);
    const last = own(tf.slice(seq!, [0, 3, 0], [2, 1, 5]));
    expect(maxDiff(vals(last), vals(h!))).toBeLessThan(1e-7);
    expect(lstm.weights.map((w) => w.name)).toEqual(["lstm/kernel:0", "lstm/recurrent_kernel:0", "lstm/bias:0"]);
    // unitForgetBias: the forget gate's bias starts at 1.
    expect(vals(lstm.cell.bias!)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // Orthogonal recurrent kernel blocks: RKᵀ·RK = I for the [5, 20] matrix's rows.
    const rk = own(lstm.cell.recurrentKernel!.readValue());
    const g = own(tf.matmul(rk, rk, { transposeB: true }));
    expect(maxDiff(vals(g), vals(own(tf.eye(5))))).toBeLessThan(1e-5);
  });

  it("stateful layers carry states between calls; resetStates starts over; initial states", () => {
    const data = randomData([2, 6, 3], 2);
    const full = own(f32(data, [2, 6, 3]));
    const first = own(tf.slice(full, [0, 0, 0], [2, 3, 3]));
    const second = own(tf.slice(full, [0, 3, 0], [2, 3, 3]));
    const plain = own(new L.GRU(4, { returnState: true }));
    const [whole, hMid] = plain.apply(first) as unknown as tf.Tensor[];
    ownAll(hMid!);
    whole!.dispose();
    const stateful = own(new L.GRU(4, { stateful: true, batchInputShape: [2, 3, 3] }));
    tf.tidy(() => void stateful.apply(first));
    stateful.setWeights(plain.getWeights().map((w) => own(w)));
    // The building call above carried its states over: start again.
    expect(stateful.states).not.toBeNull();
    stateful.resetStates();
    const ref = plain.apply(full) as unknown as tf.Tensor[];
    ownAll(...ref);
    own(stateful.apply(first));
    const a = own(stateful.apply(second));
    expect(maxDiff(vals(a), vals(ref[0]!))).toBeLessThan(1e-6);
    // Initial state = the state after the first half, on the non-stateful layer.
    const b = plain.apply(second, { initialState: [hMid!] } as tf.keras.ApplyOptions) as unknown as tf.Tensor[];
    ownAll(...b);
    expect(maxDiff(vals(b[0]!), vals(ref[0]!))).toBeLessThan(1e-6);
    stateful.resetStates();
    const c = own(stateful.apply(first));
    const d = plain.apply(first) as unknown as tf.Tensor[];
    ownAll(...d);
    expect(maxDiff(vals(c), vals(d[0]!))).toBeLessThan(1e-6);
  });

  it("GRU resetAfter (Keras 2's default) by hand, and RNN with stacked cells equals two layers", () => {
    const gru = own(new L.GRU(1, { resetAfter: true, recurrentActivation: "sigmoid" }));
    const x = own(f32([0.5, -1], [1, 2, 1]));
    tf.tidy(() => void gru.apply(x));
    // kernel [1, 3] (z, r, h), recurrent [1, 3], bias [2, 3] (input, recurrent).
    const k = [0.3, -0.2, 0.7], rk = [0.1, 0.4, -0.5], b0 = [0.05, 0.1, -0.1], b1 = [0.2, -0.3, 0.15];
    tf.tidy(() => gru.setWeights([f32(k, [1, 3]), f32(rk, [1, 3]), f32([...b0, ...b1], [2, 3])]));
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    let h = 0;
    for (const xv of [0.5, -1]) {
      const z = sig(xv * k[0]! + b0[0]! + h * rk[0]! + b1[0]!);
      const r = sig(xv * k[1]! + b0[1]! + h * rk[1]! + b1[1]!);
      const hh = Math.tanh(xv * k[2]! + b0[2]! + r * (h * rk[2]! + b1[2]!));
      h = z * h + (1 - z) * hh;
    }
    expect(vals(own(gru.apply(x)))[0]).toBeCloseTo(h, 6);

    const seq = own(f32(randomData([2, 3, 2], 3), [2, 3, 2]));
    const stacked = own(new L.RNN([new L.SimpleRNNCell(3), new L.LSTMCell(2)], { returnSequences: true }));
    tf.tidy(() => void stacked.apply(seq));
    const l1 = own(new L.SimpleRNN(3, { returnSequences: true }));
    const l2 = own(new L.LSTM(2, { returnSequences: true }));
    const y1 = own(l1.apply(seq));
    tf.tidy(() => void l2.apply(y1));
    const w = stacked.getWeights();
    l1.setWeights(w.slice(0, 3));
    l2.setWeights(w.slice(3));
    w.forEach((t) => t.dispose());
    const two = own(l2.apply(own(l1.apply(seq))));
    expect(maxDiff(vals(own(stacked.apply(seq))), vals(two))).toBeLessThan(1e-6);
    // Configs round-trip (the generic RNN keeps its cells).
    for (const l of [stacked, gru, own(new L.LSTM(3, { goBackwards: true, dropout: 0.2, unitForgetBias: false }))]) {
      const again = own(tf.keras.models.layerFromConfig({ class_name: l.getClassName(), config: l.getConfig() }));
      expect(again.getConfig()).toEqual(l.getConfig());
    }
  });

  it("Bidirectional: weights named after the wrapper, returnState, mergeMode null, backward sequences in forward order", () => {
    const x = own(f32(randomData([2, 3, 2], 7), [2, 3, 2]));
    const bi = own(new L.Bidirectional(new L.GRU(2, { returnSequences: true, returnState: true }), { mergeMode: null }));
    const outs = bi.apply(x) as unknown as tf.Tensor[];
    ownAll(...outs);
    expect(outs.map((t) => t.shape)).toEqual([[2, 3, 2], [2, 3, 2], [2, 2], [2, 2]]);
    expect(bi.weights.map((w) => w.name).slice(0, 2)).toEqual(["bidirectional/forward_gru/kernel:0", "bidirectional/forward_gru/recurrent_kernel:0"]);
    // The backward layer alone (goBackwards) gives its sequence reversed in time.
    const back = own(tf.keras.models.layerFromConfig({ class_name: "GRU", config: { ...bi.backwardLayer.getConfig(), return_state: false } }));
    tf.tidy(() => void back.apply(x));
    back.setWeights(bi.backwardLayer.getWeights().map((w) => own(w)));
    const seq = own(back.apply(x));
    const rev = own(tf.gather(seq, own(tf.constant([2, 1, 0], "int32")), 1));
    expect(maxDiff(vals(rev), vals(outs[1]!))).toBeLessThan(1e-7);
    // The final backward state is the backward layer's last output.
    expect(maxDiff(vals(outs[3]!), vals(own(tf.slice(seq, [0, 2, 0], [2, 1, 2]))))).toBeLessThan(1e-7);
    const symbolic = bi.apply(tf.keras.Input({ shape: [3, 2] })) as unknown as tf.keras.KerasTensor[];
    expect(symbolic.map((t) => t.shape)).toEqual([[null, 3, 2], [null, 3, 2], [null, 2], [null, 2]]);
    for (const l of [bi, own(new L.TimeDistributed(new L.Dense(2)))]) {
      const again = own(tf.keras.models.layerFromConfig({ class_name: l.getClassName(), config: l.getConfig() }));
      expect(again.getConfig()).toEqual(l.getConfig());
    }
  });

  it("dropout acts only while training, with one mask per sequence", () => {
    const x = own(f32(randomData([4, 5, 3], 4), [4, 5, 3]));
    const l = own(new L.SimpleRNN(6, { dropout: 0.5, recurrentDropout: 0.3 }));
    const a = own(l.apply(x));
    const b = own(l.apply(x));
    expect(vals(a)).toEqual(vals(b));
    const c = own(l.apply(x, { training: true }));
    expect(maxDiff(vals(a), vals(c))).toBeGreaterThan(1e-3);
  });

  it("a functional model with an LSTM trains (loss goes down)", async () => {
    const input = tf.keras.Input({ shape: [4, 2] });
    const out = new L.Dense(1).apply(new L.LSTM(4).apply(input));
    const model = own(new tf.keras.Model({ inputs: input, outputs: out }));
    model.compile({ optimizer: new tf.keras.optimizers.Adam({ learningRate: 0.05 }), loss: "meanSquaredError" });
    const xs = randomData([16, 4, 2], 6);
    const ys = Array.from({ length: 16 }, (_, i) => xs.slice(i * 8, i * 8 + 8).reduce((p, q) => p + q, 0) / 8);
    const h = await model.fit(own(f32(xs, [16, 4, 2])), own(f32(ys, [16, 1])), { epochs: 15, batchSize: 16, verbose: 0 });
    const losses = h.history["loss"] as number[];
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.5);
  });
});

describe("gradients against finite differences (float64)", () => {
  it("weights and inputs of SimpleRNN, LSTM, GRU (both variants), with a mask", { timeout: 120_000 }, () => {
    const x = own(variable64([2, 3, 2], 1));
    const mask = own(tf.constant([[true, true, false], [true, false, true]]));
    const rand = (seed: number) => ({ class_name: "RandomUniform", config: { minval: -0.5, maxval: 0.5, seed } });
    const cases: [tf.keras.layers.Layer, boolean][] = [
      [new L.SimpleRNN(2, { dtype: "float64", returnSequences: true, biasInitializer: rand(1) }), false],
      [new L.LSTM(2, { dtype: "float64", biasInitializer: rand(2) }), false],
      [new L.LSTM(2, { dtype: "float64", returnSequences: true, goBackwards: true }), true],
      [new L.GRU(2, { dtype: "float64", resetAfter: false, biasInitializer: rand(3) }), false],
      [new L.GRU(2, { dtype: "float64", returnSequences: true, biasInitializer: rand(4) }), true],
    ];
    for (const [layer, masked] of cases) {
      own(layer);
      const opts = masked ? { mask } : {};
      tf.tidy(() => void layer.apply(x, opts));
      checkGradients(() => layer.apply(x, opts) as tf.Tensor, [...layer.trainableWeights, x]);
    }
  });
});

describe("wrapper gradients against finite differences (float64)", () => {
  it("Bidirectional (concat, masked) and TimeDistributed", { timeout: 120_000 }, () => {
    const x = own(variable64([2, 3, 2], 2));
    const mask = own(tf.constant([[true, true, false], [true, true, true]]));
    const bi = own(new L.Bidirectional(new L.SimpleRNN(2, { dtype: "float64", returnSequences: true }), { dtype: "float64" }));
    tf.tidy(() => void bi.apply(x, { mask }));
    checkGradients(() => bi.apply(x, { mask }) as tf.Tensor, [...bi.trainableWeights, x]);
    const td = own(new L.TimeDistributed(new L.Dense(2, { dtype: "float64", activation: "tanh", biasInitializer: "ones" }), { dtype: "float64" }));
    tf.tidy(() => void td.apply(x));
    checkGradients(() => td.apply(x), [...td.trainableWeights, x]);
  });
});

describe("bad input", () => {
  it("names the layer and the problem", () => {
    expect(() => new L.LSTM(0)).toThrow(/expected a positive integer, got 0/);
    expect(() => new L.GRU(2, { dropout: 1.5 })).toThrow(/`dropout` must be a number in \[0, 1\), got 1.5/);
    expect(() => new L.LSTM(2, { kernelConstraint: "positive" })).toThrow(/Unknown constraint: "positive"/);
    expect(() => new L.LSTM(2, { returnSequence: true } as never)).toThrow(/unexpected option 'returnSequence' — did you mean 'returnSequences'\?/);
    expect(() => new L.SimpleRNN(2, { timeMajor: true })).toThrow(/timeMajor: true/);
    expect(() => new L.SimpleRNN(2).apply(own(tf.ones([2, 3])))).toThrow(/expected ndim=3, found ndim=2/);
    expect(() => new L.SimpleRNN(2, { stateful: true }).apply(tf.keras.Input({ shape: [3, 2] }))).toThrow(/If a RNN is stateful, it needs to know its batch size/);
    const l = own(new L.GRU(2));
    expect(() => l.apply(own(tf.ones([2, 3, 2])), { initialState: [own(tf.ones([2, 3]))] } as tf.keras.ApplyOptions)).toThrow(/initial state 0 must have shape \(2, 2\), got \(2, 3\)/);
    expect(() => tf.keras.models.layerFromConfig({ class_name: "RNN", config: { cell: { class_name: "ConvLSTM2DCell", config: {} } } })).toThrow(/Unknown RNN cell class "ConvLSTM2DCell"/);
    expect(() => new L.Bidirectional(new L.Dense(2) as never)).toThrow(/Please initialize `Bidirectional` layer with a recurrent layer/);
    expect(() => new L.Bidirectional(new L.LSTM(2), { mergeMode: "max" as never })).toThrow(/Invalid merge mode. Received: "max"/);
    expect(() => new L.TimeDistributed(new L.Dense(2)).apply(own(tf.ones([2, 3])))).toThrow(/expected min_ndim=3, found ndim=2/);
  });
});
