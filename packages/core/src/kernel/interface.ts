/**
 * The kernel interface: the whole contract between @tessera/core and a backend.
 *
 * A backend owns its buffers (`DataId` is opaque to core), answers reads (async always, sync where it
 * can) and implements primitive kernels. Core validates every argument, computes the output shape and
 * dtype, and hands kernels inputs in a canonical form (see each kernel's doc) so that a backend does
 * as little bookkeeping as possible. Everything else — softmax, losses, layers, gradients — is
 * written once in core from these primitives.
 *
 * Where a kernel takes a canonical form, `out.shape` is in that form too (e.g. `[outer, inner]` for a
 * reduction); core gives the tensor it returns the op's real shape afterwards, for free.
 *
 * Rules every kernel follows:
 * - It returns a new DataId holding exactly `out.shape` / `out.dtype` (never aliases an input).
 * - It never mutates inputs.
 * - Inputs have the dtypes core promises (see each doc); core has already rejected the rest.
 * - A backend that cannot do a dtype throws `DtypeError` naming the kernel, the dtype and the backend.
 */
import type { BackendValues, DType } from "../dtypes.js";
import type * as BinaryOps from "../ops/binary.js";
import type * as CompareOps from "../ops/compare.js";
import type * as UnaryOps from "../ops/unary.js";

/** A backend's handle on one buffer. Core never looks inside. */
export type DataId = object;

/** What a kernel sees of a tensor: its buffer, and the shape/dtype core wants it read as. */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** The output a kernel must produce. */
export interface OutSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** A kernel: takes its inputs and attributes, returns the DataId of a new buffer matching `out`. */
export type Kernel<I extends readonly TensorInfo[], A> = (inputs: I, attrs: A, out: OutSpec) => DataId;

type In1 = readonly [TensorInfo];
type In2 = readonly [TensorInfo, TensorInfo];
type In3 = readonly [TensorInfo, TensorInfo, TensorInfo];
type NoAttrs = Record<string, never>;

/** The kernel names declared by a module of op entries (see `ops/table/define.ts`). */
type KernelNameOf<M> = { [K in keyof M]: M[K] extends { readonly kernel: { readonly name: infer N extends string } } ? N : never }[keyof M];

/**
 * Elementwise unary kernels, declared by their op entries in `ops/unary.ts` (dtypes, output dtype,
 * reference): `out.shape` equals the input's shape.
 */
export type UnaryKernelName = KernelNameOf<typeof UnaryOps>;

/**
 * Elementwise binary kernels with NumPy broadcasting, declared by their op entries in `ops/binary.ts`
 * and `ops/compare.ts`. Canonical form: both inputs have the rank of `out.shape`, and each input
 * dimension equals the output dimension or is 1. Both inputs share a dtype. int32 arithmetic wraps
 * (two's complement); FloorDiv/FloorMod use Python semantics; int32 division by zero and int32 Pow
 * with a negative exponent raise InvalidArgumentError on backends that can check (js, wasm).
 */
export type BinaryKernelName = KernelNameOf<typeof BinaryOps> | KernelNameOf<typeof CompareOps>;

/** Strides, dilations and the top/left padding of a 2-D window op; core derives the rest from `out`. */
export interface Conv2DAttrs {
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  /** Padding added before the first row and column (SAME padding splits as TensorFlow: extra at the end). */
  readonly padTop: number;
  readonly padLeft: number;
}

export interface Pool2DAttrs {
  readonly ksize: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly padTop: number;
  readonly padLeft: number;
}

/** Every kernel, with its inputs and attributes. A backend provides a `Partial<Kernels>`. */
export interface Kernels extends Record<UnaryKernelName, Kernel<In1, NoAttrs>>, Record<BinaryKernelName, Kernel<In2, NoAttrs>> {
  /**
   * Reductions. Canonical form: input rank 3 `[outer, n, inner]`, reduced over the middle axis to
   * `out.shape = [outer, inner]`. Core merges contiguous axes and transposes the rest first.
   * Sum Prod: int32 (wrapping), float32, float64 (Sum also complex64). Max Min: int32/float (NaN
   * propagates; an empty reduction gives -Inf/+Inf for floats, INT32_MIN/INT32_MAX for int32).
   * All Any: bool. ArgMax ArgMin: int32/float → int32 index of the first extreme (NaN counts as the
   * extreme, as NumPy); n ≥ 1 guaranteed.
   */
  Sum: Kernel<In1, NoAttrs>;
  Prod: Kernel<In1, NoAttrs>;
  Max: Kernel<In1, NoAttrs>;
  Min: Kernel<In1, NoAttrs>;
  All: Kernel<In1, NoAttrs>;
  Any: Kernel<In1, NoAttrs>;
  ArgMax: Kernel<In1, NoAttrs>;
  ArgMin: Kernel<In1, NoAttrs>;
  /** Converts dtype. float→int32 truncates toward zero (NaN/±Inf → backend-defined); x→bool is x != 0;
   *  complex64→real takes the real part; real→complex64 has zero imaginary part. Not used for string. */
  Cast: Kernel<In1, NoAttrs>;
  /** `cond` (bool), `a`, `b` broadcast to `out.shape`, canonical form as for binary kernels. */
  Where: Kernel<In3, NoAttrs>;
  /** A tensor of `out.shape` filled with `value` (a number for numeric dtypes, `{re, im}` as [re, im] for complex64, a string for string). */
  Fill: Kernel<readonly [], { readonly value: number | string | readonly [number, number] }>;
  /** Batched matmul. a: [Ba, M, K] (or [Ba, K, M] when transposeA), b: [Bb, K, N] (or [Bb, N, K] when transposeB);
   *  Ba === Bb, or one of them is 1 and broadcasts. out: [max(Ba, Bb), M, N]. float32/float64/int32 (complex64 optional). */
  BatchMatMul: Kernel<In2, { readonly transposeA: boolean; readonly transposeB: boolean }>;
  /** Permutes axes: out.shape[i] = x.shape[perm[i]]. Any dtype. */
  Transpose: Kernel<In1, { readonly perm: readonly number[] }>;
  /** Contiguous slice: out = x[begin[i] : begin[i] + out.shape[i]] on each axis. Any dtype. */
  Slice: Kernel<In1, { readonly begin: readonly number[] }>;
  /** Constant padding: paddings[i] = [before, after] on axis i, filled with `constantValue`. Any numeric dtype (and string with ""). */
  Pad: Kernel<In1, { readonly paddings: readonly (readonly [number, number])[]; readonly constantValue: number }>;
  /** Concatenation, canonical form: each input is rank 2 [outer, inner_i]; out is [outer, Σ inner_i]. Any dtype. */
  Concat: Kernel<readonly TensorInfo[], NoAttrs>;
  /** Gather along the middle axis: x [outer, n, inner], indices int32 [m] → out [outer, m, inner].
   *  An index outside [0, n) throws InvalidArgumentError where the backend can check (js, wasm) and gives zeros where it cannot (webgpu). */
  Gather: Kernel<In2, NoAttrs>;
  /** The gradient of Gather: x [outer, m, inner], indices int32 [m] → out [outer, numSegments, inner] with
   *  out[o, indices[j], i] += x[o, j, i]; out-of-range indices are dropped. int32/float32/float64. */
  UnsortedSegmentSum: Kernel<In2, { readonly numSegments: number }>;
  /** Repeats x: out.shape[i] = x.shape[i] * reps[i]. Any dtype. */
  Tile: Kernel<In1, { readonly reps: readonly number[] }>;
  /** 2-D convolution (cross-correlation as TensorFlow): x [N, H, W, Ci] NHWC, filter [KH, KW, Ci, Co] HWIO → out [N, OH, OW, Co]. float32/float64. */
  Conv2D: Kernel<In2, Conv2DAttrs>;
  /** Gradient of Conv2D w.r.t. its input: dy [N, OH, OW, Co], filter [KH, KW, Ci, Co] → out [N, H, W, Ci]. */
  Conv2DBackpropInput: Kernel<In2, Conv2DAttrs>;
  /** Gradient of Conv2D w.r.t. its filter: x [N, H, W, Ci], dy [N, OH, OW, Co] → out [KH, KW, Ci, Co]. */
  Conv2DBackpropFilter: Kernel<In2, Conv2DAttrs>;
  /** Max pooling, NHWC: x [N, H, W, C] → out [N, OH, OW, C]; padding never wins the max. float32/float64. */
  MaxPool: Kernel<In1, Pool2DAttrs>;
  /** Average pooling, NHWC; the divisor counts only in-bounds elements (as TensorFlow). */
  AvgPool: Kernel<In1, Pool2DAttrs>;
  /** Gradient of MaxPool: x [N, H, W, C], dy [N, OH, OW, C] → out like x; each dy goes to the first max of its window. */
  MaxPoolGrad: Kernel<In2, Pool2DAttrs>;
  /** Gradient of AvgPool: dy [N, OH, OW, C] → out [N, H, W, C] (out.shape gives H, W). */
  AvgPoolGrad: Kernel<In1, Pool2DAttrs>;
  /**
   * The first `k` positions of each row in sort order: x [outer, n] → int32 [outer, k] (0 ≤ k ≤ n).
   * Descending puts the largest first, ascending the smallest; NaN counts as larger than +Inf (first
   * when descending, last when ascending); -0 equals +0; equal values keep their order (the lower
   * index first), so a full sort (k = n) is stable. int32, float32, float64.
   */
  TopK: Kernel<In1, { readonly k: number; readonly descending: boolean }>;
  /**
   * Binary search in each row: sorted [outer, n], values [outer, m] (same dtype) → int32 [outer, m].
   * "left": the first position p with !(sorted[p] < v) (std::lower_bound); "right": the first p with
   * v < sorted[p] (std::upper_bound), both with IEEE comparisons (a NaN value gives 0 for "left" and n
   * for "right"). Rows that are not sorted give the position that bisection finds. int32, float32, float64.
   */
  SearchSorted: Kernel<In2, { readonly side: "left" | "right" }>;
  /** complex64 from float32 re/im of `out.shape` (canonical broadcast form as binary kernels). */
  Complex: Kernel<In2, NoAttrs>;
  /** Real part of complex64 → float32. */
  Real: Kernel<In1, NoAttrs>;
  /** Imaginary part of complex64 → float32. */
  Imag: Kernel<In1, NoAttrs>;
  /** Complex conjugate (complex64 → complex64). */
  Conj: Kernel<In1, NoAttrs>;
}

export type KernelName = keyof Kernels;

/** Memory a backend reports about itself. */
export interface BackendMemoryInfo {
  /** Bytes the backend holds, pooled and cached buffers included. */
  readonly numBytesInBackend: number;
  /**
   * Bytes held by live buffers only (no pools or caches), where that differs from `numBytesInBackend`.
   * The conformance suite checks that every test leaves it (or `numBytesInBackend`) where it found it.
   */
  readonly numBytesInUse?: number;
  readonly [extra: string]: unknown;
}

/**
 * A backend. Create one in a factory registered with `registerBackend`; core calls `init` style work
 * through the factory (which may be async) and then uses only what is below.
 */
export interface KernelBackend {
  /** The registered name, e.g. "js". */
  readonly name: string;
  /** The kernels this backend implements. A missing kernel is reported, never routed elsewhere. */
  readonly kernels: Partial<Kernels>;
  /** Dtypes this backend can hold; creating a tensor of another dtype throws DtypeError. */
  readonly dtypes: ReadonlySet<DType>;
  /**
   * The most elements of `dtype` one buffer of this backend can hold (WebGPU: the device's
   * `maxStorageBufferBindingSize`/`maxBufferSize` over the bytes it stores per element; wasm: its
   * memory's maximum). Core refuses an upload or a kernel output beyond it with
   * `ResourceExhaustedError` before the backend is asked. Omitted, or `Infinity` for a dtype held on
   * the host: only core's own limit applies (`MAX_TENSOR_ELEMENTS`, JavaScript's typed-array length).
   */
  maxElements?(dtype: DType): number;
  /** Copies `values` (length = size, or 2·size for complex64) into a new buffer. */
  write(values: BackendValues, shape: readonly number[], dtype: DType): DataId;
  /** Resolves to the values. A backend whose storage is host memory may return it directly (no copy);
   *  callers treat the result as read-only. */
  read(dataId: DataId, dtype: DType, size: number): Promise<BackendValues>;
  /** Synchronous `read`; throws NotImplementedError (saying to use `await t.data()`) where the platform cannot read synchronously. */
  readSync(dataId: DataId, dtype: DType, size: number): BackendValues;
  /** Frees a buffer; core calls it once, when no tensor uses it any more. */
  disposeData(dataId: DataId): void;
  /** What the backend itself holds. */
  memory(): BackendMemoryInfo;
  /** A human description (e.g. the WebGPU adapter) shown by setBackend/ready. */
  describe?(): string;
  /** Releases everything (device, workers). */
  dispose(): void;
}

/** Registered with core: builds a backend, possibly asynchronously (WebGPU adapters, wasm compilation). */
export interface BackendFactory {
  /** Higher wins in the default choice when `usable` agrees. */
  readonly priority: number;
  /** Builds the backend; throws with the reason when it cannot start here. */
  create(): KernelBackend | Promise<KernelBackend>;
  /** Optional synchronous construction, used when a tensor is made before `await tf.ready()`. */
  createSync?(): KernelBackend;
  /** Optional probe for the default choice (e.g. WebGPU: only with a hardware adapter). */
  preferred?(): boolean | Promise<boolean>;
}
