/**
 * Float64 reference for elementwise kernels, written from the definitions (TensorFlow / C semantics),
 * not from any backend: unary, binary, cast, where, complex parts. int32 results wrap as two's
 * complement (computed with BigInt so the wrap is exact).
 */
import type { BinaryKernelName, DType, UnaryKernelName } from "@tessera/core/kernel";
import type { Expected } from "../compare.js";
import type { HostTensor } from "../host.js";
import { sizeOf } from "../host.js";
import { broadcastShape, broadcastSource } from "./indexing.js";

/** Wraps an exact integer to int32. */
export function wrap32(v: bigint | number): number {
  return Number(BigInt.asIntN(32, typeof v === "bigint" ? v : BigInt(v)));
}

/** Round half to even (TensorFlow's Round, NumPy's rint). */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f === 0 && x < 0 ? -0 : f;
  if (d > 0.5) return f + 1 === 0 && x < 0 ? -0 : f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** C's `pow`: differs from JS's Math.pow at pow(1, NaN) = 1 and pow(-1, ±Inf) = 1. */
export function cPow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

/** TensorFlow's float FloorMod: fmod, then moved to the divisor's sign. */
export function floorModFloat(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

export const UNARY_REAL: Record<UnaryKernelName, (x: number) => number> = {
  Neg: (x) => -x,
  Abs: (x) => Math.abs(x),
  Sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  Square: (x) => x * x,
  Sqrt: (x) => Math.sqrt(x),
  Rsqrt: (x) => 1 / Math.sqrt(x),
  Exp: (x) => Math.exp(x),
  Log: (x) => Math.log(x),
  Log1p: (x) => Math.log1p(x),
  Sin: (x) => Math.sin(x),
  Cos: (x) => Math.cos(x),
  Tanh: (x) => Math.tanh(x),
  Sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  Relu: (x) => (x > 0 ? x : x !== x ? x : 0),
  Elu: (x) => (x > 0 ? x : Math.expm1(x)),
  Softplus: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  Floor: (x) => Math.floor(x),
  Ceil: (x) => Math.ceil(x),
  Round: roundHalfEven,
  Reciprocal: (x) => 1 / x,
  LogicalNot: (x) => (x ? 0 : 1),
};

/** int32 versions (the kernels that take int32). */
export const UNARY_INT: Partial<Record<UnaryKernelName, (x: number) => number>> = {
  Neg: (x) => wrap32(-BigInt(x)),
  Abs: (x) => wrap32(x < 0 ? -BigInt(x) : BigInt(x)),
  Sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  Square: (x) => wrap32(BigInt(x) * BigInt(x)),
  Relu: (x) => (x > 0 ? x : 0),
};

type C = [number, number];

/** complex64 versions; Abs gives a real number (im ignored). */
export const UNARY_COMPLEX: Partial<Record<UnaryKernelName, (re: number, im: number) => C>> = {
  Neg: (re, im) => [-re, -im],
  Square: (re, im) => [re * re - im * im, 2 * re * im],
  Exp: (re, im) => [Math.exp(re) * Math.cos(im), Math.exp(re) * Math.sin(im)],
  Log: (re, im) => [Math.log(Math.hypot(re, im)), Math.atan2(im, re)],
  Sqrt: (re, im) => {
    // Principal root: real part ≥ 0, imaginary part with the sign of im.
    const m = Math.hypot(re, im);
    if (m === 0) return [0, im];
    if (re >= 0) {
      const t = Math.sqrt((m + re) / 2);
      return [t, im / (2 * t)];
    }
    const t = Math.sqrt((m - re) / 2);
    return [Math.abs(im) / (2 * t), im < 0 ? -t : t];
  },
  Reciprocal: (re, im) => {
    const d = re * re + im * im;
    return [re / d, -im / d];
  },
  Abs: (re, im) => [Math.hypot(re, im), 0],
};

/** Rounds reference values to what `dtype` can hold. */
export function roundTo(dtype: DType, v: number): number {
  return dtype === "float32" || dtype === "complex64" ? Math.fround(v) : v;
}

export function unaryRef(k: UnaryKernelName, x: HostTensor): Expected {
  const n = sizeOf(x.shape);
  const d = x.data as number[];
  if (x.dtype === "complex64") {
    const f = UNARY_COMPLEX[k]!;
    if (k === "Abs") {
      const out = new Array<number>(n);
      for (let i = 0; i < n; i++) out[i] = Math.fround(f(d[2 * i]!, d[2 * i + 1]!)[0]);
      return { dtype: "float32", shape: [...x.shape], data: out, scale: out.map(Math.abs) };
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
  const f = x.dtype === "int32" ? UNARY_INT[k]! : UNARY_REAL[k];
  return { dtype: x.dtype, shape: [...x.shape], data: d.map((v) => roundTo(x.dtype, f(v))) };
}

export const BINARY_REAL: Record<BinaryKernelName, (a: number, b: number) => number> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => a / b,
  FloorDiv: (a, b) => Math.floor(a / b),
  FloorMod: floorModFloat,
  Pow: cPow,
  Maximum: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
  Minimum: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
  Equal: (a, b) => (a === b ? 1 : 0),
  NotEqual: (a, b) => (a !== b ? 1 : 0),
  Less: (a, b) => (a < b ? 1 : 0),
  LessEqual: (a, b) => (a <= b ? 1 : 0),
  Greater: (a, b) => (a > b ? 1 : 0),
  GreaterEqual: (a, b) => (a >= b ? 1 : 0),
  LogicalAnd: (a, b) => (a && b ? 1 : 0),
  LogicalOr: (a, b) => (a || b ? 1 : 0),
};

/** Python's floor division on exact integers. */
function floorDivBig(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q;
}

export const BINARY_INT: Record<BinaryKernelName, (a: number, b: number) => number> = {
  ...BINARY_REAL,
  Add: (a, b) => wrap32(BigInt(a) + BigInt(b)),
  Sub: (a, b) => wrap32(BigInt(a) - BigInt(b)),
  Mul: (a, b) => wrap32(BigInt(a) * BigInt(b)),
  FloorDiv: (a, b) => wrap32(floorDivBig(BigInt(a), BigInt(b))),
  FloorMod: (a, b) => wrap32(BigInt(a) - floorDivBig(BigInt(a), BigInt(b)) * BigInt(b)),
  Pow: (a, b) => wrap32(BigInt(a) ** BigInt(b)),
  Maximum: (a, b) => Math.max(a, b),
  Minimum: (a, b) => Math.min(a, b),
};

export const BINARY_COMPLEX: Partial<Record<BinaryKernelName, (ar: number, ai: number, br: number, bi: number) => C>> = {
  Add: (ar, ai, br, bi) => [ar + br, ai + bi],
  Sub: (ar, ai, br, bi) => [ar - br, ai - bi],
  Mul: (ar, ai, br, bi) => [ar * br - ai * bi, ar * bi + ai * br],
  Div: (ar, ai, br, bi) => {
    const d = br * br + bi * bi;
    return [(ar * br + ai * bi) / d, (ai * br - ar * bi) / d];
  },
  Equal: (ar, ai, br, bi) => [ar === br && ai === bi ? 1 : 0, 0],
  NotEqual: (ar, ai, br, bi) => [ar === br && ai === bi ? 0 : 1, 0],
};

const COMPARISONS: ReadonlySet<BinaryKernelName> = new Set(["Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual", "LogicalAnd", "LogicalOr"]);

/** The dtype a binary kernel returns for inputs of `dtype`. */
export function binaryOutDtype(k: BinaryKernelName, dtype: DType): DType {
  return COMPARISONS.has(k) ? "bool" : dtype;
}

/** `k(a, b)` with broadcasting; float32 FloorDiv also accepts the quotient floored after rounding to float32. */
export function binaryRef(k: BinaryKernelName, a: HostTensor, b: HostTensor): Expected {
  const shape = broadcastShape(a.shape, b.shape);
  if (!shape) throw new Error(`internal: shapes [${a.shape}] and [${b.shape}] do not broadcast`);
  const sa = broadcastSource(shape, a.shape);
  const sb = broadcastSource(shape, b.shape);
  const n = sa.length;
  const outDtype = binaryOutDtype(k, a.dtype);
  if (a.dtype === "string") {
    const av = a.data as string[], bv = b.data as string[];
    const eq = k === "Equal";
    return { dtype: "bool", shape, data: sa.map((p, i) => ((av[p] === bv[sb[i]!]) === eq ? 1 : 0)) };
  }
  const av = a.data as number[], bv = b.data as number[];
  if (a.dtype === "complex64") {
    const f = BINARY_COMPLEX[k]!;
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
  const f = a.dtype === "int32" ? BINARY_INT[k] : BINARY_REAL[k];
  const data = new Array<number>(n);
  let alt: (number | undefined)[] | undefined;
  for (let i = 0; i < n; i++) {
    const x = av[sa[i]!]!, y = bv[sb[i]!]!;
    data[i] = roundTo(outDtype, f(x, y));
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
