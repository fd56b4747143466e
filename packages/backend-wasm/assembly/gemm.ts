// The packed GEMM engine behind BatchMatMul and the convolutions (conv.ts adds the indirect variant).
//
// C[M, N] (+)= A[M, K] · B[K, N], computed in MR x NR register tiles (4 rows x two v128 of columns: 4x8
// for float32/int32, 4x4 for float64). B is packed once into panels [K][NR] (zero-padded); A is packed per
// thread into [MC rows][KC][MR] blocks by a mode-specific packer (matmul with or without transposeA, or
// the tap-shifted image for the filter gradient), so transposed operands cost the same as plain ones.
// Work units are (batch, row block, column block) triples; each unit overwrites its own part of C, so
// any unit can be recomputed safely.
import { pi, pu, off, lanes, madd, loadSplat, minI, storeTile } from "./common";
import { packAMatmul, packBPlain, packBTransposed } from "./matmul";
import { packAConvFilter, packBConvInput } from "./conv";

export const MR = 4;
export const MC = 64;
export const KC = 256;

// Parameter slots (see src/kernels/gemm.ts, which writes them).
export const G_MODE = 0, G_M = 1, G_N = 2, G_K = 3, G_A = 4, G_BP = 5, G_C = 6, G_BATCHES = 7,
  G_A_BSTRIDE = 8, G_BP_BSTRIDE = 9, G_C_BSTRIDE = 10, G_TRANS_A = 11, G_SCRATCH = 12, G_SCRATCH_STRIDE = 13,
  G_ROW_BLOCKS = 14, G_COL_BLOCKS = 15, G_PANELS_PER_BLOCK = 16, G_LDC = 17, G_DTYPE = 18, G_ZERO = 19,
  G_NB = 20, G_H = 21, G_W = 22, G_CI = 23, G_OH = 24, G_OW = 25, G_CO = 26, G_KH = 27, G_KW = 28,
  G_SH = 29, G_SW = 30, G_DH = 31, G_DW = 32, G_PT = 33, G_PL = 34,
  G_B = 40, G_B_MODE = 41, G_B_SRC_BSTRIDE = 42, G_PANELS = 43, G_B_BATCHES = 44;

/** Panel width in elements: two v128 of T. */
@inline export function nrOf<T>(): i32 {
  return 2 * lanes<T>();
}

/** 4 x NR tile over kc steps of packed A ([kc][4]) and packed B ([kc][NR]); C rows `ldc` bytes apart. */
@inline function micro<T>(kc: i32, a: usize, b: usize, c: usize, ldc: usize, accumulate: bool): void {
  const z = v128.splat<T>(<T>0);
  let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
  const S = sizeof<T>();
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let av = loadSplat<T>(a);
    c00 = madd<T>(av, b0, c00);
    c01 = madd<T>(av, b1, c01);
    av = loadSplat<T>(a, S);
    c10 = madd<T>(av, b0, c10);
    c11 = madd<T>(av, b1, c11);
    av = loadSplat<T>(a, 2 * S);
    c20 = madd<T>(av, b0, c20);
    c21 = madd<T>(av, b1, c21);
    av = loadSplat<T>(a, 3 * S);
    c30 = madd<T>(av, b0, c30);
    c31 = madd<T>(av, b1, c31);
    a += 4 * S;
    b += 32;
  }
  if (accumulate) {
    c00 = v128.add<T>(c00, v128.load(c));
    c01 = v128.add<T>(c01, v128.load(c, 16));
    c10 = v128.add<T>(c10, v128.load(c + ldc));
    c11 = v128.add<T>(c11, v128.load(c + ldc, 16));
    c20 = v128.add<T>(c20, v128.load(c + 2 * ldc));
    c21 = v128.add<T>(c21, v128.load(c + 2 * ldc, 16));
    c30 = v128.add<T>(c30, v128.load(c + 3 * ldc));
    c31 = v128.add<T>(c31, v128.load(c + 3 * ldc, 16));
  }
  storeTile(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31);
}

function microF32(kc: i32, a: usize, b: usize, c: usize, ldc: usize, accumulate: bool): void {
  micro<f32>(kc, a, b, c, ldc, accumulate);
}
function microF64(kc: i32, a: usize, b: usize, c: usize, ldc: usize, accumulate: bool): void {
  micro<f64>(kc, a, b, c, ldc, accumulate);
}
function microI32(kc: i32, a: usize, b: usize, c: usize, ldc: usize, accumulate: bool): void {
  micro<i32>(kc, a, b, c, ldc, accumulate);
}

@inline function microT<T>(kc: i32, a: usize, b: usize, c: usize, ldc: usize, accumulate: bool): void {
  if (isFloat<T>() && sizeof<T>() == 4) microF32(kc, a, b, c, ldc, accumulate);
  else if (isFloat<T>()) microF64(kc, a, b, c, ldc, accumulate);
  else microI32(kc, a, b, c, ldc, accumulate);
}

@inline function packA<T>(p: usize, mode: i32, batch: i32, i0: i32, i1: i32, pc: i32, kc: i32, dst: usize): void {
  if (mode == 0) packAMatmul<T>(p, batch, i0, i1, pc, kc, dst);
  else packAConvFilter<T>(p, batch, i0, i1, pc, kc, dst);
}

@inline function gemmUnit<T>(p: usize, tid: i32, u: i32): void {
  const NR = nrOf<T>();
  const mode = pi(p, G_MODE), M = pi(p, G_M), N = pi(p, G_N), K = pi(p, G_K);
  const rowBlocks = pi(p, G_ROW_BLOCKS), colBlocks = pi(p, G_COL_BLOCKS), ppb = pi(p, G_PANELS_PER_BLOCK);
  const per = rowBlocks * colBlocks;
  const bi = u / per, rem = u % per, rb = rem / colBlocks, cb = rem % colBlocks;
  const i0 = rb * MC, i1 = minI(M, i0 + MC);
  const panels = (N + NR - 1) / NR;
  const jp0 = cb * ppb, jp1 = minI(panels, jp0 + ppb);
  const bp = pu(p, G_BP) + off<T>(<usize>bi * pu(p, G_BP_BSTRIDE));
  const c = pu(p, G_C) + off<T>(<usize>bi * pu(p, G_C_BSTRIDE));
  const ldc = pu(p, G_LDC);
  const ldcBytes = off<T>(ldc);
  const apack = pu(p, G_SCRATCH) + <usize>tid * pu(p, G_SCRATCH_STRIDE);
  const tmp = apack + off<T>(<usize>MC * KC);
  for (let pc = 0; pc < K; pc += KC) {
    const kc = minI(KC, K - pc);
    const acc = pc > 0;
    packA<T>(p, mode, bi, i0, i1, pc, kc, apack);
    for (let jp = jp0; jp < jp1; jp++) {
      const bpan = bp + off<T>((<usize>jp * K + pc) * NR);
      const nr = minI(NR, N - jp * NR);
      for (let i = i0; i < i1; i += MR) {
        const mr = minI(MR, i1 - i);
        const ap = apack + off<T>(<usize>(i - i0) * kc);
        const ct = c + off<T>(<usize>i * ldc + <usize>jp * NR);
        if (mr == MR && nr == NR) {
          microT<T>(kc, ap, bpan, ct, ldcBytes, acc);
        } else {
          microT<T>(kc, ap, bpan, tmp, off<T>(NR), false);
          for (let r = 0; r < mr; r++) {
            for (let j = 0; j < nr; j++) {
              const q = ct + off<T>(<usize>r * ldc + j);
              const v = load<T>(tmp + off<T>(r * NR + j));
              store<T>(q, acc ? load<T>(q) + v : v);
            }
          }
        }
      }
    }
  }
}

/** Compute phase. Units: batches x row blocks x column blocks. */
export function gemm_run(p: usize, tid: i32, start: i32, end: i32): void {
  const dt = pi(p, G_DTYPE);
  for (let u = start; u < end; u++) {
    if (dt == 2) gemmUnit<f32>(p, tid, u);
    else if (dt == 3) gemmUnit<f64>(p, tid, u);
    else gemmUnit<i32>(p, tid, u);
  }
}

@inline function packBUnit<T>(p: usize, u: i32): void {
  const NR = nrOf<T>();
  const panels = pi(p, G_PANELS), K = pi(p, G_K), N = pi(p, G_N);
  const bb = u / panels, jp = u % panels;
  const src = pu(p, G_B) + off<T>(<usize>bb * pu(p, G_B_SRC_BSTRIDE));
  const dst = pu(p, G_BP) + off<T>(<usize>bb * pu(p, G_BP_BSTRIDE) + <usize>jp * K * NR);
  const mode = pi(p, G_B_MODE);
  if (mode == 0) packBPlain<T>(src, dst, K, N, jp * NR);
  else if (mode == 1) packBTransposed<T>(src, dst, K, N, jp * NR);
  else packBConvInput<T>(p, src, dst, jp * NR);
}

/** Packing phase: B (or the filter) into zero-padded panels [K][NR]. Units: B batches x panels. */
export function packb_run(p: usize, tid: i32, start: i32, end: i32): void {
  const dt = pi(p, G_DTYPE);
  for (let u = start; u < end; u++) {
    if (dt == 2) packBUnit<f32>(p, u);
    else if (dt == 3) packBUnit<f64>(p, u);
    else packBUnit<i32>(p, u);
  }
}
