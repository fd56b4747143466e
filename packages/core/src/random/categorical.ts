/** `tf.random.categorical`: class indices drawn from the softmax of each row of logits (host float64). */
import { ENGINE } from "../engine/engine.js";
import { InvalidArgumentError, opMessage } from "../errors.js";
import { optionKeys } from "../options.js";
import { defineOp } from "../ops/table/define.js";
import { formatShapeTuple } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkOptions, checkRandomDtype } from "./options.js";
import { readParam } from "./params.js";
import type { StreamRunner } from "./seed.js";
import { statefulRunner } from "./seed.js";

/** Options of `tf.random.categorical`. */
export interface CategoricalOptions {
  /** "int32" (the default; TensorFlow's default int64 is not a Tessera dtype). */
  dtype?: "int32";
  /** Op seed; see `setSeed` for how it combines with the global seed. */
  seed?: number;
}
const CATEGORICAL_KEYS = optionKeys<CategoricalOptions>()("dtype", "seed");

/**
 * `numSamples` class indices per row of `logits` (`[batchSize, numClasses]`, unnormalized log
 * probabilities; -Infinity gives a class probability 0), as int32 `[batchSize, numSamples]`. The same
 * seeds give the same values on every backend. `tf.random.categorical`.
 */
export const categorical = defineOp("random.categorical", function categorical(logits: TensorLike, numSamples: number, options?: CategoricalOptions): Tensor {
  const op = "Multinomial";
  const opts = checkOptions(options, op, "tf.random.categorical");
  return drawCategorical(logits, numSamples, opts, op, "tf.random.categorical", statefulRunner(opts.seed, op));
}, { method: false, args: 3, options: CATEGORICAL_KEYS });

/** Class indices from the softmax of each row of `logits`, on the stream `run` gives (shared with `statelessCategorical`). */
export function drawCategorical(logits: TensorLike, numSamples: number, opts: Omit<CategoricalOptions, "seed">, op: string, fn: string, run: StreamRunner): Tensor {
  checkRandomDtype(opts.dtype ?? "int32", ["int32"] as const, op, fn);
  if (typeof numSamples !== "number" || !Number.isInteger(numSamples) || numSamples < 0 || numSamples > 2147483647) {
    throw new InvalidArgumentError(opMessage(op, `numSamples must be a non-negative int32 integer, got ${String(numSamples)}`));
  }
  const l = readParam(logits, "logits", op, (v) => !Number.isNaN(v) && v !== Infinity, "finite or -Infinity");
  if (l.shape.length !== 2) throw new InvalidArgumentError(opMessage(op, `logits should be a matrix [batchSize, numClasses], got shape ${formatShapeTuple(l.shape)}`));
  const [batch, classes] = l.shape as [number, number];
  if (classes === 0 && batch * numSamples > 0) throw new InvalidArgumentError(opMessage(op, "numClasses should be positive, got 0"));
  const cdfs: Float64Array[] = [];
  for (let r = 0; r < batch; r++) {
    const row = l.values.subarray(r * classes, (r + 1) * classes);
    const max = row.reduce((m, v) => Math.max(m, v), -Infinity);
    if (max === -Infinity) throw new InvalidArgumentError(opMessage(op, `row ${r} of logits is all -Infinity: no class can be drawn`));
    const cdf = new Float64Array(classes);
    let total = 0;
    for (let k = 0; k < classes; k++) cdf[k] = total += Math.exp(row[k]! - max);
    cdfs.push(cdf.map((c) => c / total));
  }
  const out = ENGINE.hostValues(op, [batch, numSamples], "int32");
  run((stream) => {
    for (let r = 0; r < batch; r++) {
      const cdf = cdfs[r]!;
      for (let s = 0; s < numSamples; s++) {
        const u = stream.nextFloat53();
        // First class whose cumulative probability exceeds u (never one of probability 0).
        let lo = 0, hi = classes - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cdf[mid]! > u) hi = mid;
          else lo = mid + 1;
        }
        out[r * numSamples + s] = lo;
      }
    }
  });
  return ENGINE.upload(out, [batch, numSamples], "int32", op);
}
