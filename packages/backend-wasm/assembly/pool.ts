// MaxPool, AvgPool and their gradients, NHWC; SIMD runs across channels.
// Padding never wins the max; the average divides by the number of in-bounds elements (as TensorFlow).
import { F32, pi, pu, off, lanes, minI, maxI } from "./common";

// params: 0 dtype, 1 x (or dy), 2 out, 3 N, 4 H, 5 W, 6 C, 7 OH, 8 OW, 9 KH, 10 KW, 11 sh, 12 sw, 13 pt, 14 pl, 15 dy (MaxPoolGrad)
const P_DT = 0, P_X = 1, P_OUT = 2, P_N = 3, P_H = 4, P_W = 5, P_C = 6, P_OH = 7, P_OW = 8, P_KH = 9, P_KW = 10,
  P_SH = 11, P_SW = 12, P_PT = 13, P_PL = 14, P_DY = 15;

@inline function poolRow<T>(p: usize, u: i32, isMax: bool): void {
  const x = pu(p, P_X), out = pu(p, P_OUT);
  const H = pi(p, P_H), W = pi(p, P_W), C = pi(p, P_C), OH = pi(p, P_OH), OW = pi(p, P_OW);
  const KH = pi(p, P_KH), KW = pi(p, P_KW), sh = pi(p, P_SH), sw = pi(p, P_SW), pt = pi(p, P_PT), pl = pi(p, P_PL);
  const L = lanes<T>();
  const n = u / OH, oh = u % OH;
  const h0 = maxI(0, oh * sh - pt), h1 = minI(H, oh * sh - pt + KH);
  for (let ow = 0; ow < OW; ow++) {
    const w0 = maxI(0, ow * sw - pl), w1 = minI(W, ow * sw - pl + KW);
    const q = out + off<T>((<usize>(n * OH + oh) * OW + ow) * C);
    const count = <T>(maxI(0, h1 - h0) * maxI(0, w1 - w0));
    const init: T = isMax ? <T>-Infinity : <T>0;
    let c = 0;
    for (; c + L <= C; c += L) {
      let acc = v128.splat<T>(init);
      for (let h = h0; h < h1; h++) {
        let s = x + off<T>((<usize>(n * H + h) * W + w0) * C + c);
        for (let w = w0; w < w1; w++) {
          acc = isMax ? v128.max<T>(acc, v128.load(s)) : v128.add<T>(acc, v128.load(s));
          s += off<T>(C);
        }
      }
      v128.store(q + off<T>(c), isMax ? acc : v128.div<T>(acc, v128.splat<T>(count)));
    }
    for (; c < C; c++) {
      let acc = init;
      for (let h = h0; h < h1; h++) {
        for (let w = w0; w < w1; w++) {
          const v = load<T>(x + off<T>((<usize>(n * H + h) * W + w) * C + c));
          acc = isMax ? max<T>(acc, v) : acc + v;
        }
      }
      store<T>(q + off<T>(c), isMax ? acc : acc / count);
    }
  }
}

/** params above, plus 16: 1 for max, 0 for average. Units: output rows (n, oh). */
export function pool_run(p: usize, tid: i32, start: i32, end: i32): void {
  const isMax = pi(p, 16) != 0, f32 = pi(p, P_DT) == F32;
  for (let u = start; u < end; u++) {
    if (f32) { if (isMax) poolRow<f32>(p, u, true); else poolRow<f32>(p, u, false); }
    else { if (isMax) poolRow<f64>(p, u, true); else poolRow<f64>(p, u, false); }
  }
}

/** MaxPoolGrad for one image: each dy goes to the first max of its window (row-major window order). */
@inline function maxPoolGradImage<T>(p: usize, n: i32): void {
  const x = pu(p, P_X), out = pu(p, P_OUT), dy = pu(p, P_DY);
  const H = pi(p, P_H), W = pi(p, P_W), C = pi(p, P_C), OH = pi(p, P_OH), OW = pi(p, P_OW);
  const KH = pi(p, P_KH), KW = pi(p, P_KW), sh = pi(p, P_SH), sw = pi(p, P_SW), pt = pi(p, P_PT), pl = pi(p, P_PL);
  const img = out + off<T>(<usize>n * H * W * C);
  memory.fill(img, 0, off<T>(<usize>H * W * C));
  const xi = x + off<T>(<usize>n * H * W * C);
  for (let oh = 0; oh < OH; oh++) {
    const h0 = maxI(0, oh * sh - pt), h1 = minI(H, oh * sh - pt + KH);
    for (let ow = 0; ow < OW; ow++) {
      const w0 = maxI(0, ow * sw - pl), w1 = minI(W, ow * sw - pl + KW);
      if (h0 >= h1 || w0 >= w1) continue;
      const g = dy + off<T>((<usize>(n * OH + oh) * OW + ow) * C);
      let c0 = 0;
      if (sizeof<T>() == 4) {
        // float32: 4 channels at a time; per lane the first maximum (NaN wins) and where it is.
        for (; c0 + 4 <= C; c0 += 4) {
          let best = v128.splat<f32>(0), at = i32x4.splat(0);
          let first = true;
          for (let h = h0; h < h1; h++) {
            for (let w = w0; w < w1; w++) {
              const o = (h * W + w) * C + c0;
              const v = v128.load(xi + off<T>(<usize>o));
              const ov = i32x4.splat(o);
              if (first) {
                best = v;
                at = ov;
                first = false;
                continue;
              }
              const m = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
              best = v128.bitselect(v, best, m);
              at = v128.bitselect(ov, at, m);
            }
          }
          const gv = g + off<T>(c0);
          let q = img + off<T>(<usize>i32x4.extract_lane(at, 0));
          store<f32>(q, load<f32>(q) + load<f32>(gv));
          q = img + off<T>(<usize>i32x4.extract_lane(at, 1) + 1);
          store<f32>(q, load<f32>(q) + load<f32>(gv, 4));
          q = img + off<T>(<usize>i32x4.extract_lane(at, 2) + 2);
          store<f32>(q, load<f32>(q) + load<f32>(gv, 8));
          q = img + off<T>(<usize>i32x4.extract_lane(at, 3) + 3);
          store<f32>(q, load<f32>(q) + load<f32>(gv, 12));
        }
      }
      for (let c = c0; c < C; c++) {
        let best: T = <T>0, at: usize = 0, found = false;
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const o = (<usize>h * W + w) * C + c;
            const v = load<T>(xi + off<T>(o));
            if (!found || v > best || (v != v && best == best)) {
              best = v;
              at = o;
              found = true;
            }
          }
        }
        const q = img + off<T>(at);
        store<T>(q, load<T>(q) + load<T>(g + off<T>(c)));
      }
    }
  }
}

/** MaxPoolGrad: params above with 1 x, 15 dy, 2 out (like x). Units: images. */
export function maxpool_grad_run(p: usize, tid: i32, start: i32, end: i32): void {
  const f32 = pi(p, P_DT) == F32;
  for (let n = start; n < end; n++) {
    if (f32) maxPoolGradImage<f32>(p, n);
    else maxPoolGradImage<f64>(p, n);
  }
}

/** AvgPoolGrad for input row (n, h): gathers dy / count from every window covering each pixel. */
@inline function avgPoolGradRow<T>(p: usize, u: i32): void {
  const dy = pu(p, P_X), out = pu(p, P_OUT);
  const H = pi(p, P_H), W = pi(p, P_W), C = pi(p, P_C), OH = pi(p, P_OH), OW = pi(p, P_OW);
  const KH = pi(p, P_KH), KW = pi(p, P_KW), sh = pi(p, P_SH), sw = pi(p, P_SW), pt = pi(p, P_PT), pl = pi(p, P_PL);
  const L = lanes<T>();
  const n = u / H, h = u % H;
  // Windows oh with oh*sh - pt <= h < oh*sh - pt + KH.
  const hp = h + pt;
  const oh0 = hp - KH + 1 <= 0 ? 0 : (hp - KH + 1 + sh - 1) / sh, oh1 = minI(OH - 1, hp / sh);
  for (let w = 0; w < W; w++) {
    const wp = w + pl;
    const ow0 = wp - KW + 1 <= 0 ? 0 : (wp - KW + 1 + sw - 1) / sw, ow1 = minI(OW - 1, wp / sw);
    const q = out + off<T>((<usize>(n * H + h) * W + w) * C);
    let c = 0;
    for (; c + L <= C; c += L) store<v128>(q + off<T>(c), v128.splat<T>(<T>0));
    for (; c < C; c++) store<T>(q + off<T>(c), <T>0);
    for (let oh = oh0; oh <= oh1; oh++) {
      const hc = minI(H, oh * sh - pt + KH) - maxI(0, oh * sh - pt);
      for (let ow = ow0; ow <= ow1; ow++) {
        const wc = minI(W, ow * sw - pl + KW) - maxI(0, ow * sw - pl);
        const inv = v128.splat<T>(<T>1 / <T>(hc * wc));
        const invS: T = <T>1 / <T>(hc * wc);
        const g = dy + off<T>((<usize>(n * OH + oh) * OW + ow) * C);
        c = 0;
        for (; c + L <= C; c += L) {
          const qc = q + off<T>(c);
          v128.store(qc, v128.add<T>(v128.load(qc), v128.mul<T>(v128.load(g + off<T>(c)), inv)));
        }
        for (; c < C; c++) {
          const qc = q + off<T>(c);
          store<T>(qc, load<T>(qc) + load<T>(g + off<T>(c)) * invS);
        }
      }
    }
  }
}

/** AvgPoolGrad: params above with 1 dy, 2 out [N, H, W, C]. Units: input rows (n, h). */
export function avgpool_grad_run(p: usize, tid: i32, start: i32, end: i32): void {
  const f32 = pi(p, P_DT) == F32;
  for (let u = start; u < end; u++) {
    if (f32) avgPoolGradRow<f32>(p, u);
    else avgPoolGradRow<f64>(p, u);
  }
}
