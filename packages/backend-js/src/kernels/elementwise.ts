/** Cast, Where, Fill and the complex64 parts. */
import type { BackendValues, Kernels, TensorInfo } from "@tessera/core/kernel";
import { sizeFromShape } from "@tessera/core/kernel";
import { alloc, valuesOf, wrap } from "../backend.js";
import { broadcastOffsets, forEachRow2 } from "./broadcast.js";

type Arr = Float32Array | Float64Array | Int32Array | Uint8Array;

function cast(x: TensorInfo, to: TensorInfo["dtype"]): BackendValues {
  const v = valuesOf<Arr>(x);
  const from = x.dtype;
  const n = sizeFromShape(x.shape);
  if (to === "complex64") {
    const o = alloc("complex64", n);
    for (let i = 0; i < n; i++) o[2 * i] = v[i]!;
    return o;
  }
  if (from === "complex64") {
    const o = alloc(to, n) as Arr;
    for (let i = 0; i < n; i++) o[i] = to === "bool" ? (v[2 * i] !== 0 || v[2 * i + 1] !== 0 ? 1 : 0) : to === "int32" ? Math.trunc(v[2 * i]!) | 0 : v[2 * i]!;
    return o;
  }
  const o = alloc(to, n) as Arr;
  if (to === "bool") for (let i = 0; i < n; i++) o[i] = v[i] !== 0 ? 1 : 0;
  else if (to === "int32") {
    // Truncation toward zero; NaN → 0 and out-of-range saturates (backend-defined in TensorFlow too).
    for (let i = 0; i < n; i++) {
      const e = v[i]!;
      o[i] = e !== e ? 0 : e >= 2147483647 ? 2147483647 : e <= -2147483648 ? -2147483648 : Math.trunc(e);
    }
  } else o.set(v);
  return o;
}

/**
 * Where without offset tables, for the common layouts: the condition full-size, each branch full-size
 * or a single value (ReLU's gradient is `where(x > 0, dy, 0)`). Returns null for other broadcasts.
 */
function whereFast(cv: Uint8Array, av: Arr, bv: Arr, size: number, dtype: TensorInfo["dtype"]): Arr | null {
  if (cv.length !== size || (av.length !== size && av.length !== 1) || (bv.length !== size && bv.length !== 1)) return null;
  const o = alloc(dtype, size) as Arr;
  if (av.length === size && bv.length === size) for (let i = 0; i < size; i++) o[i] = cv[i] ? av[i]! : bv[i]!;
  else if (av.length === size) {
    const y = bv[0]!;
    for (let i = 0; i < size; i++) o[i] = cv[i] ? av[i]! : y;
  } else if (bv.length === size) {
    const x = av[0]!;
    for (let i = 0; i < size; i++) o[i] = cv[i] ? x : bv[i]!;
  } else {
    const x = av[0]!, y = bv[0]!;
    for (let i = 0; i < size; i++) o[i] = cv[i] ? x : y;
  }
  return o;
}

export const elementwiseKernels: Pick<Kernels, "Cast" | "Where" | "Fill" | "Complex" | "Real" | "Imag" | "Conj"> = {
  Cast: ([x], _a, out) => wrap(cast(x, out.dtype)),

  Where: ([c, a, b], _a, out) => {
    const size = sizeFromShape(out.shape);
    const cv = valuesOf<Uint8Array>(c);
    if (out.dtype !== "string" && out.dtype !== "complex64") {
      const fast = whereFast(cv, valuesOf<Arr>(a), valuesOf<Arr>(b), size, out.dtype);
      if (fast) return wrap(fast);
    }
    const oc = broadcastOffsets(out.shape, c.shape);
    const oa = broadcastOffsets(out.shape, a.shape);
    const ob = broadcastOffsets(out.shape, b.shape);
    if (out.dtype === "string") {
      const av = valuesOf<string[]>(a), bv = valuesOf<string[]>(b);
      const o = alloc("string", size);
      for (let i = 0; i < size; i++) o[i] = cv[oc[i]!] ? av[oa[i]!]! : bv[ob[i]!]!;
      return wrap(o);
    }
    const av = valuesOf<Arr>(a), bv = valuesOf<Arr>(b);
    const o = alloc(out.dtype, size) as Arr;
    if (out.dtype === "complex64") {
      for (let i = 0; i < size; i++) {
        const src = cv[oc[i]!] ? av : bv;
        const k = 2 * (cv[oc[i]!] ? oa[i]! : ob[i]!);
        o[2 * i] = src[k]!;
        o[2 * i + 1] = src[k + 1]!;
      }
    } else {
      for (let i = 0; i < size; i++) o[i] = cv[oc[i]!] ? av[oa[i]!]! : bv[ob[i]!]!;
    }
    return wrap(o);
  },

  Fill: (_i, { value }, out) => {
    const size = sizeFromShape(out.shape);
    const o = alloc(out.dtype, size);
    if (Array.isArray(o)) o.fill(value as string);
    else if (out.dtype === "complex64") {
      const [re, im] = value as readonly [number, number];
      for (let i = 0; i < size; i++) {
        o[2 * i] = re;
        o[2 * i + 1] = im;
      }
    } else (o as Arr).fill(value as number);
    return wrap(o);
  },

  Complex: ([re, im], _a, out) => {
    const size = sizeFromShape(out.shape);
    const o = alloc("complex64", size);
    forEachRow2(out.shape, re.shape, im.shape, valuesOf<Float32Array>(re), valuesOf<Float32Array>(im), o, (a, ao, sa, b, bo, sb, dst, oo, n) => {
      for (let i = 0; i < n; i++) {
        dst[2 * (oo + i)] = a[ao + i * sa]!;
        dst[2 * (oo + i) + 1] = b[bo + i * sb]!;
      }
    });
    return wrap(o);
  },

  Real: ([x]) => {
    const v = valuesOf<Float32Array>(x);
    const o = alloc("float32", v.length >> 1);
    for (let i = 0; i < o.length; i++) o[i] = v[2 * i]!;
    return wrap(o);
  },

  Imag: ([x]) => {
    const v = valuesOf<Float32Array>(x);
    const o = alloc("float32", v.length >> 1);
    for (let i = 0; i < o.length; i++) o[i] = v[2 * i + 1]!;
    return wrap(o);
  },

  Conj: ([x]) => {
    const o = valuesOf<Float32Array>(x).slice();
    for (let i = 1; i < o.length; i += 2) o[i] = -o[i]!;
    return wrap(o);
  },
};
