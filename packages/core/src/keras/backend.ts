/** `tf.keras.backend`: session-wide Keras state and Keras's backend functions. */
import { ValueError } from "../errors.js";
import { tidy } from "../engine/tidy.js";
import { matmul } from "../ops/matmul.js";
import { reshape } from "../ops/reshape.js";
import { transpose } from "../ops/transpose.js";
import { formatShapeTuple } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { resetNames } from "./naming.js";
import { EPSILON } from "./losses.js";

/** Forgets generated layer names, so the next Dense is `dense` again (Keras's `clear_session`). */
export function clearSession(): void {
  resetNames();
}

/** The fuzz factor used by losses (1e-7). */
export function epsilon(): number {
  return EPSILON;
}

/**
 * Keras's `batch_dot`: for each example, the dot product of `x` and `y` over axis `axes[0]` of `x`
 * and `axes[1]` of `y` (axis 0 is the batch). `[b, m, k]·[b, k, n]` over `[2, 1]` is a batched
 * matmul `[b, m, n]`; two `[b, k]` vectors give `[b, 1]`.
 */
export function batchDot(x: TensorLike, y: TensorLike, axes?: number | readonly [number, number]): Tensor {
  return tidy(() => {
    const a = toTensor(x, "batchDot");
    const b = toTensor(y, "batchDot");
    if (a.rank < 2 || b.rank < 2) throw new ValueError(`batchDot needs inputs of rank ≥ 2, got shapes ${formatShapeTuple(a.shape)} and ${formatShapeTuple(b.shape)}`);
    const given = axes ?? [a.rank - 1, b.rank - 2 < 1 ? b.rank - 1 : b.rank - 2];
    const [ax, ay] = (typeof given === "number" ? [given, given] : given).map((v, i) => (v < 0 ? v + (i === 0 ? a.rank : b.rank) : v)) as [number, number];
    if (ax <= 0 || ay <= 0 || ax >= a.rank || ay >= b.rank) {
      throw new ValueError(`batchDot: axes ${JSON.stringify(axes)} must name non-batch axes of shapes ${formatShapeTuple(a.shape)} and ${formatShapeTuple(b.shape)}`);
    }
    if (a.shape[0] !== b.shape[0] || a.shape[ax] !== b.shape[ay]) {
      throw new ValueError(`batchDot: cannot do a dot product between shapes ${formatShapeTuple(a.shape)} and ${formatShapeTuple(b.shape)} over axes [${ax}, ${ay}]`);
    }
    // x → [b, rest of x, k], y → [b, k, rest of y], then one batched matmul.
    const xRest = a.shape.filter((_, i) => i !== 0 && i !== ax);
    const yRest = b.shape.filter((_, i) => i !== 0 && i !== ay);
    const xt = transpose(a, [0, ...a.shape.map((_, i) => i).filter((i) => i !== 0 && i !== ax), ax]);
    const yt = transpose(b, [0, ay, ...b.shape.map((_, i) => i).filter((i) => i !== 0 && i !== ay)]);
    const k = a.shape[ax]!;
    const m = xRest.reduce((p, d) => p * d, 1);
    const n = yRest.reduce((p, d) => p * d, 1);
    const out = matmul(reshape(xt, [a.shape[0]!, m, k]), reshape(yt, [b.shape[0]!, k, n]));
    const shape = [a.shape[0]!, ...xRest, ...yRest];
    return reshape(out, shape.length === 1 ? [a.shape[0]!, 1] : shape);
  });
}
