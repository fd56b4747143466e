/** TopK and SearchSorted over rows (assembly/sort.ts). */
import type { Kernels } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";
import { dtypeCode } from "../codes.js";
import { COPY_PARALLEL } from "./thresholds.js";

export function sortKernels(b: WasmBackend): Pick<Kernels, "TopK" | "SearchSorted"> {
  return {
    TopK: ([x], { k, descending }, spec) => {
      if (x.dtype !== "float32" && x.dtype !== "float64" && x.dtype !== "int32") b.unsupported("TopK", x.dtype);
      const [outer, n] = x.shape as [number, number];
      const o = b.output(spec);
      if (outer * k === 0) return o;
      // Per thread: the row as float64, two position buffers (or the best-k buffer), 8-byte aligned.
      const perThread = Math.ceil((16 * n + 12 * k + 16) / 8) * 8;
      const scratch = b.temp(perThread * b.threadsWanted, "TopK row scratch");
      b.setInts(0, [dtypeCode(x.dtype), b.ptr(x), o.ptr, outer, n, k, descending ? 1 : 0, scratch, perThread]);
      b.run("topk_run", outer, { work: outer * n * Math.max(1, Math.log2(k + 1)), threshold: COPY_PARALLEL });
      return o;
    },
    SearchSorted: ([sorted, values], { side }, spec) => {
      if (sorted.dtype !== "float32" && sorted.dtype !== "float64" && sorted.dtype !== "int32") b.unsupported("SearchSorted", sorted.dtype);
      const [outer, n] = sorted.shape as [number, number];
      const m = values.shape[1]!;
      const o = b.output(spec);
      if (outer * m === 0) return o;
      b.setInts(0, [dtypeCode(sorted.dtype), b.ptr(sorted), b.ptr(values), o.ptr, outer, n, m, side === "right" ? 1 : 0]);
      b.run("searchsorted_run", outer, { work: outer * m * Math.max(1, Math.log2(n + 1)), threshold: COPY_PARALLEL });
      return o;
    },
  };
}
