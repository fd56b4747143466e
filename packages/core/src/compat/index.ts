/** `tf.compat`: TensorFlow 2's compatibility namespaces. */
export * as v1 from "./v1.js";
