// The page every bundler builds (tooling/release/test/bundlers.test.ts): trains XOR a few steps on
// js and on wasm, as an app would, and leaves the result in globalThis.__result for the test to read.
// Bundlers that do not copy the .wasm files (esbuild, Rollup) are told where they are with
// configureWasmBackend({ wasmPaths }); the page passes it as ?wasmPaths=<dir>.
import * as tf from "@tessera/tf";

async function train() {
  const x = tf.constant([[0, 0], [0, 1], [1, 0], [1, 1]], "float32");
  const y = tf.constant([[0], [1], [1], [0]], "float32");
  const model = new tf.keras.Sequential([
    new tf.keras.layers.Dense(8, { activation: "tanh", inputShape: [2] }),
    new tf.keras.layers.Dense(1),
  ]);
  model.compile({ optimizer: new tf.keras.optimizers.Adam({ learningRate: 0.05 }), loss: "meanSquaredError" });
  const history = await model.fit(x, y, { epochs: 20, batchSize: 4, verbose: 0 });
  const losses = history.history["loss"];
  return { first: losses[0], last: losses[losses.length - 1] };
}

async function run() {
  const { location } = globalThis;
  const wasmPaths = new URL(location.href).searchParams.get("wasmPaths");
  tf.configureWasmBackend(wasmPaths === null ? { threads: 2 } : { threads: 2, wasmPaths: new URL(wasmPaths, location.href).href });
  const out = { isolated: globalThis.crossOriginIsolated === true };
  for (const backend of ["js", "wasm"]) {
    await tf.setBackend(backend);
    const b = await tf.findBackend(backend);
    out[backend] = { ...(await train()), describe: b.describe ? b.describe() : backend };
  }
  return out;
}

globalThis.__result = run().then(
  (value) => ({ ok: true, value }),
  (e) => ({ ok: false, error: String(e && e.stack ? e.stack : e) }),
);
