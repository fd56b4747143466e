/** Seeded permutations: `tf.random.permutation(n)` and `tf.random.shuffle(x)` along the first axis. */
import { ENGINE } from "../engine/engine.js";
import { InvalidArgumentError, opMessage } from "../errors.js";
import { gather } from "../ops/gather.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkOptions } from "./options.js";
import type { PhiloxStream } from "./philox.js";
import { withRandomStream } from "./seed.js";
import { optionKeys } from "../options.js";
import { defineOp } from "../ops/table/define.js";


/** Options of `tf.random.permutation` and `tf.random.shuffle`. */
export interface PermutationOptions {
  /** Op seed; see `setSeed` for how it combines with the global seed. */
  seed?: number;
}

/** A uniform permutation of 0…n-1 drawn from `stream` (Fisher–Yates with unbiased indices). */
export function permutationFrom(n: number, stream: PhiloxStream): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = stream.nextBelow(i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}

function drawPermutation(n: number, seed: number | undefined, op: string): Int32Array {
  ENGINE.checkAllocation(op, [n], "int32");
  return withRandomStream(seed, op, (stream) => permutationFrom(n, stream));
}

/**
 * A random permutation of `0 … n-1` as an int32 tensor of shape `[n]` (NumPy's
 * `rng.permutation(n)`), e.g. to shuffle a data set reproducibly: `tf.gather(x, perm)`.
 */
const PERMUTATION_KEYS = optionKeys<PermutationOptions>()("seed");

export const permutation = defineOp("random.permutation", function permutation(n: number, options?: PermutationOptions): Tensor {
  const op = "RandomPermutation";
  const opts = checkOptions(options, op, "tf.random.permutation");
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 2147483647) {
    throw new InvalidArgumentError(opMessage(op, `n must be a non-negative int32 integer, got ${String(n)}`));
  }
  return ENGINE.upload(drawPermutation(n, opts.seed, op), [n], "int32", op);
}, { method: false, options: PERMUTATION_KEYS });

/** `x` with its first dimension randomly shuffled (TensorFlow's `tf.random.shuffle`). */
export const shuffle = defineOp("random.shuffle", function shuffle(x: TensorLike, options?: PermutationOptions): Tensor {
  const op = "RandomShuffle";
  const opts = checkOptions(options, op, "tf.random.shuffle");
  const t = toTensor(x, op);
  try {
    if (t.rank === 0) throw new InvalidArgumentError(opMessage(op, "input must be at least 1-D, got shape []"));
    const perm = ENGINE.upload(drawPermutation(t.shape[0]!, opts.seed, op), [t.shape[0]!], "int32", op);
    try {
      return gather(t, perm, 0);
    } finally {
      perm.dispose();
    }
  } finally {
    if (t !== x) t.dispose();
  }
}, { method: false, options: PERMUTATION_KEYS });
