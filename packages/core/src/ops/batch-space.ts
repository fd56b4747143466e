/**
 * `tf.spaceToBatchNd` and `tf.batchToSpaceNd` (with TF2's `tf.spaceToBatch` and `tf.batchToSpace`),
 * written as pad/slice + reshape + transpose, so their gradients are each other's.
 */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { describeDims } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { composite } from "./composite-utils.js";
import { identity } from "./identity.js";
import { reshape } from "./reshape.js";
import { pad, slice } from "./slice.js";
import { defineOp } from "./table/define.js";
import { transpose } from "./transpose.js";

type Pairs = readonly (readonly [number, number])[];

/** Checks the block shape and the [M, 2] pairs against an input of `shape`. */
function checkBlock(op: string, what: string, shape: readonly number[], blockShape: unknown, pairs: unknown): { block: number[]; pairs: [number, number][] } {
  if (!Array.isArray(blockShape) || blockShape.length < 1 || blockShape.some((b: unknown) => typeof b !== "number" || !Number.isInteger(b) || b < 1)) {
    throw new InvalidArgumentError(opMessage(op, `blockShape must be a non-empty array of positive integers, got ${JSON.stringify(blockShape)}`));
  }
  const m = blockShape.length;
  if (shape.length < m + 1) throw new InvalidArgumentError(opMessage(op, `input rank should be > ${m} (the block rank), got shape ${describeDims(shape)}`));
  if (!Array.isArray(pairs) || pairs.length !== m || pairs.some((p: unknown) => !Array.isArray(p) || p.length !== 2 || p.some((v: unknown) => typeof v !== "number" || !Number.isInteger(v) || v < 0))) {
    throw new InvalidArgumentError(opMessage(op, `${what} must be ${m} pairs of non-negative integers, got ${JSON.stringify(pairs)}`));
  }
  return { block: [...(blockShape as number[])], pairs: (pairs as [number, number][]).map((p) => [p[0], p[1]]) };
}

function spaceToBatchImpl(op: string, input: TensorLike, blockShape: readonly number[], paddings: Pairs): Tensor {
  return composite([input], op, ([x]) => {
    const { block, pairs } = checkBlock(op, "paddings", x!.shape, blockShape, paddings);
    const m = block.length;
    const [batch, ...restAll] = x!.shape as [number, ...number[]];
    const spatial = restAll.slice(0, m);
    const rest = restAll.slice(m);
    const padded = spatial.map((d, i) => d + pairs[i]![0] + pairs[i]![1]);
    padded.forEach((d, i) => {
      if (d % block[i]! !== 0) {
        throw new InvalidArgumentError(opMessage(op, `padded shape of spatial dimension ${i} (${d}) must be divisible by blockShape[${i}] = ${block[i]}`));
      }
    });
    const y = pad(x!, [[0, 0], ...pairs, ...rest.map((): [number, number] => [0, 0])]);
    // [batch, p1/b1, b1, …, pM/bM, bM, rest…] → [b1, …, bM, batch, p1/b1, …, pM/bM, rest…]
    const split = reshape(y, [batch, ...padded.flatMap((d, i) => [d / block[i]!, block[i]!]), ...rest]);
    const perm = [...block.map((_, i) => 2 + 2 * i), 0, ...block.map((_, i) => 1 + 2 * i), ...rest.map((_, i) => 1 + 2 * m + i)];
    const out = reshape(transpose(split, perm), [batch * block.reduce((a, b) => a * b, 1), ...padded.map((d, i) => d / block[i]!), ...rest]);
    return out === x ? identity(x) : out;
  });
}

function batchToSpaceImpl(op: string, input: TensorLike, blockShape: readonly number[], crops: Pairs): Tensor {
  return composite([input], op, ([x]) => {
    const { block, pairs } = checkBlock(op, "crops", x!.shape, blockShape, crops);
    const m = block.length;
    const prod = block.reduce((a, b) => a * b, 1);
    const [bIn, ...restAll] = x!.shape as [number, ...number[]];
    if (bIn % prod !== 0) throw new InvalidArgumentError(opMessage(op, `input batch dimension (${bIn}) must be divisible by the product of blockShape (${prod})`));
    const batch = bIn / prod;
    const spatial = restAll.slice(0, m);
    const rest = restAll.slice(m);
    const full = spatial.map((d, i) => d * block[i]!);
    full.forEach((d, i) => {
      if (pairs[i]![0] + pairs[i]![1] > d) {
        throw new InvalidArgumentError(opMessage(op, `crops [${pairs[i]!.join(", ")}] for spatial dimension ${i} exceed its size ${d}`));
      }
    });
    // [b1, …, bM, batch, s1, …, sM, rest…] → [batch, s1, b1, …, sM, bM, rest…]
    const split = reshape(x!, [...block, batch, ...spatial, ...rest]);
    const perm = [m, ...spatial.flatMap((_, i) => [m + 1 + i, i]), ...rest.map((_, i) => 2 * m + 1 + i)];
    const joined = reshape(transpose(split, perm), [batch, ...full, ...rest]);
    const out = slice(joined, [0, ...pairs.map((p) => p[0]), ...rest.map(() => 0)], [batch, ...full.map((d, i) => d - pairs[i]![0] - pairs[i]![1]), ...rest]);
    return out === x ? identity(x) : out;
  });
}

/**
 * Zero-pads the M spatial axes after the batch axis of `input` by `paddings` ([M, 2]), then moves
 * blocks of `blockShape` ([M]) into the batch (TensorFlow's `tf.space_to_batch_nd`): `[batch,
 * s1…sM, rest…]` → `[batch·Πb, (s1+pad)/b1, …, rest…]`, the block offset varying slowest. Each padded
 * size must be divisible by its block. Any dtype.
 */
export const spaceToBatchNd = defineOp("spaceToBatchNd", function spaceToBatchNd(input: TensorLike, blockShape: readonly number[], paddings: Pairs): Tensor {
  return spaceToBatchImpl("SpaceToBatchND", input, blockShape, paddings);
});

/** TF2's `tf.space_to_batch`: the same op as `tf.spaceToBatchNd`. */
export const spaceToBatch = defineOp("spaceToBatch", function spaceToBatch(input: TensorLike, blockShape: readonly number[], paddings: Pairs): Tensor {
  return spaceToBatchImpl("SpaceToBatchND", input, blockShape, paddings);
});

/**
 * The inverse of `spaceToBatchNd` (TensorFlow's `tf.batch_to_space`, TensorFlow.js's
 * `tf.batchToSpaceND`): `[batch·Πb, s1…sM, rest…]` → `[batch, s1·b1 − crop, …, rest…]`, cropping
 * `crops` ([M, 2]) from each spatial axis. The batch must be divisible by Πb. Any dtype.
 */
export const batchToSpaceNd = defineOp("batchToSpaceNd", function batchToSpaceNd(input: TensorLike, blockShape: readonly number[], crops: Pairs): Tensor {
  return batchToSpaceImpl("BatchToSpaceND", input, blockShape, crops);
});

/** TF2's `tf.batch_to_space`: the same op as `tf.batchToSpaceNd`. */
export const batchToSpace = defineOp("batchToSpace", function batchToSpace(input: TensorLike, blockShape: readonly number[], crops: Pairs): Tensor {
  return batchToSpaceImpl("BatchToSpaceND", input, blockShape, crops);
});
