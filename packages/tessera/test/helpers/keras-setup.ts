/** Shared setup of the Keras saving tests: js backend, a temporary folder, fresh names and seeds per test. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { afterAll, beforeAll, beforeEach } from "vitest";

/**
 * Runs the file on backend-js with a temporary folder (removed at the end), Keras names reset and
 * `seed` set before each test. `fresh(suffix)` names a new path in the folder (`m0.keras`, `m1`, …).
 */
export function kerasSaveSetup(prefix: string, seed: number): { fresh(suffix?: string): string } {
  let root = "";
  let n = 0;
  beforeAll(async () => {
    await tf.setBackend("js");
    root = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeEach(() => {
    tf.keras.backend.clearSession();
    tf.random.setSeed(seed);
  });
  return { fresh: (suffix = "") => join(root, `m${n++}${suffix}`) };
}

/** A small CNN with every layer kind saving supports (8×8×1 images, 3 classes). */
export function smallCnn(): tf.keras.Sequential {
  const { Dense, Conv2D, MaxPooling2D, Flatten, Dropout } = tf.keras.layers;
  return new tf.keras.Sequential([
    new Conv2D(4, 3, { activation: "relu", inputShape: [8, 8, 1] }),
    new MaxPooling2D(2),
    new Flatten(),
    new Dropout(0.25),
    new Dense(8, { activation: "tanh" }),
    new Dense(3, { activation: "softmax" }),
  ]);
}
