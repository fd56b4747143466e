/** Tapes keep only what their gradients need, free it on dispose / after one gradient, and training loops do not grow. */
import "@tessera/backend-js";
import * as tf from "@tessera/core";
import type { Tensor } from "@tessera/core";
import { beforeAll, describe, expect, it } from "vitest";

beforeAll(async () => {
  await tf.setBackend("js");
});

const f32 = (v: number | number[]): Tensor => tf.constant(v, "float32");

describe("gradient memory", () => {
  it("a 10,000-step training loop ends with the numTensors and numBytes it had after the first step", () => {
    const n = 8;
    const xs = tf.reshape(tf.range(0, n, 1, "float32"), [n, 1]);
    const ys = xs.mul(2).sub(1);
    const w = new tf.Variable(tf.zeros([1, 1]));
    const b = new tf.Variable(tf.zeros([1]));
    const step = (): void => {
      tf.tidy(() => {
        const tape = new tf.GradientTape();
        const loss = tape.record(() => tf.reduceMean(tf.square(tf.sigmoid(xs.matmul(w).add(b)).sub(ys.div(20)))));
        const [gw, gb] = tape.gradient(loss, [w, b]);
        w.assignSub(gw!.mul(0.5));
        b.assignSub(gb!.mul(0.5));
      });
    };
    step();
    const after1 = tf.memory();
    for (let i = 1; i < 10_000; i++) step();
    const end = tf.memory();
    expect(end.numTensors).toBe(after1.numTensors);
    expect(end.numBytes).toBe(after1.numBytes);
    expect(end.numDataBuffers).toBe(after1.numDataBuffers);
  }, 120_000);

  it("a persistent tape keeps the tensors its gradients need until dispose()", () => {
    const x = f32([1, 2, 3, 4]);
    const before = tf.memory();
    const tape = new tf.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch(x);
      // exp saves its output; the intermediates are disposed by tidy, the tape keeps its own references.
      return tf.tidy(() => tf.reduceSum(tf.exp(x.mul(2))));
    });
    const held = tf.memory();
    expect(held.numTensors).toBe(before.numTensors + 1); // only y is user-visible
    expect(held.numBytes).toBeGreaterThan(before.numBytes + 4); // plus the buffers the tape holds
    const g1 = tape.gradient(y, x)!;
    const g2 = tape.gradient(y, x)!;
    expect(Array.from(g1.dataSync() as Float32Array)).toEqual(Array.from(g2.dataSync() as Float32Array));
    tf.dispose([g1, g2]);
    tape.dispose();
    y.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it("a non-persistent tape frees what it kept after its one gradient", () => {
    const x = f32([1, 2, 3]);
    const before = tf.memory();
    const tape = new tf.GradientTape();
    const y = tape.record(() => {
      tape.watch(x);
      return tf.tidy(() => tf.reduceSum(tf.tanh(x).mul(x)));
    });
    const g = tape.gradient(y, x)!;
    g.dispose();
    y.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it("keeps only what each gradient needs: Add keeps nothing, Mul keeps its inputs", () => {
    const x = f32(new Array<number>(1000).fill(1));
    const bigAdd = f32(new Array<number>(1000).fill(2));
    const bigMul = f32(new Array<number>(1000).fill(3));
    const tape = new tf.GradientTape({ persistent: true });
    const { a, m } = tape.record(() => {
      tape.watch(x);
      return { a: x.add(bigAdd), m: x.mul(bigMul) };
    });
    const base = tf.memory().numBytes;
    bigAdd.dispose();
    expect(tf.memory().numBytes).toBe(base - 4000); // freed: the tape did not keep it
    bigMul.dispose();
    expect(tf.memory().numBytes).toBe(base - 4000); // kept by the tape for the gradient of Mul
    const g = tape.gradient(m, x)!;
    expect(Array.from(g.dataSync() as Float32Array).every((v) => v === 3)).toBe(true);
    g.dispose();
    tape.dispose();
    expect(tf.memory().numBytes).toBe(base - 8000);
    tf.dispose([x, a, m]);
  });

  it("ops on tensors nobody watches are not recorded (nothing is kept)", () => {
    const x = f32([1, 2]);
    const c = f32([3, 4]);
    const tape = new tf.GradientTape();
    const base = tf.memory().numBytes;
    const y = tape.record(() => {
      tape.watch(x);
      const unrelated = tf.tidy(() => tf.exp(c).mul(c));
      return [unrelated, x.add(1)] as const;
    });
    tf.dispose(y as unknown as Tensor[]);
    expect(tf.memory().numBytes).toBe(base);
    tape.dispose();
  });

  it("higher-order gradients inside tidy leave nothing behind", () => {
    const x = f32([0.3, -0.7]);
    const before = tf.memory();
    const d2 = tf.tidy(() => tf.grad(tf.grad((t: Tensor) => tf.tanh(t.mul(t))))(x));
    d2.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });
});
