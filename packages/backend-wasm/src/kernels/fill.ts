/** Fill (assembly/fill.ts). Strings are filled host-side. */
import { sizeFromShape } from "@tessera/core/kernel";
import type { DType } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";
import { dtypeCode } from "../codes.js";
import { ELEMENTWISE_MIN_CHUNK, ELEMENTWISE_PARALLEL } from "./thresholds.js";

/** Fills `n` elements at `ptr` with `re` (+ `im`·i for complex64). */
export function fillValue(b: WasmBackend, ptr: number, dtype: DType, n: number, re: number, im = 0): void {
  b.setInts(0, [dtypeCode(dtype), ptr]);
  b.setFloat(0, re);
  b.setFloat(1, im);
  b.run("fill_run", n, { work: n, threshold: ELEMENTWISE_PARALLEL, minChunk: ELEMENTWISE_MIN_CHUNK });
}

export function fillZero(b: WasmBackend, ptr: number, dtype: DType, n: number): void {
  fillValue(b, ptr, dtype, n, 0, 0);
}

export function fillKernels(b: WasmBackend) {
  return {
    Fill: (_inputs: readonly [], { value }: { readonly value: number | string | readonly [number, number] }, spec: { readonly shape: readonly number[]; readonly dtype: DType }) => {
      const o = b.output(spec);
      const n = sizeFromShape(spec.shape);
      if (spec.dtype === "string") {
        o.strings!.fill(String(value));
        return o;
      }
      if (Array.isArray(value)) fillValue(b, o.ptr, spec.dtype, n, value[0]!, value[1]!);
      else if (typeof value === "number") fillValue(b, o.ptr, spec.dtype, n, value, 0);
      else b.unsupported("Fill (with a string value)", spec.dtype);
      return o;
    },
  };
}
