/** The base of `tf.keras.callbacks` and the hook signatures `fit`/`evaluate` call. */
import type { Tensor } from "../tensor/tensor.js";

/** Metric values by name (`loss`, `accuracy`, `val_loss`, …). */
export type Logs = Record<string, number>;

/** What a callback sees of the model being trained. */
export interface CallbackModel {
  /** Set to true to end `fit` after the current epoch. */
  stopTraining: boolean;
  getWeights(): Tensor[];
  setWeights(weights: readonly Tensor[]): void;
  /** The compiled optimizer (ReduceLROnPlateau and LearningRateScheduler set its rate). */
  readonly optimizer?: { learningRate: number } | null;
}

/** The parameters of the run (`epochs`, `steps`, `verbose`). */
export interface CallbackParams {
  epochs?: number;
  steps?: number;
  verbose?: number;
  [key: string]: unknown;
}

export type MaybePromise = void | Promise<void>;

/** The hook methods a callback may implement. */
export interface CallbackHooks {
  onTrainBegin?(logs: Logs): MaybePromise;
  onTrainEnd?(logs: Logs): MaybePromise;
  onEpochBegin?(epoch: number, logs: Logs): MaybePromise;
  onEpochEnd?(epoch: number, logs: Logs): MaybePromise;
  onTrainBatchBegin?(batch: number, logs: Logs): MaybePromise;
  onTrainBatchEnd?(batch: number, logs: Logs): MaybePromise;
  onTestBegin?(logs: Logs): MaybePromise;
  onTestEnd?(logs: Logs): MaybePromise;
  onTestBatchBegin?(batch: number, logs: Logs): MaybePromise;
  onTestBatchEnd?(batch: number, logs: Logs): MaybePromise;
}

/** The base of callbacks: override the hooks you need. */
// Declaration merging: a Callback has every hook as an optional method.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Callback extends CallbackHooks {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class Callback {
  /** The model being trained (set by `fit`). */
  model: CallbackModel | null = null;
  params: CallbackParams = {};
  setModel(model: CallbackModel): void {
    this.model = model;
  }
  setParams(params: CallbackParams): void {
    this.params = params;
  }
}

/** Whether the monitored value `v` beats `ref` by more than `minDelta` (lower for "min", higher for "max"). */
export function improvesOn(mode: "min" | "max", minDelta: number, v: number, ref: number): boolean {
  return mode === "min" ? v < ref - minDelta : v > ref + minDelta;
}

/** The "best so far" a monitor starts from: +∞ when minimizing, −∞ when maximizing. */
export function worstFor(mode: "min" | "max"): number {
  return mode === "min" ? Infinity : -Infinity;
}
