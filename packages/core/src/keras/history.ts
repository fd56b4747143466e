/** `tf.keras.callbacks.History`: what `fit` returns. */
import type { Logs } from "./callback.js";
import { Callback } from "./callback.js";

/** Records the logs of every epoch: `history.history.loss[epoch]`. `fit` returns it. */
export class History extends Callback {
  /** Epoch indices seen. */
  epoch: number[] = [];
  /** Per-epoch values of each metric. */
  history: Record<string, number[]> = {};
  override onTrainBegin(): void {
    this.epoch = [];
    this.history = {};
  }
  override onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
