/**
 * Drives the packed GEMM engine of assembly/gemm.ts: one phase packs B into [K][NR] panels, the next
 * computes C in (batch, row block, column block) units, each on whichever thread claims it.
 */
import type { DType } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";
import { dtypeCode } from "../codes.js";
import { GEMM_PARALLEL } from "./thresholds.js";

// Parameter slots (assembly/gemm.ts): 0..18 in the order written by runGemm, the convolution
// geometry from G_NB, and the B-packing slots from G_B (source, mode, source batch stride, panels, batches).
const G_NB = 20, G_B = 40;

/** Rows per work unit (assembly/gemm.ts MC). */
const MC = 64;

/** How the A operand is read (assembly packers). */
export const A_MATMUL = 0, A_CONV = 1, A_CONV_INPUT = 2, A_CONV_FILTER = 3;
/** How the B operand is read. */
export const B_PLAIN = 0, B_TRANSPOSED = 1, B_CONV_INPUT = 2;

export interface GemmSpec {
  dtype: DType;
  aMode: number;
  bMode: number;
  M: number;
  N: number;
  K: number;
  /** Output batches (matmul batch, or filter taps for Conv2DBackpropFilter). */
  batches: number;
  a: number;
  aBatchStride: number;
  transA: boolean;
  b: number;
  /** Distinct B batches (1 = shared by all output batches). */
  bBatches: number;
  bBatchStride: number;
  c: number;
  cBatchStride: number;
  ldc: number;
  /** Convolution geometry [NB, H, W, Ci, OH, OW, Co, KH, KW, sh, sw, dh, dw, pt, pl] (slots 20..34). */
  conv?: readonly number[];
}

export function panelWidth(dtype: DType): number {
  return dtype === "float64" ? 4 : 8;
}

export function runGemm(b: WasmBackend, s: GemmSpec): void {
  const NR = panelWidth(s.dtype);
  const es = s.dtype === "float64" ? 8 : 4;
  const panels = Math.ceil(s.N / NR);
  const packedPerBatch = panels * s.K * NR;
  const packed = b.temp(s.bBatches * packedPerBatch * es, "packed B panels");
  const work = s.batches * s.M * s.N * s.K;
  const rowBlocks = Math.ceil(s.M / MC);
  const [colBlocks, ppb] = columnSplit(b, work, s.batches * rowBlocks, panels);
  // The indirect kernel (convolutions) reads rows of zeros where a window leaves the image.
  const indirect = s.aMode === A_CONV || s.aMode === A_CONV_INPUT;
  const zero = indirect ? b.temp((s.K / (s.conv![7]! * s.conv![8]!)) * es, "a zero row") : 0;
  if (indirect) b.heap.u8.fill(0, zero, zero + (s.K / (s.conv![7]! * s.conv![8]!)) * es);

  b.setInts(0, [
    s.aMode, s.M, s.N, s.K, s.a, packed, s.c, s.batches, s.aBatchStride,
    s.bBatches === 1 ? 0 : packedPerBatch, s.cBatchStride, s.transA ? 1 : 0, b.scratch, b.scratchStride,
    rowBlocks, colBlocks, ppb, s.ldc, dtypeCode(s.dtype), zero,
  ]);
  if (s.conv) b.setInts(G_NB, s.conv);
  b.setInts(G_B, [s.b, s.bMode, s.bBatchStride, panels, s.bBatches]);

  b.run("packb_run", s.bBatches * panels, { work, threshold: GEMM_PARALLEL, minChunk: 4 });
  if (indirect) b.run("igemm_run", rowBlocks * colBlocks, { work, threshold: GEMM_PARALLEL, chunk: 1 });
  else b.run("gemm_run", s.batches * rowBlocks * colBlocks, { work, threshold: GEMM_PARALLEL, chunk: 1 });
}

/** Splits columns too when (batches x row blocks) units cannot keep every thread busy. */
function columnSplit(b: WasmBackend, work: number, units: number, panels: number): [number, number] {
  let colBlocks = 1;
  if (b.parallel && work >= GEMM_PARALLEL) {
    const want = 4 * b.threadCount;
    if (units < want) colBlocks = Math.min(panels, Math.ceil(want / units));
  }
  const ppb = Math.ceil(panels / colBlocks);
  return [Math.ceil(panels / ppb), ppb];
}

/**
 * Packs `batches` matrices [K, N] (row-major, `srcBatchStride` elements apart) into zero-padded
 * panels [K][NR] (packb_run); returns the packed buffer (a temporary of the running kernel).
 */
export function packPanels(b: WasmBackend, dtype: DType, src: number, K: number, N: number, batches: number, srcBatchStride: number): number {
  const NR = panelWidth(dtype);
  const es = dtype === "float64" ? 8 : 4;
  const panels = Math.ceil(N / NR);
  const packed = b.temp(batches * panels * K * NR * es, "packed panels");
  b.setInts(0, [0, 0, N, K, 0, packed, 0, 0, 0, panels * K * NR]);
  b.setInt(18, dtypeCode(dtype));
  b.setInts(G_B, [src, B_PLAIN, srcBatchStride, panels, batches]);
  b.run("packb_run", batches * panels, { work: batches * K * N * 8, threshold: GEMM_PARALLEL, minChunk: 4 });
  return packed;
}
