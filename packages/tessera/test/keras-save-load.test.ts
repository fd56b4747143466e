/**
 * Saving and loading in the TensorFlow.js layers format on backend-js: round trips, bad files, and
 * interop with @tensorflow/tfjs-layers in both directions (through files, without tfjs-node).
 */
import { readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import * as tfc from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { beforeAll, describe, expect, it } from "vitest";
import { settle } from "./helpers/gc.js";
import { kerasSaveSetup, smallCnn } from "./helpers/keras-setup.js";
import { tfjsFileLoader, tfjsFileSaver } from "./helpers/tfjs-files.js";

const { Dense } = tf.keras.layers;
const { fresh: freshDir } = kerasSaveSetup("tessera-keras-", 3);
const cnn = smallCnn;
beforeAll(async () => {
  await tfc.setBackend("cpu");
});

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThan(tol);
}

describe("save → load", () => {
  it("round-trips architecture and weights: identical predictions", async () => {
    const model = cnn();
    const x = tf.random.uniform([5, 8, 8, 1], { seed: 1 });
    const dir = freshDir();
    const res = (await model.save(dir)) as tf.keras.SaveResult;
    expect(res.modelArtifactsInfo.weightDataBytes).toBe(4 * (36 + 4 + 36 * 8 + 8 + 8 * 3 + 3));
    const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
    expect(json.format).toBe("layers-model");
    expect(json.modelTopology).toMatchObject({ class_name: "Sequential", backend: "tessera", keras_version: expect.stringMatching(/^tessera /) });
    expect(json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(["Conv2D", "MaxPooling2D", "Flatten", "Dropout", "Dense", "Dense"]);
    expect(json.modelTopology.config.layers[0].config.batch_input_shape).toEqual([null, 8, 8, 1]);
    expect(json.weightsManifest[0].paths).toEqual(["group1-shard1of1.bin"]);
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual(["conv2d/kernel", "conv2d/bias", "dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"]);

    const loaded = await tf.keras.models.loadModel(`file://${dir}`);
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(loaded.name).toBe(model.name);
    expect(Array.from(loaded.predict(x).dataSync() as Float32Array)).toEqual(Array.from(model.predict(x).dataSync() as Float32Array));
    const again = await tf.keras.models.loadModel(join(dir, "model.json"));
    expect(Array.from(again.predict(x).dataSync() as Float32Array)).toEqual(Array.from(model.predict(x).dataSync() as Float32Array));
    expect((loaded.layers[4] as InstanceType<typeof Dense>).activation.name).toBe("tanh");
  });

  it("a loaded model keeps training", async () => {
    const model = new tf.keras.Sequential([new Dense(4, { activation: "relu", inputShape: [3] }), new Dense(2)]);
    const dir = freshDir();
    await model.save(dir);
    const loaded = await tf.keras.models.loadModel(dir);
    loaded.compile({ optimizer: "adam", loss: new tf.keras.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
    const h = await loaded.fit(tf.ones([8, 3]), tf.zeros([8], "int32"), { epochs: 2, verbose: 0 });
    expect(h.history["loss"]![1]!).toBeLessThan(h.history["loss"]![0]!);
  });

  it("splits large weights into 4 MiB shards", async () => {
    const model = new tf.keras.Sequential([new Dense(1100, { inputShape: [1000] })]);
    const dir = freshDir();
    await model.save(dir);
    const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
    expect(json.weightsManifest[0].paths).toEqual(["group1-shard1of2.bin", "group1-shard2of2.bin"]);
    const loaded = await tf.keras.models.loadModel(dir);
    const x = tf.random.normal([2, 1000], { seed: 2 });
    expect(Array.from(loaded.predict(x).dataSync() as Float32Array)).toEqual(Array.from(model.predict(x).dataSync() as Float32Array));
  });

  it("round-trips through localstorage:// with TensorFlow.js's keys", async () => {
    const store = new Map<string, string>();
    const shim = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
    (globalThis as { localStorage?: unknown }).localStorage = shim;
    try {
      const model = new tf.keras.Sequential([new Dense(3, { inputShape: [2] })]);
      await model.save("localstorage://my-model");
      expect([...store.keys()].sort()).toEqual(
        ["info", "model_metadata", "model_topology", "weight_data", "weight_specs"].map((k) => `tensorflowjs_models/my-model/${k}`),
      );
      const loaded = await tf.keras.models.loadModel("localstorage://my-model");
      const x = tf.constant([[1, 2]], "float32");
      expect(Array.from(loaded.predict(x).dataSync() as Float32Array)).toEqual(Array.from(model.predict(x).dataSync() as Float32Array));
      await expect(tf.keras.models.loadModel("localstorage://nope")).rejects.toThrow(/there is no model named 'nope'/);
    } finally {
      delete (globalThis as { localStorage?: unknown }).localStorage;
    }
  });

  it("accepts IOHandler objects and names unsupported schemes", async () => {
    const model = new tf.keras.Sequential([new Dense(2, { inputShape: [2] })]);
    let saved: tf.keras.ModelArtifacts | null = null;
    await model.save({ save: async (a: tf.keras.ModelArtifacts) => void (saved = a) });
    const loaded = await tf.keras.models.loadModel({ load: async () => saved! });
    expect(loaded.weights.map((w) => w.shape)).toEqual([[2, 2], [2]]);
    await expect(tf.keras.models.loadModel("ftp://x/model.json")).rejects.toThrow(/Unsupported model location scheme "ftp:\/\/"/);
    await expect(model.save("downloads://x")).rejects.toThrow(/downloads:\/\/ needs a browser/);
    await expect(tf.keras.models.loadModel("downloads://x")).rejects.toThrow(/"downloads:\/\/" cannot be used to load a model/);
  });
});

describe("loadModel on missing or corrupt files returns no model", () => {
  async function saved(): Promise<string> {
    const dir = freshDir();
    const model = new tf.keras.Sequential([new Dense(4, { inputShape: [3] }), new Dense(2)]);
    await model.save(dir);
    model.dispose();
    return dir;
  }
  // loadModel awaits file reads, and the garbage collector may free tensors leaked by earlier tests
  // meanwhile: settle it on both sides so the comparison sees only what loadModel left behind.
  const count = () => tf.memory().numTensors;
  async function expectNoModel(source: string, message: RegExp): Promise<void> {
    await settle(count);
    const before = count();
    await expect(tf.keras.models.loadModel(source)).rejects.toThrow(message);
    await settle(count);
    expect(count()).toBe(before);
  }

  it("missing directory or shard", async () => {
    await expectNoModel(freshDir("-does-not-exist"), /No model found at ".*does-not-exist": .*model\.json does not exist/);
    const dir = await saved();
    rmSync(join(dir, "group1-shard1of1.bin"));
    await expectNoModel(dir, /Weight file .*group1-shard1of1\.bin listed in .*model\.json does not exist/);
  });

  it("model.json that is not JSON, or not a layers model", async () => {
    const dir = await saved();
    writeFileSync(join(dir, "model.json"), '{"modelTopology": {"class_name": "Seq');
    await expectNoModel(dir, /model\.json is not valid JSON/);
    writeFileSync(join(dir, "model.json"), JSON.stringify({ format: "graph-model", weightsManifest: [] }));
    await expectNoModel(dir, /has no modelTopology/);
  });

  it("truncated weights, a wrong shape, an unknown layer", async () => {
    const dir = await saved();
    const bin = join(dir, "group1-shard1of1.bin");
    const good = readFileSync(bin);
    writeFileSync(bin, good.subarray(0, good.length - 4));
    await expectNoModel(dir, /the weight files hold 100 bytes, but the manifest declares 104 bytes/);
    writeFileSync(bin, good);
    const jsonPath = join(dir, "model.json");
    const json = JSON.parse(readFileSync(jsonPath, "utf8"));
    const original = JSON.stringify(json);
    json.weightsManifest[0].weights[0].shape = [4, 3];
    writeFileSync(jsonPath, JSON.stringify(json));
    await expectNoModel(dir, /Weight "dense\/kernel" has shape \(4, 3\) in the weight files, but the model expects \(3, 4\)/);
    const j2 = JSON.parse(original);
    j2.weightsManifest[0].weights[1].name = "dense/gamma";
    writeFileSync(jsonPath, JSON.stringify(j2));
    await expectNoModel(dir, /The weight "dense\/gamma" in the weight files matches no weight of the model/);
    const j3 = JSON.parse(original);
    j3.modelTopology.config.layers[1].class_name = "LSTM";
    writeFileSync(jsonPath, JSON.stringify(j3));
    await expectNoModel(dir, /Unknown layer class "LSTM" in the model config\. If it is a custom layer, register its class with tf\.keras\.utils\.registerKerasSerializable.*Tessera can load: Dense, Conv2D, Flatten, Dropout, InputLayer, Sequential, Functional, Model, .*MaxPooling2D/);
    expect(existsSync(jsonPath)).toBe(true);
  });

  it("a layer config key the layer does not take (Keras's rule), naming the layer", async () => {
    const dir = await saved();
    const jsonPath = join(dir, "model.json");
    const json = JSON.parse(readFileSync(jsonPath, "utf8"));
    const dense = json.modelTopology.config.layers.find((l: { class_name: string }) => l.class_name === "Dense").config;
    dense.activaton = "relu";
    writeFileSync(jsonPath, JSON.stringify(json));
    await expectNoModel(dir, new RegExp(`Dense layer "${dense.name}": unrecognized key 'activaton' in its saved config — did you mean 'activation'\\?`));
    // A null is a spelled-out default, as other writers save them.
    delete dense.activaton;
    dense.noise_shape = null;
    writeFileSync(jsonPath, JSON.stringify(json));
    const model = await tf.keras.models.loadModel(dir);
    model.dispose();
  });
});

describe("TensorFlow.js interop", () => {
  it("a model saved by Tessera loads in tfjs-layers' loadLayersModel with the same predictions", async () => {
    const model = cnn();
    model.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy" });
    const xs = tf.random.uniform([16, 8, 8, 1], { seed: 5 });
    await model.fit(xs, tf.random.uniform([16], { maxval: 3, dtype: "int32", seed: 6 }), { epochs: 2, verbose: 0 });
    const dir = freshDir();
    await model.save(dir);
    const tfjsModel = await tfl.loadLayersModel(tfjsFileLoader(dir));
    expect(tfjsModel.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    const x = tf.random.uniform([6, 8, 8, 1], { seed: 7 });
    const ours = model.predict(x).dataSync() as Float32Array;
    const theirs = (tfjsModel.predict(tfc.tensor(Array.from(x.dataSync() as Float32Array), [6, 8, 8, 1])) as tfc.Tensor).dataSync() as Float32Array;
    expectClose(ours, theirs);
  });

  it("a model saved by TensorFlow.js loads with tf.keras.models.loadModel with the same predictions", async () => {
    const tfjsModel = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ filters: 3, kernelSize: [3, 3], padding: "same", activation: "relu", inputShape: [6, 6, 2] }),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dropout({ rate: 0.5 }),
        tfl.layers.dense({ units: 5, activation: "sigmoid" }),
        tfl.layers.dense({ units: 2, activation: "softmax", useBias: false }),
      ],
    });
    const dir = freshDir();
    await tfjsModel.save(tfjsFileSaver(dir));
    const model = await tf.keras.models.loadModel(dir);
    expect(model.layers.map((l) => l.getClassName())).toEqual(["Conv2D", "MaxPooling2D", "Flatten", "Dropout", "Dense", "Dense"]);
    const values = Array.from({ length: 4 * 6 * 6 * 2 }, (_, i) => Math.sin(i));
    const theirs = (tfjsModel.predict(tfc.tensor(values, [4, 6, 6, 2])) as tfc.Tensor).dataSync() as Float32Array;
    const ours = model.predict(tf.constant(values, { shape: [4, 6, 6, 2], dtype: "float32" })).dataSync() as Float32Array;
    expectClose(ours, theirs);
  });

  it("loads what the Keras → TF.js converter writes (model_config, InputLayer, uint8 quantization), as TF.js does", async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    const dense = (name: string, units: number, activation: string) => ({
      class_name: "Dense",
      config: {
        name, trainable: true, dtype: "float32", units, activation, use_bias: true,
        kernel_initializer: { class_name: "GlorotUniform", config: { seed: null } }, bias_initializer: { class_name: "Zeros", config: {} },
        kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
      },
    });
    const json = {
      format: "layers-model",
      generatedBy: "keras v2.12.0",
      convertedBy: "TensorFlow.js Converter v4.22.0",
      modelTopology: {
        keras_version: "2.12.0",
        backend: "tensorflow",
        model_config: {
          class_name: "Sequential",
          config: {
            name: "sequential",
            layers: [
              { class_name: "InputLayer", config: { batch_input_shape: [null, 3], dtype: "float32", sparse: false, ragged: false, name: "dense_input" } },
              dense("dense", 2, "relu"),
              dense("dense_1", 1, "sigmoid"),
            ],
          },
        },
      },
      weightsManifest: [
        {
          paths: ["group1-shard1of1.bin"],
          weights: [
            { name: "dense/kernel", shape: [3, 2], dtype: "float32", quantization: { dtype: "uint8", scale: 0.01, min: -1, original_dtype: "float32" } },
            { name: "dense/bias", shape: [2], dtype: "float32" },
            { name: "dense_1/kernel", shape: [2, 1], dtype: "float32" },
            { name: "dense_1/bias", shape: [1], dtype: "float32" },
          ],
        },
      ],
    };
    const q = new Uint8Array([0, 50, 100, 150, 200, 255]);
    const rest = new Float32Array([0.1, -0.2, 0.7, -0.4, 0.05]);
    writeFileSync(join(dir, "group1-shard1of1.bin"), Buffer.concat([Buffer.from(q), Buffer.from(rest.buffer)]));
    writeFileSync(join(dir, "model.json"), JSON.stringify(json));
    const model = await tf.keras.models.loadModel(dir);
    expect(model.layers.map((l) => l.name)).toEqual(["dense", "dense_1"]);
    expect(Array.from(model.weights[0]!.dataSync() as Float32Array).map((v) => +v.toFixed(4))).toEqual([-1, -0.5, 0, 0.5, 1, 1.55]);
    const tfjsModel = await tfl.loadLayersModel(tfjsFileLoader(dir));
    const x = [[0.5, -1, 2], [1, 1, 1]];
    expectClose(model.predict(x).dataSync() as Float32Array, (tfjsModel.predict(tfc.tensor(x)) as tfc.Tensor).dataSync() as Float32Array);
  });

  it("reads TensorFlow.js's in-memory artifacts (tf.io.withSaveHandler) directly", async () => {
    const tfjsModel = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4], activation: "relu" }), tfl.layers.dense({ units: 1 })] });
    let artifacts: tfc.io.ModelArtifacts | null = null;
    await tfjsModel.save(tfc.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }));
    const a = artifacts!;
    const model = await tf.keras.models.loadModel({
      load: async () => ({ modelTopology: a.modelTopology as Record<string, unknown>, weightSpecs: a.weightSpecs as tf.keras.WeightSpec[], weightData: tfc.io.CompositeArrayBuffer.join(a.weightData!) }),
    });
    const x = [[0.1, -0.2, 0.3, 0.4], [1, 2, 3, 4]];
    expectClose(model.predict(x).dataSync() as Float32Array, (tfjsModel.predict(tfc.tensor(x)) as tfc.Tensor).dataSync() as Float32Array);
  });
});
