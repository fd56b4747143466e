// Strided copies: Transpose, Slice, Pad (into a filled output), Tile and Concat are all one kernel,
// an N-d copy with arbitrary source and destination strides; a swap of the last two axes is blocked.
import { pi, pu, coordsOf, minI } from "./common";

const P_DIMS = 8, P_SS = 24, P_DS = 40;

@inline function copyRow<T>(src: usize, ss: usize, dst: usize, ds: usize, n: i32): void {
  if (ss == 1 && ds == 1) {
    memory.copy(dst, src, <usize>n * sizeof<T>());
    return;
  }
  const sb = ss * sizeof<T>(), db = ds * sizeof<T>();
  for (let i = 0; i < n; i++) {
    store<T>(dst, load<T>(src));
    src += sb;
    dst += db;
  }
}

/** Blocked transpose of one [R, C] plane (source row stride ss0, dest row stride ds0, elements). */
@inline function transposePlane<T>(src: usize, dst: usize, R: i32, C: i32, srcRow: usize, dstRow: usize): void {
  const B = 32;
  for (let r0 = 0; r0 < R; r0 += B) {
    const r1 = minI(R, r0 + B);
    for (let c0 = 0; c0 < C; c0 += B) {
      const c1 = minI(C, c0 + B);
      for (let c = c0; c < c1; c++) {
        let s = src + (<usize>r0 * srcRow + c) * sizeof<T>();
        let d = dst + (<usize>c * dstRow + r0) * sizeof<T>();
        for (let r = r0; r < r1; r++) {
          store<T>(d, load<T>(s));
          s += srcRow * sizeof<T>();
          d += sizeof<T>();
        }
      }
    }
  }
}

@inline function stridedCopy<T>(p: usize, tid: i32, start: i32, end: i32): void {
  const r = pi(p, 2), src = pu(p, 3), dst = pu(p, 4), mode = pi(p, 5);
  if (mode == 1) {
    // Planes [R, C] -> [C, R]: units are planes; dims[0] = planes, dims[1] = R, dims[2] = C.
    const R = pi(p, P_DIMS + 1), C = pi(p, P_DIMS + 2);
    const planeS = pu(p, P_SS), planeD = pu(p, P_DS);
    for (let u = start; u < end; u++) {
      transposePlane<T>(src + <usize>u * planeS * sizeof<T>(), dst + <usize>u * planeD * sizeof<T>(), R, C, <usize>C, <usize>R);
    }
    return;
  }
  // Units are rows: all dims but the last.
  const c = coordsOf(p, tid);
  const inner = pi(p, P_DIMS + r - 1), ssIn = pu(p, P_SS + r - 1), dsIn = pu(p, P_DS + r - 1);
  let rem = start;
  let so: usize = 0, dO: usize = 0;
  for (let d = r - 2; d >= 0; d--) {
    const dim = pi(p, P_DIMS + d);
    const cd = rem % dim;
    rem /= dim;
    store<i32>(c + (<usize>d << 2), cd);
    so += <usize>cd * pu(p, P_SS + d);
    dO += <usize>cd * pu(p, P_DS + d);
  }
  for (let u = start; u < end; u++) {
    copyRow<T>(src + so * sizeof<T>(), ssIn, dst + dO * sizeof<T>(), dsIn, inner);
    for (let d = r - 2; d >= 0; d--) {
      const cp = c + (<usize>d << 2);
      const cd = load<i32>(cp) + 1;
      so += pu(p, P_SS + d);
      dO += pu(p, P_DS + d);
      if (cd < pi(p, P_DIMS + d)) { store<i32>(cp, cd); break; }
      store<i32>(cp, 0);
      so -= <usize>cd * pu(p, P_SS + d);
      dO -= <usize>cd * pu(p, P_DS + d);
    }
  }
}

/**
 * params: 0 element size (1, 2, 4 or 8 bytes), 2 rank r (1..16), 3 src, 4 dst, 5 mode (0 rows, 1 planes),
 * 8.. dims, 24.. source strides, 40.. destination strides (elements).
 */
export function copy_run(p: usize, tid: i32, start: i32, end: i32): void {
  const es = pi(p, 0);
  if (es == 1) stridedCopy<u8>(p, tid, start, end);
  else if (es == 2) stridedCopy<u16>(p, tid, start, end);
  else if (es == 4) stridedCopy<u32>(p, tid, start, end);
  else stridedCopy<u64>(p, tid, start, end);
}
