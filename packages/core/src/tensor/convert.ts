/**
 * Turning JS values into tensors: dtype inference, ragged-array checks, ndarray-likes, and the
 * "weak" typing of JS numbers (a number or plain array takes the dtype of the tensor it meets).
 */
import type { BackendValues, DType } from "../dtypes.js";
import { allocValues, isDType } from "../dtypes.js";
import { DtypeError, ValueError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { sizeFromShape, stridesOf } from "../shape.js";
import type { Complex } from "./tensor.js";
import { Tensor } from "./tensor.js";

/** Brand of Keras's symbolic tensors (keras/keras-tensor.ts), which ops refuse with an explanation. */
export const SYMBOLIC: unique symbol = Symbol.for("tessera.keras.symbolic");

/** An ndarray-like: `{ data, shape }` (the `ndarray` and `@stdlib/ndarray` packages, and plain objects). */
export interface NdArrayLike {
  readonly data: ArrayLike<number> | ArrayLike<boolean> | ArrayLike<string>;
  readonly shape: readonly number[];
  /** `ndarray` spells it `stride`, stdlib `strides`; both are honoured, with `offset`. */
  readonly stride?: readonly number[];
  readonly strides?: readonly number[];
  readonly offset?: number;
}

type Leaf = number | boolean | string | Complex;
/** Nested arrays of numbers, booleans, strings or complex numbers. */
export interface NestedValues extends ReadonlyArray<Leaf | NestedValues | ArrayLike<number>> {}

export type TypedArrayInput =
  | Float32Array | Float64Array | Int32Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Uint8ClampedArray | Uint32Array;

/** Anything an op accepts as a tensor. */
export type TensorLike = Tensor | Leaf | NestedValues | TypedArrayInput | NdArrayLike;

/** How strongly a value fixes its dtype: a tensor > a typed array / ndarray > a JS number or plain array. */
const enum Strength {
  Weak = 0,
  Typed = 1,
  Tensor = 2,
}

function isTypedArray(x: unknown): x is TypedArrayInput {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

export function isComplex(x: unknown): x is Complex {
  return typeof x === "object" && x !== null && !Array.isArray(x) && typeof (x as Complex).re === "number" && typeof (x as Complex).im === "number";
}

function isNdArrayLike(x: unknown): x is NdArrayLike {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !(x instanceof Tensor) && "data" in x && "shape" in x && Array.isArray((x as NdArrayLike).shape);
}

function strengthOf(x: unknown): Strength {
  if (x instanceof Tensor) return Strength.Tensor;
  if (isTypedArray(x) || isNdArrayLike(x)) return Strength.Typed;
  return Strength.Weak;
}

function typedArrayDtype(x: TypedArrayInput): DType {
  if (x instanceof Float32Array) return "float32";
  if (x instanceof Float64Array) return "float64";
  return "int32";
}

/** Flattened host values of a non-tensor input, its shape, and the dtype it would get on its own. */
interface HostValue {
  flat: ArrayLike<unknown>;
  shape: number[];
  inferred: DType;
}

function describeValue(x: unknown): string {
  if (typeof x === "string") return JSON.stringify(x);
  if (typeof x === "object" && x !== null) return Array.isArray(x) ? "an array" : (x.constructor?.name ?? "an object");
  return String(x);
}

/** Flattens nested arrays, checking they are rectangular and that leaves share a kind. */
function flattenNested(value: unknown, op: string): HostValue {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe) || isTypedArray(probe)) {
    shape.push((probe as ArrayLike<unknown>).length);
    if ((probe as ArrayLike<unknown>).length === 0) break;
    probe = (probe as ArrayLike<unknown>)[0];
  }
  const flat: unknown[] = [];
  type Kind = "number" | "boolean" | "string" | "complex";
  let kind = null as Kind | null;
  let allInt = true;
  let sawFloat64 = false;
  let sawFloat32 = false;
  const ragged = () =>
    new ValueError(opMessage(op, `Can't convert non-rectangular nested array to a Tensor: expected shape [${shape.join(", ")}] from the first elements`));
  const walk = (v: unknown, d: number): void => {
    if (d === shape.length) {
      if (Array.isArray(v) || isTypedArray(v)) throw ragged();
      let k: Kind;
      if (typeof v === "number") {
        k = "number";
        if (allInt && !Number.isInteger(v)) allInt = false;
      } else if (typeof v === "boolean") k = "boolean";
      else if (typeof v === "string") k = "string";
      else if (isComplex(v)) k = "complex";
      else throw new ValueError(opMessage(op, `Can't convert ${describeValue(v)} to a Tensor element (expected a number, boolean, string or {re, im})`));
      if (kind === null) kind = k;
      else if (kind !== k) {
        if ((kind === "complex" && k === "number") || (kind === "number" && k === "complex")) kind = "complex";
        else throw new ValueError(opMessage(op, `Can't convert a nested array mixing ${kind} and ${k} elements to a Tensor`));
      }
      flat.push(v);
      return;
    }
    if (!(Array.isArray(v) || isTypedArray(v)) || (v as ArrayLike<unknown>).length !== shape[d]) throw ragged();
    if (d === shape.length - 1 && isTypedArray(v)) {
      if (v instanceof Float64Array) sawFloat64 = true;
      else if (v instanceof Float32Array) sawFloat32 = true;
    }
    for (let i = 0; i < (v as ArrayLike<unknown>).length; i++) walk((v as ArrayLike<unknown>)[i], d + 1);
  };
  walk(value, 0);
  let inferred: DType;
  switch (kind as Kind | null) {
    case "boolean": inferred = "bool"; break;
    case "string": inferred = "string"; break;
    case "complex": inferred = "complex64"; break;
    default: inferred = sawFloat64 ? "float64" : sawFloat32 || !allInt ? "float32" : "int32";
  }
  // An empty array is float32, as tf.constant([]) is.
  if (kind === null) inferred = "float32";
  return { flat, shape, inferred };
}

function ndArrayValues(x: NdArrayLike, op: string): HostValue {
  const shape = [...x.shape];
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ValueError(opMessage(op, `ndarray-like shape must hold non-negative integers, got [${shape.join(", ")}]`));
  }
  const size = sizeFromShape(shape);
  const strides = x.strides ?? x.stride;
  const offset = x.offset ?? 0;
  let flat: ArrayLike<unknown>;
  if (!strides && offset === 0) {
    if (x.data.length !== size) throw new ValueError(opMessage(op, `ndarray-like data has ${x.data.length} elements but shape [${shape.join(", ")}] needs ${size}`));
    flat = x.data;
  } else {
    const st = strides ?? stridesOf(shape);
    const out = new Array<unknown>(size);
    const idx = new Array<number>(shape.length).fill(0);
    for (let i = 0; i < size; i++) {
      let p = offset;
      for (let d = 0; d < shape.length; d++) p += idx[d]! * st[d]!;
      out[i] = x.data[p];
      for (let d = shape.length - 1; d >= 0; d--) {
        if (++idx[d]! < shape[d]!) break;
        idx[d] = 0;
      }
    }
    flat = out;
  }
  const inferred = isTypedArray(x.data) ? typedArrayDtype(x.data) : flattenNested(Array.from(flat), op).inferred;
  return { flat, shape, inferred };
}


/** Host values of any non-tensor input. */
export function hostValue(x: unknown, op: string): HostValue {
  if (typeof x === "number") return { flat: [x], shape: [], inferred: Number.isInteger(x) ? "int32" : "float32" };
  if (typeof x === "boolean") return { flat: [x], shape: [], inferred: "bool" };
  if (typeof x === "string") return { flat: [x], shape: [], inferred: "string" };
  if (isComplex(x)) return { flat: [x], shape: [], inferred: "complex64" };
  if (isTypedArray(x)) {
    if (x instanceof Uint32Array) {
      for (let i = 0; i < x.length; i++) if (x[i]! > 0x7fffffff) throw new DtypeError(opMessage(op, `Uint32Array value ${x[i]} does not fit in int32`));
    }
    return { flat: x, shape: [x.length], inferred: typedArrayDtype(x) };
  }
  if (Array.isArray(x)) return flattenNested(x, op);
  if (isNdArrayLike(x)) return ndArrayValues(x, op);
  if (typeof x === "bigint") throw new DtypeError(opMessage(op, `BigInt values are not supported (no int64 dtype); convert to number first`));
  if (typeof x === "object" && x !== null && SYMBOLIC in x) {
    throw new TypeError(
      opMessage(op, `A KerasTensor (${String(x)}) cannot be used as input to ${op}: it is a symbolic placeholder for a shape and dtype, used to build functional models. Pass it to a Keras layer, or put the computation in a tf.keras.layers.Lambda layer or in a custom layer's call`),
    );
  }
  throw new ValueError(opMessage(op, `Can't convert ${describeValue(x)} to a Tensor`));
}

/** Converts flat host values into storage of `dtype`, rejecting what TensorFlow rejects. */
export function toStorage(flat: ArrayLike<unknown>, dtype: DType, op: string): BackendValues {
  const n = flat.length;
  const out = allocValues(dtype, n);
  const bad = (v: unknown) => new DtypeError(opMessage(op, `Cannot convert ${describeValue(v)} to EagerTensor of dtype ${dtype}`));
  switch (dtype) {
    case "string": {
      const o = out as string[];
      for (let i = 0; i < n; i++) {
        const v = flat[i];
        if (typeof v !== "string") throw bad(v);
        o[i] = v;
      }
      return o;
    }
    case "bool": {
      const o = out as Uint8Array;
      for (let i = 0; i < n; i++) {
        const v = flat[i];
        if (typeof v !== "boolean") throw bad(v);
        o[i] = v ? 1 : 0;
      }
      return o;
    }
    case "complex64": {
      const o = out as Float32Array;
      for (let i = 0; i < n; i++) {
        const v = flat[i];
        if (typeof v === "number") o[2 * i] = v;
        else if (isComplex(v)) {
          o[2 * i] = v.re;
          o[2 * i + 1] = v.im;
        } else throw bad(v);
      }
      return o;
    }
    case "int32": {
      const o = out as Int32Array;
      if (flat instanceof Int32Array) {
        o.set(flat);
        return o;
      }
      for (let i = 0; i < n; i++) {
        const v = flat[i];
        if (typeof v !== "number" || !Number.isInteger(v) || v > 2147483647 || v < -2147483648) throw bad(v);
        o[i] = v;
      }
      return o;
    }
    default: {
      const o = out as Float32Array | Float64Array;
      if (isTypedArray(flat)) {
        o.set(flat as ArrayLike<number>);
        return o;
      }
      for (let i = 0; i < n; i++) {
        const v = flat[i];
        if (typeof v !== "number") throw bad(v);
        o[i] = v;
      }
      return o;
    }
  }
}

/** Makes a tensor from a non-tensor value on the active backend. */
export function tensorFromHost(x: unknown, dtype: DType | undefined, op: string): Tensor {
  const hv = hostValue(x, op);
  const d = dtype ?? hv.inferred;
  return ENGINE.upload(toStorage(hv.flat, d, op), hv.shape, d);
}

/**
 * Converts one op argument to a tensor. A tensor is returned as is (after a disposed check); other
 * values are uploaded with `dtype` when given (weak typing), else with their inferred dtype.
 */
export function toTensor(x: TensorLike, op: string, dtype?: DType): Tensor {
  if (x instanceof Tensor) {
    x.throwIfDisposed(op);
    return x;
  }
  if (dtype !== undefined && !isDType(dtype)) throw new DtypeError(opMessage(op, `Unknown dtype ${String(dtype)}`));
  return tensorFromHost(x, dtype, op);
}

/**
 * Converts the arguments of an op whose inputs must share a dtype (add, where's branches, concat...).
 * The strongest argument fixes the dtype (tensor > typed array > JS number/array); weaker ones are
 * converted to it; JS numbers and arrays alone are inferred together (all integers → int32).
 * Two strong arguments of different dtypes are an error, as in TensorFlow.
 */
export function toTensors(xs: readonly TensorLike[], op: string): Tensor[] {
  const all = allTensors(xs, op);
  if (all) return all;
  let best: Strength = Strength.Weak;
  for (const x of xs) best = Math.max(best, strengthOf(x));
  let dtype: DType | undefined;
  let anchor = -1;
  if (best === Strength.Weak) {
    // Infer jointly: one float makes them all float32.
    const kinds = xs.map((x) => hostValue(x, op).inferred);
    dtype = kinds.includes("complex64") ? "complex64" : kinds.includes("float32") ? "float32" : kinds[0];
  } else {
    for (let i = 0; i < xs.length; i++) {
      if (strengthOf(xs[i]) !== best) continue;
      const d = xs[i] instanceof Tensor ? (xs[i] as Tensor).dtype : hostValue(xs[i], op).inferred;
      if (dtype === undefined) {
        dtype = d;
        anchor = i;
      } else if (d !== dtype) {
        throw dtypeMismatch(op, i, dtype, d, anchor);
      }
    }
  }
  const out: Tensor[] = [];
  try {
    for (const x of xs) out.push(toTensor(x, op, dtype));
  } catch (err) {
    // A later argument failed to convert: free the temporaries already made from earlier ones.
    for (let i = 0; i < out.length; i++) if (out[i] !== xs[i]) out[i]!.dispose();
    throw err;
  }
  return out;
}

/** The common case, tensors only: checked without conversion machinery (small ops are overhead-bound). */
function allTensors(xs: readonly TensorLike[], op: string): Tensor[] | null {
  for (let i = 0; i < xs.length; i++) if (!(xs[i] instanceof Tensor)) return null;
  const ts = xs as readonly Tensor[];
  const dtype = ts[0]?.dtype;
  for (let i = 0; i < ts.length; i++) {
    ts[i]!.throwIfDisposed(op);
    if (ts[i]!.dtype !== dtype) throw dtypeMismatch(op, i, dtype!, ts[i]!.dtype);
  }
  return ts.slice();
}

/** TensorFlow's message when two inputs' dtypes differ. */
export function dtypeMismatch(op: string, index: number, expected: DType, got: DType, anchor = 0): DtypeError {
  return new DtypeError(
    opMessage(op, `cannot compute ${op} as input #${index}(zero-based) was expected to be a ${expected} tensor (like input #${anchor}) but is a ${got} tensor`),
  );
}
