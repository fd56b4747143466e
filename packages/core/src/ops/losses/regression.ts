/**
 * Weighted regression losses of `tf.compat.v1.losses` (TensorFlow.js's `tf.losses`):
 * absoluteDifference, meanSquaredError, huberLoss, cosineDistance. Each computes per-element losses
 * from `labels` and `predictions` (same shape; labels are cast to the predictions' float dtype) and
 * hands them to `computeWeightedLoss`'s weighting and reduction.
 */
import { tidy } from "../../engine/tidy.js";
import { ValueError, opMessage } from "../../errors.js";
import { optionKeys } from "../../options.js";
import type { TensorLike } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { add, multiply, minimum, subtract } from "../binary.js";
import { reduceSum } from "../reduce.js";
import { abs, square } from "../unary.js";
import { defineOp } from "../table/define.js";
import type { WeightedLossOptions } from "./weighting.js";
import { castTo, checkSameShape, floatInput, lossWeighting, reduceWeighted, WEIGHTED_KEYS } from "./weighting.js";

/** Per-element losses of `labels` against `predictions`, weighted and reduced. */
function regressionLoss(
  op: string, labels: TensorLike, predictions: TensorLike, options: WeightedLossOptions,
  perElement: (labels: Tensor, predictions: Tensor) => Tensor,
): Tensor {
  return tidy(() => {
    const p = floatInput(predictions, "predictions", op);
    const l = castTo(labels, p, "labels", op);
    checkSameShape(l, p, "labels", "predictions", op);
    const w = lossWeighting(options, p.shape, p.dtype, op);
    return reduceWeighted(perElement(l, p), w);
  });
}

/** |predictions − labels|, weighted and reduced. `tf.compat.v1.losses.absoluteDifference`. */
export const absoluteDifference = defineOp("compat.v1.losses.absoluteDifference", function absoluteDifference(labels: TensorLike, predictions: TensorLike, options: WeightedLossOptions = {}): Tensor {
  return regressionLoss("AbsoluteDifference", labels, predictions, options, (l, p) => abs(subtract(p, l)));
}, { method: false, args: 3, options: WEIGHTED_KEYS });

/** (predictions − labels)², weighted and reduced. `tf.compat.v1.losses.meanSquaredError`. */
export const meanSquaredError = defineOp("compat.v1.losses.meanSquaredError", function meanSquaredError(labels: TensorLike, predictions: TensorLike, options: WeightedLossOptions = {}): Tensor {
  return regressionLoss("MeanSquaredError", labels, predictions, options, (l, p) => square(subtract(p, l)));
}, { method: false, args: 3, options: WEIGHTED_KEYS });

/** Options of `tf.compat.v1.losses.huberLoss`. */
export interface HuberLossOptions extends WeightedLossOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}
const HUBER_KEYS = optionKeys<HuberLossOptions>()("weights", "reduction", "delta");

/**
 * Huber loss of the error e = predictions − labels: ½e² where |e| ≤ delta, else
 * delta·(|e| − ½delta); weighted and reduced. `tf.compat.v1.losses.huberLoss`.
 */
export const huberLoss = defineOp("compat.v1.losses.huberLoss", function huberLoss(labels: TensorLike, predictions: TensorLike, options: HuberLossOptions = {}): Tensor {
  const op = "HuberLoss";
  const delta = options.delta ?? 1;
  if (typeof delta !== "number" || !Number.isFinite(delta)) throw new ValueError(opMessage(op, `delta must be a finite number, got ${String(delta)}`));
  return regressionLoss(op, labels, predictions, options, (l, p) => {
    const err = abs(subtract(p, l));
    const quadratic = minimum(err, delta);
    const linear = subtract(err, quadratic);
    return add(multiply(square(quadratic), 0.5), multiply(linear, delta));
  });
}, { method: false, args: 3, options: HUBER_KEYS });

/** Options of `tf.compat.v1.losses.cosineDistance`. */
export interface CosineDistanceOptions extends WeightedLossOptions {
  /** The dimension along which the distance is computed (required, as in TensorFlow). */
  axis?: number;
}
const COSINE_KEYS = optionKeys<CosineDistanceOptions>()("weights", "reduction", "axis");

/**
 * 1 − Σ labels·predictions along `axis` (kept as a size-1 dimension), for unit-normalized inputs;
 * weighted and reduced. `tf.compat.v1.losses.cosineDistance`.
 */
export const cosineDistance = defineOp("compat.v1.losses.cosineDistance", function cosineDistance(labels: TensorLike, predictions: TensorLike, options: CosineDistanceOptions = {}): Tensor {
  const op = "CosineDistance";
  const { axis } = options;
  if (axis === undefined) throw new ValueError(opMessage(op, "You must specify 'axis'"));
  return tidy(() => {
    const p = floatInput(predictions, "predictions", op);
    const l = castTo(labels, p, "labels", op);
    checkSameShape(l, p, "labels", "predictions", op);
    if (!Number.isInteger(axis) || axis < -p.rank || axis >= p.rank) {
      throw new ValueError(opMessage(op, `axis ${String(axis)} is out of range for predictions of rank ${p.rank}`));
    }
    const a = axis < 0 ? axis + p.rank : axis;
    const w = lossWeighting(options, p.shape.map((d, i) => (i === a ? 1 : d)), p.dtype, op);
    const losses = subtract(1, reduceSum(multiply(p, l), { axis: a, keepdims: true }));
    return reduceWeighted(losses, w);
  });
}, { method: false, args: 3, options: COSINE_KEYS });
