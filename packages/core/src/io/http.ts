/**
 * `http(s)://` models (TensorFlow.js's `tf.io.http` / `browserHTTPRequest`):
 *
 * - **save** POSTs one `multipart/form-data` request with two files, as TensorFlow.js does:
 *   `model.json` (the topology and a weights manifest naming `./model.weights.bin`) and
 *   `model.weights.bin` (every weight, little-endian, in manifest order);
 * - **load** fetches `model.json`, then each weight file its manifest lists, resolved against the
 *   model.json URL. Weight files must come from the model.json's origin and directory: a manifest
 *   path must be relative without `..` (io/manifest-paths.ts), so a manifest cannot make the page or
 *   server fetch from elsewhere unless the caller says where (`weightPathPrefix`, `weightUrlConverter`).
 *   The manifest's weight specs are checked and their bytes bounded (`maxWeightBytes`) before any
 *   weight file is requested, and each response is read only up to the bytes still expected.
 */
import { NotImplementedError, ValueError } from "../errors.js";
import type { IOHandler, SaveResult } from "../keras/model-io.js";
import { artifactsFrom, info, MAX_MODEL_JSON_BYTES, modelJSON, parseModelJSON } from "../keras/model-io.js";
import { maxWeightBytesOption } from "../keras/weight-specs.js";
import type { ModelArtifacts } from "../keras/serialization.js";
import { checkOptions, optionKeys } from "../options.js";
import { readBounded } from "./bounded-body.js";
import { confinedWeightURL } from "./manifest-paths.js";

/** The parts of a fetch `Response` used here. */
export interface FetchResponse {
  ok: boolean;
  status: number;
  /** When present, `content-length` is checked before the body is read. */
  headers?: { get(name: string): string | null };
  /** When present (a web stream), the body is read chunk by chunk and abandoned once it is too long. */
  body?: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(reason?: unknown): Promise<void> } } | null;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A `fetch`-like function (`globalThis.fetch` by default). */
export type FetchFunction = (url: string, init?: Record<string, unknown>) => Promise<FetchResponse>;

/** Options of `tf.io.http(path, options)` (TensorFlow.js's `LoadOptions` for HTTP). */
export interface HTTPOptions {
  /**
   * Passed to every `fetch` (headers, credentials, `method` for saving — default `"POST"`). It must
   * not have a `body`: the save builds it.
   */
  requestInit?: Record<string, unknown>;
  /** Used instead of `globalThis.fetch`. */
  fetchFunc?: FetchFunction;
  /** Where weight files are fetched from (default: the folder of the model.json URL). */
  weightPathPrefix?: string;
  /** Maps each weight file name in the manifest (unchecked: the converter decides) to the URL to fetch. */
  weightUrlConverter?: (weightFileName: string) => Promise<string>;
  /** Most bytes of weights the manifest may declare (default `DEFAULT_MAX_WEIGHT_BYTES`, 2 GiB − 1). */
  maxWeightBytes?: number;
  /** Called with the fraction loaded (0 to 1) as weight files arrive. */
  onProgress?: (fraction: number) => void;
}

const HTTP_OPTION_KEYS = optionKeys<HTTPOptions>()("requestInit", "fetchFunc", "weightPathPrefix", "weightUrlConverter", "onProgress", "maxWeightBytes");

/** What an HTTP save resolves to: TensorFlow.js's SaveResult with the server's responses. */
export interface HTTPSaveResult extends SaveResult {
  responses: FetchResponse[];
}

interface FormDataLike {
  append(name: string, value: unknown, fileName: string): void;
}
interface WebGlobals {
  FormData?: new () => FormDataLike;
  Blob?: new (parts: unknown[], options?: { type: string }) => unknown;
  fetch?: FetchFunction;
}

const WEIGHTS_FILE = "model.weights.bin";

/**
 * An IOHandler that saves to and loads from `path` over HTTP(S):
 * `await model.save(tf.io.http("https://example.com/upload", { requestInit: { headers } }))`.
 */
export function http(path: string, options: HTTPOptions = {}): IOHandler & { save(a: ModelArtifacts): Promise<HTTPSaveResult>; load(): Promise<ModelArtifacts> } {
  checkOptions("io.http", options, HTTP_OPTION_KEYS);
  if (typeof path !== "string" || path === "") throw new ValueError(`tf.io.http expects a URL string, got ${JSON.stringify(path)}`);
  const maxBytes = maxWeightBytesOption(options.maxWeightBytes, "tf.io.http");
  const requestInit = options.requestInit ?? {};
  if (typeof requestInit !== "object" || requestInit === null) throw new ValueError("requestInit must be an object of fetch options");
  if (requestInit["body"] !== undefined && requestInit["body"] !== null) {
    throw new ValueError("requestInit is expected to have no pre-existing body, but has one.");
  }
  const fetchFn = (): FetchFunction => {
    const f = options.fetchFunc ?? (globalThis as WebGlobals).fetch;
    if (typeof f !== "function") throw new NotImplementedError("HTTP model IO needs fetch (or pass options.fetchFunc)");
    return options.fetchFunc ?? ((url, init) => f.call(globalThis, url, init));
  };

  return {
    async save(artifacts: ModelArtifacts): Promise<HTTPSaveResult> {
      const g = globalThis as WebGlobals;
      if (!g.FormData || !g.Blob) throw new NotImplementedError("Saving over HTTP needs FormData and Blob (a browser, or Node 18+)");
      const body = new g.FormData();
      body.append("model.json", new g.Blob([JSON.stringify(modelJSON(artifacts, [`./${WEIGHTS_FILE}`]))], { type: "application/json" }), "model.json");
      body.append(WEIGHTS_FILE, new g.Blob([artifacts.weightData], { type: "application/octet-stream" }), WEIGHTS_FILE);
      const response = await fetchFn()(path, { method: "POST", ...requestInit, body });
      if (!response.ok) throw new ValueError(`BrowserHTTPRequest.save() failed due to HTTP response status ${response.status}.`);
      return { modelArtifactsInfo: info(artifacts), responses: [response] };
    },
    async load(): Promise<ModelArtifacts> {
      const f = fetchFn();
      const init = { ...requestInit };
      const res = await f(path, init);
      if (!res.ok) throw new ValueError(`Cannot load ${path}: HTTP ${res.status}`);
      const json = parseModelJSON(await readText(res, MAX_MODEL_JSON_BYTES, path), path);
      const files = json.weightsManifest.reduce((n, g) => n + g.paths.length, 0);
      let loaded = 0;
      options.onProgress?.(0);
      const artifacts = await artifactsFrom(json, async (p, limit) => {
        const url = await weightURL(path, p, options);
        const r = await f(url, init);
        if (!r.ok) throw new ValueError(`Weight file ${url} listed in ${path} cannot be fetched: HTTP ${r.status}`);
        const bytes = await readBounded(r, limit, `Weight file ${url} listed in ${path}`);
        options.onProgress?.(++loaded / files);
        return bytes;
      }, path, maxBytes, options.weightUrlConverter !== undefined);
      if (files === 0) options.onProgress?.(1);
      return artifacts;
    },
  };
}

/** Where a manifest's weight file is fetched from; refuses to leave the model.json's directory on its own. */
async function weightURL(modelURL: string, file: string, options: HTTPOptions): Promise<string> {
  if (options.weightUrlConverter) return options.weightUrlConverter(file);
  if (options.weightPathPrefix !== undefined) return options.weightPathPrefix + file;
  return confinedWeightURL(modelURL, file, (globalThis as { location?: { href: string } }).location?.href);
}

/** The body of a model.json response as text, bounded like weight files. */
async function readText(r: FetchResponse, limit: number, url: string): Promise<string> {
  if (!r.body && !r.headers) return r.text();
  return new TextDecoder().decode(await readBounded(r, limit, `The model file ${url}`));
}

/** TensorFlow.js's older name for `tf.io.http`. */
export const browserHTTPRequest = http;
