// Conv2D by Winograd's F(2x2, 3x3) for 3x3 filters with unit strides and dilations (float32):
// each 2x2 block of outputs comes from a 4x4 input tile with 16 multiplications per channel pair
// instead of 36. Three transforms around 16 independent products:
//   U[ξ][ci][co] = (G g G^T)[ξ]           filter, once per call, then packed into GEMM panels
//   V[ξ][t][ci]  = (B^T d B)[ξ]           each input tile t, zero outside the image
//   M[ξ]         = V[ξ] · U[ξ]             16 GEMMs [tiles, Cp] x [Cp, Co] (Cp: Ci rounded up to 4)
//   y            = A^T M A                 each tile's 2x2 outputs
// Tiles go in blocks small enough that a block's V and M stay in the thread's cache-resident scratch;
// blocks are the units threads take. SIMD runs across channels (NHWC keeps them contiguous). Speed
// notes ([8,32,32,16] x [3,3,16,32], one thread): the products run at ~54 GFLOP/s (the packed GEMM's
// 4 x 8 tile, looping over row groups inside one call: K = Cp is short), the two transforms take a
// fifth of the time.
import { pi, pu, minI, madd, storeTile } from "./common";

// Parameter slots (above those of gemm.ts, which runs between the transforms).
const W_X = 60, W_F = 61, W_U = 62, W_UP = 63, W_OUT = 65, W_N = 66, W_H = 67, W_W = 68, W_CI = 69,
  W_OH = 70, W_OW = 71, W_CO = 72, W_PT = 73, W_PL = 74, W_TH = 75, W_TW = 76, W_PANELS = 77, W_BLOCK = 78,
  W_SCRATCH = 79, W_SCRATCH_STRIDE = 80, W_FLIP_SRC = 81, W_FLIP_DST = 82, W_FLIP_CI = 83, W_FLIP_CO = 84;

@inline function ld(p: usize): v128 {
  return v128.load(p);
}
@inline function half(v: v128): v128 {
  return f32x4.mul(v, f32x4.splat(0.5));
}

/**
 * Conv2DBackpropInput as a Conv2D: dst[kh][kw][co][ci] = src[2 - kh][2 - kw][ci][co] (3x3 HWIO filter
 * [3, 3, Ci, Co] rotated by 180 degrees, channels swapped). Units: taps.
 */
export function wino_flip_run(p: usize, tid: i32, start: i32, end: i32): void {
  const src = pu(p, W_FLIP_SRC), dst = pu(p, W_FLIP_DST), Ci = pi(p, W_FLIP_CI), Co = pi(p, W_FLIP_CO);
  const tap = <usize>Ci * Co;
  for (let t = start; t < end; t++) {
    const s = src + ((<usize>(8 - t) * tap) << 2), d = dst + ((<usize>t * tap) << 2);
    for (let ci = 0; ci < Ci; ci++) {
      for (let co = 0; co < Co; co++) store<f32>(d + ((<usize>co * Ci + ci) << 2), load<f32>(s + ((<usize>ci * Co + co) << 2)));
    }
  }
}

/**
 * U = G g G^T for input channel `ci`, all output channels. U is [16][Cp][Co] with Cp = Ci rounded up to
 * 4; channels Ci..Cp get zeros (they meet the zero lanes of V's padded rows). Units: channels up to Cp.
 */
export function wino_filter_run(p: usize, tid: i32, start: i32, end: i32): void {
  const f = pu(p, W_F), U = pu(p, W_U);
  const Ci = pi(p, W_CI), Co = pi(p, W_CO), Cp = padded(Ci);
  const tap = <usize>Ci * Co << 2; // bytes between filter taps (HWIO)
  const plane = <usize>Cp * Co << 2; // bytes between the 16 planes of U
  for (let ci = start; ci < end; ci++) {
    if (ci >= Ci) {
      for (let xi = 0; xi < 16; xi++) memory.fill(U + <usize>xi * plane + (<usize>ci * Co << 2), 0, <usize>Co << 2);
      continue;
    }
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

/** Channels rounded up to whole vectors: the row length of V and the depth of U. */
@inline function padded(c: i32): i32 {
  return (c + 3) & ~3;
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

/**
 * V = B^T d B for tiles [t0, t1) into V (tile t at row t - t0 of each plane, rows Cp floats; planes
 * `plane` bytes apart). Tiles inside the image are read in place; the others (and every tile when Ci is
 * not a multiple of 4) are first copied into `patch`, zero outside the image and past the last channel.
 */
@inline function inputTransform(p: usize, t0: i32, t1: i32, V: usize, plane: usize, patch: usize): void {
  const x = pu(p, W_X);
  const H = pi(p, W_H), W = pi(p, W_W), Ci = pi(p, W_CI), pt = pi(p, W_PT), pl = pi(p, W_PL);
  const TH = pi(p, W_TH), TW = pi(p, W_TW);
  const Cp = padded(Ci);
  const rowBytes = <usize>W * Ci << 2, pxBytes = <usize>Ci << 2, cpBytes = <usize>Cp << 2;
  let n = t0 / (TH * TW), rem = t0 % (TH * TW), th = rem / TW, tw = rem % TW;
  for (let t = t0; t < t1; t++) {
    const ih0 = th * 2 - pt, iw0 = tw * 2 - pl;
    let src: usize, row: usize, px: usize;
    if (Ci == Cp && ih0 >= 0 && ih0 + 3 < H && iw0 >= 0 && iw0 + 3 < W) {
      src = x + ((<usize>((n * H + ih0) * W + iw0) * Ci) << 2);
      row = rowBytes;
      px = pxBytes;
    } else {
      fillPatch(x, n, ih0, iw0, H, W, Ci, Cp, patch);
      src = patch;
      px = cpBytes;
      row = 4 * cpBytes;
    }
    const out = V + <usize>(t - t0) * cpBytes;
    for (let c: usize = 0; c < cpBytes; c += 16) tile4(src + c, row, px, out + c, plane);
    if (++tw == TW) {
      tw = 0;
      if (++th == TH) {
        th = 0;
        n++;
      }
    }
  }
}

/**
 * The 4x4 patch at (ih0, iw0) of image n as [4][4][Cp], zero outside the image and past channel Ci.
 * Vector loops rather than memory.copy / memory.fill: those are calls out of wasm, slow for 64 bytes.
 */
function fillPatch(x: usize, n: i32, ih0: i32, iw0: i32, H: i32, W: i32, Ci: i32, Cp: i32, patch: usize): void {
  const cpBytes = <usize>Cp << 2, full = <usize>(Ci & ~3) << 2;
  const zero = f32x4.splat(0);
  for (let r = 0; r < 4; r++) {
    const ih = ih0 + r;
    for (let c = 0; c < 4; c++) {
      const iw = iw0 + c;
      const dst = patch + <usize>(r * 4 + c) * cpBytes;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) {
        for (let k: usize = 0; k < cpBytes; k += 16) v128.store(dst + k, zero);
        continue;
      }
      const src = x + ((<usize>((n * H + ih) * W + iw) * Ci) << 2);
      let k: usize = 0;
      for (; k < full; k += 16) v128.store(dst + k, v128.load(src + k));
      if (k < cpBytes) {
        // The last partial vector: the remaining channels, then zeros.
        let v = zero;
        const left = Ci - (Ci & ~3);
        v = f32x4.replace_lane(v, 0, load<f32>(src + k));
        if (left > 1) v = f32x4.replace_lane(v, 1, load<f32>(src + k, 4));
        if (left > 2) v = f32x4.replace_lane(v, 2, load<f32>(src + k, 8));
        v128.store(dst + k, v);
      }
    }
  }
}

/**
 * B^T d B for one 4x4 patch and 4 channels: d[r][c] at src + r * row + c * px; plane 4i + j gets
 * output (i, j). Columns go two at a time so that at most 8 partial sums are live (no spills).
 */
@inline function tile4(src: usize, row: usize, px: usize, out: usize, plane: usize): void {
  // Columns 0 and 3 of d B: a_r = d_r0 - d_r2, b_r = d_r1 - d_r3.
  let s = src;
  let d0 = ld(s), d1 = ld(s + px), d2 = ld(s + 2 * px), d3 = ld(s + 3 * px);
  const a0 = f32x4.sub(d0, d2), b0 = f32x4.sub(d1, d3);
  s += row;
  d0 = ld(s); d1 = ld(s + px); d2 = ld(s + 2 * px); d3 = ld(s + 3 * px);
  const a1 = f32x4.sub(d0, d2), b1 = f32x4.sub(d1, d3);
  s += row;
  d0 = ld(s); d1 = ld(s + px); d2 = ld(s + 2 * px); d3 = ld(s + 3 * px);
  const a2 = f32x4.sub(d0, d2), b2 = f32x4.sub(d1, d3);
  s += row;
  d0 = ld(s); d1 = ld(s + px); d2 = ld(s + 2 * px); d3 = ld(s + 3 * px);
  const a3 = f32x4.sub(d0, d2), b3 = f32x4.sub(d1, d3);
  btCol(out, 0, plane, a0, a1, a2, a3);
  btCol(out, 3, plane, b0, b1, b2, b3);
  // Columns 1 and 2: e_r = d_r1 + d_r2, f_r = d_r2 - d_r1.
  s = src + px;
  d1 = ld(s); d2 = ld(s + px);
  const e0 = f32x4.add(d1, d2), f0 = f32x4.sub(d2, d1);
  s += row;
  d1 = ld(s); d2 = ld(s + px);
  const e1 = f32x4.add(d1, d2), f1 = f32x4.sub(d2, d1);
  s += row;
  d1 = ld(s); d2 = ld(s + px);
  const e2 = f32x4.add(d1, d2), f2 = f32x4.sub(d2, d1);
  s += row;
  d1 = ld(s); d2 = ld(s + px);
  const e3 = f32x4.add(d1, d2), f3 = f32x4.sub(d2, d1);
  btCol(out, 1, plane, e0, e1, e2, e3);
  btCol(out, 2, plane, f0, f1, f2, f3);
}

/** B^T applied down one column of d B: planes j, 4 + j, 8 + j, 12 + j get [x0 - x2, x1 + x2, x2 - x1, x1 - x3]. */
@inline function btCol(out: usize, j: i32, plane: usize, x0: v128, x1: v128, x2: v128, x3: v128): void {
  const o = out + <usize>j * plane;
  v128.store(o, f32x4.sub(x0, x2));
  v128.store(o + 4 * plane, f32x4.add(x1, x2));
  v128.store(o + 8 * plane, f32x4.sub(x2, x1));
  v128.store(o + 12 * plane, f32x4.sub(x1, x3));
}

/**
 * y = A^T M A for tiles [t0, t1) from M (tile t at row t - t0 of each plane, rows `ldm` floats: whole
 * vectors can be read past Co): their 2x2 outputs inside the image.
 */
@inline function outputTransform(p: usize, t0: i32, t1: i32, M: usize, plane: usize, ldm: i32): void {
  const out = pu(p, W_OUT);
  const Co = pi(p, W_CO), OH = pi(p, W_OH), OW = pi(p, W_OW);
  const TH = pi(p, W_TH), TW = pi(p, W_TW);
  const px = <usize>Co << 2, row = <usize>OW * Co << 2;
  const full = Co & ~3;
  let n = t0 / (TH * TW), rem = t0 % (TH * TW), th = rem / TW, tw = rem % TW;
  for (let t = t0; t < t1; t++) {
    const oh = th * 2, ow = tw * 2;
    const src = M + ((<usize>(t - t0) * ldm) << 2);
    const base = out + ((<usize>((n * OH + oh) * OW + ow) * Co) << 2);
    const right = ow + 1 < OW, below = oh + 1 < OH;
    if (right && below) {
      for (let co = 0; co < full; co += 4) {
        const c = <usize>co << 2;
        atTile(src + c, plane, base + c, px, row, true, true, true, 4);
      }
    } else {
      for (let co = 0; co < full; co += 4) {
        const c = <usize>co << 2;
        atTile(src + c, plane, base + c, px, row, true, right, below, 4);
      }
    }
    if (full < Co) atTile(src + (<usize>full << 2), plane, base + (<usize>full << 2), px, row, false, right, below, Co - full);
    if (++tw == TW) {
      tw = 0;
      if (++th == TH) {
        th = 0;
        n++;
      }
    }
  }
}

/** A^T m A for 4 channels (m[r][c] = plane 4r + c): stores y00, and y01 / y10 / y11 where inside the image. */
@inline function atTile(s: usize, plane: usize, dst: usize, px: usize, row: usize, vec: bool, right: bool, below: bool, left: i32): void {
  // Per row r of m: p_r = m_r0 + m_r1 + m_r2, q_r = m_r1 - m_r2 - m_r3 (m A), then A^T down the columns.
  let a = s;
  let m0 = ld(a), m1 = ld(a + plane), m2 = ld(a + 2 * plane), m3 = ld(a + 3 * plane);
  const p0 = f32x4.add(f32x4.add(m0, m1), m2), q0 = f32x4.sub(f32x4.sub(m1, m2), m3);
  a += 4 * plane;
  m0 = ld(a); m1 = ld(a + plane); m2 = ld(a + 2 * plane); m3 = ld(a + 3 * plane);
  const p1 = f32x4.add(f32x4.add(m0, m1), m2), q1 = f32x4.sub(f32x4.sub(m1, m2), m3);
  a += 4 * plane;
  m0 = ld(a); m1 = ld(a + plane); m2 = ld(a + 2 * plane); m3 = ld(a + 3 * plane);
  const p2 = f32x4.add(f32x4.add(m0, m1), m2), q2 = f32x4.sub(f32x4.sub(m1, m2), m3);
  a += 4 * plane;
  m0 = ld(a); m1 = ld(a + plane); m2 = ld(a + 2 * plane); m3 = ld(a + 3 * plane);
  const p3 = f32x4.add(f32x4.add(m0, m1), m2), q3 = f32x4.sub(f32x4.sub(m1, m2), m3);
  put(dst, f32x4.add(f32x4.add(p0, p1), p2), vec, left);
  if (right) put(dst + px, f32x4.add(f32x4.add(q0, q1), q2), vec, left);
  if (below) {
    put(dst + row, f32x4.sub(f32x4.sub(p1, p2), p3), vec, left);
    if (right) put(dst + row + px, f32x4.sub(f32x4.sub(q1, q2), q3), vec, left);
  }
}

/**
 * One plane's product for one panel: `groups` 4 x 8 tiles, rows a + i * rs (kc floats each) times the
 * packed panel b ([kc][8]) into C (rows `ldc` bytes apart). The row-group loop lives here rather than
 * around a call per tile: with kc as short as 16, per-call overhead cost 15% (measured).
 */
function wmicro(kc: i32, a: usize, rs: usize, b: usize, c: usize, ldc: usize, groups: i32): void {
  const z = f32x4.splat(0);
  for (let g = 0; g < groups; g++) {
    let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
    let a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs;
    let bk = b;
    for (let k = 0; k < kc; k++) {
      const b0 = v128.load(bk), b1 = v128.load(bk, 16);
      let av = v128.load32_splat(a0);
      c00 = madd<f32>(av, b0, c00);
      c01 = madd<f32>(av, b1, c01);
      av = v128.load32_splat(a1);
      c10 = madd<f32>(av, b0, c10);
      c11 = madd<f32>(av, b1, c11);
      av = v128.load32_splat(a2);
      c20 = madd<f32>(av, b0, c20);
      c21 = madd<f32>(av, b1, c21);
      av = v128.load32_splat(a3);
      c30 = madd<f32>(av, b0, c30);
      c31 = madd<f32>(av, b1, c31);
      a0 += 4;
      a1 += 4;
      a2 += 4;
      a3 += 4;
      bk += 32;
    }
    storeTile(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
    a += 4 * rs;
    c += 4 * ldc;
  }
}

/**
 * Conv2D by blocks of tiles: input transform, the 16 products against the packed filter, output
 * transform. Units: blocks of W_BLOCK tiles (a multiple of 4).
 */
export function wino_run(p: usize, tid: i32, start: i32, end: i32): void {
  const Cp = padded(pi(p, W_CI)), panels = pi(p, W_PANELS), B = pi(p, W_BLOCK);
  const tiles = pi(p, W_N) * pi(p, W_TH) * pi(p, W_TW);
  const ldm = panels * 8;
  const up = pu(p, W_UP);
  // Planes one cache line longer than their rows: a power-of-two stride would put all 16 planes of a tile
  // in the same L1 sets (measured: the whole Conv2D 1.25 -> 0.98 ms for [8,32,32,16] x [3,3,16,32]).
  const planeV = (<usize>B * Cp << 2) + 64, planeM = (<usize>B * ldm << 2) + 64;
  const V = pu(p, W_SCRATCH) + <usize>tid * pu(p, W_SCRATCH_STRIDE);
  const M = V + 16 * planeV;
  const patch = M + 16 * planeM;
  for (let u = start; u < end; u++) {
    const t0 = u * B, t1 = minI(tiles, t0 + B);
    const bt = t1 - t0;
    inputTransform(p, t0, t1, V, planeV, patch);
    for (let xi = 0; xi < 16; xi++) {
      const a = V + <usize>xi * planeV, c = M + <usize>xi * planeM;
      const bx = up + ((<usize>xi * panels * Cp * 8) << 2);
      const rowBytes = <usize>Cp << 2, ldc = <usize>ldm << 2;
      // Whole groups of 4 rows: rows past the block's last tile hold stale values whose products are never used.
      for (let jp = 0; jp < panels; jp++) {
        wmicro(Cp, a, rowBytes, bx + ((<usize>jp * Cp * 8) << 2), c + (<usize>jp << 5), ldc, (bt + 3) >> 2);
      }
    }
    outputTransform(p, t0, t1, M, planeM, ldm);
  }
}
