/**
 * Model management across browser stores (TensorFlow.js's `tf.io.listModels`, `copyModel`,
 * `moveModel`, `removeModel`), for `localstorage://` and `indexeddb://`, with TensorFlow.js's
 * storage layouts, so models either library saved are listed, copied, moved and removed alike.
 */
import { NotImplementedError, ValueError } from "../errors.js";
import { handlerFor } from "../keras/model-io.js";
import type { ModelArtifactsInfo } from "./indexeddb.js";
import { listIndexedDBModels, removeIndexedDBModel } from "./indexeddb.js";

// TensorFlow.js's localStorage layout: `tensorflowjs_models/<path>/<suffix>`.
const LS_PREFIX = "tensorflowjs_models/";
const LS_SUFFIXES = ["info", "model_topology", "weight_specs", "weight_data", "model_metadata"] as const;

interface StorageLike {
  readonly length: number;
  key(i: number): string | null;
  getItem(k: string): string | null;
  removeItem(k: string): void;
}

function localStorageOf(): StorageLike {
  const ls = (globalThis as { localStorage?: StorageLike }).localStorage;
  if (!ls) throw new NotImplementedError("localstorage:// needs window.localStorage (a browser page)");
  return ls;
}

function parseInfo(text: string | null, path: string): ModelArtifactsInfo {
  try {
    const v: unknown = JSON.parse(text ?? "");
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as ModelArtifactsInfo;
  } catch {
    // reported below
  }
  throw new ValueError(`In local storage, the info of model '${path}' is corrupt`);
}

const SCHEMES = ["localstorage", "indexeddb"] as const;
type Scheme = (typeof SCHEMES)[number];

interface Store {
  list(): Promise<Record<string, ModelArtifactsInfo>>;
  remove(path: string): Promise<ModelArtifactsInfo>;
}

const STORES: Record<Scheme, Store> = {
  localstorage: {
    async list() {
      const ls = localStorageOf();
      const out: Record<string, ModelArtifactsInfo> = {};
      for (let i = 0; i < ls.length; i++) {
        const key = ls.key(i);
        if (key === null || !key.startsWith(LS_PREFIX) || !key.endsWith("/info")) continue;
        const path = key.slice(LS_PREFIX.length, -"/info".length);
        if (path === "") continue;
        Object.defineProperty(out, path, { value: parseInfo(ls.getItem(key), path), enumerable: true, configurable: true, writable: true });
      }
      return out;
    },
    async remove(path) {
      const ls = localStorageOf();
      const infoKey = `${LS_PREFIX}${path}/info`;
      const text = ls.getItem(infoKey);
      if (text === null) throw new ValueError(`Cannot find model at path '${path}' in local storage`);
      const result = parseInfo(text, path);
      for (const s of LS_SUFFIXES) ls.removeItem(`${LS_PREFIX}${path}/${s}`);
      return result;
    },
  },
  indexeddb: { list: listIndexedDBModels, remove: removeIndexedDBModel },
};

function parseURL(url: unknown, what: string): { scheme: Scheme; path: string } {
  if (typeof url !== "string") throw new ValueError(`${what} must be a string like "indexeddb://my-model", got ${JSON.stringify(url)}`);
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is.exec(url);
  if (!m) throw new ValueError(`The url string provided does not contain a scheme. Supported schemes are: ${SCHEMES.map((s) => `${s}://`).join(", ")} (got "${url}")`);
  const scheme = m[1]!.toLowerCase();
  if (!(SCHEMES as readonly string[]).includes(scheme)) {
    throw new NotImplementedError(`Cannot find model manager for scheme '${scheme}' (model management works on ${SCHEMES.map((s) => `${s}://`).join(" and ")})`);
  }
  const path = m[2]!;
  if (path === "") throw new ValueError(`${what} "${url}" names no model`);
  return { scheme: scheme as Scheme, path };
}

/**
 * Lists the models saved in the browser's localStorage and IndexedDB (by Tessera or TensorFlow.js):
 * `{ "indexeddb://my-model": { dateSaved, modelTopologyBytes, weightDataBytes, ... }, ... }`.
 * A store the environment lacks is skipped.
 */
export async function listModels(): Promise<Record<string, ModelArtifactsInfo>> {
  const out: Record<string, ModelArtifactsInfo> = {};
  for (const scheme of SCHEMES) {
    let models: Record<string, ModelArtifactsInfo>;
    try {
      models = await STORES[scheme].list();
    } catch (err) {
      if (err instanceof NotImplementedError) continue;
      throw err;
    }
    for (const [path, value] of Object.entries(models)) {
      Object.defineProperty(out, `${scheme}://${path}`, { value, enumerable: true, configurable: true, writable: true });
    }
  }
  return out;
}

/** Removes a saved model (`"localstorage://name"` or `"indexeddb://name"`) and returns its info. */
export async function removeModel(url: string): Promise<ModelArtifactsInfo> {
  const { scheme, path } = parseURL(url, "removeModel's url");
  return STORES[scheme].remove(path);
}

async function transfer(sourceURL: string, destURL: string, move: boolean): Promise<ModelArtifactsInfo> {
  const op = move ? "moveModel" : "copyModel";
  const src = parseURL(sourceURL, `${op}'s sourceURL`);
  const dst = parseURL(destURL, `${op}'s destURL`);
  if (src.scheme === dst.scheme && src.path === dst.path) {
    throw new ValueError(`${op}: the source and destination are the same model ("${sourceURL}")`);
  }
  const artifacts = await handlerFor(`${src.scheme}://${src.path}`, "load").load!();
  const result = (await handlerFor(`${dst.scheme}://${dst.path}`, "save").save!(artifacts)) as { modelArtifactsInfo: ModelArtifactsInfo };
  if (move) await STORES[src.scheme].remove(src.path);
  return result.modelArtifactsInfo;
}

/**
 * Copies a saved model to another place, within a store or across `localstorage://` and
 * `indexeddb://`, and returns the copy's info. The destination is overwritten.
 */
export function copyModel(sourceURL: string, destURL: string): Promise<ModelArtifactsInfo> {
  return transfer(sourceURL, destURL, false);
}

/** Moves a saved model (a copy, then the source removed once the copy is saved). */
export function moveModel(sourceURL: string, destURL: string): Promise<ModelArtifactsInfo> {
  return transfer(sourceURL, destURL, true);
}
