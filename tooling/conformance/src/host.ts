/**
 * Host-side tensors (plain JS arrays the reference works on), their conversion to and from Tessera
 * tensors through the public API, and `evalOp`, which runs an op the way a user would and checks
 * that it left its inputs and `tf.memory()` as it found them.
 */
import * as tf from "@tessera/core";
import type { BackendValues, DType } from "@tessera/core/kernel";

/**
 * A tensor on the host. `data` is row-major: numbers for numeric dtypes (bool as 0/1, complex64
 * interleaved re, im), strings for string.
 */
export interface HostTensor {
  dtype: DType;
  shape: number[];
  data: number[] | string[];
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A host tensor; float32/complex64 values are rounded to float32 (what the tensor will hold). */
export function host(dtype: DType, shape: readonly number[], data: readonly (number | string)[]): HostTensor {
  const values = dtype === "float32" || dtype === "complex64" ? (data as number[]).map(Math.fround) : [...data];
  return { dtype, shape: [...shape], data: values as number[] | string[] };
}

/** Makes a tensor holding `h` with `tf.constant` (an upload: no kernel runs). */
export function toTensor(h: HostTensor): tf.Tensor {
  const shape = h.shape;
  const d = h.data;
  switch (h.dtype) {
    case "float32": return tf.constant(Float32Array.from(d as number[]), { shape });
    case "float64": return tf.constant(Float64Array.from(d as number[]), { shape });
    case "int32": return tf.constant(Int32Array.from(d as number[]), { shape });
    case "bool": return tf.constant((d as number[]).map((v) => v !== 0), { shape, dtype: "bool" });
    case "string": return tf.constant(d as string[], { shape, dtype: "string" });
    case "complex64": {
      const n = d.length / 2;
      const values: tf.Complex[] = [];
      for (let i = 0; i < n; i++) values.push({ re: d[2 * i] as number, im: d[2 * i + 1] as number });
      return tf.constant(values, { shape, dtype: "complex64" });
    }
  }
}

/** Backend storage for `h` (for direct kernel calls). */
export function toStorage(h: HostTensor): BackendValues {
  switch (h.dtype) {
    case "float32": return Float32Array.from(h.data as number[]);
    case "float64": return Float64Array.from(h.data as number[]);
    case "int32": return Int32Array.from(h.data as number[]);
    case "bool": return Uint8Array.from(h.data as number[]);
    case "complex64": return Float32Array.from(h.data as number[]);
    case "string": return [...(h.data as string[])];
  }
}

export function fromStorage(values: BackendValues, dtype: DType, shape: readonly number[]): HostTensor {
  return { dtype, shape: [...shape], data: Array.from(values as ArrayLike<number>) as number[] | string[] };
}

/** Reads a tensor back (asynchronously: every backend can). */
export async function readTensor(t: tf.Tensor): Promise<HostTensor> {
  return fromStorage(await t.data(), t.dtype, t.shape);
}

/** True when both hold the same bits as far as JS can see (NaN equals NaN, -0 differs from 0). */
export function sameData(a: HostTensor, b: HostTensor): boolean {
  if (a.dtype !== b.dtype || a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false;
  if (a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) if (!Object.is(a.data[i], b.data[i])) return false;
  return true;
}

export function describeHost(h: HostTensor, max = 12): string {
  const shown = h.data.slice(0, max).map((v) => (typeof v === "string" ? JSON.stringify(v) : Object.is(v, -0) ? "-0" : String(v)));
  return `${h.dtype}[${h.shape.join(",")}] {${shown.join(", ")}${h.data.length > max ? `, … (${h.data.length})` : ""}}`;
}

/** Memory as the suite checks it: exact tensor and byte counts. */
export interface MemorySnapshot {
  numTensors: number;
  numBytes: number;
}

export function memorySnapshot(): MemorySnapshot {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
}

export function checkMemory(before: MemorySnapshot, what: string): void {
  const after = memorySnapshot();
  if (after.numTensors !== before.numTensors || after.numBytes !== before.numBytes) {
    throw new Error(
      `${what}: tf.memory() changed from ${before.numTensors} tensors / ${before.numBytes} bytes to ${after.numTensors} tensors / ${after.numBytes} bytes`,
    );
  }
}

type OpResult = tf.Tensor | tf.Tensor[];

/**
 * Uploads `inputs`, runs `fn` on them inside `tf.tidy`, reads the result(s), then checks that the
 * inputs still hold their values, disposes everything, and checks that `tf.memory()` is back where it
 * started. Returns the result(s) as host tensors.
 */
export async function evalOp(inputs: readonly HostTensor[], fn: (...ts: tf.Tensor[]) => tf.Tensor): Promise<HostTensor>;
export async function evalOp(inputs: readonly HostTensor[], fn: (...ts: tf.Tensor[]) => tf.Tensor[]): Promise<HostTensor[]>;
export async function evalOp(inputs: readonly HostTensor[], fn: (...ts: tf.Tensor[]) => OpResult): Promise<HostTensor | HostTensor[]> {
  const before = memorySnapshot();
  const ts: tf.Tensor[] = [];
  let result: OpResult | undefined;
  let failed = false;
  try {
    for (const h of inputs) ts.push(toTensor(h));
    result = tf.tidy(() => fn(...ts));
    const outs = Array.isArray(result) ? result : [result];
    const read: HostTensor[] = [];
    for (const o of outs) read.push(await readTensor(o));
    for (let i = 0; i < ts.length; i++) {
      const now = await readTensor(ts[i]!);
      if (!sameData(now, inputs[i]!)) {
        throw new Error(`the op changed its input #${i}: it held ${describeHost(inputs[i]!)} and now holds ${describeHost(now)}`);
      }
    }
    return Array.isArray(result) ? read : read[0]!;
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    if (result !== undefined) tf.dispose(result);
    tf.dispose(ts);
    // A failure above is the interesting one; only report leaks of ops that worked.
    if (!failed) checkMemory(before, "after the op and dispose()");
  }
}

/**
 * Runs `fn`, which must throw an instance of `errorClass`; checks that the inputs are unchanged and
 * that no tensor leaked. Returns the error for message checks.
 */
export async function expectOpError(
  inputs: readonly HostTensor[],
  fn: (...ts: tf.Tensor[]) => unknown,
  errorClass: abstract new (...args: never[]) => Error,
): Promise<Error> {
  const ts = inputs.map(toTensor);
  const before = memorySnapshot();
  let caught: unknown;
  try {
    fn(...ts);
  } catch (err) {
    caught = err;
  }
  try {
    if (caught === undefined) throw new Error(`expected ${errorClass.name}, but the op succeeded`);
    if (!(caught instanceof errorClass)) {
      throw new Error(`expected ${errorClass.name}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`);
    }
    checkMemory(before, "after the failed op");
    for (let i = 0; i < ts.length; i++) {
      const now = await readTensor(ts[i]!);
      if (!sameData(now, inputs[i]!)) throw new Error(`the failed op changed its input #${i}: ${describeHost(inputs[i]!)} → ${describeHost(now)}`);
    }
    return caught;
  } finally {
    tf.dispose(ts);
  }
}
