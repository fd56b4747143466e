/**
 * @tessera/tf — TensorFlow 2's eager model for TypeScript: everything in @tessera/core, with the js,
 * wasm and webgpu backends registered on import. The default backend is `TESSERA_BACKEND` when set,
 * else webgpu on a hardware adapter, else wasm, else js (see `tf.ready()`).
 */
export * from "@tessera/core";
import "@tessera/backend-js";
import "@tessera/backend-wasm";
import "@tessera/backend-webgpu";

export { configureWasmBackend } from "@tessera/backend-wasm";
