/**
 * Conv2D and its two gradients as packed GEMMs (assembly/conv.ts feeds assembly/gemm.ts):
 * the image is read through the convolution geometry while packing, never copied into an im2col matrix.
 */
import { sizeFromShape } from "@tessera/core/kernel";
import type { Conv2DAttrs, DType, Kernels } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";
import { A_CONV, A_CONV_FILTER, A_CONV_INPUT, B_CONV_INPUT, B_PLAIN, packPanels, runGemm } from "./gemm.js";
import type { GemmSpec } from "./gemm.js";
import { fillZero } from "./fill.js";
import { GEMM_PARALLEL, WINDOW_PARALLEL } from "./thresholds.js";

function geometry(x: readonly number[], f: readonly number[], out: readonly number[], a: Conv2DAttrs): number[] {
  const [NB, H, W, Ci] = x as [number, number, number, number];
  const [KH, KW, , Co] = f as [number, number, number, number];
  const [, OH, OW] = out as [number, number, number, number];
  return [NB, H, W, Ci, OH, OW, Co, KH, KW, a.strides[0], a.strides[1], a.dilations[0], a.dilations[1], a.padTop, a.padLeft];
}

/**
 * Whether Winograd F(2x2, 3x3) beats the direct kernel for a 3x3 filter with unit strides and `ci` x `co`
 * channels. Measured (one thread, [16,28,28,Ci] and [8,32,32,Ci] images): with Ci a multiple of 4 (tiles
 * inside the image are transformed in place) it wins from 4 x 1 channels (1.5x) to 16 x 32 (1.9x) and
 * 64 x 64 (1.4-1.9x); with other Ci every tile is first copied into a padded patch, which pays off only
 * from about 6 x 32 channels (Ci = 1..3 stay direct: up to 1.8x slower through Winograd).
 */
function winogradPays(ci: number, co: number): boolean {
  return ci % 4 === 0 || (ci >= 6 && ci * co >= 128);
}
// Parameter slots of assembly/winograd.ts.
const W_SLOT = 60;

/**
 * Tiles per Winograd block for ci x co channels, or 0 where Winograd does not apply: the block's
 * transformed input and products must fit the thread's scratch, beside the planes' cache-line padding
 * and one zero-padded 4x4 input patch.
 */
function winogradBlock(b: WasmBackend, g: readonly number[], dtype: DType): number {
  const [, , , Ci, , , Co, KH, KW, sh, sw, dh, dw] = g as [
    number, number, number, number, number, number, number, number, number, number, number, number, number];
  if (dtype !== "float32" || KH !== 3 || KW !== 3 || sh !== 1 || sw !== 1 || dh !== 1 || dw !== 1) return 0;
  if (!winogradPays(Ci, Co)) return 0;
  const Cp = Math.ceil(Ci / 4) * 4;
  const perTile = 16 * 4 * (Cp + Math.ceil(Co / 8) * 8);
  const fixed = 32 * 64 + 16 * 4 * Cp;
  const block = Math.min(64, Math.floor((b.scratchStride - fixed) / perTile / 4) * 4);
  return block >= 4 ? block : 0;
}

/** Conv2D by Winograd's minimal filtering (assembly/winograd.ts); returns false where it does not apply. */
function winograd(b: WasmBackend, x: number, f: number, out: number, g: readonly number[], dtype: DType): boolean {
  const [NB, H, W, Ci, OH, OW, Co, , , , , , , pt, pl] = g as [
    number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
  const block = winogradBlock(b, g, dtype);
  if (block === 0) return false;
  const panels = Math.ceil(Co / 8);
  // V's rows and U's depth: whole vectors of input channels.
  const Cp = Math.ceil(Ci / 4) * 4;
  const TH = Math.ceil(OH / 2), TW = Math.ceil(OW / 2), T = NB * TH * TW;
  const U = b.temp(16 * 4 * Cp * Co, "the transformed filter");
  b.setInts(W_SLOT, [x, f, U, 0, 0, out, NB, H, W, Ci, OH, OW, Co, pt, pl, TH, TW, panels, block, b.scratch, b.scratchStride]);
  b.run("wino_filter_run", Cp, { work: 16 * Cp * Co, threshold: WINDOW_PARALLEL });
  const packed = packPanels(b, dtype, U, Cp, Co, 16, Cp * Co);
  b.setInt(W_SLOT + 3, packed);
  b.run("wino_run", Math.ceil(T / block), { work: 16 * T * Ci * Co, threshold: GEMM_PARALLEL, chunk: 1 });
  return true;
}

/**
 * Conv2DBackpropInput with a 3x3 filter and unit strides and dilations is the Conv2D of dy with the filter
 * rotated by 180 degrees and its channels swapped, padded by 2 - pad on top and left (measured: 2x faster
 * through Winograd for [8,32,32,32] -> [8,32,32,16]).
 */
function winogradBackpropInput(b: WasmBackend, dy: number, f: number, out: number, g: readonly number[], dtype: DType): boolean {
  const [NB, H, W, Ci, OH, OW, Co, KH, KW, sh, sw, dh, dw, pt, pl] = g as [
    number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
  if (KH !== 3 || KW !== 3 || sh !== 1 || sw !== 1 || dh !== 1 || dw !== 1) return false;
  const forward = [NB, OH, OW, Co, H, W, Ci, 3, 3, 1, 1, 1, 1, 2 - pt, 2 - pl];
  if (winogradBlock(b, forward, dtype) === 0) return false;
  const flipped = b.temp(9 * Ci * Co * 4, "the rotated filter");
  b.setInts(W_SLOT + 21, [f, flipped, Ci, Co]);
  b.run("wino_flip_run", 9, { work: 9 * Ci * Co, threshold: WINDOW_PARALLEL });
  return winograd(b, dy, flipped, out, forward, dtype);
}

/**
 * A conv as an implicit GEMM on the shared driver: A is read through the conv geometry `g` in
 * `aMode`, B is one matrix, and C (leading dimension N) may hold `batches` outputs `cBatchStride` apart.
 */
function convGemm(
  b: WasmBackend,
  g: readonly number[],
  s: Pick<GemmSpec, "dtype" | "aMode" | "bMode" | "M" | "N" | "K" | "a" | "b" | "c"> & { batches?: number; cBatchStride?: number },
): void {
  runGemm(b, {
    ...s, batches: s.batches ?? 1, aBatchStride: 0, transA: false, bBatches: 1, bBatchStride: 0,
    cBatchStride: s.cBatchStride ?? 0, ldc: s.N, conv: g,
  });
}

function checkFloat(b: WasmBackend, name: string, dtype: DType): asserts dtype is "float32" | "float64" {
  if (dtype !== "float32" && dtype !== "float64") b.unsupported(name, dtype);
}

export function convKernels(b: WasmBackend): Pick<Kernels, "Conv2D" | "Conv2DBackpropInput" | "Conv2DBackpropFilter"> {
  return {
    Conv2D: ([x, f], attrs, spec) => {
      checkFloat(b, "Conv2D", x.dtype);
      const g = geometry(x.shape, f.shape, spec.shape, attrs);
      const [NB, , , Ci, OH, OW, Co, KH, KW] = g as [number, number, number, number, number, number, number, number, number];
      const o = b.output(spec);
      const M = NB * OH * OW, K = KH * KW * Ci;
      if (M * Co === 0) return o;
      if (K === 0) { fillZero(b, o.ptr, spec.dtype, sizeFromShape(spec.shape)); return o; }
      if (winograd(b, b.ptr(x), b.ptr(f), o.ptr, g, x.dtype)) return o;
      convGemm(b, g, { dtype: x.dtype, aMode: A_CONV, bMode: B_PLAIN, M, N: Co, K, a: b.ptr(x), b: b.ptr(f), c: o.ptr });
      return o;
    },
    Conv2DBackpropInput: ([dy, f], attrs, spec) => {
      checkFloat(b, "Conv2DBackpropInput", dy.dtype);
      const g = geometry(spec.shape, f.shape, dy.shape, attrs);
      const [NB, H, W, Ci, , , Co, KH, KW] = g as [number, number, number, number, number, number, number, number, number];
      const o = b.output(spec);
      const M = NB * H * W, K = KH * KW * Co;
      if (M * Ci === 0) return o;
      if (K === 0 || sizeFromShape(dy.shape) === 0) { fillZero(b, o.ptr, spec.dtype, sizeFromShape(spec.shape)); return o; }
      if (winogradBackpropInput(b, b.ptr(dy), b.ptr(f), o.ptr, g, dy.dtype)) return o;
      convGemm(b, g, { dtype: dy.dtype, aMode: A_CONV_INPUT, bMode: B_CONV_INPUT, M, N: Ci, K, a: b.ptr(dy), b: b.ptr(f), c: o.ptr });
      return o;
    },
    Conv2DBackpropFilter: ([x, dy], attrs, spec) => {
      checkFloat(b, "Conv2DBackpropFilter", x.dtype);
      const g = geometry(x.shape, spec.shape, dy.shape, attrs);
      const [NB, , , Ci, OH, OW, Co, KH, KW] = g as [number, number, number, number, number, number, number, number, number];
      const o = b.output(spec);
      const P = NB * OH * OW;
      if (KH * KW * Ci * Co === 0) return o;
      if (P === 0) { fillZero(b, o.ptr, spec.dtype, sizeFromShape(spec.shape)); return o; }
      convGemm(b, g, { dtype: x.dtype, aMode: A_CONV_FILTER, bMode: B_PLAIN, M: Ci, N: Co, K: P, a: b.ptr(x), b: b.ptr(dy), c: o.ptr, batches: KH * KW, cBatchStride: Ci * Co });
      return o;
    },
  };
}
