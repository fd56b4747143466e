/** Setup shared by the Keras layer tests: js backend, fresh names and seeds, owned objects freed, no leaks. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";

/** How `kerasLayerSetup` prepares the file. */
export interface KerasLayerSetupOptions {
  /** Names the file's subject in the leak message ("a recurrent test leaked tensors"). */
  readonly what: string;
  /** The seed set before each test (none when absent). */
  readonly seed?: number;
  /** Runs once after the js backend is selected (e.g. TensorFlow.js's `setBackend("cpu")`). */
  readonly also?: () => Promise<unknown>;
  /** A prefix for a temporary folder made for the file and removed after it. */
  readonly tempPrefix?: string;
}

type Disposable = { dispose(): void };
/** What `own` returns: the object itself, or one tensor standing for a list of them. */
export type Owned<T> = T extends tf.Tensor[] ? tf.Tensor : T;

/** What `kerasLayerSetup` gives a test file. */
export interface KerasLayerSetup {
  /** Frees `x` after the current test (before the leak check) and returns it. */
  own<T extends Disposable | tf.Tensor[]>(x: T): Owned<T>;
  /** Frees all of `xs` after the current test. */
  ownAll(...xs: Disposable[]): void;
  /** A new path in the temporary folder (`c0`, `c1`, …); needs `tempPrefix`. */
  freshDir(): string;
}

/**
 * Runs the file on backend-js: Keras names reset and `seed` set before each test, the objects given
 * to `own` freed after it, and `tf.memory().numTensors` checked to be back where it started.
 */
export function kerasLayerSetup(options: KerasLayerSetupOptions): KerasLayerSetup {
  let before = 0;
  let root = "";
  let dirs = 0;
  const made: Disposable[] = [];
  beforeAll(async () => {
    await tf.setBackend("js");
    await options.also?.();
    if (options.tempPrefix !== undefined) root = mkdtempSync(join(tmpdir(), options.tempPrefix));
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    tf.keras.backend.clearSession();
    if (options.seed !== undefined) tf.random.setSeed(options.seed);
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    for (const x of made.splice(0)) x.dispose();
    expect(tf.memory().numTensors, `${options.what} leaked tensors`).toBe(before);
  });
  return {
    own: <T extends Disposable | tf.Tensor[]>(x: T): Owned<T> => (made.push(x as Disposable), x as Owned<T>),
    ownAll: (...xs) => void made.push(...xs),
    freshDir: () => {
      if (!root) throw new Error("freshDir needs kerasLayerSetup({ tempPrefix })");
      return join(root, `c${dirs++}`);
    },
  };
}

/** A tensor's values as a plain array. */
export const vals = (t: { dataSync(): unknown }): number[] => Array.from(t.dataSync() as Float32Array);

/** A float32 tensor of `shape` from `v`. */
export const f32 = (v: number[], shape: number[]): tf.Tensor => tf.constant(v, { shape, dtype: "float32" });
