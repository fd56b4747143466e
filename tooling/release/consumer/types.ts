// Type-checked by tsc --strict without skipLibCheck, against the packed declarations only.
import * as tf from "@tessera/tf";
import * as core from "@tessera/core";
import { configureWasmBackend, type WasmPaths } from "@tessera/backend-wasm";
import { WebGPUBackend } from "@tessera/backend-webgpu";
import "@tessera/backend-js";

const paths: WasmPaths = { "tessera-simd.wasm": "/assets/tessera-simd.wasm" };
configureWasmBackend({ threads: 1, wasmPaths: paths });

export async function main(): Promise<readonly number[]> {
  await tf.ready();
  const x = new tf.Variable(tf.ones([2, 2]), { dtype: "float32" });
  const tape = new tf.GradientTape();
  const y = tape.record(() => tf.reduceSum(x.mul(x)));
  const g = tape.gradient(y, x);
  const backend: string = tf.getBackend();
  const t: core.Tensor = tf.add(tf.constant([1, 2]), 1);
  void backend;
  void WebGPUBackend;
  const data = await t.data();
  void data;
  return [...(g ?? t).shape];
}
