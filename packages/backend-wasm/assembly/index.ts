// Entry point for asc: every exported function of the wasm module.
export { alloc, free, allocatedBytes, allocatedBlocks, checkHeap } from "./alloc";
export { unary_run } from "./unary";
export { binary_run, where_run } from "./binary";
export { reduce_run } from "./reduce";
export { gemm_run, packb_run } from "./gemm";
export { matmul_c64_run } from "./matmul";
export { igemm_run } from "./conv";
export { pool_run, maxpool_grad_run, avgpool_grad_run } from "./pool";
export { gather_check, gather_run, segment_sum_run } from "./gather";
export { topk_run, searchsorted_run } from "./sort";
export { copy_run } from "./transpose";
export { cast_run } from "./cast";
export { fill_run } from "./fill";
export { complex_part_run } from "./complex";
export { wino_flip_run, wino_filter_run, wino_run } from "./winograd";
