/** Ops that only change how a buffer is viewed: reshape, expandDims, squeeze. Gradient in reshape.grad.ts. */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { describeDims, normalizeAxis, shapesEqual, sizeFromShape } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { defineOp } from "./table/define.js";

/** Resolves one `-1` and checks the element count. */
export function inferReshape(from: readonly number[], shape: readonly number[], op = "Reshape"): number[] {
  if (!Array.isArray(shape)) throw new InvalidArgumentError(opMessage(op, `shape must be an array, got ${String(shape)}`));
  const size = sizeFromShape(from);
  let unknown = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === -1) {
      if (unknown >= 0) throw new InvalidArgumentError(opMessage(op, `Only one input size may be -1, not both ${unknown} and ${i}`));
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new InvalidArgumentError(opMessage(op, `Size ${i} must be non-negative, not ${d}`));
    } else known *= d;
  }
  const out = shape.slice();
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new InvalidArgumentError(opMessage(op, `Input to reshape is a tensor with ${size} values, but the requested shape requires a multiple of ${known}`));
    }
    out[unknown] = size / known;
  } else if (known !== size) {
    throw new InvalidArgumentError(
      opMessage(op, `Input to reshape is a tensor with ${size} values, but the requested shape has ${known} (from ${describeDims(from)} to ${describeDims(shape)})`),
    );
  }
  return out;
}

/** The same elements in a new shape (one `-1` is inferred). Shares the buffer. */
export const reshape = defineOp("reshape", function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor(x, "Reshape");
  try {
    const s = inferReshape(t.shape, shape);
    return ENGINE.runView("Reshape", t, s, { shape: s });
  } finally {
    if (t !== x) t.dispose();
  }
});

/** Reshape that skips the view when the shape already matches (internal; the result may be `t` itself). */
export function reshapeIfNeeded(t: Tensor, shape: readonly number[]): Tensor {
  return shapesEqual(t.shape, shape) ? t : reshape(t, shape);
}

/** Inserts a dimension of size 1 at `axis` (negative counts from the end, `-1` appends). */
export const expandDims = defineOp("expandDims", function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = toTensor(x, "ExpandDims");
  try {
    const ax = normalizeAxis(axis, t.rank + 1, "ExpandDims");
    const s = t.shape.slice();
    s.splice(ax, 0, 1);
    return ENGINE.runView("Reshape", t, s, { shape: s });
  } finally {
    if (t !== x) t.dispose();
  }
}, { args: 2 });

/** Removes size-1 dimensions: all of them, or those in `axis` (each must have size 1). */
export const squeeze = defineOp("squeeze", function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = toTensor(x, "Squeeze");
  try {
    let drop: Set<number>;
    if (axis === undefined) {
      drop = new Set(t.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
    } else {
      drop = new Set((typeof axis === "number" ? [axis] : axis).map((a) => normalizeAxis(a, t.rank, "Squeeze")));
      for (const a of drop) {
        if (t.shape[a] !== 1) {
          throw new InvalidArgumentError(opMessage("Squeeze", `Can not squeeze dim[${a}], expected a dimension of 1, got ${t.shape[a]} (shape ${describeDims(t.shape)})`));
        }
      }
    }
    const s = t.shape.filter((_, i) => !drop.has(i));
    return ENGINE.runView("Reshape", t, s, { shape: s });
  } finally {
    if (t !== x) t.dispose();
  }
});
