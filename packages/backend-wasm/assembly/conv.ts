// Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter (NHWC, HWIO) as packed GEMMs (gemm.ts):
// the packers below read the image through the convolution geometry, so no im2col matrix exists.
//   Conv2D:               C[pixels, Co]  = A[pixels, (kh, kw, ci)] · filter[(kh, kw, ci), Co]
//   Conv2DBackpropInput:  C[in pixels, Ci] = A[in pixels, (kh, kw, co)] · filterT[(kh, kw, co), Ci]
//   Conv2DBackpropFilter: per tap, C[Ci, Co] = A[Ci, out pixels] · dy[out pixels, Co]
import { pi, pu, off, minI } from "./common";
import {
  MR, G_A, G_NB, G_H, G_W, G_CI, G_OH, G_OW, G_CO, G_KH, G_KW, G_SH, G_SW, G_DH, G_DW, G_PT, G_PL, nrOf,
} from "./gemm";

/** Conv2D: rows are output pixels (n, oh, ow); k runs over (kh, kw, ci). */
@inline export function packAConv<T>(p: usize, i0: i32, i1: i32, pc: i32, kc: i32, dst: usize): void {
  const x = pu(p, G_A);
  const H = pi(p, G_H), W = pi(p, G_W), Ci = pi(p, G_CI), OH = pi(p, G_OH), OW = pi(p, G_OW);
  const KW = pi(p, G_KW), sh = pi(p, G_SH), sw = pi(p, G_SW), dh = pi(p, G_DH), dw = pi(p, G_DW);
  const pt = pi(p, G_PT), pl = pi(p, G_PL);
  const ohw = OH * OW;
  for (let i = i0; i < i1; i += MR) {
    const g = dst + off<T>(<usize>(i - i0) * kc);
    for (let r = 0; r < MR; r++) {
      const row = i + r;
      let d = g + off<T>(r);
      if (row >= i1) {
        for (let k = 0; k < kc; k++) store<T>(d + off<T>(<usize>k * MR), <T>0);
        continue;
      }
      const n = row / ohw, rem = row % ohw, oh = rem / OW, ow = rem % OW;
      let tap = pc / Ci, ci = pc % Ci;
      let kk = 0;
      while (kk < kc) {
        const kh = tap / KW, kw = tap % KW;
        const ih = oh * sh + kh * dh - pt, iw = ow * sw + kw * dw - pl;
        const run = minI(Ci - ci, kc - kk);
        if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
          let s = x + off<T>((<usize>(n * H + ih) * W + iw) * Ci + ci);
          for (let t = 0; t < run; t++) {
            store<T>(d, load<T>(s));
            s += sizeof<T>();
            d += off<T>(MR);
          }
        } else {
          for (let t = 0; t < run; t++) {
            store<T>(d, <T>0);
            d += off<T>(MR);
          }
        }
        kk += run;
        tap++;
        ci = 0;
      }
    }
  }
}

/** Conv2DBackpropInput: rows are input pixels (n, h, w); k runs over (kh, kw, co); A reads dy. */
@inline export function packAConvInput<T>(p: usize, i0: i32, i1: i32, pc: i32, kc: i32, dst: usize): void {
  const dy = pu(p, G_A);
  const H = pi(p, G_H), W = pi(p, G_W), OH = pi(p, G_OH), OW = pi(p, G_OW), Co = pi(p, G_CO);
  const KW = pi(p, G_KW), sh = pi(p, G_SH), sw = pi(p, G_SW), dh = pi(p, G_DH), dw = pi(p, G_DW);
  const pt = pi(p, G_PT), pl = pi(p, G_PL);
  const hw = H * W;
  for (let i = i0; i < i1; i += MR) {
    const g = dst + off<T>(<usize>(i - i0) * kc);
    for (let r = 0; r < MR; r++) {
      const row = i + r;
      let d = g + off<T>(r);
      if (row >= i1) {
        for (let k = 0; k < kc; k++) store<T>(d + off<T>(<usize>k * MR), <T>0);
        continue;
      }
      const n = row / hw, rem = row % hw, h = rem / W, w = rem % W;
      let tap = pc / Co, co = pc % Co;
      let kk = 0;
      while (kk < kc) {
        const kh = tap / KW, kw = tap % KW;
        const hn = h + pt - kh * dh, wn = w + pl - kw * dw;
        const run = minI(Co - co, kc - kk);
        let valid = hn >= 0 && wn >= 0 && hn % sh == 0 && wn % sw == 0;
        const oh = hn / sh, ow = wn / sw;
        valid = valid && oh < OH && ow < OW;
        if (valid) {
          let s = dy + off<T>((<usize>(n * OH + oh) * OW + ow) * Co + co);
          for (let t = 0; t < run; t++) {
            store<T>(d, load<T>(s));
            s += sizeof<T>();
            d += off<T>(MR);
          }
        } else {
          for (let t = 0; t < run; t++) {
            store<T>(d, <T>0);
            d += off<T>(MR);
          }
        }
        kk += run;
        tap++;
        co = 0;
      }
    }
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
  for (let i = i0; i < i1; i += MR) {
    const mr = minI(MR, i1 - i);
    let d = dst + off<T>(<usize>(i - i0) * kc);
    let n = pc / ohw, rem = pc % ohw, oh = rem / OW, ow = rem % OW;
    for (let k = 0; k < kc; k++) {
      const ih = oh * sh + kh * dh - pt, iw = ow * sw + kw * dw - pl;
      if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
        const s = x + off<T>((<usize>(n * H + ih) * W + iw) * Ci + i);
        if (mr == MR) {
          v128.store(d, v128.load(s));
          if (sizeof<T>() == 8) v128.store(d, v128.load(s, 16), 16);
        } else {
          for (let r = 0; r < MR; r++) store<T>(d + off<T>(r), r < mr ? load<T>(s + off<T>(r)) : <T>0);
        }
      } else {
        v128.store(d, v128.splat<i32>(0));
        if (sizeof<T>() == 8) v128.store(d, v128.splat<i32>(0), 16);
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
