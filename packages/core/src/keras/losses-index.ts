/** `tf.keras.losses`: every loss class and per-example function (losses.ts and losses-extended.ts). */
export * from "./losses.js";
export * from "./losses-extended.js";
