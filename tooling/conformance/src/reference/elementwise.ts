/**
 * Float64 reference for elementwise kernels: unary and binary kernels evaluate the scalar
 * references their entries in the op table declare (written from TensorFlow / C semantics, not from
 * any backend); cast, where and the complex parts are here. int32 results wrap as two's complement
 * (the entries compute them in BigInt so the wrap is exact).
 */
import type { BinaryKernelName, DType, UnaryKernelName } from "@tessera/core/kernel";
import { BINARY_SPECS, UNARY_SPECS } from "@tessera/core/kernel";
import type { Expected } from "../compare.js";
import type { HostTensor } from "../host.js";
import { sizeOf } from "../host.js";
import { broadcastShape, broadcastSource } from "./indexing.js";

/** Wraps an exact integer to int32. */
export function wrap32(v: bigint | number): number {
  return Number(BigInt.asIntN(32, typeof v === "bigint" ? v : BigInt(v)));
}

/** Rounds reference values to what `dtype` can hold. */
export function roundTo(dtype: DType, v: number): number {
  return dtype === "float32" || dtype === "complex64" ? Math.fround(v) : v;
}

/** `k(x)` from the kernel's float64 reference in the op table; int32 results wrap, bool results are 0/1. */
export function unaryRef(k: UnaryKernelName, x: HostTensor): Expected {
  const spec = UNARY_SPECS[k];
  const t = spec.test;
  const n = sizeOf(x.shape);
  const d = x.data as number[];
  const outDtype = spec.out(x.dtype);
  if (x.dtype === "complex64") {
    const f = need(t.complex, k, x.dtype);
    if (outDtype !== "complex64") {
      const out = new Array<number>(n);
      for (let i = 0; i < n; i++) out[i] = roundTo(outDtype, f(d[2 * i]!, d[2 * i + 1]!)[0]);
      return { dtype: outDtype, shape: [...x.shape], data: out, scale: out.map(Math.abs) };
    }
    const out = new Array<number>(2 * n);
    const scale = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const [re, im] = f(d[2 * i]!, d[2 * i + 1]!);
      out[2 * i] = Math.fround(re);
      out[2 * i + 1] = Math.fround(im);
      scale[i] = Math.hypot(re, im);
    }
    return { dtype: "complex64", shape: [...x.shape], data: out, scale };
  }
  if (x.dtype === "int32") {
    const f = need(t.int ?? t.real, k, x.dtype);
    return { dtype: outDtype, shape: [...x.shape], data: d.map((v) => wrapTo(outDtype, f(v))) };
  }
  const f = need(x.dtype === "bool" ? t.bool ?? t.real : t.real, k, x.dtype);
  return { dtype: outDtype, shape: [...x.shape], data: d.map((v) => roundTo(outDtype, f(v))) };
}

/** An exact integer result as `dtype` holds it: int32 wraps, bool is 0/1. */
function wrapTo(dtype: DType, v: number | bigint): number {
  return dtype === "int32" ? wrap32(v) : Number(v);
}

function need<F>(f: F | undefined, k: string, dtype: DType): F {
  if (!f) throw new Error(`op table: kernel ${k} takes ${dtype} but its entry has no ${dtype} reference`);
  return f;
}

/** `k(a, b)` with broadcasting; float32 FloorDiv also accepts the quotient floored after rounding to float32. */
export function binaryRef(k: BinaryKernelName, a: HostTensor, b: HostTensor): Expected {
  const shape = broadcastShape(a.shape, b.shape);
  if (!shape) throw new Error(`internal: shapes [${a.shape}] and [${b.shape}] do not broadcast`);
  const sa = broadcastSource(shape, a.shape);
  const sb = broadcastSource(shape, b.shape);
  const n = sa.length;
  const spec = BINARY_SPECS[k];
  const t = spec.test;
  const outDtype = spec.out(a.dtype);
  if (a.dtype === "string") {
    const av = a.data as string[], bv = b.data as string[];
    const f = need(t.string, k, a.dtype);
    return { dtype: outDtype, shape, data: sa.map((p, i) => f(av[p]!, bv[sb[i]!]!)) };
  }
  const av = a.data as number[], bv = b.data as number[];
  if (a.dtype === "complex64") {
    const f = need(t.complex, k, a.dtype);
    if (outDtype === "bool") {
      return { dtype: "bool", shape, data: sa.map((p, i) => f(av[2 * p]!, av[2 * p + 1]!, bv[2 * sb[i]!]!, bv[2 * sb[i]! + 1]!)[0]) };
    }
    const data = new Array<number>(2 * n);
    const scale = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const p = 2 * sa[i]!, q = 2 * sb[i]!;
      const [re, im] = f(av[p]!, av[p + 1]!, bv[q]!, bv[q + 1]!);
      data[2 * i] = Math.fround(re);
      data[2 * i + 1] = Math.fround(im);
      const ma = Math.hypot(av[p]!, av[p + 1]!), mb = Math.hypot(bv[q]!, bv[q + 1]!);
      scale[i] = k === "Add" || k === "Sub" ? ma + mb : k === "Mul" ? ma * mb : ma / mb;
    }
    return { dtype: "complex64", shape, data, scale };
  }
  // Kernels exact on integers (comparisons, max/min) serve int32 and bool from their real reference.
  const int = a.dtype === "int32" ? need(t.int ?? t.real, k, a.dtype) : undefined;
  const real = a.dtype === "bool" ? need(t.bool ?? t.real, k, a.dtype) : a.dtype === "int32" ? undefined : need(t.real, k, a.dtype);
  const data = new Array<number>(n);
  let alt: (number | undefined)[] | undefined;
  for (let i = 0; i < n; i++) {
    const x = av[sa[i]!]!, y = bv[sb[i]!]!;
    data[i] = int ? wrapTo(outDtype, int(x, y)) : roundTo(outDtype, real!(x, y));
    if (k === "FloorDiv" && a.dtype === "float32") {
      const rounded = Math.floor(Math.fround(x / y));
      if (rounded !== data[i]) (alt ??= new Array<number | undefined>(n))[i] = rounded;
    }
  }
  return alt ? { dtype: outDtype, shape, data, alt } : { dtype: outDtype, shape, data };
}

/** TensorFlow's Cast (float → int32 truncates; → bool is != 0; complex → real keeps the real part). */
export function castRef(x: HostTensor, to: DType): Expected {
  const n = sizeOf(x.shape);
  const d = x.data as number[];
  const shape = [...x.shape];
  const real = (i: number) => (x.dtype === "complex64" ? d[2 * i]! : d[i]!);
  if (to === "complex64") {
    const data = new Array<number>(2 * n);
    for (let i = 0; i < n; i++) {
      data[2 * i] = Math.fround(real(i));
      data[2 * i + 1] = x.dtype === "complex64" ? d[2 * i + 1]! : 0;
    }
    return { dtype: to, shape, data };
  }
  const data = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = real(i);
    switch (to) {
      case "bool": data[i] = v !== 0 || (x.dtype === "complex64" && d[2 * i + 1] !== 0) ? 1 : 0; break;
      case "int32": data[i] = Math.trunc(v); break;
      case "float32": data[i] = Math.fround(v); break;
      default: data[i] = v;
    }
  }
  return { dtype: to, shape, data };
}

/** `cond ? a : b` with three-way broadcasting. */
export function whereRef(cond: HostTensor, a: HostTensor, b: HostTensor): Expected {
  const shape = broadcastShape(cond.shape, a.shape, b.shape)!;
  const sc = broadcastSource(shape, cond.shape), sa = broadcastSource(shape, a.shape), sb = broadcastSource(shape, b.shape);
  const w = a.dtype === "complex64" ? 2 : 1;
  const data: (number | string)[] = [];
  for (let i = 0; i < sc.length; i++) {
    const [src, p] = cond.data[sc[i]!] ? [a.data, sa[i]!] : [b.data, sb[i]!];
    for (let s = 0; s < w; s++) data.push(src[p * w + s]!);
  }
  return { dtype: a.dtype, shape, data: data as number[] | string[] };
}

/** complex64 from float32 parts, broadcast together. */
export function complexRef(re: HostTensor, im: HostTensor): Expected {
  const shape = broadcastShape(re.shape, im.shape)!;
  const sr = broadcastSource(shape, re.shape), si = broadcastSource(shape, im.shape);
  const data: number[] = [];
  for (let i = 0; i < sr.length; i++) data.push((re.data as number[])[sr[i]!]!, (im.data as number[])[si[i]!]!);
  return { dtype: "complex64", shape, data };
}

/** Real, Imag, Conj of a complex64 tensor. */
export function complexPartRef(k: "Real" | "Imag" | "Conj", x: HostTensor): Expected {
  const d = x.data as number[];
  const n = sizeOf(x.shape);
  if (k === "Conj") {
    const data = d.map((v, i) => (i % 2 ? -v : v));
    return { dtype: "complex64", shape: [...x.shape], data };
  }
  const off = k === "Real" ? 0 : 1;
  return { dtype: "float32", shape: [...x.shape], data: Array.from({ length: n }, (_, i) => d[2 * i + off]!) };
}
