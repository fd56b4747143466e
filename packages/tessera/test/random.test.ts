/** tf.random on a real backend: shuffle runs the Gather kernel, and seeded values match the host-made ones. */
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "../src/index.js";

beforeAll(async () => {
  await tf.setBackend("js");
});

describe("tf.random.shuffle", () => {
  it("permutes the first axis reproducibly, keeping rows intact", () => {
    const before = tf.memory().numTensors;
    const x = tf.tidy(() => tf.reshape(tf.range(0, 20), [10, 2]));
    tf.random.setSeed(5);
    const a = tf.random.shuffle(x, { seed: 1 });
    const rows = a.arraySync() as number[][];
    expect(a.shape).toEqual([10, 2]);
    for (const [even, odd] of rows) expect(odd).toBe(even! + 1);
    expect(rows.map((r) => r[0]! / 2).sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rows.map((r) => r[0])).not.toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    // The same permutation gathers the same rows (what the MNIST demo does with its data).
    tf.random.setSeed(5);
    const perm = tf.random.permutation(10, { seed: 1 });
    const b = tf.gather(x, perm);
    expect(b.arraySync()).toEqual(rows);
    tf.dispose([x, a, perm, b]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => tf.random.shuffle(3)).toThrow(/input must be at least 1-D.*\[Op:RandomShuffle\]/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("gives the same numbers as any other backend would: values are made on the host", () => {
    tf.random.setSeed(123);
    const t = tf.random.normal([4], { dtype: "float64" });
    const first = Array.from(t.dataSync() as Float64Array);
    t.dispose();
    tf.random.setSeed(123);
    const u = tf.random.normal([4], { dtype: "float64" });
    expect(Array.from(u.dataSync() as Float64Array)).toEqual(first);
    u.dispose();
  });
});
