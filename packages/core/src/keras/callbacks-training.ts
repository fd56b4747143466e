/**
 * The `tf.keras.callbacks` that steer or record training: ReduceLROnPlateau, LearningRateScheduler,
 * TerminateOnNaN, CSVLogger and ModelCheckpoint, with Keras's defaults and rules.
 */
import { ValueError } from "../errors.js";
import { checkOptions, optionKeys } from "../options.js";
import type { Logs } from "./callback.js";
import { Callback, improvesOn, worstFor } from "./callback.js";
import type { IOHandler } from "./model-io.js";
import { handlerFor, nodeModules } from "./model-io.js";

type Mode = "auto" | "min" | "max";

function pickMode(mode: unknown, monitor: string, owner: string): "min" | "max" {
  if (mode !== "auto" && mode !== "min" && mode !== "max") throw new ValueError(`${owner}: mode must be "auto", "min" or "max", got ${JSON.stringify(mode)}`);
  if (mode !== "auto") return mode;
  return monitor.includes("acc") || monitor.startsWith("fmeasure") || monitor.includes("auc") ? "max" : "min";
}

function optimizerOf(cb: Callback, owner: string): { learningRate: number } {
  const opt = cb.model?.optimizer;
  if (!opt) throw new ValueError(`${owner}: the model has no optimizer (compile it first)`);
  return opt;
}

/** Options of `ReduceLROnPlateau`. */
export interface ReduceLROnPlateauOptions {
  /** The log to watch (default "val_loss"). */
  monitor?: string;
  /** The rate is multiplied by this (< 1; default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  /** 1 prints a line when the rate changes (default 0). */
  verbose?: 0 | 1;
  mode?: Mode;
  /** Smallest change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** The rate never goes below this (default 0). */
  minLr?: number;
}
const PLATEAU_KEYS = optionKeys<ReduceLROnPlateauOptions>()("monitor", "factor", "patience", "verbose", "mode", "minDelta", "cooldown", "minLr");

/** Multiplies the optimizer's learning rate by `factor` when the monitored log stops improving. */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly mode: "min" | "max";
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  private wait = 0;
  private cooldownCounter = 0;
  private best = Infinity;

  constructor(options?: ReduceLROnPlateauOptions) {
    super();
    checkOptions("keras.callbacks.ReduceLROnPlateau", options, PLATEAU_KEYS);
    this.monitor = options?.monitor ?? "val_loss";
    this.factor = options?.factor ?? 0.1;
    if (typeof this.factor !== "number" || !(this.factor < 1)) throw new ValueError(`ReduceLROnPlateau does not support a factor >= 1.0. Received factor=${JSON.stringify(this.factor)}`);
    this.patience = options?.patience ?? 10;
    this.verbose = options?.verbose ?? 0;
    this.mode = pickMode(options?.mode ?? "auto", this.monitor, "ReduceLROnPlateau");
    this.minDelta = options?.minDelta ?? 1e-4;
    this.cooldown = options?.cooldown ?? 0;
    this.minLr = options?.minLr ?? 0;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.cooldownCounter = 0;
    this.best = worstFor(this.mode);
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const opt = optimizerOf(this, "ReduceLROnPlateau");
    logs["learning_rate"] = opt.learningRate;
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`Learning rate reduction is conditioned on metric \`${this.monitor}\` which is not available. Available metrics are: ${Object.keys(logs).join(",")}.`);
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (improvesOn(this.mode, this.minDelta, current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait++;
      if (this.wait >= this.patience) {
        const old = opt.learningRate;
        if (old > this.minLr) {
          const next = Math.max(old * this.factor, this.minLr);
          opt.learningRate = next;
          if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}

/** Options of `LearningRateScheduler`. */
export interface LearningRateSchedulerOptions {
  /** 1 prints the rate at each epoch (default 0). */
  verbose?: 0 | 1;
}
const SCHEDULER_KEYS = optionKeys<LearningRateSchedulerOptions>()("verbose");

/** Sets the learning rate at the start of each epoch to `schedule(epoch, currentRate)`. */
export class LearningRateScheduler extends Callback {
  readonly verbose: 0 | 1;
  constructor(
    readonly schedule: (epoch: number, lr: number) => number,
    options?: LearningRateSchedulerOptions,
  ) {
    super();
    checkOptions("keras.callbacks.LearningRateScheduler", options, SCHEDULER_KEYS);
    if (typeof schedule !== "function") throw new ValueError(`LearningRateScheduler expects a function (epoch, lr) => lr, got ${typeof schedule}`);
    this.verbose = options?.verbose ?? 0;
  }

  override onEpochBegin(epoch: number): void {
    const opt = optimizerOf(this, "LearningRateScheduler");
    const lr = this.schedule(epoch, opt.learningRate);
    if (typeof lr !== "number" || !Number.isFinite(lr)) {
      throw new ValueError(`The output of the "schedule" function should be a finite number. Got: ${JSON.stringify(lr) ?? String(lr)} at epoch ${epoch}`);
    }
    opt.learningRate = lr;
    if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    logs["learning_rate"] = optimizerOf(this, "LearningRateScheduler").learningRate;
  }
}

/** Stops training at the first batch whose loss is NaN or infinite. */
export class TerminateOnNaN extends Callback {
  /** The batch at which training was stopped (null when it was not). */
  stoppedAtBatch: number | null = null;
  override onTrainBegin(): void {
    this.stoppedAtBatch = null;
  }
  override onTrainBatchEnd(batch: number, logs: Logs): void {
    const loss = logs["loss"];
    if (loss !== undefined && !Number.isFinite(loss)) {
      console.warn(`Batch ${batch}: Invalid loss, terminating training`);
      this.stoppedAtBatch = batch;
      if (this.model) this.model.stopTraining = true;
    }
  }
}

/** Options of `CSVLogger`. */
export interface CSVLoggerOptions {
  /** Column separator (default ","). */
  separator?: string;
  /** Add to an existing file instead of overwriting it (default false). */
  append?: boolean;
}
const CSV_KEYS = optionKeys<CSVLoggerOptions>()("separator", "append");

/**
 * Writes one row per epoch (`epoch` then every log, header first) to a file (Node) or to a function
 * that receives each line, as Keras's CSVLogger.
 */
export class CSVLogger extends Callback {
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | null = null;

  constructor(
    readonly target: string | ((line: string) => void | Promise<void>),
    options?: CSVLoggerOptions,
  ) {
    super();
    checkOptions("keras.callbacks.CSVLogger", options, CSV_KEYS);
    if (typeof target !== "string" && typeof target !== "function") throw new ValueError(`CSVLogger expects a file name or a function that takes each line, got ${typeof target}`);
    this.separator = options?.separator ?? ",";
    this.append = options?.append ?? false;
  }

  private async write(line: string): Promise<void> {
    if (typeof this.target === "function") {
      await this.target(line);
      return;
    }
    const { fs } = await nodeModules("CSVLogger");
    const f = fs as unknown as { appendFile(p: string, d: string): Promise<void>; writeFile(p: string, d: string): Promise<void> };
    await f.appendFile(this.target, line + "\n");
  }

  override async onTrainBegin(): Promise<void> {
    this.keys = null;
    if (typeof this.target === "string" && !this.append) {
      const { fs } = await nodeModules("CSVLogger");
      await (fs as unknown as { writeFile(p: string, d: string): Promise<void> }).writeFile(this.target, "");
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const fmt = (v: number): string => (Number.isFinite(v) ? String(v) : Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");
    if (this.keys === null) {
      this.keys = Object.keys(logs).sort();
      if (!this.append) await this.write(["epoch", ...this.keys].join(this.separator));
    }
    const row = [String(epoch), ...this.keys.map((k) => (logs[k] === undefined ? "NA" : fmt(logs[k]!)))].join(this.separator);
    await this.write(row);
  }
}

/** Options of `ModelCheckpoint`. */
export interface ModelCheckpointOptions {
  /** The log that decides "best" (default "val_loss"). */
  monitor?: string;
  /** Only save when the monitored log improves (default false). */
  saveBestOnly?: boolean;
  mode?: Mode;
  /** Only save when the monitored value also beats this. */
  initialValueThreshold?: number;
  /** 1 prints a line per save (default 0). */
  verbose?: 0 | 1;
}
const CHECKPOINT_KEYS = optionKeys<ModelCheckpointOptions>()("monitor", "saveBestOnly", "mode", "initialValueThreshold", "verbose");

/** Fills Keras's `{epoch:02d}`, `{val_loss:.2f}` placeholders (epochs counted from 1). */
function formatPath(template: string, epoch: number, logs: Logs): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g, (whole, key: string, spec: string | undefined) => {
    const v = key === "epoch" ? epoch + 1 : logs[key];
    if (v === undefined) throw new ValueError(`ModelCheckpoint: the path ${JSON.stringify(template)} names {${key}}, which is not in the logs (${["epoch", ...Object.keys(logs)].join(", ")})`);
    if (!spec) return String(v);
    const m = /^(0?)(\d*)(?:\.(\d+))?([df])$/.exec(spec);
    if (!m) return whole;
    const text = m[4] === "d" ? String(Math.trunc(v)) : v.toFixed(Number(m[3] ?? 6));
    return m[1] === "0" && m[2] ? text.padStart(Number(m[2]), "0") : text;
  });
}

/**
 * Saves the model after each epoch (or only when the monitored log improves) to a path template
 * (`"ckpt/epoch-{epoch:02d}"`, any `model.save` destination) or an IOHandler. A failed save raises and
 * stops `fit`.
 */
export class ModelCheckpoint extends Callback {
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly mode: "min" | "max";
  readonly verbose: 0 | 1;
  private best: number;
  private readonly threshold: number | null;
  /** Where each save went, in order. */
  readonly saved: string[] = [];

  constructor(
    readonly filepath: string | IOHandler,
    options?: ModelCheckpointOptions,
  ) {
    super();
    checkOptions("keras.callbacks.ModelCheckpoint", options, CHECKPOINT_KEYS);
    if (typeof filepath === "string") {
      if (filepath === "") throw new ValueError("ModelCheckpoint needs a file path (or an IOHandler)");
    } else {
      handlerFor(filepath, "save");
    }
    this.monitor = options?.monitor ?? "val_loss";
    this.saveBestOnly = options?.saveBestOnly ?? false;
    this.mode = pickMode(options?.mode ?? "auto", this.monitor, "ModelCheckpoint");
    this.verbose = options?.verbose ?? 0;
    this.threshold = options?.initialValueThreshold ?? null;
    this.best = this.threshold ?? worstFor(this.mode);
  }

  override onTrainBegin(): void {
    this.best = this.threshold ?? worstFor(this.mode);
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) {
        console.warn(`Can save best model only with ${this.monitor} available, skipping.`);
        return;
      }
      if (!improvesOn(this.mode, 0, current, this.best)) return;
      if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: ${this.monitor} improved from ${this.best} to ${current}, saving model`);
      this.best = current;
    }
    const model = this.model as unknown as { save?: (destination: string | IOHandler) => Promise<unknown> } | null;
    if (!model || typeof model.save !== "function") throw new ValueError("ModelCheckpoint: the model cannot be saved (it has no save method)");
    const dest = typeof this.filepath === "string" ? formatPath(this.filepath, epoch, logs) : this.filepath;
    await model.save(dest);
    this.saved.push(typeof dest === "string" ? dest : "<IOHandler>");
  }
}
