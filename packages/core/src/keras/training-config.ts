/**
 * The training config a model saved with `{ includeOptimizer: true }` carries (TensorFlow.js's and
 * Keras 2's `training_config`: loss, metrics, loss weights and `optimizer_config`), and compiling a
 * loaded model from it.
 */
import { ValueError } from "../errors.js";
import type { LossSpec, LossWeightsSpec, MetricsSpec } from "./compile-utils.js";
import * as lossClasses from "./losses-index.js";
import { getLoss, Loss } from "./losses.js";
import { toSnakeCase } from "./naming.js";
import type { LossIdentifier } from "./losses.js";
import { Metric } from "./metrics.js";
import type { MetricIdentifier } from "./metrics.js";
import type { CompileArgs, Model, SymbolicOutputs } from "./model.js";
import { deserialize as deserializeOptimizer, serialize as serializeOptimizer } from "./optimizers/index.js";
import type { Optimizer } from "./optimizers/optimizer.js";

/** A loss or metric as saved: its name, or `{ class_name, config }` for an instance. */
export type SavedIdentifier = string | { class_name: string; config: Record<string, unknown> };

/** `trainingConfig` in a saved model (snake_case keys, as TensorFlow.js and Keras write them). */
export interface TrainingConfig {
  loss: SavedIdentifier | SavedIdentifier[] | Record<string, SavedIdentifier>;
  metrics?: SavedIdentifier[] | SavedIdentifier[][] | Record<string, SavedIdentifier | SavedIdentifier[]>;
  loss_weights?: LossWeightsSpec;
  optimizer_config: { class_name: string; config: Record<string, unknown> };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A loss name as its canonical snake_case spelling ("mse" → "mean_squared_error"), which TensorFlow.js also reads. */
function canonicalLossName(id: string): string {
  let loss: Loss;
  try {
    loss = getLoss(id);
  } catch {
    return id;
  }
  const snake = toSnakeCase(loss.className);
  try {
    return getLoss(snake).className === loss.className ? snake : id;
  } catch {
    return id;
  }
}

function saveIdentifier(id: LossIdentifier | MetricIdentifier | null, what: string): SavedIdentifier {
  if (typeof id === "string") return what === "loss" ? canonicalLossName(id) : id;
  if (id instanceof Loss) return { class_name: id.className, config: id.getConfig() };
  // Metrics have no config: saved by name, as TensorFlow.js does.
  if (id instanceof Metric) return id.name;
  if (typeof id === "function" && id.name) return id.name;
  throw new ValueError(`model.save({ includeOptimizer: true }): the ${what} ${String(id)} cannot be saved in the training config (use a named loss/metric, an instance, or a named function)`);
}

function mapSpec<T, U>(spec: T | readonly T[] | { readonly [k: string]: T }, isLeaf: (x: unknown) => x is T, f: (x: T) => U): U | U[] | Record<string, U> {
  if (isLeaf(spec)) return f(spec);
  if (Array.isArray(spec)) return (spec as readonly T[]).map(f);
  return Object.fromEntries(Object.entries(spec as Record<string, T>).map(([k, v]) => [k, f(v)]));
}

const isLossLeaf = (x: unknown): x is LossIdentifier | null => x === null || typeof x === "string" || typeof x === "function" || x instanceof Loss;

/** The training config of a compiled model (what `save` writes with `includeOptimizer`). */
export function trainingConfigOf(model: Model<SymbolicOutputs>): TrainingConfig {
  const args = model.compileArgs;
  const optimizer = model.optimizer;
  if (!args || !optimizer) throw new ValueError(`model.save({ includeOptimizer: true }): model "${model.name}" is not compiled, so it has no optimizer to save`);
  const loss = mapSpec(args.loss, isLossLeaf, (l) => saveIdentifier(l, "loss")) as TrainingConfig["loss"];
  const config: TrainingConfig = { loss, optimizer_config: serializeOptimizer(optimizer) };
  if (args.metrics !== undefined) {
    const saveMetric = (m: MetricIdentifier | readonly MetricIdentifier[]): SavedIdentifier | SavedIdentifier[] => (Array.isArray(m) ? m.map((x: MetricIdentifier) => saveIdentifier(x, "metric")) : saveIdentifier(m as MetricIdentifier, "metric"));
    config.metrics = (Array.isArray(args.metrics) ? args.metrics.map(saveMetric) : Object.fromEntries(Object.entries(args.metrics).map(([k, v]) => [k, saveMetric(v)]))) as TrainingConfig["metrics"];
  }
  if (args.lossWeights) config.loss_weights = args.lossWeights;
  return config;
}

const camel = (k: string): string => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A Loss or Metric class from `{ class_name, config }`, with the config's keys in camelCase as options. */
function fromClassConfig<T>(spec: { class_name: unknown; config?: unknown }, ns: Record<string, unknown>, base: abstract new (...a: never[]) => T, what: string): T {
  const name = spec.class_name;
  const cls = typeof name === "string" && Object.hasOwn(ns, name) ? ns[name] : undefined;
  if (typeof cls !== "function" || !(cls.prototype instanceof base)) throw new ValueError(`The saved training config names an unknown ${what} class ${JSON.stringify(name)}`);
  const config = isRecord(spec.config) ? spec.config : {};
  const options: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(config)) options[camel(k)] = v;
  return new (cls as new (o: Record<string, unknown>) => T)({ ...options });
}

function loadLoss(id: unknown): LossIdentifier | null {
  if (id === null) return null;
  if (typeof id === "string") return id;
  if (isRecord(id) && "class_name" in id) return fromClassConfig(id as { class_name: unknown; config?: unknown }, lossClasses as unknown as Record<string, unknown>, Loss, "loss");
  throw new ValueError(`The saved training config has an invalid loss ${JSON.stringify(id)}`);
}

function loadMetric(id: unknown): MetricIdentifier {
  if (typeof id === "string") return id;
  throw new ValueError(`The saved training config has an invalid metric ${JSON.stringify(id)}`);
}

/** TensorFlow.js's optimizer class names and config keys, as Tessera's. */
function optimizerFromConfig(spec: unknown): Optimizer {
  if (!isRecord(spec) || typeof spec["class_name"] !== "string") throw new ValueError(`The saved training config has an invalid optimizer_config ${JSON.stringify(spec)}`);
  const config = isRecord(spec["config"]) ? { ...spec["config"] } : {};
  let cls = spec["class_name"];
  if (cls === "RMSProp") cls = "RMSprop";
  if (cls === "Momentum") {
    // TensorFlow.js's MomentumOptimizer is SGD with momentum.
    cls = "SGD";
    if ("useNesterov" in config) {
      config["nesterov"] = config["useNesterov"];
      delete config["useNesterov"];
    }
  }
  return deserializeOptimizer({ class_name: cls, config });
}

/** The `compile` arguments a saved training config describes (a fresh optimizer, not yet built). */
export function compileArgsFrom(config: unknown): CompileArgs {
  if (!isRecord(config)) throw new ValueError(`The saved training config must be an object, got ${JSON.stringify(config)}`);
  const optimizer = optimizerFromConfig(config["optimizer_config"]);
  const rawLoss = config["loss"];
  const loss = (Array.isArray(rawLoss) ? rawLoss.map(loadLoss) : isRecord(rawLoss) && !("class_name" in rawLoss) ? Object.fromEntries(Object.entries(rawLoss).map(([k, v]) => [k, loadLoss(v)])) : loadLoss(rawLoss)) as LossSpec;
  const args: CompileArgs = { optimizer, loss };
  const rawMetrics = config["metrics"];
  if (rawMetrics !== undefined && rawMetrics !== null) {
    const one = (m: unknown): MetricIdentifier | MetricIdentifier[] => (Array.isArray(m) ? m.map(loadMetric) : loadMetric(m));
    if (Array.isArray(rawMetrics)) args.metrics = rawMetrics.map(one) as MetricsSpec;
    else if (isRecord(rawMetrics)) args.metrics = Object.fromEntries(Object.entries(rawMetrics).map(([k, v]) => [k, one(v)])) as MetricsSpec;
    else throw new ValueError(`The saved training config has invalid metrics ${JSON.stringify(rawMetrics)}`);
  }
  const lw = config["loss_weights"];
  if (lw !== undefined && lw !== null) args.lossWeights = lw as LossWeightsSpec;
  return args;
}
