/** `tf.keras.callbacks`: hooks `fit`/`evaluate` call around epochs and batches (each may be async). */
import { ValueError } from "../errors.js";
import { checkOptions, optionKeys } from "../options.js";
import type { Tensor } from "../tensor/tensor.js";
import type { CallbackHooks, CallbackModel, CallbackParams, Logs, MaybePromise } from "./callback.js";
import { Callback, improvesOn, worstFor } from "./callback.js";
import type { ProgressSink } from "./progress.js";
import { Progbar, defaultSink } from "./progress.js";

export { Callback } from "./callback.js";
export type { CallbackHooks, CallbackModel, CallbackParams, Logs } from "./callback.js";
export { History } from "./history.js";

/** A callback from plain functions: `new LambdaCallback({ onEpochEnd: (epoch, logs) => … })`. */
export class LambdaCallback extends Callback {
  constructor(hooks: CallbackHooks) {
    super();
    for (const [k, fn] of Object.entries(hooks)) {
      if (typeof fn !== "function") throw new ValueError(`LambdaCallback: ${k} must be a function`);
      if (!HOOKS.includes(k as keyof CallbackHooks)) throw new ValueError(`LambdaCallback: unknown hook ${JSON.stringify(k)}; hooks are ${HOOKS.join(", ")}`);
      (this as Record<string, unknown>)[k] = fn;
    }
  }
}

const HOOKS: (keyof CallbackHooks)[] = [
  "onTrainBegin", "onTrainEnd", "onEpochBegin", "onEpochEnd", "onTrainBatchBegin", "onTrainBatchEnd",
  "onTestBegin", "onTestEnd", "onTestBatchBegin", "onTestBatchEnd",
];

/** A callback, or a plain object of hook functions. */
export type CallbackLike = Callback | CallbackHooks;

/** Calls every callback's hook in order, awaiting each. */
export class CallbackList {
  readonly callbacks: Callback[];
  constructor(callbacks: readonly CallbackLike[], model: CallbackModel, params: CallbackParams) {
    this.callbacks = callbacks.map((c) => (c instanceof Callback ? c : new LambdaCallback(c)));
    for (const c of this.callbacks) {
      c.setModel(model);
      c.setParams(params);
    }
  }
  /** Whether some callback implements `hook` (so `fit` knows whether per-batch logs are needed). */
  has(hook: keyof CallbackHooks): boolean {
    return this.callbacks.some((c) => typeof c[hook] === "function");
  }
  async call(hook: keyof CallbackHooks, ...args: [Logs] | [number, Logs]): Promise<void> {
    for (const c of this.callbacks) {
      const fn = c[hook] as ((...a: unknown[]) => MaybePromise) | undefined;
      if (typeof fn === "function") await fn.apply(c, args);
    }
  }
}

/** Prints Keras's progress bar (added by `fit`/`evaluate` when `verbose` > 0). */
export class ProgbarLogger extends Callback {
  private bar: Progbar | null = null;
  private seen = 0;
  constructor(
    private readonly verbose: 1 | 2,
    private readonly sink?: ProgressSink,
  ) {
    super();
  }
  private makeBar(): Progbar {
    return new Progbar(this.params.steps ?? 0, { verbose: this.verbose, ...(this.sink ? { sink: this.sink } : {}) });
  }
  override onEpochBegin(epoch: number): void {
    if ((this.params.epochs ?? 1) > 0) this.write(`Epoch ${epoch + 1}/${this.params.epochs}\n`);
    this.bar = this.makeBar();
    this.seen = 0;
  }
  override onTrainBatchEnd(batch: number, logs: Logs): void {
    this.seen = batch + 1;
    this.bar?.update(this.seen, Object.entries(logs), false);
  }
  override onEpochEnd(_epoch: number, logs: Logs): void {
    this.bar?.update(this.seen, Object.entries(logs), true);
  }
  override onTestBegin(): void {
    // A bar of its own only for evaluate(); validation inside fit is reported at the epoch's end.
    if (this.params["mode"] === "test") {
      this.bar = this.makeBar();
      this.seen = 0;
    }
  }
  override onTestBatchEnd(batch: number, logs: Logs): void {
    if (this.params["mode"] !== "test") return;
    this.seen = batch + 1;
    this.bar?.update(this.seen, Object.entries(logs), false);
  }
  override onTestEnd(logs: Logs): void {
    if (this.params["mode"] === "test") this.bar?.update(this.seen, Object.entries(logs), true);
  }
  private write(s: string): void {
    (this.sink ?? defaultSink()).write(s);
  }
}


/** Options of `EarlyStopping`. */
export interface EarlyStoppingOptions {
  /** The log to watch (default "val_loss"). */
  monitor?: string;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** "min", "max" or "auto" (max for names containing "acc", else min). */
  mode?: "auto" | "min" | "max";
  /** Restore the best epoch's weights when stopping (default false). */
  restoreBestWeights?: boolean;
  /** Stop when the monitored value does not beat this baseline. */
  baseline?: number | null;
}

const EARLY_STOPPING_KEYS = optionKeys<EarlyStoppingOptions>()("monitor", "minDelta", "patience", "mode", "restoreBestWeights", "baseline");

/** Stops training when a monitored log stops improving. */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: "min" | "max";
  readonly restoreBestWeights: boolean;
  readonly baseline: number | null;
  /** The epoch training stopped at (0 when it ran to the end). */
  stoppedEpoch = 0;
  private wait = 0;
  private best = Infinity;
  private bestWeights: Tensor[] | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    checkOptions("keras.callbacks.EarlyStopping", options, EARLY_STOPPING_KEYS);
    this.monitor = options.monitor ?? "val_loss";
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    const mode = options.mode ?? "auto";
    if (!["auto", "min", "max"].includes(mode)) throw new ValueError(`EarlyStopping: mode must be "auto", "min" or "max", got ${JSON.stringify(mode)}`);
    this.mode = mode === "auto" ? (this.monitor.includes("acc") ? "max" : "min") : mode;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.baseline = options.baseline ?? null;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = worstFor(this.mode);
    this.disposeBest();
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const v = logs[this.monitor];
    if (v === undefined) {
      console.warn(`Early stopping conditioned on metric \`${this.monitor}\` which is not available. Available metrics are: ${Object.keys(logs).join(",")}`);
      return;
    }
    this.wait++;
    if (improvesOn(this.mode, this.minDelta, v, this.best)) {
      this.best = v;
      if (this.restoreBestWeights && this.model) {
        this.disposeBest();
        this.bestWeights = this.model.getWeights();
      }
      if (this.baseline === null || improvesOn(this.mode, this.minDelta, v, this.baseline)) this.wait = 0;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      if (this.model) {
        this.model.stopTraining = true;
        if (this.restoreBestWeights && this.bestWeights) this.model.setWeights(this.bestWeights);
      }
    }
  }

  override onTrainEnd(): void {
    this.disposeBest();
  }

  private disposeBest(): void {
    for (const t of this.bestWeights ?? []) t.dispose();
    this.bestWeights = null;
  }
}
