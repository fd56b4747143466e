/**
 * `tf.random.poisson`: Knuth's multiplication method for small rates and Hörmann's transformed
 * rejection (PTRS, as TensorFlow uses) for rates ≥ 10, in float64 on the Philox stream.
 */
import { ENGINE } from "../engine/engine.js";
import { optionKeys } from "../options.js";
import { defineOp } from "../ops/table/define.js";
import { sizeFromShape } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkOptions, checkRandomDtype, checkRandomShape } from "./options.js";
import { readParam } from "./params.js";
import type { PhiloxStream } from "./philox.js";
import { withRandomStream } from "./seed.js";

/** Options of `tf.random.poisson`. */
export interface PoissonOptions {
  /** "float32" (default), "float64" or "int32". */
  dtype?: "float32" | "float64" | "int32";
  /** Op seed; see `setSeed` for how it combines with the global seed. */
  seed?: number;
}
const POISSON_KEYS = optionKeys<PoissonOptions>()("dtype", "seed");

const LOG_FACTORIALS: number[] = [0];
for (let k = 1; k < 32; k++) LOG_FACTORIALS.push(LOG_FACTORIALS[k - 1]! + Math.log(k));

/** log(k!) (exact sums below 32, Stirling's series above). */
export function logFactorial(k: number): number {
  if (k < 32) return LOG_FACTORIALS[k]!;
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3) + 1 / (1260 * x ** 5);
}

/** One Poisson(lam) draw. */
export function samplePoisson(lam: number, stream: PhiloxStream): number {
  if (lam === 0) return 0;
  if (lam < 10) {
    const limit = Math.exp(-lam);
    let k = 0, p = 1 - stream.nextFloat53();
    while (p > limit) {
      k++;
      p *= 1 - stream.nextFloat53();
    }
    return k;
  }
  const slam = Math.sqrt(lam), loglam = Math.log(lam);
  const b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = stream.nextFloat53() - 0.5, v = stream.nextFloat53();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lam + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lam + k * loglam - logFactorial(k)) return k;
  }
}

/**
 * Samples of Poisson(lam): the result has shape `shape` followed by `lam`'s shape, every rate drawn
 * `shape` times. The same seeds give the same values on every backend. `tf.random.poisson`.
 */
export const poisson = defineOp("random.poisson", function poisson(shape: readonly number[], lam: TensorLike, options?: PoissonOptions): Tensor {
  const op = "RandomPoisson";
  const opts = checkOptions(options, op, "tf.random.poisson");
  const dtype = checkRandomDtype(opts.dtype ?? "float32", ["float32", "float64", "int32"] as const, op, "tf.random.poisson");
  const s = checkRandomShape(shape, op);
  const rates = readParam(lam, "lam", op, (v) => v >= 0 && v <= 1e9, "in [0, 1e9]");
  const m = rates.values.length;
  const outShape = [...s, ...rates.shape];
  const n = sizeFromShape(outShape);
  const values = ENGINE.hostValues(op, outShape, dtype);
  withRandomStream(opts.seed, op, (stream) => {
    for (let i = 0; i < n; i++) values[i] = samplePoisson(rates.values[i % m]!, stream);
  });
  return ENGINE.upload(values, outShape, dtype, op);
}, { method: false, args: 3, options: POISSON_KEYS });
