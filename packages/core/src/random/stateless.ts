/**
 * TF2's stateless random ops: `statelessUniform`, `statelessNormal`, `statelessTruncatedNormal` and
 * `statelessCategorical`. Their `seed` (two integers) alone picks the Philox stream — no global seed
 * is read and no state advances — so a seed gives the same numbers on every call and every backend.
 * The numbers follow the same algorithms as the stateful ops (not TensorFlow's bit patterns).
 */
import { optionKeys } from "../options.js";
import { defineOp } from "../ops/table/define.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import type { CategoricalOptions } from "./categorical.js";
import { drawCategorical } from "./categorical.js";
import type { NormalOptions } from "./normal.js";
import { generateNormal } from "./normal.js";
import { checkOptions, checkRandomDtype } from "./options.js";
import { statelessRunner } from "./seed.js";
import type { UniformOptions } from "./uniform.js";
import { uniformFloat, uniformInt } from "./uniform.js";

/** A stateless seed: two integers, as an array or an int32 tensor of shape [2]. */
export type StatelessSeed = readonly [number, number] | readonly number[] | Tensor;

/** Options of `tf.random.statelessUniform`. */
export type StatelessUniformOptions = Omit<UniformOptions, "seed">;
/** Options of `tf.random.statelessNormal` and `statelessTruncatedNormal`. */
export type StatelessNormalOptions = Omit<NormalOptions, "seed">;
/** Options of `tf.random.statelessCategorical`. */
export type StatelessCategoricalOptions = Omit<CategoricalOptions, "seed">;

const UNIFORM_KEYS = optionKeys<StatelessUniformOptions>()("minval", "maxval", "dtype");
const NORMAL_KEYS = optionKeys<StatelessNormalOptions>()("mean", "stddev", "dtype");
const CATEGORICAL_KEYS = optionKeys<StatelessCategoricalOptions>()("dtype");

/** `tf.random.uniform`'s values, determined by `seed` alone. `tf.random.statelessUniform`. */
export const statelessUniform = defineOp("random.statelessUniform", function statelessUniform(shape: readonly number[], seed: StatelessSeed, options?: StatelessUniformOptions): Tensor {
  const fn = "tf.random.statelessUniform";
  const opts = checkOptions(options, "StatelessRandomUniform", fn);
  const dtype = checkRandomDtype(opts.dtype ?? "float32", ["float32", "float64", "int32"] as const, "StatelessRandomUniform", fn);
  if (dtype === "int32") return uniformInt(shape, opts, "StatelessRandomUniformInt", statelessRunner(seed, "StatelessRandomUniformInt"));
  return uniformFloat(shape, dtype, opts, "StatelessRandomUniform", statelessRunner(seed, "StatelessRandomUniform"));
}, { method: false, args: 3, options: UNIFORM_KEYS });

/** `tf.random.normal`'s values, determined by `seed` alone. `tf.random.statelessNormal`. */
export const statelessNormal = defineOp("random.statelessNormal", function statelessNormal(shape: readonly number[], seed: StatelessSeed, options?: StatelessNormalOptions): Tensor {
  const op = "StatelessRandomNormal";
  return generateNormal(shape, options, op, "tf.random.statelessNormal", false, statelessRunner(seed, op));
}, { method: false, args: 3, options: NORMAL_KEYS });

/** `tf.random.truncatedNormal`'s values, determined by `seed` alone. `tf.random.statelessTruncatedNormal`. */
export const statelessTruncatedNormal = defineOp("random.statelessTruncatedNormal", function statelessTruncatedNormal(shape: readonly number[], seed: StatelessSeed, options?: StatelessNormalOptions): Tensor {
  const op = "StatelessTruncatedNormal";
  return generateNormal(shape, options, op, "tf.random.statelessTruncatedNormal", true, statelessRunner(seed, op));
}, { method: false, args: 3, options: NORMAL_KEYS });

/** `tf.random.categorical`'s draws, determined by `seed` alone. `tf.random.statelessCategorical`. */
export const statelessCategorical = defineOp("random.statelessCategorical", function statelessCategorical(logits: TensorLike, numSamples: number, seed: StatelessSeed, options?: StatelessCategoricalOptions): Tensor {
  const op = "StatelessMultinomial";
  const fn = "tf.random.statelessCategorical";
  const opts = checkOptions(options, op, fn);
  return drawCategorical(logits, numSamples, opts, op, fn, statelessRunner(seed, op));
}, { method: false, args: 4, options: CATEGORICAL_KEYS });
