/** dtype conversion. Gradient in cast.grad.ts. */
import type { DType } from "../dtypes.js";
import { isDType } from "../dtypes.js";
import { DtypeError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { defineOp } from "./table/define.js";

/**
 * Converts `x` to `dtype`: float → int32 truncates toward zero, x → bool is `x != 0`, complex → real
 * keeps the real part. Casting to the same dtype returns a new tensor sharing the buffer.
 */
export const cast = defineOp("cast", function cast(x: TensorLike, dtype: DType): Tensor {
  if (!isDType(dtype)) throw new DtypeError(opMessage("Cast", `Unknown dtype ${JSON.stringify(dtype)}`));
  const t = toTensor(x, "Cast");
  try {
    if (t.dtype === dtype) return ENGINE.runView("Identity", t, t.shape, {});
    if (t.dtype === "string" || dtype === "string") {
      throw new DtypeError(opMessage("Cast", `Cast from ${t.dtype} to ${dtype} is not supported`));
    }
    return ENGINE.runKernel("Cast", [t], {}, { shape: t.shape, dtype });
  } finally {
    if (t !== x) t.dispose();
  }
}, { args: 2 });
