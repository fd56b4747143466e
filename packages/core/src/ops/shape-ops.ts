/**
 * Shape utilities as ops: `tf.broadcastDynamicShape`, `tf.ensureShape` and `tf.unravelIndex`.
 * Small integer inputs (shapes, flat indices) are read to the host to be checked, as TensorFlow's
 * CPU kernels check them.
 */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import type { ShapeLike } from "../shape.js";
import { TensorShape, broadcastShapes, describeDims } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { floorDiv, mod } from "./binary.js";
import { composite } from "./composite-utils.js";
import { stack } from "./concat.js";
import { identity } from "./identity.js";
import { checkDtype } from "./op-utils.js";
import { defineOp } from "./table/define.js";

/** The int32 values of a 1-D shape argument (array or tensor), read synchronously. */
function readVector(x: TensorLike, op: string, name: string): number[] {
  const t = toTensor(x, op, "int32");
  try {
    checkDtype(op, t.dtype, ["int32"]);
    if (t.rank !== 1) throw new InvalidArgumentError(opMessage(op, `${name} must be 1-D, got shape ${describeDims(t.shape)}`));
    return Array.from(t.dataSync() as Int32Array);
  } finally {
    if (t !== x) t.dispose();
  }
}

/**
 * The broadcast shape of two shapes given as 1-D int32 tensors or arrays (TensorFlow's
 * `tf.broadcast_dynamic_shape`), as a 1-D int32 tensor; incompatible shapes raise
 * `InvalidArgumentError`. `tf.broadcastDynamicShape([2, 1, 3], [4, 1])` → `[2, 4, 3]`.
 */
export const broadcastDynamicShape = defineOp("broadcastDynamicShape", function broadcastDynamicShape(shapeX: TensorLike, shapeY: TensorLike): Tensor {
  const op = "BroadcastArgs";
  const a = readVector(shapeX, op, "shapeX");
  const b = readVector(shapeY, op, "shapeY");
  for (const v of [...a, ...b]) if (v < 0) throw new InvalidArgumentError(opMessage(op, `shapes must be non-negative, got ${describeDims(a)} and ${describeDims(b)}`));
  const out = broadcastShapes(a, b, op);
  return ENGINE.upload(Int32Array.from(out), [out.length], "int32");
}, { method: false });

/**
 * `x` unchanged if its shape is compatible with `shape` (TensorFlow's `tf.ensure_shape`), else
 * `InvalidArgumentError`. `shape` may leave dimensions unknown (`null`) or be `null` (any shape);
 * a `TensorShape` works too. Any dtype; gradients flow through.
 */
export const ensureShape = defineOp("ensureShape", function ensureShape(x: TensorLike, shape: ShapeLike): Tensor {
  const op = "EnsureShape";
  const want = new TensorShape(shape);
  return composite([x], op, ([t]) => {
    if (!want.isCompatibleWith(t!.shape)) {
      throw new InvalidArgumentError(opMessage(op, `Shape of tensor ${describeDims(t!.shape)} is not compatible with expected shape ${want.dims === null ? "<unknown>" : describeDims(want.dims)}.`));
    }
    return identity(t!);
  });
});

/**
 * Converts flat indices into coordinate arrays of a shape `dims` (TensorFlow's `tf.unravel_index`):
 * for int32 `indices` of shape `[]` or `[n]`, returns int32 `[dims.length]` or `[dims.length, n]`.
 * Each index must be in `[0, Π dims)` (the indices are read synchronously to check this).
 * `tf.unravelIndex([22, 41, 37], [7, 6])` → `[[3, 6, 6], [4, 5, 1]]`.
 */
export const unravelIndex = defineOp("unravelIndex", function unravelIndex(indices: TensorLike, dims: TensorLike): Tensor {
  const op = "UnravelIndex";
  const shape = readVector(dims, op, "dims");
  if (shape.some((d) => d <= 0)) throw new InvalidArgumentError(opMessage(op, `dims must be positive, got ${describeDims(shape)}`));
  const size = shape.reduce((a, b) => a * b, 1);
  return composite([], op, () => {
    const idx = toTensor(indices, op, "int32");
    checkDtype(op, idx.dtype, ["int32"]);
    if (idx.rank > 1) throw new InvalidArgumentError(opMessage(op, `indices must be a scalar or 1-D, got shape ${describeDims(idx.shape)}`));
    for (const v of idx.dataSync() as Int32Array) {
      if (v < 0 || v >= size) throw new InvalidArgumentError(opMessage(op, `index ${v} is out of bounds for an array of shape ${describeDims(shape)} (size ${size})`));
    }
    let stride = size;
    const rows = shape.map((d) => {
      stride /= d;
      return mod(floorDiv(idx, stride), d);
    });
    return stack(rows, 0);
  });
}, { method: false });
