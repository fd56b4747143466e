/**
 * The weighted losses of `tf.compat.v1.losses` (composites, no kernels of their own) against float64
 * references: per-element losses from a table of cases, then TensorFlow's weighting and every
 * `Reduction`, with weights that are absent, scalar, or broadcast (zeros included). Bad arguments
 * must raise the documented errors without leaking or touching the inputs.
 */
import fc from "fast-check";
import { describe } from "vitest";
import * as tf from "@tessera/core";
import type { DType, KernelName } from "@tessera/core/kernel";
import type { ValueDomain } from "../arbitraries.js";
import { shapeArb, valuesFor } from "../arbitraries.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { describeHost, evalOp, expectOpError, host, sizeOf } from "../host.js";

const L = tf.compat.v1.losses;
type Reduction = tf.compat.v1.losses.Reduction;
type Opts = { weights?: tf.Tensor; reduction?: Reduction } & Record<string, unknown>;

/** Per-element losses of the reference, with the magnitude of the terms each one summed (for tolerances). */
interface PerElement {
  shape: number[];
  loss: number[];
  mag: number[];
}

/** One weighted loss under test. */
interface LossCase<E> {
  name: string;
  /** Kernels every call runs. */
  kernels: KernelName[];
  labels: ValueDomain;
  preds: ValueDomain;
  minRank?: number;
  /** The loss's own options (besides weights and reduction), drawn for an input shape. */
  extra: (shape: number[]) => fc.Arbitrary<E>;
  run: (labels: tf.Tensor, preds: tf.Tensor, options: Opts) => tf.Tensor;
  /** Shape of the per-element losses (default: the inputs' shape). */
  lossShape?: (shape: number[], extra: E) => number[];
  ref: (labels: number[], preds: number[], shape: number[], extra: E) => PerElement;
}

const FLOATS = ["float32", "float64"] as const;
const none = (): fc.Arbitrary<Record<string, never>> => fc.constant({});

/** Elementwise per-element losses: `f` gives [loss, magnitude] for one (label, prediction) pair. */
function elementwise(f: (z: number, p: number) => [number, number]) {
  return (l: number[], p: number[], shape: number[]): PerElement => {
    const loss: number[] = [], mag: number[] = [];
    for (let i = 0; i < p.length; i++) {
      const [v, m] = f(l[i]!, p[i]!);
      loss.push(v);
      mag.push(m);
    }
    return { shape, loss, mag };
  };
}

/** Per-line values along `axis`: calls `f` with the labels and predictions of each line; the axis is kept as 1. */
function alongAxis(l: number[], p: number[], shape: number[], axis: number, f: (z: number[], q: number[]) => [number, number]): PerElement {
  const n = shape[axis]!, inner = sizeOf(shape.slice(axis + 1)), outer = sizeOf(shape.slice(0, axis));
  const loss: number[] = [], mag: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const z: number[] = [], q: number[] = [];
      for (let k = 0; k < n; k++) {
        z.push(l[(o * n + k) * inner + j]!);
        q.push(p[(o * n + k) * inner + j]!);
      }
      const [v, m] = f(z, q);
      loss.push(v);
      mag.push(m);
    }
  }
  return { shape: shape.map((d, i) => (i === axis ? 1 : d)), loss, mag };
}

const logSumExp = (x: number[]): number => {
  const m = Math.max(...x);
  return m + Math.log(x.reduce((s, v) => s + Math.exp(v - m), 0));
};

const CASES: LossCase<Record<string, number>>[] = [
  {
    name: "computeWeightedLoss", kernels: ["Mul"], labels: { min: 0, max: 1 }, preds: { min: -10, max: 10 }, extra: none,
    run: (_l, p, o) => L.computeWeightedLoss(p, o),
    ref: elementwise((_z, p) => [p, Math.abs(p)]),
  },
  {
    name: "absoluteDifference", kernels: ["Sub", "Abs", "Mul"], labels: { min: -10, max: 10 }, preds: { min: -10, max: 10 }, extra: none,
    run: (l, p, o) => L.absoluteDifference(l, p, o),
    ref: elementwise((z, p) => [Math.abs(p - z), Math.abs(p) + Math.abs(z)]),
  },
  {
    name: "meanSquaredError", kernels: ["Sub", "Square", "Mul"], labels: { min: -10, max: 10 }, preds: { min: -10, max: 10 }, extra: none,
    run: (l, p, o) => L.meanSquaredError(l, p, o),
    ref: elementwise((z, p) => [(p - z) ** 2, (Math.abs(p) + Math.abs(z)) ** 2]),
  },
  {
    name: "huberLoss", kernels: ["Sub", "Abs", "Minimum", "Mul"], labels: { min: -5, max: 5 }, preds: { min: -5, max: 5 },
    extra: () => fc.record({ delta: fc.constantFrom(1, 0.5, 2.5) }),
    run: (l, p, o) => L.huberLoss(l, p, o),
    ref: (l, p, shape, { delta }) => elementwise((z, q) => {
      const e = Math.abs(q - z), m = (Math.abs(q) + Math.abs(z)) * (1 + delta!);
      return [e <= delta! ? 0.5 * e * e : delta! * (e - 0.5 * delta!), m * m];
    })(l, p, shape),
  },
  {
    name: "logLoss", kernels: ["Log", "Mul"], labels: { min: 0, max: 1 }, preds: { min: 0, max: 1 },
    extra: () => fc.record({ epsilon: fc.constantFrom(1e-7, 1e-3) }),
    run: (l, p, o) => L.logLoss(l, p, o),
    ref: (l, p, shape, { epsilon }) => elementwise((z, q) => {
      const a = Math.log(q + epsilon!), b = Math.log(1 - q + epsilon!);
      return [-z * a - (1 - z) * b, Math.abs(a) + Math.abs(b) + 1];
    })(l, p, shape),
  },
  {
    name: "hingeLoss", kernels: ["Mul", "Sub", "Relu"], labels: { min: 0, max: 1, integer: true }, preds: { min: -3, max: 3 }, extra: none,
    run: (l, p, o) => L.hingeLoss(l, p, o),
    ref: elementwise((z, x) => [Math.max(0, 1 - (2 * z - 1) * x), 1 + Math.abs(x)]),
  },
  {
    name: "sigmoidCrossEntropy", kernels: ["Relu", "Exp", "Log1p", "Mul"], labels: { min: 0, max: 1 }, preds: { min: -10, max: 10 },
    extra: () => fc.record({ labelSmoothing: fc.constantFrom(0, 0.1, 1) }),
    run: (l, p, o) => L.sigmoidCrossEntropy(l, p, o),
    ref: (l, p, shape, { labelSmoothing: s }) => elementwise((z0, x) => {
      const z = z0 * (1 - s!) + 0.5 * s!;
      return [Math.max(x, 0) - x * z + Math.log1p(Math.exp(-Math.abs(x))), 2 * Math.abs(x) + 1];
    })(l, p, shape),
  },
  {
    name: "softmaxCrossEntropy", kernels: ["Exp", "Log", "Sum", "Mul"], labels: { min: 0, max: 1 }, preds: { min: -10, max: 10 }, minRank: 1,
    extra: () => fc.record({ labelSmoothing: fc.constantFrom(0, 0.2) }),
    run: (l, p, o) => L.softmaxCrossEntropy(l, p, o),
    lossShape: (shape) => shape.slice(0, -1),
    ref: (l, p, shape, { labelSmoothing: s }) => {
      const axis = shape.length - 1;
      const r = alongAxis(l, p, shape, axis, (z, x) => {
        const lse = logSumExp(x), n = x.length;
        let v = 0, m = 0;
        for (let k = 0; k < n; k++) {
          const zk = z[k]! * (1 - s!) + s! / n;
          v -= zk * (x[k]! - lse);
          m += Math.abs(zk) * (Math.abs(x[k]!) + Math.abs(lse));
        }
        return [v, m];
      });
      return { ...r, shape: shape.slice(0, -1) };
    },
  },
  {
    name: "cosineDistance", kernels: ["Mul", "Sum", "Sub"], labels: { min: -1, max: 1 }, preds: { min: -1, max: 1 }, minRank: 1,
    extra: (shape) => fc.record({ axis: fc.integer({ min: -shape.length, max: shape.length - 1 }) }),
    run: (l, p, o) => L.cosineDistance(l, p, o),
    lossShape: (shape, { axis }) => shape.map((d, i) => (i === (axis! < 0 ? axis! + shape.length : axis!) ? 1 : d)),
    ref: (l, p, shape, { axis }) => alongAxis(l, p, shape, axis! < 0 ? axis! + shape.length : axis!, (z, q) => {
      let dot = 0, m = 1;
      for (let k = 0; k < z.length; k++) {
        dot += z[k]! * q[k]!;
        m += Math.abs(z[k]! * q[k]!);
      }
      return [1 - dot, m];
    }),
  },
];

const REDUCTIONS = Object.values(L.Reduction) as Reduction[];

/** Weights for losses of `shape`: absent, a scalar, or a tensor of the same rank with some dimensions 1. */
function weightsArb(dtype: DType, shape: number[]): fc.Arbitrary<HostTensor | undefined> {
  const value = fc.constantFrom(0, 0.5, 1, 2, -1.5, 3);
  const full = fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length })
    .map((ones) => shape.map((d, i) => (ones[i] ? 1 : d)))
    .chain((ws) => fc.array(value, { minLength: sizeOf(ws), maxLength: sizeOf(ws) }).map((data) => host(dtype, ws, data)));
  return fc.oneof(fc.constant(undefined), value.map((v) => host(dtype, [], [v])), full);
}

/** TensorFlow's weighting and reduction, in float64. */
function reduceRef(per: PerElement, w: HostTensor | undefined, reduction: Reduction | undefined, dtype: DType) {
  const n = per.loss.length;
  const wb = new Array<number>(n).fill(1);
  if (w) {
    const ws = w.shape.length === 0 ? per.shape.map(() => 1) : w.shape;
    for (let i = 0; i < n; i++) {
      // Index of element i in the (broadcast) weights.
      let j = 0, stride = 1, wstride = 1;
      for (let d = per.shape.length - 1; d >= 0; d--) {
        const k = Math.floor(i / stride) % per.shape[d]!;
        if (ws[d] !== 1) j += k * wstride;
        stride *= per.shape[d]!;
        wstride *= ws[d]!;
      }
      wb[i] = (w.data as number[])[j]!;
    }
  }
  const weighted = per.loss.map((v, i) => v * wb[i]!);
  const mags = per.mag.map((m, i) => m * Math.abs(wb[i]!));
  if (reduction === "none") return { dtype, shape: per.shape, data: weighted, scale: mags };
  const total = weighted.reduce((a, b) => a + b, 0);
  const mag = mags.reduce((a, b) => a + b, 0);
  let den = 1;
  if (reduction === "weighted_mean") den = wb.reduce((a, b) => a + b, 0);
  else if (reduction === "weighted_sum_over_batch_size") den = n;
  else if (reduction !== "weighted_sum") den = wb.filter((v) => v !== 0).length;
  const data = den === 0 ? 0 : total / den;
  return { dtype, shape: [], data: [data], scale: [den === 0 ? 0 : mag / Math.abs(den)] };
}

export function describeLosses(ctx: ConformanceContext): void {
  describe("weighted losses (tf.compat.v1.losses)", () => {
    for (const c of CASES) {
      for (const dtype of FLOATS) {
        ctx.test(`${c.name} ${dtype}`, { kernels: c.kernels, dtype }, async () => {
          const arb = shapeArb({ minRank: c.minRank ?? 0, maxRank: 3, maxSize: 48 }).chain((shape) => c.extra(shape).chain((extra) => fc.record({
            labels: valuesFor(dtype, shape, { ...c.labels, special: false }),
            // Clamped to the domain (the generator mixes in tiny values of either sign).
            preds: valuesFor(dtype, shape, { ...c.preds, special: false }).map((h) => ({ ...h, data: (h.data as number[]).map((v) => Math.min(c.preds.max!, Math.max(c.preds.min!, v))) })),
            extra: fc.constant(extra),
            reduction: fc.constantFrom(undefined, ...REDUCTIONS),
            // Weights apply to the per-element losses.
            weights: weightsArb(dtype, c.lossShape ? c.lossShape(shape, extra) : shape),
          })));
          await ctx.property(arb, async ({ labels, preds, extra, reduction, weights }) => {
            const inputs = weights ? [labels, preds, weights] : [labels, preds];
            const got = await evalOp(inputs, (l, p, w) => c.run(l!, p!, { ...extra, ...(w ? { weights: w } : {}), ...(reduction ? { reduction } : {}) }));
            const per = c.ref(labels.data as number[], preds.data as number[], labels.shape, extra);
            const want = reduceRef(per, weights, reduction, dtype);
            // A chain of rounded float32 ops: a few ulps of the terms' magnitude.
            const tol = ctx.tol("Sum", dtype);
            const loose = dtype === "float32" ? { rtol: tol.rtol * 8, atol: tol.atol * 8 } : { rtol: tol.rtol * 8, atol: tol.atol };
            assertMatches(got, want, loose, () => `${c.name}(${describeHost(labels)}, ${describeHost(preds)}, ${JSON.stringify({ ...extra, reduction })}, weights ${weights ? describeHost(weights) : "none"})`);
          });
        });
      }
    }

    ctx.test("weighted losses: labels of another dtype are cast", { kernels: ["Cast", "Sub", "Abs"], dtype: "float32", needs: ["int32"] }, async () => {
      const got = await evalOp([host("int32", [2, 2], [1, 0, 2, 3]), host("float32", [2, 2], [0.5, 0, 1, 4])], (l, p) => L.absoluteDifference(l!, p!, { reduction: "weighted_sum" }));
      assertMatches(got, { dtype: "float32", shape: [], data: [0.5 + 0 + 1 + 1] }, ctx.tol("Sum", "float32"), () => "absoluteDifference(int32 labels)");
    });

    ctx.test("weighted losses: bad arguments", { kernels: [], dtype: "float32", needs: ["int32"] }, async () => {
      const a = host("float32", [2, 3], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
      const b = host("float32", [3], [0.1, 0.2, 0.3]);
      const w3 = host("float32", [3], [1, 2, 3]);
      const w23 = host("float32", [2, 2], [1, 2, 3, 4]);
      const ints = host("int32", [2, 3], [1, 2, 3, 4, 5, 6]);
      await expectOpError([a, b], (x, y) => L.absoluteDifference(x!, y!), tf.errors.ValueError);
      await expectOpError([a, a, w3], (x, y, w) => L.meanSquaredError(x!, y!, { weights: w! }), tf.errors.ValueError);
      await expectOpError([a, a, w23], (x, y, w) => L.logLoss(x!, y!, { weights: w! }), tf.errors.ValueError);
      await expectOpError([a, a], (x, y) => L.hingeLoss(x!, y!, { reduction: "mean" as Reduction }), tf.errors.ValueError);
      await expectOpError([a, a], (x, y) => L.cosineDistance(x!, y!), tf.errors.ValueError);
      await expectOpError([a, a], (x, y) => L.cosineDistance(x!, y!, { axis: 2 }), tf.errors.ValueError);
      await expectOpError([a, ints], (x, y) => L.absoluteDifference(x!, y!), tf.errors.DtypeError);
      await expectOpError([ints], (x) => L.computeWeightedLoss(x!), tf.errors.DtypeError);
      await expectOpError([a, a], (x, y) => L.sigmoidCrossEntropy(x!, y!, { labelSmoothing: 2 }), tf.errors.ValueError);
      await expectOpError([a, a], (x, y) => L.huberLoss(x!, y!, { delta: NaN }), tf.errors.ValueError);
      await expectOpError([a, a, b], (x, y, w) => L.softmaxCrossEntropy(x!, y!, { weights: w! }), tf.errors.ValueError);
      await expectOpError([a, a], (x, y) => L.huberLoss(x!, y!, { detla: 2 } as never), TypeError);
    });
  });
}
