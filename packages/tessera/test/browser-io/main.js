/* global localStorage, fetch, document */
// Bundled by Vite in test/browser-io.test.ts, with TensorFlow.js 4.22 on the same page; runs in
// headless Chromium. Each scenario returns plain data for the test to check.
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import * as tfc from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";

const X = [[0.5, -1, 2], [3, 0, -0.25]];

function tesseraMlp() {
  return new tf.keras.Sequential([
    new tf.keras.layers.Dense(5, { activation: "relu", inputShape: [3] }),
    new tf.keras.layers.Dense(2, { activation: "softmax" }),
  ]);
}

function tfjsMlp() {
  const m = tfl.sequential();
  m.add(tfl.layers.dense({ units: 5, activation: "relu", inputShape: [3] }));
  m.add(tfl.layers.dense({ units: 2, activation: "softmax" }));
  return m;
}

async function tesseraPredict(model, x = X) {
  const t = tf.constant(x, "float32");
  const y = model.predict(t);
  const out = await y.array();
  t.dispose();
  y.dispose();
  return out;
}

async function tfjsPredict(model, x = X) {
  const t = tfc.tensor(x);
  const y = model.predict(t);
  const out = await y.array();
  tfc.dispose([t, y]);
  return out;
}

async function clearStores() {
  for (const url of Object.keys(await tf.io.listModels())) await tf.io.removeModel(url);
  localStorage.clear();
}

globalThis.scenarios = {
  /** A model TensorFlow.js saved into IndexedDB, loaded by Tessera. */
  async tfjsToTessera() {
    await clearStores();
    const model = tfjsMlp();
    await model.save("indexeddb://from-tfjs");
    const loaded = await tf.keras.models.loadModel("indexeddb://from-tfjs");
    const result = { tfjs: await tfjsPredict(model), tessera: await tesseraPredict(loaded), names: loaded.weights.map((w) => w.name) };
    loaded.dispose();
    model.dispose();
    return result;
  },

  /** A model Tessera saved into IndexedDB, loaded by TensorFlow.js; and each library's listings. */
  async tesseraToTfjs() {
    await clearStores();
    const model = tesseraMlp();
    await model.save("indexeddb://from-tessera");
    await tfjsMlp().save("indexeddb://from-tfjs");
    const loaded = await tfl.loadLayersModel("indexeddb://from-tessera");
    const result = {
      tessera: await tesseraPredict(model),
      tfjs: await tfjsPredict(loaded),
      tfjsLists: Object.keys(await tfc.io.listModels()).sort(),
      tesseraLists: Object.keys(await tf.io.listModels()).sort(),
    };
    await tf.io.removeModel("indexeddb://from-tfjs");
    result.tfjsListsAfterTesseraRemoved = Object.keys(await tfc.io.listModels()).sort();
    await tfc.io.removeModel("indexeddb://from-tessera");
    result.tesseraListsAfterTfjsRemoved = Object.keys(await tf.io.listModels()).sort();
    loaded.dispose();
    model.dispose();
    return result;
  },

  /** copyModel/moveModel across localStorage and IndexedDB, read back by both libraries. */
  async management() {
    await clearStores();
    const model = tesseraMlp();
    await model.save("indexeddb://m");
    await tf.io.copyModel("indexeddb://m", "localstorage://m-copy");
    await tf.io.moveModel("indexeddb://m", "localstorage://m-moved");
    await tfc.io.copyModel("localstorage://m-moved", "indexeddb://m-back");
    const listed = await tf.io.listModels();
    const fromTfjs = await tfl.loadLayersModel("localstorage://m-copy");
    const fromTessera = await tf.keras.models.loadModel("indexeddb://m-back");
    const result = {
      listed: Object.keys(listed).sort(),
      info: listed["localstorage://m-copy"],
      tessera: await tesseraPredict(model),
      tfjsFromCopy: await tfjsPredict(fromTfjs),
      tesseraFromTfjsCopy: await tesseraPredict(fromTessera),
    };
    for (const url of result.listed) await tf.io.removeModel(url);
    result.afterRemove = Object.keys(await tfc.io.listModels());
    fromTfjs.dispose();
    fromTessera.dispose();
    model.dispose();
    return result;
  },

  /** A model too large for localStorage fits in IndexedDB. */
  async large() {
    await clearStores();
    const model = new tf.keras.Sequential([new tf.keras.layers.Dense(2000, { inputShape: [1000] })]);
    let localStorageError = "";
    try {
      await model.save("localstorage://big");
    } catch (e) {
      localStorageError = String(e.message);
    }
    const saved = await model.save("indexeddb://big");
    const loaded = await tf.keras.models.loadModel("indexeddb://big");
    const a = model.weights[0].dataSync();
    const b = loaded.weights[0].dataSync();
    let same = a.length === b.length;
    for (let i = 0; same && i < a.length; i++) same = a[i] === b[i];
    const loadedByTfjs = await tfl.loadLayersModel("indexeddb://big");
    const result = { localStorageError, bytes: saved.modelArtifactsInfo.weightDataBytes, same, tfjsShape: loadedByTfjs.layers[0].getWeights()[0].shape };
    loadedByTfjs.dispose();
    await tf.io.removeModel("indexeddb://big");
    loaded.dispose();
    model.dispose();
    return result;
  },

  /** Saves by POST to the test server, then loads what it stored, with both libraries. */
  async httpSave(origin) {
    const model = tesseraMlp();
    const saved = await model.save(`${origin}/upload`);
    const byTessera = await tf.keras.models.loadModel(`${origin}/uploaded/model.json`);
    const byTfjs = await tfl.loadLayersModel(`${origin}/uploaded/model.json`);
    const withInit = await model.save(tf.io.http(`${origin}/upload?with-headers`, { requestInit: { method: "PUT", headers: { "x-tessera": "yes" } } }));
    const result = {
      status: saved.responses[0].status,
      withInitStatus: withInit.responses[0].status,
      tessera: await tesseraPredict(model),
      byTessera: await tesseraPredict(byTessera),
      byTfjs: await tfjsPredict(byTfjs),
    };
    byTessera.dispose();
    byTfjs.dispose();
    model.dispose();
    return result;
  },

  /** Keras files fetched over HTTP (h5wasm and fflate bundled by Vite). */
  async kerasFiles(origin) {
    const out = {};
    for (const name of ["cnn.keras", "mlp.h5"]) {
      const expected = (await (await fetch(`${origin}/fixtures/expected.json`)).json())[name];
      const model = await tf.keras.models.loadModel(`${origin}/fixtures/${name}`);
      const x = tf.constant(expected.input.flat(), { shape: expected.shape, dtype: "float32" });
      const y = model.predict(x);
      out[name] = { got: await y.array(), want: expected.output };
      tf.dispose([x, y]);
      model.dispose();
    }
    return out;
  },

  /** Files the user picked in the page's file input. */
  async pickedFiles() {
    const input = document.getElementById("files");
    const loaded = await tf.keras.models.loadModel(tf.io.browserFiles([...input.files]));
    const result = { names: [...input.files].map((f) => f.name), predictions: await tesseraPredict(loaded) };
    loaded.dispose();
    return result;
  },
};

await tfc.setBackend("cpu");
await tf.setBackend("js");
globalThis.__ready = true;
