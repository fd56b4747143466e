/**
 * Regularizers and constraints on every layer with weights that Keras gives them (Embedding, PReLU,
 * the normalization layers, the recurrent layers and cells, MultiHeadAttention), activity
 * regularizers and the ActivityRegularization layer: penalties against hand-computed values, the
 * projections after a `fit` step, configs that round-trip (and through files), TensorFlow.js interop,
 * gradients, bad input.
 */
import "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js";
import "@tensorflow/tfjs-backend-cpu";
import * as tfc from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { describe, expect, it } from "vitest";
import { checkGradients } from "./helpers/gradcheck.js";
import { checkInterop } from "./helpers/layer-interop.js";
import { kerasLayerSetup, vals } from "./helpers/keras-layer-setup.js";

const L = tf.keras.layers;
const R = tf.keras.regularizers;
const C = tf.keras.constraints;
const { own, freshDir } = kerasLayerSetup({ what: "a layer regularizer test", seed: 5, also: () => tfc.setBackend("cpu"), tempPrefix: "tessera-reg-layers-" });

const sumSq = (xs: number[]) => xs.reduce((a, v) => a + v * v, 0);
const sumAbs = (xs: number[]) => xs.reduce((a, v) => a + Math.abs(v), 0);
const total = (ts: tf.Tensor[]) => {
  const v = ts.reduce((a, t) => a + vals(t)[0]!, 0);
  for (const t of ts) t.dispose();
  return v;
};

interface Case {
  name: string;
  /** The layer with an l2(0.1) penalty on the weights whose names match `penalised`. */
  make: () => tf.keras.layers.Layer;
  input: number[];
  penalised: RegExp;
  /** Several inputs (MultiHeadAttention: query and value). */
  pair?: boolean;
}

const l2 = () => R.l2(0.1);
const cases: Case[] = [
  { name: "Embedding", make: () => new L.Embedding(6, 3, { embeddingsRegularizer: l2() }), input: [4], penalised: /embeddings/ },
  { name: "PReLU", make: () => new L.PReLU({ alphaRegularizer: l2(), alphaInitializer: "ones" }), input: [4], penalised: /alpha/ },
  { name: "BatchNormalization", make: () => new L.BatchNormalization({ betaRegularizer: l2(), gammaRegularizer: l2(), betaInitializer: "ones" }), input: [4], penalised: /beta|gamma/ },
  { name: "LayerNormalization", make: () => new L.LayerNormalization({ gammaRegularizer: l2() }), input: [4], penalised: /gamma/ },
  { name: "GroupNormalization", make: () => new L.GroupNormalization({ groups: 2, betaRegularizer: l2(), betaInitializer: "ones" }), input: [4], penalised: /beta/ },
  { name: "SimpleRNN", make: () => new L.SimpleRNN(3, { kernelRegularizer: l2(), recurrentRegularizer: l2() }), input: [2, 4], penalised: /kernel/ },
  { name: "LSTM", make: () => new L.LSTM(2, { recurrentRegularizer: l2(), biasRegularizer: l2() }), input: [2, 4], penalised: /recurrent_kernel|bias/ },
  { name: "GRU", make: () => new L.GRU(2, { kernelRegularizer: l2() }), input: [2, 4], penalised: /\/kernel/ },
  { name: "RNN(LSTMCell)", make: () => new L.RNN(new L.LSTMCell(2, { kernelRegularizer: l2() })), input: [2, 4], penalised: /\/kernel/ },
  { name: "MultiHeadAttention", make: () => new L.MultiHeadAttention(2, 2, { kernelRegularizer: l2(), biasRegularizer: l2(), biasInitializer: "ones" }), input: [3, 4], penalised: /./, pair: true },
];

describe("weight penalties", () => {
  for (const c of cases) {
    it(`${c.name}: losses hold 0.1 · Σw² of the penalised weights, and the config round-trips`, () => {
      const layer = own(c.make());
      tf.tidy(() => {
        const x = tf.random.normal([2, ...c.input]);
        layer.apply(c.pair ? [x, x] : c.name === "Embedding" ? tf.constant([[1, 2, 3, 0], [5, 4, 3, 2]]) : x);
      });
      const ws = layer.weights.filter((v) => v.trainable && c.penalised.test(v.name));
      expect(ws.length).toBeGreaterThan(0);
      const expected = ws.reduce((a, v) => a + 0.1 * sumSq(vals(v)), 0);
      expect(expected).toBeGreaterThan(0);
      expect(total(layer.losses)).toBeCloseTo(expected, 4);
      const again = own(tf.keras.models.layerFromConfig({ class_name: layer.getClassName(), config: layer.getConfig() }));
      expect(again.getConfig()).toEqual(layer.getConfig());
    });
  }

  it("an LSTM's penalties and constraints survive a save and a load", async () => {
    const model = own(new tf.keras.Sequential([
      new L.LSTM(2, { inputShape: [3, 2], kernelRegularizer: R.l1(0.2), recurrentConstraint: C.maxNorm({ maxValue: 1.5 }), activityRegularizer: "l2" }),
    ]));
    tf.tidy(() => void model.apply(tf.ones([1, 3, 2])));
    const dir = freshDir();
    await model.save(dir);
    const back = own(await tf.keras.models.loadModel(dir));
    const lstm = back.layers[0] as tf.keras.layers.LSTM;
    expect(lstm.getConfig()).toEqual(model.layers[0]!.getConfig());
    expect(lstm.cell.rules.kernel.regularizer?.getConfig()).toEqual({ l1: 0.2, l2: 0 });
    expect(lstm.cell.rules.recurrent.constraint?.className).toBe("MaxNorm");
    expect(lstm.activityRegularizer?.getConfig()).toEqual({ l1: 0, l2: 0.01 });
    // The same penalties, weights' and (after the same call) the outputs'.
    tf.tidy(() => void back.apply(tf.ones([1, 3, 2])));
    expect(total(back.losses)).toBeCloseTo(total(model.losses), 6);
  });
});

describe("constraints after each update", () => {
  it("fit projects every constrained weight: RNN kernels, normalization scales, PReLU slopes, embeddings", async () => {
    const inp = tf.keras.Input({ shape: [3] });
    const e = new L.Embedding(5, 4, { embeddingsConstraint: C.unitNorm({ axis: 1 }) });
    const rnn = new L.SimpleRNN(4, { returnSequences: true, kernelConstraint: C.nonNeg(), recurrentConstraint: C.maxNorm({ maxValue: 0.3 }), biasConstraint: C.nonNeg(), biasInitializer: "ones" });
    const bn = new L.BatchNormalization({ gammaConstraint: C.minMaxNorm({ minValue: 0.5, maxValue: 0.5, axis: 0 }), betaConstraint: C.nonNeg() });
    const pr = new L.PReLU({ alphaConstraint: C.nonNeg(), alphaInitializer: "ones" });
    const out = new L.Dense(1).apply(new L.Flatten().apply(pr.apply(bn.apply(rnn.apply(e.apply(inp))))));
    const model = own(new tf.keras.Model({ inputs: inp, outputs: out }));
    model.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.5 }), loss: "meanSquaredError" });
    const x = own(tf.constant([[1, 2, 3], [4, 0, 1], [2, 2, 2], [3, 1, 4]], "float32"));
    const y = own(tf.constant([[5], [-3], [2], [-8]], "float32"));
    await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    const rowNorms = (v: tf.Variable, cols: number) => {
      const d = vals(v);
      return Array.from({ length: d.length / cols }, (_, r) => Math.sqrt(sumSq(d.slice(r * cols, (r + 1) * cols))));
    };
    for (const n of rowNorms(e.embeddings!, 4)) expect(n).toBeCloseTo(1, 5);
    expect(Math.min(...vals(rnn.cell.kernel!))).toBeGreaterThanOrEqual(0);
    expect(Math.min(...vals(rnn.cell.bias!))).toBeGreaterThanOrEqual(0);
    // Column norms of the recurrent kernel (axis 0) at most 0.3: the projection acted (orthogonal columns start at norm 1).
    const rk = vals(rnn.cell.recurrentKernel!);
    for (let c = 0; c < 4; c++) expect(Math.sqrt([0, 1, 2, 3].reduce((s, r) => s + rk[r * 4 + c]! ** 2, 0))).toBeLessThanOrEqual(0.3 + 1e-6);
    expect(Math.sqrt(sumSq(vals(bn.gamma!)))).toBeCloseTo(0.5, 5);
    expect(Math.min(...vals(bn.beta!))).toBeGreaterThanOrEqual(0);
    expect(Math.min(...vals(pr.alpha!))).toBeGreaterThanOrEqual(0);
  });

  it("MultiHeadAttention constrains every projection", async () => {
    const q = tf.keras.Input({ shape: [2, 3] });
    const mha = new L.MultiHeadAttention(1, 2, { kernelConstraint: C.nonNeg() });
    const model = own(new tf.keras.Model({ inputs: q, outputs: new L.Dense(1).apply(new L.Flatten().apply(mha.apply([q, q]))) }));
    model.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 1 }), loss: "meanSquaredError" });
    const x = own(tf.random.normal([4, 2, 3], { seed: 3 }));
    const y = own(tf.constant([[9], [-9], [9], [-9]], "float32"));
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    for (const v of mha.weights.filter((w) => w.name.endsWith("kernel:0"))) expect(Math.min(...vals(v)), v.name).toBeGreaterThanOrEqual(0);
  });
});

describe("activity regularizers", () => {
  it("a Dense layer's penalty is over its outputs, divided by the batch size, and replaced at each outermost call", () => {
    const d = own(new L.Dense(2, { activityRegularizer: R.l1l2({ l1: 0.1, l2: 0.2 }), kernelInitializer: "ones", biasInitializer: "ones" }));
    const y = tf.tidy(() => vals(d.apply(tf.constant([[1, -2], [0.5, 3], [1, 1]], "float32"))));
    expect(y).toEqual([0, 0, 4.5, 4.5, 3, 3]);
    expect(total(d.losses)).toBeCloseTo((0.1 * sumAbs(y) + 0.2 * sumSq(y)) / 3, 5);
    const y2 = tf.tidy(() => vals(d.apply(tf.constant([[1, 1]], "float32"))));
    expect(total(d.losses)).toBeCloseTo(0.1 * sumAbs(y2) + 0.2 * sumSq(y2), 5);
    expect(d.getConfig()["activity_regularizer"]).toEqual({ class_name: "L1L2", config: { l1: 0.1, l2: 0.2 } });
  });

  it("in a model, the penalties of the last call join the weights' and enter fit's loss", async () => {
    const model = own(new tf.keras.Sequential([
      new L.Dense(2, { inputShape: [2], kernelInitializer: "ones", biasInitializer: "zeros", kernelRegularizer: R.l2(0.5) }),
      new L.ActivityRegularization({ l1: 0.25 }),
      new L.Dense(1, { kernelInitializer: "zeros", useBias: false }),
    ]));
    const x = own(tf.constant([[1, 2], [-1, 0]], "float32"));
    const y = own(tf.constant([[1], [3]], "float32"));
    tf.tidy(() => void model.apply(x));
    // Hidden outputs [[3, 3], [-1, -1]]: 0.25 · 8 / 2 = 1; the kernel's 0.5 · 4 = 2.
    expect(total(model.losses)).toBeCloseTo(3, 5);
    model.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.01 }), loss: "meanSquaredError" });
    // Evaluated before any update: the output is 0 (zero kernel), mse 5, plus the penalties 3.
    expect(await model.evaluate(x, y, { verbose: 0 })).toBeCloseTo(8, 5);
    // fit reports the loss of the step's forward pass, before its update.
    const h = await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    expect(h.history["loss"]![0]).toBeCloseTo(8, 5);
  });

  it("ActivityRegularization: identity with its penalty, config round trip, gradients", () => {
    const layer = own(new L.ActivityRegularization({ l1: 0.3, l2: 0.1 }));
    const out = tf.tidy(() => vals(layer.apply(tf.constant([[1, -2, 0]], "float32"))));
    expect(out).toEqual([1, -2, 0]);
    expect(total(layer.losses)).toBeCloseTo(0.3 * 3 + 0.1 * 5, 5);
    expect(layer.getConfig()).toMatchObject({ l1: 0.3, l2: 0.1 });
    const again = own(tf.keras.models.layerFromConfig({ class_name: "ActivityRegularization", config: layer.getConfig() }));
    expect(again.getConfig()).toEqual(layer.getConfig());
    // d(penalty)/dx by finite differences, through the layer's call.
    const x = tf.tidy(() => new tf.Variable(tf.constant([[0.7, -1.3, 0.4], [2, -0.5, 1.1]], "float64"), { name: "x" }));
    const f64 = own(new L.ActivityRegularization({ l1: 0.3, l2: 0.1, dtype: "float64" }));
    checkGradients(() => {
      f64.apply(x).dispose();
      const ls = f64.losses;
      return ls[0]!;
    }, [x], { tol: 1e-5 });
    x.dispose();
  });
});

describe("with TensorFlow.js", () => {
  const J = tfl.layers;
  const tr = tfl.regularizers;
  it("an Embedding with an embeddings regularizer loads both ways", () =>
    checkInterop({ name: "Embedding", ours: () => new L.Embedding(7, 3, { embeddingsRegularizer: R.l2(0.3) }), theirs: () => J.embedding({ inputDim: 7, outputDim: 3, embeddingsRegularizer: tr.l2({ l2: 0.3 }) }), input: [4], int: 7 }));
  it("an LSTM with kernel, recurrent and bias regularizers loads both ways", () =>
    checkInterop({
      name: "LSTM",
      ours: () => new L.LSTM(2, { kernelRegularizer: R.l1(0.1), recurrentRegularizer: R.l2(0.2), biasRegularizer: R.l1l2({ l1: 0.1, l2: 0.1 }), recurrentActivation: "sigmoid" }),
      theirs: () => J.lstm({ units: 2, kernelRegularizer: tr.l1({ l1: 0.1 }), recurrentRegularizer: tr.l2({ l2: 0.2 }), biasRegularizer: tr.l1l2({ l1: 0.1, l2: 0.1 }), recurrentActivation: "sigmoid" }),
      input: [3, 2],
    }));
  it("BatchNormalization and PReLU with regularizers load both ways", () =>
    checkInterop({
      name: "BatchNormalization+PReLU",
      ours: () => [new L.BatchNormalization({ gammaRegularizer: R.l2(0.1), betaRegularizer: R.l1(0.1) }), new L.PReLU({ alphaRegularizer: R.l2(0.1) })],
      theirs: () => [J.batchNormalization({ gammaRegularizer: tr.l2({ l2: 0.1 }), betaRegularizer: tr.l1({ l1: 0.1 }) }), J.prelu({ alphaRegularizer: tr.l2({ l2: 0.1 }) })],
      input: [4],
    }));
  it("an LSTM's training step with a recurrent penalty: TF.js's plus the penalty and its gradient", async () => {
    // TF.js's RNN layers do not collect their cell's penalties into the loss (Keras's do): our step is
    // theirs plus 0.3·Σ rk² in the loss and 2·0.3·rk in the recurrent kernel's gradient.
    const xs = Array.from({ length: 24 }, (_, i) => Math.sin(i));
    const ys = [0.5, -0.5, 1, 0];
    const ours = own(new tf.keras.Sequential([new L.LSTM(2, { inputShape: [3, 2], recurrentRegularizer: R.l2(0.3), recurrentActivation: "sigmoid" }), new L.Dense(1)]));
    const theirs = tfl.sequential({ layers: [J.lstm({ units: 2, inputShape: [3, 2], recurrentActivation: "sigmoid" }), J.dense({ units: 1 })] });
    const w0 = ours.getWeights().map((w) => {
      const v = vals(w);
      w.dispose();
      return v;
    });
    theirs.setWeights(w0.map((v, i) => tfc.tensor(v, ours.weights[i]!.shape)));
    ours.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.1 }), loss: "meanSquaredError" });
    theirs.compile({ optimizer: tfc.train.sgd(0.1), loss: "meanSquaredError" });
    const x = own(tf.constant(xs, { shape: [4, 3, 2], dtype: "float32" }));
    const y = own(tf.constant(ys, { shape: [4, 1], dtype: "float32" }));
    const [tx, ty] = [tfc.tensor(xs, [4, 3, 2]), tfc.tensor(ys, [4, 1])];
    const a = await ours.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const b = await theirs.fit(tx, ty, { epochs: 1, batchSize: 4, verbose: 0 });
    const rk0 = w0[1]!;
    expect(a.history["loss"]![0]).toBeCloseTo((b.history["loss"] as number[])[0]! + 0.3 * sumSq(rk0), 5);
    const after = theirs.getWeights().map((t) => Array.from(t.dataSync()));
    ours.weights.forEach((w, i) => {
      const expected = i === 1 ? after[i]!.map((v, j) => v - 0.1 * 2 * 0.3 * rk0[j]!) : after[i]!;
      vals(w).forEach((v, j) => expect(v, `${w.name}[${j}]`).toBeCloseTo(expected[j]!, 5));
    });
    tfc.dispose([tx, ty]);
    theirs.dispose();
  });
});

describe("bad input", () => {
  it("unknown regularizers and constraints are refused naming them, on every layer", () => {
    expect(() => new L.LSTM(2, { recurrentRegularizer: "l3" as never })).toThrow(/Unknown regularizer: "l3"/);
    expect(() => new L.BatchNormalization({ gammaConstraint: "positive" })).toThrow(/Unknown constraint: "positive"/);
    expect(() => new L.Embedding(3, 2, { activityRegularizer: { class_name: "Orthogonal", config: {} } })).toThrow(/Unknown regularizer class "Orthogonal"/);
    expect(() => new L.PReLU({ alphaRegularizer: R.l2(0.1), alphaConstrain: "non_neg" } as never)).toThrow(TypeError);
    expect(() => new L.ActivityRegularization({ l1: -1 })).toThrow(/Regularizer l1 must be a non-negative number, got -1/);
    expect(() => new L.ActivityRegularization({ l3: 1 } as never)).toThrow(TypeError);
    // Layers Keras gives no activity regularizer refuse one.
    expect(() => new L.Flatten({ activityRegularizer: "l2" } as never)).toThrow(TypeError);
  });
});
