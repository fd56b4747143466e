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
