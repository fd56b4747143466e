/** `tf.keras.optimizers.Nadam`: Adam with Nesterov momentum and Keras's momentum schedule. */
import { add, divide, multiply, subtract } from "../../ops/binary.js";
import { sqrt, square } from "../../ops/unary.js";
import { optionKeys } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { OptimizerOptions } from "./optimizer.js";
import { OPTIMIZER_KEYS, Optimizer, checkInRange, checkPositive } from "./optimizer.js";

/** Options of `Nadam`. */
export interface NadamOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions["learningRate"];
  /** Decay of the first moment (default 0.9). */
  beta1?: number;
  /** Decay of the second moment (default 0.999). */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

const KEYS = optionKeys<NadamOptions>()(...OPTIMIZER_KEYS, "beta1", "beta2", "epsilon");

/**
 * Keras's Nadam: `μₜ = β1(1 − ½·0.96ᵗ)`, `Πₜ = μ₁⋯μₜ`; `m̂ = μₜ₊₁·m / (1 − Πₜμₜ₊₁) + (1 − μₜ)·g / (1 − Πₜ)`,
 * `v̂ = v / (1 − β2ᵗ)`, `w ← w − lr·m̂ / (√v̂ + ε)`.
 */
export class Nadam extends Optimizer {
  readonly className: string = "Nadam";
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** The product of the momentum schedule up to the current step. */
  private uProduct = 1;

  constructor(options: NadamOptions = {}) {
    super("Nadam", 0.001, options, KEYS);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    checkInRange(this.beta1, 0, 1, "beta1", this.name);
    checkInRange(this.beta2, 0, 1, "beta2", this.name);
    checkPositive(this.epsilon, "epsilon", this.name, true);
  }

  private mu(t: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** t);
  }

  protected override beforeStep(step: number): void {
    this.uProduct *= this.mu(step);
  }

  protected updateStep(g: Tensor, v: Variable, step: number): void {
    const ut = this.mu(step), ut1 = this.mu(step + 1);
    const prod = this.uProduct, prod1 = prod * ut1;
    const m = this.slot(v, "momentum");
    const s = this.slot(v, "velocity");
    m.assignAdd(multiply(subtract(g, m), 1 - this.beta1));
    s.assignAdd(multiply(subtract(square(g), s), 1 - this.beta2));
    const mHat = add(multiply(m, ut1 / (1 - prod1)), multiply(g, (1 - ut) / (1 - prod)));
    const vHat = divide(s, 1 - this.beta2 ** step);
    v.assignSub(divide(multiply(mHat, this.learningRate), add(sqrt(vHat), this.epsilon)));
  }

  override dispose(): void {
    super.dispose();
    this.uProduct = 1;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
