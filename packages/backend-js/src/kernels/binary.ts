/** Elementwise binary kernels with broadcasting; one monomorphic row loop per (op, number kind). */
import type { BinaryKernelName, Kernel, Kernels, TensorInfo } from "@tessera/core/kernel";
import { DtypeError } from "@tessera/core/kernel";
import { alloc, valuesOf, wrap } from "../backend.js";
import type { Row } from "./broadcast.js";
import { forEachRow2 } from "./broadcast.js";

type Arr = Float32Array | Float64Array | Int32Array | Uint8Array;
type R = Row<Arr, Arr, Arr>;

/** Python's floor modulo for floats: the result takes the divisor's sign. */
function fmod(x: number, y: number): number {
  const r = x % y;
  return r !== 0 && r < 0 !== y < 0 ? r + y : r;
}

/** Python's floor division for int32 (division by zero gives 0, documented as backend-defined). */
function ifloordiv(x: number, y: number): number {
  if (y === 0) return 0;
  return Math.floor(x / y) | 0;
}

function imod(x: number, y: number): number {
  if (y === 0) return 0;
  const r = x % y;
  return r !== 0 && r < 0 !== y < 0 ? r + y : r;
}

/** Integer power by squaring with wrap-around, as TensorFlow's int32 Pow. */
function ipow(base: number, exp: number): number {
  if (exp < 0) return base === 1 ? 1 : base === -1 ? (exp & 1 ? -1 : 1) : 0;
  let r = 1;
  let b = base | 0;
  let e = exp;
  while (e > 0) {
    if (e & 1) r = Math.imul(r, b);
    b = Math.imul(b, b);
    e >>>= 1;
  }
  return r;
}

function maxNaN(x: number, y: number): number {
  return x !== x || y !== y ? NaN : x > y ? x : y;
}
function minNaN(x: number, y: number): number {
  return x !== x || y !== y ? NaN : x < y ? x : y;
}

// Each row function is written out so its loop stays monomorphic.
const float: Partial<Record<BinaryKernelName, R>> = {
  Add: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * sa]! + b[bo + i * sb]!; },
  Sub: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * sa]! - b[bo + i * sb]!; },
  Mul: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * sa]! * b[bo + i * sb]!; },
  Div: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * sa]! / b[bo + i * sb]!; },
  FloorDiv: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = Math.floor(a[ao + i * sa]! / b[bo + i * sb]!); },
  FloorMod: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = fmod(a[ao + i * sa]!, b[bo + i * sb]!); },
  Pow: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = Math.pow(a[ao + i * sa]!, b[bo + i * sb]!); },
  Maximum: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = maxNaN(a[ao + i * sa]!, b[bo + i * sb]!); },
  Minimum: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = minNaN(a[ao + i * sa]!, b[bo + i * sb]!); },
  Equal: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * sa] === b[bo + i * sb] ? 1 : 0; },
  NotEqual: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * sa] !== b[bo + i * sb] ? 1 : 0; },
  Less: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * sa]! < b[bo + i * sb]! ? 1 : 0; },
  LessEqual: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * sa]! <= b[bo + i * sb]! ? 1 : 0; },
  Greater: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * sa]! > b[bo + i * sb]! ? 1 : 0; },
  GreaterEqual: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * sa]! >= b[bo + i * sb]! ? 1 : 0; },
  LogicalAnd: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * sa]! & b[bo + i * sb]!; },
  LogicalOr: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = a[ao + i * sa]! | b[bo + i * sb]!; },
};

/** int32 differs where results must wrap around or divide as integers. */
const int: Partial<Record<BinaryKernelName, R>> = {
  ...float,
  Add: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = (a[ao + i * sa]! + b[bo + i * sb]!) | 0; },
  Sub: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = (a[ao + i * sa]! - b[bo + i * sb]!) | 0; },
  Mul: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = Math.imul(a[ao + i * sa]!, b[bo + i * sb]!); },
  FloorDiv: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = ifloordiv(a[ao + i * sa]!, b[bo + i * sb]!); },
  FloorMod: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = imod(a[ao + i * sa]!, b[bo + i * sb]!); },
  Pow: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) o[oo + i] = ipow(a[ao + i * sa]!, b[bo + i * sb]!); },
};

/** complex64 rows: element k of the row sits at [2k, 2k+1]; strides count elements. */
const complex: Partial<Record<BinaryKernelName, R>> = {
  Add: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) { const p = 2 * (ao + i * sa), q = 2 * (bo + i * sb), r = 2 * (oo + i); o[r] = a[p]! + b[q]!; o[r + 1] = a[p + 1]! + b[q + 1]!; } },
  Sub: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) { const p = 2 * (ao + i * sa), q = 2 * (bo + i * sb), r = 2 * (oo + i); o[r] = a[p]! - b[q]!; o[r + 1] = a[p + 1]! - b[q + 1]!; } },
  Mul: (a, ao, sa, b, bo, sb, o, oo, n) => {
    for (let i = 0; i < n; i++) {
      const p = 2 * (ao + i * sa), q = 2 * (bo + i * sb), r = 2 * (oo + i);
      const ar = a[p]!, ai = a[p + 1]!, br = b[q]!, bi = b[q + 1]!;
      o[r] = ar * br - ai * bi;
      o[r + 1] = ar * bi + ai * br;
    }
  },
  Div: (a, ao, sa, b, bo, sb, o, oo, n) => {
    for (let i = 0; i < n; i++) {
      const p = 2 * (ao + i * sa), q = 2 * (bo + i * sb), r = 2 * (oo + i);
      const ar = a[p]!, ai = a[p + 1]!, br = b[q]!, bi = b[q + 1]!;
      const d = br * br + bi * bi;
      o[r] = (ar * br + ai * bi) / d;
      o[r + 1] = (ai * br - ar * bi) / d;
    }
  },
  Equal: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) { const p = 2 * (ao + i * sa), q = 2 * (bo + i * sb); o[oo + i] = a[p] === b[q] && a[p + 1] === b[q + 1] ? 1 : 0; } },
  NotEqual: (a, ao, sa, b, bo, sb, o, oo, n) => { for (let i = 0; i < n; i++) { const p = 2 * (ao + i * sa), q = 2 * (bo + i * sb); o[oo + i] = a[p] === b[q] && a[p + 1] === b[q + 1] ? 0 : 1; } },
};

/** Strings support equality only (as TensorFlow's Equal/NotEqual on tf.string). */
function stringCompare(op: BinaryKernelName, a: TensorInfo, b: TensorInfo, outShape: readonly number[]): Uint8Array {
  const av = valuesOf<string[]>(a);
  const bv = valuesOf<string[]>(b);
  let size = 1;
  for (const d of outShape) size *= d;
  const o = alloc("bool", size);
  const eq = op === "Equal";
  forEachRow2(outShape, a.shape, b.shape, av, bv, o, (x, xo, sx, y, yo, sy, out, oo, n) => {
    for (let i = 0; i < n; i++) out[oo + i] = (x[xo + i * sx] === y[yo + i * sy]) === eq ? 1 : 0;
  });
  return o;
}

function binaryKernel(op: BinaryKernelName): Kernel<readonly [TensorInfo, TensorInfo], Record<string, never>> {
  return ([a, b], _attrs, out) => {
    let size = 1;
    for (const d of out.shape) size *= d;
    if (a.dtype === "string") {
      if (op !== "Equal" && op !== "NotEqual") throw new DtypeError(`${op} is not defined for dtype string on backend 'js' [Op:${op}]`);
      return wrap(stringCompare(op, a, b, out.shape));
    }
    const table = a.dtype === "complex64" ? complex : a.dtype === "int32" || a.dtype === "bool" ? int : float;
    const row = table[op];
    if (!row) throw new DtypeError(`${op} is not supported for dtype ${a.dtype} on backend 'js' [Op:${op}]`);
    const o = alloc(out.dtype, size) as Arr;
    forEachRow2(out.shape, a.shape, b.shape, valuesOf<Arr>(a), valuesOf<Arr>(b), o, row);
    return wrap(o);
  };
}

export const binaryKernels = Object.fromEntries(
  (["Add", "Sub", "Mul", "Div", "FloorDiv", "FloorMod", "Pow", "Maximum", "Minimum", "Equal", "NotEqual", "Less", "LessEqual",
    "Greater", "GreaterEqual", "LogicalAnd", "LogicalOr"] as const).map((op) => [op, binaryKernel(op)]),
) as Pick<Kernels, BinaryKernelName>;
