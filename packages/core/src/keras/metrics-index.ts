/** `tf.keras.metrics`: every metric class and function (metrics.ts, metrics-confusion.ts, metrics-extended.ts). */
export * from "./metrics.js";
export * from "./metrics-confusion.js";
export * from "./metrics-extended.js";
