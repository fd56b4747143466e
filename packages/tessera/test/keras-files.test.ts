/**
 * Keras's own files: `.keras` archives (Keras 3) and `.h5` files (Keras 2), on backend-js.
 *
 * The fixtures in fixtures/keras/ were built without Keras by make_fixtures.py (h5py + zipfile),
 * laid out as Keras's saving code lays them out:
 * - mlp.keras, cnn.keras, huge-dataset.keras: Keras 3's `keras/src/saving/saving_lib.py` (3.x line,
 *   3.8: `_save_model_to_fileobj`, `H5IOStore`, `_save_container_state`);
 * - mlp.h5, cnn.h5: Keras 2's legacy HDF5 format as tf-keras 2.15 writes it
 *   (`keras/saving/legacy/hdf5_format.py`: `save_model_to_hdf5`, `save_weights_to_hdf5_group`).
 * Their expected outputs come from a NumPy forward pass of the same weights (expected.json).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { unzipSync, zipSync } from "fflate";
import h5wasm from "h5wasm";
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { settle } from "./helpers/gc.js";
import { kerasSaveSetup, smallCnn } from "./helpers/keras-setup.js";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "fixtures", "keras");
const fixture = (name: string) => join(fixtures, name);
const expected = JSON.parse(readFileSync(fixture("expected.json"), "utf8")) as Record<string, { input: number[] | number[][]; shape: number[]; output: number[][] }>;
const { Dense, Dropout } = tf.keras.layers;

const { fresh } = kerasSaveSetup("tessera-kerasfiles-", 5);
let fileCount = 0;
const freshFile = (ext: string) => fresh(`.${ext}`);

const count = () => tf.memory().numTensors;

async function predict(model: tf.keras.Model, input: number[] | number[][], shape: number[]): Promise<number[][]> {
  const x = tf.constant(input.flat(), { shape, dtype: "float32" });
  const y = model.predict(x);
  const out = (await y.array()) as number[][];
  x.dispose();
  y.dispose();
  return out;
}

function expectClose(got: number[][], want: number[][], tol = 1e-5): void {
  expect(got.length).toBe(want.length);
  got.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - want[i]![j]!)).toBeLessThan(tol)));
}

/** The HDF5 tree of a file: every group and dataset path (with dataset shapes), sorted. */
async function h5Tree(bytes: Uint8Array): Promise<string[]> {
  const M = await h5wasm.ready;
  const name = `/tree-${fileCount++}.h5`;
  M.FS.writeFile(name, bytes);
  const f = new h5wasm.File(name, "r");
  try {
    const out: string[] = [];
    const walk = (g: InstanceType<typeof h5wasm.Group>, prefix: string) => {
      for (const k of g.keys()) {
        const e = g.get(k);
        const p = `${prefix}/${k}`;
        if (e instanceof h5wasm.Group) {
          out.push(`${p}/`);
          walk(e, p);
        } else if (e instanceof h5wasm.Dataset) out.push(`${p} ${JSON.stringify(e.shape)} ${JSON.stringify(e.dtype)}`);
      }
    };
    walk(f, "");
    return out.sort();
  } finally {
    f.close();
    M.FS.unlink(name);
  }
}

describe("Keras fixtures load and predict as recorded", () => {
  for (const name of ["mlp.keras", "mlp.h5", "cnn.keras", "cnn.h5"]) {
    it(name, async () => {
      await settle(count);
      const before = count();
      const model = await tf.keras.models.loadModel(fixture(name));
      const e = expected[name]!;
      expectClose(await predict(model, e.input, e.shape), e.output);
      model.dispose();
      await settle(count);
      expect(count()).toBe(before);
    });
  }

  it("keeps the saved layer names, activations and shapes", async () => {
    const model = await tf.keras.models.loadModel(fixture("cnn.keras"));
    expect(model.name).toBe("cnn");
    expect(model.layers.map((l) => `${l.getClassName()}:${l.name}`)).toEqual(["Conv2D:conv", "MaxPooling2D:pool", "Flatten:flatten", "Dense:fc", "Dense:logits"]);
    expect(model.weights.map((w) => w.shape)).toEqual([[3, 3, 2, 3], [3], [12, 4], [4], [4, 2], [2]]);
    model.dispose();
  });

  it("reads from bytes, an ArrayBuffer and a Blob as well as a path", async () => {
    const bytes = new Uint8Array(readFileSync(fixture("mlp.keras")));
    const e = expected["mlp.keras"]!;
    for (const source of [bytes, bytes.slice().buffer, new Blob([bytes])]) {
      const model = await tf.keras.models.loadModel(source);
      expectClose(await predict(model, e.input, e.shape), e.output);
      model.dispose();
    }
    const h5 = await tf.keras.models.loadModel(new Uint8Array(readFileSync(fixture("mlp.h5"))));
    expectClose(await predict(h5, e.input, e.shape), e.output);
    h5.dispose();
  });
});

describe("model.save(\"x.keras\")", () => {
  let before = 0;
  beforeEach(() => void (before = count()));
  afterEach(() => expect(count(), "a test left tensors behind").toBe(before));

  it("reloads with identical predictions", async () => {
    const model = smallCnn();
    const path = freshFile("keras");
    await model.save(path);
    const loaded = await tf.keras.models.loadModel(path);
    const x = tf.random.normal([3, 8, 8, 1]);
    const a = model.predict(x);
    const b = loaded.predict(x);
    expect(Array.from((await b.data()) as Float32Array)).toEqual(Array.from((await a.data()) as Float32Array));
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it("matches the layout of an archive written by Keras's saving code", async () => {
    const model = new tf.keras.Sequential([new Dense(8, { activation: "relu", inputShape: [4] }), new Dropout(0.5), new Dense(3, { activation: "softmax" })], { name: "mlp" });
    const path = freshFile("keras");
    await model.save(path);
    const ours = unzipSync(new Uint8Array(readFileSync(path)));
    const keras = unzipSync(new Uint8Array(readFileSync(fixture("mlp.keras"))));
    // Same entries in the same order, stored uncompressed as Python's zipfile writes them.
    expect(Object.keys(ours)).toEqual(Object.keys(keras));
    expect(Object.keys(ours)).toEqual(["metadata.json", "config.json", "model.weights.h5"]);
    // The same HDF5 tree: groups, dataset names, shapes and dtypes.
    expect(await h5Tree(ours["model.weights.h5"]!)).toEqual(await h5Tree(keras["model.weights.h5"]!));
    // The same config, but for the names Keras generates (layer names, seeds).
    const config = JSON.parse(new TextDecoder().decode(ours["config.json"]));
    const kconfig = JSON.parse(new TextDecoder().decode(keras["config.json"]));
    const shape = (c: { config: { layers: { class_name: string; module: string; build_config?: unknown; config: Record<string, unknown> }[] } }) =>
      c.config.layers.map((l) => ({ cls: l.class_name, module: l.module, build: l.build_config, keys: Object.keys(l.config).sort() }));
    const strip = (s: ReturnType<typeof shape>) => s.map((l) => ({ ...l, keys: l.keys.filter((k) => k !== "activity_regularizer") }));
    expect(strip(shape(config))).toEqual(strip(shape(kconfig)));
    expect({ ...config, config: undefined }).toEqual({ ...kconfig, config: undefined });
    expect(config.config.layers[0].config).toEqual(kconfig.config.layers[0].config);
    expect(config.config.layers[1].config.dtype).toEqual(kconfig.config.layers[1].config.dtype);
    expect(config.config.layers[1].config.kernel_initializer.module).toBe("keras.initializers");
    const meta = JSON.parse(new TextDecoder().decode(ours["metadata.json"]));
    expect(meta.keras_version).toBe("3.8.0");
    expect(meta.date_saved).toMatch(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
    model.dispose();
  });

  it("saves a model built from data (no declared input shape) and float64 models", async () => {
    const model = new tf.keras.Sequential([new Dense(3, { dtype: "float64" }), new Dense(2, { dtype: "float64" })]);
    const x = tf.ones([2, 5], "float64");
    model.predict(x).dispose();
    const path = freshFile("keras");
    await model.save(path);
    const loaded = await tf.keras.models.loadModel(path);
    expect(loaded.weights.map((w) => w.dtype)).toEqual(["float64", "float64", "float64", "float64"]);
    const [a, b] = [model.predict(x), loaded.predict(x)];
    expect(Array.from((await b.data()) as Float32Array)).toEqual(Array.from((await a.data()) as Float32Array));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it("refuses .h5 saving, unbuilt models and subclassed models, writing nothing", async () => {
    const model = new tf.keras.Sequential([new Dense(2, { inputShape: [3] })]);
    await expect(model.save(freshFile("h5"))).rejects.toThrow(/legacy \.h5 format is not supported; save to a "\.keras" path/);
    await expect(model.save("https://example.invalid/model.keras")).rejects.toThrow(/can be saved to a file path/);
    const unbuilt = new tf.keras.Sequential([new Dense(2)]);
    const path = freshFile("keras");
    await expect(unbuilt.save(path)).rejects.toThrow(/has no known input shape; build it/);
    expect(() => readFileSync(path)).toThrow();
    model.dispose();
  });
});

describe("hostile or malformed Keras files are clear errors, and leave no model behind", () => {
  async function expectNoModel(source: Parameters<typeof tf.keras.models.loadModel>[0], message: RegExp): Promise<void> {
    await settle(count);
    const before = count();
    await expect(tf.keras.models.loadModel(source)).rejects.toThrow(message);
    await settle(count);
    expect(count()).toBe(before);
  }
  const mlpEntries = () => unzipSync(new Uint8Array(readFileSync(fixture("mlp.keras"))));
  const zip = (files: Record<string, Uint8Array>) => zipSync(files, { level: 0 });
  const utf8 = (s: string) => new TextEncoder().encode(s);

  it("a weight dataset far larger than the model's weight is refused before it is read", async () => {
    await expectNoModel(fixture("huge-dataset.keras"), /variable 0 of layer "hidden" \(\/layers\/dense\/vars\/0\) has shape \(100000, 1000\), but the model expects \(4, 8\)/);
  });

  it("zip entries that could escape are refused", async () => {
    for (const bad of ["../config.json", "/etc/passwd", "a\\..\\b", "C:/x", "assets/../../x"]) {
      await expectNoModel(zip({ ...mlpEntries(), [bad]: utf8("x") }), /holds an entry whose name has (a '\.\.' component|an absolute path|a backslash|a drive letter)/);
    }
  });

  it("entries declared larger than allowed are refused before they are inflated", async () => {
    const files = mlpEntries();
    const archive = zipSync({ ...files, "metadata.json": [new Uint8Array(2 * 1024 * 1024), { level: 9 }] });
    expect(archive.length).toBeLessThan(64 * 1024);
    await expectNoModel(archive, /entry metadata\.json declares 2097152 bytes, more than the 1048576 allowed/);
  });

  it("an entry that inflates to a different size than it declares is refused", async () => {
    const files = mlpEntries();
    const archive = zipSync({ ...files, "config.json": [files["config.json"]!, { level: 6 }] });
    // Lower the declared size in the central directory (offset 24 of the entry's record).
    const dv = new DataView(archive.buffer);
    let cd = archive.length - 22;
    while (dv.getUint32(cd, true) !== 0x06054b50) cd--;
    let off = dv.getUint32(cd + 16, true);
    for (;;) {
      const nameLen = dv.getUint16(off + 28, true);
      const name = new TextDecoder().decode(archive.subarray(off + 46, off + 46 + nameLen));
      if (name === "config.json") {
        dv.setUint32(off + 24, dv.getUint32(off + 24, true) + 100, true);
        break;
      }
      off += 46 + nameLen + dv.getUint16(off + 30, true) + dv.getUint16(off + 32, true);
    }
    await expectNoModel(archive, /entry config\.json holds \d+ bytes but declares \d+; the archive is corrupt/);
  });

  it("missing or broken parts", async () => {
    const files = mlpEntries();
    const { "model.weights.h5": _w, ...noWeights } = files;
    await expectNoModel(zip(noWeights), /has no model\.weights\.h5/);
    await expectNoModel(zip({ ...noWeights, "model.weights.npz": utf8("x") }), /keeps its weights as model\.weights\.npz/);
    const { "config.json": _c, ...noConfig } = files;
    await expectNoModel(zip(noConfig), /has no config\.json: it is not a Keras \.keras archive/);
    await expectNoModel(zip({ ...files, "config.json": utf8("{\"class_name\": \"Seq") }), /config\.json\) is not valid JSON/);
    await expectNoModel(zip({ ...files, "model.weights.h5": utf8("not hdf5 at all") }), /model\.weights\.h5\) is not a valid HDF5 file/);
    await expectNoModel(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), /is not a valid zip archive/);
    await expectNoModel(new Uint8Array([1, 2, 3, 4]), /neither a Keras \.keras archive \(zip\) nor a Keras \.h5 file \(HDF5\)/);
    await expectNoModel(fresh("nope.keras"), /No model found at ".*nope\.keras"/);
  });

  it("an unknown layer gives the same error as in the TensorFlow.js format", async () => {
    const files = mlpEntries();
    const config = JSON.parse(new TextDecoder().decode(files["config.json"]));
    config.config.layers[2].class_name = "Frobnicate";
    await expectNoModel(zip({ ...files, "config.json": utf8(JSON.stringify(config)) }), /Unknown layer class "Frobnicate" in the model config\. If it is a custom layer, register its class with tf\.keras\.utils\.registerKerasSerializable\(\).*Tessera can load: .*Dense/);
    config.class_name = "Functional";
    // A functional config is read the same way (its layers are looked up in the same registry).
    await expectNoModel(zip({ ...files, "config.json": utf8(JSON.stringify(config)) }), /Unknown layer class "Frobnicate" in the model config\./);
  });

  it("configs with __proto__ keys, deep nesting or inherited names are refused before they are converted", async () => {
    const files = mlpEntries();
    const text = new TextDecoder().decode(files["config.json"]);
    const proto = text.replace('"config": {', '"config": {"__proto__": {"polluted": true}, ');
    await expectNoModel(zip({ ...files, "config.json": utf8(proto) }), /the model config has the key "__proto__" \(at config\.__proto__\); refusing it/);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    const deep = text.replace('"config": {', `"config": {"extra": ${"[".repeat(5000)}${"]".repeat(5000)}, `);
    await expectNoModel(zip({ ...files, "config.json": utf8(deep) }), /nests objects and lists more than 512 levels deep/);
    const config = JSON.parse(text);
    config.config.layers[1].config.activation = "constructor";
    await expectNoModel(zip({ ...files, "config.json": utf8(JSON.stringify(config)) }), /Unknown activation: "constructor"/);
  });

  it("weights that do not match the config", async () => {
    const files = mlpEntries();
    const config = JSON.parse(new TextDecoder().decode(files["config.json"]));
    config.config.layers[1].config.units = 9;
    await expectNoModel(zip({ ...files, "config.json": utf8(JSON.stringify(config)) }), /variable 0 of layer "hidden" \(\/layers\/dense\/vars\/0\) has shape \(4, 8\), but the model expects \(4, 9\)/);
    config.config.layers[1].config.units = 8;
    config.config.layers[1].config.use_bias = false;
    await expectNoModel(zip({ ...files, "config.json": utf8(JSON.stringify(config)) }), /Layer 'hidden' expected 1 variables, but received 2 variables during loading/);
  });

  it("Keras 2 files: a weights-only file, a Keras 1 file, a layer count mismatch", async () => {
    const M = await h5wasm.ready;
    const make = (build: (f: InstanceType<typeof h5wasm.File>) => void): Uint8Array => {
      const name = `/bad-${fileCount++}.h5`;
      const f = new h5wasm.File(name, "w");
      build(f);
      f.close();
      const bytes = M.FS.readFile(name);
      M.FS.unlink(name);
      return bytes;
    };
    await expectNoModel(make((f) => f.create_group("model_weights")), /No model config found in the file at .*weights-only \.h5/);
    const original = new Uint8Array(readFileSync(fixture("mlp.h5")));
    const config = await (async () => {
      const name = `/read-${fileCount++}.h5`;
      M.FS.writeFile(name, original);
      const f = new h5wasm.File(name, "r");
      const c = f.attrs["model_config"]!.value as string;
      f.close();
      M.FS.unlink(name);
      return c;
    })();
    await expectNoModel(
      make((f) => {
        f.create_attribute("model_config", config);
        f.create_attribute("keras_version", "1.2.2");
        f.create_group("model_weights");
      }),
      /written by Keras 1 \(keras_version 1\.2\.2\)/,
    );
    await expectNoModel(
      make((f) => {
        f.create_attribute("model_config", config);
        f.create_attribute("keras_version", "2.15.0");
        const g = f.create_group("model_weights");
        g.create_attribute("layer_names", ["hidden"]);
        g.create_group("hidden").create_attribute("weight_names", ["hidden/kernel:0"]);
      }),
      /Layer count mismatch when loading weights from file\. Model expected 2 layers, found 1 saved layers/,
    );
    const path = freshFile("h5");
    writeFileSync(path, original.subarray(0, 600));
    await expectNoModel(path, /is not a valid HDF5 file/);
  });
});
