/** `tf.reverse` and `tf.roll`, written from gather, slice and concat. */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { normalizeAxis } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { composite, distinctAxes, reverseAxis, sliceAxis } from "./composite-utils.js";
import { concat } from "./concat.js";
import { identity } from "./identity.js";
import { defineOp } from "./table/define.js";

/**
 * Reverses `tensor` along each axis of `axis` (TensorFlow's `tf.reverse`; an axis may be negative,
 * and may not repeat). Any dtype. `tf.reverse([[1, 2], [3, 4]], [1])` → `[[2, 1], [4, 3]]`.
 */
export const reverse = defineOp("reverse", function reverse(tensor: TensorLike, axis: number | readonly number[]): Tensor {
  return composite([tensor], "ReverseV2", ([t]) => {
    const axes = distinctAxes(axis, t!.rank, "ReverseV2");
    let y = t!;
    for (const a of axes) y = reverseAxis(y, a);
    return y === t ? identity(t!) : y;
  });
});

/**
 * Rolls the elements of `input` by `shift` along `axis` (TensorFlow's `tf.roll`): elements shifted
 * past the end come back at the start. `shift` and `axis` are integers or equal-length arrays; shifts
 * along a repeated axis add up. Any dtype. `tf.roll([0, 1, 2, 3, 4], 2, 0)` → `[3, 4, 0, 1, 2]`.
 */
export const roll = defineOp("roll", function roll(input: TensorLike, shift: number | readonly number[], axis: number | readonly number[]): Tensor {
  return composite([input], "Roll", ([t]) => {
    const shifts = typeof shift === "number" ? [shift] : [...shift];
    const axes = typeof axis === "number" ? [axis] : [...axis];
    if (shifts.length !== axes.length) {
      throw new InvalidArgumentError(opMessage("Roll", `shift and axis must have the same size, got ${JSON.stringify(shift)} and ${JSON.stringify(axis)}`));
    }
    const total = new Map<number, number>();
    shifts.forEach((s, i) => {
      if (!Number.isInteger(s)) throw new InvalidArgumentError(opMessage("Roll", `shift must be integers, got ${JSON.stringify(shift)}`));
      const a = normalizeAxis(axes[i]!, t!.rank, "Roll");
      total.set(a, (total.get(a) ?? 0) + s);
    });
    let y = t!;
    for (const [a, s] of total) {
      const n = y.shape[a]!;
      if (n === 0) continue;
      const k = ((s % n) + n) % n;
      if (k === 0) continue;
      y = concat([sliceAxis(y, a, n - k, k), sliceAxis(y, a, 0, n - k)], a);
    }
    return y === t ? identity(t!) : y;
  });
});
