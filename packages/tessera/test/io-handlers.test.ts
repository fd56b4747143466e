/**
 * Browser model IO in Node, against stand-ins: `indexeddb://` and model management on
 * fake-indexeddb (a complete in-memory IndexedDB) and a Map-backed localStorage, `tf.io.http` with a
 * recording fetch, `tf.io.browserFiles` with Node's File. The same paths run in real Chromium, with
 * TensorFlow.js on the same page, in browser-io.test.ts.
 */
import "fake-indexeddb/auto";
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

const { Dense } = tf.keras.layers;

class MemoryStorage {
  private map = new Map<string, string>();
  get length(): number {
    return this.map.size;
  }
  key(i: number): string | null {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string): string | null {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.map.set(k, String(v));
  }
  removeItem(k: string): void {
    this.map.delete(k);
  }
  clear(): void {
    this.map.clear();
  }
}

const storage = new MemoryStorage();
beforeAll(async () => {
  await tf.setBackend("js");
  (globalThis as { localStorage?: unknown }).localStorage = storage;
});
afterAll(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

let before = 0;
beforeEach(async () => {
  tf.keras.backend.clearSession();
  tf.random.setSeed(9);
  storage.clear();
  for (const url of Object.keys(await tf.io.listModels())) await tf.io.removeModel(url);
  before = tf.memory().numTensors;
});
afterEach(() => expect(tf.memory().numTensors, "a test left tensors behind").toBe(before));

// The IndexedDB API as used here (the tests compile without the DOM library).
interface Req<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface Store {
  get(key: string): Req<unknown>;
  put(value: unknown): Req<unknown>;
}
interface Tx {
  objectStore(name: string): Store;
  oncomplete: (() => void) | null;
}
interface Db {
  objectStoreNames: ArrayLike<string>;
  transaction(stores: string | string[], mode: "readonly" | "readwrite"): Tx;
  close(): void;
}

/** Opens TensorFlow.js's database directly, as TensorFlow.js would. */
function openTfjsDatabase(): Promise<Db> {
  const idb = (globalThis as unknown as { indexedDB: { open(name: string, version: number): Req<Db> } }).indexedDB;
  return new Promise((resolve, reject) => {
    const r = idb.open("tensorflowjs", 1);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function mlp(): tf.keras.Sequential {
  return new tf.keras.Sequential([new Dense(5, { activation: "relu", inputShape: [3] }), new Dense(2)]);
}

async function samePredictions(a: tf.keras.Model, b: tf.keras.Model): Promise<void> {
  const x = tf.constant([[0.5, -1, 2], [3, 0, -0.25]], "float32");
  const ya = a.predict(x);
  const yb = b.predict(x);
  expect(Array.from((await yb.data()) as Float32Array)).toEqual(Array.from((await ya.data()) as Float32Array));
  tf.dispose([x, ya, yb]);
}

describe("indexeddb://", () => {
  it("saves and loads, in TensorFlow.js's database layout", async () => {
    const model = mlp();
    const result = (await model.save("indexeddb://my-model")) as tf.keras.SaveResult;
    expect(result.modelArtifactsInfo.weightDataBytes).toBe((3 * 5 + 5 + 5 * 2 + 2) * 4);
    const loaded = await tf.keras.models.loadModel("indexeddb://my-model");
    await samePredictions(model, loaded);

    // What TensorFlow.js reads: database "tensorflowjs" v1, stores keyed by modelPath, binary weights.
    const db = await openTfjsDatabase();
    expect(Array.from(db.objectStoreNames).sort()).toEqual(["model_info_store", "models_store"]);
    const record = await new Promise<Record<string, { weightData: unknown; modelTopology: { class_name: string } }>>((resolve) => {
      const req = db.transaction("models_store", "readonly").objectStore("models_store").get("my-model");
      req.onsuccess = () => resolve(req.result as Record<string, { weightData: unknown; modelTopology: { class_name: string } }>);
    });
    expect(record["modelPath" as never]).toBe("my-model");
    expect(record["modelArtifacts"]!.weightData).toBeInstanceOf(ArrayBuffer);
    expect(record["modelArtifacts"]!.modelTopology.class_name).toBe("Sequential");
    db.close();
    // A stored model's name may end like a file; it stays a stored model.
    await model.save("indexeddb://model.keras");
    const named = await tf.keras.models.loadModel("indexeddb://model.keras");
    await samePredictions(model, named);
    named.dispose();
    model.dispose();
    loaded.dispose();
  });

  it("reports a missing model, a bad path and a corrupt record", async () => {
    await expect(tf.keras.models.loadModel("indexeddb://nope")).rejects.toThrow("Cannot find model with path 'nope' in IndexedDB.");
    expect(() => tf.io.browserIndexedDB("")).toThrow(/modelPath must not be null, undefined or empty/);
    const db = await openTfjsDatabase();
    await new Promise<void>((resolve) => {
      const tx = db.transaction(["models_store", "model_info_store"], "readwrite");
      tx.objectStore("models_store").put({ modelPath: "bad", modelArtifacts: { modelTopology: { class_name: "Sequential" }, weightSpecs: [], weightData: "AAAA" } });
      tx.objectStore("model_info_store").put({ modelPath: "bad", modelArtifactsInfo: { dateSaved: new Date() } });
      tx.oncomplete = () => resolve();
    });
    db.close();
    await expect(tf.keras.models.loadModel("indexeddb://bad")).rejects.toThrow(/the stored weight data is not binary/);
  });
});

describe("listModels, copyModel, moveModel, removeModel", () => {
  it("across localstorage:// and indexeddb://", async () => {
    const model = mlp();
    await model.save("localstorage://a");
    await model.save("indexeddb://b");
    const listed = await tf.io.listModels();
    expect(Object.keys(listed).sort()).toEqual(["indexeddb://b", "localstorage://a"]);
    expect(listed["indexeddb://b"]!.weightDataBytes).toBe(128);

    await tf.io.copyModel("localstorage://a", "indexeddb://a-copy");
    await tf.io.moveModel("indexeddb://b", "localstorage://b-moved");
    expect(Object.keys(await tf.io.listModels()).sort()).toEqual(["indexeddb://a-copy", "localstorage://a", "localstorage://b-moved"]);
    for (const url of ["indexeddb://a-copy", "localstorage://b-moved"]) {
      const loaded = await tf.keras.models.loadModel(url);
      await samePredictions(model, loaded);
      loaded.dispose();
    }

    const removed = await tf.io.removeModel("localstorage://a");
    expect(removed.weightDataBytes).toBe(128);
    expect(storage.length).toBe(5); // b-moved's five keys
    await tf.io.removeModel("indexeddb://a-copy");
    expect(Object.keys(await tf.io.listModels())).toEqual(["localstorage://b-moved"]);
    model.dispose();
  });

  it("refuses unknown schemes, missing models and copying a model onto itself", async () => {
    await expect(tf.io.removeModel("indexeddb://ghost")).rejects.toThrow("Cannot find model with path 'ghost' in IndexedDB.");
    await expect(tf.io.removeModel("localstorage://ghost")).rejects.toThrow(/Cannot find model at path 'ghost' in local storage/);
    await expect(tf.io.removeModel("ghost")).rejects.toThrow(/does not contain a scheme/);
    await expect(tf.io.copyModel("file://a", "indexeddb://b")).rejects.toThrow(/Cannot find model manager for scheme 'file'/);
    await expect(tf.io.copyModel("indexeddb://ghost", "localstorage://b")).rejects.toThrow(/Cannot find model with path 'ghost'/);
    await expect(tf.io.moveModel("indexeddb://x", "indexeddb://x")).rejects.toThrow(/the source and destination are the same model/);
    expect(Object.keys(await tf.io.listModels())).toEqual([]);
  });
});

interface Call {
  url: string;
  init: Record<string, unknown> | undefined;
}

function recordingFetch(reply: (url: string) => { status: number; body?: ArrayBuffer | string }): { calls: Call[]; fetchFunc: tf.io.FetchFunction } {
  const calls: Call[] = [];
  return {
    calls,
    fetchFunc: async (url, init) => {
      calls.push({ url, init });
      const { status, body } = reply(url);
      return new Response(body ?? null, { status });
    },
  };
}

describe("tf.io.http", () => {
  it("saves by POSTing model.json and model.weights.bin as multipart form data", async () => {
    const model = mlp();
    const { calls, fetchFunc } = recordingFetch(() => ({ status: 200 }));
    const result = await model.save(tf.io.http("https://example.test/upload", { fetchFunc, requestInit: { headers: { "x-token": "t" } } }));
    expect(calls).toHaveLength(1);
    const { url, init } = calls[0]!;
    expect(url).toBe("https://example.test/upload");
    expect(init!["method"]).toBe("POST");
    expect(init!["headers"]).toEqual({ "x-token": "t" });
    const form = init!["body"] as FormData;
    const json = JSON.parse(await (form.get("model.json") as File).text());
    expect((form.get("model.json") as File).name).toBe("model.json");
    expect(json.weightsManifest[0].paths).toEqual(["./model.weights.bin"]);
    expect(json.format).toBe("layers-model");
    const weights = form.get("model.weights.bin") as File;
    expect(weights.size).toBe(128);
    expect((result as tf.io.HTTPSaveResult).responses[0]!.status).toBe(200);

    // The same files, served back, load with the same predictions.
    const files: Record<string, ArrayBuffer | string> = {
      "https://example.test/m/model.json": JSON.stringify(json),
      "https://example.test/m/model.weights.bin": await weights.arrayBuffer(),
    };
    const server = recordingFetch((u) => (u in files ? { status: 200, body: files[u]! } : { status: 404 }));
    const progress: number[] = [];
    const loaded = await tf.keras.models.loadModel(tf.io.http("https://example.test/m/model.json", { fetchFunc: server.fetchFunc, onProgress: (f) => progress.push(f) }));
    await samePredictions(model, loaded);
    expect(progress).toEqual([0, 1]);
    model.dispose();
    loaded.dispose();
  });

  it("reports a failed upload, and refuses a body in requestInit and unknown options", async () => {
    const model = mlp();
    const { fetchFunc } = recordingFetch(() => ({ status: 500 }));
    await expect(model.save(tf.io.http("https://example.test/upload", { fetchFunc }))).rejects.toThrow("BrowserHTTPRequest.save() failed due to HTTP response status 500.");
    expect(() => tf.io.http("https://example.test/upload", { requestInit: { body: "x" } })).toThrow("requestInit is expected to have no pre-existing body, but has one.");
    expect(() => tf.io.http("https://example.test/upload", { fetchFn: fetchFunc } as never)).toThrow(/io\.http\(\) got an unexpected option 'fetchFn' — did you mean 'fetchFunc'\?/);
    expect(tf.io.browserHTTPRequest).toBe(tf.io.http);
    model.dispose();
  });

  it("does not let a manifest send the page to another origin", async () => {
    const model = mlp();
    const saved: { json?: unknown } = {};
    await model.save({ save: async (a: tf.keras.ModelArtifacts) => void (saved.json = { modelTopology: a.modelTopology, weightsManifest: [{ paths: ["https://evil.test/w.bin"], weights: a.weightSpecs }] }) });
    const { calls, fetchFunc } = recordingFetch((u) => (u.endsWith("model.json") ? { status: 200, body: JSON.stringify(saved.json) } : { status: 200, body: new ArrayBuffer(128) }));
    await expect(tf.keras.models.loadModel(tf.io.http("https://example.test/model.json", { fetchFunc }))).rejects.toThrow(/lists the weight file path "https:\/\/evil\.test\/w\.bin", which is refused because it is an absolute URL/);
    expect(calls.map((c) => c.url)).toEqual(["https://example.test/model.json"]);
    // The caller may allow it explicitly.
    const loaded = await tf.keras.models.loadModel(tf.io.http("https://example.test/model.json", { fetchFunc, weightUrlConverter: async (f) => f }));
    expect(calls.map((c) => c.url).slice(1)).toEqual(["https://example.test/model.json", "https://evil.test/w.bin"]);
    model.dispose();
    loaded.dispose();
  });
});

describe("tf.io.browserFiles", () => {
  async function files(model: tf.keras.Model): Promise<{ json: File; weights: File }> {
    const form: { json?: File; weights?: File } = {};
    await model.save(
      tf.io.http("https://example.test/upload", {
        fetchFunc: async (_u, init) => {
          const f = init!["body"] as FormData;
          form.json = f.get("model.json") as File;
          form.weights = f.get("model.weights.bin") as File;
          return new Response(null, { status: 200 });
        },
      }),
    );
    return { json: form.json!, weights: form.weights! };
  }

  it("loads model.json and the weight files a user picked", async () => {
    const model = mlp();
    const { json, weights } = await files(model);
    const loaded = await tf.keras.models.loadModel(tf.io.browserFiles([json, weights]));
    await samePredictions(model, loaded);
    model.dispose();
    loaded.dispose();
  });

  it("names missing, extra and duplicate files", async () => {
    const model = mlp();
    const { json, weights } = await files(model);
    await expect(tf.keras.models.loadModel(tf.io.browserFiles([json]))).rejects.toThrow(/weight file\(s\) "model\.weights\.bin" named in "model\.json" were not provided/);
    const extra = new File([new Uint8Array(4)], "other.bin");
    await expect(tf.keras.models.loadModel(tf.io.browserFiles([json, weights, extra]))).rejects.toThrow(/not in the manifest: "other\.bin"/);
    await expect(tf.keras.models.loadModel(tf.io.browserFiles([json, weights, weights]))).rejects.toThrow(/two weight files are named "model\.weights\.bin"/);
    const notJson = new File(["hello"], "model.json");
    await expect(tf.keras.models.loadModel(tf.io.browserFiles([notJson, weights]))).rejects.toThrow(/model\.json is not valid JSON/);
    expect(() => tf.io.browserFiles([])).toThrow(/at least 1 file is required/);
    expect(() => tf.io.browserFiles(["model.json"] as never)).toThrow(/item 0 is not a File/);
    model.dispose();
  });
});
