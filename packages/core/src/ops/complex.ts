/** complex64 construction and parts. Gradients in complex.grad.ts. */
import { ENGINE } from "../engine/engine.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkDtype, runBroadcast, withTensors } from "./op-utils.js";
import { defineOp } from "./table/define.js";

/** complex64 from float32 real and imaginary parts (broadcast together). */
export const complex = defineOp("complex", function complex(real: TensorLike, imag: TensorLike): Tensor {
  return withTensors([real, imag], "Complex", ([re, im]) => {
    checkDtype("Complex", re!.dtype, ["float32"]);
    return runBroadcast("Complex", [re!, im!], "complex64");
  });
}, { method: false });

function part(k: "Real" | "Imag" | "Conj", x: TensorLike): Tensor {
  const t = toTensor(x, k);
  try {
    if (t.dtype !== "complex64") {
      checkDtype(k, t.dtype, ["int32", "float32", "float64"]);
      // For real tensors TensorFlow's real() and conj() are the identity, imag() is zero.
      if (k === "Imag") return ENGINE.runKernel("Fill", [], { value: 0 }, { shape: t.shape, dtype: t.dtype });
      return ENGINE.runView("Identity", t, t.shape.slice(), {});
    }
    return ENGINE.runKernel(k, [t], {}, { shape: t.shape, dtype: k === "Conj" ? "complex64" : "float32" });
  } finally {
    if (t !== x) t.dispose();
  }
}

/** Real part (float32) of a complex64 tensor; the tensor itself for real dtypes. */
export const real = defineOp("real", (x: TensorLike): Tensor => part("Real", x), { paths: ["math.real"] });
/** Imaginary part (float32) of a complex64 tensor; zeros for real dtypes. */
export const imag = defineOp("imag", (x: TensorLike): Tensor => part("Imag", x), { paths: ["math.imag"] });
/** Complex conjugate; the identity for real dtypes. */
export const conj = defineOp("conj", (x: TensorLike): Tensor => part("Conj", x), { paths: ["math.conj"] });
