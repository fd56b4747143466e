/**
 * Saving and loading functional models (several inputs and outputs, shared layers, nested Sequential
 * and functional models, merge layers) in the TensorFlow.js layers format, both ways with
 * @tensorflow/tfjs-layers 4.22 through files; custom layers through registerKerasSerializable; and
 * configs or weight files that are wrong.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tfc from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { settle } from "./helpers/gc.js";
import { maxDiff, tfjsFileLoader, tfjsFileSaver } from "./helpers/tfjs-files.js";

const L = tf.keras.layers;
const Input = tf.keras.Input;
let root: string;
let dirs = 0;
const freshDir = () => join(root, `f${dirs++}`);

beforeAll(async () => {
  await tf.setBackend("js");
  await tfc.setBackend("cpu");
  root = mkdtempSync(join(tmpdir(), "tessera-functional-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => {
  tf.keras.backend.clearSession();
  tf.random.setSeed(9);
});

const data = (shape: number[], seed: number): number[] => Array.from(tf.tidy(() => tf.random.normal(shape, { seed })).dataSync() as Float32Array);
const flat = (t: tf.Tensor | tfc.Tensor): Float32Array => t.dataSync() as Float32Array;

/** Two inputs, a shared layer, a nested Sequential and a nested functional model, merges, two outputs. */
function bigModel(): tf.keras.Model<tf.keras.KerasTensor[]> {
  const a = Input({ shape: [6], name: "a" });
  const b = Input({ shape: [6], name: "b" });
  const shared = new L.Dense(5, { activation: "tanh", name: "shared" });
  const sa = shared.apply(a);
  const sb = shared.apply(b);
  const tower = new tf.keras.Sequential([new L.Dense(4, { activation: "relu", inputShape: [5], name: "t1" }), new L.Dense(3, { name: "t2" })], { name: "tower" });
  const hi = Input({ shape: [3], name: "h_in" });
  const head = new tf.keras.Model({ inputs: hi, outputs: new L.Dense(2, { activation: "sigmoid", name: "h_out" }).apply(hi), name: "head" });
  const ta = tower.apply(sa);
  const tb = tower.apply(sb);
  const merged = new L.Concatenate({ name: "concat" }).apply([ta, tb, new L.Multiply({ name: "mul" }).apply([ta, tb])]);
  const out1 = new L.Dense(2, { activation: "softmax", name: "out1" }).apply(merged);
  const out2 = head.apply(new L.Add({ name: "add" }).apply([ta, tb]));
  return new tf.keras.Model({ inputs: [a, b], outputs: [out1, out2], name: "big" });
}

describe("functional models: save → load", () => {
  it("round-trip in Tessera with identical predictions, structure and names", async () => {
    const model = bigModel();
    const xa = tf.constant(data([4, 6], 1), { shape: [4, 6], dtype: "float32" });
    const xb = tf.constant(data([4, 6], 2), { shape: [4, 6], dtype: "float32" });
    const dir = freshDir();
    await model.save(dir);
    const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
    const topo = json.modelTopology;
    expect(topo.class_name).toBe("Functional");
    expect(topo.config.input_layers).toEqual([["a", 0, 0], ["b", 0, 0]]);
    expect(topo.config.output_layers).toEqual([["out1", 0, 0], ["head", 1, 0]]);
    const byName = Object.fromEntries(topo.config.layers.map((l: { name: string }) => [l.name, l]));
    expect(byName.shared.inbound_nodes).toEqual([[["a", 0, 0, {}]], [["b", 0, 0, {}]]]);
    // A nested model's first call is node 1 (node 0 is its own inputs → outputs link, as in Keras).
    expect(byName.tower.inbound_nodes).toEqual([[["shared", 0, 0, {}]], [["shared", 1, 0, {}]]]);
    expect(byName.concat.inbound_nodes).toEqual([[["tower", 1, 0, {}], ["tower", 2, 0, {}], ["mul", 0, 0, {}]]]);
    expect(byName.head.class_name).toBe("Functional");
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual(model.weights.map((w) => w.name.replace(/:0$/, "")));

    const loaded = await tf.keras.models.loadModel<tf.keras.KerasTensor[]>(dir);
    expect(loaded.layers.map((l) => `${l.name}:${l.getClassName()}`)).toEqual(model.layers.map((l) => `${l.name}:${l.getClassName()}`));
    const [p1, p2] = model.predict([xa, xb]);
    const [q1, q2] = loaded.predict([xa, xb]);
    expect(Array.from(flat(q1!))).toEqual(Array.from(flat(p1!)));
    expect(Array.from(flat(q2!))).toEqual(Array.from(flat(p2!)));
    // The loaded model keeps training.
    loaded.compile({ optimizer: "adam", loss: ["sparse_categorical_crossentropy", "mse"] });
    const h = await loaded.fit([xa, xb], [tf.constant([0, 1, 1, 0], "int32"), tf.zeros([4, 2])], { epochs: 3, verbose: 0 });
    expect(h.history["loss"]![2]!).toBeLessThan(h.history["loss"]![0]!);
    model.dispose();
    loaded.dispose();
  });

  it("loads in TensorFlow.js's loadLayersModel with the same predictions", async () => {
    const model = bigModel();
    const dir = freshDir();
    await model.save(dir);
    const theirs = await tfl.loadLayersModel(tfjsFileLoader(dir));
    expect(theirs.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    const va = data([5, 6], 3);
    const vb = data([5, 6], 4);
    const [t1, t2] = theirs.predict([tfc.tensor(va, [5, 6]), tfc.tensor(vb, [5, 6])]) as tfc.Tensor[];
    const [o1, o2] = model.predict([tf.constant(va, { shape: [5, 6], dtype: "float32" }), tf.constant(vb, { shape: [5, 6], dtype: "float32" })]);
    expect(maxDiff(flat(o1!), flat(t1!))).toBeLessThan(1e-5);
    expect(maxDiff(flat(o2!), flat(t2!))).toBeLessThan(1e-5);
    model.dispose();
  });

  it("loads what TensorFlow.js saves: a shared layer, a nested Sequential, every merge layer", async () => {
    const a = tfl.input({ shape: [4], name: "a" });
    const b = tfl.input({ shape: [4], name: "b" });
    const shared = tfl.layers.dense({ units: 3, activation: "relu", name: "shared" });
    const sa = shared.apply(a) as tfl.SymbolicTensor;
    const sb = shared.apply(b) as tfl.SymbolicTensor;
    const inner = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [3], activation: "tanh" }), tfl.layers.dense({ units: 3 })] });
    const ia = inner.apply(sa) as tfl.SymbolicTensor;
    const merges = [tfl.layers.add(), tfl.layers.multiply(), tfl.layers.average(), tfl.layers.maximum(), tfl.layers.minimum()].map((m) => m.apply([ia, sb]) as tfl.SymbolicTensor);
    const dot = tfl.layers.dot({ axes: 1, normalize: true }).apply([ia, sb]) as tfl.SymbolicTensor;
    const cat = tfl.layers.concatenate({ axis: -1 }).apply([...merges, dot]) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 2, activation: "softmax" }).apply(cat) as tfl.SymbolicTensor;
    const theirs = tfl.model({ inputs: [a, b], outputs: [out, ia] });
    const dir = freshDir();
    await theirs.save(tfjsFileSaver(dir));
    const ours = await tf.keras.models.loadModel<tf.keras.KerasTensor[]>(dir);
    expect(ours.layers.map((l) => l.name)).toEqual(theirs.layers.map((l) => l.name));
    expect(ours.layers.map((l) => l.getClassName())).toEqual(theirs.layers.map((l) => l.getClassName()).map((c) => (c === "Model" ? "Functional" : c)));
    expect(new Set(ours.layers.map((l) => l.getClassName()))).toEqual(new Set(["InputLayer", "Dense", "Sequential", "Add", "Multiply", "Average", "Maximum", "Minimum", "Dot", "Concatenate"]));
    const va = data([3, 4], 5);
    const vb = data([3, 4], 6);
    const expected = theirs.predict([tfc.tensor(va, [3, 4]), tfc.tensor(vb, [3, 4])]) as tfc.Tensor[];
    const got = ours.predict([tf.constant(va, { shape: [3, 4], dtype: "float32" }), tf.constant(vb, { shape: [3, 4], dtype: "float32" })]);
    expect(got).toHaveLength(2);
    expect(maxDiff(flat(got[0]!), flat(expected[0]!))).toBeLessThan(1e-5);
    expect(maxDiff(flat(got[1]!), flat(expected[1]!))).toBeLessThan(1e-5);
    // And back: Tessera saves what it loaded, TF.js reads it again.
    const dir2 = freshDir();
    await ours.save(dir2);
    const again = await tfl.loadLayersModel(tfjsFileLoader(dir2));
    const back = again.predict([tfc.tensor(va, [3, 4]), tfc.tensor(vb, [3, 4])]) as tfc.Tensor[];
    expect(maxDiff(flat(back[0]!), flat(expected[0]!))).toBeLessThan(1e-6);
    ours.dispose();
  });

  it("loads Keras 2's functional configs (dict inputs and outputs, a call with training=true)", async () => {
    const dense = (name: string, units: number) => ({
      class_name: "Dense", name,
      config: { name, trainable: true, dtype: "float32", units, activation: "linear", use_bias: true, kernel_initializer: { class_name: "Ones", config: {} }, bias_initializer: { class_name: "Zeros", config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null },
    });
    const topology = {
      class_name: "Functional",
      config: {
        name: "keras_model",
        layers: [
          { class_name: "InputLayer", name: "x", config: { batch_input_shape: [null, 2], dtype: "float32", sparse: false, ragged: false, name: "x" }, inbound_nodes: [] },
          { ...dense("d", 3), inbound_nodes: [[["x", 0, 0, {}]]] },
          { class_name: "Dropout", name: "drop", config: { name: "drop", trainable: true, dtype: "float32", rate: 0.5, noise_shape: null, seed: null }, inbound_nodes: [[["d", 0, 0, { training: true }]]] },
          { ...dense("e", 1), inbound_nodes: [[["d", 0, 0, {}]]] },
        ],
        input_layers: { x: ["x", 0, 0] },
        output_layers: { main: ["e", 0, 0], noisy: ["drop", 0, 0] },
      },
      keras_version: "2.13.1",
      backend: "tensorflow",
    };
    const weights = new Float32Array([1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0]);
    const model = tf.keras.models.modelFromArtifacts<{ main: tf.keras.KerasTensor; noisy: tf.keras.KerasTensor }>({
      modelTopology: topology,
      weightSpecs: [
        { name: "d/kernel", shape: [2, 3], dtype: "float32" }, { name: "d/bias", shape: [3], dtype: "float32" },
        { name: "e/kernel", shape: [3, 1], dtype: "float32" }, { name: "e/bias", shape: [1], dtype: "float32" },
      ],
      weightData: weights.buffer,
    });
    expect(model.inputNames).toEqual(["x"]);
    expect(model.outputNames).toEqual(["main", "noisy"]);
    const out = model.predict({ x: tf.constant([[1, 2]], "float32") });
    expect(Array.from(flat(out.main))).toEqual([9]);
    // training=true was recorded on the Dropout call: it drops even in predict (each value is 0 or 6).
    expect(Array.from(flat(out.noisy)).every((v) => v === 0 || Math.abs(v - 6) < 1e-6)).toBe(true);
    const config = model.getConfig() as { layers: { name: string; inbound_nodes: unknown }[]; output_layers: unknown };
    expect(config.layers.find((l) => l.name === "drop")!.inbound_nodes).toEqual([[["d", 0, 0, { training: true }]]]);
    expect(config.output_layers).toEqual({ main: ["e", 0, 0], noisy: ["drop", 0, 0] });
    model.dispose();
  });
});

describe("custom layers", () => {
  class Scale extends tf.keras.layers.Layer {
    static override className = "Scale";
    readonly factor: number;
    constructor({ factor = 2, ...args }: tf.keras.LayerArgs & { factor?: number } = {}) {
      super(args);
      this.factor = factor;
    }
    override call(x: tf.Tensor) {
      return tf.multiply(x, this.factor);
    }
    override computeOutputShape(s: tf.keras.Shape) {
      return s;
    }
    override getConfig() {
      return { ...super.getConfig(), factor: this.factor };
    }
  }

  it("saves as 'package>name' once registered, and loads back", async () => {
    const x = Input({ shape: [2] });
    const model = new tf.keras.Model({ inputs: x, outputs: new Scale({ factor: 3 }).apply(new L.Dense(2, { kernelInitializer: "ones" }).apply(x)) });
    const dir = freshDir();
    await model.save(dir);
    // Not registered yet: the saved class name is the plain one, and loading says how to register it.
    await expect(tf.keras.models.loadModel(dir)).rejects.toThrow(/Unknown layer class "Scale" in the model config. If it is a custom layer, register its class with tf\.keras\.utils\.registerKerasSerializable\(\)\(Scale\)/);
    const viaOption = await tf.keras.models.loadModel(dir, { customObjects: { Scale } });
    expect(viaOption.layers[2]).toBeInstanceOf(Scale);
    viaOption.dispose();
    tf.keras.utils.registerKerasSerializable({ package: "my_app" })(Scale);
    expect(tf.keras.utils.getRegisteredName(Scale)).toBe("my_app>Scale");
    const dir2 = freshDir();
    await model.save(dir2);
    const json = JSON.parse(readFileSync(join(dir2, "model.json"), "utf8"));
    expect(json.modelTopology.config.layers[2].class_name).toBe("my_app>Scale");
    const loaded = await tf.keras.models.loadModel(dir2);
    const l = loaded.layers[2] as Scale;
    expect(l).toBeInstanceOf(Scale);
    expect(l.factor).toBe(3);
    expect(Array.from(flat(loaded.predict([[1, 1]])))).toEqual([6, 6]);
    // The plain name also finds the one registered class of that name.
    expect((await tf.keras.models.loadModel(dir)).layers[2]).toBeInstanceOf(Scale);
    class Other extends Scale {}
    expect(() => tf.keras.utils.registerKerasSerializable({ package: "my_app", name: "Scale" })(Other)).toThrow("my_app>Scale has already been registered to Scale");
    expect(() => tf.keras.utils.registerKerasSerializable({ pkg: "x" } as never)).toThrow(/got an unexpected option 'pkg'/);
    expect(() => tf.keras.utils.registerKerasSerializable()(class NotALayer {} as never)).toThrow(/registers layer classes/);
    await expect(tf.keras.models.loadModel(dir, { custom: {} } as never)).rejects.toThrow(/loadModel\(\) got an unexpected option 'custom'/);
    model.dispose();
    loaded.dispose();
  });

  it("refuses to save a Lambda layer", async () => {
    const x = Input({ shape: [2] });
    const model = new tf.keras.Model({ inputs: x, outputs: new L.Lambda((t: tf.Tensor) => tf.abs(t)).apply(x) });
    await expect(model.save(freshDir())).rejects.toThrow(/Lambda layer "lambda" cannot be saved: its function is code/);
  });
});

interface LayerEntry {
  name: string;
  config: Record<string, unknown>;
  inbound_nodes: unknown;
}
interface SavedJson {
  modelTopology: { config: { layers: LayerEntry[]; output_layers: unknown } };
  weightsManifest: { weights: { name: string; shape: number[] }[] }[];
}

describe("bad configs and weight files: a clear error and no model", () => {
  async function saved(): Promise<{ dir: string; json: SavedJson }> {
    const x = Input({ shape: [3], name: "x" });
    const h = new L.Dense(4, { name: "h" }).apply(x);
    const model = new tf.keras.Model({ inputs: x, outputs: new L.Dense(2, { name: "y" }).apply(new L.Reshape([2, 2], { name: "r" }).apply(h)) });
    const dir = freshDir();
    await model.save(dir);
    model.dispose();
    return { dir, json: JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) };
  }
  const count = () => tf.memory().numTensors;
  async function expectNoModel(dir: string, json: unknown, message: RegExp): Promise<void> {
    writeFileSync(join(dir, "model.json"), JSON.stringify(json));
    await settle(count);
    const before = count();
    await expect(tf.keras.models.loadModel(dir)).rejects.toThrow(message);
    await settle(count);
    expect(count()).toBe(before);
  }
  const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x));
  const layer = (j: SavedJson, name: string): LayerEntry => j.modelTopology.config.layers.find((l) => l.name === name)!;

  it("cycles, dangling references, unknown keys, impossible values", async () => {
    const { dir, json } = await saved();
    const cyc = copy(json);
    layer(cyc, "h").inbound_nodes = [[["y", 0, 0, {}]]];
    await expectNoModel(dir, cyc, /The functional config cannot be built: the calls of layer\(s\) "h", "r", "y" wait on tensors that no call produces \(a cycle/);
    const dangling = copy(json);
    layer(dangling, "r").inbound_nodes = [[["nope", 0, 0, {}]]];
    await expectNoModel(dir, dangling, /The functional config refers to an unknown layer "nope"/);
    const badNode = copy(json);
    layer(badNode, "r").inbound_nodes = [[["h", 3, 0, {}]]];
    await expectNoModel(dir, badNode, /wait on tensors that no call produces/);
    const extraKey = copy(json);
    layer(extraKey, "r").config.target_shapee = [4];
    await expectNoModel(dir, extraKey, /keras\.layers\.Reshape\(\) got an unexpected option 'targetShapee'/);
    const impossible = copy(json);
    layer(impossible, "r").config.target_shape = [3, 3];
    await expectNoModel(dir, impossible, /total size of new array must be unchanged, input_shape = \(4,\), output_shape = \(3, 3\)/);
    const noOutputs = copy(json);
    noOutputs.modelTopology.config.output_layers = [];
    await expectNoModel(dir, noOutputs, /output_layers must be a non-empty list/);
    const dup = copy(json);
    dup.modelTopology.config.layers.push(copy(layer(json, "y")));
    await expectNoModel(dir, dup, /names two layers "y"/);
    writeFileSync(join(dir, "model.json"), JSON.stringify(json));
    const ok = await tf.keras.models.loadModel(dir);
    ok.dispose();
  });

  it("weight files shorter or longer than the manifest, or weights of the wrong shape", async () => {
    const { dir, json } = await saved();
    const bin = join(dir, "group1-shard1of1.bin");
    const good = readFileSync(bin);
    writeFileSync(bin, good.subarray(0, good.length - 4));
    await expectNoModel(dir, json, /the weight files hold 84 bytes, but the manifest declares 88 bytes/);
    writeFileSync(bin, Buffer.concat([good, Buffer.alloc(4)]));
    await expectNoModel(dir, json, /Weight file "group1-shard1of1\.bin" .* has 92 bytes, more than the 88 expected/);
    writeFileSync(bin, good);
    const wrong = copy(json);
    wrong.weightsManifest[0]!.weights[0]!.shape = [4, 3];
    await expectNoModel(dir, wrong, /Weight "h\/kernel" has shape \(4, 3\) in the weight files, but the model expects \(3, 4\)/);
    const twice = copy(json);
    // y/kernel (2×2) relabelled as a second h/bias (4): the same bytes, two values for one weight.
    twice.weightsManifest[0]!.weights[2]!.name = "h/bias";
    twice.weightsManifest[0]!.weights[2]!.shape = [4];
    await expectNoModel(dir, twice, /The weight files hold two values for weight "h\/bias"/);
  });

  it("setWeights on a functional model checks everything before changing anything", () => {
    const x = Input({ shape: [3] });
    const model = new tf.keras.Model({ inputs: x, outputs: new L.PReLU().apply(new L.Dense(2).apply(x)) });
    const before = model.getWeights();
    const bad = before.map((w, i) => (i === 2 ? tf.zeros([3]) : tf.zerosLike(w)));
    expect(() => model.setWeights(bad)).toThrow(/weight shape \(2,\) \(p_re_lu\/alpha:0\) is not compatible with provided weight shape \(3,\).*No weights were changed/);
    const now = model.getWeights();
    now.forEach((w, i) => expect(Array.from(flat(w))).toEqual(Array.from(flat(before[i]!))));
    tf.dispose([...before, ...bad, ...now]);
    model.dispose();
  });
});
