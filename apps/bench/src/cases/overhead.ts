/**
 * Per-op overhead: tiny ops, each result disposed, so the time is dispatch, argument and option
 * checks, allocation and bookkeeping rather than arithmetic. Only the last result is read back.
 * One case passes no options (scalar adds), one passes an options object on every call (the
 * unknown-key check runs on that path).
 */
import type { Tensor } from "@tessera/core";
import type { Tensor as TfjsTensor } from "@tensorflow/tfjs-core";
import type { TesseraCore } from "../libs/tessera.js";
import type { TfjsCore } from "../libs/tfjs.js";
import type { BenchCase } from "../types.js";
import { readTessera, readTfjs } from "./common.js";

/** Two operands and the op on them, built with one library's `tf`. */
interface Setup<T> {
  args: [T, T];
  op: (a: T, b: T) => T;
}

interface OverheadOp {
  id: string;
  what: string;
  tessera: (tf: TesseraCore) => Setup<Tensor>;
  tfjs: (tf: TfjsCore) => Setup<TfjsTensor>;
}

const OPS: OverheadOp[] = [
  {
    id: "overhead-scalar-add", what: "scalar adds",
    tessera: (tf) => ({ args: [tf.constant(1.5), tf.constant(2.25)], op: (a, b) => tf.add(a, b) }),
    tfjs: (tf) => ({ args: [tf.scalar(1.5), tf.scalar(2.25)], op: (a, b) => tf.add(a, b) }),
  },
  {
    id: "overhead-options", what: "reduceSum(x, { axis: 0, keepdims: true }) of 1-vectors",
    tessera: (tf) => ({ args: [tf.constant([1.5]), tf.constant([2.25])], op: (a) => tf.reduceSum(a, { axis: 0, keepdims: true }) }),
    tfjs: (tf) => ({ args: [tf.tensor1d([1.5]), tf.tensor1d([2.25])], op: (a) => tf.sum(a, 0, true) }),
  },
];

export function overheadCases(quick: boolean): BenchCase[] {
  const n = quick ? 5_000 : 20_000;
  return OPS.map((o): BenchCase => ({
    id: o.id,
    family: "overhead",
    title: `per-op overhead: ${n} ${o.what}`,
    opsPerRun: n,
    tessera({ tf }) {
      const { args: [a, b], op } = o.tessera(tf);
      return {
        run: () => {
          for (let i = 1; i < n; i++) op(a, b).dispose();
          return readTessera(op(a, b));
        },
        dispose: () => tf.dispose([a, b]),
      };
    },
    tfjs({ tf }) {
      const { args: [a, b], op } = o.tfjs(tf);
      return {
        run: () => {
          for (let i = 1; i < n; i++) op(a, b).dispose();
          return readTfjs(op(a, b));
        },
        dispose: () => tf.dispose([a, b]),
      };
    },
  }));
}
