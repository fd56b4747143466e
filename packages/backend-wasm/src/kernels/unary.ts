/** Elementwise unary kernels (assembly/unary.ts). */
import { UNARY_KERNELS, UNARY_SPECS, kernelsFor, sizeFromShape } from "@tessera/core/kernel";
import type { Kernels, UnaryKernelName } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";
import { dtypeCode, unaryCode } from "../codes.js";
import { ELEMENTWISE_MIN_CHUNK, ELEMENTWISE_PARALLEL } from "./thresholds.js";

// int32 kernels the assembly has (assembly/unary.ts); every float kernel of the table is generated.
const INT_OK = new Set<UnaryKernelName>(["Neg", "Abs", "Sign", "Square", "Relu"]);
const COMPLEX_OK = new Set<UnaryKernelName>(["Neg", "Square", "Exp", "Log", "Sqrt", "Reciprocal", "Abs"]);

/** Whether assembly/ has `name` for `dtype` (of those the table declares). */
function supports(name: UnaryKernelName, dtype: string): boolean {
  if (!(UNARY_SPECS[name].dtypes as readonly string[]).includes(dtype)) return false;
  if (dtype === "int32") return INT_OK.has(name);
  if (dtype === "complex64") return COMPLEX_OK.has(name);
  return true;
}

export function unaryKernels(b: WasmBackend): Pick<Kernels, UnaryKernelName> {
  return kernelsFor(UNARY_KERNELS, (name): Kernels[UnaryKernelName] => {
    const code = unaryCode(name);
    return ([x], _attrs, spec) => {
      if (!supports(name, x.dtype)) b.unsupported(name, x.dtype);
      const o = b.output(spec);
      const n = sizeFromShape(x.shape);
      b.setInts(0, [code, dtypeCode(x.dtype), b.ptr(x), o.ptr]);
      b.run("unary_run", n, { work: n, threshold: ELEMENTWISE_PARALLEL, minChunk: ELEMENTWISE_MIN_CHUNK });
      return o;
    };
  });
}
