// Bundled by Vite in test/browser.test.ts; runs in headless Chromium with and without cross-origin isolation.
import * as tf from "@tessera/core";
import { configureWasmBackend } from "@tessera/backend-wasm";

async function check() {
  configureWasmBackend({ threads: 2 });
  await tf.setBackend("wasm");
  const backend = await tf.findBackend("wasm");
  const a = tf.constant([[1, 2], [3, 4]], "float32");
  const matmul = Array.from(await tf.matmul(a, a).data());
  // Large enough to be split across threads when they exist.
  const n = 256;
  const ones = tf.ones([n, n]);
  const big = tf.matmul(ones, ones, { transposeB: true });
  const bigCorner = big.dataSync()[0];
  const sum = Array.from(await tf.reduceSum(tf.constant([1.5, 2.5, 3])).data());
  const relu = Array.from(tf.relu(tf.constant([-1, 0, 2])).dataSync());
  return {
    backend: tf.getBackend(),
    describe: backend.describe(),
    isolated: globalThis.crossOriginIsolated === true,
    matmul, bigCorner, sum, relu,
    memory: tf.memory().numBytes,
  };
}

globalThis.__result = check().then(
  (value) => ({ ok: true, value }),
  (e) => ({ ok: false, error: String(e && e.stack ? e.stack : e) }),
);
