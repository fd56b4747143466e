/** ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN, CSVLogger and ModelCheckpoint, driven by hand and through fit. */
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

const C = tf.keras.callbacks;

beforeAll(async () => {
  await tf.setBackend("js");
});
beforeEach(() => {
  tf.keras.backend.clearSession();
  tf.random.setSeed(1);
});

function compiled(lr = 0.05): tf.keras.Sequential {
  const m = new tf.keras.Sequential([new tf.keras.layers.Dense(1, { inputShape: [2] })]);
  m.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: lr }), loss: "mse" });
  return m;
}

const x = tf.constant([[1, 2], [3, 4], [5, 6], [7, 8]], "float32");
const y = tf.constant([[1], [2], [3], [4]], "float32");

describe("ReduceLROnPlateau", () => {
  it("reduces after `patience` epochs without improvement, honours cooldown and minLr", () => {
    const opt = new tf.keras.optimizers.SGD({ learningRate: 0.1 });
    const cb = new C.ReduceLROnPlateau({ monitor: "loss", patience: 2, factor: 0.5, cooldown: 1, minLr: 0.03 });
    cb.setModel({ stopTraining: false, getWeights: () => [], setWeights: () => {}, optimizer: opt });
    cb.onTrainBegin();
    const losses = [1, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6];
    const rates = losses.map((l, e) => {
      const logs: Record<string, number> = { loss: l };
      cb.onEpochEnd(e, logs);
      expect(logs["learning_rate"]).toBeDefined();
      return opt.learningRate;
    });
    // Improvements at epochs 0–1; two bad epochs (2, 3) → 0.05; epoch 4 ends the cooldown and counts (Keras
    // checks the cooldown again after decrementing it), epoch 5 is the second bad one → 0.03 (minLr).
    expect(rates.map((r) => +r.toFixed(6))).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.03, 0.03, 0.03, 0.03, 0.03]);
    expect(() => new C.ReduceLROnPlateau({ factor: 1 })).toThrow(/does not support a factor >= 1.0/);
    expect(() => new C.ReduceLROnPlateau({ min_lr: 0.1 } as never)).toThrow(/keras.callbacks.ReduceLROnPlateau\(\) got an unexpected option 'min_lr' — did you mean 'minLr'\?/);
  });
});

describe("LearningRateScheduler", () => {
  it("sets the rate each epoch and reports it; a bad schedule stops fit with a clear error", async () => {
    const m = compiled(0.01);
    const h = await m.fit(x, y, { epochs: 3, verbose: 0, callbacks: [new C.LearningRateScheduler((epoch, lr) => (epoch === 0 ? lr : lr / 2))] });
    expect(h.history["learning_rate"]!.map((v) => +v.toFixed(6))).toEqual([0.01, 0.005, 0.0025]);
    expect(m.optimizer!.learningRate).toBeCloseTo(0.0025, 8);
    await expect(m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new C.LearningRateScheduler(() => "fast" as never)] })).rejects.toThrow(/The output of the "schedule" function should be a finite number. Got: "fast"/);
    const withSchedule = new tf.keras.Sequential([new tf.keras.layers.Dense(1, { inputShape: [2] })]);
    withSchedule.compile({ optimizer: new tf.keras.optimizers.SGD({ learningRate: new tf.keras.optimizers.schedules.ExponentialDecay(0.1, 1, 0.5) }), loss: "mse" });
    await expect(withSchedule.fit(x, y, { verbose: 0, callbacks: [new C.LearningRateScheduler((_e, lr) => lr)] })).rejects.toThrow(TypeError);
  });
});

describe("TerminateOnNaN", () => {
  it("stops at the first batch with a NaN loss and leaves memory flat", async () => {
    const m = compiled();
    const bad = tf.constant([[1, 2], [3, 4], [Number.NaN, 1], [7, 8], [1, 1], [2, 2]], "float32");
    const yb = tf.constant([[1], [2], [3], [4], [5], [6]], "float32");
    const cb = new C.TerminateOnNaN();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await m.fit(bad, yb, { epochs: 1, batchSize: 2, shuffle: false, verbose: 0 }); // warm-up state
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const h = await m.fit(bad, yb, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0, callbacks: [cb, { onTrainBatchEnd: (b) => void seen.push(b) }] });
    warn.mockRestore();
    expect(cb.stoppedAtBatch).toBe(0); // the previous fit already made the weights NaN
    expect(seen).toEqual([0]);
    expect(h.epoch).toEqual([0]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("CSVLogger", () => {
  it("writes a header and one row per epoch, to a function or a file", async () => {
    const lines: string[] = [];
    const m = compiled();
    await m.fit(x, y, { epochs: 2, verbose: 0, validationData: [x, y], callbacks: [new C.CSVLogger((l) => void lines.push(l), { separator: ";" })] });
    expect(lines[0]).toBe("epoch;loss;val_loss");
    expect(lines).toHaveLength(3);
    expect(lines[2]!.split(";")[0]).toBe("1");
    const file = join(mkdtempSync(join(tmpdir(), "csv-")), "log.csv");
    await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [new C.CSVLogger(file)] });
    const text = readFileSync(file, "utf8").trim().split("\n");
    expect(text[0]).toBe("epoch,loss");
    expect(text).toHaveLength(3);
    await m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new C.CSVLogger(file, { append: true })] });
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(4);
  });
});

describe("ModelCheckpoint", () => {
  it("saves every epoch to a path template, or only the best to an IOHandler; unwritable paths fail fit", { timeout: 20000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "ckpt-"));
    const m = compiled();
    const cb = new C.ModelCheckpoint(join(dir, "epoch-{epoch:02d}-{loss:.3f}"), { monitor: "loss" });
    await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [cb] });
    expect(cb.saved).toHaveLength(2);
    expect(cb.saved[0]).toMatch(/epoch-01-\d+\.\d{3}$/);
    expect(existsSync(join(cb.saved[1]!, "model.json"))).toBe(true);
    const restored = await tf.keras.models.loadModel(cb.saved[1]!);
    expect(Array.from(restored.getWeights()[0]!.dataSync() as Float32Array)).toEqual(Array.from(m.getWeights()[0]!.dataSync() as Float32Array));
    const saves: unknown[] = [];
    const best = new C.ModelCheckpoint({ save: async (a) => void saves.push(a) }, { monitor: "val_loss", saveBestOnly: true });
    // val_loss improves, then gets worse (a very large rate), so only the improving epochs save.
    const losses: number[] = [];
    await m.fit(x, y, { epochs: 3, verbose: 0, validationData: [x, y], callbacks: [best, { onEpochEnd: (_e, l) => void losses.push(l["val_loss"]!) }] });
    const improving = losses.filter((v, i) => v < Math.min(Infinity, ...losses.slice(0, i))).length;
    expect(saves).toHaveLength(improving);
    const blocker = join(dir, "a-file");
    writeFileSync(blocker, "not a directory");
    await expect(m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new C.ModelCheckpoint(join(blocker, "ckpt"))] })).rejects.toThrow();
    expect(() => new C.ModelCheckpoint(dir, { save_best_only: true } as never)).toThrow(/did you mean 'saveBestOnly'/);
    await expect(m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new C.ModelCheckpoint(join(dir, "{acc}"))] })).rejects.toThrow(/names \{acc\}, which is not in the logs/);
  });
});
