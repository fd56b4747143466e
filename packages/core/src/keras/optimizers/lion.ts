/** `tf.keras.optimizers.Lion`: sign-of-momentum updates. */
import { add, multiply } from "../../ops/binary.js";
import { sign } from "../../ops/unary.js";
import { ValueError } from "../../errors.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { Hyperparameters, SlotSpec, OptimizerOptions } from "./optimizer.js";
import { Optimizer } from "./optimizer.js";

/** Options of `Lion`. */
export interface LionOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions["learningRate"];
  /** Interpolation for the update direction (default 0.9). */
  beta1?: number;
  /** Decay of the momentum (default 0.99). */
  beta2?: number;
}

const HYPERPARAMETERS: Hyperparameters<LionOptions> = {
  beta1: {
    config: "beta_1",
    default: 0.9,
    check: (v) => {
      if (!((v as number) > 0 && (v as number) <= 1)) throw new ValueError(`Lion: \`beta1\` must be in (0, 1], got ${JSON.stringify(v)}`);
    },
  },
  beta2: {
    config: "beta_2",
    default: 0.99,
    check: (v) => {
      if (!((v as number) >= 0 && (v as number) <= 1)) throw new ValueError(`Lion: \`beta2\` must be in [0, 1], got ${JSON.stringify(v)}`);
    },
  },
};

/** `w ← w − lr·sign(β1·m + (1 − β1)g)`; `m ← β2·m + (1 − β2)g`. */
export class Lion extends Optimizer {
  readonly className: string = "Lion";
  declare readonly beta1: number;
  declare readonly beta2: number;

  constructor(options: LionOptions = {}) {
    super("Lion", 0.001, options, HYPERPARAMETERS);
  }

  protected override slotSpecs(): readonly SlotSpec[] {
    return [{ name: "momentum", initial: 0 }];
  }

  protected updateStep(g: Tensor, v: Variable): void {
    const m = this.slot(v, "momentum");
    v.assignSub(multiply(sign(add(multiply(m, this.beta1), multiply(g, 1 - this.beta1))), this.learningRate));
    m.assign(add(multiply(m, this.beta2), multiply(g, 1 - this.beta2)));
  }
}
