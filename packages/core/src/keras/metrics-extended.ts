/**
 * More of `tf.keras.metrics`: Sum, the regression metrics (MeanSquaredError, RootMeanSquaredError,
 * MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity,
 * LogCoshError, Poisson, KLDivergence), the hinge metrics and top-k accuracy, as stateful objects
 * (`updateState`, `result`, `resetState`) and, where Keras has one, a per-example function.
 */
import { ValueError } from "../errors.js";
import { tidy } from "../engine/tidy.js";
import { greater, less } from "../ops/compare.js";
import { cast } from "../ops/cast.js";
import { oneHot } from "../ops/gather.js";
import { multiply } from "../ops/binary.js";
import { reduceSum } from "../ops/reduce.js";
import { reshape } from "../ops/reshape.js";
import { sqrt } from "../ops/unary.js";
import { checkOptions, optionKeys } from "../options.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { categoricalHinge, cosineSimilarity, hinge, klDivergence, logCosh, meanAbsolutePercentageError, meanSquaredLogarithmicError, poisson, squaredHinge } from "./losses-extended.js";
import { meanAbsoluteError, meanSquaredError } from "./losses.js";
import type { MetricFunction } from "./metrics.js";
import { Mean, MeanMetricWrapper, registerMetric, registerMetricClass } from "./metrics.js";

/** Options of the metric classes that take only a name. */
export interface MetricOptions {
  name?: string;
}
const NAME_KEYS = optionKeys<MetricOptions>()("name");

/** The running (weighted) sum of the values it is given. */
export class Sum extends Mean {
  override readonly className: string = "Sum";
  constructor(options?: MetricOptions) {
    checkOptions("keras.metrics.Sum", options, NAME_KEYS);
    super(options?.name ?? "sum");
  }
  override result(): Tensor {
    return tidy(() => multiply(this.total, 1));
  }
}

/** 1 where the label's class is among the `k` highest predictions (`labels`: class indices). */
function inTopK(labels: Tensor, p: Tensor, k: number): Tensor {
  const classes = p.shape[p.rank - 1]!;
  const target = reduceSum(multiply(p, oneHot(labels, classes)), { axis: -1, keepdims: true });
  const higher = reduceSum(cast(greater(p, target), "float32"), { axis: -1 });
  return cast(less(higher, k), "float32");
}

/** Per-example: 1 where the true class (arg-max of one-hot `yTrue`) is among the `k` highest predictions. */
export function topKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5): Tensor {
  return tidy(() => {
    const p = toTensor(yPred, "top_k_categorical_accuracy", "float32");
    const t = toTensor(yTrue, "top_k_categorical_accuracy", "float32");
    return inTopK(t.argmax(-1), p, k);
  });
}

/** Per-example: 1 where the integer label is among the `k` highest predictions. */
export function sparseTopKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5): Tensor {
  return tidy(() => {
    const p = toTensor(yPred, "sparse_top_k_categorical_accuracy", "float32");
    let t = toTensor(yTrue, "sparse_top_k_categorical_accuracy", "int32");
    if (t.dtype !== "int32") t = cast(t, "int32");
    if (t.rank === p.rank) t = reshape(t, t.shape.slice(0, -1));
    return inTopK(t, p, k);
  });
}

/** Options of the top-k accuracy metrics. */
export interface TopKOptions {
  /** How many of the highest predictions count (default 5). */
  k?: number;
  name?: string;
}
const TOPK_KEYS = optionKeys<TopKOptions>()("k", "name");

function checkK(k: unknown, owner: string): number {
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1) throw new ValueError(`${owner}: k must be a positive integer, got ${JSON.stringify(k)}`);
  return k;
}

/** The base of the top-k accuracies: checks `k` (default 5) and measures `fn(yTrue, yPred, k)`. */
abstract class TopKAccuracy extends MeanMetricWrapper {
  readonly k: number;
  constructor(className: string, defaultName: string, fn: (yTrue: Tensor, yPred: Tensor, k: number) => Tensor, options: TopKOptions | undefined) {
    checkOptions(`keras.metrics.${className}`, options, TOPK_KEYS);
    const k = checkK(options?.k ?? 5, className);
    super((t, p) => fn(t, p, k), options?.name ?? defaultName);
    this.k = k;
  }
}

/** How often the true class of one-hot labels is among the top `k` predictions. */
export class TopKCategoricalAccuracy extends TopKAccuracy {
  override readonly className: string = "TopKCategoricalAccuracy";
  constructor(options?: TopKOptions) {
    super("TopKCategoricalAccuracy", "top_k_categorical_accuracy", topKCategoricalAccuracy, options);
  }
}

/** How often the integer label is among the top `k` predictions. */
export class SparseTopKCategoricalAccuracy extends TopKAccuracy {
  override readonly className: string = "SparseTopKCategoricalAccuracy";
  constructor(options?: TopKOptions) {
    super("SparseTopKCategoricalAccuracy", "sparse_top_k_categorical_accuracy", sparseTopKCategoricalAccuracy, options);
  }
}

function meanOf(className: string, defaultName: string, fn: MetricFunction): new (options?: MetricOptions) => MeanMetricWrapper {
  const C = class extends MeanMetricWrapper {
    override readonly className: string = className;
    constructor(options?: MetricOptions) {
      checkOptions(`keras.metrics.${className}`, options, NAME_KEYS);
      super(fn, options?.name ?? defaultName);
    }
  };
  Object.defineProperty(C, "name", { value: className });
  return C;
}

/** The running mean squared error. */
export const MeanSquaredError = meanOf("MeanSquaredError", "mean_squared_error", meanSquaredError);
/** The running mean absolute error. */
export const MeanAbsoluteError = meanOf("MeanAbsoluteError", "mean_absolute_error", meanAbsoluteError);
/** The running mean absolute percentage error. */
export const MeanAbsolutePercentageError = meanOf("MeanAbsolutePercentageError", "mean_absolute_percentage_error", meanAbsolutePercentageError);
/** The running mean squared logarithmic error. */
export const MeanSquaredLogarithmicError = meanOf("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error", meanSquaredLogarithmicError);
/** The running mean cosine similarity (1 for parallel vectors). */
export const CosineSimilarity = meanOf("CosineSimilarity", "cosine_similarity", (t, p) => multiply(cosineSimilarity(t, p), -1));
/** The running mean of log(cosh(error)). */
export const LogCoshError = meanOf("LogCoshError", "logcosh", logCosh);
/** The running mean Poisson loss. */
export const Poisson = meanOf("Poisson", "poisson", poisson);
/** The running mean KL divergence. */
export const KLDivergence = meanOf("KLDivergence", "kl_divergence", klDivergence);
/** The running mean hinge loss. */
export const Hinge = meanOf("Hinge", "hinge", hinge);
/** The running mean squared hinge loss. */
export const SquaredHinge = meanOf("SquaredHinge", "squared_hinge", squaredHinge);
/** The running mean categorical hinge loss. */
export const CategoricalHinge = meanOf("CategoricalHinge", "categorical_hinge", categoricalHinge);

/** The square root of the running mean squared error. */
export class RootMeanSquaredError extends Mean {
  override readonly className: string = "RootMeanSquaredError";
  constructor(options?: MetricOptions) {
    checkOptions("keras.metrics.RootMeanSquaredError", options, NAME_KEYS);
    super(options?.name ?? "root_mean_squared_error");
  }
  /** Adds the squared errors of a batch. */
  override updateState(yTrue: TensorLike, yPred?: TensorLike, sampleWeight?: TensorLike): void {
    if (yPred === undefined) throw new ValueError(`Metric "${this.name}": updateState needs (yTrue, yPred)`);
    tidy(() => super.updateState(meanSquaredError(yTrue, yPred), sampleWeight));
  }
  override result(): Tensor {
    return tidy(() => sqrt(super.result()));
  }
}

registerMetric("top_k_categorical_accuracy", topKCategoricalAccuracy, ["topKCategoricalAccuracy"]);
registerMetric("sparse_top_k_categorical_accuracy", sparseTopKCategoricalAccuracy, ["sparseTopKCategoricalAccuracy"]);
registerMetric("mean_absolute_percentage_error", meanAbsolutePercentageError, ["mape", "meanAbsolutePercentageError"]);
registerMetric("mean_squared_logarithmic_error", meanSquaredLogarithmicError, ["msle", "meanSquaredLogarithmicError"]);
registerMetric("cosine_similarity", (t, p) => multiply(cosineSimilarity(t, p), -1), ["cosineSimilarity"]);
registerMetric("logcosh", logCosh, ["log_cosh", "logCosh"]);
registerMetric("poisson", poisson);
registerMetric("kl_divergence", klDivergence, ["kld", "klDivergence"]);
registerMetric("hinge", hinge);
registerMetric("squared_hinge", squaredHinge, ["squaredHinge"]);
registerMetric("categorical_hinge", categoricalHinge, ["categoricalHinge"]);
registerMetricClass(["root_mean_squared_error", "rmse", "RootMeanSquaredError"], () => new RootMeanSquaredError());
