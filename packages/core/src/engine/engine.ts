/**
 * The engine: backend registry and selection, kernel dispatch, buffer reference counts, exact memory
 * accounting, tidy scopes, and the hook through which gradient tapes see every kernel that runs.
 */
import type { BackendValues, DType, DTypeStorage } from "../dtypes.js";
import { allocValues, byteSize, bytesPerElement } from "../dtypes.js";
import { DtypeError, NotImplementedError, ResourceExhaustedError, ValueError, opMessage } from "../errors.js";
import type { BackendFactory, DataId, KernelBackend, KernelName, Kernels, OutSpec, TensorInfo } from "../kernel/interface.js";
import { sizeFromShape } from "../shape.js";
import type { Tensor } from "../tensor/tensor.js";

/** One buffer of one backend, shared by every tensor that views it (reshape shares buffers). */
export class DataHandle {
  refs = 1;
  constructor(
    public dataId: DataId,
    public backend: KernelBackend,
    public readonly bytes: number,
  ) {}
}

/** What tapes record: every kernel, plus the buffer-sharing ops that run no kernel. */
export type RecordedOp = KernelName | "Reshape" | "Identity";

/** Sees every kernel that runs while it is installed (gradient tapes). */
export interface KernelRecorder {
  /**
   * `inputs` are the tensors the op received (Variables included), `output` the tensor it made;
   * `views` are the canonical shapes the kernel read its inputs as (undefined: the input's own shape).
   */
  recordKernel(op: RecordedOp, inputs: readonly Tensor[], output: Tensor, attrs: object, views?: readonly (readonly number[] | undefined)[]): void;
}

/** Counts and bytes, as `tf.memory()` reports them. */
export interface MemoryInfo {
  /** Live tensors (Variables included) that have not been disposed or collected. */
  numTensors: number;
  /** Distinct buffers those tensors use (reshapes share one). */
  numDataBuffers: number;
  /** Bytes of those buffers across all backends. */
  numBytes: number;
  /** Name of the active backend. */
  backend: string;
  /** Bytes each initialised backend holds, pools included. */
  backends: Record<string, number>;
}

type TensorFactory = (handle: DataHandle, shape: number[], dtype: DType) => Tensor;

/**
 * The most elements one tensor may have, on every backend: the longest typed array JavaScript
 * engines make (V8: 2^32 elements; a string tensor's plain array: 2^32 − 1). A tensor's values must
 * fit in one typed array to be uploaded or read back, so nothing larger can be held anywhere.
 */
export const MAX_TENSOR_ELEMENTS = 2 ** 32;

/** A RangeError the JavaScript engine raises when it cannot make an array (too long, or out of memory). */
const ALLOCATION_FAILURE = /allocation failed|Invalid (typed )?array length|Array buffer|out of memory/i;

/** Limits of the GC nursery (see `watchForGc`). */
const NURSERY_TENSORS = 1024;
const NURSERY_BYTES = 16 * 1024 * 1024;

const env: Record<string, string | undefined> =
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};

export class Engine {
  private readonly factories = new Map<string, BackendFactory>();
  private readonly instances = new Map<string, KernelBackend>();
  private readonly pending = new Map<string, Promise<KernelBackend>>();
  private active: KernelBackend | null = null;
  private selecting: Promise<void> | null = null;

  numTensors = 0;
  numDataBuffers = 0;
  numBytes = 0;
  private nextTensorId = 0;
  /** Open `tidy` scopes, innermost last. */
  readonly scopes: Tensor[][] = [];
  /** Installed recorders (gradient tapes that are recording), outermost first. */
  readonly recorders: KernelRecorder[] = [];
  private readonly nursery: Tensor[] = [];
  private nurseryBytes = 0;
  private nurseryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set by tensor.ts (avoids an import cycle). */
  tensorFactory: TensorFactory | null = null;

  private readonly finalizer = new FinalizationRegistry<DataHandle>((handle) => {
    // A tensor became unreachable without dispose(): account for it and release its buffer.
    this.numTensors--;
    this.releaseHandle(handle);
  });

  // ---------------------------------------------------------------- backends

  registerBackend(name: string, factory: BackendFactory): void {
    if (this.factories.has(name)) throw new ValueError(`A backend named '${name}' is already registered`);
    this.factories.set(name, factory);
  }

  listBackends(): string[] {
    return [...this.factories.keys()];
  }

  /** Initialises (once) and activates `name`. */
  async setBackend(name: string): Promise<boolean> {
    const backend = await this.initBackend(name);
    this.active = backend;
    return true;
  }

  getBackendName(): string {
    return this.backend.name;
  }

  /** The backend instance, initialised on demand (used by backends' tests and by tf.engine()). */
  async findBackend(name: string): Promise<KernelBackend> {
    return this.initBackend(name);
  }

  private unknownBackend(name: string): ValueError {
    const names = this.listBackends();
    return new ValueError(
      `Unknown backend '${name}'. Registered backends: ${names.length ? names.map((n) => `'${n}'`).join(", ") : "none (import a backend package, e.g. \"@tessera/backend-js\", or use \"tessera\")"}.`,
    );
  }

  private initBackend(name: string): Promise<KernelBackend> {
    const ready = this.instances.get(name);
    if (ready) return Promise.resolve(ready);
    const inFlight = this.pending.get(name);
    if (inFlight) return inFlight;
    const factory = this.factories.get(name);
    if (!factory) return Promise.reject(this.unknownBackend(name));
    const p = (async () => {
      try {
        const b = await factory.create();
        this.instances.set(name, b);
        return b;
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new NotImplementedError(`Backend '${name}' cannot start here: ${reason}`, { cause: err });
      } finally {
        this.pending.delete(name);
      }
    })();
    this.pending.set(name, p);
    return p;
  }

  /** Resolves once a backend is active, choosing one (asynchronously probing WebGPU) if none is. */
  async ready(): Promise<void> {
    if (this.active) return;
    if (!this.selecting) {
      this.selecting = (async () => {
        const requested = env["TESSERA_BACKEND"];
        if (requested) {
          await this.setBackend(requested);
          return;
        }
        const errors: string[] = [];
        for (const [name, f] of this.sortedFactories()) {
          try {
            if (f.preferred && !(await f.preferred())) continue;
            await this.setBackend(name);
            return;
          } catch (err) {
            errors.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        throw new NotImplementedError(
          this.factories.size ? `No backend could start here. ${errors.join("; ")}` : this.unknownBackend("(default)").message,
        );
      })().finally(() => {
        this.selecting = null;
      });
    }
    return this.selecting;
  }

  private sortedFactories(): [string, BackendFactory][] {
    return [...this.factories.entries()].sort((a, b) => b[1].priority - a[1].priority);
  }

  /** The active backend; chosen synchronously on first use when `await tf.ready()` was not called. */
  get backend(): KernelBackend {
    return this.active ?? this.selectSync();
  }

  private selectSync(): KernelBackend {
    const requested = env["TESSERA_BACKEND"];
    const candidates = requested ? [[requested, this.factories.get(requested)] as const] : this.sortedFactories();
    const errors: string[] = [];
    for (const [name, f] of candidates) {
      if (!f) throw this.unknownBackend(name);
      const existing = this.instances.get(name);
      if (existing) return (this.active = existing);
      if (!f.createSync) {
        errors.push(`'${name}' starts asynchronously`);
        if (requested) break;
        continue;
      }
      try {
        const b = f.createSync();
        this.instances.set(name, b);
        return (this.active = b);
      } catch (err) {
        errors.push(`'${name}': ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    throw new NotImplementedError(
      this.factories.size === 0
        ? "No backend is registered. Import a backend package (e.g. \"@tessera/backend-js\") or use \"tessera\"."
        : `No backend could start synchronously (${errors.join("; ")}); call \`await tf.ready()\` or \`await tf.setBackend(name)\` before making tensors.`,
    );
  }

  /** Removes a backend instance (tests, lost WebGPU devices); the next use re-initialises it. */
  removeBackendInstance(name: string): void {
    const b = this.instances.get(name);
    if (!b) return;
    this.instances.delete(name);
    if (this.active === b) this.active = null;
    b.dispose();
  }

  // ---------------------------------------------------------------- tensors and buffers

  /** Wraps a new buffer of `backend` as a tensor (tracked by tidy and the finalizer). */
  makeTensor(dataId: DataId, shape: number[], dtype: DType, backend: KernelBackend, values?: BackendValues): Tensor {
    const handle = new DataHandle(dataId, backend, byteSize(dtype, sizeFromShape(shape), values));
    this.numDataBuffers++;
    this.numBytes += handle.bytes;
    return this.trackTensor(handle, shape, dtype);
  }

  /** A new tensor viewing an existing buffer (reshape, Variable snapshots). */
  shareTensor(handle: DataHandle, shape: number[], dtype: DType): Tensor {
    handle.refs++;
    return this.trackTensor(handle, shape, dtype);
  }

  private trackTensor(handle: DataHandle, shape: number[], dtype: DType): Tensor {
    const t = this.tensorFactory!(handle, shape, dtype);
    this.numTensors++;
    // A tensor made inside tidy is disposed (or registered, if it escapes) when the scope ends, so it
    // skips the FinalizationRegistry: registering costs ~0.3 µs, a third of a small op's budget.
    const scope = this.scopes[this.scopes.length - 1];
    if (scope) scope.push(t);
    else this.watchForGc(t);
    return t;
  }

  /**
   * Lets the garbage collector release `t`'s buffer if it becomes unreachable without dispose().
   * Registration is deferred through a small nursery: most tensors made outside tidy are disposed
   * within a few ops, and registering them (plus the GC work weak cells cause) would cost ~0.8 µs per
   * op — most of a small op's budget. Survivors are registered when the nursery fills (by count or
   * bytes, which bounds how long a leaked tensor is held) or at the next macrotask.
   */
  private watchForGc(t: Tensor): void {
    this.nursery.push(t);
    this.nurseryBytes += t.handle.bytes;
    if (this.nursery.length >= NURSERY_TENSORS || this.nurseryBytes >= NURSERY_BYTES) this.flushNursery();
    else if (!this.nurseryTimer) {
      this.nurseryTimer = setTimeout(this.flushNursery, 0);
      (this.nurseryTimer as { unref?: () => void }).unref?.();
    }
  }

  /** Registers the nursery's surviving tensors with the FinalizationRegistry. */
  readonly flushNursery = (): void => {
    if (this.nurseryTimer) {
      clearTimeout(this.nurseryTimer);
      this.nurseryTimer = null;
    }
    for (const t of this.nursery) {
      if (t.isDisposed || t.gcWatched) continue;
      t.gcWatched = true;
      this.finalizer.register(t, t.handle, t);
    }
    this.nursery.length = 0;
    this.nurseryBytes = 0;
  };

  /** Counts a Variable (made by its own constructor); tidy never disposes Variables. */
  trackVariable(v: Tensor): void {
    v.handle.refs++;
    this.numTensors++;
    this.watchForGc(v);
  }

  /** Runs `fn` with no tape recording (Variable updates, custom gradients). */
  untaped<T>(fn: () => T): T {
    const saved = this.recorders.splice(0, this.recorders.length);
    try {
      return fn();
    } finally {
      this.recorders.push(...saved);
    }
  }

  newTensorId(): number {
    return this.nextTensorId++;
  }

  /** Copies host values into a new tensor on the active backend (`op` names it in errors). */
  upload(values: BackendValues, shape: number[], dtype: DType, op = "Const"): Tensor {
    const b = this.backend;
    if (!b.dtypes.has(dtype)) throw unsupportedDtype(b, dtype, op);
    this.checkAllocation(op, shape, dtype, b);
    let dataId: DataId;
    try {
      dataId = b.write(values, shape, dtype);
    } catch (err) {
      throw allocationFailure(err, op, shape, dtype, b);
    }
    return this.makeTensor(dataId, shape, dtype, b, values);
  }

  /**
   * Zeroed host storage for a tensor of `shape` and `dtype` that `op` fills on the host (random
   * numbers, `range`, `eye`) and then uploads to the active backend: checked first by
   * `checkAllocation`, so a shape the backend could not hold is refused before the array is made.
   */
  hostValues<D extends DType>(op: string, shape: readonly number[], dtype: D): DTypeStorage[D] {
    const b = this.backend;
    this.checkAllocation(op, shape, dtype, b);
    let n = 1;
    for (let i = 0; i < shape.length; i++) n *= shape[i]!;
    try {
      return allocValues(dtype, n);
    } catch (err) {
      throw allocationFailure(err, op, shape, dtype, b);
    }
  }

  /**
   * The one size check for every tensor: refuses a tensor of `shape` and `dtype` that `backend`
   * cannot hold — a size beyond `Number.MAX_SAFE_INTEGER`, more than `MAX_TENSOR_ELEMENTS` elements,
   * or more than the backend's `maxElements(dtype)` — with a `ResourceExhaustedError` naming the op,
   * the shape, the dtype and the bytes, before anything is allocated. `runKernel` and `upload` call it
   * for every output; ops that build values on the host (random numbers, `range`, `eye`) call it
   * before making their arrays.
   */
  checkAllocation(op: string, shape: readonly number[], dtype: DType, backend: KernelBackend = this.backend): void {
    let n = 1;
    let hugeDim = false;
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i]!;
      n *= d;
      if (d > Number.MAX_SAFE_INTEGER) hugeDim = true;
    }
    if (n === 0 && !hugeDim) return;
    const hostMax = dtype === "string" ? MAX_TENSOR_ELEMENTS - 1 : MAX_TENSOR_ELEMENTS;
    const backendMax = backend.maxElements?.(dtype) ?? Infinity;
    if (n <= hostMax && n <= backendMax && !hugeDim) return;
    let why: string;
    if (hugeDim) why = "a dimension is beyond 2^53 - 1";
    else if (!(n <= Number.MAX_SAFE_INTEGER)) why = "its size is beyond 2^53 - 1 elements";
    else if (n > hostMax) why = `it has more than ${hostMax} elements, the most one JavaScript array holds`;
    else why = `one buffer of the backend holds at most ${backendMax} ${dtype} elements`;
    throw oomError(op, shape, dtype, backend, why);
  }

  /** Called by Tensor.dispose(). */
  disposeTensor(t: Tensor, handle: DataHandle): void {
    this.numTensors--;
    if (t.gcWatched) this.finalizer.unregister(t);
    this.releaseHandle(handle);
  }

  /** A Variable switched buffers: keep the finalizer pointed at the live one. */
  retargetTensor(t: Tensor, oldHandle: DataHandle, newHandle: DataHandle): void {
    if (t.gcWatched) {
      this.finalizer.unregister(t);
      this.finalizer.register(t, newHandle, t);
    }
    this.releaseHandle(oldHandle);
  }

  releaseHandle(handle: DataHandle): void {
    if (--handle.refs > 0) return;
    this.numDataBuffers--;
    this.numBytes -= handle.bytes;
    handle.backend.disposeData(handle.dataId);
  }

  /** Makes sure `handle` lives on `target`, moving its buffer (and every tensor viewing it) if not. */
  moveHandle(handle: DataHandle, dtype: DType, size: number, target: KernelBackend): void {
    if (handle.backend === target) return;
    if (!target.dtypes.has(dtype)) throw unsupportedDtype(target, dtype, "Move");
    const values = handle.backend.readSync(handle.dataId, dtype, size);
    const newId = target.write(values, [size], dtype);
    handle.backend.disposeData(handle.dataId);
    handle.dataId = newId;
    handle.backend = target;
  }

  memory(): MemoryInfo {
    const backends: Record<string, number> = {};
    for (const [name, b] of this.instances) backends[name] = b.memory().numBytesInBackend;
    return {
      numTensors: this.numTensors,
      numDataBuffers: this.numDataBuffers,
      numBytes: this.numBytes,
      backend: this.active?.name ?? "(none yet)",
      backends,
    };
  }

  // ---------------------------------------------------------------- kernels

  /**
   * Runs kernel `name` on the active backend. `inputs` are what the op received (they are moved to
   * the active backend if needed and shown to gradient tapes); `viewShapes` (optional, per input) are
   * the canonical shapes the kernel contract asks for, read over the same buffers; `out` is then in
   * canonical form too and `resultShape` is the shape of the tensor the op returns.
   */
  runKernel<K extends KernelName>(
    name: K,
    inputs: readonly Tensor[],
    attrs: Parameters<Kernels[K]>[1],
    out: OutSpec,
    viewShapes?: readonly (readonly number[] | undefined)[],
    resultShape?: readonly number[],
  ): Tensor {
    const backend = this.backend;
    const kernel = backend.kernels[name] as ((i: readonly TensorInfo[], a: object, o: OutSpec) => DataId) | undefined;
    if (!kernel) {
      throw new NotImplementedError(opMessage(name, `Kernel '${name}' is not implemented on backend '${backend.name}'`));
    }
    for (let i = 0; i < inputs.length; i++) inputs[i]!.throwIfDisposed(name);
    if (!backend.dtypes.has(out.dtype)) throw unsupportedDtype(backend, out.dtype, name);
    // Before anything is allocated (moved inputs included): the output must fit the backend.
    this.checkAllocation(name, resultShape ?? out.shape, out.dtype, backend);
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i]!;
      if (t.handle.backend !== backend) this.moveHandle(t.handle, t.dtype, t.size, backend);
    }
    let infos: readonly TensorInfo[] = inputs;
    if (viewShapes) {
      infos = inputs.map((t, i) => {
        const s = viewShapes[i];
        return s ? { dataId: t.handle.dataId, shape: s, dtype: t.dtype } : t;
      });
    }
    let dataId: DataId;
    try {
      dataId = kernel(infos, attrs as object, out);
    } catch (err) {
      throw allocationFailure(err, name, resultShape ?? out.shape, out.dtype, backend);
    }
    // String bytes depend on the strings: read them (only host-memory backends hold strings) to count exactly.
    const strings = out.dtype === "string" ? backend.readSync(dataId, "string", sizeFromShape(out.shape)) : undefined;
    const result = this.makeTensor(dataId, (resultShape ?? out.shape).slice(), out.dtype, backend, strings);
    for (let i = 0; i < this.recorders.length; i++) this.recorders[i]!.recordKernel(name, inputs, result, attrs as object, viewShapes);
    return result;
  }

  /**
   * An op that makes no new buffer (reshape, identity): a new tensor viewing `x`'s buffer, recorded on
   * tapes under `op` so gradients flow through it.
   */
  runView(op: "Reshape" | "Identity", x: Tensor, shape: number[], attrs: object): Tensor {
    x.throwIfDisposed(op);
    const result = this.shareTensor(x.handle, shape, x.dtype);
    for (let i = 0; i < this.recorders.length; i++) this.recorders[i]!.recordKernel(op, [x], result, attrs);
    return result;
  }

  // ---------------------------------------------------------------- tidy

  startScope(): void {
    this.scopes.push([]);
  }

  /** Disposes every tensor made in the innermost scope except `keep` (which moves to the outer scope). */
  endScope(keep: ReadonlySet<Tensor>): void {
    const scope = this.scopes.pop();
    if (!scope) return;
    const parent = this.scopes[this.scopes.length - 1];
    for (const t of scope) {
      if (t.isDisposed) continue;
      if (keep.has(t) || t.kept) {
        if (parent && !t.kept) parent.push(t);
        else if (!t.gcWatched) this.watchForGc(t);
      } else {
        t.dispose();
      }
    }
  }
}

export function unsupportedDtype(backend: KernelBackend, dtype: DType, op: string): DtypeError {
  return new DtypeError(
    opMessage(op, `dtype ${dtype} is not supported on backend '${backend.name}' (it supports ${[...backend.dtypes].join(", ")})`),
  );
}

/** TensorFlow's out-of-memory message: `OOM when allocating tensor with shape [..] and type float32 …`. */
function oomError(op: string, shape: readonly number[], dtype: DType, backend: KernelBackend, why: string, cause?: unknown): ResourceExhaustedError {
  let size = 1;
  for (const d of shape) size *= d;
  const b = size * bytesPerElement(dtype);
  const bytes = dtype === "string" || b === 0 || !(b <= Number.MAX_SAFE_INTEGER) ? "" : ` (${b} bytes)`;
  return new ResourceExhaustedError(
    opMessage(op, `OOM when allocating tensor with shape [${shape.join(", ")}] and type ${dtype}${bytes} on backend '${backend.name}': ${why}`),
    cause === undefined ? undefined : { cause },
  );
}

/**
 * The error to raise for `err`, thrown while `backend` made the output of `op`: the JavaScript
 * engine's own allocation failures (`RangeError: Invalid typed array length`, `Array buffer
 * allocation failed`) become a `ResourceExhaustedError` naming the op, shape and dtype; anything
 * else passes through unchanged.
 */
function allocationFailure(err: unknown, op: string, shape: readonly number[], dtype: DType, backend: KernelBackend): unknown {
  if (!(err instanceof RangeError) || !ALLOCATION_FAILURE.test(err.message)) return err;
  return oomError(op, shape, dtype, backend, `the JavaScript engine could not allocate it (${err.message})`, err);
}

/** The process-wide engine (one per realm, shared by every copy of @tessera/core that gets loaded). */
const KEY = Symbol.for("tessera.engine");
const g = globalThis as unknown as Record<symbol, Engine | undefined>;
export const ENGINE: Engine = g[KEY] ?? (g[KEY] = new Engine());
