/**
 * `tf.keras.metrics` built on confusion counts at thresholds: TruePositives, FalsePositives,
 * TrueNegatives, FalseNegatives, Precision, Recall and AUC (ROC and PR, Keras's interpolation).
 * Labels are 0/1 (any non-zero counts as positive); a prediction is positive when it is above a threshold.
 */
import { ValueError } from "../errors.js";
import { tidy } from "../engine/tidy.js";
import { add, divide, maximum, multiply, subtract } from "../ops/binary.js";
import { cast } from "../ops/cast.js";
import { greater, notEqual } from "../ops/compare.js";
import { constant, zeros } from "../ops/creation.js";
import { reduceSum } from "../ops/reduce.js";
import { reshape } from "../ops/reshape.js";
import { slice } from "../ops/slice.js";
import { broadcastTo } from "../ops/tile.js";
import { checkOptions, optionKeys } from "../options.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { Variable } from "../tensor/variable.js";
import { EPSILON } from "./losses.js";
import { Metric, registerMetricClass } from "./metrics.js";

type Counts = { tp?: Variable; fp?: Variable; tn?: Variable; fn?: Variable };

function checkThresholds(th: unknown, owner: string): number[] {
  const list = Array.isArray(th) ? th : [th];
  for (const t of list) {
    if (typeof t !== "number" || !(t >= 0 && t <= 1)) throw new ValueError(`${owner}: thresholds must be numbers in [0, 1], got ${JSON.stringify(th)}`);
  }
  return list as number[];
}

/** Adds the weighted confusion counts of a batch at each threshold to `counts`. */
function updateCounts(counts: Counts, thresholds: readonly number[], yTrue: TensorLike, yPred: TensorLike, sampleWeight: TensorLike | undefined, classId: number | null, owner: string): void {
  tidy(() => {
    let p = toTensor(yPred, owner, "float32");
    if (p.dtype !== "float32") p = cast(p, "float32");
    let t = toTensor(yTrue, owner, "float32");
    if (t.size !== p.size) throw new ValueError(`${owner}: yTrue and yPred must have the same number of elements, got shapes [${t.shape.join(", ")}] and [${p.shape.join(", ")}]`);
    t = reshape(t, p.shape);
    let w: Tensor | null = sampleWeight === undefined || sampleWeight === null ? null : toTensor(sampleWeight, owner, "float32");
    if (w && w.dtype !== "float32") w = cast(w, "float32");
    if (w && w.rank === p.rank - 1) w = reshape(w, [...w.shape, 1]);
    if (w) w = broadcastTo(w, p.shape);
    if (classId !== null) {
      const last = p.rank - 1;
      const begin = p.shape.map((_, i) => (i === last ? classId : 0));
      const size = p.shape.map((d, i) => (i === last ? 1 : d));
      p = slice(p, begin, size);
      t = slice(t, begin, size);
      if (w) w = slice(w, begin, size);
    }
    const n = p.size;
    const label = reshape(cast(notEqual(t, 0), "float32"), [1, n]);
    const weight = w ? reshape(w, [1, n]) : null;
    const predPos = cast(greater(reshape(p, [1, n]), constant(thresholds.map((x) => [x]), "float32")), "float32");
    const predNeg = subtract(1, predPos);
    const labelNeg = subtract(1, label);
    const sum = (a: Tensor, b: Tensor): Tensor => reduceSum(weight ? multiply(multiply(a, b), weight) : multiply(a, b), { axis: 1 });
    counts.tp?.assignAdd(sum(predPos, label));
    counts.fp?.assignAdd(sum(predPos, labelNeg));
    counts.tn?.assignAdd(sum(predNeg, labelNeg));
    counts.fn?.assignAdd(sum(predNeg, label));
  });
}

function counter(name: string, size: number): Variable {
  const z = zeros([size], "float32");
  const v = new Variable(z, { name, trainable: false });
  z.dispose();
  return v;
}

/** Options of the confusion-count metrics, Precision and Recall. */
export interface ConfusionMetricOptions {
  /** One threshold or several (default 0.5); with several, `result()` has one value per threshold. */
  thresholds?: number | readonly number[];
  /** Only count this class (an index into the last axis). */
  classId?: number;
  name?: string;
}
const CONFUSION_KEYS = optionKeys<ConfusionMetricOptions>()("thresholds", "classId", "name");

abstract class ThresholdMetric extends Metric {
  readonly thresholds: number[];
  readonly classId: number | null;
  protected readonly counts: Counts;
  private readonly single: boolean;

  constructor(className: string, defaultName: string, options: ConfusionMetricOptions | undefined, kinds: readonly (keyof Counts)[]) {
    checkOptions(`keras.metrics.${className}`, options, CONFUSION_KEYS);
    const name = options?.name ?? defaultName;
    super(name);
    this.thresholds = checkThresholds(options?.thresholds ?? 0.5, className);
    this.single = !Array.isArray(options?.thresholds);
    this.classId = options?.classId ?? null;
    if (this.classId !== null && (!Number.isInteger(this.classId) || this.classId < 0)) throw new ValueError(`${className}: classId must be a non-negative integer, got ${JSON.stringify(this.classId)}`);
    this.counts = Object.fromEntries(kinds.map((k) => [k, counter(`${name}/${k}`, this.thresholds.length)]));
  }

  /** Adds a batch of 0/1 labels and predicted probabilities (optionally weighted). */
  override updateState(yTrue: TensorLike, yPred?: TensorLike, sampleWeight?: TensorLike): void {
    if (yPred === undefined) throw new ValueError(`Metric "${this.name}": updateState needs (yTrue, yPred)`);
    updateCounts(this.counts, this.thresholds, yTrue, yPred, sampleWeight, this.classId, this.name);
  }

  /** The value from the counts (per threshold). */
  protected abstract value(): Tensor;

  override result(): Tensor {
    return tidy(() => {
      const v = this.value();
      return this.single ? reshape(v, []) : v;
    });
  }

  override resetState(): void {
    for (const v of this.variables) tidy(() => void v.assign(zeros(v.shape, "float32")));
  }

  override get variables(): Variable[] {
    return Object.values(this.counts).filter((v): v is Variable => v !== undefined);
  }
}

/** `num / den`, 0 where `den` is 0 (Keras's divide_no_nan, for counts where num ≤ den). */
const ratio = (num: Tensor, den: Tensor): Tensor => divide(num, maximum(den, 1e-30));

/** The base of the four count metrics: the (weighted) count of one confusion-matrix cell. */
abstract class ConfusionCount extends ThresholdMetric {
  private readonly cell: keyof Counts;
  constructor(className: string, defaultName: string, options: ConfusionMetricOptions | undefined, cell: keyof Counts) {
    super(className, defaultName, options, [cell]);
    this.cell = cell;
  }
  protected value(): Tensor {
    return add(this.counts[this.cell]!, 0);
  }
}

/** The (weighted) number of true positives. */
export class TruePositives extends ConfusionCount {
  readonly className = "TruePositives";
  constructor(options?: ConfusionMetricOptions) {
    super("TruePositives", "true_positives", options, "tp");
  }
}

/** The (weighted) number of false positives. */
export class FalsePositives extends ConfusionCount {
  readonly className = "FalsePositives";
  constructor(options?: ConfusionMetricOptions) {
    super("FalsePositives", "false_positives", options, "fp");
  }
}

/** The (weighted) number of true negatives. */
export class TrueNegatives extends ConfusionCount {
  readonly className = "TrueNegatives";
  constructor(options?: ConfusionMetricOptions) {
    super("TrueNegatives", "true_negatives", options, "tn");
  }
}

/** The (weighted) number of false negatives. */
export class FalseNegatives extends ConfusionCount {
  readonly className = "FalseNegatives";
  constructor(options?: ConfusionMetricOptions) {
    super("FalseNegatives", "false_negatives", options, "fn");
  }
}

/** `tp / (tp + fp)`: how many predicted positives are positive. */
export class Precision extends ThresholdMetric {
  readonly className = "Precision";
  constructor(options?: ConfusionMetricOptions) {
    super("Precision", "precision", options, ["tp", "fp"]);
  }
  protected value(): Tensor {
    return ratio(this.counts.tp!, add(this.counts.tp!, this.counts.fp!));
  }
}

/** `tp / (tp + fn)`: how many positives are found. */
export class Recall extends ThresholdMetric {
  readonly className = "Recall";
  constructor(options?: ConfusionMetricOptions) {
    super("Recall", "recall", options, ["tp", "fn"]);
  }
  protected value(): Tensor {
    return ratio(this.counts.tp!, add(this.counts.tp!, this.counts.fn!));
  }
}

/** Options of `AUC`. */
export interface AUCOptions {
  /** Thresholds used to discretise the curve (default 200). */
  numThresholds?: number;
  /** "ROC" (default) or "PR". */
  curve?: "ROC" | "PR";
  /** "interpolation" (default; trapezoids for ROC, Davis & Goadrich for PR), "minoring" or "majoring". */
  summationMethod?: "interpolation" | "minoring" | "majoring";
  /** Explicit thresholds in [0, 1] (then `numThresholds` is their count + 2). */
  thresholds?: readonly number[];
  name?: string;
}
const AUC_KEYS = optionKeys<AUCOptions>()("numThresholds", "curve", "summationMethod", "thresholds", "name");

/** Area under the ROC or precision–recall curve, from confusion counts at fixed thresholds (Keras's estimate). */
export class AUC extends Metric {
  readonly className = "AUC";
  readonly numThresholds: number;
  readonly curve: "ROC" | "PR";
  readonly summationMethod: "interpolation" | "minoring" | "majoring";
  readonly thresholds: number[];
  private readonly counts: Required<Counts>;

  constructor(options?: AUCOptions) {
    checkOptions("keras.metrics.AUC", options, AUC_KEYS);
    super(options?.name ?? "auc");
    this.curve = options?.curve ?? "ROC";
    if (this.curve !== "ROC" && this.curve !== "PR") throw new ValueError(`AUC: curve must be "ROC" or "PR", got ${JSON.stringify(this.curve)}`);
    this.summationMethod = options?.summationMethod ?? "interpolation";
    if (!["interpolation", "minoring", "majoring"].includes(this.summationMethod)) throw new ValueError(`AUC: summationMethod must be "interpolation", "minoring" or "majoring", got ${JSON.stringify(this.summationMethod)}`);
    let inner: number[];
    if (options?.thresholds !== undefined) {
      inner = checkThresholds(options.thresholds, "AUC").slice().sort((a, b) => a - b);
      this.numThresholds = inner.length + 2;
    } else {
      const n = options?.numThresholds ?? 200;
      if (!Number.isInteger(n) || n <= 1) throw new ValueError(`AUC: numThresholds must be an integer > 1, got ${JSON.stringify(n)}`);
      this.numThresholds = n;
      inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
    }
    this.thresholds = [-EPSILON, ...inner, 1 + EPSILON];
    const m = this.thresholds.length;
    this.counts = { tp: counter(`${this.name}/true_positives`, m), fp: counter(`${this.name}/false_positives`, m), tn: counter(`${this.name}/true_negatives`, m), fn: counter(`${this.name}/false_negatives`, m) };
  }

  /** Adds a batch of 0/1 labels and predicted probabilities (optionally weighted). */
  override updateState(yTrue: TensorLike, yPred?: TensorLike, sampleWeight?: TensorLike): void {
    if (yPred === undefined) throw new ValueError(`Metric "${this.name}": updateState needs (yTrue, yPred)`);
    updateCounts(this.counts, this.thresholds, yTrue, yPred, sampleWeight, null, this.name);
  }

  /** The area (computed on the host from the counts, in float64). */
  override result(): Tensor {
    const read = (v: Variable): number[] => Array.from(v.dataSync() as Float32Array);
    const [tp, fp, tn, fn] = [read(this.counts.tp), read(this.counts.fp), read(this.counts.tn), read(this.counts.fn)];
    const m = tp.length;
    const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);
    let area = 0;
    if (this.curve === "PR" && this.summationMethod === "interpolation") {
      for (let i = 0; i < m - 1; i++) {
        const dtp = tp[i]! - tp[i + 1]!;
        const p0 = tp[i]! + fp[i]!, p1 = tp[i + 1]! + fp[i + 1]!;
        const slope = div(dtp, Math.max(p0 - p1, 0));
        const intercept = tp[i + 1]! - slope * p1;
        const safeRatio = p0 > 0 && p1 > 0 ? div(p0, Math.max(p1, 0)) : 1;
        area += div(slope * (dtp + intercept * Math.log(safeRatio)), Math.max(tp[i + 1]! + fn[i + 1]!, 0));
      }
      return constant(area, "float32");
    }
    const x: number[] = [], y: number[] = [];
    for (let i = 0; i < m; i++) {
      const recall = div(tp[i]!, tp[i]! + fn[i]!);
      if (this.curve === "ROC") {
        x.push(div(fp[i]!, fp[i]! + tn[i]!));
        y.push(recall);
      } else {
        x.push(recall);
        y.push(div(tp[i]!, tp[i]! + fp[i]!));
      }
    }
    for (let i = 0; i < m - 1; i++) {
      const h = this.summationMethod === "interpolation" ? (y[i]! + y[i + 1]!) / 2 : this.summationMethod === "minoring" ? Math.min(y[i]!, y[i + 1]!) : Math.max(y[i]!, y[i + 1]!);
      area += (x[i]! - x[i + 1]!) * h;
    }
    return constant(area, "float32");
  }

  override resetState(): void {
    for (const v of this.variables) tidy(() => void v.assign(zeros(v.shape, "float32")));
  }

  override get variables(): Variable[] {
    return [this.counts.tp, this.counts.fp, this.counts.tn, this.counts.fn];
  }
}

registerMetricClass(["auc", "AUC"], () => new AUC());
registerMetricClass(["precision", "Precision"], () => new Precision());
registerMetricClass(["recall", "Recall"], () => new Recall());
registerMetricClass(["true_positives", "TruePositives"], () => new TruePositives());
registerMetricClass(["false_positives", "FalsePositives"], () => new FalsePositives());
registerMetricClass(["true_negatives", "TrueNegatives"], () => new TrueNegatives());
registerMetricClass(["false_negatives", "FalseNegatives"], () => new FalseNegatives());
