/** Contiguous slicing and constant padding. Gradients in slice.grad.ts. */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { describeDims } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
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

/** Pads with `constantValue`: `paddings[i] = [before, after]` for axis i. */
export const pad = defineOp("pad", function pad(x: TensorLike, paddings: readonly (readonly [number, number])[], constantValue = 0): Tensor {
  const t = toTensor(x, "PadV2");
  try {
    if (!Array.isArray(paddings) || paddings.length !== t.rank || paddings.some((p) => !Array.isArray(p) || p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))) {
      throw new InvalidArgumentError(
        opMessage("PadV2", `paddings must be ${t.rank} pairs of non-negative integers [before, after] for input shape ${describeDims(t.shape)}, got ${JSON.stringify(paddings)}`),
      );
    }
    if (t.dtype === "int32" && !Number.isInteger(constantValue)) {
      throw new InvalidArgumentError(opMessage("PadV2", `constantValue ${constantValue} is not an integer, but the input is int32`));
    }
    const outShape = t.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
    return ENGINE.runKernel("Pad", [t], { paddings, constantValue }, { shape: outShape, dtype: t.dtype });
  } finally {
    if (t !== x) t.dispose();
  }
}, { args: 3 });
