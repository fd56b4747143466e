// The scalar (and SIMD) expression of each elementwise unary kernel on one float element. Op codes
// come from generated/codes.ts (written from the op table by scripts/build-wasm.mjs); the per-op
// dispatch lives in generated/dispatch.ts. Adding a unary op: add its case to scalarF (or predF).
import { off, lanes } from "./common";
import { erf64, erfc64 } from "./special-math";
import {
  ABS, ACOS, ACOSH, ASIN, ASINH, ATAN, ATANH, CEIL, COS, COSH, ELU, ERF, ERFC, EXP, EXPM1, FLOOR, IS_NAN, LOG, LOG1P, NEG, RECIPROCAL, RELU, ROUND,
  RSQRT, SIGMOID, SIGN, SIN, SINH, SOFTPLUS, SQRT, SQUARE, TAN, TANH,
} from "./generated/codes";

// Scalar math in the element's own precision (Mathf for float32, Math for float64).
@inline function fexp<T>(x: T): T {
  return sizeof<T>() == 4 ? <T>Mathf.exp(<f32>x) : <T>Math.exp(<f64>x);
}
@inline function fexpm1<T>(x: T): T {
  return sizeof<T>() == 4 ? <T>Mathf.expm1(<f32>x) : <T>Math.expm1(<f64>x);
}
@inline function flog<T>(x: T): T {
  return sizeof<T>() == 4 ? <T>Mathf.log(<f32>x) : <T>Math.log(<f64>x);
}
@inline function flog1p<T>(x: T): T {
  return sizeof<T>() == 4 ? <T>Mathf.log1p(<f32>x) : <T>Math.log1p(<f64>x);
}
@inline function fsin<T>(x: T): T {
  return sizeof<T>() == 4 ? <T>Mathf.sin(<f32>x) : <T>Math.sin(<f64>x);
}
@inline function fcos<T>(x: T): T {
  return sizeof<T>() == 4 ? <T>Mathf.cos(<f32>x) : <T>Math.cos(<f64>x);
}
@inline function ftan<T>(x: T): T {
  return sizeof<T>() == 4 ? <T>Mathf.tan(<f32>x) : <T>Math.tan(<f64>x);
}
@inline function ftanh<T>(x: T): T {
  return sizeof<T>() == 4 ? <T>Mathf.tanh(<f32>x) : <T>Math.tanh(<f64>x);
}
// The inverse and hyperbolic functions run in float64 for float32 too, then round once: AssemblyScript's
// Mathf versions are within a few ulps, the float64 ones give the correctly rounded float32 almost always.
@inline function fasin<T>(x: T): T { return <T>Math.asin(<f64>x); }
@inline function facos<T>(x: T): T { return <T>Math.acos(<f64>x); }
@inline function fatan<T>(x: T): T { return <T>Math.atan(<f64>x); }
@inline function fsinh<T>(x: T): T { return <T>Math.sinh(<f64>x); }
@inline function fcosh<T>(x: T): T { return <T>Math.cosh(<f64>x); }
@inline function fasinh<T>(x: T): T { return <T>Math.asinh(<f64>x); }
@inline function facosh<T>(x: T): T { return <T>Math.acosh(<f64>x); }
@inline function fatanh<T>(x: T): T { return <T>Math.atanh(<f64>x); }

/** One float element. */
@inline function scalarF<T>(op: i32, x: T): T {
  switch (op) {
    case NEG: return -x;
    case ABS: return abs<T>(x);
    case SIGN: return x > 0 ? <T>1 : x < 0 ? <T>-1 : x; // keeps ±0 and NaN
    case SQUARE: return x * x;
    case SQRT: return sqrt<T>(x);
    case RSQRT: return <T>1 / sqrt<T>(x);
    case EXP: return fexp<T>(x);
    case LOG: return flog<T>(x);
    case LOG1P: return flog1p<T>(x);
    case SIN: return fsin<T>(x);
    case COS: return fcos<T>(x);
    case TAN: return ftan<T>(x);
    case TANH: return ftanh<T>(x);
    case ASIN: return fasin<T>(x);
    case ACOS: return facos<T>(x);
    case ATAN: return fatan<T>(x);
    case SINH: return fsinh<T>(x);
    case COSH: return fcosh<T>(x);
    case ASINH: return fasinh<T>(x);
    case ACOSH: return facosh<T>(x);
    case ATANH: return fatanh<T>(x);
    case EXPM1: return fexpm1<T>(x);
    case ERF: return <T>erf64(<f64>x);
    case ERFC: return <T>erfc64(<f64>x);
    case SIGMOID: return <T>1 / (<T>1 + fexp<T>(-x));
    case RELU: return max<T>(x, <T>0);
    case ELU: return x > 0 ? x : fexpm1<T>(x);
    case SOFTPLUS: return max<T>(x, <T>0) + flog1p<T>(fexp<T>(-abs<T>(x)));
    case FLOOR: return floor<T>(x);
    case CEIL: return ceil<T>(x);
    case ROUND: return nearest<T>(x); // round half to even
    case RECIPROCAL: return <T>1 / x;
    default: unreachable(); return x; // a kernel of the table without a case here traps loudly
  }
}

/** SIMD form of the cheap ops (returns the input for ops without one; never called for those). */
@inline function vecF<T>(op: i32, x: v128): v128 {
  switch (op) {
    case NEG: return v128.neg<T>(x);
    case ABS: return v128.abs<T>(x);
    case SIGN: {
      // NaN and ±0 are neither > 0 nor < 0: they are kept.
      const zero = v128.splat<T>(<T>0);
      const r = v128.bitselect(v128.splat<T>(<T>1), x, v128.gt<T>(x, zero));
      return v128.bitselect(v128.splat<T>(<T>-1), r, v128.lt<T>(x, zero));
    }
    case SQUARE: return v128.mul<T>(x, x);
    case SQRT: return v128.sqrt<T>(x);
    case RSQRT: return v128.div<T>(v128.splat<T>(<T>1), v128.sqrt<T>(x));
    case RELU: return v128.max<T>(x, v128.splat<T>(<T>0));
    case FLOOR: return v128.floor<T>(x);
    case CEIL: return v128.ceil<T>(x);
    case ROUND: return v128.nearest<T>(x);
    case RECIPROCAL: return v128.div<T>(v128.splat<T>(<T>1), x);
    default: return x;
  }
}

@inline export function hasVec(op: i32): bool {
  return op == NEG || op == ABS || op == SIGN || op == SQUARE || op == SQRT || op == RSQRT || op == RELU ||
    op == FLOOR || op == CEIL || op == ROUND || op == RECIPROCAL;
}

@inline export function loopF<T>(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  if (hasVec(op)) {
    const L = lanes<T>();
    for (; i + L <= n; i += L) v128.store(out + off<T>(i), vecF<T>(op, v128.load(x + off<T>(i))));
  }
  for (; i < n; i++) store<T>(out + off<T>(i), scalarF<T>(op, load<T>(x + off<T>(i))));
}

/** One float element of a predicate kernel (float in, bool out). */
@inline function predF<T>(op: i32, x: T): bool {
  switch (op) {
    case IS_NAN: return x != x;
    default: unreachable(); return false;
  }
}

/** Predicate loop: float elements in, bool bytes out. */
@inline export function loopPred<T>(op: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<u8>(out + i, predF<T>(op, load<T>(x + off<T>(i))) ? 1 : 0);
}
