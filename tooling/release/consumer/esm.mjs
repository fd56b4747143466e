// A Node ESM consumer of the packed @tessera/tf: trains a small model a few steps on each CPU backend.
import * as tf from "@tessera/tf";

await tf.ready();
const result = { default: tf.getBackend() };
for (const backend of ["js", "wasm"]) {
  await tf.setBackend(backend);
  const x = tf.constant([[0, 0], [0, 1], [1, 0], [1, 1]], "float32");
  const y = tf.constant([[0], [1], [1], [0]], "float32");
  const model = new tf.keras.Sequential([
    new tf.keras.layers.Dense(8, { activation: "tanh", inputShape: [2] }),
    new tf.keras.layers.Dense(1),
  ]);
  model.compile({ optimizer: new tf.keras.optimizers.Adam({ learningRate: 0.05 }), loss: new tf.keras.losses.MeanSquaredError() });
  const history = await model.fit(x, y, { epochs: 20, batchSize: 4, verbose: 0 });
  const losses = history.history["loss"];
  result[backend] = { first: losses[0], last: losses[losses.length - 1] };
}
try {
  await tf.setBackend("webgpu");
  result.webgpu = "started";
} catch (err) {
  result.webgpu = err instanceof Error ? err.message : String(err);
}
console.log(JSON.stringify(result));
