/**
 * `tf.keras.metrics`: stateful metrics (`updateState`, `result`, `resetState`) whose running totals
 * live in Variables on the backend, and the per-example metric functions they average.
 */
import { ValueError } from "../errors.js";
import { tidy } from "../engine/tidy.js";
import { divide, multiply } from "../ops/binary.js";
import { cast } from "../ops/cast.js";
import { broadcastTo } from "../ops/tile.js";
import { equal, greater } from "../ops/compare.js";
import { argmax, reduceMean, reduceSum } from "../ops/reduce.js";
import { reshape, squeeze } from "../ops/reshape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { Variable } from "../tensor/variable.js";
import { meanAbsoluteError, meanSquaredError } from "./losses.js";

/** A per-example metric function: `[batch, ...]` inputs → `[batch]` values. */
export type MetricFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

function preds(yPred: TensorLike, op: string): Tensor {
  return toTensor(yPred, op, "float32");
}

/** 1 where `yTrue` equals `yPred` exactly, else 0 (float32). */
export function accuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const p = preds(yPred, "accuracy");
    let t = toTensor(yTrue, "accuracy", p.dtype);
    if (t.dtype !== p.dtype) t = cast(t, p.dtype);
    return cast(equal(t, p), "float32");
  });
}

/** Per-example mean of `(yPred > threshold) == yTrue` over the last axis. */
export function binaryAccuracy(yTrue: TensorLike, yPred: TensorLike, threshold = 0.5): Tensor {
  return tidy(() => {
    const p = preds(yPred, "binary_accuracy");
    let t = toTensor(yTrue, "binary_accuracy", p.dtype);
    if (t.dtype !== p.dtype) t = cast(t, p.dtype);
    if (p.rank === t.rank + 1 && p.shape[p.rank - 1] === 1) t = reshape(t, p.shape);
    const hit = cast(equal(t, cast(greater(p, threshold), p.dtype)), "float32");
    return reduceMean(hit, { axis: -1 });
  });
}

/** 1 where the arg-max class of one-hot `yTrue` equals that of `yPred`. */
export function categoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const p = preds(yPred, "categorical_accuracy");
    const t = toTensor(yTrue, "categorical_accuracy", p.dtype);
    return cast(equal(argmax(t, -1), argmax(p, -1)), "float32");
  });
}

/** 1 where the integer label `yTrue` (`[batch]` or `[batch, 1]`) equals the arg-max class of `yPred`. */
export function sparseCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tidy(() => {
    const p = preds(yPred, "sparse_categorical_accuracy");
    let t = toTensor(yTrue, "sparse_categorical_accuracy", "int32");
    if (t.rank === p.rank && t.shape[t.rank - 1] === 1) t = squeeze(t, -1);
    if (t.dtype !== "int32") t = cast(t, "int32");
    return cast(equal(t, argmax(p, -1)), "float32");
  });
}

/** Keras's choice for "accuracy": binary for one output, sparse when labels lack the class axis, else categorical. */
function autoAccuracy(yTrue: Tensor, yPred: Tensor): MetricFunction {
  const pLast = yPred.shape[yPred.rank - 1];
  const tLast = yTrue.shape[yTrue.rank - 1];
  if (pLast === 1) return binaryAccuracy;
  if (yTrue.rank < yPred.rank || (tLast === 1 && (pLast ?? 0) > 1)) return sparseCategoricalAccuracy;
  return categoricalAccuracy;
}

/** The base of stateful metrics. */
export abstract class Metric {
  /** The Keras class name. */
  abstract readonly className: string;
  /** The key under which `fit` reports it (`accuracy`, `val_accuracy`). */
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  /** Accumulates a batch. */
  abstract updateState(a: TensorLike, b?: TensorLike, sampleWeight?: TensorLike): void;
  /** The current value (a float32 scalar; dispose it when done). */
  abstract result(): Tensor;
  /** Clears the accumulated state. */
  abstract resetState(): void;
  /** The state variables. */
  abstract get variables(): Variable[];
  /** Frees the state variables. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** The running (weighted) mean of the values it is given. */
export class Mean extends Metric {
  readonly className: string = "Mean";
  protected readonly total: Variable;
  protected readonly count: Variable;

  constructor(name = "mean") {
    super(name);
    this.total = new Variable(0, { dtype: "float32", name: `${name}/total`, trainable: false });
    this.count = new Variable(0, { dtype: "float32", name: `${name}/count`, trainable: false });
  }

  /** Adds `values` (any shape), each weighted by `sampleWeight` (broadcast) when given. */
  override updateState(values: TensorLike, sampleWeight?: TensorLike): void {
    tidy(() => {
      let v = toTensor(values, this.name, "float32");
      if (v.dtype !== "float32") v = cast(v, "float32");
      if (sampleWeight === undefined || sampleWeight === null) {
        this.total.assignAdd(reduceSum(v));
        this.count.assignAdd(v.size);
        return;
      }
      let w = toTensor(sampleWeight, this.name, "float32");
      if (w.dtype !== "float32") w = cast(w, "float32");
      if (w.rank === v.rank + 1 && w.shape[w.rank - 1] === 1) w = squeeze(w, -1);
      const wb = broadcastTo(w, v.shape);
      this.total.assignAdd(reduceSum(multiply(v, wb)));
      this.count.assignAdd(reduceSum(wb));
    });
  }

  override result(): Tensor {
    return tidy(() => divide(this.total, this.count.maximum(1e-30)));
  }

  override resetState(): void {
    this.total.assign(0);
    this.count.assign(0);
  }

  override get variables(): Variable[] {
    return [this.total, this.count];
  }
}

/** The running mean of a per-example metric function. */
export class MeanMetricWrapper extends Mean {
  override readonly className: string = "MeanMetricWrapper";
  private fn: MetricFunction | null;
  constructor(fn: MetricFunction | null, name: string) {
    super(name);
    this.fn = fn;
  }
  /** Adds the batch `fn(yTrue, yPred)`. */
  override updateState(yTrue: TensorLike, yPred?: TensorLike, sampleWeight?: TensorLike): void {
    if (yPred === undefined) throw new ValueError(`Metric "${this.name}": updateState needs (yTrue, yPred)`);
    tidy(() => {
      const p = preds(yPred, this.name);
      const t = toTensor(yTrue, this.name, p.dtype);
      this.fn ??= autoAccuracy(t, p);
      super.updateState(this.fn(t, p), sampleWeight);
    });
  }
}

/** Exact-match accuracy. */
export class Accuracy extends MeanMetricWrapper {
  override readonly className: string = "Accuracy";
  constructor(name = "accuracy") {
    super(accuracy, name);
  }
}

/** How often `yPred > threshold` matches the 0/1 labels. */
export class BinaryAccuracy extends MeanMetricWrapper {
  override readonly className: string = "BinaryAccuracy";
  constructor(name = "binary_accuracy", threshold = 0.5) {
    super((t, p) => binaryAccuracy(t, p, threshold), name);
  }
}

/** How often the arg-max of the predictions matches that of one-hot labels. */
export class CategoricalAccuracy extends MeanMetricWrapper {
  override readonly className: string = "CategoricalAccuracy";
  constructor(name = "categorical_accuracy") {
    super(categoricalAccuracy, name);
  }
}

/** How often the arg-max of the predictions matches integer labels. */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  override readonly className: string = "SparseCategoricalAccuracy";
  constructor(name = "sparse_categorical_accuracy") {
    super(sparseCategoricalAccuracy, name);
  }
}

const FUNCTIONS: Record<string, MetricFunction | null> = {
  // null: chosen from the label and prediction shapes on the first batch, as Keras does.
  accuracy: null,
  acc: null,
  binary_accuracy: binaryAccuracy,
  categorical_accuracy: categoricalAccuracy,
  sparse_categorical_accuracy: sparseCategoricalAccuracy,
  mse: meanSquaredError,
  mean_squared_error: meanSquaredError,
  mae: meanAbsoluteError,
  mean_absolute_error: meanAbsoluteError,
};
const ALIASES: Record<string, string> = {
  binaryAccuracy: "binary_accuracy", categoricalAccuracy: "categorical_accuracy",
  sparseCategoricalAccuracy: "sparse_categorical_accuracy", meanSquaredError: "mean_squared_error",
  meanAbsoluteError: "mean_absolute_error",
};

/** Metric names `compile` accepts. */
export const METRIC_NAMES = Object.keys(FUNCTIONS);

/** Metric classes `compile` makes by name ("auc", "precision", …). */
const CLASSES: Record<string, () => Metric> = {};

/** @internal Adds a per-example metric function to the names `compile` accepts. */
export function registerMetric(name: string, fn: MetricFunction, aliases: readonly string[] = []): void {
  FUNCTIONS[name] = fn;
  METRIC_NAMES.push(name);
  for (const a of aliases) ALIASES[a] = name;
}

/** @internal Adds a stateful metric class to the names `compile` accepts. */
export function registerMetricClass(names: readonly string[], make: () => Metric): void {
  for (const n of names) CLASSES[n] = make;
  METRIC_NAMES.push(names[0]!);
}

/** A metric by name, instance, or per-example function. */
export type MetricIdentifier = string | Metric | MetricFunction;

/** Resolves a metric for `compile`; a string keeps its spelling as the reported name. */
export function getMetric(identifier: MetricIdentifier): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === "function") return new MeanMetricWrapper(identifier, identifier.name || "metric");
  if (typeof identifier === "string") {
    const key = Object.hasOwn(FUNCTIONS, identifier) ? identifier : Object.hasOwn(ALIASES, identifier) ? ALIASES[identifier] : undefined;
    if (key !== undefined) return new MeanMetricWrapper(FUNCTIONS[key] ?? null, identifier);
    const make = Object.hasOwn(CLASSES, identifier) ? CLASSES[identifier] : undefined; // own keys only
    if (make) return make();
  }
  throw new ValueError(`Unknown metric function: ${JSON.stringify(identifier)}. Valid metrics are: ${METRIC_NAMES.map((n) => `"${n}"`).join(", ")}, a Metric instance, or a function (yTrue, yPred) => per-example values.`);
}
