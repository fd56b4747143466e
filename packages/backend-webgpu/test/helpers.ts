/** Test helpers: one backend per test file, kernels called directly, results compared with float64 references. */
import type { BackendValues, DataId, DType, TensorInfo } from "@tessera/core/kernel";
import { WebGPUBackend } from "../src/backend.js";
import type { WebGPUBackendOptions } from "../src/backend.js";

export async function makeBackend(options: WebGPUBackendOptions = {}): Promise<WebGPUBackend> {
  // A missing adapter is an error, never a skip (CI runs on lavapipe).
  return WebGPUBackend.create(options);
}

export interface T extends TensorInfo {
  readonly size: number;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Uploads values as a tensor of `shape`/`dtype`. */
export function tensor(b: WebGPUBackend, values: ArrayLike<number> | readonly boolean[] | readonly string[], shape: readonly number[], dtype: DType = "float32"): T {
  const size = sizeOf(shape);
  let v: BackendValues;
  switch (dtype) {
    case "float32": v = Float32Array.from(values as ArrayLike<number>); break;
    case "complex64": v = Float32Array.from(values as ArrayLike<number>); break;
    case "float64": v = Float64Array.from(values as ArrayLike<number>); break;
    case "int32": v = Int32Array.from(values as ArrayLike<number>); break;
    case "bool": v = Uint8Array.from(Array.from(values as ArrayLike<number | boolean>, (x) => (x ? 1 : 0))); break;
    case "string": v = Array.from(values as readonly string[]); break;
    default: throw new Error(`test helper: dtype ${dtype}`);
  }
  if ((v as ArrayLike<unknown>).length !== size * (dtype === "complex64" ? 2 : 1)) throw new Error(`test helper: ${(v as ArrayLike<unknown>).length} values for shape [${shape.join(",")}]`);
  return { dataId: b.write(v, shape, dtype), shape: [...shape], dtype, size };
}

/** Wraps a kernel result. */
export function wrap(dataId: DataId, shape: readonly number[], dtype: DType): T {
  return { dataId, shape: [...shape], dtype, size: sizeOf(shape) };
}

/** Values as numbers (complex64: interleaved re, im). */
export async function read(b: WebGPUBackend, t: T): Promise<number[]> {
  const v = await b.read(t.dataId, t.dtype, t.size);
  return Array.from(v as ArrayLike<number>, Number);
}

export function readSync(b: WebGPUBackend, t: T): number[] {
  return Array.from(b.readSync(t.dataId, t.dtype, t.size) as ArrayLike<number>, Number);
}

/** A view of `t` with another shape (what core's reshape does). */
export function view(t: T, shape: readonly number[]): T {
  return { ...t, shape: [...shape] };
}

/** Deterministic pseudo-random numbers in [lo, hi). */
export function rand(n: number, seed = 1, lo = -1, hi = 1): number[] {
  let s = seed >>> 0 || 1;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = lo + ((s >>> 0) / 4294967296) * (hi - lo);
  }
  return out;
}

export function randInt(n: number, seed: number, lo: number, hi: number): number[] {
  return rand(n, seed, 0, 1).map((x) => lo + Math.floor(x * (hi - lo)));
}

/** float32 rounding of a reference value. */
export const f32 = Math.fround;

/** Asserts that `actual` matches `expected` elementwise (NaN matches NaN, ±Inf exactly). */
export function expectClose(actual: readonly number[], expected: readonly number[], rtol = 1e-5, atol = 1e-6, what = ""): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} vs expected ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) throw new Error(`${what}[${i}]: got ${a}, expected NaN`);
      continue;
    }
    if (!Number.isFinite(e)) {
      if (a !== e) throw new Error(`${what}[${i}]: got ${a}, expected ${e}`);
      continue;
    }
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`${what}[${i}]: got ${a}, expected ${e} (|diff| ${Math.abs(a - e)})`);
    }
  }
}

export function expectEqual(actual: readonly number[], expected: readonly number[], what = ""): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} vs expected ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i]) && !(actual[i] === expected[i])) {
      throw new Error(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

/** Broadcast index: the flat index in a tensor of `shape` (rank = out rank, dims 1 where broadcast) for out coords. */
export function broadcastIndex(outIndex: number, out: readonly number[], shape: readonly number[]): number {
  let rest = outIndex;
  let idx = 0;
  let stride = 1;
  for (let d = out.length - 1; d >= 0; d--) {
    const c = rest % out[d]!;
    rest = Math.floor(rest / out[d]!);
    if (shape[d] !== 1) idx += c * stride;
    stride *= shape[d]!;
  }
  return idx;
}
