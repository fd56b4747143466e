/**
 * The rest of `tf.keras.losses`: regression (Huber, LogCosh, MSLE, MAPE), probabilistic (KL divergence,
 * Poisson), margin (Hinge, SquaredHinge, CategoricalHinge), CosineSimilarity and the focal
 * cross-entropies, each as a per-example function and a class, with Keras's formulas.
 */
import { ValueError } from "../errors.js";
import { tidy } from "../engine/tidy.js";
import { add, divide, maximum, minimum, multiply, pow, subtract } from "../ops/binary.js";
import { equal, lessEqual, logicalOr, where } from "../ops/compare.js";
import { cast } from "../ops/cast.js";
import { l2Normalize } from "../ops/l2-normalize.js";
import { softmax } from "../ops/nn.js";
import { reduceAll, reduceMax, reduceMean, reduceSum } from "../ops/reduce.js";
import { abs, log, neg, sigmoid, softplus, square } from "../ops/unary.js";
import { optionKeys } from "../options.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import type { LossOptions } from "./losses.js";
import { EPSILON, LOSS_KEYS, Loss, registerLoss } from "./losses.js";

/** yPred as a float tensor and yTrue cast to its dtype. */
function pair(yTrue: TensorLike, yPred: TensorLike, op: string): [Tensor, Tensor] {
  let p = toTensor(yPred, op, "float32");
  if (p.dtype !== "float32" && p.dtype !== "float64") p = cast(p, "float32");
  let t = toTensor(yTrue, op, p.dtype);
  if (t.dtype !== p.dtype) t = cast(t, p.dtype);
  return [t, p];
}

const clip = (x: Tensor, lo: number, hi: number): Tensor => maximum(minimum(x, hi), lo);

/** Per-example mean of `(log(1 + p) − log(1 + t))²` over the last axis (values below ε taken as ε). */
export function meanSquaredLogarithmicError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = pair(yTrue, yPred, "mean_squared_logarithmic_error");
    return reduceMean(square(subtract(log(add(maximum(p, EPSILON), 1)), log(add(maximum(t, EPSILON), 1)))), { axis: -1 });
  });
}

/** Per-example `100 · mean(|t − p| / max(|t|, ε))` over the last axis. */
export function meanAbsolutePercentageError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = pair(yTrue, yPred, "mean_absolute_percentage_error");
    return multiply(reduceMean(divide(abs(subtract(t, p)), maximum(abs(t), EPSILON)), { axis: -1 }), 100);
  });
}

/** Per-example Huber loss: `½e²` where `|e| ≤ delta`, else `delta·|e| − ½delta²` (mean over the last axis). */
export function huber(yTrue: TensorLike, yPred: TensorLike, delta = 1): Tensor {
  return tidy(() => {
    const [t, p] = pair(yTrue, yPred, "huber");
    const e = abs(subtract(p, t));
    const quad = multiply(square(e), 0.5);
    const lin = subtract(multiply(e, delta), 0.5 * delta * delta);
    return reduceMean(where(lessEqual(e, delta), quad, lin), { axis: -1 });
  });
}

/** Per-example mean of `log(cosh(p − t))` over the last axis, computed without overflow. */
export function logCosh(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = pair(yTrue, yPred, "log_cosh");
    const x = subtract(p, t);
    return reduceMean(subtract(add(x, softplus(multiply(x, -2))), Math.log(2)), { axis: -1 });
  });
}

/** Per-example `Σ t·log(t / p)` over the last axis, both clipped to [ε, 1]. */
export function klDivergence(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t0, p0] = pair(yTrue, yPred, "kl_divergence");
    const t = clip(t0, EPSILON, 1), p = clip(p0, EPSILON, 1);
    return reduceSum(multiply(t, log(divide(t, p))), { axis: -1 });
  });
}

/** Per-example mean of `p − t·log(p + ε)` over the last axis. */
export function poisson(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = pair(yTrue, yPred, "poisson");
    return reduceMean(subtract(p, multiply(t, log(add(p, EPSILON)))), { axis: -1 });
  });
}

/** Labels for the hinge losses: 0/1 labels become -1/1, as Keras converts them. */
function hingeLabels(t: Tensor): Tensor {
  const binary = reduceAll(logicalOr(equal(t, 0), equal(t, 1)));
  return where(binary, subtract(multiply(t, 2), 1), t);
}

/** Per-example mean of `max(1 − t·p, 0)` (labels -1/1, or 0/1 converted). */
export function hinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = pair(yTrue, yPred, "hinge");
    return reduceMean(maximum(subtract(1, multiply(hingeLabels(t), p)), 0), { axis: -1 });
  });
}

/** Per-example mean of `max(1 − t·p, 0)²` (labels -1/1, or 0/1 converted). */
export function squaredHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = pair(yTrue, yPred, "squared_hinge");
    return reduceMean(square(maximum(subtract(1, multiply(hingeLabels(t), p)), 0)), { axis: -1 });
  });
}

/** Per-example `max(max((1 − t)·p) − Σ t·p + 1, 0)` for one-hot labels. */
export function categoricalHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const [t, p] = pair(yTrue, yPred, "categorical_hinge");
    const pos = reduceSum(multiply(t, p), { axis: -1 });
    const negative = reduceMax(multiply(subtract(1, t), p), { axis: -1 });
    return maximum(add(subtract(negative, pos), 1), 0);
  });
}

/** Per-example negative cosine similarity along `axis` (-1 for parallel vectors, 0 for orthogonal). */
export function cosineSimilarity(yTrue: TensorLike, yPred: TensorLike, axis = -1): Tensor {
  return tidy(() => {
    const [t, p] = pair(yTrue, yPred, "cosine_similarity");
    return neg(reduceSum(multiply(l2Normalize(t, { axis }), l2Normalize(p, { axis })), { axis }));
  });
}

/** Options of the focal cross-entropies. */
export interface FocalOptions {
  /** The class weight (default 0.25). */
  alpha?: number;
  /** The focusing exponent (default 2). */
  gamma?: number;
  fromLogits?: boolean;
  /** Smooths the labels towards uniform, 0.5 for binary labels (default 0). */
  labelSmoothing?: number;
  /** The class axis, for binary labels the axis averaged over (default -1). */
  axis?: number;
}

/** Options of `BinaryFocalCrossentropy`. */
export interface BinaryFocalOptions extends FocalOptions {
  /** Weight positives by `alpha` and negatives by `1 − alpha` (default false). */
  applyClassBalancing?: boolean;
}

/** Per-example binary focal cross-entropy: `(1 − pₜ)^γ · BCE`, optionally class-balanced by `alpha`. */
export function binaryFocalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: BinaryFocalOptions = {}): Tensor {
  return tidy(() => {
    let [t, p] = pair(yTrue, yPred, "binary_focal_crossentropy");
    const ls = options.labelSmoothing ?? 0;
    if (ls > 0) t = add(multiply(t, 1 - ls), 0.5 * ls);
    if (options.fromLogits) p = sigmoid(p);
    const o = clip(p, EPSILON, 1 - EPSILON);
    const bce = neg(add(multiply(t, log(o)), multiply(subtract(1, t), log(subtract(1, o)))));
    const pt = add(multiply(t, p), multiply(subtract(1, t), subtract(1, p)));
    let focal = multiply(pow(subtract(1, pt), options.gamma ?? 2), bce);
    if (options.applyClassBalancing) {
      const a = options.alpha ?? 0.25;
      focal = multiply(add(multiply(t, a), multiply(subtract(1, t), 1 - a)), focal);
    }
    return reduceMean(focal, { axis: options.axis ?? -1 });
  });
}

/** Options of `CategoricalFocalCrossentropy`. */
export type CategoricalFocalOptions = FocalOptions;

/** Per-example categorical focal cross-entropy: `Σ −alpha·(1 − p)^γ · t·log p` over the class axis. */
export function categoricalFocalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CategoricalFocalOptions = {}): Tensor {
  return tidy(() => {
    let [t, p] = pair(yTrue, yPred, "categorical_focal_crossentropy");
    const axis = options.axis ?? -1;
    const ls = options.labelSmoothing ?? 0;
    if (ls > 0) t = add(multiply(t, 1 - ls), ls / p.shape[p.rank - 1]!);
    if (options.fromLogits) p = softmax(p, axis);
    p = clip(divide(p, reduceSum(p, { axis, keepdims: true })), EPSILON, 1 - EPSILON);
    const cce = neg(multiply(t, log(p)));
    const weight = multiply(pow(subtract(1, p), options.gamma ?? 2), options.alpha ?? 0.25);
    return reduceSum(multiply(weight, cce), { axis });
  });
}

function simple(className: string, defaultName: string, fn: (t: Tensor, p: Tensor) => Tensor): new (options?: LossOptions) => Loss {
  const C = class extends Loss {
    readonly className = className;
    constructor(options: LossOptions = {}) {
      super(defaultName, options, LOSS_KEYS, className);
    }
    perExample(yTrue: Tensor, yPred: Tensor): Tensor {
      return fn(yTrue, yPred);
    }
  };
  Object.defineProperty(C, "name", { value: className });
  return C;
}

/** Mean of `(log(1 + p) − log(1 + t))²`. */
export const MeanSquaredLogarithmicError = simple("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error", meanSquaredLogarithmicError);
/** Mean absolute percentage error. */
export const MeanAbsolutePercentageError = simple("MeanAbsolutePercentageError", "mean_absolute_percentage_error", meanAbsolutePercentageError);
/** Mean of `log(cosh(p − t))`. */
export const LogCosh = simple("LogCosh", "log_cosh", logCosh);
/** Kullback–Leibler divergence of the predicted distribution from the labels. */
export const KLDivergence = simple("KLDivergence", "kl_divergence", klDivergence);
/** Poisson negative log-likelihood (up to a constant). */
export const Poisson = simple("Poisson", "poisson", poisson);
/** Hinge loss for -1/1 (or 0/1) labels. */
export const Hinge = simple("Hinge", "hinge", hinge);
/** Squared hinge loss for -1/1 (or 0/1) labels. */
export const SquaredHinge = simple("SquaredHinge", "squared_hinge", squaredHinge);
/** Categorical hinge loss for one-hot labels. */
export const CategoricalHinge = simple("CategoricalHinge", "categorical_hinge", categoricalHinge);

/** Options of `Huber`. */
export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/** Quadratic for small errors, linear for large ones. */
export class Huber extends Loss {
  readonly className = "Huber";
  readonly delta: number;
  constructor(options: HuberOptions = {}) {
    super("huber_loss", options, [...LOSS_KEYS, "delta"]);
    this.delta = options.delta ?? 1;
    if (typeof this.delta !== "number" || !(this.delta > 0)) throw new ValueError(`Huber: delta must be a positive number, got ${JSON.stringify(this.delta)}`);
  }
  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return huber(yTrue, yPred, this.delta);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), delta: this.delta };
  }
}

/** Options of the `CosineSimilarity` loss. */
export interface CosineSimilarityOptions extends LossOptions {
  /** The axis along which similarity is computed (default -1). */
  axis?: number;
}

/** Negative cosine similarity (so minimising it aligns the vectors). */
export class CosineSimilarity extends Loss {
  readonly className = "CosineSimilarity";
  readonly axis: number;
  constructor(options: CosineSimilarityOptions = {}) {
    super("cosine_similarity", options, [...LOSS_KEYS, "axis"]);
    this.axis = options.axis ?? -1;
  }
  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return cosineSimilarity(yTrue, yPred, this.axis);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

function checkSmoothing(ls: number, owner: string): void {
  if (typeof ls !== "number" || !(ls >= 0 && ls <= 1)) throw new ValueError(`${owner}: labelSmoothing must be in [0, 1], got ${JSON.stringify(ls)}`);
}

/** The focal options with their defaults, the label smoothing checked. */
function focalSettings(options: FocalOptions, owner: string): Required<FocalOptions> {
  const o = { alpha: options.alpha ?? 0.25, gamma: options.gamma ?? 2, fromLogits: options.fromLogits ?? false, labelSmoothing: options.labelSmoothing ?? 0, axis: options.axis ?? -1 };
  checkSmoothing(o.labelSmoothing, owner);
  return o;
}

/** The focal options' Keras config entries. */
function focalConfig(o: Required<FocalOptions>): Record<string, unknown> {
  return { alpha: o.alpha, gamma: o.gamma, from_logits: o.fromLogits, label_smoothing: o.labelSmoothing, axis: o.axis };
}

/** Options of the `BinaryFocalCrossentropy` loss class. */
export type BinaryFocalCrossentropyOptions = BinaryFocalOptions & LossOptions;
const BINARY_FOCAL_KEYS = optionKeys<BinaryFocalCrossentropyOptions>()(...LOSS_KEYS, "applyClassBalancing", "alpha", "gamma", "fromLogits", "labelSmoothing", "axis");

/** Binary cross-entropy down-weighting easy examples by `(1 − pₜ)^γ`. */
export class BinaryFocalCrossentropy extends Loss {
  readonly className = "BinaryFocalCrossentropy";
  readonly options: Required<BinaryFocalOptions>;
  constructor(options: BinaryFocalCrossentropyOptions = {}) {
    super("binary_focal_crossentropy", options, BINARY_FOCAL_KEYS);
    this.options = { applyClassBalancing: options.applyClassBalancing ?? false, ...focalSettings(options, this.className) };
  }
  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return binaryFocalCrossentropy(yTrue, yPred, this.options);
  }
  override getConfig(): Record<string, unknown> {
    const o = this.options;
    return { ...super.getConfig(), apply_class_balancing: o.applyClassBalancing, ...focalConfig(o) };
  }
}

/** Options of the `CategoricalFocalCrossentropy` loss class. */
export type CategoricalFocalCrossentropyOptions = CategoricalFocalOptions & LossOptions;
const CATEGORICAL_FOCAL_KEYS = optionKeys<CategoricalFocalCrossentropyOptions>()(...LOSS_KEYS, "alpha", "gamma", "fromLogits", "labelSmoothing", "axis");

/** Categorical cross-entropy down-weighting well-classified examples by `alpha·(1 − p)^γ`. */
export class CategoricalFocalCrossentropy extends Loss {
  readonly className = "CategoricalFocalCrossentropy";
  readonly options: Required<CategoricalFocalOptions>;
  constructor(options: CategoricalFocalCrossentropyOptions = {}) {
    super("categorical_focal_crossentropy", options, CATEGORICAL_FOCAL_KEYS);
    this.options = focalSettings(options, this.className);
  }
  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return categoricalFocalCrossentropy(yTrue, yPred, this.options);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...focalConfig(this.options) };
  }
}

registerLoss("mean_squared_logarithmic_error", () => new MeanSquaredLogarithmicError(), ["msle", "MSLE", "meanSquaredLogarithmicError", "MeanSquaredLogarithmicError"]);
registerLoss("mean_absolute_percentage_error", () => new MeanAbsolutePercentageError(), ["mape", "MAPE", "meanAbsolutePercentageError", "MeanAbsolutePercentageError"]);
registerLoss("huber", () => new Huber(), ["Huber", "huber_loss"]);
registerLoss("log_cosh", () => new LogCosh(), ["logcosh", "logCosh", "LogCosh"]);
registerLoss("kl_divergence", () => new KLDivergence(), ["kld", "KLD", "kullback_leibler_divergence", "klDivergence", "KLDivergence"]);
registerLoss("poisson", () => new Poisson(), ["Poisson"]);
registerLoss("hinge", () => new Hinge(), ["Hinge"]);
registerLoss("squared_hinge", () => new SquaredHinge(), ["squaredHinge", "SquaredHinge"]);
registerLoss("categorical_hinge", () => new CategoricalHinge(), ["categoricalHinge", "CategoricalHinge"]);
registerLoss("cosine_similarity", () => new CosineSimilarity(), ["cosineSimilarity", "CosineSimilarity"]);
registerLoss("binary_focal_crossentropy", () => new BinaryFocalCrossentropy(), ["binaryFocalCrossentropy", "BinaryFocalCrossentropy"]);
registerLoss("categorical_focal_crossentropy", () => new CategoricalFocalCrossentropy(), ["categoricalFocalCrossentropy", "CategoricalFocalCrossentropy"]);
