/**
 * BatchMatMul: a cache-blocked, register-tiled kernel. Operands are read through strides, so
 * transposed inputs cost nothing extra: each block is packed (from either layout) into a small
 * contiguous panel that the 4×4 micro-kernel streams through.
 */
import type { Kernels, TensorInfo } from "@tessera/core/kernel";
import { alloc, valuesOf, wrap } from "../backend.js";

type Num = Float32Array | Float64Array | Int32Array;

const KC = 256; // depth of a packed block (fits L1 with the 4-wide panels)
const NC = 512; // columns of B packed at once (fits L2)
const MC = 512; // rows of A per block (bounds the accumulator)

/** Element (row r, col c) of a matrix lives at v[off + r*rs + c*cs]. */
export interface View {
  v: Num;
  off: number;
  rs: number;
  cs: number;
}

function view(t: TensorInfo, batch: number, transposed: boolean): View {
  const [b, r, c] = t.shape as [number, number, number];
  const v = valuesOf<Num>(t);
  const off = b === 1 ? 0 : batch * r * c;
  // Logical (row, col) of the operand as used in the product.
  return transposed ? { v, off, rs: 1, cs: c } : { v, off, rs: c, cs: 1 };
}

/** Packs rows [i0, i0+4) × depth [k0, k0+kc) of A into ap as [k][4] (zero-padded past m). */
function packA(a: View, i0: number, m: number, k0: number, kc: number, ap: Float64Array): void {
  for (let r = 0; r < 4; r++) {
    const i = i0 + r;
    if (i < m) {
      let src = a.off + i * a.rs + k0 * a.cs;
      for (let k = 0; k < kc; k++, src += a.cs) ap[k * 4 + r] = a.v[src]!;
    } else {
      for (let k = 0; k < kc; k++) ap[k * 4 + r] = 0;
    }
  }
}

/** Packs depth [k0, k0+kc) × columns [j0, j0+nc) of B into bp as panels of 4 columns, [panel][k][4]. */
function packB(b: View, k0: number, kc: number, j0: number, nc: number, bp: Float64Array): void {
  const panels = Math.ceil(nc / 4);
  for (let p = 0; p < panels; p++) {
    const base = p * kc * 4;
    for (let c = 0; c < 4; c++) {
      const j = j0 + p * 4 + c;
      if (j < j0 + nc) {
        let src = b.off + k0 * b.rs + j * b.cs;
        for (let k = 0; k < kc; k++, src += b.rs) bp[base + k * 4 + c] = b.v[src]!;
      } else {
        for (let k = 0; k < kc; k++) bp[base + k * 4 + c] = 0;
      }
    }
  }
}

/** C[i0.., j0..] += Ap · Bp for one 4×4 tile, accumulating in registers. */
function micro(ap: Float64Array, bp: Float64Array, bBase: number, kc: number, c: Float64Array, ci: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let k = 0, pa = 0, pb = bBase; k < kc; k++, pa += 4, pb += 4) {
    const a0 = ap[pa]!, a1 = ap[pa + 1]!, a2 = ap[pa + 2]!, a3 = ap[pa + 3]!;
    const b0 = bp[pb]!, b1 = bp[pb + 1]!, b2 = bp[pb + 2]!, b3 = bp[pb + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  c[ci]! += c00; c[ci + 1]! += c01; c[ci + 2]! += c02; c[ci + 3]! += c03;
  ci += ldc;
  c[ci]! += c10; c[ci + 1]! += c11; c[ci + 2]! += c12; c[ci + 3]! += c13;
  ci += ldc;
  c[ci]! += c20; c[ci + 1]! += c21; c[ci + 2]! += c22; c[ci + 3]! += c23;
  ci += ldc;
  c[ci]! += c30; c[ci + 1]! += c31; c[ci + 2]! += c32; c[ci + 3]! += c33;
}

/**
 * Reusable float64 scratch buffers (C accumulator, packed A, packed B). Allocating and zeroing them per
 * call dominated small products; kernels run one at a time on the js thread, so sharing is safe.
 */
const scratchBuffers: Float64Array[] = [new Float64Array(0), new Float64Array(0), new Float64Array(0)];

function scratch(slot: number, size: number): Float64Array {
  if (scratchBuffers[slot]!.length < size) scratchBuffers[slot] = new Float64Array(Math.max(size, 2 * scratchBuffers[slot]!.length));
  return scratchBuffers[slot]!;
}

/**
 * One matrix product C = A·B (m×k by k×n), accumulated in float64, written to `out` (row stride n)
 * at `outOff` — or added to it when `accumulate` is set (conv filter gradients sum over chunks).
 */
export function gemm(a: View, b: View, m: number, n: number, k: number, out: Num, outOff: number, accumulate = false): void {
  // Row blocks of MC bound the float64 accumulator to MC × NC (B is re-packed per block: cheap).
  for (let i0 = 0; i0 < m; i0 += MC) {
    const rows = Math.min(MC, m - i0);
    gemmRows({ v: a.v, off: a.off + i0 * a.rs, rs: a.rs, cs: a.cs }, b, rows, n, k, out, outOff + i0 * n, accumulate);
  }
}

function gemmRows(a: View, b: View, m: number, n: number, k: number, out: Num, outOff: number, accumulate: boolean): void {
  // C is accumulated in a float64 scratch padded to whole tiles, then rounded into `out` once.
  const mp = Math.ceil(m / 4) * 4;
  const ldc = Math.ceil(Math.min(n, NC) / 4) * 4;
  const c = scratch(0, mp * ldc);
  const ap = scratch(1, Math.min(k, KC) * 4);
  const bp = scratch(2, ldc * Math.min(k, KC));
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    const panels = Math.ceil(nc / 4);
    c.fill(0, 0, mp * ldc);
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kc = Math.min(KC, k - k0);
      packB(b, k0, kc, j0, nc, bp);
      for (let i0 = 0; i0 < m; i0 += 4) {
        packA(a, i0, m, k0, kc, ap);
        for (let p = 0; p < panels; p++) micro(ap, bp, p * kc * 4, kc, c, i0 * ldc + p * 4, ldc);
      }
    }
    for (let i = 0; i < m; i++) {
      const dst = outOff + i * n + j0;
      const src = i * ldc;
      if (accumulate) for (let j = 0; j < nc; j++) out[dst + j]! += c[src + j]!;
      else for (let j = 0; j < nc; j++) out[dst + j] = c[src + j]!;
    }
  }
}

/** Integer matmul wraps around like TensorFlow's int32 (exact products via Math.imul). */
function gemmInt(a: View, b: View, m: number, n: number, k: number, out: Int32Array, outOff: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s = (s + Math.imul(a.v[a.off + i * a.rs + p * a.cs]!, b.v[b.off + p * b.rs + j * b.cs]!)) | 0;
      out[outOff + i * n + j] = s;
    }
  }
}

function complexGemm(a: TensorInfo, b: TensorInfo, ta: boolean, tb: boolean, batches: number, m: number, n: number, k: number): Float32Array {
  const av = valuesOf<Float32Array>(a), bv = valuesOf<Float32Array>(b);
  const o = alloc("complex64", batches * m * n);
  const [ba, ar, ac] = a.shape as [number, number, number];
  const [bb, br, bc] = b.shape as [number, number, number];
  for (let t = 0; t < batches; t++) {
    const ao = ba === 1 ? 0 : t * ar * ac, bo = bb === 1 ? 0 : t * br * bc;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let re = 0, im = 0;
        for (let p = 0; p < k; p++) {
          const x = 2 * (ao + (ta ? p * ac + i : i * ac + p));
          const y = 2 * (bo + (tb ? j * bc + p : p * bc + j));
          re += av[x]! * bv[y]! - av[x + 1]! * bv[y + 1]!;
          im += av[x]! * bv[y + 1]! + av[x + 1]! * bv[y]!;
        }
        o[2 * ((t * m + i) * n + j)] = re;
        o[2 * ((t * m + i) * n + j) + 1] = im;
      }
    }
  }
  return o;
}

export const matmulKernels: Pick<Kernels, "BatchMatMul"> = {
  BatchMatMul: ([a, b], { transposeA, transposeB }, out) => {
    const [batches, m, n] = out.shape as [number, number, number];
    const k = transposeA ? a.shape[1]! : a.shape[2]!;
    if (a.dtype === "complex64") return wrap(complexGemm(a, b, transposeA, transposeB, batches, m, n, k));
    const o = alloc(out.dtype, batches * m * n) as Num;
    for (let t = 0; t < batches; t++) {
      const av = view(a, t, transposeA);
      const bv = view(b, t, transposeB);
      if (a.dtype === "int32") gemmInt(av, bv, m, n, k, o as Int32Array, t * m * n);
      else gemm(av, bv, m, n, k, o, t * m * n);
    }
    return wrap(o);
  },
};
