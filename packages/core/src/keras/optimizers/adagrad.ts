/** `tf.keras.optimizers.Adagrad`: per-element rates from the sum of squared gradients. */
import { add, divide, multiply } from "../../ops/binary.js";
import { sqrt, square } from "../../ops/unary.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { Hyperparameters, SlotSpec, OptimizerOptions } from "./optimizer.js";
import { Optimizer, nonNegative } from "./optimizer.js";

/** Options of `Adagrad`. */
export interface AdagradOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions["learningRate"];
  /** Starting value of the accumulators (default 0.1). */
  initialAccumulatorValue?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

const HYPERPARAMETERS: Hyperparameters<AdagradOptions> = {
  initialAccumulatorValue: { config: "initial_accumulator_value", default: 0.1, check: nonNegative },
  epsilon: { config: "epsilon", default: 1e-7, check: nonNegative },
};

/** `acc ← acc + g²; w ← w − lr·g / √(acc + ε)` (Keras's formula). */
export class Adagrad extends Optimizer {
  readonly className: string = "Adagrad";
  declare readonly initialAccumulatorValue: number;
  declare readonly epsilon: number;

  constructor(options: AdagradOptions = {}) {
    super("Adagrad", 0.001, options, HYPERPARAMETERS);
  }

  protected override slotSpecs(): readonly SlotSpec[] {
    return [{ name: "accumulator", initial: this.initialAccumulatorValue }];
  }

  protected updateStep(g: Tensor, v: Variable): void {
    const acc = this.slot(v, "accumulator", this.initialAccumulatorValue);
    acc.assignAdd(square(g));
    v.assignSub(divide(multiply(g, this.learningRate), sqrt(add(acc, this.epsilon))));
  }
}
