/** Everything a backend package needs: the kernel interface and registration. */
export * from "./interface.js";
export { BINARY_KERNELS, BINARY_OPS, BINARY_SPECS, KERNEL_NAMES, REDUCE_KERNELS, STRUCTURED_KERNELS, UNARY_KERNELS, UNARY_OPS, UNARY_SPECS, kernelSpec } from "../ops/table/kernels.js";
export type { KernelFamily, KernelSpec, ReduceKernelName, StructuredKernelName, StructuredKernelSpec } from "../ops/table/kernels.js";
export type { BinaryKernelSpec, ElementwiseKernelSpec, ElementwiseTest, OpInfo, UnaryKernelSpec, ValueDomain } from "../ops/table/define.js";
export { setOpCallHook } from "../ops/table/define.js";
export { registerBackend, removeBackendInstance } from "../engine/backends.js";
export { MAX_TENSOR_ELEMENTS } from "../engine/engine.js";
export type { BackendValues, DType, DTypeStorage, TypedArray } from "../dtypes.js";
export { ALL_DTYPES, allocValues, bytesPerElement, slotsPerElement } from "../dtypes.js";
export { DtypeError, InvalidArgumentError, NotImplementedError, ResourceExhaustedError, ValueError, backendLimitError, kernelDtypeError, opMessage } from "../errors.js";
export { kernelsFor } from "./define.js";
export { broadcastStridesOf, mergeDims, sizeFromShape, stridesOf } from "../shape.js";
