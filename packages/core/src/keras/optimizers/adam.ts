/** `tf.keras.optimizers.Adam` with TensorFlow's defaults and Keras's bias correction. */
import { add, divide, maximum, multiply, subtract } from "../../ops/binary.js";
import { sqrt, square } from "../../ops/unary.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { OptimizerOptions } from "./optimizer.js";
import { optionKeys } from "../../options.js";
import { OPTIMIZER_KEYS, Optimizer, checkInRange, checkPositive } from "./optimizer.js";

/** Options of `Adam`. */
export interface AdamOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions["learningRate"];
  /** Decay of the first moment (default 0.9). */
  beta1?: number;
  /** Decay of the second moment (default 0.999). */
  beta2?: number;
  /** Added to √v (default 1e-7, TensorFlow's "epsilon hat"). */
  epsilon?: number;
  /** Use the maximum of past second moments (default false). */
  amsgrad?: boolean;
}

const KEYS = optionKeys<AdamOptions>()(...OPTIMIZER_KEYS, "beta1", "beta2", "epsilon", "amsgrad");

/**
 * Adam as Keras computes it: `m ← m + (g − m)(1 − β1)`, `v ← v + (g² − v)(1 − β2)`,
 * `w ← w − α·m / (√v + ε)` with `α = lr·√(1 − β2ᵗ) / (1 − β1ᵗ)`.
 */
export class Adam extends Optimizer {
  readonly className: string = "Adam";
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  /** `kind` is the class name used in messages (AdamW passes its own). */
  constructor(options: AdamOptions = {}, kind = "Adam") {
    super(kind, 0.001, options, KEYS);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.amsgrad = options.amsgrad ?? false;
    checkInRange(this.beta1, 0, 1, "beta1", this.name);
    checkInRange(this.beta2, 0, 1, "beta2", this.name);
    checkPositive(this.epsilon, "epsilon", this.name, true);
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

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
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
