/**
 * `fit`, `evaluate` and `predict` on a `tf.data.Dataset`. Elements are unpacked as Keras does: an
 * array `[x, y]` (or `[x]`, or `[x, y, sampleWeight]`) is inputs, targets and per-example weights,
 * anything else is inputs only. Each element is
 * disposed once its step is done; an epoch that stops early (an error, `stepsPerEpoch`) closes its
 * pass so the pipeline's buffers are freed.
 */
import { Dataset, INFINITE_CARDINALITY } from "../data/dataset.js";
import type { Element } from "../data/structure.js";
import { disposeElement, flattenElement, packElement } from "../data/structure.js";
import { ValueError } from "../errors.js";
import { tidy } from "../engine/tidy.js";
import { concat } from "../ops/concat.js";
import { Tensor } from "../tensor/tensor.js";
import { flatten } from "./nest.js";
import { checkSampleWeight, classSampleWeights } from "./sample-weights.js";
import type { Logs } from "./callback.js";
import { CallbackList, ProgbarLogger } from "./callbacks.js";
import { History } from "./history.js";
import type { ApplyInputs, LayerInputs } from "./layer.js";
import type { Nested } from "./nest.js";
import { Yielder } from "./yield.js";

/** What the dataset loops need of a model (Model implements it; kept narrow to avoid an import cycle). */
export interface DatasetModel {
  stopTraining: boolean;
  readonly metricsNames: string[];
  trainStep(x: Tensor | LayerInputs, y: Tensor | Nested<Tensor>, sampleWeight?: Tensor | null): void;
  testStep(x: Tensor | LayerInputs, y: Tensor | Nested<Tensor>, sampleWeight?: Tensor | null): void;
  resetMetrics(): void;
  apply(inputs: ApplyInputs, options: { training: boolean }): unknown;
  getWeights(): Tensor[];
  setWeights(weights: readonly Tensor[]): void;
  /** @internal */
  _readLogs(prefix?: string): Promise<Logs>;
}

/** Settings of a dataset `fit` (checked by `Model.fit`). */
export interface DatasetFitSettings {
  /** `classWeight`, checked: applied to each batch's targets. */
  classWeight: Map<number, number> | null;
  epochs: number;
  initialEpoch: number;
  verbose: 0 | 1 | 2;
  stepsPerEpoch: number | null;
  validation: Dataset | null;
  validationSteps: number | null;
  validationFreq: number;
  callbacks: readonly import("./callbacks.js").CallbackLike[];
  progressSink?: import("./progress.js").ProgressSink;
  /** Validation on in-memory tensors (runs when `validation` is null). */
  validateTensors: ((callbacks: CallbackList, yielder: Yielder) => Promise<Logs>) | null;
}

/** Keras's `unpack_x_y_sample_weight`. */
export function unpack(e: Element, method: string): { x: Element; y: Element | null; sampleWeight: Tensor | null } {
  if (!Array.isArray(e)) return { x: e, y: null, sampleWeight: null };
  const parts = e as readonly Element[];
  if (parts.length === 1) return { x: parts[0]!, y: null, sampleWeight: null };
  if (parts.length === 2) return { x: parts[0]!, y: parts[1]!, sampleWeight: null };
  if (parts.length === 3) {
    const w = parts[2];
    if (!(w instanceof Tensor)) throw new ValueError(`${method}: in a dataset element [x, y, sampleWeight], sampleWeight must be one tensor (a weight per example)`);
    return { x: parts[0]!, y: parts[1]!, sampleWeight: w };
  }
  throw new ValueError(`${method}: a dataset element must be x, [x], [x, y] or [x, y, sampleWeight]; got a tuple of ${parts.length} items`);
}

function steps(ds: Dataset, given: number | null, method: string): number | null {
  if (given !== null) return given;
  const c = ds.cardinality();
  if (c === INFINITE_CARDINALITY) throw new ValueError(`${method}: the dataset is infinite; pass ${method === "fit" ? "stepsPerEpoch" : "steps"} to say how many batches to use`);
  return c >= 0 ? c : null;
}

/** Runs up to `limit` steps of `step` over one pass of `it` (to its end when null); returns the steps run and whether the data ran out. */
async function runSteps(
  it: AsyncIterator<Element>,
  limit: number | null,
  method: string,
  step: (x: Element, y: Element | null, sampleWeight: Tensor | null) => void,
  after: (i: number) => Promise<void>,
  before: (i: number) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<{ count: number; exhausted: boolean }> {
  let i = 0;
  while (limit === null || i < limit) {
    await before(i);
    const r = await it.next();
    if (r.done) return { count: i, exhausted: true };
    try {
      const { x, y, sampleWeight } = unpack(r.value, method);
      step(x, y, sampleWeight);
    } finally {
      disposeElement(r.value);
    }
    await after(i);
    i++;
    if (stop()) break;
  }
  return { count: i, exhausted: false };
}

/**
 * One pass of training (`fit`: `trainStep`, the Train batch hooks) or evaluation (`evaluate`:
 * `testStep`, the Test batch hooks) over up to `limit` labelled batches of `it`.
 */
function runLabelledSteps(
  model: DatasetModel,
  it: AsyncIterator<Element>,
  limit: number | null,
  method: "fit" | "evaluate",
  callbacks: CallbackList,
  yielder: Yielder,
  perBatchLogs: boolean,
  stop?: () => boolean,
  classWeight: Map<number, number> | null = null,
): Promise<{ count: number; exhausted: boolean }> {
  const train = method === "fit";
  return runSteps(
    it,
    limit,
    method,
    (x, y, sampleWeight) => {
      if (y === null) throw new ValueError(`${method}: the dataset's elements need targets: yield [x, y]`);
      const owned: Tensor[] = [];
      try {
        let w: Tensor | null = null;
        if (sampleWeight) {
          const targets = flatten(y as Nested<Tensor>, (v): v is Tensor => v instanceof Tensor);
          const r = checkSampleWeight(sampleWeight, targets[0]?.shape[0] ?? 0, method);
          if (r.owned) owned.push(r.tensor);
          w = r.tensor;
        }
        if (classWeight) {
          const targets = flatten(y as Nested<Tensor>, (v): v is Tensor => v instanceof Tensor);
          if (targets.length !== 1) throw new ValueError(`${method}: \`classWeight\` is only supported for models with a single output (this one has ${targets.length})`);
          w = classSampleWeights(targets[0]!, classWeight, w, method);
          owned.push(w);
        }
        if (train) model.trainStep(x as LayerInputs, y as Nested<Tensor>, w);
        else model.testStep(x as LayerInputs, y as Nested<Tensor>, w);
      } finally {
        for (const t of owned) t.dispose();
      }
    },
    async (i) => {
      if (perBatchLogs) await callbacks.call(train ? "onTrainBatchEnd" : "onTestBatchEnd", i, await model._readLogs());
      await yielder.maybeYield();
    },
    (i) => callbacks.call(train ? "onTrainBatchBegin" : "onTestBatchBegin", i, {}),
    stop,
  );
}

/** `model.fit(dataset, options)`. */
export async function fitDataset(model: DatasetModel, ds: Dataset, s: DatasetFitSettings): Promise<History> {
  const perEpoch = steps(ds, s.stepsPerEpoch, "fit");
  const history = new History();
  const callbacks = new CallbackList(
    [...(s.verbose > 0 ? [new ProgbarLogger(s.verbose as 1 | 2, s.progressSink)] : []), ...s.callbacks, history],
    model,
    { epochs: s.epochs, steps: perEpoch ?? undefined, verbose: s.verbose, mode: "train" },
  );
  const perBatchLogs = s.verbose === 1 || callbacks.has("onTrainBatchEnd");
  const yielder = new Yielder();
  model.stopTraining = false;
  // With stepsPerEpoch the pass continues across epochs, as Keras does; otherwise each epoch is one pass.
  let it: AsyncIterator<Element> | null = null;
  try {
    await callbacks.call("onTrainBegin", {});
    let logs: Logs = {};
    for (let epoch = s.initialEpoch; epoch < s.epochs; epoch++) {
      model.resetMetrics();
      await callbacks.call("onEpochBegin", epoch, {});
      if (!it || s.stepsPerEpoch === null) it = ds[Symbol.asyncIterator]();
      const r = await runLabelledSteps(model, it, s.stepsPerEpoch, "fit", callbacks, yielder, perBatchLogs, () => model.stopTraining, s.classWeight);
      if (r.count === 0) throw new ValueError("fit: the dataset yielded no elements" + (epoch > s.initialEpoch ? ` in epoch ${epoch + 1} (with stepsPerEpoch, use repeat() so it lasts)` : ""));
      if (r.exhausted && s.stepsPerEpoch !== null) {
        console.warn(`Your input ran out of data; interrupting training. Make sure that your dataset can generate at least stepsPerEpoch * epochs batches (in this case, ${s.stepsPerEpoch * s.epochs} batches). You may need to use repeat().`);
        model.stopTraining = true;
      }
      logs = await model._readLogs();
      if ((epoch + 1) % s.validationFreq === 0) {
        if (s.validation) logs = { ...logs, ...(await testDataset(model, s.validation, s.validationSteps, callbacks, yielder, "val_")) };
        else if (s.validateTensors) logs = { ...logs, ...(await s.validateTensors(callbacks, yielder)) };
      }
      await callbacks.call("onEpochEnd", epoch, logs);
      if (model.stopTraining) break;
    }
    await callbacks.call("onTrainEnd", logs);
    return history;
  } finally {
    await it?.return?.();
  }
}

/** Evaluates `ds` (up to `limit` batches) into the metrics; returns the logs, names prefixed. */
export async function testDataset(model: DatasetModel, ds: Dataset, limit: number | null, callbacks: CallbackList, yielder: Yielder, prefix = ""): Promise<Logs> {
  steps(ds, limit, "evaluate");
  model.resetMetrics();
  await callbacks.call("onTestBegin", {});
  const perBatchLogs = callbacks.has("onTestBatchEnd");
  const it = ds[Symbol.asyncIterator]();
  try {
    const r = await runLabelledSteps(model, it, limit, "evaluate", callbacks, yielder, perBatchLogs);
    if (r.count === 0) throw new ValueError("evaluate: the dataset yielded no elements");
  } finally {
    await it.return?.();
  }
  const logs = await model._readLogs();
  await callbacks.call("onTestEnd", logs);
  return prefix ? Object.fromEntries(Object.entries(logs).map(([k, v]) => [prefix + k, v])) : logs;
}

/** `model.predict(dataset)`: the outputs of every batch, concatenated. */
export async function predictDataset(model: DatasetModel, ds: Dataset, limit: number | null): Promise<Element> {
  steps(ds, limit, "predict");
  const outs: Element[] = [];
  const it = ds[Symbol.asyncIterator]();
  try {
    await runSteps(
      it,
      limit,
      "predict",
      (x) => {
        outs.push(tidy(() => model.apply(x as ApplyInputs, { training: false }) as never) as Element);
      },
      async () => {},
      async () => {},
    );
  } catch (err) {
    for (const o of outs) disposeElement(o);
    throw err;
  } finally {
    await it.return?.();
  }
  if (outs.length === 0) throw new ValueError("predict: the dataset yielded no elements");
  try {
    const columns = flattenElement(outs[0]!).map((_, i) => concat(outs.map((o) => flattenElement(o)[i]!), 0));
    return packElement(outs[0]!, columns);
  } finally {
    for (const o of outs) disposeElement(o);
  }
}

export { Dataset };
