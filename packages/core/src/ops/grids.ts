/** `tf.linspace` and `tf.meshgrid`, written from range, broadcasting and concat. */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { optionKeys } from "../options.js";
import { broadcastShapes, normalizeAxis } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { add, multiply, realdiv, subtract } from "./binary.js";
import { cast } from "./cast.js";
import { checkInt, composite, sliceAxis } from "./composite-utils.js";
import { concat } from "./concat.js";
import { range } from "./creation.js";
import { FLOAT, checkDtype, disposeTemps } from "./op-utils.js";
import { expandDims, reshape } from "./reshape.js";
import { broadcastTo } from "./tile.js";
import { transpose } from "./transpose.js";
import { tidy } from "../engine/tidy.js";
import { defineOp } from "./table/define.js";

/** Options of `tf.linspace`. */
export interface LinspaceOptions {
  /** Where the new axis of `num` values goes in the result (default 0). */
  axis?: number;
}
const LINSPACE_KEYS = optionKeys<LinspaceOptions>()("axis");

/**
 * `num` evenly spaced values from `start` to `stop`, both included (TensorFlow's `tf.linspace`, also
 * `tf.lin_space`). `start` and `stop` may be tensors, which broadcast: the values run along a new axis
 * `axis`. float32 (plain numbers) or float64 tensors; `tf.linspace(0, 1, 5)` → `[0, 0.25, 0.5, 0.75, 1]`.
 */
export const linspace = defineOp("linspace", function linspace(start: TensorLike, stop: TensorLike, num: number, options: LinspaceOptions = {}): Tensor {
  checkInt("LinSpace", "num", num, 0);
  // Two plain numbers give float32 (TensorFlow's default float), even when they are integers.
  const first = typeof start === "number" && typeof stop === "number" ? toTensor(start, "LinSpace", "float32") : null;
  try {
    return linspaceOf(first ?? start, stop, num, options);
  } finally {
    first?.dispose();
  }
}, { args: 4, method: false, options: LINSPACE_KEYS });

function linspaceOf(start: TensorLike, stop: TensorLike, num: number, options: LinspaceOptions): Tensor {
  return composite([start, stop], "LinSpace", ([a, b]) => {
    checkDtype("LinSpace", a!.dtype, FLOAT);
    const shape = broadcastShapes(a!.shape, b!.shape, "LinSpace");
    const axis = normalizeAxis(options.axis ?? 0, shape.length + 1, "LinSpace");
    const lo = broadcastTo(a!, shape);
    const hi = broadcastTo(b!, shape);
    let y: Tensor;
    if (num <= 1) {
      y = num === 1 ? expandDims(lo, 0) : sliceAxis(expandDims(lo, 0), 0, 0, 0);
    } else {
      const idx = reshape(cast(range(0, num - 1, 1, "int32"), a!.dtype), [num - 1, ...shape.map(() => 1)]);
      const delta = realdiv(subtract(hi, lo), num - 1);
      y = concat([add(lo, multiply(idx, delta)), expandDims(hi, 0)], 0);
    }
    if (axis === 0) return y;
    const perm = Array.from({ length: shape.length }, (_, i) => i + 1);
    perm.splice(axis, 0, 0);
    return transpose(y, perm);
  });
}

/** Options of `tf.meshgrid`. */
export interface MeshgridOptions {
  /** `"xy"` (Cartesian, the default: the first two output axes are swapped) or `"ij"` (matrix indexing). */
  indexing?: "xy" | "ij";
}
const MESHGRID_KEYS = optionKeys<MeshgridOptions>()("indexing");

/**
 * Coordinate grids from 1-D coordinate vectors (TensorFlow's `tf.meshgrid`, which takes them as
 * separate arguments; here they come as one array): for N inputs of sizes s₀…sₙ₋₁ each output has
 * shape `[s₁, s₀, s₂, …]` (`"xy"`) or `[s₀, s₁, …]` (`"ij"`). Inputs of higher rank are flattened.
 */
export const meshgrid = defineOp("meshgrid", function meshgrid(args: readonly TensorLike[], options: MeshgridOptions = {}): Tensor[] {
  const indexing = options.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij") throw new InvalidArgumentError(opMessage("Meshgrid", `indexing must be "xy" or "ij", got ${JSON.stringify(indexing)}`));
  if (!Array.isArray(args)) throw new InvalidArgumentError(opMessage("Meshgrid", "args must be an array of tensors"));
  const ts = args.map((x) => toTensor(x, "Meshgrid"));
  try {
    const dtype = ts[0]?.dtype;
    for (const t of ts) {
      if (t.dtype !== dtype) throw new InvalidArgumentError(opMessage("Meshgrid", `every input must have the same dtype, got ${dtype} and ${t.dtype}`));
    }
    const sizes = ts.map((t) => t.size);
    const n = ts.length;
    // Output position of input i.
    const pos = (i: number) => (indexing === "xy" && n >= 2 && i < 2 ? 1 - i : i);
    const shape = new Array<number>(n);
    sizes.forEach((s, i) => { shape[pos(i)] = s; });
    return tidy(() => ts.map((t, i) => {
      const view = shape.map((_, k) => (k === pos(i) ? sizes[i]! : 1));
      return broadcastTo(reshape(t, view), shape);
    }));
  } finally {
    disposeTemps(args, ts);
  }
}, { args: 2, method: false, options: MESHGRID_KEYS });
