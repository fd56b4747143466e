/**
 * The `wasmPaths` option: where the wasm backend finds its `.wasm` binaries. Kept free of Node types so
 * that the published declarations compile in any project.
 */

/** The file names of the four binaries, the keys of a `wasmPaths` map. */
export const BINARY_NAMES = ["tessera-simd", "tessera-simd-threads", "tessera-relaxed", "tessera-relaxed-threads"] as const;

export type BinaryName = (typeof BINARY_NAMES)[number];

/**
 * Where the `.wasm` binaries are: a directory (a URL or, in Node, a path; relative ones are resolved
 * against the page in browsers and the working directory in Node) that holds all four files, or one
 * URL or path per file name (`"tessera-simd.wasm"` …), for binaries a bundler renamed.
 */
export type WasmPaths = string | URL | Partial<Record<`${BinaryName}.wasm`, string | URL>>;

/** Checks a `wasmPaths` option, naming what is wrong. */
export function checkWasmPaths(paths: unknown): asserts paths is WasmPaths {
  if (typeof paths === "string" || paths instanceof URL) return;
  if (paths === null || typeof paths !== "object") {
    throw new TypeError(`configureWasmBackend: wasmPaths must be a directory (string or URL) or an object of file names, got ${paths === null ? "null" : typeof paths}`);
  }
  const known = BINARY_NAMES.map((n) => `${n}.wasm`);
  for (const [k, v] of Object.entries(paths)) {
    if (!known.includes(k)) throw new TypeError(`configureWasmBackend: unknown wasmPaths key '${k}'; expected one of ${known.join(", ")}`);
    if (typeof v !== "string" && !(v instanceof URL)) throw new TypeError(`configureWasmBackend: wasmPaths['${k}'] must be a string or URL`);
  }
}

