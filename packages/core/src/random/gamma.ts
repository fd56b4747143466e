/** `tf.random.gamma`: Marsaglia–Tsang sampling in float64 on the Philox stream, rounded to the dtype. */
import { ENGINE } from "../engine/engine.js";
import { optionKeys } from "../options.js";
import { defineOp } from "../ops/table/define.js";
import { sizeFromShape } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { NormalSource } from "./normal.js";
import { checkOptions, checkRandomDtype, checkRandomShape } from "./options.js";
import { broadcastParam, paramShape, readParam } from "./params.js";
import type { PhiloxStream } from "./philox.js";
import { withRandomStream } from "./seed.js";

/** Options of `tf.random.gamma`. */
export interface GammaOptions {
  /** Inverse scale (rate) of the distribution, > 0; broadcast with `alpha` (default 1). */
  beta?: TensorLike;
  /** "float32" (default) or "float64". */
  dtype?: "float32" | "float64";
  /** Op seed; see `setSeed` for how it combines with the global seed. */
  seed?: number;
}
const GAMMA_KEYS = optionKeys<GammaOptions>()("beta", "dtype", "seed");

/** One Gamma(a, 1) draw (a > 0) by Marsaglia and Tsang's method; a < 1 boosts a + 1 by u^(1/a). */
export function sampleGamma(a: number, normal: NormalSource, stream: PhiloxStream): number {
  if (a < 1) {
    const boost = Math.pow(1 - stream.nextFloat53(), 1 / a);
    return sampleGamma(a + 1, normal, stream) * boost;
  }
  const d = a - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = normal.next();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - stream.nextFloat53();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * Samples of Gamma(alpha, beta) (shape `alpha`, rate `beta`; mean alpha/beta): the result has shape
 * `shape` followed by the broadcast shape of `alpha` and `beta`, every parameter set drawn `shape`
 * times. The same seeds give the same values on every backend. `tf.random.gamma`.
 */
export const gamma = defineOp("random.gamma", function gamma(shape: readonly number[], alpha: TensorLike, options?: GammaOptions): Tensor {
  const op = "RandomGamma";
  const opts = checkOptions(options, op, "tf.random.gamma");
  const dtype = checkRandomDtype(opts.dtype ?? "float32", ["float32", "float64"] as const, op, "tf.random.gamma");
  const s = checkRandomShape(shape, op);
  const positive = (v: number): boolean => v > 0 && Number.isFinite(v);
  const a = readParam(alpha, "alpha", op, positive, "positive and finite");
  const b = readParam(opts.beta ?? 1, "beta", op, positive, "positive and finite");
  const pShape = paramShape(a, b, op);
  ENGINE.checkAllocation(op, [...s, ...pShape], dtype);
  const alphas = broadcastParam(a, pShape), betas = broadcastParam(b, pShape);
  const m = alphas.length;
  const outShape = [...s, ...pShape];
  const n = sizeFromShape(outShape);
  const values = ENGINE.hostValues(op, outShape, dtype);
  withRandomStream(opts.seed, op, (stream) => {
    const normal = new NormalSource(stream);
    for (let i = 0; i < n; i++) values[i] = sampleGamma(alphas[i % m]!, normal, stream) / betas[i % m]!;
  });
  return ENGINE.upload(values, outShape, dtype, op);
}, { method: false, args: 3, options: GAMMA_KEYS });
