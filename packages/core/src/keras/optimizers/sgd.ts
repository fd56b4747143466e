/** `tf.keras.optimizers.SGD`: gradient descent with optional (Nesterov) momentum. */
import { multiply, subtract } from "../../ops/binary.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { Hyperparameters, SlotSpec, OptimizerOptions } from "./optimizer.js";
import { Optimizer, inRange } from "./optimizer.js";

/** Options of `SGD`. */
export interface SGDOptions extends OptimizerOptions {
  /** Default 0.01. */
  learningRate?: OptimizerOptions["learningRate"];
  /** Velocity decay in [0, 1) (default 0: plain gradient descent). */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

const HYPERPARAMETERS: Hyperparameters<SGDOptions> = {
  momentum: { config: "momentum", default: 0, check: inRange(0, 1) },
  nesterov: { config: "nesterov", default: false },
};

/** `v ← momentum·v − lr·g; w ← w + v` (or `w ← w − lr·g` without momentum), as Keras. */
export class SGD extends Optimizer {
  readonly className: string = "SGD";
  declare readonly momentum: number;
  declare readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    super("SGD", 0.01, options, HYPERPARAMETERS);
  }

  protected override slotSpecs(): readonly SlotSpec[] {
    return this.momentum === 0 ? [] : [{ name: "momentum", initial: 0 }];
  }

  protected updateStep(g: Tensor, v: Variable): void {
    const lr = this.learningRate;
    if (this.momentum === 0) {
      v.assignSub(multiply(g, lr));
      return;
    }
    const m = this.slot(v, "momentum");
    m.assign(subtract(multiply(m, this.momentum), multiply(g, lr)));
    if (this.nesterov) v.assignAdd(subtract(multiply(m, this.momentum), multiply(g, lr)));
    else v.assignAdd(m);
  }
}
