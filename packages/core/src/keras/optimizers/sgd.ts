/** `tf.keras.optimizers.SGD`: gradient descent with optional (Nesterov) momentum. */
import { multiply, subtract } from "../../ops/binary.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { OptimizerOptions } from "./optimizer.js";
import { optionKeys } from "../../options.js";
import { OPTIMIZER_KEYS, Optimizer, checkInRange } from "./optimizer.js";

/** Options of `SGD`. */
export interface SGDOptions extends OptimizerOptions {
  /** Default 0.01. */
  learningRate?: OptimizerOptions["learningRate"];
  /** Velocity decay in [0, 1) (default 0: plain gradient descent). */
  momentum?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
}

const KEYS = optionKeys<SGDOptions>()(...OPTIMIZER_KEYS, "momentum", "nesterov");

/** `v ← momentum·v − lr·g; w ← w + v` (or `w ← w − lr·g` without momentum), as Keras. */
export class SGD extends Optimizer {
  readonly className: string = "SGD";
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    super("SGD", 0.01, options, KEYS);
    this.momentum = options.momentum ?? 0;
    this.nesterov = options.nesterov ?? false;
    checkInRange(this.momentum, 0, 1, "momentum", this.name);
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

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
