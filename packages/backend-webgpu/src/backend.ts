/**
 * The WebGPU backend: buffers, reads, memory accounting, error handling, and the plumbing every
 * kernel uses (inputs, outputs, dispatch). The kernels themselves live in kernels/*.ts.
 */
import type {
  BackendMemoryInfo, BackendValues, DataId, DType, KernelBackend, Kernels, OutSpec, TensorInfo,
} from "@tessera/core/kernel";
import { DtypeError, kernelDtypeError, NotImplementedError, ResourceExhaustedError, sizeFromShape } from "@tessera/core/kernel";
import { BufferPool, largestSizeClass } from "./buffer-pool.js";
import { CommandRecorder } from "./commands.js";
import { GpuData } from "./data.js";
import { GpuDevice } from "./device.js";
import type { RecordedError } from "./device.js";
import { WebGPUError } from "./errors.js";
import { combine, countLeaves, elementwiseProgram, isolatedOp, sameShape } from "./fusion.js";
import type { Expr, FusionLimits, Operand } from "./fusion.js";
import { BufferUsage, MapMode } from "./gpu-constants.js";
import { buildKernels } from "./kernels/index.js";
import type { Program } from "./program-cache.js";
import { ProgramCache } from "./program-cache.js";
import type { UniformBuilder } from "./uniforms.js";
import { LINEAR_WG, elementBytes, linearGrid } from "./wgsl.js";

/** Options of a backend instance (tests and benchmarks; the registered backend uses the defaults). */
export interface WebGPUBackendOptions {
  /** Fuse chains of elementwise kernels (default true; env TESSERA_WEBGPU_FUSION=0 turns it off). */
  readonly fusion?: boolean;
  /** Commands recorded before a batch is submitted (default 64). */
  readonly maxPendingCommands?: number;
  /** Free pooled bytes kept for reuse (default 256 MiB). */
  readonly maxPooledBytes?: number;
}

const GPU_DTYPES: readonly DType[] = ["float32", "int32", "bool", "complex64", "float64"];

function envFlag(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

export class WebGPUBackend implements KernelBackend {
  readonly name = "webgpu";
  /** Every dtype (float64 is emulated exactly in integer arithmetic; see README and wgsl-f64.ts). */
  readonly dtypes: ReadonlySet<DType> = new Set<DType>([...GPU_DTYPES, "string"]);
  readonly kernels: Partial<Kernels>;
  readonly gpu: GpuDevice;
  readonly programs: ProgramCache;
  readonly recorder: CommandRecorder;
  readonly fusion: boolean;
  readonly fusionLimits: FusionLimits;
  /** Why synchronous reads are unavailable, or null when they work. */
  syncReadUnavailable: string | null = "not checked yet";
  private readonly pool: BufferPool;
  private readonly staging: BufferPool;
  private stringBytes = 0;
  private disposed = false;
  private lostReason: string | null = null;
  /** Buffers made by the op that is running, released if it fails. */
  private opOutputs: GpuData[] = [];
  private readonly lostListeners: ((reason: string) => void)[] = [];

  private constructor(gpu: GpuDevice, options: WebGPUBackendOptions) {
    this.gpu = gpu;
    const device = gpu.device;
    this.fusion = options.fusion ?? envFlag("TESSERA_WEBGPU_FUSION") !== "0";
    this.fusionLimits = { maxLeaves: Math.min(8, gpu.limits.maxStorageBuffersPerShaderStage - 1), maxNodes: 32 };
    const pooled = options.maxPooledBytes ?? 256 * 1024 * 1024;
    this.pool = new BufferPool(device, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST, "tessera-tensor", pooled);
    this.staging = new BufferPool(device, BufferUsage.MAP_READ | BufferUsage.COPY_DST, "tessera-staging", 64 * 1024 * 1024);
    this.programs = new ProgramCache(gpu);
    this.recorder = new CommandRecorder(device, gpu.limits.minUniformBufferOffsetAlignment, options.maxPendingCommands ?? 64);
    this.recorder.onSubmit(() => this.pool.settle());
    this.kernels = buildKernels(this);
    gpu.onLost((reason) => {
      this.lostReason = reason;
      this.recorder.abandon();
      for (const l of this.lostListeners) l(reason);
    });
  }

  /** Opens a device on the best adapter and builds a backend on it. */
  static async create(options: WebGPUBackendOptions = {}): Promise<WebGPUBackend> {
    const gpu = await GpuDevice.create();
    const b = new WebGPUBackend(gpu, options);
    b.checkSyncReads();
    return b;
  }

  /** Called once if the device is lost (the registration uses it to let core start a new backend). */
  onLost(listener: (reason: string) => void): void {
    this.lostListeners.push(listener);
  }

  /** The most elements of `dtype` one storage buffer holds on this device (strings live on the host). */
  maxElements(dtype: DType): number {
    if (dtype === "string") return Infinity;
    return Math.floor(this.largestBuffer() / elementBytes(dtype));
  }

  /**
   * The largest request a storage buffer can serve: the device's binding and buffer limits, rounded
   * down to a size class of the pool (which allocates whole classes).
   */
  private largestBuffer(): number {
    return largestSizeClass(Math.min(this.gpu.limits.maxStorageBufferBindingSize, this.gpu.limits.maxBufferSize));
  }

  describe(): string {
    return this.gpu.describe();
  }

  // ------------------------------------------------------------------ buffers

  write(values: BackendValues, shape: readonly number[], dtype: DType): DataId {
    this.checkUsable("write");
    const size = sizeFromShape(shape);
    if (dtype === "string") {
      const d = new GpuData(dtype, size, shape);
      d.strings = (values as string[]).slice();
      this.stringBytes += stringBytes(d.strings);
      return d;
    }
    this.checkDtype(dtype, "write");
    const d = this.allocData(dtype, shape, "write", true);
    if (size > 0) {
      let src: ArrayBufferView;
      if (dtype === "bool") src = Uint32Array.from(values as Uint8Array);
      else src = values as Float32Array | Int32Array | Float64Array;
      this.gpu.queue.writeBuffer(d.buffer!, 0, src.buffer, src.byteOffset, d.byteLength);
    }
    this.throwSyncErrors("write");
    return d;
  }

  async read(dataId: DataId, dtype: DType, size: number): Promise<BackendValues> {
    const d = dataId as GpuData;
    if (d.strings) return d.strings.slice(0, size);
    const staging = this.startRead(d, size);
    if (!staging) return emptyValues(dtype);
    const bytes = size * elementBytes(dtype);
    try {
      await this.gpu.pump.guard(() => staging.mapAsync(MapMode.READ, 0, bytes));
    } catch (err) {
      this.staging.discard(staging);
      this.throwPendingErrors("read");
      throw new WebGPUError("read", `reading a tensor back from the GPU failed${this.lostReason ? ` (the device was lost: ${this.lostReason})` : ""}`, { cause: err });
    }
    return this.finishRead(staging, dtype, size);
  }

  readSync(dataId: DataId, dtype: DType, size: number): BackendValues {
    const d = dataId as GpuData;
    if (d.strings) return d.strings.slice(0, size);
    if (this.syncReadUnavailable !== null) {
      throw new NotImplementedError(
        `WebGPU cannot read a tensor synchronously here (${this.syncReadUnavailable}); use \`await t.data()\` or \`await t.array()\` instead of dataSync()/arraySync().`,
      );
    }
    const staging = this.startRead(d, size);
    if (!staging) return emptyValues(dtype);
    let failed: unknown = null;
    const p = this.gpu.pump.guard(() => staging.mapAsync(MapMode.READ, 0, size * elementBytes(dtype)));
    p.then(undefined, (err: unknown) => {
      failed = err;
    });
    try {
      this.gpu.pump.pumpUntil(() => staging.mapState !== "pending" || this.lostReason !== null, "a GPU buffer to map");
    } catch (err) {
      this.throwPendingErrors("readSync");
      throw new WebGPUError("readSync", `reading a tensor back synchronously failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (staging.mapState !== "mapped") {
      this.throwPendingErrors("readSync");
      throw new WebGPUError("readSync", `reading a tensor back from the GPU failed${this.lostReason ? ` (the device was lost: ${this.lostReason})` : ""}`, { cause: failed });
    }
    return this.finishRead(staging, dtype, size);
  }

  /** Copies `d` into a staging buffer and submits; null for empty tensors. */
  private startRead(d: GpuData, size: number): GPUBuffer | null {
    this.checkUsable("read");
    this.throwPendingErrors("read");
    this.gpu.currentOp = "read";
    this.materialize(d);
    if (size === 0) return null;
    const bytes = size * elementBytes(d.dtype);
    const staging = this.staging.acquire(bytes);
    this.recorder.copy(d.buffer!, 0, staging, 0, bytes);
    this.recorder.flush();
    this.throwSyncErrors("read");
    return staging;
  }

  private finishRead(staging: GPUBuffer, dtype: DType, size: number): BackendValues {
    // Copy before unmap: unmapping detaches the mapped ArrayBuffer.
    const bytes = staging.getMappedRange(0, size * elementBytes(dtype)).slice(0);
    staging.unmap();
    this.staging.release(staging);
    this.throwPendingErrors("read");
    switch (dtype) {
      case "float32": case "complex64": return new Float32Array(bytes);
      case "float64": return new Float64Array(bytes);
      case "int32": return new Int32Array(bytes);
      case "bool": return Uint8Array.from(new Uint32Array(bytes));
      default: throw new DtypeError(`dtype ${dtype} is not supported on backend 'webgpu' [Op:read]`);
    }
  }

  disposeData(dataId: DataId): void {
    this.unref(dataId as GpuData);
  }

  memory(): BackendMemoryInfo {
    const p = this.pool.stats();
    const s = this.staging.stats();
    return {
      numBytesInBackend: p.bytesAllocated + s.bytesAllocated + this.recorder.arenaBytes,
      numBytesInUse: p.bytesAllocated - p.bytesFree,
      numBytesInPool: p.bytesFree,
      numBytesStaging: s.bytesAllocated,
      numBytesUniforms: this.recorder.arenaBytes,
      numBuffers: p.numBuffers,
      numPooledBuffers: p.numFree,
      numBytesHostStrings: this.stringBytes,
      numPrograms: this.programs.size,
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (!this.lostReason) {
      try {
        this.recorder.flush();
      } catch {
        // nothing to save: the device goes next
      }
    }
    this.recorder.destroy();
    this.pool.destroyAll();
    this.staging.destroyAll();
    this.gpu.destroy();
  }

  /** Submits recorded work now (benchmarks; reads do it themselves). */
  flush(): void {
    this.recorder.flush();
  }

  /** Computes a pending fused result now instead of when it is first needed (benchmarks). */
  materializeData(dataId: DataId): void {
    this.checkUsable("materialize");
    this.materialize(dataId as GpuData);
  }

  /** Resolves when every command recorded so far has finished on the GPU (benchmarks). */
  async sync(): Promise<void> {
    this.checkUsable("sync");
    this.recorder.flush();
    await this.gpu.pump.guard(() => this.gpu.queue.onSubmittedWorkDone());
    this.throwPendingErrors("sync");
  }

  /** Frees pooled buffers that no tensor uses. */
  trimPool(): void {
    this.recorder.flush();
    this.pool.trim(0);
    this.staging.trim(0);
  }

  // ------------------------------------------------------------------ what kernels use

  /** Runs kernel `op`: checks the device, attributes errors to `op`, frees its outputs if it fails. */
  runOp(op: string, fn: () => GpuData): GpuData {
    this.checkUsable(op);
    this.throwPendingErrors(op);
    const prevOp = this.gpu.currentOp;
    this.gpu.currentOp = op;
    this.opOutputs = [];
    try {
      const out = fn();
      this.throwSyncErrors(op);
      this.opOutputs = [];
      return out;
    } catch (err) {
      for (const d of this.opOutputs) this.unref(d);
      this.opOutputs = [];
      throw err;
    } finally {
      this.gpu.currentOp = prevOp;
    }
  }

  /** A materialized input buffer (runs a pending expression first). */
  input(info: TensorInfo, op: string): GpuData {
    const d = info.dataId as GpuData;
    if (d.strings) throw kernelDtypeError(op, "string", "webgpu");
    this.materialize(d);
    return d;
  }

  /** A new output buffer for `out` (freed again if the op fails). */
  output(out: OutSpec, op: string): GpuData {
    this.checkDtype(out.dtype, op);
    return this.allocData(out.dtype, out.shape, op);
  }

  /** A scratch buffer for intermediate results inside one kernel; give it back with `releaseTemp`. */
  temp(dtype: DType, size: number, op: string): GpuData {
    const d = new GpuData(dtype, size, [size]);
    d.buffer = this.allocBuffer(d.byteLength, op);
    return d;
  }

  /** Returns a scratch buffer (recorded commands may still use it: the pool knows). */
  releaseTemp(d: GpuData): void {
    this.unref(d);
  }

  /** Records one dispatch of `program` reading `inputs` and writing `out`. */
  dispatch(program: Program, inputs: readonly GpuData[], out: GpuData, uniforms: UniformBuilder, grid: readonly [number, number, number]): void {
    const compiled = this.programs.get(program);
    const buffers = inputs.map((d) => d.buffer!);
    buffers.push(out.buffer!);
    this.recorder.dispatch(compiled, buffers, uniforms, grid);
  }

  /** Workgroup grid for one thread per element. */
  grid(threads: number, wg = LINEAR_WG): [number, number, number] {
    return linearGrid(threads, wg, this.gpu.limits.maxComputeWorkgroupsPerDimension);
  }

  /**
   * An elementwise kernel: builds (or, without fusion, runs at once) the expression `make(operands)`
   * over `inputs` (canonical broadcast form) and `consts`.
   */
  elementwise(op: string, inputs: readonly TensorInfo[], out: OutSpec, make: (xs: Expr[]) => Expr, consts: readonly Operand[] = []): GpuData {
    this.checkDtype(out.dtype, op);
    for (const t of inputs) if (t.dtype === "string") throw kernelDtypeError(op, "string", "webgpu");
    const isolated = isolatedOp(op, inputs[0]?.dtype ?? out.dtype);
    const operands: Operand[] = inputs.map((info) => this.operand(info, out.shape, isolated));
    operands.push(...consts);
    this.fitLimits(operands);
    const lazy = combine(operands, make, out.shape, out.dtype, op);
    if (isolated) lazy.isolated = true;
    for (const l of lazy.leaves) l.data.refs++;
    const d = new GpuData(out.dtype, sizeFromShape(out.shape), out.shape);
    d.lazy = lazy;
    this.opOutputs.push(d);
    if (!this.fusion) this.materialize(d);
    return d;
  }

  private operand(info: TensorInfo, outShape: readonly number[], isolated = false): Operand {
    const d = info.dataId as GpuData;
    if (d.lazy && this.fusion && !isolated && !d.lazy.isolated && sameShape(info.shape, d.lazy.shape) && sameShape(info.shape, outShape)) {
      return { kind: "inline", lazy: d.lazy, source: d };
    }
    this.materialize(d);
    return { kind: "leaf", leaf: { data: d, shape: info.shape } };
  }

  /** Materializes inlined operands (largest first, in place) until the fused node fits the limits. */
  private fitLimits(operands: Operand[]): void {
    const limits = this.fusionLimits;
    const nodes = (): number => 1 + operands.reduce((n, o) => n + (o.kind === "inline" ? o.lazy.nodes : 0), 0);
    while (countLeaves(operands) > limits.maxLeaves || nodes() > limits.maxNodes) {
      let best: (Operand & { kind: "inline" }) | null = null;
      let at = -1;
      operands.forEach((o, k) => {
        if (o.kind === "inline" && (!best || o.lazy.nodes > best.lazy.nodes)) {
          best = o;
          at = k;
        }
      });
      if (!best) break;
      const { source, lazy } = best as Operand & { kind: "inline" };
      this.materialize(source);
      operands[at] = { kind: "leaf", leaf: { data: source, shape: lazy.shape } };
    }
  }

  /** Computes a pending expression into the buffer of `d`. */
  materialize(d: GpuData): void {
    const lz = d.lazy;
    if (!lz) return;
    d.buffer = this.allocBuffer(d.byteLength, lz.ops.join("+"));
    if (d.size > 0) {
      const { program, uniforms } = elementwiseProgram(lz);
      this.dispatch(program, lz.leaves.map((l) => l.data), d, uniforms, this.grid(d.size));
    }
    d.lazy = null;
    for (const l of lz.leaves) this.unref(l.data);
  }

  // ------------------------------------------------------------------ internals

  private allocData(dtype: DType, shape: readonly number[], op: string, forUpload = false): GpuData {
    const d = new GpuData(dtype, sizeFromShape(shape), shape);
    d.buffer = this.allocBuffer(d.byteLength, op, forUpload);
    this.opOutputs.push(d);
    return d;
  }

  private allocBuffer(bytes: number, op: string, forUpload = false): GPUBuffer {
    const max = this.largestBuffer();
    if (bytes > max) {
      throw new ResourceExhaustedError(
        `${op} needs a GPU buffer of ${formatBytes(bytes)}, more than this WebGPU device can bind (${formatBytes(max)}) [Op:${op}]`,
      );
    }
    const before = this.gpu.errors.length;
    const buffer = this.pool.acquire(bytes, forUpload);
    if (this.gpu.errors.length > before) {
      const errs = this.gpu.errors.splice(before);
      this.pool.discard(buffer);
      throw toError(op, errs);
    }
    return buffer;
  }

  private unref(d: GpuData): void {
    if (--d.refs > 0) return;
    if (d.lazy) {
      const lz = d.lazy;
      d.lazy = null;
      for (const l of lz.leaves) this.unref(l.data);
    }
    if (d.buffer) {
      const b = d.buffer;
      d.buffer = null;
      if (this.disposed || this.lostReason) return;
      this.pool.release(b, this.recorder.recording);
    }
    if (d.strings) {
      this.stringBytes -= stringBytes(d.strings);
      d.strings = null;
    }
  }

  private checkDtype(dtype: DType, op: string): void {
    if (!GPU_DTYPES.includes(dtype)) {
      throw new DtypeError(`dtype ${dtype} is not supported on backend 'webgpu' (it supports ${[...this.dtypes].join(", ")}) [Op:${op}]`);
    }
  }

  private checkUsable(op: string): void {
    if (this.lostReason !== null) {
      throw new WebGPUError(
        op,
        `the WebGPU device was lost (${this.lostReason}); its tensors are gone. Call \`await tf.setBackend("webgpu")\` to start a new device`,
      );
    }
    if (this.disposed) throw new WebGPUError(op, "the WebGPU backend was disposed");
  }

  /** Throws errors raised synchronously during `op` (dawn.node delivers them during the call). */
  private throwSyncErrors(op: string): void {
    if (this.gpu.errors.length === 0) return;
    const errs = this.gpu.errors.splice(0);
    throw toError(op, errs);
  }

  /** Throws errors that arrived since the last op (browsers deliver them asynchronously). */
  private throwPendingErrors(op: string): void {
    if (this.gpu.errors.length === 0) return;
    const errs = this.gpu.errors.splice(0);
    throw toError(errs[0]!.op !== "(none)" ? errs[0]!.op : op, errs);
  }

  /** Decides whether dataSync() works here: only Node's dawn.node can wait synchronously, and we check it does. */
  private checkSyncReads(): void {
    if (!this.gpu.pump.canPump) {
      this.syncReadUnavailable =
        this.gpu.platform === "browser" ? "browsers cannot wait for the GPU synchronously" : "this WebGPU implementation offers no synchronous wait";
      return;
    }
    const probe = new Int32Array([7, -3, 11]);
    const id = this.write(probe, [3], "int32");
    try {
      this.syncReadUnavailable = null;
      const back = this.readSync(id, "int32", 3) as Int32Array;
      if (back[0] !== 7 || back[1] !== -3 || back[2] !== 11) this.syncReadUnavailable = "a synchronous read returned wrong values";
    } catch (err) {
      this.syncReadUnavailable = `synchronous waiting failed: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      this.disposeData(id);
      this.opOutputs = [];
    }
  }
}

function toError(op: string, errs: readonly RecordedError[]): Error {
  const oom = errs.find((e) => e.kind === "out-of-memory");
  const text = errs.map((e) => e.message).join("\n");
  if (oom) return new ResourceExhaustedError(`WebGPU ran out of memory while running ${op}: ${text} [Op:${op}]`);
  return new WebGPUError(op, `WebGPU reported an error while running ${op}: ${text}`);
}

function stringBytes(xs: readonly string[]): number {
  let n = 0;
  for (const s of xs) n += 2 * s.length;
  return n;
}

function emptyValues(dtype: DType): BackendValues {
  switch (dtype) {
    case "float32": case "complex64": return new Float32Array(0);
    case "float64": return new Float64Array(0);
    case "int32": return new Int32Array(0);
    case "bool": return new Uint8Array(0);
    case "string": return [];
    default: throw new DtypeError(`dtype ${dtype} is not supported on backend 'webgpu'`);
  }
}

function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  return `${n} bytes`;
}
