/**
 * Advanced activation layers: `LeakyReLU`, `PReLU` (a learned slope), `ELU`, `ReLU` (with
 * `maxValue`, `negativeSlope`, `threshold`), `Softmax` (with a mask) and `ThresholdedReLU`.
 */
import { ValueError } from "../../errors.js";
import { add, minimum, multiply, subtract } from "../../ops/binary.js";
import { cast } from "../../ops/cast.js";
import { greater, where } from "../../ops/compare.js";
import { leakyRelu } from "../../ops/leaky-relu.js";
import { softmax } from "../../ops/nn.js";
import { reduceLogSumExp } from "../../ops/reduce.js";
import { elu, exp, neg, relu } from "../../ops/unary.js";
import { optionKeys } from "../../options.js";
import { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { Initializer, InitializerIdentifier } from "../initializers.js";
import { getInitializer, serializeInitializer } from "../initializers.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import { serializeConstraint } from "../constraints.js";
import { serializeRegularizer } from "../regularizers.js";
import type { WeightRule, WeightRuleArgs } from "./weight-config.js";
import { weightRuleKeys, weightRules } from "./weight-config.js";

/** Runs `f` on temporaries collected in `tmp`, freeing them afterwards. */
function withTemps(f: (keep: (t: Tensor) => Tensor) => Tensor): Tensor {
  const tmp: Tensor[] = [];
  try {
    return f((t) => {
      tmp.push(t);
      return t;
    });
  } finally {
    for (const t of tmp) t.dispose();
  }
}

function nonNegative(v: unknown, what: string, cls: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new ValueError(`${what} of a ${cls} layer cannot be a negative value (or not a number). Got: ${JSON.stringify(v)}`);
  return v;
}

/** An activation layer: passes masks through, keeps the input shape. */
abstract class ActivationLayer extends Layer {
  constructor(args: LayerArgs) {
    super(args);
    this.supportsMasking = true;
  }
  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }
}

/** Options of `LeakyReLU`. */
export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for negative inputs (default 0.3, Keras's). */
  alpha?: number;
  /** Keras 3's name for `alpha`. */
  negativeSlope?: number;
}

/** `new LeakyReLU({ alpha: 0.1 })`: `x` where positive, `alpha · x` elsewhere. */
export class LeakyReLU extends ActivationLayer {
  static override className = "LeakyReLU";
  static override argKeys = optionKeys<LeakyReLUArgs>()(...LAYER_ARG_KEYS, "alpha", "negativeSlope");
  readonly alpha: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    if (args.alpha !== undefined && args.negativeSlope !== undefined) throw new ValueError(`Layer "${this.name}": pass \`alpha\` or \`negativeSlope\`, not both`);
    this.alpha = nonNegative(args.alpha ?? args.negativeSlope ?? 0.3, "alpha", "LeakyReLU");
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return leakyRelu(inputs, { alpha: this.alpha });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/** Options of `PReLU`. */
export interface PReLUArgs extends LayerArgs, WeightRuleArgs<"alpha"> {
  /** Initializer of the slopes (default "zeros"). */
  alphaInitializer?: InitializerIdentifier;
  /** Axes (1-based, excluding the batch) along which one slope is shared, e.g. `[1, 2]` for one slope per channel of an image. */
  sharedAxes?: number | readonly number[] | null;
}

/** `new PReLU()`: `x` where positive, `alpha · x` elsewhere, with a learned `alpha` per input element (or per channel with `sharedAxes`). */
export class PReLU extends Layer {
  static override className = "PReLU";
  static override argKeys = optionKeys<PReLUArgs>()(...LAYER_ARG_KEYS, "alphaInitializer", ...weightRuleKeys("alpha"), "sharedAxes");
  readonly alphaInitializer: Initializer;
  /** The slopes' regularizer and constraint. */
  readonly rules: { readonly alpha: WeightRule };
  readonly sharedAxes: number[] | null;
  /** The slopes, created by `build`. */
  alpha: Variable | null = null;

  constructor(args: PReLUArgs = {}) {
    super(args);
    this.rules = weightRules(args, "alpha");
    this.alphaInitializer = getInitializer(args.alphaInitializer ?? "zeros");
    const shared = args.sharedAxes ?? null;
    this.sharedAxes = shared === null ? null : typeof shared === "number" ? [shared] : shared.slice();
    if (this.sharedAxes?.some((a) => !Number.isInteger(a) || a < 1)) throw new ValueError(`Layer "${this.name}": \`sharedAxes\` must be positive axes (1 is the first after the batch), got ${JSON.stringify(shared)}`);
    this.supportsMasking = true;
  }

  override build(inputShape: Shape): void {
    const shape = inputShape.slice(1);
    for (const a of this.sharedAxes ?? []) {
      if (a > shape.length) throw new ValueError(`Layer "${this.name}": shared axis ${a} is outside inputs of shape ${JSON.stringify(inputShape)}`);
      shape[a - 1] = 1;
    }
    if (shape.some((d) => d === null)) throw new ValueError(`Layer "${this.name}": PReLU needs known sizes on its unshared axes, got input shape ${JSON.stringify(inputShape)}`);
    this.alpha = this.addWeight("alpha", shape as number[], { initializer: this.alphaInitializer, ...this.rules.alpha });
    const axes: Record<number, number> = {};
    shape.forEach((d, i) => {
      if (!this.sharedAxes?.includes(i + 1)) axes[i + 1] = d!;
    });
    this.inputSpec = { ndim: inputShape.length, axes };
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    // relu(x) − alpha · relu(−x), as Keras computes it.
    return withTemps((keep) => subtract(keep(relu(inputs)), keep(multiply(this.alpha!, keep(relu(keep(neg(inputs))))))));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha_initializer: serializeInitializer(this.alphaInitializer), alpha_regularizer: serializeRegularizer(this.rules.alpha.regularizer), alpha_constraint: serializeConstraint(this.rules.alpha.constraint), shared_axes: this.sharedAxes };
  }
}

/** Options of `ELU`. */
export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

/** `new ELU({ alpha: 1 })`: `x` where positive, `alpha · (exp(x) − 1)` elsewhere. */
export class ELU extends ActivationLayer {
  static override className = "ELU";
  static override argKeys = optionKeys<ELUArgs>()(...LAYER_ARG_KEYS, "alpha");
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    super(args);
    const a = args.alpha ?? 1;
    if (typeof a !== "number" || !Number.isFinite(a)) throw new ValueError(`Alpha of an ELU layer must be a number. Got: ${JSON.stringify(args.alpha)}`);
    this.alpha = a;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    if (this.alpha === 1) return elu(inputs);
    return withTemps((keep) => {
      const e = keep(elu(inputs));
      return where(keep(greater(inputs, 0)), e, keep(multiply(e, this.alpha)));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/** Options of `ReLU`. */
export interface ReLUArgs extends LayerArgs {
  /** Largest output (default: none). */
  maxValue?: number | null;
  /** Slope below the threshold (default 0). */
  negativeSlope?: number;
  /** Inputs at or below it are "negative" (default 0). */
  threshold?: number;
}

/**
 * `new ReLU({ maxValue: 6 })`: `min(x, maxValue)` for `x > threshold`, `negativeSlope · (x − threshold)`
 * otherwise (Keras's `backend.relu`).
 */
export class ReLU extends ActivationLayer {
  static override className = "ReLU";
  static override argKeys = optionKeys<ReLUArgs>()(...LAYER_ARG_KEYS, "maxValue", "negativeSlope", "threshold");
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super(args);
    this.maxValue = args.maxValue === undefined || args.maxValue === null ? null : nonNegative(args.maxValue, "max_value", "ReLU");
    this.negativeSlope = nonNegative(args.negativeSlope ?? 0, "negative_slope", "ReLU");
    this.threshold = nonNegative(args.threshold ?? 0, "threshold", "ReLU");
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const { maxValue: max, negativeSlope: slope, threshold: th } = this;
    if (slope !== 0 && max === null && th === 0) return leakyRelu(inputs, { alpha: slope });
    return withTemps((keep) => {
      let x = th !== 0 ? multiply(inputs, keep(cast(keep(greater(inputs, th)), inputs.dtype))) : relu(inputs);
      if (max !== null) x = minimum(keep(x), max);
      if (slope === 0) return x;
      const negative = keep(relu(keep(th !== 0 ? subtract(th, inputs) : neg(inputs))));
      return subtract(keep(x), keep(multiply(negative, slope)));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), max_value: this.maxValue, negative_slope: this.negativeSlope, threshold: this.threshold };
  }
}

/** Options of `Softmax`. */
export interface SoftmaxArgs extends LayerArgs {
  /** Axis (or axes) to normalize over (default -1). */
  axis?: number | readonly number[];
}

/** `new Softmax({ axis: -1 })`: exp(x) / Σ exp(x); masked-out positions (mask false) get probability 0. */
export class Softmax extends ActivationLayer {
  static override className = "Softmax";
  static override argKeys = optionKeys<SoftmaxArgs>()(...LAYER_ARG_KEYS, "axis");
  readonly axis: number | number[];

  constructor(args: SoftmaxArgs = {}) {
    super(args);
    const a = args.axis ?? -1;
    if (!(Number.isInteger(a) || (Array.isArray(a) && a.length > 0 && a.every(Number.isInteger)))) throw new ValueError(`Layer "${this.name}": \`axis\` must be an integer or a list of them, got ${JSON.stringify(args.axis)}`);
    this.axis = typeof a === "number" ? a : a.slice();
  }

  override call(inputs: Tensor, options: CallOptions): Tensor {
    return withTemps((keep) => {
      let x = inputs;
      const mask = options.mask;
      if (mask instanceof Tensor) {
        // Keras adds a large negative number where the mask is false.
        const off = keep(subtract(1, keep(cast(mask, inputs.dtype))));
        x = keep(add(inputs, keep(multiply(off, -1e9))));
      }
      const axis = this.axis;
      if (typeof axis === "number" || axis.length === 1) return softmax(x, typeof axis === "number" ? axis : axis[0]!);
      return exp(keep(subtract(x, keep(reduceLogSumExp(x, { axis, keepdims: true })))));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? this.axis.slice() : this.axis };
  }
}

/** Options of `ThresholdedReLU`. */
export interface ThresholdedReLUArgs extends LayerArgs {
  /** Inputs at or below it become 0 (default 1). */
  theta?: number;
}

/** `new ThresholdedReLU({ theta: 1 })`: `x` where `x > theta`, else 0. */
export class ThresholdedReLU extends ActivationLayer {
  static override className = "ThresholdedReLU";
  static override argKeys = optionKeys<ThresholdedReLUArgs>()(...LAYER_ARG_KEYS, "theta");
  readonly theta: number;

  constructor(args: ThresholdedReLUArgs = {}) {
    super(args);
    this.theta = nonNegative(args.theta ?? 1, "theta", "ThresholdedReLU");
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return withTemps((keep) => multiply(inputs, keep(cast(keep(greater(inputs, this.theta)), inputs.dtype))));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), theta: this.theta };
  }
}
