/**
 * The wasm backend: tensor buffers in wasm linear memory, kernels in assembly/ (SIMD), and a worker pool
 * for large ops. Every kernel call goes through `guard`, which frees whatever the kernel allocated when
 * it throws (out of memory, bad index), so a failed op leaves the backend exactly as it was.
 */
import { NotImplementedError, kernelDtypeError, sizeFromShape } from "@tessera/core/kernel";
import type {
  BackendMemoryInfo, BackendValues, DataId, DType, KernelBackend, Kernels, OutSpec, TensorInfo,
} from "@tessera/core/kernel";
import { elementBytes } from "./codes.js";
import type { RangeFnName, WasmExports } from "./exports.js";
import { WasmHeap } from "./memory.js";
import {
  compileBinary, env, hardwareConcurrency, hasRelaxedSimd, hasSimd, hasWebAssembly, isNode, readBinarySync, threadSupport,
} from "./platform.js";
import type { BinaryName, WasmPaths } from "./wasm-paths.js";
import { ThreadPool } from "./threads.js";
import { allKernels } from "./kernels/index.js";

/** Options for backends created after `configureWasmBackend` is called. */
export interface WasmBackendOptions {
  /** Threads including the main thread; 1 turns workers off. Default: `TESSERA_WASM_THREADS`, else the hardware threads (at most 8). */
  threads?: number;
  /** Use relaxed SIMD (fused multiply-add) where available. Default true. */
  relaxedSimd?: boolean;
  /** Upper limit of wasm memory in MiB (at most 4096, the wasm32 limit). Default 4096. */
  maxMemoryMB?: number;
  /**
   * Where the `.wasm` files are, for bundles that do not copy them next to the code (esbuild, Rollup,
   * a CDN): a directory holding all four (`"/assets/"`, `"https://cdn.example/tessera/"`, or a path
   * in Node), or a URL per file name (`{ "tessera-simd.wasm": "…" }`). Default: `../build/` next to
   * the package's own code, which Vite and Node find without help.
   */
  wasmPaths?: WasmPaths;
}

/** A buffer: bytes in wasm memory, or a host-side array for strings. */
export class WasmData {
  disposed = false;
  constructor(
    readonly ptr: number,
    readonly bytes: number,
    readonly strings: string[] | null,
  ) {}
}

const PARAM_BYTES = 8192;
/**
 * Per-thread scratch: GEMM packs a 64 x 256 block of A (float64: 128 KiB) there; Winograd keeps a block
 * of transformed tiles and their products there (sized to fit).
 */
const SCRATCH_STRIDE = 512 * 1024;
const MAX_THREADS = 32;
const ALL_DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64", "complex64", "string"];

export class WasmBackend implements KernelBackend {
  readonly name = "wasm";
  readonly kernels: Partial<Kernels>;
  readonly dtypes: ReadonlySet<DType> = new Set(ALL_DTYPES);
  readonly heap: WasmHeap;
  readonly exports: WasmExports;
  /** Byte offset of the 8 KiB parameter block kernels describe their work in. */
  readonly params: number;
  /** Per-thread scratch (GEMM packing). */
  readonly scratch: number;
  readonly scratchStride = SCRATCH_STRIDE;
  /** Threads asked for (including the main thread). */
  readonly threadsWanted: number;
  readonly relaxedSimd: boolean;
  readonly binary: BinaryName;
  private readonly module: WebAssembly.Module;
  private pool: ThreadPool | null = null;
  private poolStart: Promise<void> | null = null;
  private threadNote: string;
  private readonly reservedBytes: number;
  private readonly temps: number[] = [];
  private readonly pendingOuts: WasmData[] = [];
  private opName = "";
  private disposed = false;

  private constructor(module: WebAssembly.Module, binary: BinaryName, memory: WebAssembly.Memory, maxPages: number,
    threadsWanted: number, relaxed: boolean, threadNote: string) {
    this.module = module;
    this.binary = binary;
    this.threadsWanted = threadsWanted;
    this.relaxedSimd = relaxed;
    this.threadNote = threadNote;
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    this.exports = instance.exports as unknown as WasmExports;
    this.heap = new WasmHeap(memory, this.exports, maxPages);
    this.params = this.heap.alloc(PARAM_BYTES, "the parameter block");
    this.scratch = this.heap.alloc(SCRATCH_STRIDE * threadsWanted, "thread scratch");
    this.reservedBytes = this.heap.allocatedBytes();
    const raw = allKernels(this) as unknown as Record<string, (inputs: readonly TensorInfo[], attrs: unknown, out: OutSpec) => DataId>;
    const guarded: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(raw)) guarded[name] = this.guard(name, fn);
    this.kernels = guarded as Partial<Kernels>;
  }

  /** Builds a backend synchronously (Node); worker threads start in the background. */
  static createSync(options: WasmBackendOptions = {}): WasmBackend {
    const plan = planBackend(options);
    const module = new WebAssembly.Module(readBinarySync(plan.binary, options.wasmPaths));
    const backend = WasmBackend.instantiate(module, plan);
    if (plan.threads > 1) void backend.startThreads();
    return backend;
  }

  /** Builds a backend and waits for its worker threads. */
  static async create(options: WasmBackendOptions = {}): Promise<WasmBackend> {
    const plan = planBackend(options);
    const module = await compileBinary(plan.binary, options.wasmPaths);
    const backend = WasmBackend.instantiate(module, plan);
    if (plan.threads > 1) await backend.startThreads();
    return backend;
  }

  private static instantiate(module: WebAssembly.Module, plan: BackendPlan): WasmBackend {
    const memory = new WebAssembly.Memory({ initial: 32, maximum: plan.maxPages, shared: plan.shared } as WebAssembly.MemoryDescriptor);
    return new WasmBackend(module, plan.binary, memory, plan.maxPages, plan.threads, plan.relaxed, plan.threadNote);
  }

  /** Starts the worker pool (once); on failure the backend stays single-threaded and says why. */
  startThreads(): Promise<void> {
    if (this.poolStart) return this.poolStart;
    this.poolStart = ThreadPool.start(this.threadsWanted, this.module, this.heap.memory).then(
      (pool) => {
        if (this.disposed) pool.dispose();
        else this.pool = pool;
      },
      (e: unknown) => {
        this.threadNote = `worker threads could not start (${e instanceof Error ? e.message : String(e)})`;
        console.warn(`[tessera wasm] ${this.threadNote}; running on one thread.`);
      },
    );
    return this.poolStart;
  }

  /** Threads in use now (1 while workers are starting, or after they failed). */
  get threadCount(): number {
    return this.pool?.usable ? this.pool.size : 1;
  }

  /** Why fewer threads than asked for are in use ("" when all run). */
  get threadsReason(): string {
    if (this.pool && !this.pool.usable) return this.pool.brokenReason ?? "the thread pool was disposed";
    return this.threadNote;
  }

  /** Test hooks for the thread pool (simulated worker deaths). */
  get threadPoolForTesting(): ThreadPool | null {
    return this.pool;
  }

  /** The most elements of `dtype` one buffer holds: wasm memory at its maximum (strings live on the host). */
  maxElements(dtype: DType): number {
    return dtype === "string" ? Infinity : Math.floor(this.heap.maxBytes / elementBytes(dtype));
  }

  describe(): string {
    const simd = this.relaxedSimd ? "SIMD + relaxed SIMD (FMA)" : "SIMD";
    const threads = this.threadCount;
    const note = this.threadsReason ? `; ${this.threadsReason}` : "";
    return `wasm (${simd}, ${threads} thread${threads === 1 ? "" : "s"}${note})`;
  }

  // ---- data ----

  write(values: BackendValues, shape: readonly number[], dtype: DType): DataId {
    const size = sizeFromShape(shape);
    if (dtype === "string") return new WasmData(0, 0, Array.from(values as string[]));
    const bytes = size * elementBytes(dtype);
    const ptr = this.heap.alloc(Math.max(bytes, 16), `a ${dtype} tensor of shape [${shape.join(", ")}]`);
    const h = this.heap;
    const src = values as Exclude<BackendValues, string[]>;
    switch (dtype) {
      case "bool": {
        const dst = h.u8.subarray(ptr, ptr + size);
        dst.set(src);
        for (let i = 0; i < size; i++) if (dst[i]! > 1) dst[i] = 1;
        break;
      }
      case "int32": h.i32.set(src, ptr >>> 2); break;
      case "float32": h.f32.set(src, ptr >>> 2); break;
      case "float64": h.f64.set(src, ptr >>> 3); break;
      case "complex64": h.f32.set(src, ptr >>> 2); break;
    }
    return new WasmData(ptr, bytes, null);
  }

  readSync(dataId: DataId, dtype: DType, size: number): BackendValues {
    const d = this.live(dataId);
    if (dtype === "string") return [...(d.strings ?? [])];
    const h = this.heap;
    const p = d.ptr;
    switch (dtype) {
      case "bool": return h.u8.slice(p, p + size);
      case "int32": return h.i32.slice(p >>> 2, (p >>> 2) + size);
      case "float32": return h.f32.slice(p >>> 2, (p >>> 2) + size);
      case "float64": return h.f64.slice(p >>> 3, (p >>> 3) + size);
      case "complex64": return h.f32.slice(p >>> 2, (p >>> 2) + 2 * size);
    }
  }

  read(dataId: DataId, dtype: DType, size: number): Promise<BackendValues> {
    try {
      return Promise.resolve(this.readSync(dataId, dtype, size));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  disposeData(dataId: DataId): void {
    const d = dataId as WasmData;
    if (!(d instanceof WasmData) || d.disposed) return;
    d.disposed = true;
    if (d.strings === null && !this.disposed) this.heap.free(d.ptr);
  }

  memory(): BackendMemoryInfo {
    return {
      numBytesInBackend: this.heap.allocatedBytes() - this.reservedBytes,
      wasmMemoryBytes: this.heap.size(),
      threads: this.threadCount,
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pool?.dispose();
    this.pool = null;
  }

  // ---- helpers for kernels (src/kernels/*) ----

  /** The live buffer behind a tensor. */
  live(dataId: DataId): WasmData {
    const d = dataId as WasmData;
    if (!(d instanceof WasmData)) throw new Error("This tensor's data does not belong to the wasm backend.");
    if (d.disposed) throw new Error("This tensor's data was already disposed.");
    return d;
  }

  ptr(t: TensorInfo): number {
    return this.live(t.dataId).ptr;
  }

  strings(t: TensorInfo): string[] {
    return this.live(t.dataId).strings ?? [];
  }

  /** A new output buffer for `out`, freed again if the kernel fails. */
  output(out: OutSpec): WasmData {
    const size = sizeFromShape(out.shape);
    if (out.dtype === "string") return new WasmData(0, 0, new Array<string>(size).fill(""));
    const bytes = size * elementBytes(out.dtype);
    const ptr = this.heap.alloc(Math.max(bytes, 16), `the ${out.dtype} output of ${this.opName} (shape [${out.shape.join(", ")}])`);
    const d = new WasmData(ptr, bytes, null);
    this.pendingOuts.push(d);
    return d;
  }

  /** Scratch memory freed when the kernel returns. */
  temp(bytes: number, what: string): number {
    const ptr = this.heap.alloc(Math.max(bytes, 16), `${what} in ${this.opName}`);
    this.temps.push(ptr);
    return ptr;
  }

  /** Sets int32 slot i of the parameter block. */
  setInt(i: number, v: number): void {
    this.heap.i32[(this.params >>> 2) + i] = v;
  }

  /** Sets consecutive int32 slots from `start`. */
  setInts(start: number, values: readonly number[]): void {
    this.heap.i32.set(values, (this.params >>> 2) + start);
  }

  /** Sets float64 slot i (at byte 512 of the parameter block). */
  setFloat(i: number, v: number): void {
    this.heap.f64[((this.params + 512) >>> 3) + i] = v;
  }

  /** Whether a parallel run can use workers right now. */
  get parallel(): boolean {
    return this.pool !== null && this.pool.usable;
  }

  /**
   * Runs a range function over [0, total). With `work` at or above `threshold` (in the op's own units,
   * e.g. elements or multiply-adds) it is split across threads in chunks of at least `minChunk` units
   * (or exactly `chunk` units when given).
   */
  run(name: RangeFnName, total: number, opts: { work: number; threshold: number; minChunk?: number; chunk?: number }): void {
    if (total <= 0) return;
    const pool = this.pool;
    if (pool === null || !pool.usable || opts.work < opts.threshold || total < 2) {
      this.exports[name](this.params, 0, 0, total);
      return;
    }
    let chunk = opts.chunk ?? Math.max(opts.minChunk ?? 1, Math.ceil(total / (pool.size * 4)));
    chunk = Math.max(chunk, Math.ceil(total / 255));
    pool.run(this.exports, name, this.params, total, chunk);
  }

  /** Chunk size `run` will use for `total` units (for kernels whose chunks write per-chunk partials). */
  chunkFor(total: number, minChunk: number): number {
    const threads = this.pool?.usable ? this.pool.size : 1;
    return Math.max(minChunk, Math.ceil(total / (threads * 4)), Math.ceil(total / 255));
  }

  unsupported(kernel: string, dtype: DType): never {
    throw kernelDtypeError(kernel, dtype, "wasm");
  }

  /** The kernel running now (for error messages). */
  get currentOp(): string {
    return this.opName;
  }

  /** Int32 slot i of the parameter block (kernels report results and errors there). */
  getInt(i: number): number {
    return this.heap.i32[(this.params >>> 2) + i]!;
  }

  private guard(name: string, fn: (inputs: readonly TensorInfo[], attrs: unknown, out: OutSpec) => DataId) {
    return (inputs: readonly TensorInfo[], attrs: unknown, out: OutSpec): DataId => {
      if (this.disposed) throw new Error("The wasm backend was disposed.");
      this.opName = name;
      try {
        const id = fn(inputs, attrs, out);
        this.pendingOuts.length = 0;
        return id;
      } catch (e) {
        for (const d of this.pendingOuts) this.disposeData(d);
        this.pendingOuts.length = 0;
        throw e;
      } finally {
        for (const t of this.temps) this.heap.free(t);
        this.temps.length = 0;
      }
    };
  }
}

interface BackendPlan {
  binary: BinaryName;
  relaxed: boolean;
  shared: boolean;
  threads: number;
  threadNote: string;
  maxPages: number;
}

function planBackend(options: WasmBackendOptions): BackendPlan {
  if (!hasWebAssembly()) throw new NotImplementedError("The wasm backend needs WebAssembly, which this environment lacks. Use the js backend.");
  if (!hasSimd()) {
    throw new NotImplementedError(
      "The wasm backend needs WebAssembly SIMD (128-bit), which this environment lacks " +
        `(${isNode ? "Node 16.4 or newer has it" : "Chrome 91+, Firefox 89+, Safari 16.4+ have it"}). Use the js backend.`,
    );
  }
  const relaxed = options.relaxedSimd !== false && env("TESSERA_WASM_RELAXED_SIMD") !== "0" && hasRelaxedSimd(true);
  const envThreads = Number.parseInt(env("TESSERA_WASM_THREADS") ?? "", 10);
  let threads = options.threads ?? (Number.isFinite(envThreads) && envThreads > 0 ? envThreads : Math.min(8, hardwareConcurrency()));
  threads = Math.max(1, Math.min(MAX_THREADS, Math.floor(threads)));
  let threadNote = "";
  if (threads > 1) {
    const support = threadSupport();
    if (!support.ok) {
      threadNote = `threads unavailable: ${support.reason}`;
      threads = 1;
    }
  }
  const shared = threads > 1;
  const binary: BinaryName = relaxed
    ? shared ? "tessera-relaxed-threads" : "tessera-relaxed"
    : shared ? "tessera-simd-threads" : "tessera-simd";
  const maxMB = Math.min(4096, Math.max(16, options.maxMemoryMB ?? 4096));
  return { binary, relaxed, shared, threads, threadNote, maxPages: Math.floor(maxMB * 16) };
}
