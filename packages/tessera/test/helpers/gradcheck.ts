/**
 * Finite-difference gradient checks: the tape's gradient of L = Σ w ⊙ f() (fixed random weights w,
 * so every output element counts) against central differences of L, one element at a time. Use
 * float64 variables (the js backend holds float64) so the differences are accurate.
 */
import * as tf from "@tessera/core";
import { expect } from "vitest";

/** Options of `checkGradients`. */
export interface GradCheckOptions {
  /** Step of the central differences (default 1e-6). */
  eps?: number;
  /** Largest accepted |tape − numeric| / max(1, |numeric|) (default 1e-6). */
  tol?: number;
}

const read = (t: tf.Tensor): number[] => Array.from(t.dataSync() as Float64Array);

/** Checks d f / d v for every variable in `vars` and returns the largest error seen. */
export function checkGradients(f: () => tf.Tensor, vars: readonly tf.Variable[], options: GradCheckOptions = {}): number {
  const eps = options.eps ?? 1e-6;
  const tol = options.tol ?? 1e-6;
  for (const v of vars) expect(v.dtype, `${v.name} must be float64 for a finite-difference check`).toBe("float64");
  const shape = tf.tidy(() => f().shape);
  const w = tf.random.uniform(shape, { minval: 0.5, maxval: 1.5, dtype: "float64", seed: 7 });
  const loss = (): tf.Tensor => tf.tidy(() => tf.reduceSum(tf.multiply(f(), w)));
  let worst = 0;
  try {
    const grads = tf.tidy(() => {
      const tape = new tf.GradientTape({ watchAccessedVariables: false });
      const l = tape.record(() => {
        tape.watch(vars as tf.Variable[]);
        return loss();
      });
      return tape.gradient(l, vars as tf.Variable[]) as (tf.Tensor | null)[];
    });
    vars.forEach((v, k) => {
      const g = grads[k];
      const analytic = g ? read(g) : new Array<number>(v.size).fill(0);
      g?.dispose();
      const base = read(v);
      const at = (i: number, delta: number): number => {
        const p = base.slice();
        p[i] = base[i]! + delta;
        tf.tidy(() => void v.assign(tf.constant(new Float64Array(p), { shape: v.shape })));
        const l = loss();
        const r = l.dataSync()[0] as number;
        l.dispose();
        return r;
      };
      for (let i = 0; i < base.length; i++) {
        const numeric = (at(i, eps) - at(i, -eps)) / (2 * eps);
        const err = Math.abs(analytic[i]! - numeric) / Math.max(1, Math.abs(numeric));
        worst = Math.max(worst, err);
        expect(err, `d/d ${v.name}[${i}]: tape ${analytic[i]} vs numeric ${numeric}`).toBeLessThan(tol);
      }
      tf.tidy(() => void v.assign(tf.constant(new Float64Array(base), { shape: v.shape })));
    });
  } finally {
    w.dispose();
  }
  return worst;
}

/** A float64 Variable of `shape`, uniform in [lo, hi) (seeded). */
export function variable64(shape: number[], seed: number, lo = -1, hi = 1, name = "x"): tf.Variable {
  return tf.tidy(() => new tf.Variable(tf.random.uniform(shape, { minval: lo, maxval: hi, dtype: "float64", seed }), { name }));
}
