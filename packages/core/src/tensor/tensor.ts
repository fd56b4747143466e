import type { BackendValues, DType } from "../dtypes.js";
import { ValueError, opMessage } from "../errors.js";
import type { DataHandle } from "../engine/engine.js";
import { ENGINE } from "../engine/engine.js";
import type { DataId, TensorInfo } from "../kernel/interface.js";
import { sizeFromShape } from "../shape.js";
import { formatTensor } from "../format/format.js";

/** A complex number as Tessera reads and writes it. */
export interface Complex {
  re: number;
  im: number;
}

/** One element as `numpy()`/`array()` return it. */
export type Scalar = number | boolean | string | Complex;
/** Nested arrays of elements, as `array()` returns them. */
export interface NestedArray<T = Scalar> extends Array<T | NestedArray<T>> {}

/**
 * An immutable n-dimensional array whose buffer lives on a backend. Ops are functions
 * (`tf.add(a, b)`) and, where the first argument is a tensor, methods (`a.add(b)`).
 */
export class Tensor implements TensorInfo {
  /** Unique per tensor; gradient tapes key on it. */
  readonly id: number;
  /** @internal The buffer (shared with reshapes of this tensor). */
  handle: DataHandle;
  /** Dimensions, e.g. `[2, 3]`; `[]` for a scalar. */
  shape: number[];
  readonly dtype: DType;
  /** @internal */
  isDisposed = false;
  /** @internal Survives the tidy scope it was made in (`tf.keep`). */
  kept = false;
  /** @internal Registered with the engine's FinalizationRegistry (tensors outside any tidy scope). */
  gcWatched = false;

  /** @internal Use `tf.constant` and the ops; tensors are made by the engine. */
  constructor(handle: DataHandle, shape: number[], dtype: DType) {
    this.id = ENGINE.newTensorId();
    this.handle = handle;
    this.shape = shape;
    this.dtype = dtype;
  }

  /** @internal What kernels read. */
  get dataId(): DataId {
    return this.handle.dataId;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return sizeFromShape(this.shape);
  }

  /** @internal */
  throwIfDisposed(op: string): void {
    if (this.isDisposed) {
      throw new ValueError(opMessage(op, `Tensor ${this.id} (shape ${JSON.stringify(this.shape)}, dtype ${this.dtype}) is disposed and can no longer be used`));
    }
  }

  /**
   * The elements in row-major order: a typed array (`string[]` for strings; complex64 interleaved re, im).
   * Treat it as read-only: on the js backend it is the tensor's own storage (no copy is made).
   */
  async data(): Promise<BackendValues> {
    this.throwIfDisposed("data");
    return this.handle.backend.read(this.handle.dataId, this.dtype, this.size);
  }

  /** Synchronous `data()`; throws on backends that cannot read synchronously (WebGPU in a browser). */
  dataSync(): BackendValues {
    this.throwIfDisposed("dataSync");
    return this.handle.backend.readSync(this.handle.dataId, this.dtype, this.size);
  }

  /** The elements as nested arrays (a bare element for a scalar). */
  async array(): Promise<NestedArray | Scalar> {
    return toNested(await this.data(), this.shape, this.dtype);
  }

  /** Synchronous `array()`. */
  arraySync(): NestedArray | Scalar {
    return toNested(this.dataSync(), this.shape, this.dtype);
  }

  /** As TensorFlow's `.numpy()`: a JS number, boolean, string or `{re, im}` for a scalar, nested arrays otherwise. */
  numpy(): NestedArray | Scalar {
    return this.arraySync();
  }

  /** Frees this tensor's hold on its buffer. Using it afterwards throws. Idempotent. */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    ENGINE.disposeTensor(this, this.handle);
  }

  /** TensorFlow's format: `tf.Tensor([4 6], shape=(2,), dtype=int32)`. */
  toString(): string {
    if (this.isDisposed) return `tf.Tensor(<disposed>, shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
    return formatTensor(this.dataSync(), this.shape, this.dtype, "tensor");
  }

  /** Node's console.log and util.inspect print the same as toString(). */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** Turns flat storage into nested arrays of elements. */
export function toNested(values: BackendValues, shape: readonly number[], dtype: DType): NestedArray | Scalar {
  const elem = elementReader(values, dtype);
  if (shape.length === 0) return elem(0);
  let pos = 0;
  const build = (d: number): NestedArray => {
    const n = shape[d]!;
    const out: NestedArray = new Array(n);
    if (d === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = elem(pos++);
    } else {
      for (let i = 0; i < n; i++) out[i] = build(d + 1);
    }
    return out;
  };
  return build(0);
}

function elementReader(values: BackendValues, dtype: DType): (i: number) => Scalar {
  switch (dtype) {
    case "bool": return (i) => (values as Uint8Array)[i] !== 0;
    case "complex64": return (i) => ({ re: (values as Float32Array)[2 * i]!, im: (values as Float32Array)[2 * i + 1]! });
    case "string": return (i) => (values as string[])[i]!;
    default: return (i) => (values as Float32Array)[i]!;
  }
}

ENGINE.tensorFactory = (handle, shape, dtype) => new Tensor(handle, shape, dtype);
