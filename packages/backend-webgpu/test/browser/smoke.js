/* global window */
// Runs in headless Chromium (see ../browser.test.ts): a few ops and a gradient on webgpu, through
// core's and this package's built ES modules, resolved by the page's import map.
import * as tf from "@tessera/core";
import "@tessera/backend-webgpu";

async function run() {
  await tf.setBackend("webgpu");
  const backend = await tf.findBackend("webgpu");
  const a = tf.constant([[1, 2], [3, 4]], "float32");
  const m = tf.matmul(a, a);
  const r = tf.nn.relu(tf.subtract(m, 10));
  const s = tf.reduceSum(r);
  const i = tf.add(tf.constant([1, 2, 3]), 5);
  const cmp = tf.greater(tf.constant([1, 5, 3]), 2);

  const x = new tf.Variable(3, { dtype: "float32" });
  const tape = new tf.GradientTape();
  const y = tape.record(() => x.mul(x).add(x.exp()));
  const g = tape.gradient(y, x);

  let syncError = null;
  try {
    m.dataSync();
  } catch (err) {
    syncError = `${err.name}: ${err.message}`;
  }
  return {
    backend: tf.getBackend(),
    adapter: backend.describe(),
    matmul: Array.from(await m.data()),
    relu: Array.from(await r.data()),
    sum: Array.from(await s.data()),
    int: Array.from(await i.data()),
    greater: Array.from(await cmp.data()),
    grad: Array.from(await g.data()),
    syncError,
    memory: tf.memory().backends.webgpu,
  };
}

window.__smoke = run().then(
  (value) => ({ ok: true, value }),
  (err) => ({ ok: false, error: `${err && err.name}: ${err && err.message}\n${err && err.stack}` }),
);
