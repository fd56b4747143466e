/**
 * tf.random.gamma, poisson and categorical: reproducible for a seed, the shapes and dtypes TensorFlow
 * gives, and the right distributions (moments within a few standard errors, chi-square goodness of
 * fit), with bad arguments rejected.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "../src/index.js";
import { logFactorial } from "../src/random/poisson.js";
import { useHostBackend } from "./helpers/host-backend.js";

beforeAll(async () => {
  await useHostBackend();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync() as ArrayLike<number>);
  t.dispose();
  return v;
}

function moments(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

/** Pearson's chi-square statistic of observed counts against expected ones. */
function chiSquare(observed: readonly number[], expected: readonly number[]): number {
  return observed.reduce((acc, o, i) => acc + (o - expected[i]!) ** 2 / expected[i]!, 0);
}

/** Every `stride`-th value starting at `offset` (one parameter's samples of a [n, m] draw). */
const column = (xs: number[], offset: number, stride: number): number[] => xs.filter((_, i) => i % stride === offset);

describe("tf.random.gamma", () => {
  it("has shape `shape` + the parameters' broadcast shape, and is reproducible", () => {
    const t = tf.random.gamma([4, 2], [1, 2, 3], { beta: [[1], [2]], seed: 7 });
    expect(t.shape).toEqual([4, 2, 2, 3]);
    expect(t.dtype).toBe("float32");
    const v = values(t);
    tf.random.setSeed(5);
    const a = values(tf.random.gamma([10], 2.5, { seed: 3, dtype: "float64" }));
    tf.random.setSeed(5);
    expect(values(tf.random.gamma([10], 2.5, { seed: 3, dtype: "float64" }))).toEqual(a);
    expect(v.every((x) => x > 0)).toBe(true);
  });

  it("has mean alpha/beta and variance alpha/beta² for small and large alpha", () => {
    tf.random.setSeed(11);
    const n = 20000;
    const alphas = [0.3, 1, 4.5, 40];
    const beta = 2;
    const xs = values(tf.random.gamma([n], alphas, { beta, dtype: "float64" }));
    alphas.forEach((a, j) => {
      const { mean, variance } = moments(column(xs, j, alphas.length));
      const sd = Math.sqrt(a) / beta;
      expect(Math.abs(mean - a / beta)).toBeLessThan((5 * sd) / Math.sqrt(n));
      // The variance's standard error is about σ²·√((κ−1)/n) with excess kurtosis 6/α.
      expect(Math.abs(variance / (a / beta ** 2) - 1)).toBeLessThan(5 * Math.sqrt((2 + 6 / a) / n));
    });
  });

  it("matches Exponential(1)'s distribution for alpha = 1 (chi-square on quantile bins)", () => {
    tf.random.setSeed(3);
    const xs = values(tf.random.gamma([10000], 1, { dtype: "float64" }));
    const edges = [0.1, 0.25, 0.5, 1, 1.5, 2, 3, Infinity];
    const cdf = (x: number): number => 1 - Math.exp(-x);
    const counts = new Array<number>(edges.length).fill(0);
    for (const x of xs) counts[edges.findIndex((e) => x < e)]!++;
    const expected = edges.map((e, i) => (cdf(e) - (i ? cdf(edges[i - 1]!) : 0)) * xs.length);
    expect(chiSquare(counts, expected)).toBeLessThan(24.3); // 99.9% quantile, 7 dof
  });

  it("rejects bad parameters with errors naming the op", () => {
    expect(() => tf.random.gamma([2], 0)).toThrow(/alpha must be positive and finite, got 0 \[Op:RandomGamma\]/);
    expect(() => tf.random.gamma([2], 1, { beta: -1 })).toThrow(/beta must be positive/);
    expect(() => tf.random.gamma([2], [1, 2], { beta: [1, 2, 3] })).toThrow(tf.errors.InvalidArgumentError);
    expect(() => tf.random.gamma([2], 1, { dtype: "int32" as "float32" })).toThrow(tf.errors.DtypeError);
    expect(() => tf.random.gamma([2], 1, { alpha: 2 } as never)).toThrow(TypeError);
  });
});

describe("tf.random.poisson", () => {
  it("has shape `shape` + lam's shape, the dtype asked for, and is reproducible", () => {
    const t = tf.random.poisson([3], [[1, 20]], { dtype: "int32", seed: 1 });
    expect(t.shape).toEqual([3, 1, 2]);
    expect(t.dtype).toBe("int32");
    values(t);
    tf.random.setSeed(9);
    const a = values(tf.random.poisson([20], 3, { seed: 4 }));
    tf.random.setSeed(9);
    expect(values(tf.random.poisson([20], 3, { seed: 4 }))).toEqual(a);
    expect(a.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    expect(values(tf.random.poisson([5], 0))).toEqual([0, 0, 0, 0, 0]);
  });

  it("has mean and variance lam, on both sides of the method switch at 10", () => {
    tf.random.setSeed(21);
    const n = 20000;
    const lams = [0.5, 4, 9.9, 10, 30, 1000];
    const xs = values(tf.random.poisson([n], lams, { dtype: "float64" }));
    lams.forEach((lam, j) => {
      const { mean, variance } = moments(column(xs, j, lams.length));
      expect(Math.abs(mean - lam)).toBeLessThan(5 * Math.sqrt(lam / n));
      expect(Math.abs(variance / lam - 1)).toBeLessThan(5 * Math.sqrt((2 + 1 / lam) / n));
    });
  });

  it("matches the Poisson probabilities (chi-square) for lam 3 and lam 25", () => {
    tf.random.setSeed(8);
    for (const lam of [3, 25]) {
      const xs = values(tf.random.poisson([20000], lam, { dtype: "int32" }));
      const lo = Math.max(0, Math.floor(lam - 2 * Math.sqrt(lam))), hi = Math.ceil(lam + 2 * Math.sqrt(lam));
      const pmf = (k: number): number => Math.exp(-lam + k * Math.log(lam) - logFactorial(k));
      const cdfBelow = (k: number): number => { let s = 0; for (let i = 0; i < k; i++) s += pmf(i); return s; };
      // Bins: below lo, each k in [lo, hi], above hi.
      const counts = new Array<number>(hi - lo + 3).fill(0);
      for (const x of xs) counts[x < lo ? 0 : x > hi ? hi - lo + 2 : x - lo + 1]!++;
      const p = [cdfBelow(lo), ...Array.from({ length: hi - lo + 1 }, (_, i) => pmf(lo + i))];
      p.push(1 - p.reduce((a, b) => a + b, 0));
      // A bin below lo = 0 is empty and expected empty: leave it out.
      if (lo === 0) {
        expect(counts[0]).toBe(0);
        counts.shift();
        p.shift();
      }
      const dof = counts.length - 1;
      // Wilson–Hilferty approximation of the 99.9% chi-square quantile.
      const q = dof * (1 - 2 / (9 * dof) + 3.09 * Math.sqrt(2 / (9 * dof))) ** 3;
      expect(chiSquare(counts, p.map((pi) => pi * xs.length))).toBeLessThan(q);
    }
  });

  it("log-factorials agree across the table / Stirling switch", () => {
    let exact = 0;
    for (let k = 1; k <= 60; k++) {
      exact += Math.log(k);
      expect(Math.abs(logFactorial(k) - exact)).toBeLessThan(1e-10 * Math.max(1, exact));
    }
  });

  it("rejects bad rates with errors naming the op", () => {
    expect(() => tf.random.poisson([2], -1)).toThrow(/lam must be in \[0, 1e9\], got -1 \[Op:RandomPoisson\]/);
    expect(() => tf.random.poisson([2], NaN)).toThrow(tf.errors.InvalidArgumentError);
    expect(() => tf.random.poisson([2], 1, { dtype: "bool" as "int32" })).toThrow(tf.errors.DtypeError);
  });
});

describe("tf.random.categorical", () => {
  it("draws [batch, numSamples] int32 class indices, reproducibly", () => {
    const t = tf.random.categorical([[0, 0, 0], [1, 2, 3]], 5, { seed: 2 });
    expect(t.shape).toEqual([2, 5]);
    expect(t.dtype).toBe("int32");
    const v = values(t);
    expect(v.every((k) => k >= 0 && k < 3)).toBe(true);
    tf.random.setSeed(1);
    const a = values(tf.random.categorical([[0.5, -1]], 30, { seed: 2 }));
    tf.random.setSeed(1);
    expect(values(tf.random.categorical([[0.5, -1]], 30, { seed: 2 }))).toEqual(a);
    expect(values(tf.random.categorical([[1, 2]], 0))).toEqual([]);
  });

  it("follows softmax(logits) per row (chi-square), never drawing a -Infinity class", () => {
    tf.random.setSeed(17);
    const probs = [[0.1, 0.2, 0.3, 0.4, 0], [0.7, 0, 0.05, 0.05, 0.2]];
    const logits = probs.map((row) => row.map((p) => (p === 0 ? -Infinity : Math.log(p) + 3)));
    const n = 10000;
    const draws = values(tf.random.categorical(logits, n));
    probs.forEach((row, r) => {
      const counts = new Array<number>(row.length).fill(0);
      for (const k of draws.slice(r * n, (r + 1) * n)) counts[k]!++;
      row.forEach((p, k) => { if (p === 0) expect(counts[k]).toBe(0); });
      const kept = row.map((p, k) => [p, counts[k]!] as const).filter(([p]) => p > 0);
      expect(chiSquare(kept.map(([, c]) => c), kept.map(([p]) => p * n))).toBeLessThan(16.3); // 99.9%, 3 dof
    });
  });

  it("rejects bad arguments with errors naming the op", () => {
    expect(() => tf.random.categorical([1, 2], 3)).toThrow(/logits should be a matrix \[batchSize, numClasses\], got shape \(2,\) \[Op:Multinomial\]/);
    expect(() => tf.random.categorical([[1, 2]], -1)).toThrow(tf.errors.InvalidArgumentError);
    expect(() => tf.random.categorical([[1, 2]], 1.5)).toThrow(tf.errors.InvalidArgumentError);
    expect(() => tf.random.categorical([[-Infinity, -Infinity]], 2)).toThrow(/all -Infinity/);
    expect(() => tf.random.categorical([[NaN, 1]], 2)).toThrow(tf.errors.InvalidArgumentError);
    expect(() => tf.random.categorical([[1, 2]], 2, { dtype: "float32" as "int32" })).toThrow(tf.errors.DtypeError);
  });

  it("each call makes one tensor and leaves nothing behind", () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.random.categorical([[1, 2]], 4);
      tf.random.gamma([3], tf.constant([1, 2]));
      tf.random.poisson([3], 2);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("stateless random ops", () => {
  it("give the same values for a seed whatever the global state, and other values for other seeds", () => {
    tf.random.setSeed(1);
    const u = values(tf.random.statelessUniform([6], [3, 4]));
    tf.random.setSeed(99);
    tf.random.uniform([5]);
    expect(values(tf.random.statelessUniform([6], [3, 4]))).toEqual(u);
    expect(values(tf.random.statelessUniform([6], tf.constant([3, 4], "int32")))).toEqual(u);
    expect(values(tf.random.statelessUniform([6], [4, 3]))).not.toEqual(u);
    expect(values(tf.random.statelessNormal([4], [1, 2]))).toEqual(values(tf.random.statelessNormal([4], [1, 2])));
    expect(values(tf.random.statelessCategorical([[0, 1, 2]], 8, [5, 6]))).toEqual(values(tf.random.statelessCategorical([[0, 1, 2]], 8, [5, 6])));
  });

  it("leave the stateful sequence where it was", () => {
    tf.random.setSeed(7);
    const a = values(tf.random.uniform([3]));
    tf.random.setSeed(7);
    values(tf.random.statelessUniform([3], [7, 0]));
    values(tf.random.statelessNormal([3], [7, 0]));
    expect(values(tf.random.uniform([3]))).toEqual(a);
  });

  it("have the distributions of their stateful counterparts", () => {
    const u = values(tf.random.statelessUniform([20000], [1, 1], { minval: -2, maxval: 6, dtype: "float64" }));
    expect(u.every((x) => x >= -2 && x < 6)).toBe(true);
    expect(Math.abs(moments(u).mean - 2)).toBeLessThan(5 * Math.sqrt(64 / 12 / u.length));
    const ints = values(tf.random.statelessUniform([6000], [2, 2], { minval: 0, maxval: 3, dtype: "int32" }));
    expect(chiSquare([0, 1, 2].map((k) => ints.filter((x) => x === k).length), [2000, 2000, 2000])).toBeLessThan(13.9); // 99.9%, 2 dof
    const z = moments(values(tf.random.statelessNormal([20000], [3, 3], { mean: 1, stddev: 2, dtype: "float64" })));
    expect(Math.abs(z.mean - 1)).toBeLessThan(5 * 2 / Math.sqrt(20000));
    expect(Math.abs(z.variance / 4 - 1)).toBeLessThan(5 * Math.sqrt(2 / 20000));
    const t = values(tf.random.statelessTruncatedNormal([5000], [4, 4], { dtype: "float64" }));
    expect(t.every((x) => Math.abs(x) <= 2)).toBe(true);
    const c = values(tf.random.statelessCategorical([[Math.log(0.25), Math.log(0.75)]], 8000, [9, 9]));
    expect(chiSquare([c.filter((k) => k === 0).length, c.filter((k) => k === 1).length], [2000, 6000])).toBeLessThan(10.9); // 99.9%, 1 dof
  });

  it("reject bad seeds and arguments with errors naming the op", () => {
    expect(() => tf.random.statelessUniform([2], [1] as never)).toThrow(/seed must be two integers \[seed1, seed2\].*\[Op:StatelessRandomUniform\]/);
    expect(() => tf.random.statelessUniform([2], [1, 0.5])).toThrow(tf.errors.ValueError);
    expect(() => tf.random.statelessNormal([2], [1, null] as never)).toThrow(tf.errors.ValueError);
    expect(() => tf.random.statelessNormal([2], tf.constant([1, 2], "float32"))).toThrow(/int32 tensor of shape \[2\]/);
    expect(() => tf.random.statelessUniform([2], [1, 2], { dtype: "int32" })).toThrow(/maxval/);
    expect(() => tf.random.statelessCategorical([[1, 2]], 2, [1, 2], { seed: 3 } as never)).toThrow(TypeError);
  });
});
