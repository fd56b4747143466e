/** `tf.keras.optimizers.Adam` with TensorFlow's defaults and Keras's bias correction. */
import { add, divide, maximum, multiply, subtract } from "../../ops/binary.js";
import { sqrt, square } from "../../ops/unary.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { Hyperparameters, SlotSpec, OptimizerOptions } from "./optimizer.js";
import { Optimizer, inRange, nonNegative } from "./optimizer.js";

/** The options Adam, Adamax and Nadam share: the decays of the two moment estimates and ε. */
export interface MomentOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions["learningRate"];
  /** Decay of the first moment (default 0.9). */
  beta1?: number;
  /** Decay of the second moment (Adamax: of the infinity norm) (default 0.999). */
  beta2?: number;
  /** Added to the denominator (default 1e-7, TensorFlow's "epsilon hat"). */
  epsilon?: number;
}

/** The hyperparameters of `MomentOptions`, saved as Keras's `beta_1`, `beta_2`, `epsilon`. */
export const MOMENT_HYPERPARAMETERS: Hyperparameters<MomentOptions> = {
  beta1: { config: "beta_1", default: 0.9, check: inRange(0, 1) },
  beta2: { config: "beta_2", default: 0.999, check: inRange(0, 1) },
  epsilon: { config: "epsilon", default: 1e-7, check: nonNegative },
};

/** Options of `Adam`. */
export interface AdamOptions extends MomentOptions {
  /** Use the maximum of past second moments (default false). */
  amsgrad?: boolean;
}

const HYPERPARAMETERS: Hyperparameters<AdamOptions> = { ...MOMENT_HYPERPARAMETERS, amsgrad: { config: "amsgrad", default: false } };

/**
 * Adam as Keras computes it: `m ← m + (g − m)(1 − β1)`, `v ← v + (g² − v)(1 − β2)`,
 * `w ← w − α·m / (√v + ε)` with `α = lr·√(1 − β2ᵗ) / (1 − β1ᵗ)`.
 */
export class Adam extends Optimizer {
  readonly className: string = "Adam";
  declare readonly beta1: number;
  declare readonly beta2: number;
  declare readonly epsilon: number;
  declare readonly amsgrad: boolean;

  /** `kind` is the class name used in messages (AdamW passes its own). */
  constructor(options: AdamOptions = {}, kind = "Adam") {
    super(kind, 0.001, options, HYPERPARAMETERS);
  }

  protected override slotSpecs(): readonly SlotSpec[] {
    return this.amsgrad ? [{ name: "m", initial: 0 }, { name: "v", initial: 0 }, { name: "vhat", initial: 0 }] : [{ name: "m", initial: 0 }, { name: "v", initial: 0 }];
  }

  protected updateStep(g: Tensor, v: Variable, step: number): void {
    // The bias corrections are host scalars: one fused step size instead of two tensor divisions.
    const alpha = (this.learningRate * Math.sqrt(1 - this.beta2 ** step)) / (1 - this.beta1 ** step);
    const m = this.slot(v, "m");
    const s = this.slot(v, "v");
    m.assignAdd(multiply(subtract(g, m), 1 - this.beta1));
    s.assignAdd(multiply(subtract(square(g), s), 1 - this.beta2));
    let second: Tensor = s;
    if (this.amsgrad) {
      const vhat = this.slot(v, "vhat");
      vhat.assign(maximum(vhat, s));
      second = vhat;
    }
    v.assignSub(divide(multiply(m, alpha), add(sqrt(second), this.epsilon)));
  }
}

/** Options of `AdamW` (Adam's, with `weightDecay` defaulting to 0.004). */
export type AdamWOptions = AdamOptions;

/** Adam with decoupled weight decay (`weightDecay`, default 0.004): `w ← w − w·weightDecay·lr` before each Adam step. */
export class AdamW extends Adam {
  override readonly className: string = "AdamW";
  constructor(options: AdamWOptions = {}) {
    super({ ...options, weightDecay: options?.weightDecay ?? 0.004 }, "AdamW");
  }
}
