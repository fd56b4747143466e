/** Elementwise unary kernels (assembly/unary.ts). */
import { UNARY_KERNELS, sizeFromShape } from "@tessera/core/kernel";
import type { Kernels, UnaryKernelName } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";
import { dtypeCode, unaryCode } from "../codes.js";
import { ELEMENTWISE_MIN_CHUNK, ELEMENTWISE_PARALLEL } from "./thresholds.js";

const INT_OK = new Set<UnaryKernelName>(["Neg", "Abs", "Sign", "Square", "Relu"]);
const COMPLEX_OK = new Set<UnaryKernelName>(["Neg", "Square", "Exp", "Log", "Sqrt", "Reciprocal", "Abs"]);

function supports(name: UnaryKernelName, dtype: string): boolean {
  if (name === "LogicalNot") return dtype === "bool";
  if (dtype === "float32" || dtype === "float64") return true;
  if (dtype === "int32") return INT_OK.has(name);
  if (dtype === "complex64") return COMPLEX_OK.has(name);
  return false;
}

export function unaryKernels(b: WasmBackend): Pick<Kernels, UnaryKernelName> {
  const out = {} as Record<UnaryKernelName, Kernels[UnaryKernelName]>;
  for (const name of UNARY_KERNELS) {
    const code = unaryCode(name);
    out[name] = ([x], _attrs, spec) => {
      if (!supports(name, x.dtype)) b.unsupported(name, x.dtype);
      const o = b.output(spec);
      const n = sizeFromShape(x.shape);
      b.setInts(0, [code, dtypeCode(x.dtype), b.ptr(x), o.ptr]);
      b.run("unary_run", n, { work: n, threshold: ELEMENTWISE_PARALLEL, minChunk: ELEMENTWISE_MIN_CHUNK });
      return o;
    };
  }
  return out;
}
