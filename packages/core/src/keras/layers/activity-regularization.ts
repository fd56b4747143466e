/** `tf.keras.layers.ActivityRegularization`: passes its input on and adds a penalty on it to `losses`. */
import { identity } from "../../ops/identity.js";
import { optionKeys } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import { L1L2 } from "../regularizers.js";

/** Options of `ActivityRegularization`. */
export interface ActivityRegularizationArgs extends LayerArgs {
  /** Factor of the sum of absolute values (default 0). */
  l1?: number;
  /** Factor of the sum of squares (default 0). */
  l2?: number;
}

/**
 * `new ActivityRegularization({ l1: 0.01 })`: the identity, with `l1 · Σ|x| + l2 · Σx²` of its
 * input, divided by the batch size, added to `layer.losses` at each call (so `fit` minimises it).
 */
export class ActivityRegularization extends Layer {
  static override className = "ActivityRegularization";
  static override argKeys = optionKeys<ActivityRegularizationArgs>()(...LAYER_ARG_KEYS, "l1", "l2");
  readonly l1: number;
  readonly l2: number;

  constructor(args: ActivityRegularizationArgs = {}) {
    super(args);
    const r = new L1L2({ l1: args.l1 ?? 0, l2: args.l2 ?? 0 });
    this.l1 = r.l1;
    this.l2 = r.l2;
    this.activityRegularizer = r;
    this.supportsMasking = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return identity(inputs);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), l1: this.l1, l2: this.l2 };
  }
}
