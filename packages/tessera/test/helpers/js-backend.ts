/** Test-file setup shared by the API tests: run on the js backend and check no test leaks a tensor. */
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { afterEach, beforeAll, beforeEach, expect } from "vitest";

/**
 * Selects the js backend for the file and checks after each test that `tf.memory().numTensors` is
 * back where it started. `rebase(n)` moves the baseline for a test that legitimately changes it
 * (e.g. one where the garbage collector frees tensors left over from earlier tests).
 */
export function onJsFreeingEverything(message: string): { rebase(n: number): void } {
  let before = 0;
  beforeAll(async () => {
    await tf.setBackend("js");
  });
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors, message).toBe(before);
  });
  return { rebase: (n) => void (before = n) };
}
