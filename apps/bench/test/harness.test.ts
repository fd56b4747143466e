import { describe, expect, it } from "vitest";
import { compareOutputs, measure, quantile, summarize } from "../src/harness.js";
import { isMet } from "../src/targets.js";
import type { Runner } from "../src/types.js";

describe("statistics", () => {
  it("interpolates quantiles and summarises medians and quartiles", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(summarize([5, 1, 3])).toEqual({ median: 3, p25: 2, p75: 4, samples: 3 });
  });

  it("compares outputs relative to the reference's largest magnitude", () => {
    expect(compareOutputs([1, 2, 100], [1, 2, 100.05], 1e-3).ok).toBe(true);
    expect(compareOutputs([1, 2, 99], [1, 2, 100], 1e-3)).toMatchObject({ ok: false, maxRelDiff: 0.01 });
    expect(compareOutputs([1, 2], [1, 2, 3], 1e-3).ok).toBe(false);
    expect(compareOutputs([NaN], [1], 1e-3).ok).toBe(false);
  });

  it("judges targets by ratio or by µs per op", () => {
    expect(isMet({ minRatio: 2 }, 2.1, null)).toBe(true);
    expect(isMet({ minRatio: 2 }, 1.9, null)).toBe(false);
    expect(isMet({ minRatio: 2 }, null, null)).toBe(null);
    expect(isMet({ maxUsPerOp: 1 }, 5, 1.2)).toBe(false);
    expect(isMet(undefined, 5, 1)).toBe(null);
  });
});

describe("measure", () => {
  it("interleaves the two runners, flipping the order every round", async () => {
    const calls: string[] = [];
    const runner = (name: string): Runner => ({ run: () => (calls.push(name), [1]), dispose: () => {} });
    const t = await measure(runner("A"), runner("B"), { warmup: 1, min: 3, max: 3, budgetMs: 0 });
    expect(calls).toEqual(["A", "B", "A", "B", "B", "A", "A", "B"]);
    expect(t.tessera).toMatchObject({ status: "ok", stats: { samples: 3 } });
    expect(t.tesseraOutput).toEqual([1]);
  });

  it("records a side that throws as an error and keeps timing the other", async () => {
    let n = 0;
    const bad: Runner = { run: () => { if (++n > 1) throw new Error("kernel missing"); return [0]; }, dispose: () => {} };
    const good: Runner = { run: async () => [0], dispose: () => {} };
    const t = await measure(bad, good, { warmup: 1, min: 2, max: 2, budgetMs: 0 });
    expect(t.tessera).toEqual({ status: "error", reason: "Error: kernel missing" });
    expect(t.tfjs).toMatchObject({ status: "ok", stats: { samples: 2 } });
  });
});
