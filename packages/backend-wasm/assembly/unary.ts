// Elementwise unary kernels. Op codes follow UNARY_KERNELS in the core interface.
import { BOOL, I32, F32, F64, C64, pi, pu, off, lanes } from "./common";

const NEG = 0, ABS = 1, SIGN = 2, SQUARE = 3, SQRT = 4, RSQRT = 5, EXP = 6, LOG = 7, LOG1P = 8,
  SIN = 9, COS = 10, TANH = 11, SIGMOID = 12, RELU = 13, ELU = 14, SOFTPLUS = 15, FLOOR = 16,
  CEIL = 17, ROUND = 18, RECIPROCAL = 19, LOGICAL_NOT = 20;

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
@inline function ftanh<T>(x: T): T {
  return sizeof<T>() == 4 ? <T>Mathf.tanh(<f32>x) : <T>Math.tanh(<f64>x);
}

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
    case TANH: return ftanh<T>(x);
    case SIGMOID: return <T>1 / (<T>1 + fexp<T>(-x));
    case RELU: return max<T>(x, <T>0);
    case ELU: return x > 0 ? x : fexpm1<T>(x);
    case SOFTPLUS: return max<T>(x, <T>0) + flog1p<T>(fexp<T>(-abs<T>(x)));
    case FLOOR: return floor<T>(x);
    case CEIL: return ceil<T>(x);
    case ROUND: return nearest<T>(x); // round half to even
    case RECIPROCAL: return <T>1 / x;
    default: return x;
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

@inline function hasVec(op: i32): bool {
  return op == NEG || op == ABS || op == SIGN || op == SQUARE || op == SQRT || op == RSQRT || op == RELU ||
    op == FLOOR || op == CEIL || op == ROUND || op == RECIPROCAL;
}

@inline function loopF<T>(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  if (hasVec(op)) {
    const L = lanes<T>();
    for (; i + L <= n; i += L) v128.store(out + off<T>(i), vecF<T>(op, v128.load(x + off<T>(i))));
  }
  for (; i < n; i++) store<T>(out + off<T>(i), scalarF<T>(op, load<T>(x + off<T>(i))));
}

function unaryF32(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case NEG: loopF<f32>(NEG, x, out, n); break;
    case ABS: loopF<f32>(ABS, x, out, n); break;
    case SIGN: loopF<f32>(SIGN, x, out, n); break;
    case SQUARE: loopF<f32>(SQUARE, x, out, n); break;
    case SQRT: loopF<f32>(SQRT, x, out, n); break;
    case RSQRT: loopF<f32>(RSQRT, x, out, n); break;
    case EXP: loopF<f32>(EXP, x, out, n); break;
    case LOG: loopF<f32>(LOG, x, out, n); break;
    case LOG1P: loopF<f32>(LOG1P, x, out, n); break;
    case SIN: loopF<f32>(SIN, x, out, n); break;
    case COS: loopF<f32>(COS, x, out, n); break;
    case TANH: loopF<f32>(TANH, x, out, n); break;
    case SIGMOID: loopF<f32>(SIGMOID, x, out, n); break;
    case RELU: loopF<f32>(RELU, x, out, n); break;
    case ELU: loopF<f32>(ELU, x, out, n); break;
    case SOFTPLUS: loopF<f32>(SOFTPLUS, x, out, n); break;
    case FLOOR: loopF<f32>(FLOOR, x, out, n); break;
    case CEIL: loopF<f32>(CEIL, x, out, n); break;
    case ROUND: loopF<f32>(ROUND, x, out, n); break;
    case RECIPROCAL: loopF<f32>(RECIPROCAL, x, out, n); break;
  }
}

function unaryF64(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case NEG: loopF<f64>(NEG, x, out, n); break;
    case ABS: loopF<f64>(ABS, x, out, n); break;
    case SIGN: loopF<f64>(SIGN, x, out, n); break;
    case SQUARE: loopF<f64>(SQUARE, x, out, n); break;
    case SQRT: loopF<f64>(SQRT, x, out, n); break;
    case RSQRT: loopF<f64>(RSQRT, x, out, n); break;
    case EXP: loopF<f64>(EXP, x, out, n); break;
    case LOG: loopF<f64>(LOG, x, out, n); break;
    case LOG1P: loopF<f64>(LOG1P, x, out, n); break;
    case SIN: loopF<f64>(SIN, x, out, n); break;
    case COS: loopF<f64>(COS, x, out, n); break;
    case TANH: loopF<f64>(TANH, x, out, n); break;
    case SIGMOID: loopF<f64>(SIGMOID, x, out, n); break;
    case RELU: loopF<f64>(RELU, x, out, n); break;
    case ELU: loopF<f64>(ELU, x, out, n); break;
    case SOFTPLUS: loopF<f64>(SOFTPLUS, x, out, n); break;
    case FLOOR: loopF<f64>(FLOOR, x, out, n); break;
    case CEIL: loopF<f64>(CEIL, x, out, n); break;
    case ROUND: loopF<f64>(ROUND, x, out, n); break;
    case RECIPROCAL: loopF<f64>(RECIPROCAL, x, out, n); break;
  }
}

/** int32: Neg Abs Sign Square Relu, wrapping like two's complement. */
function unaryI32(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  switch (op) {
    case NEG:
      for (; i + 4 <= n; i += 4) v128.store(out + off<i32>(i), i32x4.neg(v128.load(x + off<i32>(i))));
      for (; i < n; i++) store<i32>(out + off<i32>(i), -load<i32>(x + off<i32>(i)));
      break;
    case ABS:
      for (; i + 4 <= n; i += 4) v128.store(out + off<i32>(i), i32x4.abs(v128.load(x + off<i32>(i))));
      for (; i < n; i++) { const v = load<i32>(x + off<i32>(i)); store<i32>(out + off<i32>(i), v < 0 ? -v : v); }
      break;
    case SIGN:
      for (; i < n; i++) { const v = load<i32>(x + off<i32>(i)); store<i32>(out + off<i32>(i), v > 0 ? 1 : v < 0 ? -1 : 0); }
      break;
    case SQUARE:
      for (; i + 4 <= n; i += 4) { const v = v128.load(x + off<i32>(i)); v128.store(out + off<i32>(i), i32x4.mul(v, v)); }
      for (; i < n; i++) { const v = load<i32>(x + off<i32>(i)); store<i32>(out + off<i32>(i), v * v); }
      break;
    case RELU:
      for (; i + 4 <= n; i += 4) v128.store(out + off<i32>(i), i32x4.max_s(v128.load(x + off<i32>(i)), i32x4.splat(0)));
      for (; i < n; i++) { const v = load<i32>(x + off<i32>(i)); store<i32>(out + off<i32>(i), v > 0 ? v : 0); }
      break;
  }
}

/** complex64 (interleaved float32 pairs), computed in float64: Neg Square Exp Log Sqrt Reciprocal, Abs → float32. */
function unaryC64(op: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const p = x + (<usize>i << 3);
    const a = <f64>load<f32>(p), b = <f64>load<f32>(p, 4);
    let re: f64 = 0, im: f64 = 0;
    switch (op) {
      case ABS: store<f32>(out + (<usize>i << 2), <f32>Math.hypot(a, b)); continue;
      case NEG: re = -a; im = -b; break;
      case SQUARE: re = a * a - b * b; im = 2 * a * b; break;
      case EXP: { const e = Math.exp(a); re = e * Math.cos(b); im = e * Math.sin(b); break; }
      case LOG: re = Math.log(Math.hypot(a, b)); im = Math.atan2(b, a); break;
      case SQRT: {
        // Principal root without cancellation: the larger part from sqrt((r ± a) / 2), the other from b / 2t.
        // The imaginary part takes the sign of b (b = -0 counts as positive, as the conformance reference does).
        const r = Math.hypot(a, b);
        if (r == 0) { re = 0; im = b; break; }
        if (a >= 0) {
          const t = Math.sqrt((r + a) * 0.5);
          re = t;
          im = b / (2 * t);
        } else {
          const t = Math.sqrt((r - a) * 0.5);
          re = Math.abs(b) / (2 * t);
          im = b < 0 ? -t : t;
        }
        break;
      }
      case RECIPROCAL: { const d = a * a + b * b; re = a / d; im = -b / d; break; }
    }
    const q = out + (<usize>i << 3);
    store<f32>(q, <f32>re);
    store<f32>(q, <f32>im, 4);
  }
}

function logicalNot(x: usize, out: usize, n: i32): void {
  let i = 0;
  const one = i8x16.splat(1);
  for (; i + 16 <= n; i += 16) v128.store(out + i, v128.xor(v128.load(x + i), one));
  for (; i < n; i++) store<u8>(out + i, load<u8>(x + i) ^ 1);
}

/** params: 0 op, 1 dtype, 2 x, 3 out. Processes elements [start, end). */
export function unary_run(p: usize, tid: i32, start: i32, end: i32): void {
  const op = pi(p, 0), dt = pi(p, 1), x = pu(p, 2), out = pu(p, 3);
  const n = end - start, s = <usize>start;
  switch (dt) {
    case F32: unaryF32(op, x + (s << 2), out + (s << 2), n); break;
    case F64: unaryF64(op, x + (s << 3), out + (s << 3), n); break;
    case I32: unaryI32(op, x + (s << 2), out + (s << 2), n); break;
    case C64: unaryC64(op, x + (s << 3), out + (op == ABS ? s << 2 : s << 3), n); break;
    case BOOL: logicalNot(x + s, out + s, n); break;
  }
}
