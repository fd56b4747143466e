/** Repetition: tile and broadcastTo. Gradient of Tile in tile.grad.ts. */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { describeDims, shapesEqual } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { reshape } from "./reshape.js";
import { defineOp } from "./table/define.js";

/** Repeats `x` `reps[i]` times along axis i. */
export const tile = defineOp("tile", function tile(x: TensorLike, reps: readonly number[]): Tensor {
  const t = toTensor(x, "Tile");
  try {
    if (!Array.isArray(reps) || reps.length !== t.rank) {
      throw new InvalidArgumentError(opMessage("Tile", `Expected multiples argument to be a vector of length ${t.rank} but got length ${Array.isArray(reps) ? reps.length : String(reps)}`));
    }
    if (reps.some((r) => !Number.isInteger(r) || r < 0)) {
      throw new InvalidArgumentError(opMessage("Tile", `Expected multiples to be non-negative integers, but got [${reps.join(", ")}]`));
    }
    if (reps.every((r) => r === 1)) return ENGINE.runView("Identity", t, t.shape.slice(), {});
    return ENGINE.runKernel("Tile", [t], { reps }, { shape: t.shape.map((d, i) => d * reps[i]!), dtype: t.dtype });
  } finally {
    if (t !== x) t.dispose();
  }
});

/** Broadcasts `x` to `shape` with NumPy's rules (materialised). */
export const broadcastTo = defineOp("broadcastTo", function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = toTensor(x, "BroadcastTo");
  try {
    const rank = shape.length;
    const bad = () =>
      new InvalidArgumentError(opMessage("BroadcastTo", `Unable to broadcast tensor of shape ${describeDims(t.shape)} to tensor of shape ${describeDims(shape)}`));
    if (!Array.isArray(shape) || t.rank > rank || shape.some((d) => !Number.isInteger(d) || d < 0)) throw bad();
    const padded = [...new Array<number>(rank - t.rank).fill(1), ...t.shape];
    const reps = padded.map((d, i) => {
      if (d === shape[i]) return 1;
      if (d === 1) return shape[i]!;
      throw bad();
    });
    if (shapesEqual(t.shape, shape)) return ENGINE.runView("Identity", t, t.shape.slice(), {});
    const r = reshape(t, padded);
    try {
      return tile(r, reps);
    } finally {
      r.dispose();
    }
  } finally {
    if (t !== x) t.dispose();
  }
});
