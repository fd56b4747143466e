import type { BackendMemoryInfo, BackendValues, DataId, DType, KernelBackend, Kernels, TensorInfo } from "@tessera/core/kernel";
import { allocValues } from "@tessera/core/kernel";
import { kernels } from "./kernels/index.js";

/** A buffer of the js backend: the typed array itself (complex64 interleaved, strings as string[]). */
export interface JsData {
  values: BackendValues;
}

/** The values behind a kernel input. */
export function valuesOf<V extends BackendValues = BackendValues>(t: TensorInfo): V {
  return (t.dataId as JsData).values as V;
}

/** Bytes held by live js buffers (all js backend instances). */
let liveBytes = 0;

function bytesOf(v: BackendValues): number {
  return Array.isArray(v) ? 0 : (v as Exclude<BackendValues, string[]>).byteLength;
}

/** Wraps freshly computed values as a buffer. */
export function wrap(values: BackendValues): DataId {
  liveBytes += bytesOf(values);
  return { values } satisfies JsData;
}

/** Zeroed output storage for `size` elements of `dtype`. */
export function alloc<D extends DType>(dtype: D, size: number): ReturnType<typeof allocValues<D>> {
  return allocValues(dtype, size);
}

function copyOf(v: BackendValues): BackendValues {
  return Array.isArray(v) ? v.slice() : (v as Exclude<BackendValues, string[]>).slice();
}

// Reads return the buffer itself (as TensorFlow.js's cpu backend does): no copy, and since buffers
// are never reused after disposal, an array read from a tensor stays valid. Callers must not modify it.

/** The reference backend: TypeScript kernels on typed arrays, synchronous reads. */
export class JsBackend implements KernelBackend {
  readonly name = "js";
  readonly kernels: Partial<Kernels> = kernels;
  readonly dtypes: ReadonlySet<DType> = new Set<DType>(["bool", "int32", "float32", "float64", "complex64", "string"]);
  write(values: BackendValues, _shape: readonly number[], _dtype: DType): DataId {
    return wrap(copyOf(values));
  }

  async read(dataId: DataId): Promise<BackendValues> {
    return (dataId as JsData).values;
  }

  readSync(dataId: DataId): BackendValues {
    return (dataId as JsData).values;
  }

  disposeData(dataId: DataId): void {
    liveBytes -= bytesOf((dataId as JsData).values);
  }

  memory(): BackendMemoryInfo {
    return { numBytesInBackend: liveBytes };
  }

  describe(): string {
    return "js (TypeScript kernels on typed arrays)";
  }

  dispose(): void {}
}
