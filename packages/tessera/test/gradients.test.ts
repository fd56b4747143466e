/** GradientTape and the functional forms, on backend-js: TensorFlow 2's guide examples and the API contract. */
import "@tessera/backend-js";
import * as tf from "@tessera/core";
import type { Tensor } from "@tessera/core";
import { beforeAll, describe, expect, it, vi } from "vitest";

beforeAll(async () => {
  await tf.setBackend("js");
});

const vals = (t: Tensor | null): number[] => Array.from(t!.dataSync() as Float32Array);
const f32 = (v: number | number[] | number[][]): Tensor => tf.constant(v, "float32");
const f64 = (v: number | number[] | number[][]): Tensor => tf.constant(v, "float64");

/** A new tape that watches `x` while it records `f`, and what `f` returned. */
function recordWatched<T>(x: Tensor, f: () => T): { tape: tf.GradientTape; y: T } {
  const tape = new tf.GradientTape();
  const y = tape.record(() => {
    tape.watch(x);
    return f();
  });
  return { tape, y };
}

function close(got: number[], want: number[], tol = 1e-5): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `element ${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i]!))));
}

describe("TensorFlow 2 guide examples", () => {
  it("x = 3.0; y = x**2 → dy/dx = 6", () => {
    const x = f32(3);
    const { tape, y } = recordWatched(x, () => x.square());
    const g = tape.gradient(y, x)!;
    expect(g.dtype).toBe("float32");
    expect(g.shape).toEqual([]);
    expect(g.numpy()).toBe(6);
    expect(g.toString()).toBe("tf.Tensor(6.0, shape=(), dtype=float32)");
  });

  it("w = Variable(random (3,2)), b = zeros(2), loss = mean((x @ w + b)**2) → dl/dw, dl/db", () => {
    const w = new tf.Variable(tf.random.normal([3, 2], { seed: 1 }), { name: "w" });
    const b = new tf.Variable(tf.zeros([2]), { name: "b" });
    const x = f32([[1, 2, 3]]);
    const tape = new tf.GradientTape({ persistent: true });
    const loss = tape.record(() => {
      const y = x.matmul(w).add(b);
      return tf.reduceMean(y.square());
    });
    const grads = tape.gradient(loss, { w, b });
    // y = x @ w; dl/dy = 2y/2 = y; dl/dw = xᵀ y; dl/db = y.
    const y = vals(tf.matmul(x, w));
    expect(grads.w!.shape).toEqual([3, 2]);
    close(vals(grads.w), [1, 2, 3].flatMap((xi) => y.map((yj) => xi * yj)));
    close(vals(grads.b), y);
    // The list form gives the same.
    const [gw, gb] = tape.gradient(loss, [w, b]);
    close(vals(gw!), vals(grads.w));
    close(vals(gb!), vals(grads.b));
    tape.dispose();
  });

  it("x = ones((2,2)); y = reduce_sum(x); z = y*y → dz/dx is a 2×2 of 8s", () => {
    const x = tf.ones([2, 2]);
    const tape = new tf.GradientTape();
    const z = tape.record(() => {
      tape.watch(x);
      const y = tf.reduceSum(x);
      return y.mul(y);
    });
    const g = tape.gradient(z, x)!;
    expect(g.shape).toEqual([2, 2]);
    expect(g.numpy()).toEqual([[8, 8], [8, 8]]);
  });

  it("persistent tape: x = 3; y = x*x; z = y*y → dz/dx = 108, dy/dx = 6", () => {
    const x = f32(3);
    const tape = new tf.GradientTape({ persistent: true });
    const { y, z } = tape.record(() => {
      tape.watch(x);
      const y = x.mul(x);
      return { y, z: y.mul(y) };
    });
    expect(tape.gradient(z, x)!.numpy()).toBe(108);
    expect(tape.gradient(y, x)!.numpy()).toBe(6);
    expect(tape.gradient(z, x)!.numpy()).toBe(108);
    tape.dispose();
    expect(() => tape.gradient(z, x)).toThrow(/disposed/);
  });

  it("x³ with nested tapes → dy/dx = 3 and d²y/dx² = 6 at x = 1", () => {
    const x = new tf.Variable(f32(1));
    const t1 = new tf.GradientTape();
    const t2 = new tf.GradientTape();
    let dydx: Tensor | null = null;
    t1.record(() => {
      t2.record(() => {
        const y = x.mul(x).mul(x);
        dydx = t2.gradient(y, x);
      });
    });
    const d2ydx2 = t1.gradient(dydx!, x);
    expect(dydx!.numpy()).toBe(3);
    expect(d2ydx2!.numpy()).toBe(6);
  });

  it("linear regression y = 2x − 1 by hand-written SGD converges", () => {
    const n = 64;
    const xs = tf.reshape(tf.range(0, n, 1, "float32").div(n / 2).sub(1), [n, 1]);
    const ys = xs.mul(2).sub(1).add(tf.random.normal([n, 1], { stddev: 0.01, seed: 3 }));
    const w = new tf.Variable(tf.zeros([1, 1]), { name: "w" });
    const b = new tf.Variable(tf.zeros([1]), { name: "b" });
    const lr = 0.2;
    let last = Infinity;
    for (let step = 0; step < 300; step++) {
      tf.tidy(() => {
        const tape = new tf.GradientTape();
        const loss = tape.record(() => tf.reduceMean(tf.square(xs.matmul(w).add(b).sub(ys))));
        const [gw, gb] = tape.gradient(loss, [w, b]);
        w.assignSub(gw!.mul(lr));
        b.assignSub(gb!.mul(lr));
        last = loss.numpy() as number;
      });
    }
    expect(last).toBeLessThan(1e-3);
    expect(Math.abs((w.numpy() as number[][])[0]![0]! - 2)).toBeLessThan(0.02);
    expect(Math.abs((b.numpy() as number[])[0]! + 1)).toBeLessThan(0.02);
  });
});

describe("GradientTape", () => {
  it("sources: one tensor, an array, or an object; the result has the same structure", () => {
    const a = f32([1, 2]);
    const b = f32([3, 4]);
    const tape = new tf.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch([a, b]);
      return a.mul(b);
    });
    expect(vals(tape.gradient(y, a))).toEqual([3, 4]);
    const list = tape.gradient(y, [a, b]);
    expect(Array.isArray(list)).toBe(true);
    expect(list.map(vals)).toEqual([[3, 4], [1, 2]]);
    const obj = tape.gradient(y, { first: a, second: b });
    expect(Object.keys(obj)).toEqual(["first", "second"]);
    expect(vals(obj.second)).toEqual([1, 2]);
    tape.dispose();
  });

  it("unconnected sources give null, or zeros with unconnectedGradients: 'zero'", () => {
    const x = f32([1, 2]);
    const other = f64([[5, 6, 7]]);
    const tape = new tf.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch([x, other]);
      return x.square();
    });
    expect(tape.gradient(y, other)).toBeNull();
    const z = tape.gradient(y, [x, other], { unconnectedGradients: "zero" });
    expect(vals(z[0]!)).toEqual([2, 4]);
    expect(z[1]!.shape).toEqual([1, 3]);
    expect(z[1]!.dtype).toBe("float64");
    expect(vals(z[1]!)).toEqual([0, 0, 0]);
    expect(() => tape.gradient(y, x, { unconnectedGradients: "zeros" as "zero" })).toThrow(/"none" or "zero"/);
    tape.dispose();
  });

  it("the gradient of a non-scalar target is that of its sum; outputGradients weights it", () => {
    const x = f32([1, 2, 3]);
    const tape = new tf.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch(x);
      return x.square();
    });
    expect(vals(tape.gradient(y, x))).toEqual([2, 4, 6]);
    expect(vals(tape.gradient(y, x, { outputGradients: f32([1, 0, -1]) }))).toEqual([2, 0, -6]);
    expect(vals(tape.gradient(y, x, { outputGradients: [0.5, 0.5, 0.5] }))).toEqual([1, 2, 3]);
    expect(() => tape.gradient(y, x, { outputGradients: f32([1, 2]) })).toThrow(/outputGradients has shape \[2\].*target has shape \[3\]/);
    tape.dispose();
  });

  it("several targets: the gradient of their sum", () => {
    const x = f32(2);
    const tape = new tf.GradientTape();
    const [a, b] = tape.record(() => {
      tape.watch(x);
      return [x.square(), x.mul(3)];
    });
    expect(tape.gradient([a!, b!], x)!.numpy()).toBe(7);
  });

  it("trainable Variables are watched automatically; others are not", () => {
    const v = new tf.Variable(f32(2));
    const frozen = new tf.Variable(f32(5), { trainable: false });
    const t = f32(4);
    const tape = new tf.GradientTape({ persistent: true });
    const y = tape.record(() => v.mul(frozen).mul(t));
    expect(tape.gradient(y, v)!.numpy()).toBe(20);
    expect(tape.gradient(y, frozen)).toBeNull();
    expect(tape.gradient(y, t)).toBeNull();
    expect(tape.watchedVariables()).toEqual([v]);
    tape.dispose();
  });

  it("watchAccessedVariables: false watches only what watch() names", () => {
    const v = new tf.Variable(f32(2));
    const u = new tf.Variable(f32(3));
    const tape = new tf.GradientTape({ watchAccessedVariables: false, persistent: true });
    const y = tape.record(() => {
      tape.watch(u);
      return v.mul(u);
    });
    expect(tape.gradient(y, v)).toBeNull();
    expect(tape.gradient(y, u)!.numpy()).toBe(2);
    expect(tape.watchedVariables()).toEqual([u]);
    tape.dispose();
  });

  it("readValue() inside record is a recorded read of the Variable", () => {
    const v = new tf.Variable(f32([1, 2]));
    const tape = new tf.GradientTape();
    const y = tape.record(() => v.readValue().mul(3));
    expect(vals(tape.gradient(y, v))).toEqual([3, 3]);
  });

  it("a Variable assigned after the forward pass: the gradient uses the value the forward pass saw", () => {
    const v = new tf.Variable(f32([1, 2]));
    const tape = new tf.GradientTape();
    const y = tape.record(() => v.square());
    v.assign(f32([10, 20]));
    expect(vals(tape.gradient(y, v))).toEqual([2, 4]);
  });

  it("a Variable assigned between reads inside record: both reads flow to it", () => {
    const v = new tf.Variable(f32(3));
    const tape = new tf.GradientTape();
    const y = tape.record(() => {
      const first = v.mul(2);
      v.assign(f32(5));
      return first.add(v.square());
    });
    // d/dv [2·v₀ + v₁²] with each read a separate value of v: 2 + 2·5.
    expect(tape.gradient(y, v)!.numpy()).toBe(12);
  });

  it("several record calls on one tape", () => {
    const x = f32(2);
    const { tape, y } = recordWatched(x, () => x.square());
    const z = f32(10).mul(3);
    const w = tape.record(() => y.mul(x).add(z));
    expect(tape.gradient(w, x)!.numpy()).toBe(12);
  });

  it("a non-persistent tape answers one gradient call, then throws a clear error", () => {
    const x = f32(2);
    const { tape, y } = recordWatched(x, () => x.square());
    expect(tape.gradient(y, x)!.numpy()).toBe(4);
    expect(() => tape.gradient(y, x)).toThrow(/non-persistent GradientTape can only be used to compute one set of gradients/);
    expect(() => tape.record(() => x.add(1))).toThrow(/persistent: true/);
  });

  it("stopGradient blocks the gradient on every tape", () => {
    const x = f32(3);
    const { tape, y } = recordWatched(x, () => x.mul(tf.stopGradient(x)));
    expect(tape.gradient(y, x)!.numpy()).toBe(3);
  });

  it("stopRecording pauses the tape", () => {
    const x = f32(3);
    const tape = new tf.GradientTape();
    const y = tape.record(() => {
      tape.watch(x);
      const c = tape.stopRecording(() => x.square());
      return x.mul(c);
    });
    expect(tape.gradient(y, x)!.numpy()).toBe(9);
  });

  it("an integer source gives null, with a one-time warning naming the dtype", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const i = tf.constant([1, 2]);
      const x = f32([1, 2]);
      const tape = new tf.GradientTape({ persistent: true });
      const y = tape.record(() => {
        tape.watch(x);
        return x.mul(tf.cast(i, "float32"));
      });
      expect(tape.gradient(y, i)).toBeNull();
      expect(tape.gradient(y, [i, x], { unconnectedGradients: "zero" })[0]).toBeNull();
      tape.dispose();
      const int32Warnings = warn.mock.calls.filter((c) => String(c[0]).includes("int32"));
      expect(int32Warnings.length).toBe(1);
      expect(String(int32Warnings[0]![0])).toMatch(/must be floating.*got int32/);
    } finally {
      warn.mockRestore();
    }
  });

  it("float64 gradients stay float64", () => {
    const x = f64([0.1, 0.2]);
    const { tape, y } = recordWatched(x, () => tf.exp(x).mul(x));
    const g = tape.gradient(y, x)!;
    expect(g.dtype).toBe("float64");
    const want = [0.1, 0.2].map((v) => Math.exp(v) * (1 + v));
    close(Array.from(g.dataSync() as Float64Array), want, 1e-15);
  });

  it("complex gradients follow TensorFlow's convention: d|z|²/dz = 2z", () => {
    const z = tf.constant([{ re: 1, im: 2 }, { re: -3, im: 0.5 }]);
    const tape = new tf.GradientTape();
    const loss = tape.record(() => {
      tape.watch(z);
      return tf.reduceSum(tf.real(tf.multiply(z, tf.conj(z))));
    });
    const g = tape.gradient(loss, z)!;
    expect(g.dtype).toBe("complex64");
    expect(g.numpy()).toEqual([{ re: 2, im: 4 }, { re: -6, im: 1 }]);
  });

  it("broadcasting gradients are summed back to each input's shape", () => {
    const a = f32([[1, 2, 3], [4, 5, 6]]);
    const b = f32([10, 20, 30]);
    const c = f32([[2], [3]]);
    const tape = new tf.GradientTape();
    const y = tape.record(() => {
      tape.watch([a, b, c]);
      return a.mul(b).add(c);
    });
    const [ga, gb, gc] = tape.gradient(y, [a, b, c]);
    expect(ga!.numpy()).toEqual([[10, 20, 30], [10, 20, 30]]);
    expect(gb!.numpy()).toEqual([5, 7, 9]);
    expect(gc!.numpy()).toEqual([[3], [3]]);
  });

  it("reduceMax shares the gradient among ties; maximum gives ties to the first input", () => {
    const x = f32([1, 3, 3]);
    const y = f32([3, 1, 3]);
    const tape = new tf.GradientTape({ persistent: true });
    const { m, e } = tape.record(() => {
      tape.watch([x, y]);
      return { m: tf.reduceMax(x), e: tf.maximum(x, y) };
    });
    expect(vals(tape.gradient(m, x))).toEqual([0, 0.5, 0.5]);
    const [gx, gy] = tape.gradient(e, [x, y]);
    expect(vals(gx!)).toEqual([0, 1, 1]);
    expect(vals(gy!)).toEqual([1, 0, 0]);
    tape.dispose();
  });

  it("gather with repeated indices accumulates into the gathered rows", () => {
    const x = f32([[1, 2], [3, 4], [5, 6]]);
    const { tape, y } = recordWatched(x, () => tf.gather(x, [2, 0, 2]));
    expect(tape.gradient(y, x)!.numpy()).toEqual([[1, 1], [0, 0], [2, 2]]);
  });

  it("cast between floats passes the gradient; through int32 there is none", () => {
    const x = f32([1.5, 2.5]);
    const tape = new tf.GradientTape({ persistent: true });
    const { a, b } = tape.record(() => {
      tape.watch(x);
      return { a: tf.cast(x, "float64").mul(2), b: tf.cast(tf.cast(x, "int32"), "float32").mul(2) };
    });
    const ga = tape.gradient(a, x)!;
    expect(ga.dtype).toBe("float32");
    expect(vals(ga)).toEqual([2, 2]);
    expect(tape.gradient(b, x)).toBeNull();
    tape.dispose();
  });

  it("jacobian of an elementwise op is diagonal; of matmul, the weights", () => {
    const x = f32([1, 2, 3]);
    const w = f32([[1, 2], [3, 4], [5, 6]]);
    const tape = new tf.GradientTape({ persistent: true });
    const { sq, lin } = tape.record(() => {
      tape.watch([x, w]);
      return { sq: x.square(), lin: tf.matmul(x.reshape([1, 3]), w) };
    });
    expect(tape.jacobian(sq, x)!.numpy()).toEqual([[2, 0, 0], [0, 4, 0], [0, 0, 6]]);
    const j = tape.jacobian(lin, { x, w });
    expect(j.x!.shape).toEqual([1, 2, 3]);
    expect(j.x!.numpy()).toEqual([[[1, 3, 5], [2, 4, 6]]]);
    expect(j.w!.shape).toEqual([1, 2, 3, 2]);
    expect(vals(j.w)).toEqual([1, 0, 2, 0, 3, 0, 0, 1, 0, 2, 0, 3]);
    const unrelated = f32([1]);
    expect(tape.jacobian(sq, unrelated)).toBeNull();
    expect(tape.jacobian(sq, unrelated, { unconnectedGradients: "zero" })!.shape).toEqual([3, 1]);
    tape.dispose();
  });
});

describe("functional forms", () => {
  it("tf.grad and tf.valueAndGrad", () => {
    const f = (x: Tensor): Tensor => x.mul(x).mul(x);
    expect(vals(tf.grad(f)(f32([1, 2])))).toEqual([3, 12]);
    expect(tf.grad(f)(2).numpy()).toBe(12);
    expect(vals(tf.grad(f)(f32([1, 2]), f32([2, -1])))).toEqual([6, -12]);
    const { value, grad } = tf.valueAndGrad(f)(f32(3));
    expect(value.numpy()).toBe(27);
    expect(grad.numpy()).toBe(27);
  });

  it("tf.grads and tf.valueAndGrads, with zeros for an unused argument", () => {
    const f = (a: Tensor, b: Tensor, _c: Tensor): Tensor => a.mul(b);
    const [ga, gb, gc] = tf.grads(f)([f32(2), f32(5), f32(7)]);
    expect([ga!.numpy(), gb!.numpy(), gc!.numpy()]).toEqual([5, 2, 0]);
    const r = tf.valueAndGrads(f)([3, 4, 0]);
    expect(r.value.numpy()).toBe(12);
    expect(r.grads.map((g) => g.numpy())).toEqual([4, 3, 0]);
  });

  it("tf.grad(tf.grad(f)) differentiates twice", () => {
    const d2 = tf.grad(tf.grad((x: Tensor) => x.mul(x).mul(x)));
    expect(vals(d2(f32([1, 2])))).toEqual([6, 12]);
    const d3 = tf.grad(tf.grad(tf.grad((x: Tensor) => tf.sin(x))));
    close(vals(d3(f32([0.5]))), [-Math.cos(0.5)]);
  });

  it("tf.grad rejects integer tensors with a clear error", () => {
    expect(() => tf.grad((x: Tensor) => x)(tf.constant([1, 2]))).toThrow(/cannot differentiate with respect to a int32 tensor/);
  });

  it("tf.customGradient: the gradient is the user's, and it is differentiable again", () => {
    // log(1 + eˣ) with a stable hand-written gradient.
    const logOnePlusExp = tf.customGradient((x: Tensor) => {
      const e = tf.exp(x);
      return { value: tf.log(tf.add(1, e)), gradFunc: (dy, [xs]) => dy.mul(tf.sigmoid(xs!)), save: [x] };
    });
    const x = f32([0, 100]);
    const g = tf.grad((t: Tensor) => logOnePlusExp(t))(x);
    close(vals(g), [0.5, 1]);
    const g2 = tf.grad(tf.grad((t: Tensor) => logOnePlusExp(t)))(f32([0]));
    close(vals(g2), [0.25]);
  });

  it("tf.customGradient can clip gradients", () => {
    const clip = tf.customGradient((x: Tensor) => ({ value: tf.identity(x), gradFunc: (dy) => tf.minimum(tf.maximum(dy, -1), 1) }));
    const g = tf.grad((x: Tensor) => clip(x).mul(10))(f32([1, 2]));
    expect(vals(g)).toEqual([1, 1]);
    const wrong = tf.customGradient((x: Tensor) => ({ value: x.mul(2), gradFunc: (dy) => [dy, dy] }));
    expect(() => tf.grad((x: Tensor) => wrong(x))(f32(1))).toThrow(/returned 2 gradients for 1 inputs/);
  });
});
