/** `tf.keras.optimizers.Lion`: sign-of-momentum updates. */
import { add, multiply } from "../../ops/binary.js";
import { sign } from "../../ops/unary.js";
import { optionKeys } from "../../options.js";
import { ValueError } from "../../errors.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { OptimizerOptions } from "./optimizer.js";
import { OPTIMIZER_KEYS, Optimizer } from "./optimizer.js";

/** Options of `Lion`. */
export interface LionOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions["learningRate"];
  /** Interpolation for the update direction (default 0.9). */
  beta1?: number;
  /** Decay of the momentum (default 0.99). */
  beta2?: number;
}

const KEYS = optionKeys<LionOptions>()(...OPTIMIZER_KEYS, "beta1", "beta2");

/** `w ← w − lr·sign(β1·m + (1 − β1)g)`; `m ← β2·m + (1 − β2)g`. */
export class Lion extends Optimizer {
  readonly className: string = "Lion";
  readonly beta1: number;
  readonly beta2: number;

  constructor(options: LionOptions = {}) {
    super("Lion", 0.001, options, KEYS);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.99;
    if (!(this.beta1 > 0 && this.beta1 <= 1)) throw new ValueError(`Lion: \`beta1\` must be in (0, 1], got ${JSON.stringify(this.beta1)}`);
    if (!(this.beta2 >= 0 && this.beta2 <= 1)) throw new ValueError(`Lion: \`beta2\` must be in [0, 1], got ${JSON.stringify(this.beta2)}`);
  }

  protected updateStep(g: Tensor, v: Variable): void {
    const m = this.slot(v, "momentum");
    v.assignSub(multiply(sign(add(multiply(m, this.beta1), multiply(g, 1 - this.beta1))), this.learningRate));
    m.assign(add(multiply(m, this.beta2), multiply(g, 1 - this.beta2)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2 };
  }
}
