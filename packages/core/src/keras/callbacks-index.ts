/** `tf.keras.callbacks`: every callback (callbacks.ts and callbacks-training.ts). */
export * from "./callbacks.js";
export * from "./callbacks-training.js";
