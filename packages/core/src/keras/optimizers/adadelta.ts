/** `tf.keras.optimizers.Adadelta`: steps scaled by running averages of squared gradients and squared updates. */
import { add, divide, multiply } from "../../ops/binary.js";
import { neg, sqrt, square } from "../../ops/unary.js";
import { optionKeys } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { OptimizerOptions } from "./optimizer.js";
import { OPTIMIZER_KEYS, Optimizer, checkInRange, checkPositive } from "./optimizer.js";

/** Options of `Adadelta`. */
export interface AdadeltaOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions["learningRate"];
  /** Decay of the running averages (default 0.95). */
  rho?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

const KEYS = optionKeys<AdadeltaOptions>()(...OPTIMIZER_KEYS, "rho", "epsilon");

/**
 * `Eg ← ρ·Eg + (1 − ρ)g²`; `Δ = −√(Ex + ε) / √(Eg + ε) · g`; `Ex ← ρ·Ex + (1 − ρ)Δ²`; `w ← w + lr·Δ`.
 */
export class Adadelta extends Optimizer {
  readonly className: string = "Adadelta";
  readonly rho: number;
  readonly epsilon: number;

  constructor(options: AdadeltaOptions = {}) {
    super("Adadelta", 0.001, options, KEYS);
    this.rho = options.rho ?? 0.95;
    this.epsilon = options.epsilon ?? 1e-7;
    checkInRange(this.rho, 0, 1, "rho", this.name);
    checkPositive(this.epsilon, "epsilon", this.name, true);
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

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}
