/** Plumbing shared by the composite ops (ops written from other ops, no kernel of their own). */
import { tidy } from "../engine/tidy.js";
import { InvalidArgumentError, opMessage } from "../errors.js";
import { normalizeAxis } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { concat } from "./concat.js";
import { constant } from "./creation.js";
import { gather } from "./gather.js";
import { withTensors } from "./op-utils.js";
import { slice } from "./slice.js";

/**
 * Converts `xs` (numbers take the dtype of the tensors they meet), runs `fn` inside `tidy` (so its
 * temporaries are freed), then disposes what conversion made. The op's errors come from `fn`.
 */
export function composite<R extends Tensor | Tensor[]>(xs: readonly TensorLike[], op: string, fn: (ts: Tensor[]) => R): R {
  return withTensors(xs, op, (ts) => tidy(() => fn(ts)));
}

/** `len` elements of `x` along `axis` from `start`. */
export function sliceAxis(x: Tensor, axis: number, start: number, len: number): Tensor {
  const begin = x.shape.map((_, i) => (i === axis ? start : 0));
  const size = x.shape.map((d, i) => (i === axis ? len : d));
  return slice(x, begin, size);
}

/** `x` with its elements along `axis` in reverse order (a gather, so its gradient is a gather too). */
export function reverseAxis(x: Tensor, axis: number): Tensor {
  const n = x.shape[axis]!;
  if (n <= 1) return x;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = n - 1 - i;
  return gather(x, constant(idx), axis);
}

/** Normalised, distinct axes (TensorFlow raises on a repeated axis). */
export function distinctAxes(axis: number | readonly number[], rank: number, op: string): number[] {
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(a, rank, op));
  if (new Set(out).size !== out.length) throw new InvalidArgumentError(opMessage(op, `axis ${JSON.stringify(axis)} names an axis more than once`));
  return out;
}

/** Inclusive scan of `x` along `axis` with an associative `combine`, in ⌈log₂ n⌉ steps (Hillis–Steele). */
export function scan(x: Tensor, axis: number, combine: (a: Tensor, b: Tensor) => Tensor): Tensor {
  const n = x.shape[axis]!;
  let y = x;
  for (let s = 1; s < n; s *= 2) {
    const head = sliceAxis(y, axis, 0, s);
    const tail = combine(sliceAxis(y, axis, s, n - s), sliceAxis(y, axis, 0, n - s));
    y = concat([head, tail], axis);
  }
  return y;
}

/** Checks that `v` is an integer (for counts, sizes and similar non-tensor arguments). */
export function checkInt(op: string, name: string, v: unknown, min = -Infinity): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new InvalidArgumentError(opMessage(op, `${name} must be an integer${min > -Infinity ? ` >= ${min}` : ""}, got ${String(v)}`));
  }
  return v;
}
