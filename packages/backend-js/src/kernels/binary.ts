/** Elementwise binary kernels with broadcasting. Real dtypes use the generated loops (generated/binary-rows.ts, one per op and dtype); complex64 and string are here. */
import type { BinaryKernelName, Kernels, TensorInfo } from "@tessera/core/kernel";
import { BINARY_KERNELS, kernelDtypeError, kernelsFor } from "@tessera/core/kernel";
import { alloc, valuesOf, wrap } from "../backend.js";
import type { Row } from "./broadcast.js";
import { forEachRow2 } from "./broadcast.js";
import { binaryRows } from "./generated/binary-rows.js";

type Arr = Float32Array | Float64Array | Int32Array | Uint8Array;
type R = Row<Arr, Arr, Arr>;

/** Storage kind of a dtype, keying the generated monomorphic loops. */
function kind(dtype: string): "f32" | "f64" | "i32" | "u8" {
  return dtype === "float32" ? "f32" : dtype === "float64" ? "f64" : dtype === "int32" ? "i32" : "u8";
}

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

function binaryKernel(op: BinaryKernelName): Kernels[BinaryKernelName] {
  return ([a, b], _attrs, out) => {
    let size = 1;
    for (const d of out.shape) size *= d;
    if (a.dtype === "string") {
      if (op !== "Equal" && op !== "NotEqual") throw kernelDtypeError(op, "string", "js");
      return wrap(stringCompare(op, a, b, out.shape));
    }
    const row = (a.dtype === "complex64" ? complex[op] : (binaryRows[kind(a.dtype)] as Partial<Record<BinaryKernelName, R>>)[op]) as R | undefined;
    if (!row) throw kernelDtypeError(op, a.dtype, "js");
    const o = alloc(out.dtype, size) as Arr;
    forEachRow2(out.shape, a.shape, b.shape, valuesOf<Arr>(a), valuesOf<Arr>(b), o, row);
    return wrap(o);
  };
}

/** Every binary kernel of the op table. */
export const binaryKernels = kernelsFor(BINARY_KERNELS, binaryKernel);
