/** `tf.keras.optimizers.Adagrad`: per-element rates from the sum of squared gradients. */
import { add, divide, multiply } from "../../ops/binary.js";
import { sqrt, square } from "../../ops/unary.js";
import { optionKeys } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { OptimizerOptions } from "./optimizer.js";
import { OPTIMIZER_KEYS, Optimizer, checkPositive } from "./optimizer.js";

/** Options of `Adagrad`. */
export interface AdagradOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions["learningRate"];
  /** Starting value of the accumulators (default 0.1). */
  initialAccumulatorValue?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

const KEYS = optionKeys<AdagradOptions>()(...OPTIMIZER_KEYS, "initialAccumulatorValue", "epsilon");

/** `acc ← acc + g²; w ← w − lr·g / √(acc + ε)` (Keras's formula). */
export class Adagrad extends Optimizer {
  readonly className: string = "Adagrad";
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(options: AdagradOptions = {}) {
    super("Adagrad", 0.001, options, KEYS);
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0.1;
    this.epsilon = options.epsilon ?? 1e-7;
    checkPositive(this.initialAccumulatorValue, "initialAccumulatorValue", this.name, true);
    checkPositive(this.epsilon, "epsilon", this.name, true);
  }

  protected updateStep(g: Tensor, v: Variable): void {
    const acc = this.slot(v, "accumulator", this.initialAccumulatorValue);
    acc.assignAdd(square(g));
    v.assignSub(divide(multiply(g, this.learningRate), sqrt(add(acc, this.epsilon))));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
