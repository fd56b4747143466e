/** `tf.random.normal` and `tf.random.truncatedNormal`: Box–Muller in float64, rounded to the dtype. */
import { ENGINE } from "../engine/engine.js";
import { InvalidArgumentError, opMessage } from "../errors.js";
import { sizeFromShape } from "../shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkFinite, checkOptions, checkRandomDtype, checkRandomShape } from "./options.js";
import type { PhiloxStream } from "./philox.js";
import type { StreamRunner } from "./seed.js";
import { statefulRunner } from "./seed.js";
import { optionKeys } from "../options.js";
import { defineOp } from "../ops/table/define.js";

/** Options of `tf.random.normal` and `tf.random.truncatedNormal`. */
export interface NormalOptions {
  /** Mean of the distribution (default 0). */
  mean?: number;
  /** Standard deviation, ≥ 0 (default 1). */
  stddev?: number;
  /** "float32" (default) or "float64". */
  dtype?: "float32" | "float64";
  /** Op seed; see `setSeed` for how it combines with the global seed. */
  seed?: number;
}

/**
 * Standard normal pairs by Box–Muller: one Philox block (two 53-bit uniforms) gives two values.
 * `u1` is taken in (0, 1] so the logarithm is finite.
 */
export class NormalSource {
  private spare = 0;
  private hasSpare = false;
  constructor(private readonly stream: PhiloxStream) {}

  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const u1 = 1 - this.stream.nextFloat53();
    const u2 = this.stream.nextFloat53();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }
}

function parse(shape: readonly number[], options: NormalOptions | undefined, op: string, fn: string) {
  const opts = checkOptions(options, op, fn);
  const dtype = checkRandomDtype(opts.dtype ?? "float32", ["float32", "float64"] as const, op, fn);
  const s = checkRandomShape(shape, op);
  const mean = checkFinite(opts.mean ?? 0, "mean", op);
  const stddev = checkFinite(opts.stddev ?? 1, "stddev", op);
  if (stddev < 0) throw new InvalidArgumentError(opMessage(op, `stddev must be >= 0, got ${stddev}`));
  return { dtype, shape: s, mean, stddev, seed: opts.seed };
}

/** Normal (or truncated normal) values from the stream `run` gives (default: the op seed's; shared with the stateless ops). */
export function generateNormal(shape: readonly number[], options: NormalOptions | undefined, op: string, fn: string, truncated: boolean, run?: StreamRunner): Tensor {
  const { dtype, shape: s, mean, stddev, seed } = parse(shape, options, op, fn);
  const n = sizeFromShape(s);
  const values = ENGINE.hostValues(op, s, dtype);
  (run ?? statefulRunner(seed, op))((stream) => {
    const src = new NormalSource(stream);
    for (let i = 0; i < n; i++) {
      let z = src.next();
      // TensorFlow's truncation: values more than two standard deviations out are drawn again.
      if (truncated) while (Math.abs(z) > 2) z = src.next();
      values[i] = mean + stddev * z;
    }
  });
  return ENGINE.upload(values, s, dtype, op);
}

/**
 * Values from a normal distribution with the given `mean` and `stddev` (float32 by default).
 * The same seeds give the same values on every backend.
 */
const NORMAL_KEYS = optionKeys<NormalOptions>()("mean", "stddev", "dtype", "seed");

export const normal = defineOp("random.normal", (shape: readonly number[], options?: NormalOptions): Tensor =>
  generateNormal(shape, options, "RandomStandardNormal", "tf.random.normal", false), { method: false, options: NORMAL_KEYS });

/**
 * Values from a normal distribution truncated to `mean ± 2·stddev`: values outside are drawn again
 * (as TensorFlow does), so the result's standard deviation is about 0.88·stddev. Keras's
 * `he_normal`/`glorot_normal` initializers use it.
 */
export const truncatedNormal = defineOp("random.truncatedNormal", (shape: readonly number[], options?: NormalOptions): Tensor =>
  generateNormal(shape, options, "TruncatedNormal", "tf.random.truncatedNormal", true), { method: false, options: NORMAL_KEYS });
