/** `tf.signal.hannWindow` and `hammingWindow`: raised-cosine windows computed in float64 on the host. */
import { ENGINE } from "../../engine/engine.js";
import { ValueError, opMessage } from "../../errors.js";
import { optionKeys } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import { defineOp } from "../table/define.js";

/** Options of the window functions. */
export interface WindowOptions {
  /** A periodic window (for spectral analysis, the default) rather than a symmetric one (filter design). */
  periodic?: boolean;
  /** "float32" (default) or "float64". */
  dtype?: "float32" | "float64";
}
const KEYS = optionKeys<WindowOptions>()("periodic", "dtype");

/**
 * a − b·cos(2πk/N) for k < length, with TensorFlow's N: length − 1, plus 1 for a periodic window of
 * even length (TensorFlow leaves odd lengths symmetric); a length-1 window is [1].
 */
function raisedCosine(op: string, length: number, options: WindowOptions, a: number, b: number): Tensor {
  if (typeof length !== "number" || !Number.isInteger(length) || length < 0) throw new ValueError(opMessage(op, `windowLength must be a non-negative integer, got ${String(length)}`));
  const periodic = options.periodic ?? true, dtype = options.dtype ?? "float32";
  if (typeof periodic !== "boolean") throw new ValueError(opMessage(op, `periodic must be a boolean, got ${String(periodic)}`));
  if (dtype !== "float32" && dtype !== "float64") throw new ValueError(opMessage(op, `dtype must be "float32" or "float64", got ${String(dtype)}`));
  const v = new Float64Array(length);
  if (length === 1) v[0] = 1;
  else {
    const n = length - 1 + (periodic && length % 2 === 0 ? 1 : 0);
    for (let k = 0; k < length; k++) v[k] = a - b * Math.cos((2 * Math.PI * k) / n);
  }
  return ENGINE.upload(dtype === "float64" ? v : Float32Array.from(v), [length], dtype);
}

/** Hann window 0.5 − 0.5·cos(2πk/N) of `windowLength` samples. `tf.signal.hannWindow`. */
export const hannWindow = defineOp("signal.hannWindow", function hannWindow(windowLength: number, options: WindowOptions = {}): Tensor {
  return raisedCosine("HannWindow", windowLength, options, 0.5, 0.5);
}, { method: false, args: 2, options: KEYS });

/** Hamming window 0.54 − 0.46·cos(2πk/N) of `windowLength` samples. `tf.signal.hammingWindow`. */
export const hammingWindow = defineOp("signal.hammingWindow", function hammingWindow(windowLength: number, options: WindowOptions = {}): Tensor {
  return raisedCosine("HammingWindow", windowLength, options, 0.54, 0.46);
}, { method: false, args: 2, options: KEYS });
