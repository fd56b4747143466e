/**
 * Elementwise unary kernels. Each op has its own loop (a `switch` outside the loop) so V8 compiles
 * every loop monomorphically; a shared loop calling a per-op closure would be several times slower.
 */
import type { Kernel, Kernels, UnaryKernelName } from "@tessera/core/kernel";
import { alloc, valuesOf, wrap } from "../backend.js";

type Real = Float32Array | Float64Array | Int32Array;
type In1 = Parameters<Kernels["Neg"]>[0];

/** Round half to even, as TensorFlow and NumPy. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function softplus(v: number): number {
  // log(1 + e^v) = max(v, 0) + log1p(e^-|v|): no overflow for large |v|.
  return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
}

function realUnary(op: UnaryKernelName, x: Real, o: Real): void {
  const n = x.length;
  switch (op) {
    case "Neg": if (o instanceof Int32Array) { for (let i = 0; i < n; i++) o[i] = -x[i]! | 0; } else { for (let i = 0; i < n; i++) o[i] = -x[i]!; } return;
    case "Abs": if (o instanceof Int32Array) { for (let i = 0; i < n; i++) o[i] = Math.abs(x[i]!) | 0; } else { for (let i = 0; i < n; i++) o[i] = Math.abs(x[i]!); } return;
    case "Sign": for (let i = 0; i < n; i++) { const v = x[i]!; o[i] = v > 0 ? 1 : v < 0 ? -1 : v; } return;
    case "Square": if (o instanceof Int32Array) { for (let i = 0; i < n; i++) o[i] = Math.imul(x[i]!, x[i]!); } else { for (let i = 0; i < n; i++) { const v = x[i]!; o[i] = v * v; } } return;
    case "Sqrt": for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i]!); return;
    case "Rsqrt": for (let i = 0; i < n; i++) o[i] = 1 / Math.sqrt(x[i]!); return;
    case "Exp": for (let i = 0; i < n; i++) o[i] = Math.exp(x[i]!); return;
    case "Log": for (let i = 0; i < n; i++) o[i] = Math.log(x[i]!); return;
    case "Log1p": for (let i = 0; i < n; i++) o[i] = Math.log1p(x[i]!); return;
    case "Sin": for (let i = 0; i < n; i++) o[i] = Math.sin(x[i]!); return;
    case "Cos": for (let i = 0; i < n; i++) o[i] = Math.cos(x[i]!); return;
    case "Tanh": for (let i = 0; i < n; i++) o[i] = Math.tanh(x[i]!); return;
    case "Sigmoid": for (let i = 0; i < n; i++) { const v = x[i]!; o[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)); } return;
    case "Relu": for (let i = 0; i < n; i++) { const v = x[i]!; o[i] = v > 0 ? v : v === v ? 0 : v; } return;
    case "Elu": for (let i = 0; i < n; i++) { const v = x[i]!; o[i] = v > 0 ? v : Math.expm1(v); } return;
    case "Softplus": for (let i = 0; i < n; i++) o[i] = softplus(x[i]!); return;
    case "Floor": for (let i = 0; i < n; i++) o[i] = Math.floor(x[i]!); return;
    case "Ceil": for (let i = 0; i < n; i++) o[i] = Math.ceil(x[i]!); return;
    case "Round": for (let i = 0; i < n; i++) o[i] = roundHalfEven(x[i]!); return;
    case "Reciprocal": for (let i = 0; i < n; i++) o[i] = 1 / x[i]!; return;
    case "LogicalNot": for (let i = 0; i < n; i++) o[i] = x[i] ? 0 : 1; return;
  }
}

/** complex64 unary ops on interleaved [re, im] storage. */
function complexUnary(op: UnaryKernelName, x: Float32Array, o: Float32Array): void {
  const n = x.length >> 1;
  for (let i = 0; i < n; i++) {
    const re = x[2 * i]!;
    const im = x[2 * i + 1]!;
    let r: number;
    let m: number;
    switch (op) {
      case "Neg": r = -re; m = -im; break;
      case "Square": r = re * re - im * im; m = 2 * re * im; break;
      case "Exp": { const e = Math.exp(re); r = e * Math.cos(im); m = e * Math.sin(im); break; }
      case "Log": r = Math.log(Math.hypot(re, im)); m = Math.atan2(im, re); break;
      case "Sqrt": {
        const mod = Math.hypot(re, im);
        r = Math.sqrt((mod + re) / 2);
        m = Math.sign(im || 1) * Math.sqrt(Math.max(0, (mod - re) / 2));
        if (im === 0 && re >= 0) m = 0;
        break;
      }
      case "Reciprocal": { const d = re * re + im * im; r = re / d; m = -im / d; break; }
      default: throw new Error(`unreachable: complex ${op}`);
    }
    o[2 * i] = r;
    o[2 * i + 1] = m;
  }
}

function unaryKernel(op: UnaryKernelName): Kernel<In1, Record<string, never>> {
  return ([x], _attrs, out) => {
    if (x.dtype === "complex64") {
      const xv = valuesOf<Float32Array>(x);
      if (op === "Abs") {
        const o = alloc("float32", xv.length >> 1);
        for (let i = 0; i < o.length; i++) o[i] = Math.hypot(xv[2 * i]!, xv[2 * i + 1]!);
        return wrap(o);
      }
      const o = alloc("complex64", xv.length >> 1);
      complexUnary(op, xv, o);
      return wrap(o);
    }
    const xv = valuesOf<Real>(x);
    const o = alloc(out.dtype, xv.length) as Real;
    realUnary(op, xv, o);
    return wrap(o);
  };
}

export const unaryKernels = Object.fromEntries(
  (["Neg", "Abs", "Sign", "Square", "Sqrt", "Rsqrt", "Exp", "Log", "Log1p", "Sin", "Cos", "Tanh", "Sigmoid", "Relu", "Elu",
    "Softplus", "Floor", "Ceil", "Round", "Reciprocal", "LogicalNot"] as const).map((op) => [op, unaryKernel(op)]),
) as Pick<Kernels, UnaryKernelName>;
