/**
 * Weighted classification losses of `tf.compat.v1.losses` (TensorFlow.js's `tf.losses`): logLoss,
 * hingeLoss, sigmoidCrossEntropy, softmaxCrossEntropy. Labels are cast to the float dtype of the
 * predictions or logits; the per-element losses go through `computeWeightedLoss`'s weighting.
 */
import { tidy } from "../../engine/tidy.js";
import { ValueError, opMessage } from "../../errors.js";
import { optionKeys } from "../../options.js";
import type { TensorLike } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { add, multiply, subtract } from "../binary.js";
import { logSoftmax } from "../nn.js";
import { reduceSum } from "../reduce.js";
import { abs, exp, log, log1p, neg, relu } from "../unary.js";
import { defineOp } from "../table/define.js";
import type { WeightedLossOptions } from "./weighting.js";
import { castTo, checkSameShape, floatInput, lossWeighting, reduceWeighted, WEIGHTED_KEYS } from "./weighting.js";

/** Options of `tf.compat.v1.losses.logLoss`. */
export interface LogLossOptions extends WeightedLossOptions {
  /** Added inside the logarithms so that 0 and 1 stay finite (default 1e-7). */
  epsilon?: number;
}
const LOG_LOSS_KEYS = optionKeys<LogLossOptions>()("weights", "reduction", "epsilon");

/** Options of the cross-entropy losses of `tf.compat.v1.losses`. */
export interface CrossEntropyLossOptions extends WeightedLossOptions {
  /** Smooths the labels towards ½ (sigmoid) or 1/numClasses (softmax); 0 ≤ s ≤ 1 (default 0). */
  labelSmoothing?: number;
}
const CROSS_ENTROPY_KEYS = optionKeys<CrossEntropyLossOptions>()("weights", "reduction", "labelSmoothing");

function finiteOption(value: unknown, name: string, op: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    const range = min === -Infinity ? "a finite number" : `a number in [${min}, ${max}]`;
    throw new ValueError(opMessage(op, `${name} must be ${range}, got ${String(value)}`));
  }
  return value;
}

/** Labels and predictions/logits of the same shape, as tensors of the predictions' float dtype. */
function pair(labels: TensorLike, predictions: TensorLike, lName: string, pName: string, op: string): [Tensor, Tensor] {
  const p = floatInput(predictions, pName, op);
  const l = castTo(labels, p, lName, op);
  checkSameShape(l, p, lName, pName, op);
  return [l, p];
}

/**
 * −labels·log(predictions + ε) − (1 − labels)·log(1 − predictions + ε), weighted and reduced.
 * `tf.compat.v1.losses.logLoss`.
 */
export const logLoss = defineOp("compat.v1.losses.logLoss", function logLoss(labels: TensorLike, predictions: TensorLike, options: LogLossOptions = {}): Tensor {
  const op = "LogLoss";
  const eps = finiteOption(options.epsilon ?? 1e-7, "epsilon", op);
  return tidy(() => {
    const [l, p] = pair(labels, predictions, "labels", "predictions", op);
    const w = lossWeighting(options, p.shape, p.dtype, op);
    const pos = multiply(l, log(add(p, eps)));
    const negative = multiply(subtract(1, l), log(add(subtract(1, p), eps)));
    return reduceWeighted(neg(add(pos, negative)), w);
  });
}, { method: false, args: 3, options: LOG_LOSS_KEYS });

/**
 * max(0, 1 − (2·labels − 1)·logits) for labels in {0, 1}, weighted and reduced.
 * `tf.compat.v1.losses.hingeLoss`.
 */
export const hingeLoss = defineOp("compat.v1.losses.hingeLoss", function hingeLoss(labels: TensorLike, logits: TensorLike, options: WeightedLossOptions = {}): Tensor {
  const op = "HingeLoss";
  return tidy(() => {
    const [l, x] = pair(labels, logits, "labels", "logits", op);
    const w = lossWeighting(options, x.shape, x.dtype, op);
    const signs = subtract(multiply(l, 2), 1);
    return reduceWeighted(relu(subtract(1, multiply(signs, x))), w);
  });
}, { method: false, args: 3, options: WEIGHTED_KEYS });

/**
 * Sigmoid cross-entropy of `logits` against `multiClassLabels` (each in [0, 1]), computed stably as
 * max(x, 0) − x·z + log(1 + e^−|x|); labels are first smoothed to z·(1 − s) + s/2. Weighted and
 * reduced. `tf.compat.v1.losses.sigmoidCrossEntropy`.
 */
export const sigmoidCrossEntropy = defineOp("compat.v1.losses.sigmoidCrossEntropy", function sigmoidCrossEntropy(multiClassLabels: TensorLike, logits: TensorLike, options: CrossEntropyLossOptions = {}): Tensor {
  const op = "SigmoidCrossEntropy";
  const s = finiteOption(options.labelSmoothing ?? 0, "labelSmoothing", op, 0, 1);
  return tidy(() => {
    const [l, x] = pair(multiClassLabels, logits, "multiClassLabels", "logits", op);
    const w = lossWeighting(options, x.shape, x.dtype, op);
    const z = s > 0 ? add(multiply(l, 1 - s), 0.5 * s) : l;
    const losses = add(subtract(relu(x), multiply(x, z)), log1p(exp(neg(abs(x)))));
    return reduceWeighted(losses, w);
  });
}, { method: false, args: 3, options: CROSS_ENTROPY_KEYS });

/**
 * Softmax cross-entropy −Σ labels·logSoftmax(logits) over the last axis (classes), one loss per
 * example; labels are first smoothed to z·(1 − s) + s/numClasses. `weights` apply per example
 * (shape [batch] or a scalar). `tf.compat.v1.losses.softmaxCrossEntropy`.
 */
export const softmaxCrossEntropy = defineOp("compat.v1.losses.softmaxCrossEntropy", function softmaxCrossEntropy(onehotLabels: TensorLike, logits: TensorLike, options: CrossEntropyLossOptions = {}): Tensor {
  const op = "SoftmaxCrossEntropy";
  const s = finiteOption(options.labelSmoothing ?? 0, "labelSmoothing", op, 0, 1);
  return tidy(() => {
    const [l, x] = pair(onehotLabels, logits, "onehotLabels", "logits", op);
    if (x.rank < 1) throw new ValueError(opMessage(op, "logits must have rank >= 1 (classes on the last axis), got a scalar"));
    const numClasses = x.shape[x.rank - 1]!;
    const w = lossWeighting(options, x.shape.slice(0, -1), x.dtype, op);
    const z = s > 0 ? add(multiply(l, 1 - s), s / numClasses) : l;
    const losses = neg(reduceSum(multiply(z, logSoftmax(x, -1)), { axis: -1 }));
    return reduceWeighted(losses, w);
  });
}, { method: false, args: 3, options: CROSS_ENTROPY_KEYS });
