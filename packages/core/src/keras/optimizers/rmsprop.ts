/** `tf.keras.optimizers.RMSprop` as Keras computes it (ε inside the square root). */
import { add, multiply, subtract } from "../../ops/binary.js";
import { rsqrt, square } from "../../ops/unary.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { Hyperparameters, SlotSpec, OptimizerOptions } from "./optimizer.js";
import { Optimizer, inRange, nonNegative } from "./optimizer.js";

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

const HYPERPARAMETERS: Hyperparameters<RMSpropOptions> = {
  rho: { config: "rho", default: 0.9, check: inRange(0, 1) },
  momentum: { config: "momentum", default: 0, check: nonNegative },
  epsilon: { config: "epsilon", default: 1e-7, check: nonNegative },
  centered: { config: "centered", default: false },
};

/**
 * `ms ← ρ·ms + (1 − ρ)g²`; `Δ = lr·g / √(ms + ε)` (centred: `ms − mg² + ε`);
 * with momentum `mom ← momentum·mom + Δ`, `w ← w − mom`, else `w ← w − Δ`.
 */
export class RMSprop extends Optimizer {
  readonly className: string = "RMSprop";
  declare readonly rho: number;
  declare readonly momentum: number;
  declare readonly epsilon: number;
  declare readonly centered: boolean;

  constructor(options: RMSpropOptions = {}) {
    super("RMSprop", 0.001, options, HYPERPARAMETERS);
  }

  protected override slotSpecs(): readonly SlotSpec[] {
    const specs: SlotSpec[] = [{ name: "velocity", initial: 0 }];
    if (this.momentum > 0) specs.push({ name: "momentum", initial: 0 });
    if (this.centered) specs.push({ name: "average_gradient", initial: 0 });
    return specs;
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
}
