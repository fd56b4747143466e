/**
 * Where we run and what WebAssembly can do here: Node or a browser, SIMD, relaxed SIMD, threads.
 * Node's modules come from `process.getBuiltinModule` (Node >= 20.16), synchronously and without any
 * import a bundler could follow, so the package has no top-level await and `require()` works on it.
 * The binaries are located with `new URL(…, import.meta.url)`, which Vite turns into assets, unless
 * `configureWasmBackend({ wasmPaths })` says where they are.
 */
import type * as FsModule from "node:fs";
import type * as OsModule from "node:os";
import type * as V8Module from "node:v8";
import type * as WorkerThreadsModule from "node:worker_threads";
import type { BinaryName, WasmPaths } from "./wasm-paths.js";

export type { BinaryName } from "./wasm-paths.js";

export const isNode = typeof process !== "undefined" && typeof process.versions?.node === "string";

export interface NodeModules {
  readonly fs: typeof FsModule;
  readonly os: typeof OsModule;
  readonly v8: typeof V8Module;
  readonly workerThreads: typeof WorkerThreadsModule;
}

function loadNodeModules(): NodeModules | null {
  const p = process as { getBuiltinModule?: (id: string) => unknown };
  if (typeof p.getBuiltinModule !== "function") return null;
  return {
    fs: p.getBuiltinModule("node:fs") as typeof FsModule,
    os: p.getBuiltinModule("node:os") as typeof OsModule,
    v8: p.getBuiltinModule("node:v8") as typeof V8Module,
    workerThreads: p.getBuiltinModule("node:worker_threads") as typeof WorkerThreadsModule,
  };
}

/** Node's modules (null in browsers, and in runtimes without `process.getBuiltinModule`). */
export const node: NodeModules | null = isNode ? loadNodeModules() : null;

/** Each URL is spelled out so that bundlers can see and copy every binary. */
function defaultBinaryUrl(name: BinaryName): URL {
  // A classic-script (IIFE) build has no import.meta.url: it must be told where the files are.
  if (typeof import.meta.url !== "string") {
    throw new Error(`the wasm backend cannot tell where ${name}.wasm is from this build (no import.meta.url): call configureWasmBackend({ wasmPaths }) first`);
  }
  switch (name) {
    case "tessera-simd": return new URL("../build/tessera-simd.wasm", import.meta.url);
    case "tessera-simd-threads": return new URL("../build/tessera-simd-threads.wasm", import.meta.url);
    case "tessera-relaxed": return new URL("../build/tessera-relaxed.wasm", import.meta.url);
    case "tessera-relaxed-threads": return new URL("../build/tessera-relaxed-threads.wasm", import.meta.url);
  }
}

/** A URL for a location: absolute URLs as they are; in Node other strings are file paths (relative to
 * the working directory), in browsers URLs relative to the page. */
function toUrl(where: string | URL): URL {
  if (where instanceof URL) return where;
  if (/^[a-z][a-z0-9+.-]+:/i.test(where) && !/^[a-z]:[\\/]/i.test(where)) return new URL(where);
  if (node) {
    const url = (process as { getBuiltinModule(id: string): unknown }).getBuiltinModule("node:url") as typeof import("node:url");
    return url.pathToFileURL(where);
  }
  const loc = (globalThis as { location?: { href?: string } }).location;
  return new URL(where, loc?.href ?? import.meta.url);
}

/** Where a binary is: from `wasmPaths` when given, else next to the package's `dist`. */
export function binaryUrl(name: BinaryName, paths?: WasmPaths): URL {
  if (paths === undefined) return defaultBinaryUrl(name);
  const file = `${name}.wasm` as const;
  if (typeof paths === "string" || paths instanceof URL) {
    const dir = toUrl(paths);
    return new URL(file, dir.href.endsWith("/") ? dir : `${dir.href}/`);
  }
  const one = paths[file];
  return one === undefined ? defaultBinaryUrl(name) : toUrl(one);
}

// (module (func (result v128) (v128.const i32x4 0 0 0 0)))
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
  10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

// (module (func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0))))
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
  10, 61, 1, 59, 0,
  253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  253, 133, 2, 11,
]);

export function hasWebAssembly(): boolean {
  return typeof WebAssembly === "object" && typeof WebAssembly.validate === "function";
}

export function hasSimd(): boolean {
  return hasWebAssembly() && WebAssembly.validate(SIMD_PROBE);
}

/**
 * Relaxed SIMD (for fused multiply-add). Browsers ship it (Chrome 114+); Node 20's V8 has it behind
 * `--experimental-wasm-relaxed-simd`, which may be set at run time before compiling — we do so unless
 * the caller opted out.
 */
export function hasRelaxedSimd(allowFlag: boolean): boolean {
  if (!hasWebAssembly()) return false;
  if (WebAssembly.validate(RELAXED_PROBE)) return true;
  if (node && allowFlag) {
    node.v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
    return WebAssembly.validate(RELAXED_PROBE);
  }
  return false;
}

/** Whether worker threads with shared wasm memory can work here; `reason` says why not. */
export function threadSupport(): { ok: boolean; reason: string } {
  if (typeof SharedArrayBuffer !== "function") {
    return { ok: false, reason: "SharedArrayBuffer is unavailable (a browser page needs cross-origin isolation: COOP/COEP headers)" };
  }
  if (node) return { ok: true, reason: "" };
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (g.crossOriginIsolated !== true) {
    return { ok: false, reason: "the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp)" };
  }
  if (typeof g.Worker !== "function") return { ok: false, reason: "Web Workers are unavailable here" };
  return { ok: true, reason: "" };
}

/** Hardware threads available to us. */
export function hardwareConcurrency(): number {
  if (node) return typeof node.os.availableParallelism === "function" ? node.os.availableParallelism() : node.os.cpus().length;
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/** Reads a binary synchronously (Node only). */
export function readBinarySync(name: BinaryName, paths?: WasmPaths): Uint8Array<ArrayBuffer> {
  if (!node) throw new Error("Synchronous loading of the wasm binary is only possible in Node; use `await tf.setBackend(\"wasm\")`.");
  const b = node.fs.readFileSync(binaryUrl(name, paths));
  return new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);
}

/** Compiles a binary: from disk in Node, through fetch (from the bundle's own origin) in browsers. */
export async function compileBinary(name: BinaryName, paths?: WasmPaths): Promise<WebAssembly.Module> {
  const url = binaryUrl(name, paths);
  if (node && url.protocol === "file:") {
    const bytes = await node.fs.promises.readFile(url);
    return WebAssembly.compile(bytes);
  }
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`Could not load ${url.href}: HTTP ${response.status}. Tell the wasm backend where its .wasm files are with configureWasmBackend({ wasmPaths })`);
  }
  if (typeof WebAssembly.compileStreaming === "function" && response.headers.get("content-type") === "application/wasm") {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Reads an environment variable in Node (undefined elsewhere). */
export function env(name: string): string | undefined {
  return isNode ? process.env[name] : undefined;
}
