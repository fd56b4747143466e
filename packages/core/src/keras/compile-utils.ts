/**
 * What `compile` was given, fitted to the model's outputs (Keras's `LossesContainer` and
 * `MetricsContainer`): one loss for every output, a list (one per output) or a dict by output name;
 * metrics for every output or per output; optional loss weights. Logs are named as Keras names
 * them: `loss` (the weighted total), then `<output>_loss` and `<output>_<metric>` when the model has
 * several outputs.
 */
import { ValueError } from "../errors.js";
import { add, multiply } from "../ops/binary.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Loss, LossIdentifier } from "./losses.js";
import { getLoss } from "./losses.js";
import type { Metric, MetricIdentifier } from "./metrics.js";
import { Mean, getMetric } from "./metrics.js";
import { isDict } from "./nest.js";

/** `compile`'s `loss`: one loss for every output, one per output (list), or per output name (dict; a missing name has no loss). */
export type LossSpec = LossIdentifier | readonly (LossIdentifier | null)[] | { readonly [output: string]: LossIdentifier | null };

/** `compile`'s `metrics`: metrics for every output, a list per output, or per output name. */
export type MetricsSpec = readonly MetricIdentifier[] | readonly (readonly MetricIdentifier[])[] | { readonly [output: string]: MetricIdentifier | readonly MetricIdentifier[] };

/** `compile`'s `lossWeights`: one factor per output (list or dict by output name). */
export type LossWeightsSpec = readonly number[] | { readonly [output: string]: number };

/** How a model's outputs are named and arranged. */
export interface OutputLayout {
  names: readonly string[];
  /** Whether the model returns a dict (keys are the names) rather than a list or a single tensor. */
  isDict: boolean;
}

/** A metric and the name it is logged under. */
export interface NamedMetric {
  readonly name: string;
  readonly metric: Metric;
  readonly output: number;
}

function perOutput<T>(spec: readonly T[] | Readonly<Record<string, T>>, layout: OutputLayout, what: string, missing: T): T[] {
  const n = layout.names.length;
  if (Array.isArray(spec)) {
    if (spec.length !== n) {
      throw new ValueError(`When passing a list as ${what}, it should have one entry per model output. The model has ${n} output(s) (${layout.names.join(", ")}), but you passed ${what} with ${spec.length} entries.`);
    }
    return spec.slice();
  }
  const dict = spec as Readonly<Record<string, T>>;
  const unknown = Object.keys(dict).filter((k) => !layout.names.includes(k));
  if (unknown.length) {
    throw new ValueError(`Found unexpected ${what} that do not correspond to any Model output: [${unknown.join(", ")}]. Valid output names: [${layout.names.join(", ")}].`);
  }
  return layout.names.map((name) => (Object.hasOwn(dict, name) ? dict[name]! : missing));
}

/** The compiled loss: one Loss (or none) per output, weights, and the trackers that log them. */
export class CompiledLoss {
  readonly spec: LossSpec;
  readonly weights: LossWeightsSpec | null;
  /** The loss of each output, null where an output has none; set by `build`. */
  losses: (Loss | null)[] = [];
  private factors: number[] = [];
  readonly total = new Mean("loss");
  private trackers: (Mean | null)[] = [];
  private layout: OutputLayout | null = null;
  /** The loss the spec gives every output, resolved at compile time to report bad names early. */
  private readonly shared: Loss | null;

  constructor(spec: LossSpec, weights: LossWeightsSpec | null) {
    this.spec = spec;
    this.weights = weights;
    const isList = Array.isArray(spec);
    if (isList) (spec as readonly (LossIdentifier | null)[]).forEach((l) => l !== null && getLoss(l));
    else if (isDict(spec)) Object.values(spec).forEach((l) => l !== null && getLoss(l as LossIdentifier));
    this.shared = isList || isDict(spec) ? null : getLoss(spec as LossIdentifier);
  }

  /** Fits the spec to the model's outputs (once, on the first batch, when they are known). */
  build(layout: OutputLayout): void {
    if (this.layout) return;
    const n = layout.names.length;
    if (this.shared) this.losses = layout.names.map((_, i) => (i === 0 ? this.shared : getLoss(this.spec as LossIdentifier)));
    else this.losses = perOutput(this.spec as readonly (LossIdentifier | null)[] | Readonly<Record<string, LossIdentifier | null>>, layout, "loss", null).map((l) => (l === null ? null : getLoss(l)));
    if (this.losses.every((l) => l === null)) throw new ValueError(`No loss to compute: compile gave none of the model's outputs (${layout.names.join(", ")}) a loss.`);
    this.factors = this.weights === null ? new Array<number>(n).fill(1) : perOutput(this.weights as readonly number[] | Readonly<Record<string, number>>, layout, "lossWeights", 1);
    this.trackers = n > 1 ? this.losses.map((l, i) => (l === null ? null : new Mean(`${layout.names[i]}_loss`))) : [];
    this.layout = layout;
  }

  /** The loss trackers in log order: `loss`, then one per output when there are several. */
  get trackersInOrder(): Mean[] {
    return [this.total, ...this.trackers.filter((t): t is Mean => t !== null)];
  }

  /** The weighted total loss of a batch (a scalar), and each output's loss; `sampleWeight` weights every output's examples. */
  compute(yTrue: readonly Tensor[], yPred: readonly Tensor[], sampleWeight: Tensor | null = null): { total: Tensor; parts: (Tensor | null)[] } {
    if (yTrue.length !== yPred.length) {
      throw new ValueError(`The model has ${yPred.length} output(s) (${this.layout?.names.join(", ") ?? ""}), but ${yTrue.length} target(s) were given`);
    }
    let total: Tensor | null = null;
    const parts = this.losses.map((loss, i) => {
      if (!loss) return null;
      const l = sampleWeight ? loss.call(yTrue[i]!, yPred[i]!, sampleWeight) : loss.call(yTrue[i]!, yPred[i]!);
      const w = this.factors[i]! === 1 ? l : multiply(l, this.factors[i]!);
      total = total === null ? w : add(total, w);
      return l;
    });
    return { total: total!, parts };
  }

  /** Adds a batch's losses to the trackers. */
  update(total: Tensor, parts: readonly (Tensor | null)[], batchSize: number): void {
    this.total.updateState(total, batchSize);
    this.trackers.forEach((t, i) => {
      const p = parts[i];
      if (t && p) t.updateState(p, batchSize);
    });
  }

  dispose(): void {
    for (const t of this.trackersInOrder) t.dispose();
  }
}

/** The compiled metrics, each bound to one output. */
export class CompiledMetrics {
  readonly spec: MetricsSpec;
  entries: NamedMetric[] = [];
  private built = false;

  constructor(spec: MetricsSpec) {
    this.spec = spec;
    // Resolve now so a bad name fails in compile, not on the first batch.
    const all = Array.isArray(spec) ? (spec as readonly (MetricIdentifier | readonly MetricIdentifier[])[]).flat() : Object.values(spec).flat();
    const single = all.map((m) => getMetric(m as MetricIdentifier));
    if (!isDict(spec) && !(spec as readonly unknown[]).some(Array.isArray)) {
      this.entries = single.map((metric) => ({ name: metric.name, metric, output: 0 }));
    } else {
      // Per-output metrics are made in build; these only checked the names.
      for (const m of single) if (!all.includes(m)) m.dispose();
    }
    const names = new Set<string>(["loss"]);
    for (const e of this.entries) {
      if (names.has(e.name)) throw new ValueError(`compile: two metrics are named "${e.name}"; give them distinct names`);
      names.add(e.name);
    }
  }

  /** Fits the spec to the model's outputs (once). */
  build(layout: OutputLayout): void {
    if (this.built) return;
    this.built = true;
    const n = layout.names.length;
    const flatList = !isDict(this.spec) && !(this.spec as readonly unknown[]).some(Array.isArray);
    if (flatList && n === 1) return;
    let lists: (readonly MetricIdentifier[])[];
    if (flatList) {
      const given = this.spec as readonly MetricIdentifier[];
      const instance = given.find((m) => typeof m === "object");
      if (instance) {
        throw new ValueError(`compile: the metric instance "${(instance as Metric).name}" cannot be shared by the model's ${n} outputs; pass metric names, or metrics per output ({ ${layout.names[0]}: [...] })`);
      }
      for (const e of this.entries) e.metric.dispose();
      lists = layout.names.map(() => given);
    } else {
      lists = perOutput(this.spec as readonly (readonly MetricIdentifier[])[] | Readonly<Record<string, MetricIdentifier | readonly MetricIdentifier[]>>, layout, "metrics", []).map((l) =>
        Array.isArray(l) ? l : [l as MetricIdentifier],
      );
    }
    this.entries = lists.flatMap((list, output) =>
      list.map((id) => {
        const metric = getMetric(id);
        return { name: n > 1 ? `${layout.names[output]}_${metric.name}` : metric.name, metric, output };
      }),
    );
    const names = new Set<string>(["loss"]);
    for (const e of this.entries) {
      if (names.has(e.name)) throw new ValueError(`compile: two metrics are named "${e.name}"; give them distinct names`);
      names.add(e.name);
    }
  }

  /** Adds a batch to every metric (each example weighted by `sampleWeight` when given). */
  update(yTrue: readonly Tensor[], yPred: readonly Tensor[], sampleWeight: Tensor | null = null): void {
    for (const e of this.entries) {
      if (sampleWeight) e.metric.updateState(yTrue[e.output]!, yPred[e.output]!, sampleWeight);
      else e.metric.updateState(yTrue[e.output]!, yPred[e.output]!);
    }
  }

  dispose(): void {
    for (const e of this.entries) e.metric.dispose();
  }
}
