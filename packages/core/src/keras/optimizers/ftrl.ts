/** `tf.keras.optimizers.Ftrl`: Follow The Regularized Leader, with L1/L2 and shrinkage regularisation. */
import { add, divide, maximum, minimum, multiply, pow, subtract } from "../../ops/binary.js";
import { square } from "../../ops/unary.js";
import { ValueError } from "../../errors.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { Hyperparameters, SlotSpec, OptimizerOptions } from "./optimizer.js";
import { Optimizer, nonNegative } from "./optimizer.js";

/** Options of `Ftrl`. */
export interface FtrlOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions["learningRate"];
  /** How the rate falls as the accumulator grows; ≤ 0 (default -0.5). */
  learningRatePower?: number;
  /** Starting value of the accumulators (default 0.1). */
  initialAccumulatorValue?: number;
  /** Default 0. */
  l1RegularizationStrength?: number;
  /** Default 0. */
  l2RegularizationStrength?: number;
  /** L2 penalty on the weights' magnitude, applied through the gradient (default 0). */
  l2ShrinkageRegularizationStrength?: number;
  /** Default 0. */
  beta?: number;
}

const HYPERPARAMETERS: Hyperparameters<FtrlOptions> = {
  learningRatePower: {
    config: "learning_rate_power",
    default: -0.5,
    check: (v) => {
      if (typeof v !== "number" || !(v <= 0)) throw new ValueError(`Ftrl: \`learningRatePower\` needs to be negative or zero, got ${JSON.stringify(v)}`);
    },
  },
  initialAccumulatorValue: { config: "initial_accumulator_value", default: 0.1, check: nonNegative },
  l1RegularizationStrength: { config: "l1_regularization_strength", default: 0, check: nonNegative },
  l2RegularizationStrength: { config: "l2_regularization_strength", default: 0, check: nonNegative },
  l2ShrinkageRegularizationStrength: { config: "l2_shrinkage_regularization_strength", default: 0, check: nonNegative },
  beta: { config: "beta", default: 0, check: nonNegative },
};

/**
 * Keras's FTRL-proximal step: `n' = n + g²`, `z ← z + g̃ − (n'^(−p) − n^(−p))/lr · w`,
 * `w ← (clip(z, −l1, l1) − z) / (n'^(−p)/lr + 2·(l2 + β/(2lr)))`, `n ← n'`, with `g̃ = g + 2·l2shrinkage·w`.
 */
export class Ftrl extends Optimizer {
  readonly className: string = "Ftrl";
  declare readonly learningRatePower: number;
  declare readonly initialAccumulatorValue: number;
  declare readonly l1RegularizationStrength: number;
  declare readonly l2RegularizationStrength: number;
  declare readonly l2ShrinkageRegularizationStrength: number;
  declare readonly beta: number;

  constructor(options: FtrlOptions = {}) {
    super("Ftrl", 0.001, options, HYPERPARAMETERS);
  }

  protected override slotSpecs(): readonly SlotSpec[] {
    return [{ name: "accumulator", initial: this.initialAccumulatorValue }, { name: "linear", initial: 0 }];
  }

  protected updateStep(g: Tensor, v: Variable): void {
    const lr = this.learningRate;
    const p = -this.learningRatePower;
    const l1 = this.l1RegularizationStrength;
    const l2 = this.l2RegularizationStrength + this.beta / (2 * lr);
    const acc = this.slot(v, "accumulator", this.initialAccumulatorValue);
    const linear = this.slot(v, "linear");
    const gUse = this.l2ShrinkageRegularizationStrength > 0 ? add(g, multiply(v, 2 * this.l2ShrinkageRegularizationStrength)) : g;
    const newAcc = add(acc, square(g));
    const newPow = pow(newAcc, p);
    linear.assignAdd(subtract(gUse, multiply(divide(subtract(newPow, pow(acc, p)), lr), v)));
    const quadratic = add(divide(newPow, lr), 2 * l2);
    const clipped = maximum(minimum(linear, l1), -l1);
    v.assign(divide(subtract(clipped, linear), quadratic));
    acc.assign(newAcc);
  }
}
