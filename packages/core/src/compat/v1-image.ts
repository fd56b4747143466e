/** `tf.compat.v1.image`: TensorFlow 1's resize ops with `alignCorners` / `halfPixelCenters` (TensorFlow.js's `tf.image.resizeBilinear` …). */
export { resizeBilinear, resizeNearestNeighbor } from "../ops/image/resize.js";
export type { ResizeV1Options } from "../ops/image/resize.js";
