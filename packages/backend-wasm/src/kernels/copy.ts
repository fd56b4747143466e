/**
 * Transpose, Slice, Pad, Concat and Tile: each is one strided N-d copy (assembly/transpose.ts) described
 * by dims and source/destination strides, collapsed so the wasm loop sees long rows. String tensors
 * run the same copy host-side.
 */
import { backendLimitError, mergeDims, sizeFromShape, stridesOf } from "@tessera/core/kernel";
import type { DType, Kernels, TensorInfo } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";
import { elementBytes } from "../codes.js";
import { fillValue } from "./fill.js";
import { COPY_PARALLEL } from "./thresholds.js";
import { MAX_RANK } from "./broadcast.js";

interface CopyDesc {
  dims: number[];
  ss: number[];
  ds: number[];
}

/** Drops size-1 dims and merges neighbours that are contiguous in both source and destination. */
function collapse(d: CopyDesc): CopyDesc {
  const m = mergeDims(d.dims, [d.ss, d.ds]);
  return { dims: m.dims, ss: m.strides[0]!, ds: m.strides[1]! };
}

/** Copies per `desc` from src (+ srcOff elements) to dst (+ dstOff elements). */
function stridedCopy(b: WasmBackend, dtype: DType, src: TensorInfo, dst: { ptr: number; strings: string[] | null },
  srcOff: number, dstOff: number, desc: CopyDesc): void {
  const c = collapse(desc);
  const total = c.dims.reduce((a, n) => a * n, 1);
  if (total === 0) return;
  if (dtype === "string") {
    copyStrings(b.strings(src), srcOff, dst.strings!, dstOff, c);
    return;
  }
  if (c.dims.length > MAX_RANK) throw backendLimitError(b.currentOp, "wasm", `needs ${c.dims.length} dimensions after merging contiguous ones; the wasm backend supports ${MAX_RANK}`);
  const es = elementBytes(dtype);
  const r = c.dims.length;
  // A swap of the last two axes of contiguous planes goes to the blocked plane transpose.
  const swap = r >= 2 && c.ss[r - 2] === 1 && c.ds[r - 1] === 1 && c.ss[r - 1] === c.dims[r - 2] &&
    (r === 2 || (r === 3 && c.ss[0] === c.dims[1]! * c.dims[2]! && c.ds[0] === c.dims[1]! * c.dims[2]!));
  b.setInts(0, [es, 0, r, b.ptr(src) + srcOff * es, dst.ptr + dstOff * es, swap ? 1 : 0]);
  if (swap) {
    const planes = r === 3 ? c.dims[0]! : 1;
    const C = c.dims[r - 2]!, R = c.dims[r - 1]!;
    b.setInts(8, [planes, R, C]);
    b.setInt(24, R * C);
    b.setInt(40, R * C);
    b.run("copy_run", planes, { work: total, threshold: COPY_PARALLEL });
    return;
  }
  b.setInts(8, c.dims);
  b.setInts(24, c.ss);
  b.setInts(40, c.ds);
  const rows = total / c.dims[r - 1]!;
  b.run("copy_run", rows, { work: total, threshold: COPY_PARALLEL, minChunk: Math.max(1, Math.ceil(4096 / c.dims[r - 1]!)) });
}

function copyStrings(src: string[], so: number, dst: string[], dOff: number, c: CopyDesc): void {
  const r = c.dims.length;
  const idx = new Array<number>(r).fill(0);
  const total = c.dims.reduce((a, n) => a * n, 1);
  for (let i = 0; i < total; i++) {
    let s = so, d = dOff;
    for (let k = 0; k < r; k++) {
      s += idx[k]! * c.ss[k]!;
      d += idx[k]! * c.ds[k]!;
    }
    dst[d] = src[s]!;
    for (let k = r - 1; k >= 0; k--) {
      if (++idx[k]! < c.dims[k]!) break;
      idx[k] = 0;
    }
  }
}

export function copyKernels(b: WasmBackend): Pick<Kernels, "Transpose" | "Slice" | "Pad" | "Concat" | "Tile"> {
  return {
    Transpose: ([x], { perm }, spec) => {
      const o = b.output(spec);
      const xs = stridesOf(x.shape);
      stridedCopy(b, x.dtype, x, o, 0, 0, { dims: [...spec.shape], ss: perm.map((p) => xs[p]!), ds: stridesOf(spec.shape) });
      return o;
    },
    Slice: ([x], { begin }, spec) => {
      const o = b.output(spec);
      const xs = stridesOf(x.shape);
      const off = begin.reduce((a, v, i) => a + v * xs[i]!, 0);
      stridedCopy(b, x.dtype, x, o, off, 0, { dims: [...spec.shape], ss: xs, ds: stridesOf(spec.shape) });
      return o;
    },
    Pad: ([x], { paddings, constantValue }, spec) => {
      const o = b.output(spec);
      const n = sizeFromShape(spec.shape);
      if (x.dtype === "string") o.strings!.fill("");
      else fillValue(b, o.ptr, x.dtype, n, constantValue, 0);
      const os = stridesOf(spec.shape);
      const off = paddings.reduce((a, [before], i) => a + before * os[i]!, 0);
      stridedCopy(b, x.dtype, x, o, 0, off, { dims: [...x.shape], ss: stridesOf(x.shape), ds: os });
      return o;
    },
    Concat: (inputs, _attrs, spec) => {
      const o = b.output(spec);
      const [outer, total] = spec.shape as [number, number];
      let col = 0;
      for (const t of inputs) {
        const inner = t.shape[1]!;
        stridedCopy(b, spec.dtype, t, o, 0, col, { dims: [outer, inner], ss: [inner, 1], ds: [total, 1] });
        col += inner;
      }
      return o;
    },
    Tile: ([x], { reps }, spec) => {
      const o = b.output(spec);
      const xs = stridesOf(x.shape), os = stridesOf(spec.shape);
      const dims: number[] = [], ss: number[] = [], ds: number[] = [];
      x.shape.forEach((n, i) => {
        dims.push(reps[i]!, n);
        ss.push(0, xs[i]!);
        ds.push(n * os[i]!, os[i]!);
      });
      stridedCopy(b, x.dtype, x, o, 0, 0, { dims, ss, ds });
      return o;
    },
  };
}
