// Conv2D by Winograd's F(2x2, 3x3) for 3x3 filters with unit strides and dilations (float32):
// each 2x2 block of outputs comes from a 4x4 input tile with 16 multiplications per channel pair
// instead of 36. Three transforms around 16 independent products:
//   U[ξ][ci][co] = (G g G^T)[ξ]           filter, once per call, then packed into GEMM panels
//   V[ξ][t][ci]  = (B^T d B)[ξ]           each input tile t, zero outside the image
//   M[ξ]         = V[ξ] · U[ξ]             16 GEMMs [tiles, Ci] x [Ci, Co] (micro-kernel of conv.ts)
//   y            = A^T M A                 each tile's 2x2 outputs
// Tiles go in blocks small enough that a block's V and M stay in the thread's cache-resident scratch;
// blocks are the units threads take. SIMD runs across channels (NHWC keeps them contiguous).
import { pi, pu, minI } from "./common";
import { igemmMicroF32 } from "./conv";

// Parameter slots (above those of gemm.ts, which runs between the transforms).
const W_X = 60, W_F = 61, W_U = 62, W_UP = 63, W_OUT = 65, W_N = 66, W_H = 67, W_W = 68, W_CI = 69,
  W_OH = 70, W_OW = 71, W_CO = 72, W_PT = 73, W_PL = 74, W_TH = 75, W_TW = 76, W_PANELS = 77, W_BLOCK = 78,
  W_SCRATCH = 79, W_SCRATCH_STRIDE = 80;

@inline function ld(p: usize): v128 {
  return v128.load(p);
}
@inline function half(v: v128): v128 {
  return f32x4.mul(v, f32x4.splat(0.5));
}

/** U = G g G^T for input channel `ci`, all output channels. Units: input channels. */
export function wino_filter_run(p: usize, tid: i32, start: i32, end: i32): void {
  const f = pu(p, W_F), U = pu(p, W_U);
  const Ci = pi(p, W_CI), Co = pi(p, W_CO);
  const tap = <usize>Ci * Co << 2; // bytes between filter taps (HWIO)
  const plane = <usize>Ci * Co << 2; // bytes between the 16 planes of U
  for (let ci = start; ci < end; ci++) {
    let co = 0;
    for (; co < Co; co += 4) {
      const vec = co + 4 <= Co;
      const base = f + ((<usize>ci * Co + co) << 2);
      // g[kh][kw] as vectors over 4 output channels (a partial vector at the end is padded with zeros).
      const g00 = gload(base, 0, tap, vec, Co - co), g01 = gload(base, 1, tap, vec, Co - co), g02 = gload(base, 2, tap, vec, Co - co);
      const g10 = gload(base, 3, tap, vec, Co - co), g11 = gload(base, 4, tap, vec, Co - co), g12 = gload(base, 5, tap, vec, Co - co);
      const g20 = gload(base, 6, tap, vec, Co - co), g21 = gload(base, 7, tap, vec, Co - co), g22 = gload(base, 8, tap, vec, Co - co);
      // Rows: G g (4 x 3).
      const r00 = g00, r01 = g01, r02 = g02;
      const r10 = half(f32x4.add(f32x4.add(g00, g10), g20)), r11 = half(f32x4.add(f32x4.add(g01, g11), g21)), r12 = half(f32x4.add(f32x4.add(g02, g12), g22));
      const r20 = half(f32x4.add(f32x4.sub(g00, g10), g20)), r21 = half(f32x4.add(f32x4.sub(g01, g11), g21)), r22 = half(f32x4.add(f32x4.sub(g02, g12), g22));
      const r30 = g20, r31 = g21, r32 = g22;
      const out = U + ((<usize>ci * Co + co) << 2);
      urow(out, 0, plane, r00, r01, r02, vec, Co - co);
      urow(out, 4, plane, r10, r11, r12, vec, Co - co);
      urow(out, 8, plane, r20, r21, r22, vec, Co - co);
      urow(out, 12, plane, r30, r31, r32, vec, Co - co);
    }
  }
}

@inline function gload(base: usize, t: i32, tap: usize, vec: bool, left: i32): v128 {
  const a = base + <usize>t * tap;
  if (vec) return ld(a);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(a));
  if (left > 1) v = f32x4.replace_lane(v, 1, load<f32>(a, 4));
  if (left > 2) v = f32x4.replace_lane(v, 2, load<f32>(a, 8));
  return v;
}

@inline function put(a: usize, v: v128, vec: bool, left: i32): void {
  if (vec) {
    v128.store(a, v);
    return;
  }
  store<f32>(a, f32x4.extract_lane(v, 0));
  if (left > 1) store<f32>(a, f32x4.extract_lane(v, 1), 4);
  if (left > 2) store<f32>(a, f32x4.extract_lane(v, 2), 8);
}

/** One row of (G g) G^T: planes xi0..xi0+3 get [c0, (c0+c1+c2)/2, (c0-c1+c2)/2, c2]. */
@inline function urow(out: usize, xi0: i32, plane: usize, c0: v128, c1: v128, c2: v128, vec: bool, left: i32): void {
  put(out + <usize>xi0 * plane, c0, vec, left);
  put(out + <usize>(xi0 + 1) * plane, half(f32x4.add(f32x4.add(c0, c1), c2)), vec, left);
  put(out + <usize>(xi0 + 2) * plane, half(f32x4.add(f32x4.sub(c0, c1), c2)), vec, left);
  put(out + <usize>(xi0 + 3) * plane, c2, vec, left);
}

/** V = B^T d B for tiles [t0, t1) into V (tile t at row t - t0 of each plane; planes `plane` bytes apart). */
@inline function inputTransform(p: usize, t0: i32, t1: i32, V: usize, plane: usize): void {
  const x = pu(p, W_X);
  const H = pi(p, W_H), W = pi(p, W_W), Ci = pi(p, W_CI), pt = pi(p, W_PT), pl = pi(p, W_PL);
  const TH = pi(p, W_TH), TW = pi(p, W_TW);
  const zero = f32x4.splat(0);
  for (let t = t0; t < t1; t++) {
    const n = t / (TH * TW), rem = t % (TH * TW), th = rem / TW, tw = rem % TW;
    const ih0 = th * 2 - pt, iw0 = tw * 2 - pl;
    const inside = ih0 >= 0 && ih0 + 3 < H && iw0 >= 0 && iw0 + 3 < W;
    const out = V + ((<usize>(t - t0) * Ci) << 2);
    for (let ci = 0; ci < Ci; ci += 4) {
      const vec = ci + 4 <= Ci;
      const left = Ci - ci;
      // d[r][c]: the 4x4 patch for channels ci..ci+3.
      let d00 = zero, d01 = zero, d02 = zero, d03 = zero, d10 = zero, d11 = zero, d12 = zero, d13 = zero;
      let d20 = zero, d21 = zero, d22 = zero, d23 = zero, d30 = zero, d31 = zero, d32 = zero, d33 = zero;
      if (inside && vec) {
        const row = <usize>W * Ci << 2;
        const px = <usize>Ci << 2;
        let a = x + ((<usize>((n * H + ih0) * W + iw0) * Ci + ci) << 2);
        d00 = ld(a); d01 = ld(a + px); d02 = ld(a + 2 * px); d03 = ld(a + 3 * px); a += row;
        d10 = ld(a); d11 = ld(a + px); d12 = ld(a + 2 * px); d13 = ld(a + 3 * px); a += row;
        d20 = ld(a); d21 = ld(a + px); d22 = ld(a + 2 * px); d23 = ld(a + 3 * px); a += row;
        d30 = ld(a); d31 = ld(a + px); d32 = ld(a + 2 * px); d33 = ld(a + 3 * px);
      } else {
        d00 = pix(x, n, ih0, iw0, H, W, Ci, ci, left); d01 = pix(x, n, ih0, iw0 + 1, H, W, Ci, ci, left);
        d02 = pix(x, n, ih0, iw0 + 2, H, W, Ci, ci, left); d03 = pix(x, n, ih0, iw0 + 3, H, W, Ci, ci, left);
        d10 = pix(x, n, ih0 + 1, iw0, H, W, Ci, ci, left); d11 = pix(x, n, ih0 + 1, iw0 + 1, H, W, Ci, ci, left);
        d12 = pix(x, n, ih0 + 1, iw0 + 2, H, W, Ci, ci, left); d13 = pix(x, n, ih0 + 1, iw0 + 3, H, W, Ci, ci, left);
        d20 = pix(x, n, ih0 + 2, iw0, H, W, Ci, ci, left); d21 = pix(x, n, ih0 + 2, iw0 + 1, H, W, Ci, ci, left);
        d22 = pix(x, n, ih0 + 2, iw0 + 2, H, W, Ci, ci, left); d23 = pix(x, n, ih0 + 2, iw0 + 3, H, W, Ci, ci, left);
        d30 = pix(x, n, ih0 + 3, iw0, H, W, Ci, ci, left); d31 = pix(x, n, ih0 + 3, iw0 + 1, H, W, Ci, ci, left);
        d32 = pix(x, n, ih0 + 3, iw0 + 2, H, W, Ci, ci, left); d33 = pix(x, n, ih0 + 3, iw0 + 3, H, W, Ci, ci, left);
      }
      // Rows: B^T d (rows 0..3 = d0 - d2, d1 + d2, d2 - d1, d1 - d3).
      const t00 = f32x4.sub(d00, d20), t01 = f32x4.sub(d01, d21), t02 = f32x4.sub(d02, d22), t03 = f32x4.sub(d03, d23);
      const t10 = f32x4.add(d10, d20), t11 = f32x4.add(d11, d21), t12 = f32x4.add(d12, d22), t13 = f32x4.add(d13, d23);
      const t20 = f32x4.sub(d20, d10), t21 = f32x4.sub(d21, d11), t22 = f32x4.sub(d22, d12), t23 = f32x4.sub(d23, d13);
      const t30 = f32x4.sub(d10, d30), t31 = f32x4.sub(d11, d31), t32 = f32x4.sub(d12, d32), t33 = f32x4.sub(d13, d33);
      const o = out + (<usize>ci << 2);
      vrow(o, 0, plane, t00, t01, t02, t03, vec, left);
      vrow(o, 4, plane, t10, t11, t12, t13, vec, left);
      vrow(o, 8, plane, t20, t21, t22, t23, vec, left);
      vrow(o, 12, plane, t30, t31, t32, t33, vec, left);
    }
  }
}

/** Channels ci..ci+3 of pixel (ih, iw) of image n, zero outside the image (or past the last channel). */
@inline function pix(x: usize, n: i32, ih: i32, iw: i32, H: i32, W: i32, Ci: i32, ci: i32, left: i32): v128 {
  if (ih < 0 || ih >= H || iw < 0 || iw >= W) return f32x4.splat(0);
  const a = x + ((<usize>((n * H + ih) * W + iw) * Ci + ci) << 2);
  if (left >= 4) return ld(a);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(a));
  if (left > 1) v = f32x4.replace_lane(v, 1, load<f32>(a, 4));
  if (left > 2) v = f32x4.replace_lane(v, 2, load<f32>(a, 8));
  return v;
}

/** One row of (B^T d) B: planes xi0..xi0+3 get [x0 - x2, x1 + x2, x2 - x1, x1 - x3]. */
@inline function vrow(out: usize, xi0: i32, plane: usize, x0: v128, x1: v128, x2: v128, x3: v128, vec: bool, left: i32): void {
  put(out + <usize>xi0 * plane, f32x4.sub(x0, x2), vec, left);
  put(out + <usize>(xi0 + 1) * plane, f32x4.add(x1, x2), vec, left);
  put(out + <usize>(xi0 + 2) * plane, f32x4.sub(x2, x1), vec, left);
  put(out + <usize>(xi0 + 3) * plane, f32x4.sub(x1, x3), vec, left);
}

/** y = A^T M A for tiles [t0, t1) from M (tile t at row t - t0 of each plane): their 2x2 outputs inside the image. */
@inline function outputTransform(p: usize, t0: i32, t1: i32, M: usize, plane: usize, ldm: i32): void {
  const out = pu(p, W_OUT);
  const Co = pi(p, W_CO), OH = pi(p, W_OH), OW = pi(p, W_OW);
  const TH = pi(p, W_TH), TW = pi(p, W_TW);
  for (let t = t0; t < t1; t++) {
    const n = t / (TH * TW), rem = t % (TH * TW), th = rem / TW, tw = rem % TW;
    const oh = th * 2, ow = tw * 2;
    const src = M + ((<usize>(t - t0) * ldm) << 2);
    for (let co = 0; co < Co; co += 4) {
      const vec = co + 4 <= Co;
      const left = Co - co;
      const s = src + (<usize>co << 2);
      // m[i][j] = plane 4i + j.
      const m00 = mload(s, 0, plane, vec, left), m01 = mload(s, 1, plane, vec, left), m02 = mload(s, 2, plane, vec, left), m03 = mload(s, 3, plane, vec, left);
      const m10 = mload(s, 4, plane, vec, left), m11 = mload(s, 5, plane, vec, left), m12 = mload(s, 6, plane, vec, left), m13 = mload(s, 7, plane, vec, left);
      const m20 = mload(s, 8, plane, vec, left), m21 = mload(s, 9, plane, vec, left), m22 = mload(s, 10, plane, vec, left), m23 = mload(s, 11, plane, vec, left);
      const m30 = mload(s, 12, plane, vec, left), m31 = mload(s, 13, plane, vec, left), m32 = mload(s, 14, plane, vec, left), m33 = mload(s, 15, plane, vec, left);
      // Rows: A^T m (s0 = m0 + m1 + m2, s1 = m1 - m2 - m3).
      const s00 = f32x4.add(f32x4.add(m00, m10), m20), s01 = f32x4.add(f32x4.add(m01, m11), m21);
      const s02 = f32x4.add(f32x4.add(m02, m12), m22), s03 = f32x4.add(f32x4.add(m03, m13), m23);
      const s10 = f32x4.sub(f32x4.sub(m10, m20), m30), s11 = f32x4.sub(f32x4.sub(m11, m21), m31);
      const s12 = f32x4.sub(f32x4.sub(m12, m22), m32), s13 = f32x4.sub(f32x4.sub(m13, m23), m33);
      const y00 = f32x4.add(f32x4.add(s00, s01), s02), y01 = f32x4.sub(f32x4.sub(s01, s02), s03);
      const y10 = f32x4.add(f32x4.add(s10, s11), s12), y11 = f32x4.sub(f32x4.sub(s11, s12), s13);
      const base = out + ((<usize>((n * OH + oh) * OW + ow) * Co + co) << 2);
      const px = <usize>Co << 2, row = <usize>OW * Co << 2;
      put(base, y00, vec, left);
      if (ow + 1 < OW) put(base + px, y01, vec, left);
      if (oh + 1 < OH) {
        put(base + row, y10, vec, left);
        if (ow + 1 < OW) put(base + row + px, y11, vec, left);
      }
    }
  }
}

@inline function mload(s: usize, xi: i32, plane: usize, vec: bool, left: i32): v128 {
  const a = s + <usize>xi * plane;
  if (vec) return ld(a);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(a));
  if (left > 1) v = f32x4.replace_lane(v, 1, load<f32>(a, 4));
  if (left > 2) v = f32x4.replace_lane(v, 2, load<f32>(a, 8));
  return v;
}

/**
 * Conv2D by blocks of tiles: input transform, the 16 products against the packed filter, output
 * transform. Units: blocks of W_BLOCK tiles (a multiple of 4).
 */
export function wino_run(p: usize, tid: i32, start: i32, end: i32): void {
  const Ci = pi(p, W_CI), Co = pi(p, W_CO), panels = pi(p, W_PANELS), B = pi(p, W_BLOCK);
  const tiles = pi(p, W_N) * pi(p, W_TH) * pi(p, W_TW);
  const ldm = panels * 8;
  const up = pu(p, W_UP);
  // Planes one cache line longer than their rows: a power-of-two stride would put all 16 planes of a tile
  // in the same L1 sets (measured: the whole Conv2D 1.25 -> 0.98 ms for [8,32,32,16] x [3,3,16,32]).
  const planeV = (<usize>B * Ci << 2) + 64, planeM = (<usize>B * ldm << 2) + 64;
  const V = pu(p, W_SCRATCH) + <usize>tid * pu(p, W_SCRATCH_STRIDE);
  const M = V + 16 * planeV;
  const ind = M + 16 * planeM;
  for (let u = start; u < end; u++) {
    const t0 = u * B, t1 = minI(tiles, t0 + B);
    const bt = t1 - t0;
    inputTransform(p, t0, t1, V, planeV);
    for (let xi = 0; xi < 16; xi++) {
      const a = V + <usize>xi * planeV, c = M + <usize>xi * planeM;
      const bx = up + ((<usize>xi * panels * Ci * 8) << 2);
      for (let r = 0; r < bt; r += 4) {
        // Rows past the block's last tile read row 0; their products are never used.
        const rowBytes = <usize>Ci << 2;
        store<u32>(ind, <u32>(a + <usize>r * rowBytes));
        store<u32>(ind, <u32>(r + 1 < bt ? a + <usize>(r + 1) * rowBytes : a), 4);
        store<u32>(ind, <u32>(r + 2 < bt ? a + <usize>(r + 2) * rowBytes : a), 8);
        store<u32>(ind, <u32>(r + 3 < bt ? a + <usize>(r + 3) * rowBytes : a), 12);
        for (let jp = 0; jp < panels; jp++) {
          igemmMicroF32(1, Ci, ind, bx + ((<usize>jp * Ci * 8) << 2), c + ((<usize>r * ldm + jp * 8) << 2), <usize>ldm << 2);
        }
      }
    }
    outputTransform(p, t0, t1, M, planeM, ldm);
  }
}
