/**
 * Work sizes from which an op is split across threads. Below them waking workers costs more than it
 * saves (measured on x86: waking a worker is tens of microseconds).
 */
/** Elementwise ops, in elements. */
export const ELEMENTWISE_PARALLEL = 1 << 16;
/** Minimum elements per chunk of elementwise work. */
export const ELEMENTWISE_MIN_CHUNK = 1 << 13;
/** GEMM-based ops (matmul, convolutions), in multiply-adds. */
export const GEMM_PARALLEL = 1 << 20;
/** Reductions, in input elements. */
export const REDUCE_PARALLEL = 1 << 17;
/** Pooling and other windowed ops, in window elements visited. */
export const WINDOW_PARALLEL = 1 << 17;
/** Copies (transpose, gather, ...), in elements. */
export const COPY_PARALLEL = 1 << 17;
