/** Float64 reference for reductions over any set of axes, argmax/argmin, mean and logSumExp. */
import type { DType, ReduceKernelName } from "@tessera/core/kernel";
import type { Expected } from "../compare.js";
import type { HostTensor } from "../host.js";
import { sizeOf } from "../host.js";
import { roundTo, wrap32 } from "./elementwise.js";
import { ravel, unravel } from "./indexing.js";

export type FoldKernel = Exclude<ReduceKernelName, "ArgMax" | "ArgMin">;

/** Sorted distinct non-negative axes (all when `axis` is undefined). */
export function normalizeAxes(axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : axis;
  const set = new Set<number>();
  for (const a of list) {
    if (rank === 0) continue; // a scalar reduces to itself
    set.add(a < 0 ? a + rank : a);
  }
  return [...set].sort((x, y) => x - y);
}

export function reducedShape(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  return keepdims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/** Groups input elements by output element, in row-major input order. */
function groups(shape: readonly number[], axes: readonly number[]): { outShape: number[]; members: number[][] } {
  const outShape = reducedShape(shape, axes, false);
  const members: number[][] = Array.from({ length: sizeOf(outShape) }, () => []);
  const size = sizeOf(shape);
  for (let i = 0; i < size; i++) {
    const idx = unravel(i, shape);
    members[ravel(idx.filter((_, d) => !axes.includes(d)), outShape)]!.push(i);
  }
  return { outShape, members };
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * Sum Prod Max Min All Any over `axes`. `scale` is Σ|x| for sums (so the comparison allows for the
 * order of accumulation) and |result|·n for products.
 */
export function reduceRef(k: FoldKernel, x: HostTensor, axes: readonly number[], keepdims: boolean): Expected {
  const { members } = groups(x.shape, axes);
  const shape = reducedShape(x.shape, axes, keepdims);
  const d = x.data as number[];
  const dt: DType = x.dtype;
  if (dt === "complex64") {
    const data: number[] = [];
    const scale: number[] = [];
    for (const m of members) {
      let re = 0, im = 0, s = 0;
      for (const i of m) {
        re += d[2 * i]!;
        im += d[2 * i + 1]!;
        s += Math.hypot(d[2 * i]!, d[2 * i + 1]!);
      }
      data.push(Math.fround(re), Math.fround(im));
      scale.push(s);
    }
    return { dtype: dt, shape, data, scale };
  }
  const data: number[] = [];
  const scale: number[] = [];
  const alt: (number | undefined)[] = [];
  for (const m of members) {
    const vals = m.map((i) => d[i]!);
    let r: number;
    let s = 0;
    let other: number | undefined;
    switch (k) {
      case "Sum":
        if (dt === "int32") r = wrap32(vals.reduce((acc, v) => acc + BigInt(v), 0n));
        else {
          r = 0;
          for (const v of vals) {
            r += v;
            s += Math.abs(v);
          }
        }
        break;
      case "Prod":
        if (dt === "int32") r = wrap32(vals.reduce((acc, v) => acc * BigInt(v), 1n));
        else {
          r = vals.reduce((acc, v) => acc * v, 1);
          s = Math.abs(r) * Math.max(1, vals.length);
          // Past underflow or overflow the result depends on the order of the products (0·∞ = NaN
          // one way, ∞ another): the exact value is accepted too, and NaN where some order can
          // turn a partial product into 0·∞.
          if (r === 0 || !Number.isFinite(r)) {
            const exact = roundTo(dt, exactProduct(vals));
            other = !Object.is(exact, roundTo(dt, r)) ? exact : orderCanGiveNaN(vals) ? NaN : undefined;
          }
        }
        break;
      case "Max":
        r = dt === "int32" ? INT_MIN : -Infinity;
        for (const v of vals) if (v !== v || r !== r) r = NaN; else if (v > r) r = v;
        break;
      case "Min":
        r = dt === "int32" ? INT_MAX : Infinity;
        for (const v of vals) if (v !== v || r !== r) r = NaN; else if (v < r) r = v;
        break;
      case "All":
        r = vals.every((v) => v !== 0) ? 1 : 0;
        break;
      case "Any":
        r = vals.some((v) => v !== 0) ? 1 : 0;
        break;
    }
    data.push(roundTo(dt, r));
    scale.push(s);
    alt.push(other);
  }
  return { dtype: dt, shape, data, scale, ...(alt.some((v) => v !== undefined) ? { alt } : {}) };
}

/** Whether some order of multiplying `vals` meets 0·∞: an infinity with factors that can underflow to 0, or a 0 with factors that can overflow. */
function orderCanGiveNaN(vals: readonly number[]): boolean {
  let small = 0;
  let large = 0;
  let zero = false;
  let infinite = false;
  for (const v of vals) {
    const a = Math.abs(v);
    if (a === 0) zero = true;
    else if (a === Infinity) infinite = true;
    else if (a < 1) small += Math.log2(a);
    else large += Math.log2(a);
  }
  return (infinite && small < -1074) || (zero && large > 1024);
}

/** The product without intermediate rounding: zeros, infinities and signs first, magnitudes by logarithms. */
function exactProduct(vals: readonly number[]): number {
  let negative = false;
  let zero = false;
  let infinite = false;
  let log2 = 0;
  for (const v of vals) {
    if (v !== v) return NaN;
    if (v < 0 || Object.is(v, -0)) negative = !negative;
    const a = Math.abs(v);
    if (a === 0) zero = true;
    else if (a === Infinity) infinite = true;
    else log2 += Math.log2(a);
  }
  if (zero && infinite) return NaN;
  const magnitude = zero ? 0 : infinite ? Infinity : Math.pow(2, log2);
  return negative ? -magnitude : magnitude;
}

/** Index (int32) of the first extreme along `axis`; a NaN is the extreme (the first NaN wins). */
export function argRef(isMax: boolean, x: HostTensor, axis: number): Expected {
  const ax = axis < 0 ? axis + x.shape.length : axis;
  const { outShape, members } = groups(x.shape, [ax]);
  const d = x.data as number[];
  const data = members.map((m) => {
    let at = 0;
    let best = d[m[0]!]!;
    for (let j = 0; j < m.length; j++) {
      const v = d[m[j]!]!;
      if (v !== v) return j;
      if (j > 0 && (isMax ? v > best : v < best)) {
        best = v;
        at = j;
      }
    }
    return at;
  });
  return { dtype: "int32", shape: outShape, data };
}

/** Mean; int32 means truncate toward zero (as TensorFlow's integer mean). */
export function meanRef(x: HostTensor, axes: readonly number[], keepdims: boolean): Expected {
  const { members } = groups(x.shape, axes);
  const shape = reducedShape(x.shape, axes, keepdims);
  const d = x.data as number[];
  const data: number[] = [];
  const scale: number[] = [];
  for (const m of members) {
    let s = 0, a = 0;
    for (const i of m) {
      s += d[i]!;
      a += Math.abs(d[i]!);
    }
    const mean = s / m.length;
    data.push(x.dtype === "int32" ? Math.trunc(mean) : roundTo(x.dtype, mean));
    scale.push(a / m.length);
  }
  return { dtype: x.dtype, shape, data, scale };
}

/** Population variance over `axes` (the mean of squared deviations from the mean), as `tf.nn.moments` gives. */
export function varianceRef(x: HostTensor, axes: readonly number[], keepdims: boolean): Expected {
  const { members } = groups(x.shape, axes);
  const shape = reducedShape(x.shape, axes, keepdims);
  const d = x.data as number[];
  const data: number[] = [];
  const scale: number[] = [];
  for (const m of members) {
    const mean = m.reduce((s, i) => s + d[i]!, 0) / m.length;
    data.push(roundTo(x.dtype, m.reduce((s, i) => s + (d[i]! - mean) ** 2, 0) / m.length));
    scale.push(m.reduce((s, i) => s + d[i]! ** 2, 0) / m.length);
  }
  return { dtype: x.dtype, shape, data, scale };
}

/** log Σ exp(x), shifted by the (finite) maximum; all -Inf gives -Inf, +Inf gives +Inf, NaN propagates. */
export function logSumExpRef(x: HostTensor, axes: readonly number[], keepdims: boolean): Expected {
  const { members } = groups(x.shape, axes);
  const shape = reducedShape(x.shape, axes, keepdims);
  const d = x.data as number[];
  const data = members.map((m) => {
    let max = -Infinity;
    for (const i of m) if (d[i]! > max || d[i] !== d[i]) max = d[i]!;
    const shift = Number.isFinite(max) ? max : 0;
    let s = 0;
    for (const i of m) s += Math.exp(d[i]! - shift);
    return roundTo(x.dtype, Math.log(s) + shift);
  });
  return { dtype: x.dtype, shape, data, scale: data.map((v) => Math.max(1, Math.abs(v))) };
}
