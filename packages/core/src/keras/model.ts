/**
 * `tf.keras.Model`: a layer that trains. `compile` picks the optimizer, loss and metrics; `fit` runs
 * the training loop (GradientTape → loss → `applyGradients`) over shuffled batches with callbacks, a
 * progress bar and event-loop yields; `evaluate`, `predict`, `summary`, `save`.
 */
import { NotImplementedError, ValueError } from "../errors.js";
import { tidy } from "../engine/tidy.js";
import { GradientTape } from "../gradients/gradient-tape.js";
import { concat } from "../ops/concat.js";
import { zeros } from "../ops/creation.js";
import { gather } from "../ops/gather.js";
import { slice } from "../ops/slice.js";
import { permutation } from "../random/permutation.js";
import { formatShapeTuple } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import { Tensor } from "../tensor/tensor.js";
import type { Variable } from "../tensor/variable.js";
import type { CallbackLike, Logs } from "./callbacks.js";
import { CallbackList, ProgbarLogger } from "./callbacks.js";
import { History } from "./history.js";
import type { LayerArgs, Shape } from "./layer.js";
import { Layer } from "./layer.js";
import type { Loss, LossIdentifier } from "./losses.js";
import { getLoss } from "./losses.js";
import type { Metric, MetricIdentifier } from "./metrics.js";
import { Mean, getMetric } from "./metrics.js";
import type { Optimizer, OptimizerIdentifier } from "./optimizers/index.js";
import { get as getOptimizer } from "./optimizers/index.js";
import type { ProgressSink } from "./progress.js";
import type { SummaryOptions } from "./summary.js";
import { printSummary } from "./summary.js";
import { Yielder } from "./yield.js";
import { zip } from "./zip.js";

/** Options of `model.compile`. */
export interface CompileArgs {
  /** An optimizer instance, or "adam" / "sgd" / "rmsprop" with Keras's defaults. */
  optimizer: OptimizerIdentifier;
  /** A loss instance, name ("sparse_categorical_crossentropy", "mse", …) or per-example function. */
  loss: LossIdentifier;
  /** Metrics reported by fit/evaluate: names ("accuracy", …), instances or functions. */
  metrics?: readonly MetricIdentifier[];
}

/** Options of `model.fit`. */
export interface FitArgs {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Examples per gradient step (default 32). */
  batchSize?: number;
  /** Held-out `[x, y]` evaluated after each epoch (reported as `val_*`). */
  validationData?: readonly [TensorLike, TensorLike];
  /** Fraction of the data (taken from the end, before shuffling) held out for validation. */
  validationSplit?: number;
  /** Reshuffle the training examples every epoch (default true). */
  shuffle?: boolean;
  /** 0: silent, 1: progress bar (default), 2: one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Callback instances or plain objects of hooks (`{ onEpochEnd(epoch, logs) {…} }`). */
  callbacks?: readonly CallbackLike[];
  /** Epoch to start counting from (for resumed training; default 0). */
  initialEpoch?: number;
  /** Where the progress bar goes (default: stdout in Node, console.log in browsers). */
  progressSink?: ProgressSink;
}

/** Options of `model.evaluate`. */
export interface EvaluateArgs {
  /** Default 32. */
  batchSize?: number;
  /** 0: silent, 1: progress bar (default). */
  verbose?: 0 | 1 | 2;
  callbacks?: readonly CallbackLike[];
  /** Return `{ loss, accuracy, … }` instead of a number or an array. */
  returnDict?: boolean;
  progressSink?: ProgressSink;
}

/** Options of `model.predict`. */
export interface PredictArgs {
  /** Default 32. */
  batchSize?: number;
}

/** Where `save` writes: a Node directory (`"dir"`, `"file://dir"`), or `localstorage://name`, `downloads://name`. */
export type SaveDestination = string;

/** Saving is provided by model-io.ts; injected to keep this file free of I/O. */
export const modelSaving: { save?: (model: Model, destination: unknown) => Promise<unknown> } = {};

interface Compiled {
  optimizer: Optimizer;
  loss: Loss;
  metrics: Metric[];
  lossTracker: Mean;
}

function checkInt(v: unknown, what: string, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) throw new ValueError(`${what} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  return v;
}

function checkVerbose(v: unknown): 0 | 1 | 2 {
  if (v !== 0 && v !== 1 && v !== 2) throw new ValueError(`verbose must be 0, 1 or 2, got ${JSON.stringify(v)}`);
  return v;
}

/** Rows `[start, start + size)` of `t`, or the rows `perm[start …]` when shuffling. */
function batchOf(t: Tensor, perm: Tensor | null, start: number, size: number): Tensor {
  if (!perm) return slice(t, [start, ...t.shape.slice(1).map(() => 0)], [size, ...t.shape.slice(1).map(() => -1)]);
  return tidy(() => gather(t, slice(perm, [start], [size]), 0));
}

/**
 * A trainable model. Use `Sequential`, or subclass `Model` and override `call` (assign layers to
 * fields in the constructor: they are tracked automatically).
 */
export class Model extends Layer {
  static override className = "Model";
  /** Set to true (e.g. by a callback) to end `fit` after the current epoch. */
  stopTraining = false;
  private compiled: Compiled | null = null;

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  /** The layers this model holds, in assignment order. */
  get layers(): Layer[] {
    return this.subLayers;
  }

  /** Every variable, layer by layer (Keras's `Model.weights` order), then the model's own. */
  override get variables(): Variable[] {
    const out: Variable[] = [];
    for (const l of this.layers) out.push(...l.variables);
    return [...new Set([...out, ...super.variables])];
  }

  /** The optimizer given to `compile` (null before). */
  get optimizer(): Optimizer | null {
    return this.compiled?.optimizer ?? null;
  }

  /** The loss given to `compile` (null before). */
  get loss(): Loss | null {
    return this.compiled?.loss ?? null;
  }

  /** The loss tracker and compiled metrics, as `fit` reports them. */
  get metrics(): Metric[] {
    return this.compiled ? [this.compiled.lossTracker, ...this.compiled.metrics] : [];
  }

  /** Names of the logs `fit`/`evaluate` report: `["loss", "accuracy", …]`. */
  get metricsNames(): string[] {
    return this.metrics.map((m) => m.name);
  }

  /** @internal Output shape of each layer for `summary` (from each layer's last call). */
  layerOutputShapes(): (Shape | null)[] {
    return this.layers.map((l) => l._lastOutputShape);
  }

  /** @internal On first `apply` a subclassed model's layers build themselves in `call`: no probe pass. */
  override _buildForApply(inputShape: Shape): void {
    if (this.build !== Model.prototype.build) this.build(inputShape);
  }

  /** Builds a subclassed model by calling it once on zeros of `inputShape` (unknown dims as 1). */
  override build(inputShape: Shape): void {
    if (this.built) return;
    this.built = true;
    tidy(() => {
      this.call(zeros(inputShape.map((d) => d ?? 1), this.dtype), { training: false });
    });
  }

  /** Chooses the optimizer, the loss and the metrics for `fit` and `evaluate`. */
  compile(args: CompileArgs): void {
    if (args === null || typeof args !== "object") throw new ValueError("compile expects { optimizer, loss, metrics? }");
    if (args.optimizer === undefined || args.optimizer === null) throw new ValueError("compile: `optimizer` is required (an Optimizer or \"adam\", \"sgd\", \"rmsprop\")");
    if (args.loss === undefined || args.loss === null) throw new ValueError("compile: `loss` is required (a Loss, a loss name or a function)");
    if (args.metrics !== undefined && !Array.isArray(args.metrics)) throw new ValueError(`compile: \`metrics\` must be an array, got ${JSON.stringify(args.metrics)}`);
    const optimizer = getOptimizer(args.optimizer);
    const loss = getLoss(args.loss);
    const metrics = (args.metrics ?? []).map(getMetric);
    const names = new Set<string>(["loss"]);
    for (const m of metrics) {
      if (names.has(m.name)) throw new ValueError(`compile: two metrics are named "${m.name}"; give them distinct names`);
      names.add(m.name);
    }
    this.compiled?.lossTracker.dispose();
    this.compiled = { optimizer, loss, metrics, lossTracker: new Mean("loss") };
  }

  private requireCompiled(method: string): Compiled {
    if (!this.compiled) throw new ValueError(`You must compile your model before ${method === "fit" ? "training/testing" : "using it"}. Use \`model.compile({ optimizer, loss })\`.`);
    return this.compiled;
  }

  /** Resets the loss tracker and every compiled metric. */
  resetMetrics(): void {
    for (const m of this.metrics) m.resetState();
  }

  /**
   * One gradient step on a batch: forward pass on a GradientTape, compiled loss, `applyGradients`,
   * metric updates. Override it for a custom training step (`fit` calls it for every batch).
   */
  trainStep(x: Tensor, y: Tensor): void {
    const c = this.requireCompiled("fit");
    tidy(() => {
      const tape = new GradientTape();
      let yPred: Tensor | null = null;
      const loss = tape.record(() => {
        yPred = this.apply(x, { training: true });
        return c.loss.call(y, yPred);
      });
      // Read after the forward pass: a model without an input shape builds its weights in it.
      const vars = this.trainableVariables;
      const grads = tape.gradient(loss, vars);
      c.optimizer.applyGradients(zip(grads, vars));
      c.lossTracker.updateState(loss, x.shape[0] ?? 1);
      for (const m of c.metrics) m.updateState(y, yPred!);
    });
  }

  /** Evaluates a batch (no gradients, `training: false`) into the loss tracker and the metrics. */
  testStep(x: Tensor, y: Tensor): void {
    const c = this.requireCompiled("evaluate");
    tidy(() => {
      const yPred = this.apply(x, { training: false });
      const loss = c.loss.call(y, yPred);
      c.lossTracker.updateState(loss, x.shape[0] ?? 1);
      for (const m of c.metrics) m.updateState(y, yPred);
    });
  }

  /** The current values of the loss tracker and the metrics (one read of each). */
  private async readLogs(prefix = ""): Promise<Logs> {
    const logs: Logs = {};
    for (const m of this.metrics) {
      const r = m.result();
      try {
        logs[prefix + m.name] = (await r.data())[0] as number;
      } finally {
        r.dispose();
      }
    }
    return logs;
  }

  /** x and y as tensors with the same number of examples (Keras's "data cardinality" check). */
  private dataOf(x: TensorLike, y: TensorLike, method: string): { xs: Tensor; ys: Tensor; owned: Tensor[] } {
    if (x === undefined || x === null || y === undefined || y === null) throw new ValueError(`${method} expects x and y`);
    const xs = x instanceof Tensor ? x : toTensor(x, method, this.dtype);
    const ys = y instanceof Tensor ? y : toTensor(y, method);
    const owned = [xs, ys].filter((t, i) => t !== [x, y][i]);
    const fail = (msg: string): never => {
      for (const t of owned) t.dispose();
      throw new ValueError(msg);
    };
    if (xs.rank === 0 || ys.rank === 0) fail(`${method}: x and y need a batch dimension; got shapes ${formatShapeTuple(xs.shape)} and ${formatShapeTuple(ys.shape)}`);
    if (xs.shape[0] !== ys.shape[0]) {
      fail(`Data cardinality is ambiguous:\n  x sizes: ${xs.shape[0]}\n  y sizes: ${ys.shape[0]}\nMake sure all arrays contain the same number of samples.`);
    }
    if (xs.shape[0] === 0) fail(`${method}: x and y are empty (0 examples)`);
    return { xs, ys, owned };
  }

  /**
   * Trains for `epochs` passes over `x`/`y` in batches of `batchSize` and returns the History of
   * per-epoch logs (`history.history.loss`, `…accuracy`, `…val_loss`). Yields to the event loop
   * between batches so a browser page stays responsive.
   */
  async fit(x: TensorLike, y: TensorLike, args: FitArgs = {}): Promise<History> {
    this.requireCompiled("fit");
    if (args === null || typeof args !== "object") throw new ValueError("fit's third argument must be an options object like { epochs: 10, batchSize: 32 }");
    const epochs = checkInt(args.epochs ?? 1, "fit: epochs", 0);
    const batchSize = checkInt(args.batchSize ?? 32, "fit: batchSize", 1);
    const verbose = checkVerbose(args.verbose ?? 1);
    const initialEpoch = checkInt(args.initialEpoch ?? 0, "fit: initialEpoch", 0);
    const shuffle = args.shuffle ?? true;
    const split = args.validationSplit ?? 0;
    if (typeof split !== "number" || !(split >= 0 && split < 1)) throw new ValueError(`fit: validationSplit must be in [0, 1), got ${JSON.stringify(split)}`);
    if (args.validationData !== undefined && (!Array.isArray(args.validationData) || args.validationData.length !== 2)) {
      throw new ValueError("fit: validationData must be [xVal, yVal]");
    }
    if (args.callbacks !== undefined && !Array.isArray(args.callbacks)) throw new ValueError("fit: callbacks must be an array");

    const data = this.dataOf(x, y, "fit");
    const owned = [...data.owned];
    try {
      let { xs, ys } = data;
      let val: { xs: Tensor; ys: Tensor } | null = null;
      if (args.validationData) {
        const v = this.dataOf(args.validationData[0], args.validationData[1], "fit (validationData)");
        owned.push(...v.owned);
        val = v;
      } else if (split > 0) {
        const n = xs.shape[0]!;
        const nTrain = Math.floor(n * (1 - split));
        if (nTrain === 0 || nTrain === n) throw new ValueError(`fit: validationSplit ${split} leaves no ${nTrain === 0 ? "training" : "validation"} examples out of ${n}`);
        const parts = [batchOf(xs, null, 0, nTrain), batchOf(ys, null, 0, nTrain), batchOf(xs, null, nTrain, n - nTrain), batchOf(ys, null, nTrain, n - nTrain)];
        owned.push(...parts);
        [xs, ys] = [parts[0]!, parts[1]!];
        val = { xs: parts[2]!, ys: parts[3]! };
      }
      const n = xs.shape[0]!;
      const steps = Math.ceil(n / batchSize);
      const history = new History();
      const callbacks = new CallbackList(
        [...(verbose > 0 ? [new ProgbarLogger(verbose as 1 | 2, args.progressSink)] : []), ...(args.callbacks ?? []), history],
        this,
        { epochs, steps, verbose, mode: "train" },
      );
      const perBatchLogs = verbose === 1 || callbacks.has("onTrainBatchEnd");
      const yielder = new Yielder();
      this.stopTraining = false;
      await callbacks.call("onTrainBegin", {});
      let logs: Logs = {};
      for (let epoch = initialEpoch; epoch < epochs; epoch++) {
        this.resetMetrics();
        await callbacks.call("onEpochBegin", epoch, {});
        const perm = shuffle ? permutation(n) : null;
        try {
          for (let step = 0; step < steps; step++) {
            await callbacks.call("onTrainBatchBegin", step, {});
            const start = step * batchSize;
            const size = Math.min(batchSize, n - start);
            const bx = batchOf(xs, perm, start, size);
            const by = batchOf(ys, perm, start, size);
            try {
              this.trainStep(bx, by);
            } finally {
              bx.dispose();
              by.dispose();
            }
            if (perBatchLogs) await callbacks.call("onTrainBatchEnd", step, await this.readLogs());
            await yielder.maybeYield();
          }
        } finally {
          perm?.dispose();
        }
        logs = await this.readLogs();
        if (val) {
          const valLogs = await this.runTest(val.xs, val.ys, batchSize, callbacks, yielder, "val_");
          logs = { ...logs, ...valLogs };
        }
        await callbacks.call("onEpochEnd", epoch, logs);
        if (this.stopTraining) break;
      }
      await callbacks.call("onTrainEnd", logs);
      return history;
    } finally {
      for (const t of owned) t.dispose();
    }
  }

  private async runTest(xs: Tensor, ys: Tensor, batchSize: number, callbacks: CallbackList, yielder: Yielder, prefix = ""): Promise<Logs> {
    this.resetMetrics();
    await callbacks.call("onTestBegin", {});
    const n = xs.shape[0]!;
    const steps = Math.ceil(n / batchSize);
    const perBatchLogs = callbacks.has("onTestBatchEnd");
    for (let step = 0; step < steps; step++) {
      await callbacks.call("onTestBatchBegin", step, {});
      const start = step * batchSize;
      const size = Math.min(batchSize, n - start);
      const bx = batchOf(xs, null, start, size);
      const by = batchOf(ys, null, start, size);
      try {
        this.testStep(bx, by);
      } finally {
        bx.dispose();
        by.dispose();
      }
      if (perBatchLogs) await callbacks.call("onTestBatchEnd", step, await this.readLogs());
      await yielder.maybeYield();
    }
    const logs = await this.readLogs();
    await callbacks.call("onTestEnd", logs);
    return prefix ? Object.fromEntries(Object.entries(logs).map(([k, v]) => [prefix + k, v])) : logs;
  }

  /**
   * The loss (and metrics) on `x`/`y`: a number when no metrics were compiled, else
   * `[loss, ...metrics]`; `{ returnDict: true }` gives `{ loss, accuracy, … }`.
   */
  async evaluate(x: TensorLike, y: TensorLike, args: EvaluateArgs & { returnDict: true }): Promise<Logs>;
  async evaluate(x: TensorLike, y: TensorLike, args?: EvaluateArgs): Promise<number | number[]>;
  async evaluate(x: TensorLike, y: TensorLike, args: EvaluateArgs = {}): Promise<number | number[] | Logs> {
    this.requireCompiled("evaluate");
    const batchSize = checkInt(args.batchSize ?? 32, "evaluate: batchSize", 1);
    const verbose = checkVerbose(args.verbose ?? 1);
    const { xs, ys, owned } = this.dataOf(x, y, "evaluate");
    try {
      const steps = Math.ceil(xs.shape[0]! / batchSize);
      const callbacks = new CallbackList(
        [...(verbose > 0 ? [new ProgbarLogger(verbose as 1 | 2, args.progressSink)] : []), ...(args.callbacks ?? [])],
        this,
        { steps, verbose, mode: "test" },
      );
      const logs = await this.runTest(xs, ys, batchSize, callbacks, new Yielder());
      if (args.returnDict) return logs;
      const values = this.metricsNames.map((k) => logs[k]!);
      return values.length === 1 ? values[0]! : values;
    } finally {
      for (const t of owned) t.dispose();
    }
  }

  /** The model's outputs for `x` (`training: false`), computed in batches of `batchSize`. */
  predict(x: TensorLike, args: PredictArgs = {}): Tensor {
    const batchSize = checkInt(args.batchSize ?? 32, "predict: batchSize", 1);
    const xs = x instanceof Tensor ? x : toTensor(x, "predict", this.dtype);
    try {
      const n = xs.shape[0];
      if (n === undefined) throw new ValueError(`predict: x needs a batch dimension, got shape ${formatShapeTuple(xs.shape)}`);
      if (n <= batchSize) return tidy(() => this.apply(xs, { training: false }));
      return tidy(() => {
        const outs: Tensor[] = [];
        for (let start = 0; start < n; start += batchSize) {
          outs.push(this.apply(batchOf(xs, null, start, Math.min(batchSize, n - start)), { training: false }));
        }
        return concat(outs, 0);
      });
    } finally {
      if (xs !== x) xs.dispose();
    }
  }

  /** The model's outputs for one batch (no batching). */
  predictOnBatch(x: TensorLike): Tensor {
    return tidy(() => this.apply(x, { training: false }));
  }

  /** One gradient step on one batch; resolves to the logs after it. */
  async trainOnBatch(x: TensorLike, y: TensorLike): Promise<Logs> {
    const { xs, ys, owned } = this.dataOf(x, y, "trainOnBatch");
    try {
      this.resetMetrics();
      this.trainStep(xs, ys);
      return await this.readLogs();
    } finally {
      for (const t of owned) t.dispose();
    }
  }

  /** Prints Keras's summary table (layers, output shapes, parameter counts). */
  summary(options: SummaryOptions = {}): void {
    printSummary(this, options);
  }

  /**
   * Saves architecture and weights in the TensorFlow.js layers format (`model.json` + binary weight
   * shards): a Node directory (`"path"` or `"file://path"`), `localstorage://name`, `downloads://name`,
   * or an IOHandler object with a `save(artifacts)` method.
   */
  async save(destination: SaveDestination | { save(artifacts: never): Promise<unknown> }): Promise<unknown> {
    if (!modelSaving.save) throw new NotImplementedError("Model saving is not available (keras/model-io.js was not loaded)");
    return modelSaving.save(this, destination);
  }

  /** The Keras config; only Sequential models can be described by one. */
  override getConfig(): Record<string, unknown> {
    throw new NotImplementedError(
      `Model "${this.name}" is a subclassed Model: its architecture is code, so it has no config and cannot be saved in the TensorFlow.js layers format. Save its weights with getWeights(), or build it as a Sequential.`,
    );
  }

  /** Frees the model's variables and its compiled metrics and optimizer state. */
  override dispose(): void {
    super.dispose();
    if (this.compiled) {
      for (const m of this.metrics) m.dispose();
      this.compiled.optimizer.dispose();
      this.compiled = null;
    }
  }
}
