/** `tf.keras.optimizers.Adadelta`: steps scaled by running averages of squared gradients and squared updates. */
import { add, divide, multiply } from "../../ops/binary.js";
import { neg, sqrt, square } from "../../ops/unary.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { Hyperparameters, SlotSpec, OptimizerOptions } from "./optimizer.js";
import { Optimizer, inRange, nonNegative } from "./optimizer.js";

/** Options of `Adadelta`. */
export interface AdadeltaOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions["learningRate"];
  /** Decay of the running averages (default 0.95). */
  rho?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

const HYPERPARAMETERS: Hyperparameters<AdadeltaOptions> = {
  rho: { config: "rho", default: 0.95, check: inRange(0, 1) },
  epsilon: { config: "epsilon", default: 1e-7, check: nonNegative },
};

/**
 * `Eg ← ρ·Eg + (1 − ρ)g²`; `Δ = −√(Ex + ε) / √(Eg + ε) · g`; `Ex ← ρ·Ex + (1 − ρ)Δ²`; `w ← w + lr·Δ`.
 */
export class Adadelta extends Optimizer {
  readonly className: string = "Adadelta";
  declare readonly rho: number;
  declare readonly epsilon: number;

  constructor(options: AdadeltaOptions = {}) {
    super("Adadelta", 0.001, options, HYPERPARAMETERS);
  }

  protected override slotSpecs(): readonly SlotSpec[] {
    return [{ name: "accumulated_grad", initial: 0 }, { name: "accumulated_delta_var", initial: 0 }];
  }

  protected updateStep(g: Tensor, v: Variable): void {
    const rho = this.rho, eps = this.epsilon;
    const eg = this.slot(v, "accumulated_grad");
    const ex = this.slot(v, "accumulated_delta_var");
    eg.assign(add(multiply(eg, rho), multiply(square(g), 1 - rho)));
    const delta = neg(multiply(divide(sqrt(add(ex, eps)), sqrt(add(eg, eps))), g));
    ex.assign(add(multiply(ex, rho), multiply(square(delta), 1 - rho)));
    v.assignAdd(multiply(delta, this.learningRate));
  }
}
