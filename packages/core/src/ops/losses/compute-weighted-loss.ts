/** `tf.compat.v1.losses.computeWeightedLoss` (TensorFlow.js's `tf.losses.computeWeightedLoss`). */
import { tidy } from "../../engine/tidy.js";
import type { TensorLike } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { defineOp } from "../table/define.js";
import type { WeightedLossOptions } from "./weighting.js";
import { floatInput, lossWeighting, reduceWeighted, WEIGHTED_KEYS } from "./weighting.js";

/**
 * Multiplies `losses` by `weights` and reduces them as `reduction` says (by default the sum over
 * the losses whose weight is not 0, divided by their number). `tf.compat.v1.losses.computeWeightedLoss`.
 */
export const computeWeightedLoss = defineOp("compat.v1.losses.computeWeightedLoss", function computeWeightedLoss(losses: TensorLike, options: WeightedLossOptions = {}): Tensor {
  const op = "ComputeWeightedLoss";
  return tidy(() => {
    const l = floatInput(losses, "losses", op);
    return reduceWeighted(l, lossWeighting(options, l.shape, l.dtype, op));
  });
}, { method: false, args: 2, options: WEIGHTED_KEYS });
