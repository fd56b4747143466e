/**
 * `tf.keras.losses`: loss classes (`call(yTrue, yPred)` → a scalar, reduced over the batch) and the
 * per-example loss functions they wrap. Numerics follow TensorFlow: probabilities are clipped to
 * [1e-7, 1 - 1e-7]; `fromLogits` paths go through log-softmax / stable sigmoid cross-entropy.
 */
import { ValueError } from "../errors.js";
import { tidy } from "../engine/tidy.js";
import { add, divide, maximum, minimum, multiply, subtract } from "../ops/binary.js";
import { cast } from "../ops/cast.js";
import { logSoftmax, sparseSoftmaxCrossEntropyWithLogits } from "../ops/nn.js";
import { reduceMean, reduceSum } from "../ops/reduce.js";
import { reshape, squeeze } from "../ops/reshape.js";
import { abs, exp, log, log1p, neg, relu, square } from "../ops/unary.js";
import { formatShapeTuple } from "../shape.js";
import { checkOptions, optionKeys } from "../options.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";

/** Keras's fuzz factor (`tf.keras.backend.epsilon()`). */
export const EPSILON = 1e-7;

/** How per-example losses become the value `call` returns. `"auto"` means `"sum_over_batch_size"`. */
export type Reduction = "sum_over_batch_size" | "sum" | "none" | "auto";

/** Options every loss class takes. */
export interface LossOptions {
  /** Default "sum_over_batch_size" (the mean over every per-example loss). */
  reduction?: Reduction;
  name?: string;
}

/** Options of the cross-entropy losses. */
export interface CrossentropyOptions extends LossOptions {
  /** Whether `yPred` holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Smooths the labels towards uniform (0 ≤ s ≤ 1; not for the sparse loss). */
  labelSmoothing?: number;
}

/** The option keys every loss takes. */
export const LOSS_KEYS = optionKeys<LossOptions>()("reduction", "name");
/** The option keys of the cross-entropy losses. */
export const CROSSENTROPY_KEYS = optionKeys<CrossentropyOptions>()(...LOSS_KEYS, "fromLogits", "labelSmoothing");

/** A per-example loss function: `[batch, ...]` inputs → `[batch]` losses. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

const clip = (x: Tensor): Tensor => maximum(minimum(x, 1 - EPSILON), EPSILON);

function floatPred(yPred: TensorLike, op: string): Tensor {
  const p = toTensor(yPred, op, "float32");
  if (p.dtype !== "float32" && p.dtype !== "float64") throw new ValueError(`${op}: yPred must be a float tensor, got dtype ${p.dtype}`);
  return p;
}

/** yTrue as yPred's dtype (Keras casts labels to the prediction dtype). */
function castLike(yTrue: TensorLike, like: Tensor, op: string): Tensor {
  const t = toTensor(yTrue, op, like.dtype);
  return t.dtype === like.dtype ? t : cast(t, like.dtype);
}

/** Keras's `squeeze_or_expand_dimensions`: drop a trailing 1 that makes the ranks differ by one. */
function alignRanks(yTrue: Tensor, yPred: Tensor): [Tensor, Tensor] {
  if (yTrue.rank === yPred.rank + 1 && yTrue.shape[yTrue.rank - 1] === 1) return [squeeze(yTrue, -1), yPred];
  if (yPred.rank === yTrue.rank + 1 && yPred.shape[yPred.rank - 1] === 1) return [yTrue, squeeze(yPred, -1)];
  return [yTrue, yPred];
}

function checkSameShape(yTrue: Tensor, yPred: Tensor, op: string): void {
  if (yTrue.rank !== yPred.rank || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ValueError(`${op}: \`yTrue\` and \`yPred\` must have the same shape, received: yTrue.shape=${formatShapeTuple(yTrue.shape)}, yPred.shape=${formatShapeTuple(yPred.shape)}`);
  }
}

/** Per-example mean squared error over the last axis. */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const p = floatPred(yPred, "mean_squared_error");
    const t = castLike(yTrue, p, "mean_squared_error");
    return reduceMean(square(subtract(p, t)), { axis: -1 });
  });
}

/** Per-example mean absolute error over the last axis. */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const p = floatPred(yPred, "mean_absolute_error");
    const t = castLike(yTrue, p, "mean_absolute_error");
    return reduceMean(abs(subtract(p, t)), { axis: -1 });
  });
}

/** Per-example binary cross-entropy (mean over the last axis) of 0/1 labels and probabilities or logits. */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, fromLogits = false, labelSmoothing = 0): Tensor {
  return tidy(() => {
    const p = floatPred(yPred, "binary_crossentropy");
    let t = castLike(yTrue, p, "binary_crossentropy");
    checkSameShape(t, p, "binary_crossentropy");
    if (labelSmoothing > 0) t = add(multiply(t, 1 - labelSmoothing), 0.5 * labelSmoothing);
    let elementwise: Tensor;
    if (fromLogits) {
      // TensorFlow's sigmoid_cross_entropy_with_logits: max(x, 0) - x·z + log(1 + exp(-|x|)).
      elementwise = add(subtract(relu(p), multiply(p, t)), log1p(exp(neg(abs(p)))));
    } else {
      const o = clip(p);
      const pos = multiply(t, log(add(o, EPSILON)));
      const negTerm = multiply(subtract(1, t), log(add(subtract(1, o), EPSILON)));
      elementwise = neg(add(pos, negTerm));
    }
    return reduceMean(elementwise, { axis: -1 });
  });
}

/** Per-example cross-entropy of one-hot labels and class probabilities or logits (last axis = classes). */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, fromLogits = false, labelSmoothing = 0): Tensor {
  return tidy(() => {
    const p = floatPred(yPred, "categorical_crossentropy");
    let t = castLike(yTrue, p, "categorical_crossentropy");
    checkSameShape(t, p, "categorical_crossentropy");
    if (labelSmoothing > 0) {
      const classes = p.shape[p.rank - 1]!;
      t = add(multiply(t, 1 - labelSmoothing), labelSmoothing / classes);
    }
    const logp = fromLogits ? logSoftmax(p, -1) : log(clip(divide(p, reduceSum(p, { axis: -1, keepdims: true }))));
    return neg(reduceSum(multiply(t, logp), { axis: -1 }));
  });
}

/**
 * Per-example cross-entropy of integer class labels (`[batch]` or `[batch, 1]`, any numeric dtype)
 * and class probabilities or logits `[batch, classes]`.
 */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, fromLogits = false): Tensor {
  return tidy(() => {
    const op = "sparse_categorical_crossentropy";
    const p = floatPred(yPred, op);
    let labels = toTensor(yTrue, op, "int32");
    if (labels.dtype !== "int32") labels = cast(labels, "int32");
    if (labels.rank === p.rank && labels.shape[labels.rank - 1] === 1) labels = reshape(labels, labels.shape.slice(0, -1));
    if (labels.rank !== p.rank - 1 || labels.shape.some((d, i) => d !== p.shape[i])) {
      throw new ValueError(
        `${op}: received incompatible shapes: labels ${formatShapeTuple(labels.shape)} and predictions ${formatShapeTuple(p.shape)}. Labels must be class indices shaped like the predictions without their last (class) axis.`,
      );
    }
    const logits = fromLogits ? p : log(clip(p));
    return sparseSoftmaxCrossEntropyWithLogits(labels, logits);
  });
}

/**
 * The base of the loss classes. `call(yTrue, yPred, sampleWeight?)` returns the reduced loss (a
 * scalar unless `reduction` is "none").
 */
export abstract class Loss {
  /** The Keras class name. */
  abstract readonly className: string;
  readonly name: string;
  readonly reduction: Reduction;

  /** `keys`: every option key the subclass takes, for the unknown-key check (`owner` names the class in it). */
  constructor(defaultName: string, options: LossOptions = {}, keys: readonly string[] = LOSS_KEYS, owner?: string) {
    checkOptions(`keras.losses.${owner ?? new.target.name}`, options, keys);
    this.name = options.name ?? defaultName;
    this.reduction = options.reduction ?? "auto";
    if (!["sum_over_batch_size", "sum", "none", "auto"].includes(this.reduction)) {
      throw new ValueError(`Invalid Reduction key: ${JSON.stringify(this.reduction)}. Expected one of "sum_over_batch_size", "sum", "none", "auto".`);
    }
  }

  /** Per-example losses (TensorFlow's wrapped `fn`). */
  abstract perExample(yTrue: Tensor, yPred: Tensor): Tensor;

  /** The loss of a batch: per-example losses, weighted by `sampleWeight`, then reduced. */
  call(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): Tensor {
    return tidy(() => {
      const p = floatPred(yPred, this.name);
      const t = toTensor(yTrue, this.name, p.dtype);
      const [tt, pp] = alignRanks(t, p);
      let losses = this.perExample(tt, pp);
      if (sampleWeight !== undefined && sampleWeight !== null) {
        let w = castLike(sampleWeight, losses, this.name);
        if (w.rank === losses.rank + 1 && w.shape[w.rank - 1] === 1) w = squeeze(w, -1);
        losses = multiply(losses, w);
      }
      if (this.reduction === "none") return losses;
      const total = reduceSum(losses);
      if (this.reduction === "sum") return total;
      return divide(total, Math.max(1, losses.size));
    });
  }

  /** The Keras config (snake_case keys). */
  getConfig(): Record<string, unknown> {
    return { reduction: this.reduction, name: this.name };
  }
}

/** Mean of squared differences over the last axis. */
export class MeanSquaredError extends Loss {
  readonly className = "MeanSquaredError";
  constructor(options: LossOptions = {}) {
    super("mean_squared_error", options);
  }
  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanSquaredError(yTrue, yPred);
  }
}

/** Mean of absolute differences over the last axis. */
export class MeanAbsoluteError extends Loss {
  readonly className = "MeanAbsoluteError";
  constructor(options: LossOptions = {}) {
    super("mean_absolute_error", options);
  }
  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return meanAbsoluteError(yTrue, yPred);
  }
}

abstract class CrossentropyLoss extends Loss {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(name: string, options: CrossentropyOptions) {
    super(name, options, CROSSENTROPY_KEYS);
    this.fromLogits = options.fromLogits ?? false;
    this.labelSmoothing = options.labelSmoothing ?? 0;
    if (!(this.labelSmoothing >= 0 && this.labelSmoothing <= 1)) throw new ValueError(`labelSmoothing must be in [0, 1], got ${this.labelSmoothing}`);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), from_logits: this.fromLogits, label_smoothing: this.labelSmoothing };
  }
}

/** Cross-entropy of 0/1 labels and probabilities (or logits with `fromLogits`). */
export class BinaryCrossentropy extends CrossentropyLoss {
  readonly className = "BinaryCrossentropy";
  constructor(options: CrossentropyOptions = {}) {
    super("binary_crossentropy", options);
  }
  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return binaryCrossentropy(yTrue, yPred, this.fromLogits, this.labelSmoothing);
  }
}

/** Cross-entropy of one-hot labels and class probabilities (or logits with `fromLogits`). */
export class CategoricalCrossentropy extends CrossentropyLoss {
  readonly className = "CategoricalCrossentropy";
  constructor(options: CrossentropyOptions = {}) {
    super("categorical_crossentropy", options);
  }
  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return categoricalCrossentropy(yTrue, yPred, this.fromLogits, this.labelSmoothing);
  }
}

/** Cross-entropy of integer labels and class probabilities (or logits with `fromLogits`). */
export class SparseCategoricalCrossentropy extends Loss {
  readonly className = "SparseCategoricalCrossentropy";
  readonly fromLogits: boolean;
  constructor(options: Omit<CrossentropyOptions, "labelSmoothing"> = {}) {
    super("sparse_categorical_crossentropy", options, ["reduction", "name", "fromLogits"]);
    this.fromLogits = options.fromLogits ?? false;
  }
  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return sparseCategoricalCrossentropy(yTrue, yPred, this.fromLogits);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), from_logits: this.fromLogits };
  }
}

/** A loss class around any per-example function (what `compile` makes of a function). */
export class LossFunctionWrapper extends Loss {
  readonly className = "LossFunctionWrapper";
  constructor(readonly fn: LossFunction, options: LossOptions = {}) {
    super(fn.name || "loss", options);
  }
  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return this.fn(yTrue, yPred);
  }
}

const BY_NAME: Record<string, () => Loss> = {
  mean_squared_error: () => new MeanSquaredError(),
  mean_absolute_error: () => new MeanAbsoluteError(),
  binary_crossentropy: () => new BinaryCrossentropy(),
  categorical_crossentropy: () => new CategoricalCrossentropy(),
  sparse_categorical_crossentropy: () => new SparseCategoricalCrossentropy(),
};
const ALIASES: Record<string, string> = {
  mse: "mean_squared_error", MSE: "mean_squared_error", meanSquaredError: "mean_squared_error", MeanSquaredError: "mean_squared_error",
  mae: "mean_absolute_error", MAE: "mean_absolute_error", meanAbsoluteError: "mean_absolute_error", MeanAbsoluteError: "mean_absolute_error",
  binaryCrossentropy: "binary_crossentropy", BinaryCrossentropy: "binary_crossentropy",
  categoricalCrossentropy: "categorical_crossentropy", CategoricalCrossentropy: "categorical_crossentropy",
  sparseCategoricalCrossentropy: "sparse_categorical_crossentropy", SparseCategoricalCrossentropy: "sparse_categorical_crossentropy",
};

/** Loss names `compile` accepts (camelCase and class-name spellings work too). */
export const LOSS_NAMES = ["mse", "mae", ...Object.keys(BY_NAME)];

/** @internal Adds a loss to the names `compile` and `getLoss` accept (snake_case name, then its aliases). */
export function registerLoss(name: string, make: () => Loss, aliases: readonly string[] = []): void {
  BY_NAME[name] = make;
  LOSS_NAMES.push(name);
  for (const a of aliases) ALIASES[a] = name;
}

/** A loss by name, instance or per-example function. */
export type LossIdentifier = string | Loss | LossFunction;

/** Resolves a loss; throws listing the valid names when unknown. */
export function getLoss(identifier: LossIdentifier): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === "function") return new LossFunctionWrapper(identifier);
  if (typeof identifier === "string") {
    const key = Object.hasOwn(BY_NAME, identifier) ? identifier : Object.hasOwn(ALIASES, identifier) ? ALIASES[identifier] : undefined;
    if (key) return BY_NAME[key]!();
  }
  throw new ValueError(`Unknown loss function: ${JSON.stringify(identifier)}. Valid losses are: ${LOSS_NAMES.map((n) => `"${n}"`).join(", ")}, a Loss instance, or a function (yTrue, yPred) => per-example losses.`);
}
