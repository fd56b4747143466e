/** Gather and UnsortedSegmentSum over [outer, n, inner] (assembly/gather.ts). */
import { InvalidArgumentError, sizeFromShape } from "@tessera/core/kernel";
import type { Kernels } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";
import { dtypeCode, elementBytes } from "../codes.js";
import { COPY_PARALLEL } from "./thresholds.js";

export function gatherKernels(b: WasmBackend): Pick<Kernels, "Gather" | "UnsortedSegmentSum"> {
  return {
    Gather: ([x, indices], _attrs, spec) => {
      const [outer, n, inner] = x.shape as [number, number, number];
      const m = indices.shape[0]!;
      const idx = b.ptr(indices);
      const bad = m > 0 ? b.exports.gather_check(idx, m, n) : -1;
      if (bad >= 0) {
        const v = b.heap.i32[(idx >>> 2) + bad];
        throw new InvalidArgumentError(`indices[${bad}] = ${v} is not in [0, ${n}) [Op:GatherV2]`);
      }
      const o = b.output(spec);
      const total = outer * m;
      if (total * inner === 0) return o;
      if (x.dtype === "string") {
        const xs = b.strings(x), os = o.strings!;
        const ids = b.heap.i32.subarray(idx >>> 2, (idx >>> 2) + m);
        for (let r = 0; r < outer; r++) {
          for (let j = 0; j < m; j++) {
            for (let i = 0; i < inner; i++) os[(r * m + j) * inner + i] = xs[(r * n + ids[j]!) * inner + i]!;
          }
        }
        return o;
      }
      b.setInts(0, [elementBytes(x.dtype), b.ptr(x), idx, o.ptr, outer, n, inner, m]);
      b.run("gather_run", total, { work: total * inner, threshold: COPY_PARALLEL, minChunk: 64 });
      return o;
    },
    UnsortedSegmentSum: ([x, indices], { numSegments }, spec) => {
      if (x.dtype !== "float32" && x.dtype !== "float64" && x.dtype !== "int32") b.unsupported("UnsortedSegmentSum", x.dtype);
      const [outer, m, inner] = x.shape as [number, number, number];
      const o = b.output(spec);
      if (sizeFromShape(spec.shape) === 0) return o;
      b.setInts(0, [dtypeCode(x.dtype), b.ptr(x), b.ptr(indices), o.ptr, outer, m, inner, numSegments]);
      b.run("segment_sum_run", outer, { work: outer * m * inner, threshold: COPY_PARALLEL });
      return o;
    },
  };
}
