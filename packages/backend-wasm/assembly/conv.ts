// Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter (NHWC, HWIO) on the GEMM engine of gemm.ts,
// without an im2col matrix:
//   Conv2D:               C[pixels, Co]  = A[pixels, (kh, kw, ci)] · filter[(kh, kw, ci), Co]
//   Conv2DBackpropInput:  C[in pixels, Ci] = A[in pixels, (kh, kw, co)] · filterT[(kh, kw, co), Ci]
//   Conv2DBackpropFilter: per tap, C[Ci, Co] = A[Ci, out pixels] · dy[out pixels, Co]
// The first two are indirect GEMMs (as XNNPACK's IGEMM): for 4 output rows, a table holds per tap the
// address of each row's input pixel (or of a zero row where the window leaves the image), and the
// micro-kernel reads the pixels in place; only the filter is packed. The filter gradient packs A.
import { pi, pu, off, minI, madd, loadSplat, storeTile } from "./common";
import {
  MR, MC, G_MODE, G_M, G_N, G_K, G_A, G_BP, G_C, G_SCRATCH, G_SCRATCH_STRIDE, G_COL_BLOCKS, G_PANELS_PER_BLOCK,
  G_LDC, G_DTYPE, G_ZERO, G_H, G_W, G_CI, G_OH, G_OW, G_CO, G_KH, G_KW, G_SH, G_SW, G_DH, G_DW, G_PT, G_PL, nrOf,
} from "./gemm";

/** 4 x NR tile over `taps` taps of `kt` steps; row r of tap t starts at the address ind[t * 4 + r]. */
@inline function igemmMicro<T>(taps: i32, kt: i32, ind: usize, b: usize, c: usize, ldc: usize): void {
  const z = v128.splat<T>(<T>0);
  let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
  const S = sizeof<T>();
  for (let t = 0; t < taps; t++) {
    let a0 = <usize>load<u32>(ind), a1 = <usize>load<u32>(ind, 4), a2 = <usize>load<u32>(ind, 8), a3 = <usize>load<u32>(ind, 12);
    ind += 16;
    for (let k = 0; k < kt; k++) {
      const b0 = v128.load(b), b1 = v128.load(b, 16);
      let av = loadSplat<T>(a0);
      c00 = madd<T>(av, b0, c00);
      c01 = madd<T>(av, b1, c01);
      av = loadSplat<T>(a1);
      c10 = madd<T>(av, b0, c10);
      c11 = madd<T>(av, b1, c11);
      av = loadSplat<T>(a2);
      c20 = madd<T>(av, b0, c20);
      c21 = madd<T>(av, b1, c21);
      av = loadSplat<T>(a3);
      c30 = madd<T>(av, b0, c30);
      c31 = madd<T>(av, b1, c31);
      a0 += S;
      a1 += S;
      a2 += S;
      a3 += S;
      b += 32;
    }
  }
  storeTile(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
}

export function igemmMicroF32(taps: i32, kt: i32, ind: usize, b: usize, c: usize, ldc: usize): void {
  igemmMicro<f32>(taps, kt, ind, b, c, ldc);
}
function igemmMicroF64(taps: i32, kt: i32, ind: usize, b: usize, c: usize, ldc: usize): void {
  igemmMicro<f64>(taps, kt, ind, b, c, ldc);
}

/**
 * Fills the indirection table for rows [i, i + MR): per tap, each row's input row address, or `zero`.
 * Mode 1 (Conv2D): rows are output pixels, reading x; `tapOff` holds each tap's byte offset from the
 * window's corner, so a row whose window lies inside the image needs one add per tap. Mode 2
 * (backprop input): rows are input pixels, reading the dy pixel whose window covers them through this
 * tap (if any).
 */
@inline function indirection<T>(p: usize, mode: i32, i: i32, i1: i32, zero: usize, ind: usize, tapOff: usize): bool {
  const src = pu(p, G_A);
  const H = pi(p, G_H), W = pi(p, G_W), Ci = pi(p, G_CI), OH = pi(p, G_OH), OW = pi(p, G_OW), Co = pi(p, G_CO);
  const KH = pi(p, G_KH), KW = pi(p, G_KW), sh = pi(p, G_SH), sw = pi(p, G_SW), dh = pi(p, G_DH), dw = pi(p, G_DW);
  const pt = pi(p, G_PT), pl = pi(p, G_PL);
  const taps = KH * KW;
  if (mode == 1) {
    const ohw = OH * OW;
    let n = i / ohw, rem = i % ohw, oh = rem / OW, ow = rem % OW;
    // Common case: 4 rows in one output row, all windows inside the image: one vector add per tap.
    if (i + MR <= i1 && ow + MR <= OW) {
      const ih0 = oh * sh - pt, iw0 = ow * sw - pl;
      if (ih0 >= 0 && ih0 + (KH - 1) * dh < H && iw0 >= 0 && iw0 + (MR - 1) * sw + (KW - 1) * dw < W) {
        const c0 = <i32>src + <i32>off<T>(<usize>((n * H + ih0) * W + iw0) * Ci);
        const step = <i32>off<T>(<usize>sw * Ci);
        const corners = i32x4(c0, c0 + step, c0 + 2 * step, c0 + 3 * step);
        if (dw == 1) {
          // The KW taps of a window row are contiguous pixels: one entry per window row, KW * Ci long.
          for (let kh = 0; kh < KH; kh++) {
            v128.store(ind + (<usize>kh << 4), i32x4.add(corners, v128.load32_splat(tapOff + (<usize>(kh * KW) << 2))));
          }
          return true;
        }
        for (let t = 0; t < taps; t++) {
          v128.store(ind + (<usize>t << 4), i32x4.add(corners, v128.load32_splat(tapOff + (<usize>t << 2))));
        }
        return false;
      }
    }
    for (let r = 0; r < MR; r++) {
      let q = ind + (<usize>r << 2);
      if (i + r >= i1) {
        for (let t = 0; t < taps; t++) { store<u32>(q, <u32>zero); q += 16; }
        continue;
      }
      const ih0 = oh * sh - pt, iw0 = ow * sw - pl;
      // Byte address of the window's corner (may lie outside the image; only valid taps are added to it).
      const corner = <i32>src + <i32>off<T>(<usize>((n * H + ih0) * W + iw0) * Ci);
      if (ih0 >= 0 && ih0 + (KH - 1) * dh < H && iw0 >= 0 && iw0 + (KW - 1) * dw < W) {
        for (let t = 0; t < taps; t++) {
          store<u32>(q, <u32>(corner + load<i32>(tapOff + (<usize>t << 2))));
          q += 16;
        }
      } else {
        let t = 0;
        for (let kh = 0; kh < KH; kh++) {
          const ih = ih0 + kh * dh;
          for (let kw = 0; kw < KW; kw++) {
            const iw = iw0 + kw * dw;
            const inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
            store<u32>(q, inside ? <u32>(corner + load<i32>(tapOff + (<usize>t << 2))) : <u32>zero);
            q += 16;
            t++;
          }
        }
      }
      if (++ow == OW) {
        ow = 0;
        if (++oh == OH) {
          oh = 0;
          n++;
        }
      }
    }
    return false;
  }
  const hw = H * W;
  let n = i / hw, rem = i % hw, h = rem / W, w = rem % W;
  // Unit strides, 4 rows in one image row whose windows are all inside dy: one vector add per tap
  // (tapOff holds the backward offsets from the dy pixel under tap (0, 0)).
  if (sh == 1 && sw == 1 && i + MR <= i1 && w + MR <= W) {
    const hn = h + pt, wn = w + pl;
    if (hn - (KH - 1) * dh >= 0 && hn < OH && wn - (KW - 1) * dw >= 0 && wn + MR - 1 < OW) {
      const c0 = <i32>src + <i32>off<T>(<usize>((n * OH + hn) * OW + wn) * Co);
      const step = <i32>off<T>(<usize>Co);
      const corners = i32x4(c0, c0 + step, c0 + 2 * step, c0 + 3 * step);
      for (let t = 0; t < taps; t++) {
        v128.store(ind + (<usize>t << 4), i32x4.add(corners, v128.load32_splat(tapOff + (<usize>t << 2))));
      }
      return false;
    }
  }
  for (let r = 0; r < MR; r++) {
    const row = i + r;
    let q = ind + (<usize>r << 2);
    if (row >= i1) {
      for (let t = 0; t < taps; t++) { store<u32>(q, <u32>zero); q += 16; }
      continue;
    }
    n = row / hw;
    rem = row % hw;
    h = rem / W;
    w = rem % W;
    for (let kh = 0; kh < KH; kh++) {
      const hn = h + pt - kh * dh;
      const okh = hn >= 0 && hn % sh == 0 && hn / sh < OH;
      for (let kw = 0; kw < KW; kw++) {
        const wn = w + pl - kw * dw;
        const ok = okh && wn >= 0 && wn % sw == 0 && wn / sw < OW;
        store<u32>(q, <u32>(ok ? src + off<T>((<usize>(n * OH + hn / sh) * OW + wn / sw) * Co) : zero));
        q += 16;
      }
    }
  }
  return false;
}

@inline function igemmUnit<T>(p: usize, tid: i32, u: i32): void {
  const NR = nrOf<T>();
  const mode = pi(p, G_MODE), M = pi(p, G_M), N = pi(p, G_N), K = pi(p, G_K);
  const taps = pi(p, G_KH) * pi(p, G_KW);
  const kt = K / taps;
  const colBlocks = pi(p, G_COL_BLOCKS), ppb = pi(p, G_PANELS_PER_BLOCK);
  const rb = u / colBlocks, cb = u % colBlocks;
  const i0 = rb * MC, i1 = minI(M, i0 + MC);
  const panels = (N + NR - 1) / NR;
  const jp0 = cb * ppb, jp1 = minI(panels, jp0 + ppb);
  const bp = pu(p, G_BP), c = pu(p, G_C), ldc = pu(p, G_LDC), zero = pu(p, G_ZERO);
  const ind = pu(p, G_SCRATCH) + <usize>tid * pu(p, G_SCRATCH_STRIDE);
  const tapOff = ind + (<usize>taps << 4);
  const tmp = tapOff + (<usize>taps << 2);
  const KW = pi(p, G_KW), dh = pi(p, G_DH), dw = pi(p, G_DW);
  if (mode == 1) {
    // Byte offset of each tap from the window's corner pixel.
    const W = pi(p, G_W), Ci = pi(p, G_CI);
    for (let t = 0; t < taps; t++) {
      store<i32>(tapOff + (<usize>t << 2), <i32>off<T>(<usize>((t / KW) * dh * W + (t % KW) * dw) * Ci));
    }
  } else {
    // Backprop input: tap (kh, kw) reads the dy pixel kh * dh rows and kw * dw columns before tap (0, 0)'s.
    const OW = pi(p, G_OW), Co = pi(p, G_CO);
    for (let t = 0; t < taps; t++) {
      store<i32>(tapOff + (<usize>t << 2), -<i32>off<T>(<usize>((t / KW) * dh * OW + (t % KW) * dw) * Co));
    }
  }
  for (let i = i0; i < i1; i += MR) {
    const mr = minI(MR, i1 - i);
    const merged = indirection<T>(p, mode, i, i1, zero, ind, tapOff);
    const nt = merged ? pi(p, G_KH) : taps, kl = merged ? kt * pi(p, G_KW) : kt;
    for (let jp = jp0; jp < jp1; jp++) {
      const bpan = bp + off<T>(<usize>jp * K * NR);
      const nr = minI(NR, N - jp * NR);
      const ct = c + off<T>(<usize>i * ldc + <usize>jp * NR);
      if (mr == MR && nr == NR) {
        if (sizeof<T>() == 4) igemmMicroF32(nt, kl, ind, bpan, ct, off<T>(ldc));
        else igemmMicroF64(nt, kl, ind, bpan, ct, off<T>(ldc));
      } else {
        if (sizeof<T>() == 4) igemmMicroF32(nt, kl, ind, bpan, tmp, off<T>(NR));
        else igemmMicroF64(nt, kl, ind, bpan, tmp, off<T>(NR));
        for (let r = 0; r < mr; r++) {
          for (let j = 0; j < nr; j++) store<T>(ct + off<T>(<usize>r * ldc + j), load<T>(tmp + off<T>(r * NR + j)));
        }
      }
    }
  }
}

/** Conv2D (mode 1) and Conv2DBackpropInput (mode 2). Units: row blocks x column blocks. */
export function igemm_run(p: usize, tid: i32, start: i32, end: i32): void {
  const f32 = pi(p, G_DTYPE) == 2;
  for (let u = start; u < end; u++) {
    if (f32) igemmUnit<f32>(p, tid, u);
    else igemmUnit<f64>(p, tid, u);
  }
}

/** Conv2DBackpropFilter for tap `tap`: rows are input channels, k runs over output pixels (n, oh, ow). */
@inline export function packAConvFilter<T>(p: usize, tap: i32, i0: i32, i1: i32, pc: i32, kc: i32, dst: usize): void {
  const x = pu(p, G_A);
  const H = pi(p, G_H), W = pi(p, G_W), Ci = pi(p, G_CI), OH = pi(p, G_OH), OW = pi(p, G_OW);
  const KW = pi(p, G_KW), sh = pi(p, G_SH), sw = pi(p, G_SW), dh = pi(p, G_DH), dw = pi(p, G_DW);
  const pt = pi(p, G_PT), pl = pi(p, G_PL);
  const kh = tap / KW, kw = tap % KW;
  const ohw = OH * OW;
  // Row groups of 4 channels are kc * MR elements apart in dst; a pixel's channels i0.. are contiguous in x.
  const groups = (i1 - i0) / MR, tail = (i1 - i0) % MR;
  const gstride = off<T>(<usize>kc * MR);
  let n = pc / ohw, rem = pc % ohw, oh = rem / OW, ow = rem % OW;
  let d = dst;
  for (let k = 0; k < kc; k++) {
    const ih = oh * sh + kh * dh - pt, iw = ow * sw + kw * dw - pl;
    if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
      let s = x + off<T>((<usize>(n * H + ih) * W + iw) * Ci + i0);
      let q = d;
      for (let g = 0; g < groups; g++) {
        v128.store(q, v128.load(s));
        if (sizeof<T>() == 8) v128.store(q, v128.load(s, 16), 16);
        s += off<T>(MR);
        q += gstride;
      }
      if (tail != 0) {
        for (let r = 0; r < MR; r++) store<T>(q + off<T>(r), r < tail ? load<T>(s + off<T>(r)) : <T>0);
      }
    } else {
      let q = d;
      for (let g = 0; g < groups + (tail != 0 ? 1 : 0); g++) {
        v128.store(q, v128.splat<i32>(0));
        if (sizeof<T>() == 8) v128.store(q, v128.splat<i32>(0), 16);
        q += gstride;
      }
    }
    d += off<T>(MR);
    if (++ow == OW) {
      ow = 0;
      if (++oh == OH) {
        oh = 0;
        n++;
      }
    }
  }
}

/** Conv2DBackpropInput's B: filterT[(kh, kw, co), ci] = filter[kh, kw, ci, co], panel columns ci in [j0, j0 + NR). */
@inline export function packBConvInput<T>(p: usize, w: usize, dst: usize, j0: i32): void {
  const NR = nrOf<T>();
  const Ci = pi(p, G_CI), Co = pi(p, G_CO), taps = pi(p, G_KH) * pi(p, G_KW);
  const nr = minI(NR, Ci - j0);
  for (let tap = 0; tap < taps; tap++) {
    for (let co = 0; co < Co; co++) {
      for (let j = 0; j < NR; j++) {
        store<T>(dst + off<T>(j), j < nr ? load<T>(w + off<T>((<usize>tap * Ci + j0 + j) * Co + co)) : <T>0);
      }
      dst += off<T>(NR);
    }
  }
}
