/** Cast and Fill (assembly/cast.ts, assembly/fill.ts). */
import { sizeFromShape } from "@tessera/core/kernel";
import type { Kernels } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";
import { dtypeCode } from "../codes.js";
import { fillKernels } from "./fill.js";
import { ELEMENTWISE_MIN_CHUNK, ELEMENTWISE_PARALLEL } from "./thresholds.js";

export function castKernels(b: WasmBackend): Pick<Kernels, "Cast" | "Fill"> {
  return {
    Cast: ([x], _attrs, spec) => {
      if (x.dtype === "string" || spec.dtype === "string") b.unsupported("Cast", "string");
      const o = b.output(spec);
      const n = sizeFromShape(x.shape);
      b.setInts(0, [dtypeCode(x.dtype), dtypeCode(spec.dtype), b.ptr(x), o.ptr]);
      b.run("cast_run", n, { work: n, threshold: ELEMENTWISE_PARALLEL, minChunk: ELEMENTWISE_MIN_CHUNK });
      return o;
    },
    ...fillKernels(b),
  };
}
