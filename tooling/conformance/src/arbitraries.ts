/**
 * fast-check generators: shapes (scalars, 0- and 1-size dims, rank up to 6), broadcast-compatible
 * shape tuples, and values per dtype with NaN/±Inf/-0 mixed in. Sizes stay small: a case holds at most
 * a few thousand elements, because CPU WebGPU is slow.
 */
import fc from "fast-check";
import type { DType } from "@tessera/core/kernel";
import type { HostTensor } from "./host.js";
import { sizeOf } from "./host.js";

export interface ShapeConstraints {
  minRank?: number;
  maxRank?: number;
  /** Largest element count (default 512). */
  maxSize?: number;
  /** Largest dimension (default 5). */
  maxDim?: number;
  /** Whether dimensions of size 0 may appear (default true). */
  zero?: boolean;
}

function dimArb(maxDim: number, zero: boolean): fc.Arbitrary<number> {
  const parts: fc.WeightedArbitrary<number>[] = [
    { arbitrary: fc.constant(1), weight: 3 },
    { arbitrary: fc.integer({ min: 2, max: Math.max(2, maxDim) }), weight: 6 },
  ];
  if (zero) parts.push({ arbitrary: fc.constant(0), weight: 1 });
  return fc.oneof(...parts);
}

/** Shrinks the largest dimensions until the element count fits. */
function clampSize(shape: number[], maxSize: number): number[] {
  const s = shape.slice();
  while (sizeOf(s) > maxSize) {
    let at = 0;
    for (let i = 1; i < s.length; i++) if (s[i]! > s[at]!) at = i;
    s[at] = Math.max(1, Math.floor(s[at]! / 2));
  }
  return s;
}

export function shapeArb(c: ShapeConstraints = {}): fc.Arbitrary<number[]> {
  const minRank = c.minRank ?? 0, maxRank = c.maxRank ?? 6, maxSize = c.maxSize ?? 512;
  const dim = dimArb(c.maxDim ?? 5, c.zero ?? true);
  return fc.integer({ min: minRank, max: maxRank })
    .chain((r) => fc.array(dim, { minLength: r, maxLength: r }))
    .map((s) => clampSize(s, maxSize));
}

/**
 * `count` shapes that broadcast together (NumPy rules): each is a suffix of the result shape with
 * some dimensions replaced by 1, so scalars, rank differences and size-1/size-0 dims all occur.
 */
export function broadcastShapesArb(count: number, c: ShapeConstraints = {}): fc.Arbitrary<number[][]> {
  return shapeArb(c).chain((out) => {
    const one = fc.tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
      .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[drop + i] ? 1 : d)));
    // Keep the first shape full-rank half of the time so that typical cases stay common.
    return fc.tuple(...Array.from({ length: count }, () => one)).map((shapes) => shapes);
  });
}

/** What values a case may hold. */
export interface ValueDomain {
  /** Bounds of ordinary values (defaults: floats ±100, int32 ±1000). */
  min?: number;
  max?: number;
  /** Mix NaN, ±Inf and -0 into float cases (default true; half of the cases get them). */
  special?: boolean;
  /** Exclude 0 (e.g. int32 divisors). */
  nonZero?: boolean;
  /** Only integer values (floats too: e.g. exponents, exact ties). */
  integer?: boolean;
}

const SPECIALS = [NaN, Infinity, -Infinity, -0, 0];

function floatElement(dtype: "float32" | "float64", dom: ValueDomain, special: boolean): fc.Arbitrary<number> {
  const lo = dom.min ?? -100, hi = dom.max ?? 100;
  const ilo = Math.ceil(lo), ihi = Math.floor(hi);
  const parts: fc.WeightedArbitrary<number>[] = [];
  if (!dom.integer) {
    const any = dtype === "float32"
      ? fc.float({ min: Math.fround(lo), max: Math.fround(hi), noNaN: true, noDefaultInfinity: true })
      : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
    parts.push({ arbitrary: any, weight: 6 });
    if (ilo <= ihi) parts.push({ arbitrary: fc.integer({ min: 2 * ilo, max: 2 * ihi }).map((k) => k / 2), weight: 1 });
    // Small magnitudes, where relative accuracy is hardest.
    const small = Math.min(1, hi);
    if (lo <= 0 && small > 0) parts.push({ arbitrary: fc.double({ min: -small, max: small, noNaN: true }).map((v) => v * 1e-3), weight: 1 });
  }
  if (ilo <= ihi) parts.push({ arbitrary: fc.integer({ min: ilo, max: ihi }), weight: dom.integer ? 6 : 2 });
  if (special) parts.push({ arbitrary: fc.constantFrom(...SPECIALS), weight: 1 });
  let el = fc.oneof(...parts).map((v) => (dtype === "float32" ? Math.fround(v) : v));
  if (dom.nonZero) el = el.filter((v) => v !== 0);
  return el;
}

/** One element's storage slots for `dtype` (complex64: two float32 slots, no specials). */
export function elementArb(dtype: DType, dom: ValueDomain = {}, special = false): fc.Arbitrary<(number | string)[]> {
  switch (dtype) {
    case "float32":
    case "float64":
      return floatElement(dtype, dom, special).map((v) => [v]);
    case "int32": {
      const el = fc.integer({ min: dom.min ?? -1000, max: dom.max ?? 1000 });
      return (dom.nonZero ? el.filter((v) => v !== 0) : el).map((v) => [v]);
    }
    case "bool":
      return fc.boolean().map((b) => [b ? 1 : 0]);
    case "complex64": {
      const part = floatElement("float32", { min: dom.min ?? -10, max: dom.max ?? 10 }, false);
      const el = fc.tuple(part, part);
      return (dom.nonZero ? el.filter(([re, im]) => Math.hypot(re, im) > 1e-3) : el).map(([re, im]) => [re, im]);
    }
    case "string":
      return fc.constantFrom("", "a", "b", "tessera", "ü", "😀").map((s) => [s]);
  }
}

/** A host tensor of `dtype` over shapes from `shapes`. */
export function tensorArb(dtype: DType, shapes: fc.Arbitrary<number[]>, dom: ValueDomain = {}): fc.Arbitrary<HostTensor> {
  return shapes.chain((shape) => valuesFor(dtype, shape, dom));
}

/** A host tensor of a fixed shape. */
export function valuesFor(dtype: DType, shape: readonly number[], dom: ValueDomain = {}): fc.Arbitrary<HostTensor> {
  const n = sizeOf(shape);
  const isFloat = dtype === "float32" || dtype === "float64";
  const special = isFloat && (dom.special ?? true) ? fc.boolean() : fc.constant(false);
  return special.chain((sp) =>
    fc.array(elementArb(dtype, dom, sp), { minLength: n, maxLength: n })
      .map((els) => ({ dtype, shape: [...shape], data: els.flat() as number[] | string[] })),
  );
}

/** `count` host tensors of `dtype` whose shapes broadcast together. */
export function broadcastTensorsArb(dtype: DType, count: number, c: ShapeConstraints = {}, doms: ValueDomain[] = []): fc.Arbitrary<HostTensor[]> {
  return broadcastShapesArb(count, c).chain((shapes) => fc.tuple(...shapes.map((s, i) => valuesFor(dtype, s, doms[i] ?? {}))));
}

/** A permutation of 0..n-1. */
export function permutationArb(n: number): fc.Arbitrary<number[]> {
  const ids = Array.from({ length: n }, (_, i) => i);
  return fc.shuffledSubarray(ids, { minLength: n, maxLength: n });
}
