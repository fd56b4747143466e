/** API.md's memory rules on the js backend: tidy/keep/dispose, exact tf.memory(), and collection by the garbage collector. */
import "@tessera/backend-js";
import * as tf from "@tessera/core";
import { describe, expect, it } from "vitest";
import { onJsFreeingEverything } from "./helpers/js-backend.js";
import { collect, settle } from "./helpers/gc.js";

const baseline = onJsFreeingEverything("every test frees what it makes");

const count = () => tf.memory().numTensors;

describe("tidy, keep, dispose", () => {
  it("tidy frees what fn made except what it returns (also inside arrays and objects)", () => {
    const start = count();
    const out = tf.tidy(() => {
      const a = tf.ones([2]);
      a.add(1);
      a.mul(2);
      return { x: a.mul(3), list: [a.sub(1), 5, "text"], nothing: null };
    });
    expect(count()).toBe(start + 2);
    expect(out.x.numpy()).toEqual([3, 3]);
    expect((out.list[0] as tf.Tensor).numpy()).toEqual([0, 0]);
    tf.dispose(out);
    expect(count()).toBe(start);
  });

  it("keep survives the scope; nested tidies hand results outwards", () => {
    const start = count();
    let kept: tf.Tensor | undefined;
    const r = tf.tidy("outer", () => {
      const inner = tf.tidy(() => {
        kept = tf.keep(tf.ones([1]));
        tf.zeros([3]);
        return tf.fill([2], 4);
      });
      expect(inner.isDisposed).toBe(false);
      return inner.add(1);
    });
    expect(count()).toBe(start + 2);
    expect(r.numpy()).toEqual([5, 5]);
    expect(kept!.isDisposed).toBe(false);
    tf.dispose([r, kept!]);
  });

  it("a throwing fn still frees its tensors; a Promise is refused", () => {
    const start = count();
    expect(() => tf.tidy(() => {
      tf.ones([4]);
      throw new Error("boom");
    })).toThrow("boom");
    expect(count()).toBe(start);
    expect(() => tf.tidy(() => Promise.resolve() as never)).toThrow(/Cannot return a Promise inside of tidy/);
    expect(() => tf.tidy(42 as never)).toThrow(tf.errors.ValueError);
    expect(count()).toBe(start);
  });

  it("Variables are never disposed by tidy", () => {
    const v = tf.tidy(() => new tf.Variable([1, 2]));
    expect(v.isDisposed).toBe(false);
    v.dispose();
  });

  it("dispose takes tensors, arrays and objects of them, and is idempotent", () => {
    const start = count();
    const a = tf.ones([1]);
    const b = tf.ones([1]);
    const c = tf.ones([1]);
    tf.dispose({ a, list: [b, [c]] });
    expect([a.isDisposed, b.isDisposed, c.isDisposed]).toEqual([true, true, true]);
    a.dispose();
    tf.dispose(a);
    expect(count()).toBe(start);
  });
});

describe("tf.memory()", () => {
  it("counts tensors, buffers and bytes exactly, per dtype", () => {
    const m0 = tf.memory();
    expect(m0.backend).toBe("js");
    const cases: [() => tf.Tensor, number][] = [
      [() => tf.zeros([3, 4]), 48],
      [() => tf.zeros([3], "int32"), 12],
      [() => tf.zeros([3], "float64"), 24],
      [() => tf.zeros([3], "bool"), 3],
      [() => tf.zeros([3], "complex64"), 24],
      [() => tf.constant(["abc", "de"]), 10],
      [() => tf.zeros([0, 5]), 0],
    ];
    for (const [make, bytes] of cases) {
      const t = make();
      const m = tf.memory();
      expect(m.numTensors).toBe(m0.numTensors + 1);
      expect(m.numDataBuffers).toBe(m0.numDataBuffers + 1);
      expect(m.numBytes, t.dtype).toBe(m0.numBytes + bytes);
      t.dispose();
      expect(tf.memory().numBytes).toBe(m0.numBytes);
    }
  });

  it("string tensors count their UTF-16 bytes, whether uploaded or made by a kernel", () => {
    const m0 = tf.memory().numBytes;
    const s = tf.constant(["abc", "de"]);
    expect(tf.memory().numBytes - m0).toBe(10);
    const f = tf.fill([2], "xyz");
    expect(tf.memory().numBytes - m0).toBe(22);
    const w = tf.tidy(() => tf.where([true, false], s, "q"));
    expect(tf.memory().numBytes - m0).toBe(22 + 8);
    tf.dispose([s, f, w]);
    expect(tf.memory().numBytes).toBe(m0);
  });

  it("views share a buffer: counted as tensors, not as bytes, until the last one goes", () => {
    const m0 = tf.memory();
    const a = tf.ones([2, 3]);
    const r = a.reshape([6]);
    const e = a.expandDims(0);
    const c = a.clone();
    expect(tf.memory().numTensors).toBe(m0.numTensors + 4);
    expect(tf.memory().numDataBuffers).toBe(m0.numDataBuffers + 1);
    expect(tf.memory().numBytes).toBe(m0.numBytes + 24);
    a.dispose();
    expect(r.numpy()).toEqual([1, 1, 1, 1, 1, 1]);
    expect(tf.memory().numBytes).toBe(m0.numBytes + 24);
    tf.dispose([r, e, c]);
    expect(tf.memory()).toMatchObject({ numTensors: m0.numTensors, numDataBuffers: m0.numDataBuffers, numBytes: m0.numBytes });
  });

  it("a long loop in tidy does not grow", () => {
    const x = tf.ones([8, 8]);
    const step = () => tf.tidy(() => x.matmul(x).relu().reduceSum());
    step().dispose();
    const m1 = tf.memory();
    for (let i = 0; i < 1000; i++) step().dispose();
    expect(tf.memory()).toMatchObject({ numTensors: m1.numTensors, numBytes: m1.numBytes });
    x.dispose();
  });
});

describe("garbage collection", () => {
  it("tensors that become unreachable are freed and uncounted", async () => {
    // Settle garbage left by earlier tests first.
    await settle(count);
    const m0 = tf.memory();
    (() => {
      for (let i = 0; i < 100; i++) tf.ones([10]).add(1);
    })();
    expect(tf.memory().numTensors).toBe(m0.numTensors + 200);
    await collect(() => tf.memory().numTensors <= m0.numTensors);
    expect(tf.memory()).toMatchObject({ numTensors: m0.numTensors, numDataBuffers: m0.numDataBuffers, numBytes: m0.numBytes });
    baseline.rebase(m0.numTensors);
  });

  it("a collected view does not free the buffer its siblings use", async () => {
    const a = tf.ones([4]);
    const m0 = tf.memory();
    (() => {
      for (let i = 0; i < 20; i++) a.reshape([2, 2]);
    })();
    await collect(() => tf.memory().numTensors <= m0.numTensors);
    expect(tf.memory().numTensors).toBe(m0.numTensors);
    expect(a.numpy()).toEqual([1, 1, 1, 1]);
    a.dispose();
  });
});
