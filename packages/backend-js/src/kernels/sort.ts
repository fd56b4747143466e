/**
 * TopK (the first k positions of each row in sort order) and SearchSorted (binary search per value).
 *
 * TopK copies each row into a Float64Array (exact for int32, float32 and float64, and one monomorphic
 * loop for all three), negated for an ascending order, then either keeps a sorted buffer of the best
 * k (small k: one comparison per element in the common case) or merge-sorts the row's positions
 * (stable, O(n log n)). NaN ranks above +Inf: first when descending, last when ascending.
 */
import type { Kernels } from "@tessera/core/kernel";
import { alloc, valuesOf, wrap } from "../backend.js";

/** Up to this k the bounded insertion buffer is used; above it a merge sort of the whole row. */
const INSERTION_MAX_K = 16;

/**
 * Whether value a comes strictly before value b. Values are already negated for an ascending order;
 * `nanFirst` says where NaN goes (first when descending, last when ascending).
 */
function before(a: number, b: number, nanFirst: boolean): boolean {
  if (a > b) return true;
  if (a !== a) return nanFirst && b === b;
  if (b !== b) return !nanFirst;
  return false;
}

/** Writes the best k positions of `row` (length n) to out[o..o+k) with a sorted insertion buffer. */
function selectTop(row: Float64Array, n: number, k: number, nanFirst: boolean, bestV: Float64Array, bestI: Int32Array, out: Int32Array, o: number): void {
  let count = 0;
  // The k-th best so far; `v <= worst` (false when either is NaN) can never enter the buffer.
  let worst = NaN;
  for (let i = 0; i < n; i++) {
    const v = row[i]!;
    if (count === k && (v <= worst || !before(v, worst, nanFirst))) continue;
    let p = count < k ? count++ : k - 1;
    while (p > 0 && before(v, bestV[p - 1]!, nanFirst)) {
      bestV[p] = bestV[p - 1]!;
      bestI[p] = bestI[p - 1]!;
      p--;
    }
    bestV[p] = v;
    bestI[p] = i;
    worst = bestV[k - 1]!;
  }
  for (let j = 0; j < k; j++) out[o + j] = bestI[j]!;
}

/** Stable bottom-up merge sort of positions 0..n-1 of `row`; returns the array holding the result. */
function mergeSort(row: Float64Array, n: number, nanFirst: boolean, a: Int32Array, b: Int32Array): Int32Array {
  for (let i = 0; i < n; i++) a[i] = i;
  let src = a, dst = b;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
      let i = lo, j = mid, d = lo;
      while (i < mid && j < hi) {
        // Take from the right run only when it is strictly first: equal values keep their order.
        if (before(row[src[j]!]!, row[src[i]!]!, nanFirst)) dst[d++] = src[j++]!;
        else dst[d++] = src[i++]!;
      }
      while (i < mid) dst[d++] = src[i++]!;
      while (j < hi) dst[d++] = src[j++]!;
    }
    const t = src; src = dst; dst = t;
  }
  return src;
}

/** Binary search as std::lower_bound (right = false) or std::upper_bound (right = true). */
function bound(seq: ArrayLike<number>, start: number, n: number, v: number, right: boolean): number {
  let first = 0, count = n;
  while (count > 0) {
    const step = count >> 1;
    const s = seq[start + first + step]!;
    if (right ? !(v < s) : s < v) {
      first += step + 1;
      count -= step + 1;
    } else {
      count = step;
    }
  }
  return first;
}

export const sortKernels: Pick<Kernels, "TopK" | "SearchSorted"> = {
  TopK: ([x], { k, descending }) => {
    const [outer, n] = x.shape as [number, number];
    const src = valuesOf<Float32Array | Float64Array | Int32Array>(x);
    const out = alloc("int32", outer * k) as Int32Array;
    if (k === 0) return wrap(out);
    const row = new Float64Array(n);
    const small = k <= INSERTION_MAX_K;
    const bestV = new Float64Array(small ? k : 0), bestI = new Int32Array(small ? k : 0);
    const a = new Int32Array(small ? 0 : n), b = new Int32Array(small ? 0 : n);
    for (let r = 0; r < outer; r++) {
      // A native converting copy (one loop for every source type), then a monomorphic negation.
      row.set(src.subarray(r * n, (r + 1) * n));
      if (!descending) for (let i = 0; i < n; i++) row[i] = -row[i]!;
      if (small) {
        selectTop(row, n, k, descending, bestV, bestI, out, r * k);
      } else {
        const sorted = mergeSort(row, n, descending, a, b);
        for (let j = 0; j < k; j++) out[r * k + j] = sorted[j]!;
      }
    }
    return wrap(out);
  },

  SearchSorted: ([sorted, values], { side }) => {
    const [outer, n] = sorted.shape as [number, number];
    const m = values.shape[1]!;
    const seq = valuesOf<Float32Array | Float64Array | Int32Array>(sorted);
    const v = valuesOf<Float32Array | Float64Array | Int32Array>(values);
    const out = alloc("int32", outer * m) as Int32Array;
    const right = side === "right";
    for (let r = 0; r < outer; r++) {
      for (let j = 0; j < m; j++) out[r * m + j] = bound(seq, r * n, n, v[r * m + j]!, right);
    }
    return wrap(out);
  },
};
