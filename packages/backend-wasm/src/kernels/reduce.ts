/** Reductions over the middle axis of [outer, n, inner] (assembly/reduce.ts). */
import { REDUCE_KERNELS } from "@tessera/core/kernel";
import type { DType, Kernels, ReduceKernelName } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";
import { dtypeCode, reduceCode } from "../codes.js";
import { REDUCE_PARALLEL } from "./thresholds.js";

const REAL: readonly DType[] = ["int32", "float32", "float64"];
const ALLOWED: Record<ReduceKernelName, readonly DType[]> = {
  Sum: ["int32", "float32", "float64", "complex64"],
  Prod: REAL,
  Max: REAL,
  Min: REAL,
  All: ["bool"],
  Any: ["bool"],
  ArgMax: REAL,
  ArgMin: REAL,
};
/** Columns per work unit when reducing across rows. */
const COLUMN_BLOCK = 256;
/** Elements per chunk when one long row is split across threads. */
const ROW_MIN_CHUNK = 1 << 15;

export function reduceKernels(b: WasmBackend): Pick<Kernels, ReduceKernelName> {
  const out = {} as Record<ReduceKernelName, Kernels[ReduceKernelName]>;
  for (const name of REDUCE_KERNELS) {
    const code = reduceCode(name);
    out[name] = ([x], _attrs, spec) => {
      if (!ALLOWED[name].includes(x.dtype)) b.unsupported(name, x.dtype);
      const [outer, n, inner] = x.shape as [number, number, number];
      const o = b.output(spec);
      if (outer * inner === 0) return o;
      const total = outer * n * inner;
      b.setInts(0, [code, dtypeCode(x.dtype), b.ptr(x), o.ptr, outer, n, inner]);
      const splitRow = outer === 1 && inner === 1 && b.parallel && total >= REDUCE_PARALLEL &&
        name !== "ArgMax" && name !== "ArgMin" && x.dtype !== "complex64";
      if (splitRow) {
        const chunk = b.chunkFor(n, ROW_MIN_CHUNK);
        const nchunks = Math.ceil(n / chunk);
        const partials = b.temp(8 * nchunks, "partial results");
        b.setInts(7, [1, partials, chunk]);
        b.run("reduce_run", n, { work: total, threshold: REDUCE_PARALLEL, chunk });
        const parts = b.heap.f64.subarray(partials >>> 3, (partials >>> 3) + nchunks);
        writeScalar(b, o.ptr, x.dtype, name, combine(name, x.dtype, parts));
        return o;
      }
      const block = inner === 1 ? 1 : COLUMN_BLOCK;
      const units = outer * Math.ceil(inner / block);
      b.setInts(7, [0, 0, 0, block]);
      b.run("reduce_run", units, { work: total, threshold: REDUCE_PARALLEL });
      return o;
    };
  }
  return out;
}

/** Combines per-chunk partial results (all stored as float64) like the kernel would. */
function combine(name: ReduceKernelName, dtype: DType, parts: Float64Array): number {
  let r = parts[0]!;
  for (let i = 1; i < parts.length; i++) {
    const v = parts[i]!;
    switch (name) {
      case "Sum": r = dtype === "int32" ? (r + v) | 0 : r + v; break;
      case "Prod": r = dtype === "int32" ? Math.imul(r, v) : r * v; break;
      case "Max": r = Number.isNaN(r) || Number.isNaN(v) ? NaN : Math.max(r, v); break;
      case "Min": r = Number.isNaN(r) || Number.isNaN(v) ? NaN : Math.min(r, v); break;
      case "All": r = r !== 0 && v !== 0 ? 1 : 0; break;
      case "Any": r = r !== 0 || v !== 0 ? 1 : 0; break;
      default: break;
    }
  }
  return r;
}

function writeScalar(b: WasmBackend, ptr: number, dtype: DType, name: ReduceKernelName, v: number): void {
  if (name === "All" || name === "Any") b.heap.u8[ptr] = v;
  else if (dtype === "int32") b.heap.i32[ptr >>> 2] = v;
  else if (dtype === "float32") b.heap.f32[ptr >>> 2] = v;
  else b.heap.f64[ptr >>> 3] = v;
}
