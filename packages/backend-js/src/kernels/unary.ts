/**
 * Elementwise unary kernels. Real dtypes run the generated loops (generated/unary-loops.ts: one function
 * per op and dtype, so V8 compiles each monomorphically); complex64 is handled here.
 */
import type { Kernels, UnaryKernelName } from "@tessera/core/kernel";
import { UNARY_KERNELS, kernelDtypeError, kernelsFor } from "@tessera/core/kernel";
import { alloc, valuesOf, wrap } from "../backend.js";
import { unaryLoops } from "./generated/unary-loops.js";

type Real = Float32Array | Float64Array | Int32Array | Uint8Array;

/** complex64 unary ops on interleaved [re, im] storage. */
function complexUnary(op: UnaryKernelName, x: Float32Array, o: Float32Array): void {
  const n = x.length >> 1;
  for (let i = 0; i < n; i++) {
    const re = x[2 * i]!;
    const im = x[2 * i + 1]!;
    let r: number;
    let m: number;
    switch (op) {
      case "Neg": r = -re; m = -im; break;
      case "Square": r = re * re - im * im; m = 2 * re * im; break;
      case "Exp": { const e = Math.exp(re); r = e * Math.cos(im); m = e * Math.sin(im); break; }
      case "Log": r = Math.log(Math.hypot(re, im)); m = Math.atan2(im, re); break;
      case "Sqrt": {
        const mod = Math.hypot(re, im);
        r = Math.sqrt((mod + re) / 2);
        m = Math.sign(im || 1) * Math.sqrt(Math.max(0, (mod - re) / 2));
        if (im === 0 && re >= 0) m = 0;
        break;
      }
      case "Reciprocal": { const d = re * re + im * im; r = re / d; m = -im / d; break; }
      default: throw kernelDtypeError(op, "complex64", "js");
    }
    o[2 * i] = r;
    o[2 * i + 1] = m;
  }
}

function unaryKernel(op: UnaryKernelName): Kernels[UnaryKernelName] {
  return ([x], _attrs, out) => {
    if (x.dtype === "complex64") {
      const xv = valuesOf<Float32Array>(x);
      if (op === "Abs") {
        const o = alloc("float32", xv.length >> 1);
        for (let i = 0; i < o.length; i++) o[i] = Math.hypot(xv[2 * i]!, xv[2 * i + 1]!);
        return wrap(o);
      }
      const o = alloc("complex64", xv.length >> 1);
      complexUnary(op, xv, o);
      return wrap(o);
    }
    const xv = valuesOf<Real>(x);
    const o = alloc(out.dtype, xv.length) as Real;
    const k = x.dtype === "float32" ? "f32" : x.dtype === "float64" ? "f64" : x.dtype === "int32" ? "i32" : "u8";
    const loop = (unaryLoops[k] as Partial<Record<UnaryKernelName, (a: Real, o: Real) => void>>)[op];
    if (!loop) throw kernelDtypeError(op, x.dtype, "js");
    loop(xv, o);
    return wrap(o);
  };
}

/** Every unary kernel of the op table (a dtype without a loop raises the shared dtype error). */
export const unaryKernels = kernelsFor(UNARY_KERNELS, unaryKernel);
