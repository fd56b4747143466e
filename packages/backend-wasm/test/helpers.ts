/** Test helpers: backends, tensors from plain arrays, seeded random data, float64 reference checks. */
import { expect } from "vitest";
import { sizeFromShape, stridesOf } from "@tessera/core/kernel";
import { mulberry32, reference } from "@tessera/conformance";
import type { BackendValues, DataId, DType, KernelName, TensorInfo } from "@tessera/core/kernel";
import { WasmBackend } from "../src/backend.js";

let single: WasmBackend | null = null;

/** A shared single-threaded backend. */
export function backend(): WasmBackend {
  single ??= WasmBackend.createSync({ threads: 1 });
  return single;
}

export function storage(dtype: DType, values: readonly number[]): BackendValues {
  switch (dtype) {
    case "bool": return Uint8Array.from(values);
    case "int32": return Int32Array.from(values);
    case "float32": return Float32Array.from(values);
    case "float64": return Float64Array.from(values);
    case "complex64": return Float32Array.from(values);
    case "string": throw new Error("use strings()");
  }
}

/** A tensor on `b` (complex64 values are interleaved re, im). */
export function tensor(b: WasmBackend, values: readonly number[] | BackendValues, shape: readonly number[], dtype: DType): TensorInfo {
  const v = Array.isArray(values) ? storage(dtype, values as unknown as number[]) : (values as BackendValues);
  return { dataId: b.write(v, shape, dtype), shape, dtype };
}

/** Runs a kernel and reads its output synchronously. */
export function run(b: WasmBackend, name: KernelName, inputs: readonly TensorInfo[], attrs: object, shape: readonly number[], dtype: DType): number[] {
  const k = b.kernels[name] as unknown as (i: readonly TensorInfo[], a: object, o: { shape: readonly number[]; dtype: DType }) => DataId;
  const id = k(inputs, attrs, { shape, dtype });
  const n = sizeFromShape(shape);
  const out = b.readSync(id, dtype, n);
  b.disposeData(id);
  return Array.from(out as ArrayLike<number>);
}

export function dispose(b: WasmBackend, ...ts: TensorInfo[]): void {
  for (const t of ts) b.disposeData(t.dataId);
}

/** Mulberry32: a small seeded generator (the one the conformance suite draws from). */
export const rng = mulberry32;

/** n uniform values in [lo, hi), rounded to float32 when asked. */
export function randoms(n: number, seed: number, lo = -1, hi = 1, f32 = true): number[] {
  const r = rng(seed);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = lo + (hi - lo) * r();
    out[i] = f32 ? Math.fround(v) : v;
  }
  return out;
}

export function randomInts(n: number, seed: number, lo: number, hi: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => lo + Math.floor(r() * (hi - lo)));
}

/** Elementwise closeness with NaN = NaN and matching infinities. */
export function expectClose(actual: readonly number[], expected: readonly number[], rtol = 1e-5, atol = 1e-6, what = ""): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(e)) {
      expect(Number.isNaN(a), `${what}[${i}]: expected NaN, got ${a}`).toBe(true);
      continue;
    }
    if (!Number.isFinite(e)) {
      expect(a, `${what}[${i}]`).toBe(e);
      continue;
    }
    const tol = atol + rtol * Math.abs(e);
    if (!(Math.abs(a - e) <= tol)) {
      throw new Error(`${what}[${i}]: expected ${e}, got ${a} (difference ${Math.abs(a - e)} > ${tol})`);
    }
  }
}

/** Exact equality (with NaN = NaN and -0 = 0). */
export function expectExact(actual: readonly number[], expected: readonly number[], what = ""): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a !== e) throw new Error(`${what}[${i}]: expected ${e}, got ${a}`);
  }
}

/** Row-major strides. */
export const strides = stridesOf;

/** Multi-index of flat position i. */
export const unravel = reference.unravel;

/** Reference broadcasting: value of an input (canonical form) at output position i. */
export function broadcastIndex(i: number, outShape: readonly number[], inShape: readonly number[]): number {
  const idx = unravel(i, outShape);
  const st = strides(inShape);
  let o = 0;
  for (let d = 0; d < idx.length; d++) if (inShape[d] !== 1) o += idx[d]! * st[d]!;
  return o;
}
