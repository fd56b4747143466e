import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as tf from "../src/index.js";
import { PhiloxStream, philox4x32 } from "../src/random/philox.js";
import { useHostBackend } from "./helpers/host-backend.js";

beforeAll(async () => {
  await useHostBackend();
});

/** Reads a tensor's values as a plain number array. */
function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync() as Float32Array);
  t.dispose();
  return v;
}

/** A second, independent Philox4x32-10 on BigInt (the algorithm as the paper states it). */
function philoxReference(ctr: readonly number[], key: readonly number[]): number[] {
  const mask = 0xffffffffn;
  let [c0, c1, c2, c3] = ctr.map(BigInt) as [bigint, bigint, bigint, bigint];
  let [k0, k1] = key.map(BigInt) as [bigint, bigint];
  for (let r = 0; r < 10; r++) {
    const p0 = 0xd2511f53n * c0;
    const p1 = 0xcd9e8d57n * c2;
    [c0, c1, c2, c3] = [(p1 >> 32n) ^ c1 ^ k0, p1 & mask, (p0 >> 32n) ^ c3 ^ k1, p0 & mask];
    k0 = (k0 + 0x9e3779b9n) & mask;
    k1 = (k1 + 0xbb67ae85n) & mask;
  }
  return [c0, c1, c2, c3].map(Number);
}

describe("Philox4x32-10", () => {
  // Known-answer tests from Random123's kat_vectors (counter[4], key[2] → output[4]).
  const kat: [number[], number[], number[]][] = [
    [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
    [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
  ];
  it.each(kat)("matches the Random123 known answer for counter %j", (ctr, key, expected) => {
    expect(Array.from(philox4x32(ctr, key, new Uint32Array(4)))).toEqual(expected);
  });

  it("matches a BigInt implementation on many inputs", () => {
    const s = new PhiloxStream([123, 456], [7, 8]);
    for (let i = 0; i < 200; i++) {
      const ctr = [s.nextUint32(), s.nextUint32(), s.nextUint32(), s.nextUint32()];
      const key = [s.nextUint32(), s.nextUint32()];
      expect(Array.from(philox4x32(ctr, key, new Uint32Array(4)))).toEqual(philoxReference(ctr, key));
    }
  });

  it("streams count blocks in counter words 0-1 and keep the stream id in words 2-3", () => {
    const s = new PhiloxStream([5, 6], [7, 8], 0xfffffffe);
    const words = Array.from({ length: 12 }, () => s.nextUint32());
    expect(words.slice(0, 4)).toEqual(philoxReference([0xfffffffe, 0, 7, 8], [5, 6]));
    expect(words.slice(4, 8)).toEqual(philoxReference([0xffffffff, 0, 7, 8], [5, 6]));
    expect(words.slice(8, 12)).toEqual(philoxReference([0, 1, 7, 8], [5, 6]));
    expect(s.blocksUsed).toBe(0x100000001);
  });

  it("maps words to floats with 24 and 53 bits, and to integers without bias", () => {
    const s = new PhiloxStream([1, 2], [3, 4]);
    for (let i = 0; i < 1000; i++) {
      const f = s.nextFloat24();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      expect(Number.isInteger(f * 2 ** 24)).toBe(true);
      const d = s.nextFloat53();
      expect(d).toBeLessThan(1);
      expect(Number.isInteger(d * 2 ** 53)).toBe(true);
    }
    // 3 does not divide 2^32: a chi-square test over 30,000 draws (99.9% quantile for 2 dof ≈ 13.8).
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[s.nextBelow(3)]!++;
    const chi2 = counts.reduce((acc, c) => acc + (c - 10000) ** 2 / 10000, 0);
    expect(chi2).toBeLessThan(13.8);
    expect(s.nextBelow(1)).toBe(0);
    const big = s.nextBelow(2 ** 32);
    expect(big >= 0 && big < 2 ** 32).toBe(true);
  });
});

describe("seeds (TensorFlow 2 semantics)", () => {
  beforeEach(() => tf.random.setSeed(null));

  it("a global seed makes the sequence of calls reproducible, each call different", () => {
    tf.random.setSeed(1234);
    const a = values(tf.random.uniform([5]));
    const b = values(tf.random.uniform([5]));
    expect(a).not.toEqual(b);
    tf.random.setSeed(1234);
    expect(values(tf.random.uniform([5]))).toEqual(a);
    expect(values(tf.random.uniform([5]))).toEqual(b);
    tf.random.setSeed(1235);
    expect(values(tf.random.uniform([5]))).not.toEqual(a);
  });

  it("the same op seed gives successive values that restart after setSeed", () => {
    tf.random.setSeed(1);
    const a = values(tf.random.uniform([3], { seed: 7 }));
    const b = values(tf.random.uniform([3], { seed: 7 }));
    const c = values(tf.random.uniform([3], { seed: 8 }));
    expect(a).not.toEqual(b);
    expect(c).not.toEqual(a);
    tf.random.setSeed(1);
    expect(values(tf.random.uniform([3], { seed: 7 }))).toEqual(a);
    expect(values(tf.random.uniform([3], { seed: 7 }))).toEqual(b);
  });

  it("an op seed continues its stream: two calls of 4 are one call of 8", () => {
    tf.random.setSeed(99);
    const whole = values(tf.random.uniform([8], { seed: 3 }));
    tf.random.setSeed(99);
    const parts = [...values(tf.random.uniform([4], { seed: 3 })), ...values(tf.random.uniform([4], { seed: 3 }))];
    expect(parts).toEqual(whole);
  });

  it("an op seed alone is reproducible; the global seed changes it", () => {
    const a = values(tf.random.normal([4], { seed: 11 }));
    tf.random.setSeed(null);
    expect(values(tf.random.normal([4], { seed: 11 }))).toEqual(a);
    tf.random.setSeed(5);
    expect(values(tf.random.normal([4], { seed: 11 }))).not.toEqual(a);
  });

  it("op-seeded calls do not disturb the global sequence", () => {
    tf.random.setSeed(3);
    const a = values(tf.random.uniform([4]));
    const b = values(tf.random.uniform([4]));
    tf.random.setSeed(3);
    expect(values(tf.random.uniform([4]))).toEqual(a);
    values(tf.random.uniform([4], { seed: 1 }));
    expect(values(tf.random.uniform([4]))).toEqual(b);
  });

  it("with no seed at all every call differs", () => {
    expect(values(tf.random.uniform([6]))).not.toEqual(values(tf.random.uniform([6])));
  });

  it("negative and large seeds are valid; fractional ones are not", () => {
    tf.random.setSeed(-1);
    const a = values(tf.random.uniform([2]));
    tf.random.setSeed(2 ** 40);
    expect(values(tf.random.uniform([2]))).not.toEqual(a);
    expect(() => tf.random.setSeed(1.5)).toThrow(tf.errors.ValueError);
    expect(() => tf.random.uniform([2], { seed: 0.5 })).toThrow(/seed must be an integer.*\[Op:RandomUniform\]/);
  });
});

describe("tf.random.uniform", () => {
  beforeEach(() => tf.random.setSeed(2024));

  it("float32 in [0, 1) by default, with the shape and dtype asked for", () => {
    const t = tf.random.uniform([100, 100]);
    expect(t.shape).toEqual([100, 100]);
    expect(t.dtype).toBe("float32");
    const v = values(t);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThan(1);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.012); // 4 standard errors (0.2887/100)
  });

  it("honours minval/maxval and never returns maxval", () => {
    const v = values(tf.random.uniform([5000], { minval: -2, maxval: 3 }));
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...v)).toBeLessThan(3);
    // A range where float32 rounding would reach maxval.
    const w = values(tf.random.uniform([5000], { minval: 0.1, maxval: 0.1000001 }));
    for (const x of w) expect(x < 0.1000001 && x >= Math.fround(0.1)).toBe(true);
  });

  it("float64 uses 53 random bits", () => {
    const t = tf.random.uniform([1000], { dtype: "float64" });
    expect(t.dtype).toBe("float64");
    const v = values(t);
    expect(v.some((x) => Math.fround(x) !== x)).toBe(true);
    expect(Math.max(...v)).toBeLessThan(1);
  });

  it("int32 is uniform over [minval, maxval)", () => {
    const t = tf.random.uniform([7000], { minval: -3, maxval: 4, dtype: "int32" });
    expect(t.dtype).toBe("int32");
    const counts = new Map<number, number>();
    for (const x of values(t)) counts.set(x, (counts.get(x) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    const chi2 = [...counts.values()].reduce((acc, c) => acc + (c - 1000) ** 2 / 1000, 0);
    expect(chi2).toBeLessThan(22.5); // 99.9% quantile, 6 dof
    const full = values(tf.random.uniform([100], { minval: -(2 ** 31), maxval: 2 ** 31 - 1, dtype: "int32" }));
    expect(full.some((x) => x < 0) && full.some((x) => x > 0)).toBe(true);
  });

  it("scalars and empty shapes", () => {
    const s = tf.random.uniform([]);
    expect(s.shape).toEqual([]);
    expect(typeof s.numpy()).toBe("number");
    s.dispose();
    const e = tf.random.uniform([0, 3]);
    expect(e.size).toBe(0);
    e.dispose();
  });

  it("rejects bad arguments with errors naming the op", () => {
    expect(() => tf.random.uniform([2], { dtype: "int32" })).toThrow(new tf.errors.ValueError("Must specify maxval for integer dtype int32 [Op:RandomUniformInt]"));
    expect(() => tf.random.uniform([2], { minval: 5, maxval: 3, dtype: "int32" })).toThrow(new tf.errors.InvalidArgumentError("Need minval < maxval: 5 >= 3 [Op:RandomUniformInt]"));
    expect(() => tf.random.uniform([2], { minval: 1, maxval: 1 })).toThrow(/Need minval < maxval: 1 >= 1 \[Op:RandomUniform\]/);
    expect(() => tf.random.uniform([2], { minval: 0.5, maxval: 3, dtype: "int32" })).toThrow(/minval must be an int32 integer/);
    expect(() => tf.random.uniform([2], { maxval: NaN })).toThrow(tf.errors.InvalidArgumentError);
    expect(() => tf.random.uniform([2], { dtype: "bool" as "int32" })).toThrow(tf.errors.DtypeError);
    expect(() => tf.random.uniform([2, -1])).toThrow(/shape must contain non-negative integers.*\[Op:RandomUniform\]/);
    expect(() => tf.random.uniform([2], "float64" as never)).toThrow(/random\.uniform\(\) expected an options object, got string "float64"; write \{ dtype: "float64" \}/);
  });
});

describe("tf.random.normal and truncatedNormal", () => {
  beforeEach(() => tf.random.setSeed(7));

  function stats(v: number[]): { mean: number; std: number } {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    return { mean, std };
  }

  it("has the mean and stddev asked for", () => {
    const t = tf.random.normal([20000], { mean: 3, stddev: 2 });
    expect(t.dtype).toBe("float32");
    const { mean, std } = stats(values(t));
    expect(Math.abs(mean - 3)).toBeLessThan(0.06); // 4 standard errors
    expect(Math.abs(std - 2)).toBeLessThan(0.04);
  });

  it("float64 values are not rounded to float32; an odd count works", () => {
    const v = values(tf.random.normal([1001], { dtype: "float64" }));
    expect(v.length).toBe(1001);
    expect(v.some((x) => Math.fround(x) !== x)).toBe(true);
    expect(v.every(Number.isFinite)).toBe(true);
  });

  it("stddev 0 gives the mean", () => {
    expect(values(tf.random.normal([3], { mean: 1.5, stddev: 0 }))).toEqual([1.5, 1.5, 1.5]);
  });

  it("truncatedNormal stays within two standard deviations (std ≈ 0.8796σ)", () => {
    const v = values(tf.random.truncatedNormal([20000], { mean: -1, stddev: 0.5 }));
    for (const x of v) expect(Math.abs(x + 1)).toBeLessThanOrEqual(1 + 1e-6);
    const { mean, std } = stats(v);
    expect(Math.abs(mean + 1)).toBeLessThan(0.02);
    expect(Math.abs(std - 0.5 * 0.8796)).toBeLessThan(0.01);
  });

  it("rejects bad arguments with errors naming the op", () => {
    expect(() => tf.random.normal([2], { stddev: -1 })).toThrow(new tf.errors.InvalidArgumentError("stddev must be >= 0, got -1 [Op:RandomStandardNormal]"));
    expect(() => tf.random.truncatedNormal([2], { mean: Infinity })).toThrow(/mean must be a finite number.*\[Op:TruncatedNormal\]/);
    expect(() => tf.random.normal([2], { dtype: "int32" as "float32" })).toThrow(tf.errors.DtypeError);
  });
});

describe("tf.random.permutation", () => {
  it("is a seeded permutation of 0..n-1", () => {
    tf.random.setSeed(0);
    const t = tf.random.permutation(50, { seed: 1 });
    expect(t.dtype).toBe("int32");
    expect(t.shape).toEqual([50]);
    const p = values(t);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    tf.random.setSeed(0);
    expect(values(tf.random.permutation(50, { seed: 1 }))).toEqual(p);
    expect(values(tf.random.permutation(0)).length).toBe(0);
    expect(values(tf.random.permutation(1))).toEqual([0]);
    expect(() => tf.random.permutation(-1)).toThrow(/n must be a non-negative int32 integer, got -1 \[Op:RandomPermutation\]/);
  });

  it("every ordering of 3 is about equally likely", () => {
    tf.random.setSeed(42);
    const counts = new Map<string, number>();
    for (let i = 0; i < 1200; i++) {
      const key = values(tf.random.permutation(3)).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const chi2 = [...counts.values()].reduce((acc, c) => acc + (c - 200) ** 2 / 200, 0);
    expect(chi2).toBeLessThan(20.5); // 99.9% quantile, 5 dof
  });
});

describe("memory", () => {
  it("each call makes exactly one tensor, and tidy frees them", () => {
    const before = tf.memory().numTensors;
    const t = tf.random.normal([10]);
    expect(tf.memory().numTensors).toBe(before + 1);
    t.dispose();
    tf.tidy(() => {
      tf.random.uniform([10]);
      tf.random.truncatedNormal([10]);
      tf.random.permutation(10);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
