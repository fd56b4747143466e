/** `tf.keras.optimizers.RMSprop` as Keras computes it (ε inside the square root). */
import { add, multiply, subtract } from "../../ops/binary.js";
import { rsqrt, square } from "../../ops/unary.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { OptimizerOptions } from "./optimizer.js";
import { optionKeys } from "../../options.js";
import { OPTIMIZER_KEYS, Optimizer, checkInRange, checkPositive } from "./optimizer.js";

/** Options of `RMSprop`. */
export interface RMSpropOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions["learningRate"];
  /** Decay of the mean square (default 0.9). */
  rho?: number;
  /** Default 0. */
  momentum?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Normalise by the centred second moment (default false). */
  centered?: boolean;
}

const KEYS = optionKeys<RMSpropOptions>()(...OPTIMIZER_KEYS, "rho", "momentum", "epsilon", "centered");

/**
 * `ms ← ρ·ms + (1 − ρ)g²`; `Δ = lr·g / √(ms + ε)` (centred: `ms − mg² + ε`);
 * with momentum `mom ← momentum·mom + Δ`, `w ← w − mom`, else `w ← w − Δ`.
 */
export class RMSprop extends Optimizer {
  readonly className: string = "RMSprop";
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options: RMSpropOptions = {}) {
    super("RMSprop", 0.001, options, KEYS);
    this.rho = options.rho ?? 0.9;
    this.momentum = options.momentum ?? 0;
    this.epsilon = options.epsilon ?? 1e-7;
    this.centered = options.centered ?? false;
    checkInRange(this.rho, 0, 1, "rho", this.name);
    checkPositive(this.momentum, "momentum", this.name, true);
    checkPositive(this.epsilon, "epsilon", this.name, true);
  }

  protected updateStep(g: Tensor, v: Variable): void {
    const rho = this.rho;
    const ms = this.slot(v, "velocity");
    ms.assign(add(multiply(ms, rho), multiply(square(g), 1 - rho)));
    let denominator: Tensor;
    if (this.centered) {
      const mg = this.slot(v, "average_gradient");
      mg.assign(add(multiply(mg, rho), multiply(g, 1 - rho)));
      denominator = add(subtract(ms, square(mg)), this.epsilon);
    } else {
      denominator = add(ms, this.epsilon);
    }
    const increment = multiply(multiply(g, this.learningRate), rsqrt(denominator));
    if (this.momentum > 0) {
      const mom = this.slot(v, "momentum");
      mom.assign(add(multiply(mom, this.momentum), increment));
      v.assignSub(mom);
    } else {
      v.assignSub(increment);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
