/** Joining and splitting along an axis: concat, stack, unstack, split. Gradient of Concat in concat.grad.ts. */
import { InvalidArgumentError, ValueError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { describeDims, normalizeAxis, sizeFromShape } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor, toTensors } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { disposeTemps } from "./op-utils.js";
import { expandDims, reshape } from "./reshape.js";
import { slice } from "./slice.js";
import { defineOp } from "./table/define.js";

/** Joins tensors along `axis`; every other dimension must match. */
export const concat = defineOp("concat", function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError(opMessage("ConcatV2", "concat expects a non-empty array of tensors"));
  const ts = toTensors(xs, "ConcatV2");
  try {
    const rank = ts[0]!.rank;
    if (rank === 0) throw new InvalidArgumentError(opMessage("ConcatV2", "Can't concatenate scalars (use tf.stack instead)"));
    const ax = normalizeAxis(axis, rank, "ConcatV2");
    const outShape = ts[0]!.shape.slice();
    outShape[ax] = 0;
    for (let i = 0; i < ts.length; i++) {
      const s = ts[i]!.shape;
      const mismatch = s.length !== rank || s.some((d, j) => j !== ax && d !== ts[0]!.shape[j]);
      if (mismatch) {
        throw new InvalidArgumentError(
          opMessage("ConcatV2", `ConcatOp : Dimensions of inputs should match: shape[0] = ${describeDims(ts[0]!.shape)} vs. shape[${i}] = ${describeDims(s)}`),
        );
      }
      outShape[ax] += s[ax]!;
    }
    if (ts.length === 1) return ENGINE.runView("Identity", ts[0]!, outShape, {});
    const outer = sizeFromShape(outShape.slice(0, ax));
    const views = ts.map((t) => [outer, sizeFromShape(t.shape.slice(ax))]);
    const out = { shape: [outer, sizeFromShape(outShape.slice(ax))], dtype: ts[0]!.dtype };
    return ENGINE.runKernel("Concat", ts, {}, out, views, outShape);
  } finally {
    disposeTemps(xs, ts);
  }
}, { args: 2, method: false });

/** Stacks same-shaped tensors along a new axis. */
export const stack = defineOp("stack", function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError(opMessage("Pack", "stack expects a non-empty array of tensors"));
  const ts = toTensors(xs, "Pack");
  const expanded: Tensor[] = [];
  try {
    for (let i = 1; i < ts.length; i++) {
      if (ts[i]!.shape.join() !== ts[0]!.shape.join()) {
        throw new InvalidArgumentError(
          opMessage("Pack", `Shapes of all inputs must match: values[0].shape = ${describeDims(ts[0]!.shape)} != values[${i}].shape = ${describeDims(ts[i]!.shape)}`),
        );
      }
    }
    const ax = normalizeAxis(axis, ts[0]!.rank + 1, "Pack");
    for (const t of ts) expanded.push(expandDims(t, ax));
    return concat(expanded, ax);
  } finally {
    for (const e of expanded) e.dispose();
    disposeTemps(xs, ts);
  }
}, { args: 2, method: false });

/** Splits along `axis` into `x.shape[axis]` tensors without that axis. */
export const unstack = defineOp("unstack", function unstack(x: TensorLike, axis = 0): Tensor[] {
  const t = toTensor(x, "Unpack");
  try {
    if (t.rank === 0) throw new ValueError(opMessage("Unpack", "Can't unstack a scalar"));
    const ax = normalizeAxis(axis, t.rank, "Unpack");
    const outShape = t.shape.filter((_, i) => i !== ax);
    // TensorFlow: unstacking along an axis of size 0 gives no tensors.
    if (t.shape[ax] === 0) return [];
    return split(t, t.shape[ax]!, ax).map((piece) => {
      const r = reshape(piece, outShape);
      piece.dispose();
      return r;
    });
  } finally {
    if (t !== x) t.dispose();
  }
}, { args: 2 });

/**
 * Splits along `axis` into `numOrSizes` equal pieces, or pieces of the given sizes (one may be -1).
 */
export const split = defineOp("split", function split(x: TensorLike, numOrSizes: number | readonly number[], axis = 0): Tensor[] {
  const t = toTensor(x, "SplitV");
  try {
    const ax = normalizeAxis(axis, t.rank, "SplitV");
    const dim = t.shape[ax]!;
    let sizes: number[];
    if (typeof numOrSizes === "number") {
      if (!Number.isInteger(numOrSizes) || numOrSizes <= 0 || dim % numOrSizes !== 0) {
        throw new InvalidArgumentError(
          opMessage("Split", `Number of ways to split should evenly divide the split dimension, but got split_dim ${ax} (size = ${dim}) and num_split ${numOrSizes}`),
        );
      }
      sizes = new Array<number>(numOrSizes).fill(dim / numOrSizes);
    } else {
      sizes = [...numOrSizes];
      const unknown = sizes.indexOf(-1);
      const known = sizes.reduce((a, s) => (s === -1 ? a : a + s), 0);
      if (unknown >= 0) sizes[unknown] = dim - known;
      if (sizes.some((s) => !Number.isInteger(s) || s < 0) || sizes.reduce((a, s) => a + s, 0) !== dim || sizes.filter((s) => s === -1).length > 1) {
        throw new InvalidArgumentError(
          opMessage("SplitV", `Determined shape must either match input shape along split_dim exactly if fully specified, or be less than the size of the input along split_dim if not fully specified. Got: [${numOrSizes.join(", ")}] for split_dim of size ${dim}`),
        );
      }
    }
    const out: Tensor[] = [];
    let start = 0;
    for (const s of sizes) {
      const begin = t.shape.map((_, i) => (i === ax ? start : 0));
      const size = t.shape.map((d, i) => (i === ax ? s : d));
      out.push(slice(t, begin, size));
      start += s;
    }
    return out;
  } finally {
    if (t !== x) t.dispose();
  }
}, { args: 3 });
