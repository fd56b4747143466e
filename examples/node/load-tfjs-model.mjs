// Loading a model that TensorFlow.js trained and saved (`model.save(...)`, the TF.js layers format:
// model.json + weights.bin) and running it. models/xor/ was saved by TensorFlow.js 4.22 after
// training XOR. Run: node load-tfjs-model.mjs
import { fileURLToPath } from "node:url";
import * as tf from "@tessera/tf";

await tf.ready();
const dir = fileURLToPath(new URL("./models/xor/", import.meta.url));
const model = await tf.keras.models.loadModel(dir);
model.summary();

const x = tf.constant([[0, 0], [0, 1], [1, 0], [1, 1]], "float32");
const p = await model.predict(x).data();
const xor = Array.from(p, (v) => (v > 0.5 ? 1 : 0));
console.log(`predictions: ${Array.from(p, (v) => v.toFixed(3)).join(", ")} → XOR ${xor.join("")}`);
if (xor.join("") !== "0110") throw new Error("the loaded model does not compute XOR");
