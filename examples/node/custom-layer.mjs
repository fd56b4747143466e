// A custom Keras layer: weights from addWeight in build(), the forward pass in call(); it trains in a
// Sequential model like a built-in layer. Run: node custom-layer.mjs
import * as tf from "@tessera/tf";

/** y = x * scale + offset, one scale and offset per feature. */
class ScaleShift extends tf.keras.layers.Layer {
  build(inputShape) {
    const features = inputShape[inputShape.length - 1];
    this.scale = this.addWeight("scale", [features], { initializer: "ones" });
    this.offset = this.addWeight("offset", [features], { initializer: "zeros" });
  }
  call(inputs) {
    return tf.add(tf.multiply(inputs, this.scale), this.offset);
  }
}

await tf.ready();
const x = tf.constant([[1, 2], [3, 4], [5, 6], [7, 8]], "float32");
const y = tf.add(tf.multiply(x, tf.constant([2, -1], "float32")), 0.5);
const model = new tf.keras.Sequential([new ScaleShift({ inputShape: [2] })]);
model.compile({ optimizer: new tf.keras.optimizers.Adam({ learningRate: 0.3 }), loss: new tf.keras.losses.MeanSquaredError() });
const history = await model.fit(x, y, { epochs: 200, batchSize: 4, verbose: 0 });
const losses = history.history["loss"];
console.log(`loss ${losses[0].toFixed(3)} -> ${losses[losses.length - 1].toFixed(4)} on ${tf.getBackend()}`);
if (!(losses[losses.length - 1] < 0.05)) process.exit(1);
