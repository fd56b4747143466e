/** `tf.image`: image ops written from core ops (gathers, slices, reductions), so every backend runs them and their gradients. */
export { adjustBrightness, adjustContrast, grayscaleToRgb, perImageStandardization, rgbToGrayscale } from "./color.js";
export { centralCrop, cropToBoundingBox, padToBoundingBox } from "./crop.js";
export { cropAndResize } from "./crop-and-resize.js";
export type { CropAndResizeOptions } from "./crop-and-resize.js";
export { flipLeftRight, flipUpDown, rot90 } from "./flip.js";
export type { Rot90Options } from "./flip.js";
export { adjustHue, adjustSaturation, hsvToRgb, rgbToHsv } from "./hsv.js";
export {
  nonMaxSuppression, nonMaxSuppressionAsync, nonMaxSuppressionPadded, nonMaxSuppressionPaddedAsync,
  nonMaxSuppressionWithScores, nonMaxSuppressionWithScoresAsync,
} from "./nms.js";
export type { NmsPaddedResult, NmsWithScoresResult, NonMaxSuppressionOptions, NonMaxSuppressionPaddedOptions, NonMaxSuppressionWithScoresOptions } from "./nms.js";
export { extractPatches } from "./patches.js";
export { resize } from "./resize.js";
export type { ResizeOptions } from "./resize.js";
export { threshold } from "./threshold.js";
export { rotateWithOffset, transform } from "./transform.js";
export type { FillMode, RotateWithOffsetOptions, TransformOptions } from "./transform.js";
