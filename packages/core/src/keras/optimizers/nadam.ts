/** `tf.keras.optimizers.Nadam`: Adam with Nesterov momentum and Keras's momentum schedule. */
import { add, divide, multiply, subtract } from "../../ops/binary.js";
import { sqrt, square } from "../../ops/unary.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import { Optimizer } from "./optimizer.js";
import type { SlotSpec } from "./optimizer.js";
import type { MomentOptions } from "./adam.js";
import { MOMENT_HYPERPARAMETERS } from "./adam.js";

/** Options of `Nadam` (`beta2` is the decay of the second moment). */
export type NadamOptions = MomentOptions;

/**
 * Keras's Nadam: `μₜ = β1(1 − ½·0.96ᵗ)`, `Πₜ = μ₁⋯μₜ`; `m̂ = μₜ₊₁·m / (1 − Πₜμₜ₊₁) + (1 − μₜ)·g / (1 − Πₜ)`,
 * `v̂ = v / (1 − β2ᵗ)`, `w ← w − lr·m̂ / (√v̂ + ε)`.
 */
export class Nadam extends Optimizer {
  readonly className: string = "Nadam";
  declare readonly beta1: number;
  declare readonly beta2: number;
  declare readonly epsilon: number;
  /** The product of the momentum schedule up to the current step. */
  private uProduct = 1;

  constructor(options: NadamOptions = {}) {
    super("Nadam", 0.001, options, MOMENT_HYPERPARAMETERS);
  }

  private mu(t: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** t);
  }

  protected override beforeStep(step: number): void {
    this.uProduct *= this.mu(step);
  }

  protected override slotSpecs(): readonly SlotSpec[] {
    return [{ name: "momentum", initial: 0 }, { name: "velocity", initial: 0 }];
  }

  /** The momentum-cache product is a function of the step count: recomputed in the order the steps multiplied it. */
  protected override restoreHostState(steps: number): void {
    let u = 1;
    for (let t = 1; t <= steps; t++) u *= this.mu(t);
    this.uProduct = u;
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
}
