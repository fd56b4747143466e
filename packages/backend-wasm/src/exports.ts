/** The functions the wasm module exports (see assembly/index.ts). Pointers are byte offsets (u32). */

/** A parallelisable kernel: processes work units [start, end) described by the parameter block at `params`. */
export type RangeFn = (params: number, tid: number, start: number, end: number) => void;

/** Names of the range functions, in the order workers index them. */
export const RANGE_FNS = [
  "unary_run", "binary_run", "where_run", "reduce_run", "gemm_run", "packb_run", "igemm_run", "matmul_c64_run",
  "pool_run", "maxpool_grad_run", "avgpool_grad_run", "gather_run", "segment_sum_run", "copy_run",
  "cast_run", "fill_run", "complex_part_run", "wino_flip_run", "wino_filter_run", "wino_run", "topk_run",
  "searchsorted_run",
] as const;
export type RangeFnName = (typeof RANGE_FNS)[number];

export interface WasmExports extends Record<RangeFnName, RangeFn> {
  alloc(bytes: number): number;
  free(ptr: number): void;
  allocatedBytes(): number;
  allocatedBlocks(): number;
  checkHeap(): number;
  gather_check(indices: number, m: number, n: number): number;
}
