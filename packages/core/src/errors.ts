/**
 * Error classes, as TensorFlow names them. Messages name the op, the shapes and the dtypes,
 * e.g. `Incompatible shapes: [2] vs. [3] [Op:AddV2]`.
 */

/** An argument has a bad value: incompatible shapes, an index out of range, a bad axis. */
export class InvalidArgumentError extends Error {
  override name = "InvalidArgumentError";
}

/** A Python-side ValueError in TensorFlow: a bad combination of arguments, a bad shape. */
export class ValueError extends Error {
  override name = "ValueError";
}

/** A dtype is not allowed here: two tensors of different dtypes, a float into int32, an op without a kernel for the dtype. */
export class DtypeError extends TypeError {
  override name = "DtypeError";
}

/** The active backend has no kernel for this op, or cannot do what was asked (e.g. a synchronous read on WebGPU in a browser). */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

/** A resource ran out: device memory, wasm memory. The backend stays usable. */
export class ResourceExhaustedError extends Error {
  override name = "ResourceExhaustedError";
}

/** Appends TensorFlow's ` [Op:Name]` suffix. */
export function opMessage(op: string, msg: string): string {
  return `${msg} [Op:${op}]`;
}

/**
 * The error every backend raises for a kernel it cannot run on a dtype that core let through
 * (`dtype int32 is not supported for Exp on backend 'webgpu' [Op:Exp]`).
 */
export function kernelDtypeError(kernel: string, dtype: string, backend: string): DtypeError {
  return new DtypeError(opMessage(kernel, `dtype ${dtype} is not supported for ${kernel} on backend '${backend}'`));
}

/**
 * The error every backend raises when a request exceeds one of its limits (rank, buffer size, memory):
 * `Conv2D on backend 'wasm' needs rank <= 6, got 7 [Op:Conv2D]`.
 */
export function backendLimitError(kernel: string, backend: string, what: string): ResourceExhaustedError {
  return new ResourceExhaustedError(opMessage(kernel, `${kernel} on backend '${backend}': ${what}`));
}
