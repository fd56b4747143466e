/**
 * @tessera/backend-wasm: importing this module registers the "wasm" backend with @tessera/core.
 *
 * Kernels are AssemblyScript compiled to WebAssembly with SIMD (assembly/), data lives in wasm linear
 * memory, and large ops are split across worker threads sharing that memory where the platform allows.
 */
import { registerBackend } from "@tessera/core/kernel";
import { WasmBackend } from "./backend.js";
import type { WasmBackendOptions } from "./backend.js";
import { checkWasmPaths } from "./wasm-paths.js";

export { WasmBackend, WasmData } from "./backend.js";
export type { WasmBackendOptions } from "./backend.js";
export type { WasmPaths } from "./wasm-paths.js";

let options: WasmBackendOptions = {};

/**
 * Sets options for wasm backends created from now on (threads, relaxed SIMD, memory limit, where the
 * `.wasm` files are). Call it before the backend is first used, e.g. before `await tf.setBackend("wasm")`:
 * `configureWasmBackend({ wasmPaths: "/assets/tessera/" })` when a bundler did not copy the binaries.
 */
export function configureWasmBackend(opts: WasmBackendOptions): void {
  if (opts.wasmPaths !== undefined) checkWasmPaths(opts.wasmPaths);
  options = { ...options, ...opts };
}

registerBackend("wasm", {
  priority: 2,
  create: () => WasmBackend.create(options),
  createSync: () => WasmBackend.createSync(options),
});
