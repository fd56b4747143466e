/**
 * Per-op overhead: scalar adds, each result disposed, so the time is dispatch, shape checks,
 * allocation and bookkeeping rather than arithmetic. Only the last result is read back.
 */
import type { BenchCase } from "../types.js";
import { readTessera, readTfjs } from "./common.js";

export function overheadCases(quick: boolean): BenchCase[] {
  const n = quick ? 5_000 : 20_000;
  return [
    {
      id: "overhead-scalar-add",
      family: "overhead",
      title: `per-op overhead: ${n} scalar adds`,
      opsPerRun: n,
      tessera({ tf }) {
        const a = tf.constant(1.5);
        const b = tf.constant(2.25);
        return {
          run: () => {
            for (let i = 1; i < n; i++) tf.add(a, b).dispose();
            return readTessera(tf.add(a, b));
          },
          dispose: () => tf.dispose([a, b]),
        };
      },
      tfjs({ tf }) {
        const a = tf.scalar(1.5);
        const b = tf.scalar(2.25);
        return {
          run: () => {
            for (let i = 1; i < n; i++) tf.add(a, b).dispose();
            return readTfjs(tf.add(a, b));
          },
          dispose: () => tf.dispose([a, b]),
        };
      },
    },
  ];
}
