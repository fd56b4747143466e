/** Distribution parameters of the random ops, read on the host (the numbers are drawn in core). */
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import { InvalidArgumentError, opMessage } from "../errors.js";
import { broadcastShapes, sizeFromShape } from "../shape.js";

/** A parameter tensor's shape and float64 values. */
export interface HostParam {
  readonly shape: number[];
  readonly values: Float64Array;
}

/**
 * Reads a parameter (a number, array or tensor) as float64 values, checking each with `ok`. Tensors
 * are read synchronously, so in a browser a WebGPU tensor must be read first (`await t.data()`).
 */
export function readParam(x: TensorLike, name: string, op: string, ok: (v: number) => boolean, requirement: string): HostParam {
  const t: Tensor = toTensor(x, op, "float32");
  try {
    if (t.dtype !== "float32" && t.dtype !== "float64" && t.dtype !== "int32") {
      throw new InvalidArgumentError(opMessage(op, `${name} must be a real number tensor, got dtype ${t.dtype}`));
    }
    const values = Float64Array.from(t.dataSync() as ArrayLike<number>);
    for (const v of values) if (!ok(v)) throw new InvalidArgumentError(opMessage(op, `${name} must be ${requirement}, got ${v}`));
    return { shape: t.shape.slice(), values };
  } finally {
    if (t !== x) t.dispose();
  }
}

/** Values of `p` broadcast to `shape` (NumPy rules), flat. */
export function broadcastParam(p: HostParam, shape: readonly number[]): Float64Array {
  const n = sizeFromShape(shape);
  const out = new Float64Array(n);
  const rank = shape.length, pr = p.shape.length;
  for (let i = 0; i < n; i++) {
    let rem = i, j = 0, stride = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const dim = shape[d]!, k = rem % dim;
      rem = Math.floor(rem / dim);
      const pd = d - (rank - pr);
      if (pd >= 0) {
        if (p.shape[pd] !== 1) j += k * stride;
        stride *= p.shape[pd]!;
      }
    }
    out[i] = p.values[j]!;
  }
  return out;
}

/** The broadcast shape of two parameters. */
export function paramShape(a: HostParam, b: HostParam, op: string): number[] {
  return broadcastShapes(a.shape, b.shape, op);
}
