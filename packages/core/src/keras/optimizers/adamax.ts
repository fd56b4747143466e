/** `tf.keras.optimizers.Adamax`: Adam with the infinity norm in place of the second moment. */
import { abs } from "../../ops/unary.js";
import { add, divide, maximum, multiply, subtract } from "../../ops/binary.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import { Optimizer } from "./optimizer.js";
import type { SlotSpec } from "./optimizer.js";
import type { MomentOptions } from "./adam.js";
import { MOMENT_HYPERPARAMETERS } from "./adam.js";

/** Options of `Adamax` (`beta2` is the decay of the infinity norm). */
export type AdamaxOptions = MomentOptions;

/** `m ← m + (g − m)(1 − β1)`; `u ← max(β2·u, |g|)`; `w ← w − lr/(1 − β1ᵗ) · m / (u + ε)`. */
export class Adamax extends Optimizer {
  readonly className: string = "Adamax";
  declare readonly beta1: number;
  declare readonly beta2: number;
  declare readonly epsilon: number;

  constructor(options: AdamaxOptions = {}) {
    super("Adamax", 0.001, options, MOMENT_HYPERPARAMETERS);
  }

  protected override slotSpecs(): readonly SlotSpec[] {
    return [{ name: "m", initial: 0 }, { name: "u", initial: 0 }];
  }

  protected updateStep(g: Tensor, v: Variable, step: number): void {
    const m = this.slot(v, "m");
    const u = this.slot(v, "u");
    m.assignAdd(multiply(subtract(g, m), 1 - this.beta1));
    u.assign(maximum(multiply(u, this.beta2), abs(g)));
    const alpha = this.learningRate / (1 - this.beta1 ** step);
    v.assignSub(divide(multiply(m, alpha), add(u, this.epsilon)));
  }
}
