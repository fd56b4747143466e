/**
 * Broadcasting by strides. Inputs arrive in canonical form (the output's rank, broadcast dims = 1);
 * dims of size 1 are dropped and neighbouring dims that broadcast the same way are merged, so that
 * the wasm loop sees as few, as long rows as possible. A broadcast dim gets stride 0.
 */
import { backendLimitError, broadcastStridesOf, mergeDims } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";

export interface Collapsed {
  readonly dims: number[];
  /** strides[k][d]: element stride of input k along collapsed dim d (0 = broadcast). */
  readonly strides: number[][];
}

/** Most collapsed dims the wasm kernels accept. */
export const MAX_RANK = 16;

export function collapseBroadcast(op: string, outShape: readonly number[], inShapes: readonly (readonly number[])[]): Collapsed {
  // Fast path: no broadcasting at all (the common case) is one flat row.
  if (inShapes.every((s) => s.length === outShape.length && s.every((d, i) => d === outShape[i]))) {
    const n = outShape.reduce((a, d) => a * d, 1);
    return { dims: [n === 0 ? 1 : n], strides: inShapes.map(() => [1]) };
  }
  const { dims, strides } = mergeDims(outShape, inShapes.map(broadcastStridesOf));
  if (dims.length > MAX_RANK) {
    throw backendLimitError(op, "wasm", `broadcasting needs ${dims.length} dimensions after merging; the wasm backend supports ${MAX_RANK}`);
  }
  return { dims, strides };
}

/** Writes rank, dims and strides into the parameter block (slots 2, 8.., 24.., 40.., 56..). */
export function writeBroadcast(b: WasmBackend, c: Collapsed): void {
  b.setInt(2, c.dims.length);
  b.setInts(8, c.dims);
  c.strides.forEach((s, k) => b.setInts(24 + 16 * k, s));
}

/** Host-side walk over a collapsed broadcast (for string tensors): calls fn(i, offset of each input). */
export function forEachBroadcast(c: Collapsed, fn: (i: number, offsets: readonly number[]) => void): void {
  const r = c.dims.length;
  const n = c.dims.reduce((a, v) => a * v, 1);
  const idx = new Array<number>(r).fill(0);
  const offsets = c.strides.map(() => 0);
  for (let i = 0; i < n; i++) {
    fn(i, offsets);
    for (let d = r - 1; d >= 0; d--) {
      idx[d]!++;
      c.strides.forEach((s, k) => (offsets[k]! += s[d]!));
      if (idx[d]! < c.dims[d]!) break;
      c.strides.forEach((s, k) => (offsets[k]! -= s[d]! * c.dims[d]!));
      idx[d] = 0;
    }
  }
}
