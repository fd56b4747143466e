/**
 * Higher-order gradients against closed forms: tanh, sigmoid and exp to third order (TensorFlow.js
 * gets their second derivatives wrong, tfjs issue 3252), softmax and a matmul-tanh composite
 * Hessians, Hessians through nested tapes and jacobians, and Variables.
 */
import "@tessera/backend-js";
import * as tf from "@tessera/core";
import type { Tensor } from "@tessera/core";
import { beforeAll, describe, expect, it } from "vitest";

beforeAll(async () => {
  await tf.setBackend("js");
});

const f64 = (v: number[]): Tensor => tf.constant(Float64Array.from(v));
const vals = (t: Tensor): number[] => Array.from(t.dataSync() as Float64Array);

function close(got: number[], want: number[], tol = 1e-12): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `element ${i}: ${g} vs ${want[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i]!))));
}

const points = [-2.5, -0.7, 0, 0.4, 1.9];
const d = (f: (x: Tensor) => Tensor) => tf.grad(f);

describe("second and third derivatives of tanh, sigmoid, exp (tfjs issue 3252)", () => {
  it("tanh", () => {
    const t = points.map(Math.tanh);
    close(vals(d(d(tf.tanh))(f64(points))), t.map((v) => -2 * v * (1 - v * v)));
    close(vals(d(d(d(tf.tanh)))(f64(points))), t.map((v) => (1 - v * v) * (6 * v * v - 2)));
  });

  it("sigmoid", () => {
    const s = points.map((x) => 1 / (1 + Math.exp(-x)));
    close(vals(d(d(tf.sigmoid))(f64(points))), s.map((v) => v * (1 - v) * (1 - 2 * v)));
    close(vals(d(d(d(tf.sigmoid)))(f64(points))), s.map((v) => v * (1 - v) * (1 - 6 * v + 6 * v * v)));
  });

  it("exp", () => {
    const e = points.map(Math.exp);
    close(vals(d(d(tf.exp))(f64(points))), e);
    close(vals(d(d(d(tf.exp)))(f64(points))), e);
  });

  it("softplus, elu, sqrt, log and reciprocal second derivatives", () => {
    const pos = [0.3, 1.1, 2.7];
    close(vals(d(d(tf.softplus))(f64(points))), points.map((x) => { const s = 1 / (1 + Math.exp(-x)); return s * (1 - s); }));
    close(vals(d(d(tf.elu))(f64([-1.3, -0.2, 0.5]))), [Math.exp(-1.3), Math.exp(-0.2), 0]);
    close(vals(d(d(tf.sqrt))(f64(pos))), pos.map((x) => -0.25 * x ** -1.5));
    close(vals(d(d(tf.log))(f64(pos))), pos.map((x) => -1 / (x * x)));
    close(vals(d(d(tf.reciprocal))(f64(pos))), pos.map((x) => 2 / x ** 3));
  });
});

describe("Hessians", () => {
  it("softmax: the Hessian of Σ w ⊙ softmax(x), through nested tapes and a jacobian", () => {
    const xv = [0.2, -1.1, 0.7, 1.5];
    const wv = [1, -2, 0.5, 3];
    const x = f64(xv);
    const w = f64(wv);
    const outer = new tf.GradientTape();
    let g: Tensor | null = null;
    outer.record(() => {
      outer.watch(x);
      const inner = new tf.GradientTape();
      const y = inner.record(() => {
        inner.watch(x);
        return tf.reduceSum(tf.nn.softmax(x).mul(w));
      });
      g = inner.gradient(y, x);
    });
    const h = outer.jacobian(g!, x)!;
    expect(h.shape).toEqual([4, 4]);
    const ex = xv.map(Math.exp);
    const z = ex.reduce((a, b) => a + b, 0);
    const s = ex.map((e) => e / z);
    const sw = s.reduce((a, si, i) => a + si * wv[i]!, 0);
    const want: number[] = [];
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) want.push(s[i]! * ((i === j ? 1 : 0) - s[j]!) * (wv[i]! - sw) - s[i]! * s[j]! * (wv[j]! - sw));
    }
    close(vals(h), want);
  });

  it("logSumExp: Hessian diag(p) − p pᵀ", () => {
    const xv = [0.5, -0.25, 1.75];
    const hess = tf.tidy(() => {
      const x = f64(xv);
      const outer = new tf.GradientTape();
      const g = outer.record(() => tf.grad((t: Tensor) => tf.reduceLogSumExp(t))(x.clone()));
      return outer.jacobian(g, x, { unconnectedGradients: "zero" })!;
    });
    // Outer tape watched nothing (x.clone() was made inside record but not watched): zeros.
    expect(vals(hess)).toEqual(new Array(9).fill(0));
    const x = f64(xv);
    const outer = new tf.GradientTape();
    const g = outer.record(() => {
      outer.watch(x);
      return tf.grad((t: Tensor) => tf.reduceLogSumExp(t))(x);
    });
    const h = outer.jacobian(g, x)!;
    const e = xv.map(Math.exp);
    const z = e.reduce((a, b) => a + b, 0);
    const p = e.map((v) => v / z);
    close(vals(h), p.flatMap((pi, i) => p.map((pj, j) => (i === j ? pi : 0) - pi * pj)));
  });

  it("matmul-tanh composite: ∇²_w Σ tanh(x w) = −2t(1−t²) x xᵀ", () => {
    const xv = [0.3, -0.8, 0.5];
    const wv = [0.7, 0.2, -0.4];
    const x = tf.reshape(f64(xv), [1, 3]);
    const w = new tf.Variable(tf.reshape(f64(wv), [3, 1]));
    const outer = new tf.GradientTape();
    const g = outer.record(() => {
      const inner = new tf.GradientTape();
      const y = inner.record(() => tf.reduceSum(tf.tanh(tf.matmul(x, w))));
      return inner.gradient(y, w)!;
    });
    const h = outer.jacobian(g, w)!;
    expect(h.shape).toEqual([3, 1, 3, 1]);
    const t = Math.tanh(xv.reduce((a, xi, i) => a + xi * wv[i]!, 0));
    close(vals(h), xv.flatMap((xi) => xv.map((xj) => -2 * t * (1 - t * t) * xi * xj)));
  });

  it("a persistent tape differentiates its own gradient inside record", () => {
    const x = f64([2]);
    const tape = new tf.GradientTape({ persistent: true });
    const d2 = tape.record(() => {
      tape.watch(x);
      const y = x.mul(x).mul(x);
      const dy = tape.gradient(y, x)!;
      return tape.gradient(dy, x)!;
    });
    expect(vals(d2)).toEqual([12]);
    tape.dispose();
  });

  it("Variables: higher-order gradients connect even when the Variable is assigned after the forward pass", () => {
    const v = new tf.Variable(f64([1.5]));
    const outer = new tf.GradientTape();
    const inner = new tf.GradientTape();
    let g: Tensor | null = null;
    outer.record(() => {
      inner.record(() => {
        const y = tf.sin(v).mul(v);
        v.assign(f64([100]));
        g = inner.gradient(y, v);
      });
    });
    const h = outer.gradient(g!, v)!;
    // y = v sin v: y' = sin v + v cos v, y'' = 2 cos v − v sin v, at v = 1.5 (the value read).
    close(vals(g!), [Math.sin(1.5) + 1.5 * Math.cos(1.5)]);
    close(vals(h), [2 * Math.cos(1.5) - 1.5 * Math.sin(1.5)]);
  });

  it("gradients of a conv + max-pool network are differentiable again (a gradient penalty)", () => {
    const x = tf.reshape(f64([0.1, -0.4, 0.9, 0.3, -0.8, 0.6, 0.2, -0.1, 0.5, 0.7, -0.3, 0.4, -0.6, 0.8, 0.05, -0.2]), [1, 4, 4, 1]);
    const k = new tf.Variable(tf.reshape(f64([0.3, -0.5, 0.8, 0.1]), [2, 2, 1, 1]));
    const penalty = (kk: Tensor): Tensor => {
      const inner = new tf.GradientTape();
      const y = inner.record(() => {
        inner.watch(x);
        return tf.reduceSum(tf.square(tf.nn.maxPool2d(tf.nn.conv2d(x, kk, 1, "SAME"), 2, 2, "VALID")));
      });
      const gx = inner.gradient(y, x)!;
      return tf.reduceSum(tf.square(gx));
    };
    const outer = new tf.GradientTape();
    const p = outer.record(() => penalty(k));
    const analytic = vals(outer.gradient(p, k)!);
    // Central differences of the penalty in each filter element.
    const base = vals(k);
    const h = 1e-6;
    const numeric = base.map((_, i) => {
      const at = (delta: number): number => {
        const kv = base.slice();
        kv[i]! += delta;
        return vals(penalty(tf.reshape(f64(kv), [2, 2, 1, 1])))[0]!;
      };
      return (at(h) - at(-h)) / (2 * h);
    });
    close(analytic, numeric, 1e-6);
  });
});
