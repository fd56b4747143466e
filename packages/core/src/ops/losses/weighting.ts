/**
 * TensorFlow's weighted-loss machinery (`tf.compat.v1.losses.compute_weighted_loss`): per-element
 * losses are multiplied by `weights` (a scalar, or a tensor of the losses' rank whose every dimension
 * is 1 or the losses' size), then reduced as the `reduction` says.
 */
import type { DType } from "../../dtypes.js";
import { DtypeError, ValueError, opMessage } from "../../errors.js";
import { optionKeys } from "../../options.js";
import { formatShapeTuple } from "../../shape.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { divide, multiply } from "../binary.js";
import { cast } from "../cast.js";
import { equal, where } from "../compare.js";
import { onesLike } from "../creation.js";
import { FLOAT } from "../op-utils.js";
import { reduceSum } from "../reduce.js";

/**
 * TF2's `tf.compat.v1.losses.Reduction`: how `computeWeightedLoss` turns weighted per-element
 * losses into the result.
 */
export const Reduction = Object.freeze({
  /** The weighted losses, unreduced (the losses' shape). */
  NONE: "none",
  /** Σ weighted losses. */
  SUM: "weighted_sum",
  /** Σ weighted losses / Σ weights (broadcast to the losses' shape). */
  MEAN: "weighted_mean",
  /** Σ weighted losses / the number of losses. */
  SUM_OVER_BATCH_SIZE: "weighted_sum_over_batch_size",
  /** Σ weighted losses / the number of losses whose weight is not 0 (the default). */
  SUM_BY_NONZERO_WEIGHTS: "weighted_sum_by_nonzero_weights",
  /** Same as `SUM_BY_NONZERO_WEIGHTS`. */
  SUM_OVER_NONZERO_WEIGHTS: "weighted_sum_by_nonzero_weights",
} as const);

/** A value of `Reduction`. */
export type Reduction = (typeof Reduction)[keyof typeof Reduction];

const REDUCTIONS: readonly string[] = [...new Set(Object.values(Reduction))];

/** Options every weighted loss takes. */
export interface WeightedLossOptions {
  /** Coefficients of the losses: a scalar, or a tensor of the losses' rank broadcastable to them (default 1). */
  weights?: TensorLike;
  /** How the weighted losses are reduced (default `Reduction.SUM_BY_NONZERO_WEIGHTS`). */
  reduction?: Reduction;
}

/** The keys of `WeightedLossOptions`, for the option checks of each loss. */
export const WEIGHTED_KEYS = optionKeys<WeightedLossOptions>()("weights", "reduction");

/** Checks a float `predictions`-like input and returns it as a tensor. */
export function floatInput(x: TensorLike, what: string, op: string): Tensor {
  const t = toTensor(x, op, "float32");
  if (!FLOAT.includes(t.dtype)) throw new DtypeError(opMessage(op, `${what} must be float32 or float64, got ${t.dtype}`));
  return t;
}

/** `x` as a tensor of dtype `like.dtype` (TensorFlow casts labels and weights to the losses' float type). */
export function castTo(x: TensorLike, like: Tensor, what: string, op: string): Tensor {
  const t = toTensor(x, op, like.dtype);
  if (t.dtype === like.dtype) return t;
  if (t.dtype === "string" || t.dtype === "complex64") throw new DtypeError(opMessage(op, `${what} must be real numbers, got ${t.dtype}`));
  return cast(t, like.dtype);
}

/** TensorFlow's `assert_is_compatible_with`: the two shapes must be equal. */
export function checkSameShape(a: Tensor, b: Tensor, aName: string, bName: string, op: string): void {
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ValueError(opMessage(op, `Shapes of ${aName} ${formatShapeTuple(a.shape)} and ${bName} ${formatShapeTuple(b.shape)} are incompatible`));
  }
}

function checkReduction(reduction: unknown, op: string): Reduction {
  if (reduction === undefined) return Reduction.SUM_BY_NONZERO_WEIGHTS;
  if (typeof reduction !== "string" || !REDUCTIONS.includes(reduction)) {
    throw new ValueError(opMessage(op, `Invalid Reduction Key ${JSON.stringify(reduction)}; expected one of ${REDUCTIONS.join(", ")}`));
  }
  return reduction as Reduction;
}

/** TensorFlow's `assert_broadcastable`: weights are a scalar, or of the values' rank with each dimension 1 or equal. */
function checkWeights(weights: Tensor, shape: readonly number[], op: string): void {
  if (weights.rank === 0) return;
  const detail = `values.shape=${formatShapeTuple(shape)}. weights.shape=${formatShapeTuple(weights.shape)}.`;
  if (weights.rank !== shape.length) {
    throw new ValueError(opMessage(op, `weights can not be broadcast to values. values.rank=${shape.length}. weights.rank=${weights.rank}. ${detail}`));
  }
  if (weights.shape.some((d, i) => d !== 1 && d !== shape[i])) {
    throw new ValueError(opMessage(op, `weights can not be broadcast to values. ${detail}`));
  }
}

/** total / count, and 0 where count is 0 (TensorFlow's `div_no_nan`, with a gradient that stays finite). */
function safeDivide(total: Tensor, count: Tensor): Tensor {
  const zero = equal(count, 0);
  return where(zero, 0, divide(total, where(zero, 1, count)));
}

/** Checked weights and reduction of one loss call. */
export interface LossWeighting {
  readonly weights: Tensor;
  readonly reduction: Reduction;
}

/**
 * Checks `options` against the shape the per-element losses will have, before anything runs, and
 * converts the weights to `dtype`. Call inside the loss's `tidy` (the conversion may upload or cast).
 */
export function lossWeighting(options: WeightedLossOptions, lossShape: readonly number[], dtype: DType, op: string): LossWeighting {
  const reduction = checkReduction(options.reduction, op);
  const raw = toTensor(options.weights ?? 1, op, dtype);
  if (raw.dtype === "string" || raw.dtype === "complex64") throw new DtypeError(opMessage(op, `weights must be real numbers, got ${raw.dtype}`));
  checkWeights(raw, lossShape, op);
  return { weights: raw.dtype === dtype ? raw : cast(raw, dtype), reduction };
}

/** Weights and reduces per-element `losses` (TensorFlow's `compute_weighted_loss`). Call inside a `tidy`. */
export function reduceWeighted(losses: Tensor, { weights: w, reduction }: LossWeighting): Tensor {
  const weighted = multiply(losses, w);
  if (reduction === Reduction.NONE) return weighted;
  const total = reduceSum(weighted);
  switch (reduction) {
    case Reduction.SUM:
      return total;
    case Reduction.MEAN:
      return safeDivide(total, reduceSum(multiply(onesLike(losses), w)));
    case Reduction.SUM_OVER_BATCH_SIZE:
      return losses.size === 0 ? total : divide(total, losses.size);
    default: {
      // The number of losses whose (broadcast) weight is not 0.
      const present = where(equal(w, 0), 0, onesLike(w));
      return safeDivide(total, reduceSum(multiply(onesLike(losses), present)));
    }
  }
}
