/**
 * `http(s)://` models (TensorFlow.js's `tf.io.http` / `browserHTTPRequest`):
 *
 * - **save** POSTs one `multipart/form-data` request with two files, as TensorFlow.js does:
 *   `model.json` (the topology and a weights manifest naming `./model.weights.bin`) and
 *   `model.weights.bin` (every weight, little-endian, in manifest order);
 * - **load** fetches `model.json`, then each weight file its manifest lists, resolved against the
 *   model.json URL. Weight files must come from the model.json's origin: a manifest cannot make the
 *   page fetch from elsewhere unless the caller says where (`weightPathPrefix`, `weightUrlConverter`).
 */
import { NotImplementedError, ValueError } from "../errors.js";
import type { IOHandler, SaveResult } from "../keras/model-io.js";
import { artifactsFrom, info, modelJSON, parseModelJSON } from "../keras/model-io.js";
import type { ModelArtifacts } from "../keras/serialization.js";
import { checkOptions, optionKeys } from "../options.js";

/** The parts of a fetch `Response` used here. */
export interface FetchResponse {
  ok: boolean;
  status: number;
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
  /** Maps each weight file name in the manifest to the URL to fetch. */
  weightUrlConverter?: (weightFileName: string) => Promise<string>;
  /** Called with the fraction loaded (0 to 1) as weight files arrive. */
  onProgress?: (fraction: number) => void;
}

const HTTP_OPTION_KEYS = optionKeys<HTTPOptions>()("requestInit", "fetchFunc", "weightPathPrefix", "weightUrlConverter", "onProgress");

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
      const json = parseModelJSON(await res.text(), path);
      const files = json.weightsManifest.reduce((n, g) => n + g.paths.length, 0);
      let loaded = 0;
      options.onProgress?.(0);
      const artifacts = await artifactsFrom(json, async (p) => {
        const url = await weightURL(path, p, options);
        const r = await f(url, init);
        if (!r.ok) throw new ValueError(`Weight file ${url} listed in ${path} cannot be fetched: HTTP ${r.status}`);
        const bytes = new Uint8Array(await r.arrayBuffer());
        options.onProgress?.(++loaded / files);
        return bytes;
      });
      if (files === 0) options.onProgress?.(1);
      return artifacts;
    },
  };
}

/** Where a manifest's weight file is fetched from; refuses to leave the model.json's origin on its own. */
async function weightURL(modelURL: string, file: string, options: HTTPOptions): Promise<string> {
  if (typeof file !== "string" || file === "") throw new ValueError(`The weights manifest of ${modelURL} lists an invalid path ${JSON.stringify(file)}`);
  if (options.weightUrlConverter) return options.weightUrlConverter(file);
  if (options.weightPathPrefix !== undefined) return options.weightPathPrefix + file;
  const base = new URL(modelURL, (globalThis as { location?: { href: string } }).location?.href);
  const url = new URL(file, base);
  if (url.origin !== base.origin) {
    throw new ValueError(`The weights manifest of ${modelURL} points outside the model's origin (${JSON.stringify(file)} → ${url.origin}); pass weightPathPrefix or weightUrlConverter to allow it`);
  }
  return url.toString();
}

/** TensorFlow.js's older name for `tf.io.http`. */
export const browserHTTPRequest = http;
