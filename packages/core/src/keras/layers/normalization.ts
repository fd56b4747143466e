/**
 * Normalization layers: `BatchNormalization` (batch statistics while training, moving statistics at
 * inference), `LayerNormalization`, `UnitNormalization` and `GroupNormalization`. They are written
 * from `tf.nn.moments` and elementwise ops, so their gradients come from those.
 */
import { ENGINE } from "../../engine/engine.js";
import { tidy } from "../../engine/tidy.js";
import { ValueError } from "../../errors.js";
import { add, maximum, multiply, subtract } from "../../ops/binary.js";
import { moments } from "../../ops/moments.js";
import { reduceSum } from "../../ops/reduce.js";
import { reshape } from "../../ops/reshape.js";
import { rsqrt, square } from "../../ops/unary.js";
import { optionKeys } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { Initializer, InitializerIdentifier } from "../initializers.js";
import { getInitializer, serializeInitializer } from "../initializers.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import { serializeConstraint } from "../constraints.js";
import { serializeRegularizer } from "../regularizers.js";
import type { WeightRule, WeightRuleArgs } from "./weight-config.js";
import { weightRuleKeys, weightRules } from "./weight-config.js";

/** Options the normalization layers share. */
export interface NormalizationArgs extends LayerArgs, WeightRuleArgs<"beta" | "gamma"> {
  /** Small number added to the variance (default 1e-3). */
  epsilon?: number;
  /** Whether to add the learned offset `beta` (default true). */
  center?: boolean;
  /** Whether to multiply by the learned scale `gamma` (default true). */
  scale?: boolean;
  /** Default "zeros". */
  betaInitializer?: InitializerIdentifier;
  /** Default "ones". */
  gammaInitializer?: InitializerIdentifier;
}

const NORMALIZATION_KEYS = [
  ...LAYER_ARG_KEYS, "epsilon", "center", "scale", "betaInitializer", "gammaInitializer", ...weightRuleKeys("beta", "gamma"),
] as const;

function checkAxisArg(axis: unknown, cls: string): number | number[] {
  const ok = (a: unknown) => Number.isInteger(a);
  if (ok(axis) || (Array.isArray(axis) && axis.length > 0 && axis.every(ok))) return Array.isArray(axis) ? axis.slice() : (axis as number);
  throw new ValueError(`Expected an int or a list/tuple of ints for the argument 'axis' of ${cls}, but received: ${JSON.stringify(axis)}`);
}

/** Resolves `axis` against a rank: non-negative, sorted, checked in range and unique. */
function resolveAxes(axis: number | readonly number[], rank: number, layer: string): number[] {
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out = list.map((a) => (a < 0 ? a + rank : a));
  for (let i = 0; i < out.length; i++) {
    if (out[i]! < 0 || out[i]! >= rank) throw new ValueError(`Invalid axis: ${list[i]} for an input of rank ${rank} (layer "${layer}")`);
  }
  if (new Set(out).size !== out.length) throw new ValueError(`Duplicate axis: ${JSON.stringify(list)} (layer "${layer}")`);
  return out.sort((a, b) => a - b);
}

/** The shared parts: epsilon, center/scale and their weights. */
abstract class NormalizationBase extends Layer {
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  /** The regularizer and constraint of beta and gamma. */
  readonly rules: { readonly beta: WeightRule; readonly gamma: WeightRule };
  /** The learned scale, created by `build` when `scale`. */
  gamma: Variable | null = null;
  /** The learned offset, created by `build` when `center`. */
  beta: Variable | null = null;

  constructor(args: NormalizationArgs) {
    super(args);
    this.rules = weightRules(args, "beta", "gamma");
    const eps = args.epsilon ?? 1e-3;
    if (typeof eps !== "number" || !Number.isFinite(eps) || eps < 0) throw new ValueError(`Layer "${this.name}": epsilon must be a non-negative number, got ${JSON.stringify(args.epsilon)}`);
    this.epsilon = eps;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = getInitializer(args.betaInitializer ?? "zeros");
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? "ones");
    this.supportsMasking = true;
  }

  /** Creates gamma and beta of `shape` (as enabled). */
  protected addScaleAndOffset(shape: number[]): void {
    if (this.scale) this.gamma = this.addWeight("gamma", shape, { initializer: this.gammaInitializer, ...this.rules.gamma });
    if (this.center) this.beta = this.addWeight("beta", shape, { initializer: this.betaInitializer, ...this.rules.beta });
  }

  /** `(x − mean) · rsqrt(variance + epsilon) · gamma + beta`, the statistics and weights broadcast by `paramShape`. */
  protected normalize(x: Tensor, mean: Tensor, variance: Tensor, paramShape: number[]): Tensor {
    return tidy(() => {
      let y = multiply(subtract(x, mean), rsqrt(add(variance, this.epsilon)));
      if (this.gamma) y = multiply(y, reshape(this.gamma, paramShape));
      if (this.beta) y = add(y, reshape(this.beta, paramShape));
      return y;
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  protected normalizationConfig(): Record<string, unknown> {
    return {
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: serializeInitializer(this.betaInitializer),
      gamma_initializer: serializeInitializer(this.gammaInitializer),
      beta_regularizer: serializeRegularizer(this.rules.beta.regularizer),
      gamma_regularizer: serializeRegularizer(this.rules.gamma.regularizer),
    };
  }

  /** The Keras config entries of the constraints. */
  protected constraintConfig(): Record<string, unknown> {
    return { beta_constraint: serializeConstraint(this.rules.beta.constraint), gamma_constraint: serializeConstraint(this.rules.gamma.constraint) };
  }
}

/** Options of `BatchNormalization`. */
export interface BatchNormalizationArgs extends NormalizationArgs {
  /** The features axis (default -1); a list normalizes per combination of those axes. */
  axis?: number | number[];
  /** Momentum of the moving statistics (default 0.99). */
  momentum?: number;
  /** Default "zeros". */
  movingMeanInitializer?: InitializerIdentifier;
  /** Default "ones". */
  movingVarianceInitializer?: InitializerIdentifier;
}

/**
 * Batch normalization (Keras's `BatchNormalization`): while training (`training: true`), normalizes
 * with the batch's mean and variance over every axis but `axis`, and moves the moving statistics
 * toward them (`moving = moving · momentum + batch · (1 − momentum)`); at inference, normalizes with
 * the moving statistics, as it does while training when the layer is not `trainable` (Keras 2's
 * rule for fine-tuning). `movingMean`/`movingVariance` are non-trainable weights, saved with the model.
 */
export class BatchNormalization extends NormalizationBase {
  static override className = "BatchNormalization";
  static override argKeys = optionKeys<BatchNormalizationArgs>()(...NORMALIZATION_KEYS, "axis", "momentum", "movingMeanInitializer", "movingVarianceInitializer");
  readonly axis: number | number[];
  readonly momentum: number;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  /** Moving mean (non-trainable), created by `build`. */
  movingMean: Variable | null = null;
  /** Moving variance (non-trainable), created by `build`. */
  movingVariance: Variable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.axis = checkAxisArg(args.axis ?? -1, "BatchNormalization");
    const m = args.momentum ?? 0.99;
    if (typeof m !== "number" || !(m >= 0 && m <= 1)) throw new ValueError(`Layer "${this.name}": momentum must be a number in [0, 1], got ${JSON.stringify(args.momentum)}`);
    this.momentum = m;
    this.movingMeanInitializer = getInitializer(args.movingMeanInitializer ?? "zeros");
    this.movingVarianceInitializer = getInitializer(args.movingVarianceInitializer ?? "ones");
  }

  override build(inputShape: Shape): void {
    const axes = resolveAxes(this.axis, inputShape.length, this.name);
    const shape: number[] = [];
    const spec: Record<number, number> = {};
    for (const a of axes) {
      const d = inputShape[a];
      if (d === null || d === undefined) {
        throw new ValueError(`Axis ${a} of input tensor should have a defined dimension but the layer received an input with shape ${JSON.stringify(inputShape)}. (layer "${this.name}")`);
      }
      shape.push(d);
      spec[a] = d;
    }
    this.inputSpec = { ndim: inputShape.length, axes: spec };
    this.addScaleAndOffset(shape);
    this.movingMean = this.addWeight("moving_mean", shape, { initializer: this.movingMeanInitializer, trainable: false });
    this.movingVariance = this.addWeight("moving_variance", shape, { initializer: this.movingVarianceInitializer, trainable: false });
    this.built = true;
  }

  override call(inputs: Tensor, options: CallOptions): Tensor {
    const rank = inputs.rank;
    const axes = resolveAxes(this.axis, rank, this.name);
    const paramShape = inputs.shape.map((d, i) => (axes.includes(i) ? d : 1));
    // As in Keras 2+, a frozen (non-trainable) layer runs in inference mode even while training.
    if (!options.training || !this.trainable) {
      return tidy(() => this.normalize(inputs, reshape(this.movingMean!, paramShape), reshape(this.movingVariance!, paramShape), paramShape));
    }
    const reduce = Array.from({ length: rank }, (_, i) => i).filter((i) => !axes.includes(i));
    return tidy(() => {
      const { mean, variance } = moments(inputs, reduce, { keepdims: true });
      const y = this.normalize(inputs, mean, variance, paramShape);
      // The moving statistics are state, not part of the differentiated computation.
      ENGINE.untaped(() => {
        const decay = 1 - this.momentum;
        for (const [v, batch] of [[this.movingMean!, mean], [this.movingVariance!, variance]] as const) {
          const b = reshape(batch, v.shape);
          v.assign(subtract(v, multiply(subtract(v, b), decay)));
        }
      });
      return y;
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? this.axis.slice() : this.axis,
      momentum: this.momentum,
      ...this.normalizationConfig(),
      moving_mean_initializer: serializeInitializer(this.movingMeanInitializer),
      moving_variance_initializer: serializeInitializer(this.movingVarianceInitializer),
      ...this.constraintConfig(),
    };
  }
}

/** Options of `LayerNormalization`. */
export interface LayerNormalizationArgs extends NormalizationArgs {
  /** The axis or axes to normalize over (default -1). */
  axis?: number | number[];
}

/**
 * Layer normalization (Keras's `LayerNormalization`): each example normalized by the mean and
 * variance over `axis`, then scaled by `gamma` and offset by `beta` (of the shape of those axes).
 * The same in training and inference.
 */
export class LayerNormalization extends NormalizationBase {
  static override className = "LayerNormalization";
  static override argKeys = optionKeys<LayerNormalizationArgs>()(...NORMALIZATION_KEYS, "axis");
  readonly axis: number | number[];

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    this.axis = checkAxisArg(args.axis ?? -1, "LayerNormalization");
  }

  override build(inputShape: Shape): void {
    const axes = resolveAxes(this.axis, inputShape.length, this.name);
    const shape = axes.map((a) => {
      const d = inputShape[a];
      if (d === null || d === undefined) throw new ValueError(`Axis ${a} of the input to LayerNormalization "${this.name}" must be defined, got shape ${JSON.stringify(inputShape)}`);
      return d;
    });
    this.addScaleAndOffset(shape);
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const axes = resolveAxes(this.axis, inputs.rank, this.name);
    const paramShape = inputs.shape.map((d, i) => (axes.includes(i) ? d : 1));
    return tidy(() => {
      const { mean, variance } = moments(inputs, axes, { keepdims: true });
      return this.normalize(inputs, mean, variance, paramShape);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? this.axis.slice() : this.axis,
      ...this.normalizationConfig(),
      ...this.constraintConfig(),
    };
  }
}

/** Options of `UnitNormalization`. */
export interface UnitNormalizationArgs extends LayerArgs {
  /** The axis or axes whose L2 norm becomes 1 (default -1). */
  axis?: number | number[];
}

/** Scales each example to unit L2 norm over `axis`: `x / √max(Σ x², 1e-12)` (Keras's `UnitNormalization`). */
export class UnitNormalization extends Layer {
  static override className = "UnitNormalization";
  static override argKeys = optionKeys<UnitNormalizationArgs>()(...LAYER_ARG_KEYS, "axis");
  readonly axis: number | number[];

  constructor(args: UnitNormalizationArgs = {}) {
    super(args);
    this.axis = checkAxisArg(args.axis ?? -1, "UnitNormalization");
    this.supportsMasking = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const axes = resolveAxes(this.axis, inputs.rank, this.name);
    return tidy(() => multiply(inputs, rsqrt(maximum(reduceSum(square(inputs), { axis: axes, keepdims: true }), 1e-12))));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? this.axis.slice() : this.axis };
  }
}

/** Options of `GroupNormalization`. */
export interface GroupNormalizationArgs extends NormalizationArgs {
  /** Number of groups the channels are split into (default 32); must divide the channels. */
  groups?: number;
  /** The channels axis (default -1). */
  axis?: number;
}

/**
 * Group normalization (Keras's `GroupNormalization`): the channels on `axis` are split into `groups`;
 * each example is normalized per group over the group's channels and every other non-batch axis,
 * then scaled and offset per channel. `groups: 1` is layer normalization over all features; groups
 * equal to the channels is instance normalization.
 */
export class GroupNormalization extends NormalizationBase {
  static override className = "GroupNormalization";
  static override argKeys = optionKeys<GroupNormalizationArgs>()(...NORMALIZATION_KEYS, "groups", "axis");
  readonly groups: number;
  readonly axis: number;

  constructor(args: GroupNormalizationArgs = {}) {
    super(args);
    const g = args.groups ?? 32;
    if (!Number.isInteger(g) || g <= 0) throw new ValueError(`Layer "${this.name}": groups must be a positive integer, got ${JSON.stringify(args.groups)}`);
    this.groups = g;
    this.axis = checkAxisArg(args.axis ?? -1, "GroupNormalization") as number;
    if (Array.isArray(this.axis)) throw new ValueError(`Layer "${this.name}": GroupNormalization takes one axis, got ${JSON.stringify(args.axis)}`);
  }

  override build(inputShape: Shape): void {
    const [axis] = resolveAxes(this.axis, inputShape.length, this.name);
    if (axis === 0) throw new ValueError(`Layer "${this.name}": the channels axis cannot be the batch axis`);
    const dim = inputShape[axis!];
    if (dim === null || dim === undefined) {
      throw new ValueError(`Axis ${this.axis} of input tensor should have a defined dimension but the layer received an input with shape ${JSON.stringify(inputShape)}.`);
    }
    if (dim < this.groups) throw new ValueError(`Number of groups (${this.groups}) cannot be more than the number of channels (${dim}).`);
    if (dim % this.groups !== 0) throw new ValueError(`Number of groups (${this.groups}) must be a multiple of the number of channels (${dim}).`);
    this.inputSpec = { ndim: inputShape.length, axes: { [axis!]: dim } };
    this.addScaleAndOffset([dim]);
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const rank = inputs.rank;
    const [axis] = resolveAxes(this.axis, rank, this.name) as [number];
    const shape = inputs.shape;
    const channels = shape[axis]!;
    // [..., C, ...] → [..., G, C/G, ...]: statistics over every axis but the batch and group axes.
    const grouped = [...shape.slice(0, axis), this.groups, channels / this.groups, ...shape.slice(axis + 1)];
    const reduce = grouped.map((_, i) => i).filter((i) => i !== 0 && i !== axis);
    const paramShape = shape.map((d, i) => (i === axis ? d : 1));
    return tidy(() => {
      const g = reshape(inputs, grouped);
      const { mean, variance } = moments(g, reduce, { keepdims: true });
      const normed = reshape(multiply(subtract(g, mean), rsqrt(add(variance, this.epsilon))), shape);
      let y = normed;
      if (this.gamma) y = multiply(y, reshape(this.gamma, paramShape));
      if (this.beta) y = add(y, reshape(this.beta, paramShape));
      return y;
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      groups: this.groups,
      axis: this.axis,
      ...this.normalizationConfig(),
      ...this.constraintConfig(),
    };
  }
}
