// TopK (the first k positions of each row in sort order) and SearchSorted (binary search per value).
//
// TopK copies a row into per-thread float64 scratch (exact for int32/float32/float64), negated for an
// ascending order, then keeps a sorted buffer of the best k (small k) or merge-sorts the row's
// positions (stable). NaN ranks above +Inf: first when descending, last when ascending.
import { I32, F32, F64, pi, pu } from "./common";

/** Up to this k the bounded insertion buffer is used (as in the js backend). */
const INSERTION_MAX_K: i32 = 16;

/** Whether a comes strictly before b (values already negated for an ascending order). */
@inline function before(a: f64, b: f64, nanFirst: bool): bool {
  if (a > b) return true;
  if (a != a) return nanFirst && b == b;
  if (b != b) return !nanFirst;
  return false;
}

@inline function loadRow<T>(x: usize, row: usize, n: i32, neg: bool): void {
  if (neg) for (let i = 0; i < n; i++) store<f64>(row + (<usize>i << 3), -<f64>load<T>(x + (<usize>i << alignof<T>())));
  else for (let i = 0; i < n; i++) store<f64>(row + (<usize>i << 3), <f64>load<T>(x + (<usize>i << alignof<T>())));
}

@inline function rv(row: usize, i: i32): f64 {
  return load<f64>(row + (<usize>i << 3));
}

@inline function iv(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

@inline function setI(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}

function selectTop(row: usize, n: i32, k: i32, nanFirst: bool, bestV: usize, bestI: usize, out: usize): void {
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = rv(row, i);
    if (count == k && !before(v, rv(bestV, k - 1), nanFirst)) continue;
    let p = count < k ? count++ : k - 1;
    while (p > 0 && before(v, rv(bestV, p - 1), nanFirst)) {
      store<f64>(bestV + (<usize>p << 3), rv(bestV, p - 1));
      setI(bestI, p, iv(bestI, p - 1));
      p--;
    }
    store<f64>(bestV + (<usize>p << 3), v);
    setI(bestI, p, i);
  }
  memory.copy(out, bestI, <usize>k << 2);
}

/** Stable bottom-up merge sort of positions 0..n-1; returns the buffer (a or b) holding the result. */
function mergeSort(row: usize, n: i32, nanFirst: bool, a: usize, b: usize): usize {
  for (let i = 0; i < n; i++) setI(a, i, i);
  let src = a, dst = b;
  for (let width = 1; width < n; width <<= 1) {
    for (let lo = 0; lo < n; lo += width << 1) {
      const mid = min(lo + width, n), hi = min(lo + (width << 1), n);
      let i = lo, j = mid, d = lo;
      while (i < mid && j < hi) {
        const sj = iv(src, j), si = iv(src, i);
        if (before(rv(row, sj), rv(row, si), nanFirst)) { setI(dst, d++, sj); j++; }
        else { setI(dst, d++, si); i++; }
      }
      while (i < mid) setI(dst, d++, iv(src, i++));
      while (j < hi) setI(dst, d++, iv(src, j++));
    }
    const t = src; src = dst; dst = t;
  }
  return src;
}

/**
 * TopK. params: 0 dtype, 1 x [outer, n], 2 out int32 [outer, k], 3 outer, 4 n, 5 k, 6 descending,
 * 7 scratch base, 8 scratch bytes per thread. Units are rows.
 */
export function topk_run(p: usize, tid: i32, start: i32, end: i32): void {
  const dt = pi(p, 0), x = pu(p, 1), out = pu(p, 2);
  const n = pi(p, 4), k = pi(p, 5), descending = pi(p, 6) != 0;
  const scratch = pu(p, 7) + <usize>tid * pu(p, 8);
  const row = scratch;
  const small = k <= INSERTION_MAX_K;
  const a = row + (<usize>n << 3), b = a + (<usize>n << 2);
  const bestV = a, bestI = a + (<usize>k << 3);
  const es: usize = dt == F64 ? 8 : 4;
  for (let r = start; r < end; r++) {
    const src = x + <usize>r * <usize>n * es;
    switch (dt) {
      case F32: loadRow<f32>(src, row, n, !descending); break;
      case F64: loadRow<f64>(src, row, n, !descending); break;
      default: loadRow<i32>(src, row, n, !descending); break;
    }
    const dst = out + ((<usize>r * <usize>k) << 2);
    if (small) selectTop(row, n, k, descending, bestV, bestI, dst);
    else memory.copy(dst, mergeSort(row, n, descending, a, b), <usize>k << 2);
  }
}

@inline function boundRow<T>(seq: usize, n: i32, v: T, right: bool): i32 {
  let first = 0, count = n;
  while (count > 0) {
    const step = count >> 1;
    const s = load<T>(seq + (<usize>(first + step) << alignof<T>()));
    if (right ? !(v < s) : s < v) {
      first += step + 1;
      count -= step + 1;
    } else {
      count = step;
    }
  }
  return first;
}

@inline function searchRow<T>(seq: usize, vals: usize, out: usize, n: i32, m: i32, right: bool): void {
  for (let j = 0; j < m; j++) {
    setI(out, j, boundRow<T>(seq, n, load<T>(vals + (<usize>j << alignof<T>())), right));
  }
}

/**
 * SearchSorted. params: 0 dtype, 1 sorted [outer, n], 2 values [outer, m], 3 out int32 [outer, m],
 * 4 outer, 5 n, 6 m, 7 right. Units are rows.
 */
export function searchsorted_run(p: usize, tid: i32, start: i32, end: i32): void {
  const dt = pi(p, 0), seq = pu(p, 1), vals = pu(p, 2), out = pu(p, 3);
  const n = pi(p, 5), m = pi(p, 6), right = pi(p, 7) != 0;
  for (let r = start; r < end; r++) {
    const o = out + ((<usize>r * <usize>m) << 2);
    switch (dt) {
      case F32: searchRow<f32>(seq + ((<usize>r * <usize>n) << 2), vals + ((<usize>r * <usize>m) << 2), o, n, m, right); break;
      case F64: searchRow<f64>(seq + ((<usize>r * <usize>n) << 3), vals + ((<usize>r * <usize>m) << 3), o, n, m, right); break;
      case I32: searchRow<i32>(seq + ((<usize>r * <usize>n) << 2), vals + ((<usize>r * <usize>m) << 2), o, n, m, right); break;
    }
  }
}
