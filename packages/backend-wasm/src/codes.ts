/** Numeric codes shared with assembly/common.ts and the kernel files of assembly/. */
import type { DType } from "@tessera/core/kernel";
import { BINARY_KERNELS, REDUCE_KERNELS, UNARY_KERNELS } from "@tessera/core/kernel";
import type { BinaryKernelName, ReduceKernelName, UnaryKernelName } from "@tessera/core/kernel";

/** dtype codes, as in assembly/common.ts. */
export const DT_BOOL = 0;
export const DT_INT32 = 1;
export const DT_FLOAT32 = 2;
export const DT_FLOAT64 = 3;
export const DT_COMPLEX64 = 4;

export function dtypeCode(d: DType): number {
  switch (d) {
    case "bool": return DT_BOOL;
    case "int32": return DT_INT32;
    case "float32": return DT_FLOAT32;
    case "float64": return DT_FLOAT64;
    case "complex64": return DT_COMPLEX64;
    case "string": throw new Error("string tensors have no wasm dtype code");
  }
}

/** Bytes per element in wasm memory: core's bytesPerElement (strings live host-side: 0). */
export { bytesPerElement as elementBytes } from "@tessera/core/kernel";

/** Op codes: the position in the core interface's lists (assembly/unary.ts etc. use the same order). */
export const unaryCode = (name: UnaryKernelName): number => UNARY_KERNELS.indexOf(name);
export const binaryCode = (name: BinaryKernelName): number => BINARY_KERNELS.indexOf(name);
export const reduceCode = (name: ReduceKernelName): number => REDUCE_KERNELS.indexOf(name);
/** Complex(re, im) runs through the binary machinery with this code. */
export const COMPLEX_CODE = BINARY_KERNELS.length;
