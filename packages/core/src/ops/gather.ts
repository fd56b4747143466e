/** Indexing: gather and oneHot. Gradient of Gather in gather.grad.ts. */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { normalizeAxis, sizeFromShape } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { add, multiply } from "./binary.js";
import { cast } from "./cast.js";
import { equal } from "./compare.js";
import { range } from "./creation.js";
import { checkDtype } from "./op-utils.js";
import { expandDims } from "./reshape.js";
import { defineOp } from "./table/define.js";

/**
 * Gathers slices of `x` along `axis` at `indices` (int32, any shape): the result has shape
 * `x.shape[:axis] + indices.shape + x.shape[axis+1:]`. An index outside `[0, x.shape[axis])` throws
 * where the backend can check it (js, wasm) and gives zeros on webgpu, as TensorFlow does on GPUs.
 */
export const gather = defineOp("gather", function gather(x: TensorLike, indices: TensorLike, axis = 0): Tensor {
  const t = toTensor(x, "GatherV2");
  let idx: Tensor;
  try {
    idx = toTensor(indices, "GatherV2", "int32");
  } catch (err) {
    if (t !== x) t.dispose();
    throw err;
  }
  try {
    checkDtype("GatherV2", idx.dtype, ["int32"]);
    if (t.rank === 0) throw new InvalidArgumentError(opMessage("GatherV2", "params must be at least 1 dimensional"));
    const ax = normalizeAxis(axis, t.rank, "GatherV2");
    const outShape = [...t.shape.slice(0, ax), ...idx.shape, ...t.shape.slice(ax + 1)];
    const outer = sizeFromShape(t.shape.slice(0, ax));
    const inner = sizeFromShape(t.shape.slice(ax + 1));
    const out = { shape: [outer, idx.size, inner], dtype: t.dtype };
    return ENGINE.runKernel("Gather", [t, idx], {}, out, [[outer, t.shape[ax]!, inner], [idx.size]], outShape);
  } finally {
    if (t !== x) t.dispose();
    if (idx !== indices) idx.dispose();
  }
}, { args: 3 });

/**
 * One-hot rows: `indices` (int32) → `[...indices.shape, depth]` float32 with 1 at each index; an index
 * outside `[0, depth)` (e.g. -1) gives a row of zeros.
 */
export const oneHot = defineOp("oneHot", function oneHot(indices: TensorLike, depth: number, onValue = 1, offValue = 0): Tensor {
  if (!Number.isInteger(depth) || depth < 0) throw new InvalidArgumentError(opMessage("OneHot", `depth must be a non-negative integer, got ${depth}`));
  const idx = toTensor(indices, "OneHot", "int32");
  const parts: Tensor[] = [];
  try {
    checkDtype("OneHot", idx.dtype, ["int32"]);
    // Checked before the depth-long range is made, so a huge depth names OneHot.
    ENGINE.checkAllocation("OneHot", [...idx.shape, depth], "float32");
    const e = expandDims(idx, -1);
    const r = range(0, depth, 1, "int32");
    const hit = equal(e, r);
    parts.push(e, r, hit);
    const hot = cast(hit, "float32");
    if (onValue === 1 && offValue === 0) return hot;
    parts.push(hot);
    const scaled = multiply(hot, onValue - offValue);
    parts.push(scaled);
    return add(scaled, offValue);
  } finally {
    for (const p of parts) p.dispose();
    if (idx !== indices) idx.dispose();
  }
}, { args: 4 });
