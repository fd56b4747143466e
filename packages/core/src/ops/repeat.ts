/** `tf.repeat`, written from reshape/tile/gather; its gradient comes from those ops. */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { optionKeys } from "../options.js";
import { normalizeAxis } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { constant } from "./creation.js";
import { gather } from "./gather.js";
import { Temps } from "./op-utils.js";
import { expandDims, reshape } from "./reshape.js";
import { tile } from "./tile.js";
import { defineOp } from "./table/define.js";

/** Options of `tf.repeat`. */
export interface RepeatOptions {
  /** Axis to repeat along (default: the input is flattened and repeated along its only axis). */
  axis?: number;
}
const REPEAT_KEYS = optionKeys<RepeatOptions>()("axis");

/**
 * Repeats each element of `input` along `axis` (TensorFlow's `tf.repeat`, NumPy's `np.repeat`):
 * `repeats` is one count for every element, or one count per element of that axis.
 * `tf.repeat([[1, 2], [3, 4]], 2, { axis: 1 })` → `[[1, 1, 2, 2], [3, 3, 4, 4]]`.
 */
export const repeat = defineOp("repeat", function repeat(input: TensorLike, repeats: number | readonly number[], options: RepeatOptions = {}): Tensor {
  const t = toTensor(input, "Repeat");
  const tmp = new Temps();
  try {
    const x = options.axis === undefined ? tmp.keep(reshape(t, [-1])) : t;
    const axis = normalizeAxis(options.axis ?? 0, x.rank, "Repeat");
    const n = x.shape[axis]!;
    const bad = (what: string) => new InvalidArgumentError(opMessage("Repeat", `${what}, got ${JSON.stringify(repeats)} for an axis of size ${n}`));
    if (typeof repeats === "number") {
      if (!Number.isInteger(repeats) || repeats < 0) throw bad("repeats must be a non-negative integer");
      // [.., n, ..] → [.., n, 1, ..] → tiled [.., n, r, ..] → [.., n·r, ..]
      const e = tmp.keep(expandDims(x, axis + 1));
      const reps = e.shape.map((_, i) => (i === axis + 1 ? repeats : 1));
      const shape = x.shape.slice();
      shape[axis] = n * repeats;
      return reshape(tmp.keep(tile(e, reps)), shape);
    }
    if (!Array.isArray(repeats)) throw bad("repeats must be an integer or an array of integers");
    if (repeats.length === 1) return repeat(x, repeats[0]!, { axis });
    if (repeats.length !== n) throw bad(`repeats must have one count per element (${n})`);
    const indices: number[] = [];
    repeats.forEach((r, i) => {
      if (!Number.isInteger(r) || r < 0) throw bad("repeats must be non-negative integers");
      for (let k = 0; k < r; k++) indices.push(i);
    });
    return gather(x, tmp.keep(constant(new Int32Array(indices))), axis);
  } finally {
    tmp.dispose();
    if (t !== input) t.dispose();
  }
}, { args: 3, options: REPEAT_KEYS });
