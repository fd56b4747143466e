/** `tf.keras.optimizers.Adamax`: Adam with the infinity norm in place of the second moment. */
import { abs } from "../../ops/unary.js";
import { add, divide, maximum, multiply, subtract } from "../../ops/binary.js";
import { optionKeys } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { OptimizerOptions } from "./optimizer.js";
import { OPTIMIZER_KEYS, Optimizer, checkInRange, checkPositive } from "./optimizer.js";

/** Options of `Adamax`. */
export interface AdamaxOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions["learningRate"];
  /** Decay of the first moment (default 0.9). */
  beta1?: number;
  /** Decay of the infinity norm (default 0.999). */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

const KEYS = optionKeys<AdamaxOptions>()(...OPTIMIZER_KEYS, "beta1", "beta2", "epsilon");

/** `m ← m + (g − m)(1 − β1)`; `u ← max(β2·u, |g|)`; `w ← w − lr/(1 − β1ᵗ) · m / (u + ε)`. */
export class Adamax extends Optimizer {
  readonly className: string = "Adamax";
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamaxOptions = {}) {
    super("Adamax", 0.001, options, KEYS);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    checkInRange(this.beta1, 0, 1, "beta1", this.name);
    checkInRange(this.beta2, 0, 1, "beta2", this.name);
    checkPositive(this.epsilon, "epsilon", this.name, true);
  }

  protected updateStep(g: Tensor, v: Variable, step: number): void {
    const m = this.slot(v, "m");
    const u = this.slot(v, "u");
    m.assignAdd(multiply(subtract(g, m), 1 - this.beta1));
    u.assign(maximum(multiply(u, this.beta2), abs(g)));
    const alpha = this.learningRate / (1 - this.beta1 ** step);
    v.assignSub(divide(multiply(m, alpha), add(u, this.epsilon)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
