/** Reductions over the middle axis of `[outer, n, inner]`; sums accumulate in float64 (JS numbers). */
import type { Kernel, Kernels, ReduceKernelName, TensorInfo } from "@tessera/core/kernel";
import { alloc, valuesOf, wrap } from "../backend.js";

type Arr = Float32Array | Float64Array | Int32Array | Uint8Array;
type K = Kernel<readonly [TensorInfo], Record<string, never>>;

function dims(x: TensorInfo): [number, number, number] {
  return [x.shape[0]!, x.shape[1]!, x.shape[2]!];
}

// Four independent partial sums: a single running sum is bound by the latency of each addition.
function sumRow(v: Float32Array | Float64Array, off: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const end = off + n - (n & 3);
  let i = off;
  for (; i < end; i += 4) { s0 += v[i]!; s1 += v[i + 1]!; s2 += v[i + 2]!; s3 += v[i + 3]!; }
  for (; i < off + n; i++) s0 += v[i]!;
  return s0 + s1 + (s2 + s3);
}

/** Sum/Prod/Max/Min/All/Any: `step(acc, v)` folded from `init`; int32 results wrap. */
function fold(op: Exclude<ReduceKernelName, "ArgMax" | "ArgMin">): K {
  return ([x], _a, out) => {
    const [outer, n, inner] = dims(x);
    if (x.dtype === "complex64") return wrap(complexSum(valuesOf<Float32Array>(x), outer, n, inner));
    const v = valuesOf<Arr>(x);
    const o = alloc(out.dtype, outer * inner) as Arr;
    const isInt = x.dtype === "int32";
    const acc = new Float64Array(inner);
    for (let p = 0; p < outer; p++) {
      const base = p * n * inner;
      switch (op) {
        case "Sum":
          acc.fill(0);
          if (isInt) {
            for (let j = 0; j < n; j++) { const r = base + j * inner; for (let i = 0; i < inner; i++) acc[i] = (acc[i]! + v[r + i]!) | 0; }
          } else if (inner === 1) {
            acc[0] = sumRow(v as Float32Array | Float64Array, base, n);
          } else {
            for (let j = 0; j < n; j++) { const r = base + j * inner; for (let i = 0; i < inner; i++) acc[i]! += v[r + i]!; }
          }
          break;
        case "Prod":
          acc.fill(1);
          if (isInt) {
            for (let j = 0; j < n; j++) { const r = base + j * inner; for (let i = 0; i < inner; i++) acc[i] = Math.imul(acc[i]!, v[r + i]!); }
          } else {
            for (let j = 0; j < n; j++) { const r = base + j * inner; for (let i = 0; i < inner; i++) acc[i]! *= v[r + i]!; }
          }
          break;
        case "Max":
          acc.fill(isInt ? -2147483648 : -Infinity);
          for (let j = 0; j < n; j++) {
            const r = base + j * inner;
            for (let i = 0; i < inner; i++) { const e = v[r + i]!; const a = acc[i]!; acc[i] = e > a || e !== e ? e : a; }
          }
          break;
        case "Min":
          acc.fill(isInt ? 2147483647 : Infinity);
          for (let j = 0; j < n; j++) {
            const r = base + j * inner;
            for (let i = 0; i < inner; i++) { const e = v[r + i]!; const a = acc[i]!; acc[i] = e < a || e !== e ? e : a; }
          }
          break;
        case "All":
          acc.fill(1);
          for (let j = 0; j < n; j++) { const r = base + j * inner; for (let i = 0; i < inner; i++) if (!v[r + i]) acc[i] = 0; }
          break;
        case "Any":
          acc.fill(0);
          for (let j = 0; j < n; j++) { const r = base + j * inner; for (let i = 0; i < inner; i++) if (v[r + i]) acc[i] = 1; }
          break;
      }
      o.set(acc, p * inner);
    }
    return wrap(o);
  };
}

function complexSum(v: Float32Array, outer: number, n: number, inner: number): Float32Array {
  const o = alloc("complex64", outer * inner);
  for (let p = 0; p < outer; p++) {
    for (let i = 0; i < inner; i++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < n; j++) {
        const k = 2 * ((p * n + j) * inner + i);
        re += v[k]!;
        im += v[k + 1]!;
      }
      o[2 * (p * inner + i)] = re;
      o[2 * (p * inner + i) + 1] = im;
    }
  }
  return o;
}

/** Index of the first extreme; NaN counts as the extreme (NumPy). */
function argFold(isMax: boolean): K {
  return ([x], _a, out) => {
    const [outer, n, inner] = dims(x);
    const v = valuesOf<Arr>(x);
    const o = alloc("int32", outer * inner);
    for (let p = 0; p < outer; p++) {
      for (let i = 0; i < inner; i++) {
        const base = p * n * inner + i;
        let best = v[base]!;
        let at = 0;
        if (best === best) {
          for (let j = 1; j < n; j++) {
            const e = v[base + j * inner]!;
            if (e !== e) { at = j; break; }
            if (isMax ? e > best : e < best) { best = e; at = j; }
          }
        }
        o[p * inner + i] = at;
      }
    }
    void out;
    return wrap(o);
  };
}

export const reduceKernels: Pick<Kernels, ReduceKernelName> = {
  Sum: fold("Sum"), Prod: fold("Prod"), Max: fold("Max"), Min: fold("Min"), All: fold("All"), Any: fold("Any"),
  ArgMax: argFold(true), ArgMin: argFold(false),
};
