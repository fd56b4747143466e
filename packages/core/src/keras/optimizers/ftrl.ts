/** `tf.keras.optimizers.Ftrl`: Follow The Regularized Leader, with L1/L2 and shrinkage regularisation. */
import { add, divide, maximum, minimum, multiply, pow, subtract } from "../../ops/binary.js";
import { square } from "../../ops/unary.js";
import { optionKeys } from "../../options.js";
import { ValueError } from "../../errors.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { OptimizerOptions } from "./optimizer.js";
import { OPTIMIZER_KEYS, Optimizer, checkPositive } from "./optimizer.js";

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

const KEYS = optionKeys<FtrlOptions>()(
  ...OPTIMIZER_KEYS, "learningRatePower", "initialAccumulatorValue", "l1RegularizationStrength", "l2RegularizationStrength", "l2ShrinkageRegularizationStrength", "beta",
);

/**
 * Keras's FTRL-proximal step: `n' = n + g²`, `z ← z + g̃ − (n'^(−p) − n^(−p))/lr · w`,
 * `w ← (clip(z, −l1, l1) − z) / (n'^(−p)/lr + 2·(l2 + β/(2lr)))`, `n ← n'`, with `g̃ = g + 2·l2shrinkage·w`.
 */
export class Ftrl extends Optimizer {
  readonly className: string = "Ftrl";
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;

  constructor(options: FtrlOptions = {}) {
    super("Ftrl", 0.001, options, KEYS);
    this.learningRatePower = options.learningRatePower ?? -0.5;
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0.1;
    this.l1RegularizationStrength = options.l1RegularizationStrength ?? 0;
    this.l2RegularizationStrength = options.l2RegularizationStrength ?? 0;
    this.l2ShrinkageRegularizationStrength = options.l2ShrinkageRegularizationStrength ?? 0;
    this.beta = options.beta ?? 0;
    if (typeof this.learningRatePower !== "number" || !(this.learningRatePower <= 0)) {
      throw new ValueError(`Ftrl: \`learningRatePower\` needs to be negative or zero, got ${JSON.stringify(this.learningRatePower)}`);
    }
    checkPositive(this.initialAccumulatorValue, "initialAccumulatorValue", this.name, true);
    checkPositive(this.l1RegularizationStrength, "l1RegularizationStrength", this.name, true);
    checkPositive(this.l2RegularizationStrength, "l2RegularizationStrength", this.name, true);
    checkPositive(this.l2ShrinkageRegularizationStrength, "l2ShrinkageRegularizationStrength", this.name, true);
    checkPositive(this.beta, "beta", this.name, true);
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

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      learning_rate_power: this.learningRatePower,
      initial_accumulator_value: this.initialAccumulatorValue,
      l1_regularization_strength: this.l1RegularizationStrength,
      l2_regularization_strength: this.l2RegularizationStrength,
      l2_shrinkage_regularization_strength: this.l2ShrinkageRegularizationStrength,
      beta: this.beta,
    };
  }
}
