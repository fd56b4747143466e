/* global require, console */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS consumer, on purpose */
// A CommonJS consumer: require() of the ESM packages (Node >= 20.19, no top-level await in them).
const tf = require("@tessera/tf");
const { configureWasmBackend } = require("@tessera/backend-wasm");

configureWasmBackend({ threads: 1 });
tf.setBackend("wasm").then(() => {
  const a = tf.constant([[1, 2], [3, 4]]);
  console.log(JSON.stringify({ backend: tf.getBackend(), sum: tf.reduceSum(tf.matmul(a, a)).arraySync() }));
});
