// BatchMatMul: the packers that feed the GEMM engine (gemm.ts), and complex64 matmul.
// transposeA / transposeB are absorbed by the packers, so the micro-kernel never sees a strided operand.
import { pi, pu, off, minI } from "./common";
import { MR, G_M, G_K, G_A, G_A_BSTRIDE, G_TRANS_A, nrOf } from "./gemm";

/** 4x4 transpose of 32-bit lanes: rows r0..r3 -> columns stored at dst, dst + step, ... */
@inline function transpose4x4Store(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, step: usize): void {
  const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<i64>(t0, t2, 0, 2));
  v128.store(dst + step, v128.shuffle<i64>(t0, t2, 1, 3));
  v128.store(dst + 2 * step, v128.shuffle<i64>(t1, t3, 0, 2));
  v128.store(dst + 3 * step, v128.shuffle<i64>(t1, t3, 1, 3));
}

/**
 * Packs rows [i0, i1) x columns [pc, pc + kc) of op(A) into [groups][kc][MR], zero-padding the last group.
 * A is [M, K] (or [K, M] with transposeA) at batch `batch`.
 */
@inline export function packAMatmul<T>(p: usize, batch: i32, i0: i32, i1: i32, pc: i32, kc: i32, dst: usize): void {
  const M = pu(p, G_M), K = pu(p, G_K);
  const a = pu(p, G_A) + off<T>(<usize>batch * pu(p, G_A_BSTRIDE));
  const trans = pi(p, G_TRANS_A) != 0;
  const S = sizeof<T>();
  for (let i = i0; i < i1; i += MR) {
    const mr = minI(MR, i1 - i);
    const g = dst + off<T>(<usize>(i - i0) * kc);
    if (trans) {
      // A(i + r, k) = a[k * M + i + r]: MR contiguous elements per k.
      let src = a + off<T>(<usize>pc * M + i);
      const step = off<T>(M);
      if (mr == MR) {
        for (let k = 0; k < kc; k++) {
          v128.store(g + off<T>(<usize>k * MR), v128.load(src));
          if (S == 8) v128.store(g + off<T>(<usize>k * MR), v128.load(src, 16), 16);
          src += step;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let r = 0; r < MR; r++) store<T>(g + off<T>(<usize>k * MR + r), r < mr ? load<T>(src + off<T>(r)) : <T>0);
          src += step;
        }
      }
    } else {
      // A(i + r, k) = a[(i + r) * K + k]: MR rows read side by side.
      const row = a + off<T>(<usize>i * K + pc);
      const rs = off<T>(K);
      let k = 0;
      if (mr == MR && S == 4) {
        for (; k + 4 <= kc; k += 4) {
          const q = row + off<T>(k);
          transpose4x4Store(v128.load(q), v128.load(q + rs), v128.load(q + 2 * rs), v128.load(q + 3 * rs),
            g + off<T>(<usize>k * MR), 16);
        }
      }
      for (; k < kc; k++) {
        for (let r = 0; r < MR; r++) {
          store<T>(g + off<T>(<usize>k * MR + r), r < mr ? load<T>(row + <usize>r * rs + off<T>(k)) : <T>0);
        }
      }
    }
  }
}

/** B is [K, N] row-major: panel columns [j0, j0 + NR) for all K rows. */
@inline export function packBPlain<T>(src: usize, dst: usize, K: i32, N: i32, j0: i32): void {
  const NR = nrOf<T>();
  const nr = minI(NR, N - j0);
  let s = src + off<T>(j0);
  const rs = off<T>(N);
  if (nr == NR) {
    for (let k = 0; k < K; k++) {
      v128.store(dst, v128.load(s));
      v128.store(dst, v128.load(s, 16), 16);
      s += rs;
      dst += 32;
    }
  } else {
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < NR; j++) store<T>(dst + off<T>(j), j < nr ? load<T>(s + off<T>(j)) : <T>0);
      s += rs;
      dst += 32;
    }
  }
}

/** B is [N, K] (transposeB): panel rows n in [j0, j0 + NR) become columns. */
@inline export function packBTransposed<T>(src: usize, dst: usize, K: i32, N: i32, j0: i32): void {
  const NR = nrOf<T>();
  const nr = minI(NR, N - j0);
  const base = src + off<T>(<usize>j0 * K);
  const rs = off<T>(K);
  let k = 0;
  if (nr == NR && sizeof<T>() == 4) {
    for (; k + 4 <= K; k += 4) {
      const q = base + off<T>(k);
      const d = dst + off<T>(<usize>k * NR);
      transpose4x4Store(v128.load(q), v128.load(q + rs), v128.load(q + 2 * rs), v128.load(q + 3 * rs), d, 32);
      const q4 = q + 4 * rs;
      transpose4x4Store(v128.load(q4), v128.load(q4 + rs), v128.load(q4 + 2 * rs), v128.load(q4 + 3 * rs), d + 16, 32);
    }
  }
  for (; k < K; k++) {
    const d = dst + off<T>(<usize>k * NR);
    for (let j = 0; j < NR; j++) store<T>(d + off<T>(j), j < nr ? load<T>(base + <usize>j * rs + off<T>(k)) : <T>0);
  }
}

/**
 * complex64 BatchMatMul (scalar, float64 accumulation). params: 1 M, 2 N, 3 K, 4 a, 5 b, 6 c,
 * 8 a batch stride, 9 b batch stride (elements), 11 transposeA, 12 transposeB. Units: batch * M rows.
 */
export function matmul_c64_run(p: usize, tid: i32, start: i32, end: i32): void {
  const M = pi(p, 1), N = pi(p, 2), K = pi(p, 3);
  const a = pu(p, 4), b = pu(p, 5), c = pu(p, 6);
  const aBS = pu(p, 8), bBS = pu(p, 9);
  const tA = pi(p, 11) != 0, tB = pi(p, 12) != 0;
  for (let u = start; u < end; u++) {
    const bi = u / M, i = u % M;
    const ab = a + ((<usize>bi * aBS) << 3), bb = b + ((<usize>bi * bBS) << 3);
    for (let j = 0; j < N; j++) {
      let re: f64 = 0, im: f64 = 0;
      for (let k = 0; k < K; k++) {
        const pa = ab + ((tA ? <usize>k * M + i : <usize>i * K + k) << 3);
        const pb = bb + ((tB ? <usize>j * K + k : <usize>k * N + j) << 3);
        const x = <f64>load<f32>(pa), y = <f64>load<f32>(pa, 4);
        const s = <f64>load<f32>(pb), t = <f64>load<f32>(pb, 4);
        re += x * s - y * t;
        im += x * t + y * s;
      }
      const q = c + ((<usize>u * N + j) << 3);
      store<f32>(q, <f32>re);
      store<f32>(q, <f32>im, 4);
    }
  }
}
