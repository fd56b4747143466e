/**
 * `tf.compat.v1.losses`: TensorFlow's weighted losses (TensorFlow.js's `tf.losses`), each taking
 * `weights` and a `reduction` (`Reduction`), written from core ops so every backend runs them and
 * their gradients.
 */
export { absoluteDifference, cosineDistance, huberLoss, meanSquaredError } from "./regression.js";
export type { CosineDistanceOptions, HuberLossOptions } from "./regression.js";
export { hingeLoss, logLoss, sigmoidCrossEntropy, softmaxCrossEntropy } from "./classification.js";
export type { CrossEntropyLossOptions, LogLossOptions } from "./classification.js";
export { computeWeightedLoss } from "./compute-weighted-loss.js";
export { Reduction } from "./weighting.js";
export type { WeightedLossOptions } from "./weighting.js";
