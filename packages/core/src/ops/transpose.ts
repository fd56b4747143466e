/** Axis permutation. Gradient in transpose.grad.ts. */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { defineOp } from "./table/define.js";

/** Permutes the axes: `out.shape[i] = x.shape[perm[i]]`; default reverses them. */
export const transpose = defineOp("transpose", function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = toTensor(x, "Transpose");
  try {
    const rank = t.rank;
    const p = perm ? perm.map((a) => (a < 0 ? a + rank : a)) : t.shape.map((_, i) => rank - 1 - i);
    const seen = new Set(p);
    if (p.length !== rank || seen.size !== rank || p.some((a) => !Number.isInteger(a) || a < 0 || a >= rank)) {
      throw new InvalidArgumentError(opMessage("Transpose", `perm [${perm?.join(",")}] is not a permutation of the ${rank} axes of a tensor of shape [${t.shape.join(",")}]`));
    }
    if (p.every((a, i) => a === i)) return ENGINE.runView("Identity", t, t.shape.slice(), {});
    return ENGINE.runKernel("Transpose", [t], { perm: p }, { shape: p.map((a) => t.shape[a]!), dtype: t.dtype });
  } finally {
    if (t !== x) t.dispose();
  }
});
