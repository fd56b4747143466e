/**
 * Where models are saved and loaded: `model.save(dest)` and `tf.keras.models.loadModel(source)`.
 *
 * - Node: a directory (`"path"` or `"file://path"`) holding `model.json` and `group1-shard*of*.bin`
 *   (4 MiB shards, as TensorFlow.js's converter writes them); loading also accepts the path of a
 *   `model.json` file.
 * - Browsers: `localstorage://name` and `indexeddb://name` (TensorFlow.js's layouts, so either
 *   library reads the other's models), `downloads://name` (save only: `name.json` +
 *   `name.weights.bin`), and `http(s)://…` (load with fetch, save by POST; io/http.ts).
 * - Keras's own files: `.keras` archives (save and load) and Keras 2 `.h5` files (load), in
 *   keras-format/.
 * - Any object with `save(artifacts)` / `load()` (TensorFlow.js's IOHandler shape).
 */
import { NotImplementedError, ValueError } from "../errors.js";
import { http } from "../io/http.js";
import { browserIndexedDB } from "../io/indexeddb.js";
import { manifestPaths } from "../io/manifest-paths.js";
import { confinedReader, loadNodeModules, nodeReadModules, readModelFile } from "../io/node-files.js";
import { checkOptions, optionKeys } from "../options.js";
import type { ModelBytes } from "./keras-format/keras-io.js";
import { isModelBytes, kerasExtension, loadKerasModel, saveKerasModel } from "./keras-format/keras-io.js";
import type { KerasTensor } from "./keras-tensor.js";
import type { Model, SaveOptions, SymbolicOutputs } from "./model.js";
import { modelSaving } from "./model.js";
import type { LoadOptions, ModelArtifacts, WeightSpec } from "./serialization.js";
import type { TrainingConfig } from "./training-config.js";
import { modelFromArtifacts, modelToArtifacts } from "./serialization.js";
import { checkWeightSpecs, DEFAULT_MAX_WEIGHT_BYTES, maxWeightBytesOption } from "./weight-specs.js";

const LOAD_KEYS = optionKeys<LoadOptions>()("customObjects", "maxWeightBytes", "compile");
const SAVE_KEYS = optionKeys<SaveOptions>()("includeOptimizer");

/** What a save reports (TensorFlow.js's SaveResult). */
export interface SaveResult {
  modelArtifactsInfo: {
    dateSaved: Date;
    modelTopologyType: "JSON";
    modelTopologyBytes: number;
    weightSpecsBytes: number;
    weightDataBytes: number;
  };
  /** Files written (Node directories). */
  paths?: string[];
}

/** A destination/source of model artifacts (TensorFlow.js's IOHandler shape). */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<SaveResult | unknown>;
  load?(): Promise<ModelArtifacts>;
}

/** One group of the `weightsManifest` in `model.json`. */
export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** The `model.json` file. */
export interface ModelJSON {
  modelTopology: Record<string, unknown>;
  weightsManifest: WeightsManifestGroup[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  userDefinedMetadata?: Record<string, unknown>;
  /** The training config of a model saved with `includeOptimizer` (TensorFlow.js writes it here too). */
  trainingConfig?: TrainingConfig;
}

const SHARD_BYTES = 4 * 1024 * 1024;
const utf8 = new TextEncoder();

/** The `modelArtifactsInfo` of a save (sizes of the JSON parts and the weights). */
export function info(a: ModelArtifacts): SaveResult["modelArtifactsInfo"] {
  return {
    dateSaved: new Date(),
    modelTopologyType: "JSON",
    modelTopologyBytes: utf8.encode(JSON.stringify(a.modelTopology)).length,
    weightSpecsBytes: utf8.encode(JSON.stringify(a.weightSpecs)).length,
    weightDataBytes: a.weightData.byteLength,
  };
}

/** The `model.json` of `a`, its weights in the files `paths`. */
export function modelJSON(a: ModelArtifacts, paths: string[]): ModelJSON {
  return {
    modelTopology: a.modelTopology,
    format: a.format ?? "layers-model",
    generatedBy: a.generatedBy ?? "Tessera",
    convertedBy: a.convertedBy ?? null,
    ...(a.userDefinedMetadata ? { userDefinedMetadata: a.userDefinedMetadata } : {}),
    ...(a.trainingConfig ? { trainingConfig: a.trainingConfig } : {}),
    weightsManifest: [{ paths, weights: a.weightSpecs }],
  };
}

/** Validates a parsed `model.json` and returns its parts; `where` names the source in errors. */
export function parseModelJSON(text: string, where: string): ModelJSON {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ValueError(`${where} is not valid JSON (${err instanceof Error ? err.message : String(err)}); it is not a model.json or it is corrupt`);
  }
  const j = json as Partial<ModelJSON> | null;
  if (!j || typeof j !== "object" || !j.modelTopology || typeof j.modelTopology !== "object") {
    throw new ValueError(`${where} has no modelTopology: it is not a TensorFlow.js layers model (a graph model, or another JSON file?)`);
  }
  const manifest = j.weightsManifest ?? [];
  if (!Array.isArray(manifest) || manifest.some((g) => !g || !Array.isArray(g.paths) || !Array.isArray(g.weights))) {
    throw new ValueError(`${where} has an invalid weightsManifest (expected [{ paths: [...], weights: [...] }])`);
  }
  return { ...(j as ModelJSON), weightsManifest: manifest };
}

/** Largest model.json read (real ones are kilobytes to a few MB). */
export const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

function rawPaths(groups: readonly WeightsManifestGroup[], where: string): string[] {
  return groups.flatMap((g) =>
    g.paths.map((p: unknown) => {
      if (typeof p !== "string" || p === "") throw new ValueError(`The weights manifest of ${where} lists an invalid weight file path ${JSON.stringify(p)}`);
      return p;
    }),
  );
}

/** Reads one weight file (a normalised manifest path), returning at most `maxBytes` bytes or throwing. */
export type WeightFileReader = (path: string, maxBytes: number) => Promise<Uint8Array>;

/**
 * Artifacts from a parsed model.json and a reader of the files its manifest names. Before any file is
 * read, every weight spec is checked and the bytes they declare are added up (at most `maxBytes`),
 * and every path is checked to be relative and inside the model's directory; each file is then read
 * up to the bytes still expected, and the files together must hold exactly the declared bytes.
 * `callerMapsPaths` (an HTTP `weightUrlConverter` given) passes the manifest's paths unchecked, as
 * strings, to a reader that maps them itself.
 */
export async function artifactsFrom(json: ModelJSON, read: WeightFileReader, where = "model.json", maxBytes: number = DEFAULT_MAX_WEIGHT_BYTES, callerMapsPaths = false): Promise<ModelArtifacts> {
  const specs: WeightSpec[] = [];
  for (const group of json.weightsManifest) specs.push(...group.weights);
  const { bytes: total } = checkWeightSpecs(specs, where, maxBytes);
  const paths = callerMapsPaths ? rawPaths(json.weightsManifest, where) : manifestPaths(json.weightsManifest, where);
  if (paths.length === 0 && total > 0) throw new ValueError(`${where}: the weights manifest declares ${total} bytes of weights but lists no weight file`);
  // The parts are kept as read (memory in proportion to the bytes actually delivered) and joined
  // only once they add up: a manifest declaring much more than its files hold allocates nothing.
  const parts: Uint8Array[] = [];
  let off = 0;
  for (const p of paths) {
    const part = await read(p, total - off);
    if (part.length > total - off) {
      throw new ValueError(`${where}: weight file ${JSON.stringify(p)} holds ${part.length} bytes, but only ${total - off} of the ${total} bytes the manifest declares remain`);
    }
    parts.push(part);
    off += part.length;
  }
  if (off !== total) {
    throw new ValueError(`${where}: the weight files hold ${off} bytes, but the manifest declares ${total} bytes (${specs.length} weights): the files are truncated, corrupt or do not belong to this model.json`);
  }
  let data: Uint8Array;
  if (parts.length === 1 && parts[0]!.byteOffset === 0 && parts[0]!.byteLength === parts[0]!.buffer.byteLength && Object.prototype.toString.call(parts[0]!.buffer) === "[object ArrayBuffer]") {
    data = parts[0]!;
  } else {
    data = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
      data.set(part, at);
      at += part.length;
    }
  }
  return {
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData: data.buffer as ArrayBuffer,
    ...(json.format !== undefined ? { format: json.format } : {}),
    ...(json.generatedBy !== undefined ? { generatedBy: json.generatedBy } : {}),
    ...(json.convertedBy !== undefined ? { convertedBy: json.convertedBy } : {}),
    ...(json.trainingConfig !== undefined && json.trainingConfig !== null ? { trainingConfig: json.trainingConfig } : {}),
  };
}

// ---------------------------------------------------------------- Node files

interface NodeFs {
  readFile(p: string): Promise<Uint8Array>;
  writeFile(p: string, data: Uint8Array | string): Promise<void>;
  mkdir(p: string, o: { recursive: boolean }): Promise<unknown>;
}
interface NodePath {
  join(...p: string[]): string;
  dirname(p: string): string;
  resolve(...p: string[]): string;
}

/** Node's fs and path modules, or a NotImplementedError naming `what` outside Node. */
export function nodeModules(what: string): Promise<{ fs: NodeFs; path: NodePath }> {
  return loadNodeModules<NodeFs, NodePath>(what, "in a browser use localstorage://name, downloads://name (save) or an http(s) URL (load)");
}

function stripFileScheme(p: string): string {
  return p.startsWith("file://") ? p.slice("file://".length) : p;
}

/** Options of the Node file handler's load. */
export interface FileLoadOptions {
  /** Most weight bytes the manifest may declare (default `DEFAULT_MAX_WEIGHT_BYTES`, 2 GiB − 1). */
  maxWeightBytes?: number;
}

/** Saves into a directory (`model.json` + shards), or to a `.json` path with shards beside it. */
export function fileHandler(location: string, options: FileLoadOptions = {}): IOHandler {
  const loc = stripFileScheme(location);
  const maxBytes = maxWeightBytesOption(options.maxWeightBytes, "loadModel");
  if (!loc) throw new ValueError("A file path is required to save or load a model");
  return {
    async save(a) {
      const { fs, path } = await nodeModules("model.save");
      const isJson = loc.toLowerCase().endsWith(".json");
      const dir = isJson ? path.dirname(loc) : loc;
      const jsonPath = isJson ? loc : path.join(loc, "model.json");
      await fs.mkdir(dir, { recursive: true });
      const data = new Uint8Array(a.weightData);
      const count = Math.max(1, Math.ceil(data.length / SHARD_BYTES));
      const names: string[] = [];
      // Shards first, model.json last: a model.json on disk always has its weights complete.
      for (let i = 0; i < count; i++) {
        const name = `group1-shard${i + 1}of${count}.bin`;
        await fs.writeFile(path.join(dir, name), data.subarray(i * SHARD_BYTES, Math.min(data.length, (i + 1) * SHARD_BYTES)));
        names.push(name);
      }
      await fs.writeFile(jsonPath, JSON.stringify(modelJSON(a, names)));
      return { modelArtifactsInfo: info(a), paths: [jsonPath, ...names.map((n) => path.join(dir, n))] };
    },
    async load() {
      const { fs, path } = await nodeReadModules("loadModel");
      const jsonPath = loc.toLowerCase().endsWith(".json") ? loc : path.join(loc, "model.json");
      const bytes = await readModelFile(fs, path, jsonPath, MAX_MODEL_JSON_BYTES, location);
      const json = parseModelJSON(new TextDecoder().decode(bytes), jsonPath);
      const read = await confinedReader(fs, path, path.dirname(jsonPath), jsonPath);
      return artifactsFrom(json, read, jsonPath, maxBytes);
    },
  };
}

// ---------------------------------------------------------------- browsers

interface StorageLike {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
  removeItem(k: string): void;
}

function localStorageOf(): StorageLike {
  const ls = (globalThis as { localStorage?: StorageLike }).localStorage;
  if (!ls) throw new NotImplementedError("localstorage:// needs window.localStorage (a browser)");
  return ls;
}

function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s: string): ArrayBuffer {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

/** `localstorage://name`, stored under TensorFlow.js's keys (`tensorflowjs_models/<name>/…`). */
export function localStorageHandler(name: string): IOHandler {
  if (!name) throw new ValueError("localstorage:// needs a model name");
  const key = (suffix: string) => `tensorflowjs_models/${name}/${suffix}`;
  const keys = ["info", "model_topology", "weight_specs", "weight_data", "model_metadata"].map(key);
  return {
    async save(a) {
      const ls = localStorageOf();
      const i = info(a);
      try {
        ls.setItem(key("info"), JSON.stringify(i));
        ls.setItem(key("model_topology"), JSON.stringify(a.modelTopology));
        ls.setItem(key("weight_specs"), JSON.stringify(a.weightSpecs));
        ls.setItem(key("weight_data"), toBase64(a.weightData));
        ls.setItem(key("model_metadata"), JSON.stringify({ format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy, ...(a.trainingConfig ? { trainingConfig: a.trainingConfig } : {}) }));
      } catch (err) {
        for (const k of keys) ls.removeItem(k);
        throw new ValueError(`Failed to save model '${name}' to local storage (is the quota exceeded? ${i.weightDataBytes} bytes of weights)`, { cause: err });
      }
      return { modelArtifactsInfo: i };
    },
    async load() {
      const ls = localStorageOf();
      const get = (suffix: string, what: string): string => {
        const v = ls.getItem(key(suffix));
        if (v === null) throw new ValueError(suffix === "info" ? `In local storage, there is no model named '${name}'` : `In local storage, the ${what} of model '${name}' is missing`);
        return v;
      };
      get("info", "info");
      const parse = (s: string, what: string): unknown => {
        try {
          return JSON.parse(s);
        } catch {
          throw new ValueError(`In local storage, the ${what} of model '${name}' is corrupt`);
        }
      };
      const topology = parse(get("model_topology", "topology"), "topology") as Record<string, unknown>;
      const specs = parse(get("weight_specs", "weight specs"), "weight specs") as WeightSpec[];
      let data: ArrayBuffer;
      try {
        data = fromBase64(get("weight_data", "weight data"));
      } catch (err) {
        if (err instanceof ValueError) throw err;
        throw new ValueError(`In local storage, the weight data of model '${name}' is corrupt`);
      }
      const meta = ls.getItem(key("model_metadata"));
      const m = meta ? (parse(meta, "metadata") as Partial<ModelArtifacts>) : {};
      return { modelTopology: topology, weightSpecs: specs, weightData: data, ...(m.format ? { format: m.format } : {}), ...(m.generatedBy ? { generatedBy: m.generatedBy } : {}), ...(m.trainingConfig ? { trainingConfig: m.trainingConfig } : {}) };
    },
  };
}

interface BrowserDom {
  document?: { createElement(tag: string): { href: string; download: string; click(): void } };
  URL?: { createObjectURL(b: unknown): string; revokeObjectURL(u: string): void };
  Blob?: new (parts: unknown[], opts?: { type: string }) => unknown;
}

/** `downloads://name`: the browser downloads `name.json` and `name.weights.bin`. */
export function downloadsHandler(name: string): IOHandler {
  const base = name || "model";
  return {
    async save(a) {
      const g = globalThis as BrowserDom;
      if (!g.document || !g.URL || !g.Blob) throw new NotImplementedError("downloads:// needs a browser (document, Blob, URL.createObjectURL)");
      const weightsName = `${base}.weights.bin`;
      const files: [string, unknown][] = [
        [`${base}.json`, new g.Blob([JSON.stringify(modelJSON(a, [`./${weightsName}`]))], { type: "application/json" })],
        [weightsName, new g.Blob([a.weightData], { type: "application/octet-stream" })],
      ];
      for (const [file, blob] of files) {
        const url = g.URL.createObjectURL(blob);
        const link = g.document.createElement("a");
        link.download = file;
        link.href = url;
        link.click();
        g.URL.revokeObjectURL(url);
      }
      return { modelArtifactsInfo: info(a) };
    },
  };
}

/** `http(s)://…`: loads with fetch (model.json, then its weight files) and saves by POST (io/http.ts). */
export function httpHandler(url: string, options: FileLoadOptions = {}): IOHandler {
  return http(url, options.maxWeightBytes === undefined ? {} : { maxWeightBytes: options.maxWeightBytes });
}

/** The IOHandler a URL-like string names. */
export function handlerFor(location: string | IOHandler, purpose: "save" | "load", options: FileLoadOptions = {}): IOHandler {
  if (location && typeof location === "object") {
    if (typeof location[purpose] !== "function") throw new ValueError(`The IOHandler passed has no ${purpose}() method`);
    return location;
  }
  if (typeof location !== "string" || location === "") {
    throw new ValueError(`Expected a path or URL (a directory, file://…, localstorage://…, indexeddb://…, downloads://…, http(s)://…) or an IOHandler, got ${JSON.stringify(location)}`);
  }
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location);
  const scheme = m ? m[1]!.toLowerCase() : "file";
  const rest = m ? location.slice(m[0].length) : location;
  let h: IOHandler;
  switch (scheme) {
    case "file": h = fileHandler(location, options); break;
    case "localstorage": h = localStorageHandler(rest); break;
    case "downloads": h = downloadsHandler(rest); break;
    case "http": case "https": h = httpHandler(location, options); break;
    case "indexeddb": h = browserIndexedDB(rest); break;
    default:
      throw new NotImplementedError(`Unsupported model location scheme "${scheme}://" (supported: a path or file://, localstorage://, indexeddb://, downloads:// for save, http(s)://)`);
  }
  if (typeof h[purpose] !== "function") throw new NotImplementedError(`"${scheme}://" cannot be used to ${purpose} a model`);
  return h;
}

/**
 * Saves `model` (a Sequential or functional model) to `destination`; a path ending in `.keras` gets
 * Keras 3's own format. `includeOptimizer` also saves the training config and optimizer state.
 */
export async function saveModel(model: Model<SymbolicOutputs>, destination: string | IOHandler, options: SaveOptions = {}): Promise<SaveResult | unknown> {
  checkOptions("Model.save", options, SAVE_KEYS);
  const includeOptimizer = options.includeOptimizer ?? false;
  if (typeof includeOptimizer !== "boolean") throw new ValueError(`Model.save: \`includeOptimizer\` must be a boolean, got ${JSON.stringify(includeOptimizer)}`);
  if (typeof destination === "string" && kerasExtension(destination)) {
    if (includeOptimizer) throw new NotImplementedError("Model.save: `includeOptimizer` is supported in the TensorFlow.js layers format (a directory, localstorage://, indexeddb://, …), not yet in .keras archives");
    return saveKerasModel(model, destination);
  }
  const handler = handlerFor(destination, "save");
  const artifacts = await modelToArtifacts(model, includeOptimizer);
  return handler.save!(artifacts);
}

/**
 * Loads a model saved by Tessera or TensorFlow.js (layers format): a Node directory or model.json
 * path (`file://` optional), `localstorage://name`, `indexeddb://name`, an `http(s)://` URL, or an
 * IOHandler; or saved by Keras: a `.keras` archive or Keras 2 `.h5` file (path or URL), or its bytes
 * (`Uint8Array`, `ArrayBuffer`, a `Blob`/`File`). Throws (returning no model) when files are missing,
 * corrupt, or do not match the architecture. `O` types what the model returns: one tensor by default;
 * `loadModel<tf.keras.KerasTensor[]>(…)` for a model with a list of outputs.
 */
export async function loadModel<O extends SymbolicOutputs = KerasTensor>(source: string | IOHandler | ModelBytes, options: LoadOptions = {}): Promise<Model<O>> {
  checkOptions("keras.models.loadModel", options, LOAD_KEYS);
  const maxBytes = maxWeightBytesOption(options.maxWeightBytes, "keras.models.loadModel");
  if (isModelBytes(source) || (typeof source === "string" && kerasExtension(source))) return loadKerasModel(source, maxBytes) as Promise<Model<O>>;
  const handler = handlerFor(source, "load", options.maxWeightBytes === undefined ? {} : { maxWeightBytes: options.maxWeightBytes });
  const artifacts = await handler.load!();
  return modelFromArtifacts<O>(artifacts, options);
}

modelSaving.save = (model, destination, options) => saveModel(model, destination as string | IOHandler, options);
