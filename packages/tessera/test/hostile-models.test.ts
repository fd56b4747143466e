/**
 * Hostile model files (issue 16): the corpus in fixtures/hostile (made by make-hostile-fixtures.py)
 * holds model.json directories and .npy files that each attack the loaders one way; every one must
 * be refused with an error naming what is wrong, before any weight buffer exists, leaving no tensor
 * behind. File-system attacks that cannot be committed (symlinks out of the directory, pipes,
 * devices) are built in a temporary directory; HTTP ones run against a recording fetch.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

const corpus = fileURLToPath(new URL("./fixtures/hostile/", import.meta.url));
interface Case {
  model?: string;
  npy?: string;
  error: string;
  options?: { maxWeightBytes?: number };
}
const cases = (JSON.parse(readFileSync(join(corpus, "cases.json"), "utf8")) as { cases: Case[] }).cases;
const modelCases = cases.filter((c): c is Case & { model: string } => c.model !== undefined);
const npyCases = cases.filter((c): c is Case & { npy: string } => c.npy !== undefined);

let tmp = "";
beforeAll(async () => {
  await tf.setBackend("js");
  tmp = mkdtempSync(join(tmpdir(), "tessera-hostile-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let before = { numTensors: 0, numBytes: 0 };
beforeEach(() => {
  tf.keras.backend.clearSession();
  before = { numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes };
});
afterEach(() => {
  expect(tf.memory().numTensors, "a refused load left tensors behind").toBe(before.numTensors);
  expect(tf.memory().numBytes, "a refused load left bytes allocated").toBe(before.numBytes);
  expect(({} as Record<string, unknown>)["polluted"], "Object.prototype was polluted").toBeUndefined();
});

/** The bytes of the corpus's valid weight file. */
const weights = () => readFileSync(join(corpus, "models", "path-traversal", "..", "..", "secret.bin"));

/** A copy of a valid tiny model (model.json + weights.bin) in a fresh temporary directory. */
function validModelDir(name: string, paths: string[] = ["weights.bin"]): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const json = JSON.parse(readFileSync(join(corpus, "models", "truncated-weights", "model.json"), "utf8")) as { weightsManifest: { paths: string[] }[] };
  json.weightsManifest[0]!.paths = paths;
  writeFileSync(join(dir, "model.json"), JSON.stringify(json));
  writeFileSync(join(dir, "weights.bin"), weights());
  return dir;
}

describe("the hostile model.json corpus", () => {
  it("has a valid baseline: the corpus's model loads when nothing is wrong", async () => {
    const model = await tf.keras.models.loadModel(validModelDir("baseline"));
    expect(model.weights.map((w) => w.shape)).toEqual([[3, 2], [2]]);
    model.dispose();
  });

  for (const c of modelCases) {
    it(`refuses ${c.model}`, async () => {
      const started = performance.now();
      await expect(tf.keras.models.loadModel(join(corpus, "models", c.model), c.options ?? {})).rejects.toThrow(new RegExp(c.error));
      // Refused before building or reading anything large (the 30000×30000 Dense took 83 s before).
      expect(performance.now() - started).toBeLessThan(5000);
    });
  }

  it("refuses each case as an error the caller can catch by class (ValueError or NotImplementedError)", async () => {
    for (const c of modelCases) {
      const err = await tf.keras.models.loadModel(join(corpus, "models", c.model), c.options ?? {}).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err instanceof tf.errors.ValueError || err instanceof tf.errors.NotImplementedError, `${c.model}: ${String(err)}`).toBe(true);
    }
  });

  it("applies the same checks to in-memory artifacts (an IOHandler)", async () => {
    const json = JSON.parse(readFileSync(join(corpus, "models", "huge-declared-shape", "model.json"), "utf8")) as { modelTopology: Record<string, unknown>; weightsManifest: { weights: tf.keras.WeightSpec[] }[] };
    const handler = { load: async () => ({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: new ArrayBuffer(32) }) };
    await expect(tf.keras.models.loadModel(handler)).rejects.toThrow(/weight "dense\/kernel" declares shape \[1000000000, 1000000000\]/);
    const ok = { load: async () => ({ modelTopology: json.modelTopology, weightSpecs: [], weightData: new ArrayBuffer(0) }) };
    await expect(tf.keras.models.loadModel(ok)).rejects.toThrow(/The weight files lack 2 weight\(s\) of the model: dense\/kernel, dense\/bias/);
    await expect(tf.keras.models.loadModel(handler, { maxWeightBytes: -1 })).rejects.toThrow(/maxWeightBytes must be a non-negative safe integer, got -1/);
    const view = { load: async () => ({ modelTopology: json.modelTopology, weightSpecs: [], weightData: new Uint8Array(0) as unknown as ArrayBuffer }) };
    await expect(tf.keras.models.loadModel(view)).rejects.toThrow(/The weight data must be an ArrayBuffer, got object/);
  });
});

describe("loading is linear in the number of layers", () => {
  /** A Sequential config of `n` Flatten layers after an InputLayer. */
  const deep = (n: number) => {
    const layers: unknown[] = [{ class_name: "InputLayer", config: { batch_input_shape: [null, 2], name: "in" } }];
    for (let i = 0; i < n; i++) layers.push({ class_name: "Flatten", config: { name: `f${i}` } });
    return { class_name: "Sequential", config: { name: "deep", layers } };
  };
  const load = (n: number) => tf.keras.models.loadModel({ load: async () => ({ modelTopology: deep(n), weightSpecs: [], weightData: new ArrayBuffer(0) }) });

  /**
   * Elements that array scans (some, find, includes, indexOf, filter, map, slice…) and layer-tree
   * walks visit while loading and reading the weights of an `n`-layer model: a step that scans what
   * was loaded so far for each new layer (the 10.8 s quadratic load of 20,000 layers did) makes it
   * grow with n². Counting work instead of timing it keeps the test exact on a busy machine (the
   * project runs no timed unit tests).
   */
  async function work(n: number): Promise<number> {
    const proto = Array.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    const names = ["some", "every", "find", "findIndex", "includes", "indexOf", "lastIndexOf", "filter", "map", "forEach", "reduce", "slice", "flatMap", "join"];
    const saved = names.map((k) => proto[k]!);
    let visited = 0;
    const collect = tf.keras.layers.Layer.prototype._collectVariables;
    names.forEach((k, i) => {
      const orig = saved[i]!;
      proto[k] = function (this: unknown[], ...args: unknown[]) {
        visited += this.length;
        return orig.apply(this, args);
      };
    });
    tf.keras.layers.Layer.prototype._collectVariables = function (this: tf.keras.layers.Layer, ...args: Parameters<typeof collect>) {
      visited++;
      return collect.apply(this, args);
    };
    let model: tf.keras.Model | undefined;
    try {
      model = await load(n);
      void model.weights;
    } finally {
      names.forEach((k, i) => (proto[k] = saved[i]!));
      tf.keras.layers.Layer.prototype._collectVariables = collect;
    }
    expect(model.layers).toHaveLength(n);
    model.dispose();
    return visited;
  }

  it("does proportional work for 1,000 and 4,000 Flatten layers (no step is quadratic)", async () => {
    const small = await work(1000);
    tf.keras.backend.clearSession();
    const large = await work(4000);
    // Linear: about 4x (plus a constant); quadratic steps would make it 16x.
    expect(large / small).toBeGreaterThan(3);
    expect(large / small).toBeLessThan(5);
  }, 120_000);

  it("loads a Sequential config of 20,000 Flatten layers", async () => {
    const model = await load(20000);
    expect(model.layers).toHaveLength(20000);
    expect(model.weights).toEqual([]);
    model.dispose();
  }, 120_000);
});

describe("Keras files (.keras, .h5)", () => {
  it("bound the weights a config may create by maxWeightBytes before initialising them", async () => {
    const model = new tf.keras.Sequential([new tf.keras.layers.Dense(2, { inputShape: [3] })]);
    const file = join(tmp, "tiny.keras");
    await model.save(file);
    model.dispose();
    await expect(tf.keras.models.loadModel(file, { maxWeightBytes: 16 })).rejects.toThrow(/asks for weight "kernel" of shape \(3, 2\) \(6 elements\), but maxWeightBytes \(16 bytes\) allows at most 4 float32 elements/);
    const loaded = await tf.keras.models.loadModel(file);
    loaded.dispose();
  });

  it("refuse a pipe instead of waiting on it", async () => {
    const p = join(tmp, "pipe.keras");
    expect(spawnSync("mkfifo", [p]).status).toBe(0);
    await expect(tf.keras.models.loadModel(p)).rejects.toThrow(/pipe\.keras is not a regular file/);
  });
});

describe("weight files on disk stay inside the model's directory", () => {
  it("refuses a symlink that leads out of the directory, even to a file of the right size", async () => {
    const dir = validModelDir("symlink-out", ["link.bin"]);
    symlinkSync(join(corpus, "secret.bin"), join(dir, "link.bin"));
    await expect(tf.keras.models.loadModel(dir)).rejects.toThrow(/Weight file "link\.bin" listed in .*model\.json resolves to .*secret\.bin, outside the model's directory/);
  });

  it("follows a symlink that stays inside the directory", async () => {
    const dir = validModelDir("symlink-in", ["sub/link.bin"]);
    mkdirSync(join(dir, "sub"));
    symlinkSync(join(dir, "weights.bin"), join(dir, "sub", "link.bin"));
    const model = await tf.keras.models.loadModel(dir);
    model.dispose();
  });

  it("refuses a device (a symlink to /dev/zero inside the directory) without reading it", async () => {
    const dir = validModelDir("dev-zero", ["zero.bin"]);
    symlinkSync("/dev/zero", join(dir, "zero.bin"));
    await expect(tf.keras.models.loadModel(dir)).rejects.toThrow(/resolves to \/dev\/zero, outside the model's directory/);
  });

  it("refuses a named pipe as a weight file and as model.json, without hanging", async () => {
    const dir = validModelDir("fifo", ["pipe.bin"]);
    expect(spawnSync("mkfifo", [join(dir, "pipe.bin")]).status).toBe(0);
    await expect(tf.keras.models.loadModel(dir)).rejects.toThrow(/Weight file "pipe\.bin" .* is not a regular file/);
    const jsonDir = join(tmp, "fifo-json");
    mkdirSync(jsonDir);
    expect(spawnSync("mkfifo", [join(jsonDir, "model.json")]).status).toBe(0);
    await expect(tf.keras.models.loadModel(jsonDir)).rejects.toThrow(/The model file .*model\.json is not a regular file/);
  });

  it("refuses a directory named as a weight file", async () => {
    const dir = validModelDir("dir-weight", ["sub"]);
    mkdirSync(join(dir, "sub"));
    await expect(tf.keras.models.loadModel(dir)).rejects.toThrow(/Weight file "sub" .* is not a regular file/);
  });

  it("reads weights split over several files, in manifest order, and normalises ./ and //", async () => {
    const dir = validModelDir("shards", ["./a.bin", "sub//b.bin"]);
    mkdirSync(join(dir, "sub"));
    const w = weights();
    writeFileSync(join(dir, "a.bin"), w.subarray(0, 20));
    writeFileSync(join(dir, "sub", "b.bin"), w.subarray(20));
    const model = await tf.keras.models.loadModel(dir);
    expect(Array.from(model.weights[1]!.dataSync() as Float32Array)).toEqual([0.10000000149011612, 0.20000000298023224]);
    model.dispose();
    // A shard longer than what the manifest still expects is refused before it is read.
    writeFileSync(join(dir, "a.bin"), Buffer.concat([w, w]));
    await expect(tf.keras.models.loadModel(dir)).rejects.toThrow(/Weight file "a\.bin" .* has 64 bytes, more than the 32 expected/);
  });

  it("loads a copy of the corpus model only from its own directory (the traversal target is never read)", async () => {
    const dir = join(tmp, "copy");
    cpSync(join(corpus, "models", "path-traversal"), dir, { recursive: true });
    writeFileSync(join(tmp, "secret.bin"), weights());
    await expect(tf.keras.models.loadModel(dir)).rejects.toThrow(/'\.\.' component/);
  });
});

interface Reply {
  status: number;
  body: string | ArrayBuffer;
  headers?: Record<string, string>;
  stream?: boolean;
}

function recordingFetch(reply: (url: string) => Reply) {
  const calls: string[] = [];
  let bodyBytesRead = 0;
  const fetchFunc: tf.io.FetchFunction = async (url) => {
    calls.push(url);
    const r = reply(url);
    const bytes = typeof r.body === "string" ? new TextEncoder().encode(r.body) : new Uint8Array(r.body);
    const chunks = r.stream ? Array.from({ length: Math.ceil(bytes.length / 16) }, (_, i) => bytes.subarray(16 * i, 16 * i + 16)) : null;
    return {
      ok: r.status < 400,
      status: r.status,
      headers: { get: (k: string) => r.headers?.[k.toLowerCase()] ?? null },
      body: chunks
        ? {
            getReader: () => ({
              read: async () => {
                const value = chunks.shift();
                if (value) bodyBytesRead += value.length;
                return value ? { done: false, value } : { done: true };
              },
              cancel: async () => undefined,
            }),
          }
        : null,
      text: async () => new TextDecoder().decode(bytes),
      arrayBuffer: async () => {
        bodyBytesRead += bytes.length;
        return bytes.slice().buffer;
      },
    };
  };
  return { calls, fetchFunc, bodyBytesRead: () => bodyBytesRead };
}

describe("weight files over HTTP come from the model's own origin and directory", () => {
  const modelText = (paths: string[]) => {
    const json = JSON.parse(readFileSync(join(corpus, "models", "truncated-weights", "model.json"), "utf8")) as { weightsManifest: { paths: string[] }[] };
    json.weightsManifest[0]!.paths = paths;
    return JSON.stringify(json);
  };
  const w = () => new Uint8Array(weights()).buffer;

  for (const [path, why] of [
    ["https://evil.test/w.bin", /refused because it is an absolute URL/],
    ["//evil.test/w.bin", /refused because it is an absolute path/],
    ["/other/w.bin", /refused because it is an absolute path/],
    ["../w.bin", /refused because it has a '\.\.' component/],
    ["%2e%2e/w.bin", /refused because it holds a percent-encoded/],
    ["data:application/octet-stream;base64,AAAA", /refused because it is an absolute URL/],
  ] as const) {
    it(`refuses ${path} without fetching it`, async () => {
      const { calls, fetchFunc } = recordingFetch(() => ({ status: 200, body: modelText([path]) }));
      await expect(tf.keras.models.loadModel(tf.io.http("https://models.test/m/model.json", { fetchFunc }))).rejects.toThrow(why);
      expect(calls).toEqual(["https://models.test/m/model.json"]);
    });
  }

  it("fetches relative paths inside the model's directory", async () => {
    const { calls, fetchFunc } = recordingFetch((u) => (u.includes("model.json") ? { status: 200, body: modelText(["./sub/w.bin"]) } : { status: 200, body: w() }));
    const model = await tf.keras.models.loadModel(tf.io.http("https://models.test/m/model.json?v=1", { fetchFunc }));
    expect(calls).toEqual(["https://models.test/m/model.json?v=1", "https://models.test/m/sub/w.bin"]);
    model.dispose();
  });

  it("checks the manifest before fetching any weight file", async () => {
    const text = readFileSync(join(corpus, "models", "huge-declared-shape", "model.json"), "utf8");
    const { calls, fetchFunc } = recordingFetch(() => ({ status: 200, body: text }));
    await expect(tf.keras.models.loadModel(tf.io.http("https://models.test/m/model.json", { fetchFunc }))).rejects.toThrow(/declares shape \[1000000000, 1000000000\]/);
    expect(calls).toHaveLength(1);
  });

  it("refuses a weight file whose content-length exceeds the manifest, before reading its body", async () => {
    const f = recordingFetch((u) => (u.endsWith("model.json") ? { status: 200, body: modelText(["w.bin"]) } : { status: 200, body: w(), headers: { "content-length": "1000000000" } }));
    await expect(tf.keras.models.loadModel(tf.io.http("https://models.test/m/model.json", { fetchFunc: f.fetchFunc }))).rejects.toThrow(/has 1000000000 bytes \(content-length\), more than the 32 expected/);
    // Only model.json's body was read.
    expect(f.bodyBytesRead()).toBe(new TextEncoder().encode(modelText(["w.bin"])).length);
  });

  it("stops reading a streamed weight file once it passes the declared size", async () => {
    const big = new Uint8Array(4096).buffer;
    const f = recordingFetch((u) => (u.endsWith("model.json") ? { status: 200, body: modelText(["w.bin"]) } : { status: 200, body: big, stream: true }));
    const modelBytes = new TextEncoder().encode(modelText(["w.bin"])).length;
    await expect(tf.keras.models.loadModel(tf.io.http("https://models.test/m/model.json", { fetchFunc: f.fetchFunc }))).rejects.toThrow(/has more than the 32 bytes expected; stopped reading it/);
    expect(f.bodyBytesRead() - modelBytes).toBeLessThanOrEqual(48);
  });

  it("lets the caller choose other locations explicitly (weightUrlConverter, weightPathPrefix)", async () => {
    const f = recordingFetch((u) => (u.endsWith("model.json") ? { status: 200, body: modelText(["https://cdn.test/w.bin"]) } : { status: 200, body: w() }));
    const a = await tf.keras.models.loadModel(tf.io.http("https://models.test/m/model.json", { fetchFunc: f.fetchFunc, weightUrlConverter: async (p) => p }));
    a.dispose();
    const g = recordingFetch((u) => (u.endsWith("model.json") ? { status: 200, body: modelText(["w.bin"]) } : { status: 200, body: w() }));
    const b = await tf.keras.models.loadModel(tf.io.http("https://models.test/m/model.json", { fetchFunc: g.fetchFunc, weightPathPrefix: "https://cdn.test/weights/" }));
    b.dispose();
    expect([...f.calls, ...g.calls].filter((u) => !u.endsWith("model.json"))).toEqual(["https://cdn.test/w.bin", "https://cdn.test/weights/w.bin"]);
    // A prefix does not make the manifest's own '..' acceptable.
    const h = recordingFetch(() => ({ status: 200, body: modelText(["../w.bin"]) }));
    await expect(tf.keras.models.loadModel(tf.io.http("https://models.test/m/model.json", { fetchFunc: h.fetchFunc, weightPathPrefix: "https://cdn.test/weights/" }))).rejects.toThrow(/'\.\.' component/);
  });
});

describe("user-picked files (tf.io.browserFiles) follow the same rules", () => {
  const file = (name: string, bytes: Uint8Array | string) => new File([bytes], name);
  it("refuses traversal and oversized files before reading them", async () => {
    const traversal = readFileSync(join(corpus, "models", "path-traversal", "model.json"), "utf8");
    await expect(tf.keras.models.loadModel(tf.io.browserFiles([file("model.json", traversal), file("secret.bin", weights())]))).rejects.toThrow(/'\.\.' component/);
    const ok = readFileSync(join(corpus, "models", "truncated-weights", "model.json"), "utf8");
    await expect(tf.keras.models.loadModel(tf.io.browserFiles([file("model.json", ok), file("weights.bin", new Uint8Array(1 << 16))]))).rejects.toThrow(/weight file "weights\.bin" has 65536 bytes, more than the 32/);
  });
});

describe("the hostile .npy corpus", () => {
  for (const c of npyCases) {
    it(`refuses ${c.npy}`, async () => {
      const bytes = readFileSync(join(corpus, "npy", c.npy));
      expect(() => tf.io.decodeNpy(bytes)).toThrow(new RegExp(c.error));
      await expect(tf.io.loadNpy(join(corpus, "npy", c.npy))).rejects.toThrow(new RegExp(c.error));
    });
  }

  it("refuses a pipe given to loadNpy without hanging", async () => {
    const p = join(tmp, "pipe.npy");
    expect(spawnSync("mkfifo", [p]).status).toBe(0);
    await expect(tf.io.loadNpy(p)).rejects.toThrow(/pipe\.npy is not a regular file/);
  });
});
