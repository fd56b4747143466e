/** `tf.image`: image ops written from core ops (gathers, slices, reductions), so every backend runs them and their gradients. */
export { adjustBrightness, adjustContrast, grayscaleToRgb, perImageStandardization, rgbToGrayscale } from "./color.js";
export { centralCrop, cropToBoundingBox, padToBoundingBox } from "./crop.js";
export { flipLeftRight, flipUpDown, rot90 } from "./flip.js";
export type { Rot90Options } from "./flip.js";
export { resize } from "./resize.js";
export type { ResizeOptions } from "./resize.js";
