/**
 * @tessera/core — TensorFlow 2's eager model for TypeScript: Tensor, Variable, ops, GradientTape,
 * keras and io, over kernels from plug-in backends. Import a backend package (or "@tessera/tf") too.
 */
export { bool, complex64, float32, float64, int32, string } from "./dtypes.js";
export type { BackendValues, DType, NumericDType, TypedArray } from "./dtypes.js";
export * as errors from "./errors.js";
export { TensorShape } from "./shape.js";
export { Tensor } from "./tensor/tensor.js";
export type { Complex, NestedArray, Scalar } from "./tensor/tensor.js";
export { Variable } from "./tensor/variable.js";
export type { VariableOptions } from "./tensor/variable.js";
export type { NdArrayLike, TensorLike } from "./tensor/convert.js";
export { findBackend, getBackend, listBackends, memory, ready, registerBackend, setBackend } from "./engine/backends.js";
export type { MemoryInfo } from "./engine/engine.js";
export { dispose, keep, tidy } from "./engine/tidy.js";
export type { TensorContainer } from "./engine/tidy.js";
export * from "./ops/index.js";
// Tensor methods, installed from the op entries (after them: see ops/methods.ts).
import "./ops/methods.js";
export { linalg, math, nn } from "./namespaces.js";
export * from "./gradients/index.js";
export * as random from "./random/index.js";
export * as io from "./io/index.js";
export * as keras from "./keras/index.js";
/** `tf.losses`: TF2's alias of `tf.keras.losses` (the weighted losses of TensorFlow.js's `tf.losses` are at `tf.compat.v1.losses`). */
export { losses } from "./keras/index.js";
export * as compat from "./compat/index.js";
export * as image from "./ops/image/index.js";
/** `tf.signal`: windows, framing, FFTs of any length and short-time Fourier transforms. */
export * as signal from "./ops/signal/index.js";
export { zip } from "./keras/zip.js";
export * as data from "./data/index.js";
