/**
 * The functional API: tf.keras.Input, KerasTensors, functional models with several inputs and
 * outputs (lists and dicts), shared layers, nested models, graph checks with Keras's messages,
 * summaries with "Connected to", masks passed between layers, and training with per-output losses.
 */
import * as tf from "@tessera/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { onJsFreeingEverything } from "./helpers/js-backend.js";

const { Dense, Concatenate, Add, Embedding, Masking, GlobalAveragePooling1D, Dropout, Lambda, Flatten, InputLayer } = tf.keras.layers;
const Input = tf.keras.Input;

onJsFreeingEverything("a functional-model test leaked tensors");
// Layers and models a test made, freed after it (before the leak check runs).
const made: { dispose(): void }[] = [];
const own = <T extends { dispose(): void }>(x: T): T => (made.push(x), x);
afterEach(() => {
  for (const x of made.splice(0)) x.dispose();
});
beforeEach(() => {
  tf.keras.backend.clearSession();
  tf.random.setSeed(5);
});

const values = (t: tf.Tensor) => Array.from(t.dataSync() as Float32Array);
function close(a: tf.Tensor, b: tf.Tensor | number[], tol = 1e-5): void {
  const x = values(a);
  const y = Array.isArray(b) ? b : values(b);
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(Math.abs(v - y[i]!)).toBeLessThan(tol));
}

describe("Input and KerasTensor", () => {
  it("makes symbolic tensors with a null batch, a dtype and the layer that made them", () => {
    const x = Input({ shape: [3] });
    expect(x).toBeInstanceOf(tf.keras.KerasTensor);
    expect(x.shape).toEqual([null, 3]);
    expect(x.dtype).toBe("float32");
    expect(x.rank).toBe(2);
    expect(x._kerasHistory.layer).toBeInstanceOf(InputLayer);
    expect(x._kerasHistory.layer.name).toBe("input_1");
    expect(String(x)).toBe("<KerasTensor: shape=(None, 3) dtype=float32 (created by layer 'input_1')>");
    const y = own(new Dense(4)).apply(x);
    expect(y.shape).toEqual([null, 4]);
    expect(String(y)).toBe("<KerasTensor: shape=(None, 4) dtype=float32 (created by layer 'dense')>");
    expect(Input({ shape: [2, null], batchSize: 8, dtype: "int32", name: "ids" }).shape).toEqual([8, 2, null]);
    expect(Input({ batchShape: [null, 5] }).shape).toEqual([null, 5]);
    expect(Input({ shape: [2] })._kerasHistory.layer.name).toBe("input_3");
  });

  it("refuses bad Input arguments and ops on symbolic tensors", () => {
    expect(() => Input({} as never)).toThrow(/Please provide to Input a `shape` or a `batchShape` argument/);
    expect(() => Input({ shape: [3], shapee: 1 } as never)).toThrow(/keras\.Input\(\) got an unexpected option 'shapee'/);
    expect(() => Input({ shape: [3], sparse: true })).toThrow(/sparse inputs need tf\.sparse\.SparseTensor/);
    expect(() => Input({ shape: [-1] })).toThrow(/inputShape must be an array of non-negative integers or null/);
    expect(() => Input({ shape: [3], dtype: "float16" as never })).toThrow(/unknown dtype "float16"/);
    const x = Input({ shape: [3] });
    expect(() => tf.add(x as never, 1)).toThrow(/A KerasTensor \(<KerasTensor: shape=\(None, 3\).*cannot be used as input to Add.*Lambda layer/);
    const ones = tf.ones([2, 3]);
    expect(() => new Dense(2).apply([x, ones] as never)).toThrow(/was called on a mix of KerasTensors/);
    ones.dispose();
  });

  it("checks shapes when a layer is called on symbolic inputs, with Keras's messages", () => {
    const x = Input({ shape: [3] });
    const d = own(new Dense(2));
    d.apply(x);
    expect(() => d.apply(Input({ shape: [4] }))).toThrow(
      'Input 0 of layer "dense" is incompatible with the layer: expected axis -1 of input shape to have value 3, but received input with shape (None, 4)',
    );
    expect(() => new tf.keras.layers.Conv2D(2, 3).apply(x)).toThrow(/Input 0 of layer "conv2d" is incompatible with the layer: expected ndim=4, found ndim=2. Full shape received: \(None, 3\)/);
    expect(() => new Add().apply([x, Input({ shape: [4] })])).toThrow("Inputs have incompatible shapes. Received shapes (3,) and (4,)");
    expect(() => new Concatenate({ axis: 1 }).apply([Input({ shape: [2, 3] }), Input({ shape: [4, 5] })])).toThrow(
      "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[(None, 2, 3), (None, 4, 5)]",
    );
    expect(() => new Dense(2).apply([x, x])).toThrow(/Layer "dense_\d+" expects 1 input\(s\), but it received 2 input tensors/);
  });
});

describe("functional models", () => {
  function twoTower() {
    const a = Input({ shape: [3], name: "a" });
    const b = Input({ shape: [3], name: "b" });
    const shared = new Dense(4, { activation: "relu", name: "shared" });
    const merged = new Concatenate({ name: "merged" }).apply([shared.apply(a), shared.apply(b)]);
    const out1 = new Dense(2, { name: "out1" }).apply(merged);
    const out2 = new Dense(1, { name: "out2" }).apply(merged);
    return { a, b, shared, model: new tf.keras.Model({ inputs: [a, b], outputs: [out1, out2], name: "two_tower" }) };
  }

  it("runs several inputs and outputs, with the layers in Keras's order", () => {
    const { model, shared } = twoTower();
    own(model);
    expect(model.name).toBe("two_tower");
    expect(model.getClassName()).toBe("Functional");
    expect(model.layers.map((l) => l.name)).toEqual(["a", "b", "shared", "merged", "out1", "out2"]);
    expect(model.inputNames).toEqual(["a", "b"]);
    expect(model.outputNames).toEqual(["out1", "out2"]);
    expect(model.inputs.map((t) => t.shape)).toEqual([[null, 3], [null, 3]]);
    expect(model.outputs.map((t) => t.shape)).toEqual([[null, 2], [null, 1]]);
    expect(model.getLayer("shared")).toBe(shared);
    expect(model.getLayer(2)).toBe(shared);
    expect(() => model.getLayer("nope")).toThrow("No such layer: nope. Existing layers are: ['a', 'b', 'shared', 'merged', 'out1', 'out2'].");
    expect(() => model.getLayer(9)).toThrow("Was asked to retrieve layer at index 9 but model only has 6 layers.");
    // The shared layer's weights count once.
    expect(model.weights.map((w) => w.name)).toEqual(["shared/kernel:0", "shared/bias:0", "out1/kernel:0", "out1/bias:0", "out2/kernel:0", "out2/bias:0"]);
    const xa = tf.random.uniform([2, 3], { seed: 1 });
    const xb = tf.random.uniform([2, 3], { seed: 2 });
    const before = tf.memory().numTensors;
    const [y1, y2] = model.apply([xa, xb]);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(y1!.shape).toEqual([2, 2]);
    expect(y2!.shape).toEqual([2, 1]);
    // The same computation by hand.
    const manual = tf.tidy(() => {
      const h = tf.concat([shared.apply(xa), shared.apply(xb)], 1);
      return (model.getLayer("out1") as InstanceType<typeof Dense>).apply(h);
    });
    close(y1!, manual);
    // A dict by input name works too; predict batches.
    const predicted = model.predict({ a: xa, b: xb }, { batchSize: 1 });
    close(predicted[0]!, y1!);
    close(predicted[1]!, y2!);
    tf.dispose([xa, xb, y1!, y2!, manual, ...predicted]);
  });

  it("takes and returns dicts", () => {
    const inputs = { ids: Input({ shape: [4], dtype: "int32", name: "ids" }), extra: Input({ shape: [2], name: "extra" }) };
    const e = new Flatten().apply(new Embedding(10, 3).apply(inputs.ids));
    const h = new Concatenate().apply([e, inputs.extra]);
    const model = own(new tf.keras.Model({ inputs, outputs: { score: new Dense(1, { name: "score_layer" }).apply(h), logits: new Dense(3).apply(h) } }));
    expect(model.inputNames).toEqual(["extra", "ids"]);
    expect(model.outputNames).toEqual(["logits", "score"]);
    const ids = tf.constant([[1, 2, 3, 0]], "int32");
    const extra = tf.ones([1, 2]);
    const out = model.apply({ ids, extra });
    expect(Object.keys(out).sort()).toEqual(["logits", "score"]);
    expect(out.score.shape).toEqual([1, 1]);
    expect(out.logits.shape).toEqual([1, 3]);
    // Float data for an int32 Input is cast to it, as Keras does.
    expect(model.inputs.find((t) => t.name === "ids")!.dtype).toBe("int32");
    const ones = tf.ones([1, 4]);
    expect(() => model.apply({ ids: ones } as never)).toThrow('Missing data for input "extra". You passed a data dictionary with keys [ids]. Expected the following keys: [extra, ids]');
    tf.dispose([ones, ids, extra, ...Object.values(out)]);
  });

  it("checks inputs at call time with Keras's messages", () => {
    const { model } = twoTower();
    own(model);
    const x = tf.ones([2, 3]);
    const x5 = tf.ones([2, 5]);
    expect(() => model.apply([x, x5])).toThrow('Input 1 of layer "two_tower" is incompatible with the layer: expected shape=(None, 3), found shape=(2, 5)');
    expect(() => model.apply(x)).toThrow(/x: the model has 2 inputs \(a, b\); pass a list of 2 arrays or a dict by name, got one tensor/);
    expect(() => model.apply([x, x, x])).toThrow(/x: the model has 2 inputs \(a, b\), but 3 arrays were given/);
    tf.dispose([x, x5]);
  });

  it("nests Sequential and functional models as layers, and builds feature extractors from layer outputs", () => {
    const encoder = new tf.keras.Sequential([new Dense(8, { activation: "relu", inputShape: [4] }), new Dense(3)], { name: "encoder" });
    const i = Input({ shape: [3] });
    const head = new tf.keras.Model({ inputs: i, outputs: new Dense(1, { name: "head_dense" }).apply(i), name: "head" });
    const x = Input({ shape: [4], name: "x" });
    const z = encoder.apply(x);
    const y = head.apply(z);
    const model = own(new tf.keras.Model({ inputs: x, outputs: y }));
    expect(model.layers.map((l) => l.name)).toEqual(["x", "encoder", "head"]);
    expect(model.weights.map((w) => w.name)).toEqual(["dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0", "head_dense/kernel:0", "head_dense/bias:0"]);
    const data = tf.random.normal([5, 4], { seed: 3 });
    const out = model.apply(data);
    const manual = tf.tidy(() => head.apply(encoder.apply(data)));
    close(out, manual);
    // layer.input / layer.output, and a feature extractor from the Sequential's own graph.
    expect(encoder.layers[0]!.output).toBe(encoder.layers[0]!.getOutputAt(0));
    const features = new tf.keras.Model({ inputs: encoder.inputs, outputs: encoder.layers[0]!.output as tf.keras.KerasTensor });
    const f = features.apply(data);
    expect(f.shape).toEqual([5, 8]);
    tf.tidy(() => close(f, encoder.layers[0]!.apply(data)));
    expect(encoder.layers[1]!.input).toBe(encoder.layers[0]!.output);
    expect(() => new Dense(2).input).toThrow("Layer dense_2 is not connected, no input to return.");
    expect(() => new Dense(2).output).toThrow("Layer dense_3 has no inbound nodes.");
    // A shared layer called on inputs of different shapes has no single output shape.
    const shared = own(new tf.keras.layers.Flatten());
    shared.apply(Input({ shape: [2, 2] }));
    shared.apply(Input({ shape: [3, 3] }));
    expect(() => shared.outputShape).toThrow(/has multiple inbound nodes, with different output shapes/);
    expect((shared.getOutputAt(1) as tf.keras.KerasTensor).shape).toEqual([null, 9]);
    tf.dispose([data, out, manual, f]);
  });

  it("validates the graph with Keras's messages", () => {
    const a = Input({ shape: [3], name: "in_a" });
    const b = Input({ shape: [3], name: "in_b" });
    const sum = new Add({ name: "sum" }).apply([own(new Dense(3, { name: "d1" })).apply(a), b]);
    expect(() => new tf.keras.Model({ inputs: a, outputs: sum })).toThrow(
      /^Graph disconnected: cannot obtain value for tensor <KerasTensor: shape=\(None, 3\) dtype=float32 \(created by layer 'in_b'\)> at layer "sum". The following previous layers were accessed without issue: \['d1'\]$/,
    );
    const h = own(new Dense(3)).apply(a);
    expect(() => new tf.keras.Model({ inputs: h, outputs: own(new Dense(1)).apply(h) })).toThrow(/Functional model inputs must come from `tf.keras.Input`.*it was generated by layer "dense"/);
    expect(() => new tf.keras.Model({ inputs: [a, a], outputs: h })).toThrow(/contains the same input multiple times/);
    const one = tf.ones([1]);
    expect(() => new tf.keras.Model({ inputs: a, outputs: one as never })).toThrow(/Output tensors of a Functional model must be the output of a TensorFlow `Layer`/);
    expect(() => new tf.keras.Model({ inputs: one as never, outputs: h })).toThrow(/Input tensors to a Functional model must come from `tf.keras.Input`/);
    one.dispose();
    expect(() => new tf.keras.Model({ inputs: a } as never)).toThrow(/needs both `inputs` and `outputs`/);
    expect(() => new tf.keras.Model({ inputs: a, outputs: h, nme: "x" } as never)).toThrow(/keras\.layers\.Model\(\) got an unexpected option 'nme' — did you mean 'name'\?/);
    const c = Input({ shape: [3], name: "clash" });
    const clash = own(new Dense(3, { name: "clash" })).apply(c);
    expect(() => new tf.keras.Model({ inputs: c, outputs: clash })).toThrow('The name "clash" is used 2 times in the model. All layer names should be unique.');
  });

  it("prints Keras 2's summary with a Connected to column (and the short table for chains)", () => {
    const { model } = twoTower();
    own(model);
    const lines: string[] = [];
    model.summary({ printFn: (l) => lines.push(l) });
    expect(lines.join("\n")).toBe(
      [
        'Model: "two_tower"',
        "__________________________________________________________________________________________________",
        " Layer (type)                   Output Shape         Param #     Connected to                     ",
        "==================================================================================================",
        " a (InputLayer)                 [(None, 3)]          0           []                               ",
        "                                                                                                  ",
        " b (InputLayer)                 [(None, 3)]          0           []                               ",
        "                                                                                                  ",
        " shared (Dense)                 (None, 4)            16          ['a[0][0]',                      ",
        "                                                                  'b[0][0]']                      ",
        "                                                                                                  ",
        " merged (Concatenate)           (None, 8)            0           ['shared[0][0]',                 ",
        "                                                                  'shared[1][0]']                 ",
        "                                                                                                  ",
        " out1 (Dense)                   (None, 2)            18          ['merged[0][0]']                 ",
        "                                                                                                  ",
        " out2 (Dense)                   (None, 1)            9           ['merged[0][0]']                 ",
        "                                                                                                  ",
        "==================================================================================================",
        "Total params: 43",
        "Trainable params: 43",
        "Non-trainable params: 0",
        "__________________________________________________________________________________________________",
      ].join("\n"),
    );
    const x = Input({ shape: [784], name: "pixels" });
    const hidden = new Dense(32).apply(x);
    const chain = own(new tf.keras.Model({ inputs: x, outputs: new Dense(10).apply(hidden), name: "chain" }));
    const short: string[] = [];
    chain.summary({ printFn: (l) => short.push(l) });
    expect(short.slice(0, 9)).toEqual([
      'Model: "chain"',
      "_________________________________________________________________",
      " Layer (type)                Output Shape              Param #   ",
      "=================================================================",
      " pixels (InputLayer)         [(None, 784)]             0         ",
      "                                                                 ",
      " dense (Dense)               (None, 32)                25120     ",
      "                                                                 ",
      " dense_1 (Dense)             (None, 10)                330       ",
    ]);
  });
});

describe("masking", () => {
  it("passes masks from Embedding and Masking to the layers that use them", () => {
    const ids = Input({ shape: [4], dtype: "int32" });
    const emb = new Embedding(10, 2, { maskZero: true, embeddingsInitializer: "ones" });
    const pooled = new GlobalAveragePooling1D().apply(new Dropout(0.5).apply(emb.apply(ids)));
    const model = new tf.keras.Model({ inputs: ids, outputs: pooled });
    const x = tf.constant([[1, 2, 0, 0], [3, 0, 0, 0]], "int32");
    // Embeddings are ones; the mean over unmasked steps is 1 (over all steps it would be 0.5 and 0.25).
    const w = emb.embeddings!;
    tf.tidy(() => void w.assign(tf.concat([tf.zeros([1, 2]), tf.ones([9, 2])], 0)));
    const y = model.apply(x);
    close(y, [1, 1, 1, 1]);
    const mask = emb.computeMask(x) as tf.Tensor;
    expect(Array.from(mask.dataSync() as Uint8Array)).toEqual([1, 1, 0, 0, 1, 0, 0, 0]);
    // A mask given to apply reaches call; a layer that does not support masking refuses one when asked directly.
    const seqMask = tf.constant([[true, false, false, false], [true, true, true, true]]);
    const emb2 = tf.tidy(() => emb.apply(x));
    const direct = new GlobalAveragePooling1D().apply(emb2, { mask: seqMask });
    close(direct, [1, 1, 0.25, 0.25]);
    expect(() => new Flatten().computeMask(emb2, seqMask)).toThrow(/Layer flatten does not support masking, but was passed an input_mask/);
    // Masking: steps equal to maskValue everywhere are skipped.
    const seq = Input({ shape: [3, 2] });
    const m2 = new tf.keras.Model({ inputs: seq, outputs: new GlobalAveragePooling1D().apply(new Masking({ maskValue: 0 }).apply(seq)) });
    const data = tf.constant([[[2, 4], [0, 0], [4, 0]]]);
    tf.tidy(() => close(m2.apply(data), [3, 2]));
    // The model's output mask, and a Sequential passing masks along.
    const mm = new tf.keras.Model({ inputs: ids, outputs: emb.apply(ids) });
    const om = mm.computeMask(x) as tf.Tensor;
    expect(Array.from(om.dataSync() as Uint8Array)).toEqual([1, 1, 0, 0, 1, 0, 0, 0]);
    const seqModel = new tf.keras.Sequential([new Embedding(10, 2, { maskZero: true, inputShape: [4] }), new GlobalAveragePooling1D()]);
    tf.tidy(() => void (seqModel.layers[0] as InstanceType<typeof Embedding>).embeddings!.assign(tf.concat([tf.fill([1, 2], 100, "float32"), tf.ones([9, 2])], 0)));
    tf.tidy(() => close(seqModel.apply(x), [1, 1, 1, 1]));
    tf.dispose([x, y, mask, seqMask, emb2, direct, data, om]);
    for (const m of [model, m2, mm, seqModel]) own(m);
  });
});

describe("training functional models", () => {
  function data() {
    const xa = tf.random.normal([64, 3], { seed: 11 });
    const xb = tf.random.normal([64, 3], { seed: 12 });
    const yCls = tf.tidy(() => tf.cast(tf.greater(tf.reduceSum(tf.add(xa, xb), { axis: 1 }), 0), "int32"));
    const yReg = tf.tidy(() => tf.reduceSum(tf.multiply(xa, xb), { axis: 1, keepdims: true }));
    return { xa, xb, yCls, yReg };
  }

  it("fits two outputs with a list of losses, lossWeights and per-output logs", async () => {
    const a = Input({ shape: [3], name: "a" });
    const b = Input({ shape: [3], name: "b" });
    const h = new Dense(16, { activation: "relu" }).apply(new Concatenate().apply([a, b]));
    const model = new tf.keras.Model({ inputs: [a, b], outputs: [new Dense(2, { name: "cls" }).apply(h), new Dense(1, { name: "reg" }).apply(h)] });
    model.compile({ optimizer: new tf.keras.optimizers.Adam({ learningRate: 0.02 }), loss: [new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }), "mse"], lossWeights: [1, 0.5], metrics: [["accuracy"], []] });
    const { xa, xb, yCls, yReg } = data();
    const history = await model.fit([xa, xb], [yCls, yReg], { epochs: 5, batchSize: 16, verbose: 0 });
    expect(Object.keys(history.history)).toEqual(["loss", "cls_loss", "reg_loss", "cls_accuracy"]);
    const loss = history.history["loss"]!;
    expect(loss[4]!).toBeLessThan(loss[0]!);
    const clsLoss = history.history["cls_loss"]!;
    const regLoss = history.history["reg_loss"]!;
    // The total is the weighted sum of the per-output losses (the same batches).
    expect(Math.abs(loss[4]! - (clsLoss[4]! + 0.5 * regLoss[4]!))).toBeLessThan(1e-4);
    const logs = await model.evaluate([xa, xb], [yCls, yReg], { verbose: 0, returnDict: true });
    expect(Object.keys(logs)).toEqual(["loss", "cls_loss", "reg_loss", "cls_accuracy"]);
    expect(model.metricsNames).toEqual(["loss", "cls_loss", "reg_loss", "cls_accuracy"]);
    tf.dispose([xa, xb, yCls, yReg]);
    model.dispose();
  });

  it("fits dict outputs with a dict of losses (an output without a loss is not trained on)", async () => {
    const x = Input({ shape: [3], name: "x" });
    const h = new Dense(8, { activation: "tanh" }).apply(x);
    const model = new tf.keras.Model({ inputs: { x }, outputs: { cls: new Dense(2).apply(h), aux: new Dense(1).apply(h) } });
    model.compile({ optimizer: "adam", loss: { cls: new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }) }, metrics: { cls: "accuracy" } });
    const { xa, xb, yCls, yReg } = data();
    const h1 = await model.fit({ x: xa }, { cls: yCls, aux: yReg }, { epochs: 2, batchSize: 32, verbose: 0 });
    expect(Object.keys(h1.history)).toEqual(["loss", "cls_loss", "cls_accuracy"]);
    expect(() => model.compile({ optimizer: "adam", loss: { clss: "mse" } })).toThrow(/Found unexpected loss that do not correspond to any Model output: \[clss\]. Valid output names: \[aux, cls\]/);
    expect(() => model.compile({ optimizer: "adam", loss: ["mse"] })).toThrow(/When passing a list as loss, it should have one entry per model output. The model has 2 output\(s\)/);
    await expect(model.fit({ x: xa }, { cls: yCls }, { verbose: 0 })).rejects.toThrow(/Missing data for output "aux"/);
    const short = own(tf.zeros([3, 1]));
    await expect(model.fit({ x: xa }, { cls: yCls, aux: short }, { verbose: 0 })).rejects.toThrow(/Data cardinality is ambiguous:\n {2}x sizes: 64\n {2}y sizes: 3, 64/);
    tf.dispose([xa, xb, yCls, yReg]);
    model.dispose();
  });

  it("one loss for every output, gradients through shared layers, and no growth in memory", async () => {
    const a = Input({ shape: [3] });
    const b = Input({ shape: [3] });
    const shared = new Dense(4);
    const model = new tf.keras.Model({ inputs: [a, b], outputs: [shared.apply(a), shared.apply(b)] });
    model.compile({ optimizer: "sgd", loss: "mse" });
    const { xa, xb, yCls, yReg } = data();
    const targets = [tf.zeros([64, 4]), tf.ones([64, 4])];
    await model.fit([xa, xb], targets, { epochs: 1, verbose: 0 });
    const before = tf.memory().numTensors;
    const h = await model.fit([xa, xb], targets, { epochs: 2, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(h.history)).toEqual(["loss", "dense_loss", "dense_1_loss"]);
    // The shared layer's two outputs got the same name, made unique as Keras does.
    expect(model.outputNames).toEqual(["dense", "dense_1"]);
    tf.dispose([xa, xb, yCls, yReg, ...targets]);
    model.dispose();
  });

  it("trains a Lambda and keeps subclassed models working", async () => {
    const x = Input({ shape: [2] });
    const sq = new Lambda((t: tf.Tensor) => tf.square(t)).apply(x);
    expect(sq.shape).toEqual([null, 2]);
    const model = new tf.keras.Model({ inputs: x, outputs: new Dense(1).apply(sq) });
    model.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: 0.05 }), loss: "mse" });
    const xs = tf.random.uniform([32, 2], { minval: -1, maxval: 1, seed: 4 });
    const ys = tf.tidy(() => tf.reduceSum(tf.square(xs), { axis: 1, keepdims: true }));
    const h = await model.fit(xs, ys, { epochs: 30, batchSize: 8, verbose: 0 });
    expect(h.history["loss"]![29]!).toBeLessThan(h.history["loss"]![0]! / 4);
    class Sub extends tf.keras.Model {
      d = new Dense(2);
      override call(t: tf.Tensor) {
        return this.d.apply(t);
      }
    }
    const sub = new Sub();
    tf.tidy(() => expect(sub.apply(xs).shape).toEqual([32, 2]));
    // A subclassed model used as a layer in a functional model.
    const y = sub.apply(Input({ shape: [2] })) as tf.keras.KerasTensor;
    expect(y.shape).toEqual([null, 2]);
    tf.dispose([xs, ys]);
    model.dispose();
    sub.dispose();
  });
});
