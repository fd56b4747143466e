// A custom training loop, TensorFlow 2 style: a GradientTape around the forward pass, then
// optimizer.applyGradients. Fits y = 3x - 1 from noisy samples. Run: node custom-training-loop.mjs
import * as tf from "@tessera/tf";

await tf.ready();
tf.random.setSeed(1);
const x = tf.random.uniform([256, 1], { minval: -1, maxval: 1 });
const y = tf.add(tf.subtract(tf.multiply(x, 3), 1), tf.multiply(tf.random.normal([256, 1]), 0.05));

const w = new tf.Variable(tf.zeros([1, 1]), { name: "w" });
const b = new tf.Variable(tf.zeros([1]), { name: "b" });
const optimizer = new tf.keras.optimizers.SGD({ learningRate: 0.5 });

for (let step = 0; step < 60; step++) {
  const tape = new tf.GradientTape();
  const loss = tape.record(() => tf.reduceMean(tf.square(tf.subtract(tf.add(tf.matmul(x, w), b), y))));
  const grads = tape.gradient(loss, [w, b]);
  optimizer.applyGradients(tf.zip(grads, [w, b]));
  if (step % 20 === 0) console.log(`step ${step}: loss ${(await loss.data())[0].toFixed(4)}`);
}
const [wv] = await w.numpy();
const [bv] = await b.numpy();
console.log(`w = ${wv[0].toFixed(2)}, b = ${bv.toFixed(2)} (expected 3 and -1) on ${tf.getBackend()}`);
if (Math.abs(wv[0] - 3) > 0.1 || Math.abs(bv + 1) > 0.1) process.exit(1);
