// Gather along the middle axis of [outer, n, inner] and its gradient, UnsortedSegmentSum.
import { I32, F32, F64, pi, pu, off, lanes } from "./common";

/** Returns the position of the first index outside [0, n), or -1 when all are valid. */
export function gather_check(indices: usize, m: i32, n: i32): i32 {
  for (let j = 0; j < m; j++) {
    const v = load<i32>(indices + (<usize>j << 2));
    if (v < 0 || v >= n) return j;
  }
  return -1;
}

/**
 * params: 0 element size, 1 x, 2 indices, 3 out, 4 outer, 5 n, 6 inner, 7 m.
 * Units are output rows (o, j): [0, outer * m). Indices were checked by gather_check.
 */
export function gather_run(p: usize, tid: i32, start: i32, end: i32): void {
  const es = pu(p, 0), x = pu(p, 1), idx = pu(p, 2), out = pu(p, 3);
  const n = pi(p, 5), inner = pu(p, 6), m = pi(p, 7);
  const row = inner * es;
  for (let u = start; u < end; u++) {
    const o = u / m, j = u % m;
    const src = x + (<usize>o * n + <usize>load<i32>(idx + (<usize>j << 2))) * row;
    const dst = out + <usize>u * row;
    if (row == 4) store<u32>(dst, load<u32>(src));
    else if (row == 8) store<u64>(dst, load<u64>(src));
    else memory.copy(dst, src, row);
  }
}

@inline function segSum<T>(x: usize, idx: usize, out: usize, o: i32, m: i32, inner: i32, numSeg: i32): void {
  const L = lanes<T>();
  const base = out + off<T>(<usize>o * numSeg * inner);
  memory.fill(base, 0, off<T>(<usize>numSeg * inner));
  for (let j = 0; j < m; j++) {
    const s = load<i32>(idx + (<usize>j << 2));
    if (s < 0 || s >= numSeg) continue; // out-of-range segments are dropped
    const src = x + off<T>((<usize>o * m + j) * inner);
    const dst = base + off<T>(<usize>s * inner);
    let i = 0;
    for (; i + L <= inner; i += L) {
      const q = dst + off<T>(i);
      v128.store(q, v128.add<T>(v128.load(q), v128.load(src + off<T>(i))));
    }
    for (; i < inner; i++) {
      const q = dst + off<T>(i);
      store<T>(q, load<T>(q) + load<T>(src + off<T>(i)));
    }
  }
}

/**
 * UnsortedSegmentSum. params: 0 dtype, 1 x [outer, m, inner], 2 indices [m], 3 out [outer, numSeg, inner],
 * 4 outer, 5 m, 6 inner, 7 numSeg. Units are outer rows.
 */
export function segment_sum_run(p: usize, tid: i32, start: i32, end: i32): void {
  const dt = pi(p, 0), x = pu(p, 1), idx = pu(p, 2), out = pu(p, 3);
  const m = pi(p, 5), inner = pi(p, 6), numSeg = pi(p, 7);
  for (let o = start; o < end; o++) {
    switch (dt) {
      case F32: segSum<f32>(x, idx, out, o, m, inner, numSeg); break;
      case F64: segSum<f64>(x, idx, out, o, m, inner, numSeg); break;
      case I32: segSum<i32>(x, idx, out, o, m, inner, numSeg); break;
    }
  }
}
