/** Identity-like ops that share the input's buffer. */
import { ENGINE } from "../engine/engine.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { defineOp } from "./table/define.js";

/** A new tensor with the same value; gradients flow through it. */
export const identity = defineOp("identity", function identity(x: TensorLike): Tensor {
  const t = toTensor(x, "Identity");
  try {
    return ENGINE.runView("Identity", t, t.shape.slice(), {});
  } finally {
    if (t !== x) t.dispose();
  }
}, { method: false });

/** The same value, but no gradient flows through it (on every tape). */
export const stopGradient = defineOp("stopGradient", function stopGradient(x: TensorLike): Tensor {
  const t = toTensor(x, "StopGradient");
  try {
    return ENGINE.untaped(() => ENGINE.runView("Identity", t, t.shape.slice(), {}));
  } finally {
    if (t !== x) t.dispose();
  }
}, { method: false });
