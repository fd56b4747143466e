/** `tf.random.uniform`: floats from 24 (float32) or 53 (float64) random bits, int32 without modulo bias. */
import { ENGINE } from "../engine/engine.js";
import { InvalidArgumentError, ValueError, opMessage } from "../errors.js";
import { sizeFromShape } from "../shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkFinite, checkOptions, checkRandomDtype, checkRandomShape } from "./options.js";
import type { StreamRunner } from "./seed.js";
import { statefulRunner } from "./seed.js";
import { optionKeys } from "../options.js";
import { defineOp } from "../ops/table/define.js";


/** Options of `tf.random.uniform`. */
export interface UniformOptions {
  /** Lower bound, included (default 0). */
  minval?: number;
  /** Upper bound, excluded (default 1 for floats; required for int32). */
  maxval?: number;
  /** "float32" (default), "float64" or "int32". */
  dtype?: "float32" | "float64" | "int32";
  /** Op seed; see `setSeed` for how it combines with the global seed. */
  seed?: number;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Values drawn uniformly from `[minval, maxval)`. Float values are `minval + (maxval - minval) * u`
 * for `u` a multiple of 2^-24 (float32) or 2^-53 (float64), computed in float64 and rounded, never
 * reaching `maxval`; int32 values are exactly uniform over the integers in the range.
 * The same seeds give the same values on every backend.
 */
const UNIFORM_KEYS = optionKeys<UniformOptions>()("minval", "maxval", "dtype", "seed");

export const uniform = defineOp("random.uniform", function uniform(shape: readonly number[], options?: UniformOptions): Tensor {
  const opts = checkOptions(options, "RandomUniform", "tf.random.uniform");
  const dtype = checkRandomDtype(opts.dtype ?? "float32", ["float32", "float64", "int32"] as const, "RandomUniform", "tf.random.uniform");
  return dtype === "int32" ? uniformInt(shape, opts) : uniformFloat(shape, dtype, opts);
}, { method: false, options: UNIFORM_KEYS });

/** Float values uniform in [minval, maxval) from the stream `run` gives (shared with `statelessUniform`). */
export function uniformFloat(shape: readonly number[], dtype: "float32" | "float64", opts: UniformOptions, op = "RandomUniform", run: StreamRunner = statefulRunner(opts.seed, op)): Tensor {
  const s = checkRandomShape(shape, op);
  const minval = checkFinite(opts.minval ?? 0, "minval", op);
  const maxval = checkFinite(opts.maxval ?? 1, "maxval", op);
  if (!(minval < maxval)) throw new InvalidArgumentError(opMessage(op, `Need minval < maxval: ${minval} >= ${maxval}`));
  const n = sizeFromShape(s);
  const range = maxval - minval;
  const values = ENGINE.hostValues(op, s, dtype);
  // Rounding can land on maxval when the range is not a power of two: step back to the largest value below it.
  const below = dtype === "float32" ? largestFloat32Below(maxval) : largestFloat64Below(maxval);
  run((stream) => {
    for (let i = 0; i < n; i++) {
      const u = dtype === "float32" ? stream.nextFloat24() : stream.nextFloat53();
      values[i] = minval + range * u;
      if (values[i]! >= maxval) values[i] = Math.max(minval, below);
    }
  });
  return ENGINE.upload(values, s, dtype, op);
}

/** int32 values uniform in [minval, maxval) from the stream `run` gives (shared with `statelessUniform`). */
export function uniformInt(shape: readonly number[], opts: UniformOptions, op = "RandomUniformInt", run: StreamRunner = statefulRunner(opts.seed, op)): Tensor {
  const s = checkRandomShape(shape, op);
  if (opts.maxval === undefined) throw new ValueError(opMessage(op, "Must specify maxval for integer dtype int32"));
  const minval = opts.minval ?? 0;
  const maxval = opts.maxval;
  for (const [name, v] of [["minval", minval], ["maxval", maxval]] as const) {
    if (typeof v !== "number" || !Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) {
      throw new InvalidArgumentError(opMessage(op, `${name} must be an int32 integer for dtype int32, got ${String(v)}`));
    }
  }
  if (!(minval < maxval)) throw new InvalidArgumentError(opMessage(op, `Need minval < maxval: ${minval} >= ${maxval}`));
  const n = sizeFromShape(s);
  const values = ENGINE.hostValues(op, s, "int32");
  const range = maxval - minval;
  run((stream) => {
    for (let i = 0; i < n; i++) values[i] = minval + stream.nextBelow(range);
  });
  return ENGINE.upload(values, s, "int32", op);
}

const scratch64 = new Float64Array(1);
const scratchBits64 = new BigInt64Array(scratch64.buffer);
const scratch32 = new Float32Array(1);
const scratchBits32 = new Int32Array(scratch32.buffer);

/** The largest float32 strictly below `x` (finite x). */
function largestFloat32Below(x: number): number {
  const f = Math.fround(x);
  if (f < x) return f;
  if (f === 0) return -(2 ** -149);
  scratch32[0] = f;
  scratchBits32[0] = f > 0 ? scratchBits32[0]! - 1 : scratchBits32[0]! + 1;
  return scratch32[0]!;
}

/** The largest float64 strictly below `x` (finite x). */
function largestFloat64Below(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  scratch64[0] = x;
  scratchBits64[0] = x > 0 ? scratchBits64[0]! - 1n : scratchBits64[0]! + 1n;
  return scratch64[0]!;
}
