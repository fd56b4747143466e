// The scalar (and SIMD) expression of each elementwise binary kernel on one pair of elements, and the
// row loops around them. Op codes come from generated/codes.ts (written from the op table by
// scripts/build-wasm.mjs); the per-op dispatch lives in generated/dispatch.ts. Adding a binary op:
// add its case to scalarB (or cmpScalar for a comparison).
import { off, lanes } from "./common";
import { ADD, ATAN2, DIV, EQUAL, FLOOR_DIV, FLOOR_MOD, GREATER, LESS, LESS_EQUAL, MAXIMUM, MINIMUM, MUL, NOT_EQUAL, POW, SUB } from "./generated/codes";

/** Where kernels report an error (set per call by binary_run; 0 = none): what TensorFlow's CPU kernels raise. */
let errorSlot: usize = 0;
export const ERR_INT_DIV_BY_ZERO = 1;
export const ERR_NEGATIVE_INT_POWER = 2;

export function setErrorSlot(slot: usize): void {
  errorSlot = slot;
}

@inline function fail<T>(code: i32): T {
  store<i32>(errorSlot, code);
  return <T>0;
}

@inline function ipow(x: i32, y: i32): i32 {
  let r: i32 = 1;
  while (y != 0) {
    if ((y & 1) != 0) r *= x;
    x *= x;
    y >>>= 1;
  }
  return r;
}

/** One element of an arithmetic op. */
@inline function scalarB<T>(op: i32, x: T, y: T): T {
  switch (op) {
    case ADD: return x + y;
    case SUB: return x - y;
    case MUL: return x * y;
    case DIV: return x / y;
    case FLOOR_DIV: {
      if (isFloat<T>()) return floor<T>(x / y);
      // Python semantics; division by zero is an error (reported through errorSlot), INT32_MIN // -1 wraps.
      if (y == 0) return fail<T>(ERR_INT_DIV_BY_ZERO);
      if (y == <T>-1) return <T>0 - x;
      const q = x / y;
      return (x % y != 0 && (x < 0) != (y < 0)) ? q - 1 : q;
    }
    case FLOOR_MOD: {
      if (isFloat<T>()) {
        const r = x % y;
        return (r != 0 && (r < 0) != (y < 0)) ? r + y : r;
      }
      if (y == 0) return fail<T>(ERR_INT_DIV_BY_ZERO);
      if (y == <T>-1) return <T>0;
      const r = x % y;
      return (r != 0 && (r < 0) != (y < 0)) ? r + y : r;
    }
    case POW: {
      if (isInteger<T>()) return y < 0 ? fail<T>(ERR_NEGATIVE_INT_POWER) : <T>ipow(<i32>x, <i32>y);
      // C's pow: pow(1, y) = 1 and pow(x, 0) = 1 even for NaN, pow(-1, ±Inf) = 1.
      if (x == 1 || y == 0 || (x == -1 && abs<T>(y) == <T>Infinity)) return <T>1;
      if (sizeof<T>() == 4) return <T>Mathf.pow(<f32>x, <f32>y);
      return <T>Math.pow(<f64>x, <f64>y);
    }
    case MAXIMUM: return max<T>(x, y); // float max propagates NaN
    case MINIMUM: return min<T>(x, y);
    case ATAN2: return sizeof<T>() == 4 ? <T>Mathf.atan2(<f32>x, <f32>y) : <T>Math.atan2(<f64>x, <f64>y);
    default: unreachable(); return x; // a kernel of the table without a case here traps loudly
  }
}

@inline function hasVecB<T>(op: i32): bool {
  if (isFloat<T>()) return op == ADD || op == SUB || op == MUL || op == DIV || op == FLOOR_DIV || op == MAXIMUM || op == MINIMUM;
  return op == ADD || op == SUB || op == MUL || op == MAXIMUM || op == MINIMUM;
}

@inline function vecB<T>(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case ADD: return v128.add<T>(x, y);
    case SUB: return v128.sub<T>(x, y);
    case MUL: return v128.mul<T>(x, y);
    case DIV: if (isFloat<T>()) return v128.div<T>(x, y); return x;
    case FLOOR_DIV: if (isFloat<T>()) return v128.floor<T>(v128.div<T>(x, y)); return x;
    case MAXIMUM: return v128.max<T>(x, y);
    case MINIMUM: return v128.min<T>(x, y);
    default: return x;
  }
}

/** Arithmetic loop; `va`/`vb` false means that operand is one element repeated. */
@inline export function arith<T>(op: i32, va: bool, vb: bool, a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  const sa = load<T>(a), sb = load<T>(b);
  if (hasVecB<T>(op)) {
    const L = lanes<T>();
    const xa = v128.splat<T>(sa), xb = v128.splat<T>(sb);
    for (; i + 2 * L <= n; i += 2 * L) {
      const o = off<T>(i);
      const a0 = va ? v128.load(a + o) : xa, a1 = va ? v128.load(a + o, 16) : xa;
      const b0 = vb ? v128.load(b + o) : xb, b1 = vb ? v128.load(b + o, 16) : xb;
      v128.store(out + o, vecB<T>(op, a0, b0));
      v128.store(out + o, vecB<T>(op, a1, b1), 16);
    }
  }
  for (; i < n; i++) {
    const o = off<T>(i);
    store<T>(out + o, scalarB<T>(op, va ? load<T>(a + o) : sa, vb ? load<T>(b + o) : sb));
  }
}

@inline export function arithS<T>(op: i32, sa: i32, sb: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (sa != 0 && sb != 0) arith<T>(op, true, true, a, b, out, n);
  else if (sa != 0) arith<T>(op, true, false, a, b, out, n);
  else if (sb != 0) arith<T>(op, false, true, a, b, out, n);
  else arith<T>(op, false, false, a, b, out, n);
}

@inline function cmpScalar<T>(op: i32, x: T, y: T): bool {
  switch (op) {
    case EQUAL: return x == y;
    case NOT_EQUAL: return x != y;
    case LESS: return x < y;
    case LESS_EQUAL: return x <= y;
    case GREATER: return x > y;
    default: return x >= y;
  }
}

@inline function cmpVec<T>(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case EQUAL: return v128.eq<T>(x, y);
    case NOT_EQUAL: return v128.ne<T>(x, y);
    case LESS: return v128.lt<T>(x, y);
    case LESS_EQUAL: return v128.le<T>(x, y);
    case GREATER: return v128.gt<T>(x, y);
    default: return v128.ge<T>(x, y);
  }
}

/** Comparison loop writing bool bytes; SIMD for 4-byte and 1-byte elements. */
@inline export function compare<T>(op: i32, va: bool, vb: bool, a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  const sa = load<T>(a), sb = load<T>(b);
  const one = i8x16.splat(1);
  if (sizeof<T>() == 4) {
    const xa = v128.splat<T>(sa), xb = v128.splat<T>(sb);
    for (; i + 16 <= n; i += 16) {
      const o = off<T>(i);
      const m0 = cmpVec<T>(op, va ? v128.load(a + o) : xa, vb ? v128.load(b + o) : xb);
      const m1 = cmpVec<T>(op, va ? v128.load(a + o, 16) : xa, vb ? v128.load(b + o, 16) : xb);
      const m2 = cmpVec<T>(op, va ? v128.load(a + o, 32) : xa, vb ? v128.load(b + o, 32) : xb);
      const m3 = cmpVec<T>(op, va ? v128.load(a + o, 48) : xa, vb ? v128.load(b + o, 48) : xb);
      const m = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3));
      v128.store(out + i, v128.and(m, one));
    }
  } else if (sizeof<T>() == 1) {
    const xa = v128.splat<T>(sa), xb = v128.splat<T>(sb);
    for (; i + 16 <= n; i += 16) {
      const m = cmpVec<T>(op, va ? v128.load(a + i) : xa, vb ? v128.load(b + i) : xb);
      v128.store(out + i, v128.and(m, one));
    }
  }
  for (; i < n; i++) {
    const o = off<T>(i);
    store<u8>(out + i, cmpScalar<T>(op, va ? load<T>(a + o) : sa, vb ? load<T>(b + o) : sb) ? 1 : 0);
  }
}

@inline export function compareS<T>(op: i32, sa: i32, sb: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (sa != 0 && sb != 0) compare<T>(op, true, true, a, b, out, n);
  else if (sa != 0) compare<T>(op, true, false, a, b, out, n);
  else if (sb != 0) compare<T>(op, false, true, a, b, out, n);
  else compare<T>(op, false, false, a, b, out, n);
}

