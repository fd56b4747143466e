/** Contiguous slicing and constant padding. Gradients in slice.grad.ts. */
import { InvalidArgumentError, ValueError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { describeDims } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkOptions, optionKeys } from "../options.js";
import { checkPaddings, mirrorPadTensor } from "./mirror-pad.js";
import { defineOp } from "./table/define.js";

/** `x[begin[i] : begin[i] + size[i]]` on each axis; a size of -1 means "to the end". */
export const slice = defineOp("slice", function slice(x: TensorLike, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  const t = toTensor(x, "Slice");
  try {
    const rank = t.rank;
    const b = typeof begin === "number" ? [begin, ...new Array<number>(Math.max(rank - 1, 0)).fill(0)] : [...begin];
    const s = size === undefined ? new Array<number>(rank).fill(-1) : typeof size === "number" ? [size, ...new Array<number>(Math.max(rank - 1, 0)).fill(-1)] : [...size];
    if (b.length !== rank || s.length !== rank) {
      throw new InvalidArgumentError(opMessage("Slice", `Expected begin and size arguments to be 1-D tensors of size ${rank}, but got shapes [${b.length}] and [${s.length}] instead`));
    }
    const outShape = new Array<number>(rank);
    for (let i = 0; i < rank; i++) {
      const dim = t.shape[i]!;
      const bi = b[i]!;
      if (!Number.isInteger(bi) || bi < 0 || bi > dim) {
        throw new InvalidArgumentError(opMessage("Slice", `Expected begin[${i}] in [0, ${dim}], but got ${bi} (input shape ${describeDims(t.shape)})`));
      }
      const si = s[i] === -1 ? dim - bi : s[i]!;
      if (!Number.isInteger(si) || si < 0 || bi + si > dim) {
        throw new InvalidArgumentError(opMessage("Slice", `Expected size[${i}] in [0, ${dim - bi}], but got ${s[i]} (input shape ${describeDims(t.shape)}, begin ${bi})`));
      }
      outShape[i] = si;
    }
    if (outShape.every((d, i) => d === t.shape[i])) return ENGINE.runView("Identity", t, outShape, {});
    return ENGINE.runKernel("Slice", [t], { begin: b }, { shape: outShape, dtype: t.dtype });
  } finally {
    if (t !== x) t.dispose();
  }
});

/** Options of `tf.pad(x, paddings, options)`: TensorFlow's `mode` and `constant_values`. */
export interface PadOptions {
  /** `"CONSTANT"` (default), `"REFLECT"` or `"SYMMETRIC"`, in any case (see `tf.mirrorPad`). */
  mode?: "CONSTANT" | "REFLECT" | "SYMMETRIC" | "constant" | "reflect" | "symmetric";
  /** The value CONSTANT padding fills with (default 0). */
  constantValues?: number;
}
const PAD_KEYS = optionKeys<PadOptions>()("mode", "constantValues");

/**
 * Pads `x` (TensorFlow's `tf.pad`): `paddings[i] = [before, after]` for axis i. The third argument
 * is the constant to pad with (default 0), or `{ mode, constantValues }`: mode `"CONSTANT"` pads
 * with `constantValues`, `"REFLECT"` and `"SYMMETRIC"` with mirror images of `x` (as `tf.mirrorPad`,
 * with TensorFlow's limits: each padding below the axis's size for REFLECT, at most it for
 * SYMMETRIC). `tf.pad([1, 2, 3], [[1, 2]], { mode: "symmetric" })` → `[1, 1, 2, 3, 3, 2]`.
 */
export const pad = defineOp("pad", function pad(x: TensorLike, paddings: readonly (readonly [number, number])[], constantValue: number | PadOptions = 0): Tensor {
  let value: number;
  let mode: "CONSTANT" | "REFLECT" | "SYMMETRIC" = "CONSTANT";
  if (typeof constantValue === "number") {
    value = constantValue;
  } else {
    checkOptions("pad", constantValue, PAD_KEYS);
    const m: unknown = constantValue.mode === undefined ? "CONSTANT" : typeof constantValue.mode === "string" ? constantValue.mode.toUpperCase() : constantValue.mode;
    if (m !== "CONSTANT" && m !== "REFLECT" && m !== "SYMMETRIC") {
      throw new ValueError(opMessage("PadV2", `mode must be one of "CONSTANT", "REFLECT" or "SYMMETRIC" (in any case), got ${JSON.stringify(constantValue.mode)}`));
    }
    mode = m;
    // As in TensorFlow, constantValues only matters in CONSTANT mode.
    value = constantValue.constantValues ?? 0;
  }
  if (typeof value !== "number") throw new InvalidArgumentError(opMessage("PadV2", `constantValues must be a number, got ${JSON.stringify(value)}`));
  const t = toTensor(x, "PadV2");
  try {
    if (mode !== "CONSTANT") return mirrorPadTensor(t, paddings, mode);
    checkPaddings("PadV2", paddings, t.shape);
    if (t.dtype === "int32" && !Number.isInteger(value)) {
      throw new InvalidArgumentError(opMessage("PadV2", `constantValue ${value} is not an integer, but the input is int32`));
    }
    const outShape = t.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
    return ENGINE.runKernel("Pad", [t], { paddings, constantValue: value }, { shape: outShape, dtype: t.dtype });
  } finally {
    if (t !== x) t.dispose();
  }
}, { args: 3 });
