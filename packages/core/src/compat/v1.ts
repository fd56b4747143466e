/** `tf.compat.v1`: the TensorFlow 1 APIs TensorFlow 2 keeps (and TensorFlow.js exposes at the top level). */
export * as losses from "../ops/losses/index.js";
export * as image from "./v1-image.js";
