/** Everything a backend package needs: the kernel interface and registration. */
export * from "./interface.js";
export { registerBackend, removeBackendInstance } from "../engine/backends.js";
export type { BackendValues, DType, DTypeStorage, TypedArray } from "../dtypes.js";
export { ALL_DTYPES, allocValues, bytesPerElement, slotsPerElement } from "../dtypes.js";
export { DtypeError, InvalidArgumentError, NotImplementedError, ResourceExhaustedError, ValueError } from "../errors.js";
export { sizeFromShape, stridesOf } from "../shape.js";
