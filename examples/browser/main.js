// A browser app: trains XOR a few steps on js and on wasm and shows the losses. CI builds it for
// production with Vite, esbuild, webpack 5 and Rollup (tooling/release/test/bundlers.test.ts) and reads
// globalThis.__result. Bundlers that do not copy the backend's .wasm files (esbuild, Rollup) must be
// told where they are with configureWasmBackend({ wasmPaths }); this page takes it as ?wasmPaths=<dir>.
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
  (value) => {
    globalThis.document.body.textContent = JSON.stringify(value, null, 2);
    return { ok: true, value };
  },
  (e) => ({ ok: false, error: String(e && e.stack ? e.stack : e) }),
);
