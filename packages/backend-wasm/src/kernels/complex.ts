/** Complex, Real, Imag, Conj (assembly/complex.ts; Complex broadcasts through assembly/binary.ts). */
import { sizeFromShape } from "@tessera/core/kernel";
import type { Kernels } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";
import { COMPLEX_CODE, DT_FLOAT32 } from "../codes.js";
import { collapseBroadcast, writeBroadcast } from "./broadcast.js";
import { ELEMENTWISE_MIN_CHUNK, ELEMENTWISE_PARALLEL } from "./thresholds.js";

const REAL = 0, IMAG = 1, CONJ = 2;

export function complexKernels(b: WasmBackend): Pick<Kernels, "Complex" | "Real" | "Imag" | "Conj"> {
  const part = (name: string, op: number): Kernels["Real"] => ([x], _attrs, spec) => {
    if (x.dtype !== "complex64") b.unsupported(name, x.dtype);
    const o = b.output(spec);
    const n = sizeFromShape(x.shape);
    b.setInts(0, [op, b.ptr(x), o.ptr]);
    b.run("complex_part_run", n, { work: n, threshold: ELEMENTWISE_PARALLEL, minChunk: ELEMENTWISE_MIN_CHUNK });
    return o;
  };
  return {
    Complex: ([re, im], _attrs, spec) => {
      if (re.dtype !== "float32") b.unsupported("Complex", re.dtype);
      const c = collapseBroadcast("Complex", spec.shape, [re.shape, im.shape]);
      const o = b.output(spec);
      const n = sizeFromShape(spec.shape);
      b.setInts(0, [COMPLEX_CODE, DT_FLOAT32]);
      b.setInts(3, [b.ptr(re), b.ptr(im), o.ptr]);
      writeBroadcast(b, c);
      b.run("binary_run", n, { work: n, threshold: ELEMENTWISE_PARALLEL, minChunk: ELEMENTWISE_MIN_CHUNK });
      return o;
    },
    Real: part("Real", REAL),
    Imag: part("Imag", IMAG),
    Conj: part("Conj", CONJ),
  };
}
