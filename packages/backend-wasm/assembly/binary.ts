// Elementwise binary kernels with broadcasting done by strides (never materialised), and Where.
// Op codes follow BINARY_KERNELS in the core interface; COMPLEX builds complex64 from two float32.
import { BOOL, I32, F32, F64, C64, pi, pu, off, lanes, coordsOf, minI } from "./common";

const ADD = 0, SUB = 1, MUL = 2, DIV = 3, FLOORDIV = 4, FLOORMOD = 5, POW = 6, MAXIMUM = 7, MINIMUM = 8,
  EQUAL = 9, NOT_EQUAL = 10, LESS = 11, LESS_EQUAL = 12, GREATER = 13, GREATER_EQUAL = 14,
  LOGICAL_AND = 15, LOGICAL_OR = 16, COMPLEX = 17;

// Parameter block slots.
const P_DIMS = 8, P_AS = 24, P_BS = 40, P_CS = 56, MAX_RANK = 16;

@inline function ipow(x: i32, y: i32): i32 {
  if (y < 0) return x == 1 ? 1 : x == -1 ? ((y & 1) != 0 ? -1 : 1) : 0;
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
    case FLOORDIV: {
      if (isFloat<T>()) return floor<T>(x / y);
      // Python semantics; division by zero gives 0 (as NumPy), INT32_MIN // -1 wraps.
      if (y == 0) return <T>0;
      if (y == <T>-1) return <T>0 - x;
      const q = x / y;
      return (x % y != 0 && (x < 0) != (y < 0)) ? q - 1 : q;
    }
    case FLOORMOD: {
      if (isFloat<T>()) {
        const r = x % y;
        return (r != 0 && (r < 0) != (y < 0)) ? r + y : r;
      }
      if (y == 0 || y == <T>-1) return <T>0;
      const r = x % y;
      return (r != 0 && (r < 0) != (y < 0)) ? r + y : r;
    }
    case POW: {
      if (isInteger<T>()) return <T>ipow(<i32>x, <i32>y);
      // C's pow: pow(1, y) = 1 and pow(x, 0) = 1 even for NaN, pow(-1, ±Inf) = 1.
      if (x == 1 || y == 0 || (x == -1 && abs<T>(y) == <T>Infinity)) return <T>1;
      if (sizeof<T>() == 4) return <T>Mathf.pow(<f32>x, <f32>y);
      return <T>Math.pow(<f64>x, <f64>y);
    }
    case MAXIMUM: return max<T>(x, y); // float max propagates NaN
    case MINIMUM: return min<T>(x, y);
    default: return x;
  }
}

@inline function hasVecB<T>(op: i32): bool {
  if (isFloat<T>()) return op == ADD || op == SUB || op == MUL || op == DIV || op == FLOORDIV || op == MAXIMUM || op == MINIMUM;
  return op == ADD || op == SUB || op == MUL || op == MAXIMUM || op == MINIMUM;
}

@inline function vecB<T>(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case ADD: return v128.add<T>(x, y);
    case SUB: return v128.sub<T>(x, y);
    case MUL: return v128.mul<T>(x, y);
    case DIV: if (isFloat<T>()) return v128.div<T>(x, y); return x;
    case FLOORDIV: if (isFloat<T>()) return v128.floor<T>(v128.div<T>(x, y)); return x;
    case MAXIMUM: return v128.max<T>(x, y);
    case MINIMUM: return v128.min<T>(x, y);
    default: return x;
  }
}

/** Arithmetic loop; `va`/`vb` false means that operand is one element repeated. */
@inline function arith<T>(op: i32, va: bool, vb: bool, a: usize, b: usize, out: usize, n: i32): void {
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

@inline function arithS<T>(op: i32, sa: i32, sb: i32, a: usize, b: usize, out: usize, n: i32): void {
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
@inline function compare<T>(op: i32, va: bool, vb: bool, a: usize, b: usize, out: usize, n: i32): void {
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

@inline function compareS<T>(op: i32, sa: i32, sb: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (sa != 0 && sb != 0) compare<T>(op, true, true, a, b, out, n);
  else if (sa != 0) compare<T>(op, true, false, a, b, out, n);
  else if (sb != 0) compare<T>(op, false, true, a, b, out, n);
  else compare<T>(op, false, false, a, b, out, n);
}

@inline function compareAll<T>(op: i32, sa: i32, sb: i32, a: usize, b: usize, out: usize, n: i32): void {
  switch (op) {
    case EQUAL: compareS<T>(EQUAL, sa, sb, a, b, out, n); break;
    case NOT_EQUAL: compareS<T>(NOT_EQUAL, sa, sb, a, b, out, n); break;
    case LESS: compareS<T>(LESS, sa, sb, a, b, out, n); break;
    case LESS_EQUAL: compareS<T>(LESS_EQUAL, sa, sb, a, b, out, n); break;
    case GREATER: compareS<T>(GREATER, sa, sb, a, b, out, n); break;
    case GREATER_EQUAL: compareS<T>(GREATER_EQUAL, sa, sb, a, b, out, n); break;
  }
}

@inline function arithAll<T>(op: i32, sa: i32, sb: i32, a: usize, b: usize, out: usize, n: i32): void {
  switch (op) {
    case ADD: arithS<T>(ADD, sa, sb, a, b, out, n); break;
    case SUB: arithS<T>(SUB, sa, sb, a, b, out, n); break;
    case MUL: arithS<T>(MUL, sa, sb, a, b, out, n); break;
    case DIV: arithS<T>(DIV, sa, sb, a, b, out, n); break;
    case FLOORDIV: arithS<T>(FLOORDIV, sa, sb, a, b, out, n); break;
    case FLOORMOD: arithS<T>(FLOORMOD, sa, sb, a, b, out, n); break;
    case POW: arithS<T>(POW, sa, sb, a, b, out, n); break;
    case MAXIMUM: arithS<T>(MAXIMUM, sa, sb, a, b, out, n); break;
    case MINIMUM: arithS<T>(MINIMUM, sa, sb, a, b, out, n); break;
  }
}

function binF32(op: i32, sa: i32, sb: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (op >= EQUAL) compareAll<f32>(op, sa, sb, a, b, out, n);
  else arithAll<f32>(op, sa, sb, a, b, out, n);
}
function binF64(op: i32, sa: i32, sb: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (op >= EQUAL) compareAll<f64>(op, sa, sb, a, b, out, n);
  else arithAll<f64>(op, sa, sb, a, b, out, n);
}
function binI32(op: i32, sa: i32, sb: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (op >= EQUAL) compareAll<i32>(op, sa, sb, a, b, out, n);
  else arithAll<i32>(op, sa, sb, a, b, out, n);
}

function binBool(op: i32, sa: i32, sb: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (op == EQUAL || op == NOT_EQUAL) { compareAll<u8>(op, sa, sb, a, b, out, n); return; }
  let i = 0;
  if (sa != 0 && sb != 0) {
    if (op == LOGICAL_AND) for (; i + 16 <= n; i += 16) v128.store(out + i, v128.and(v128.load(a + i), v128.load(b + i)));
    else for (; i + 16 <= n; i += 16) v128.store(out + i, v128.or(v128.load(a + i), v128.load(b + i)));
  }
  for (; i < n; i++) {
    const x = load<u8>(a + (sa != 0 ? <usize>i : 0)), y = load<u8>(b + (sb != 0 ? <usize>i : 0));
    store<u8>(out + i, op == LOGICAL_AND ? x & y : x | y);
  }
}

/** complex64: Add Sub Mul Div Equal NotEqual, in float64 arithmetic. */
function binC64(op: i32, sa: i32, sb: i32, a: usize, b: usize, out: usize, n: i32): void {
  const stepA: usize = sa != 0 ? 8 : 0, stepB: usize = sb != 0 ? 8 : 0;
  for (let i = 0; i < n; i++) {
    const x = <f64>load<f32>(a), y = <f64>load<f32>(a, 4);
    const u = <f64>load<f32>(b), v = <f64>load<f32>(b, 4);
    a += stepA;
    b += stepB;
    if (op == EQUAL || op == NOT_EQUAL) {
      const eq = x == u && y == v;
      store<u8>(out + i, (op == EQUAL ? eq : !eq) ? 1 : 0);
      continue;
    }
    let re: f64 = 0, im: f64 = 0;
    switch (op) {
      case ADD: re = x + u; im = y + v; break;
      case SUB: re = x - u; im = y - v; break;
      case MUL: re = x * u - y * v; im = x * v + y * u; break;
      case DIV: { const d = u * u + v * v; re = (x * u + y * v) / d; im = (y * u - x * v) / d; break; }
    }
    const q = out + (<usize>i << 3);
    store<f32>(q, <f32>re);
    store<f32>(q, <f32>im, 4);
  }
}

/** complex64 from float32 real and imaginary parts. */
function makeComplex(sa: i32, sb: i32, a: usize, b: usize, out: usize, n: i32): void {
  const stepA: usize = sa != 0 ? 4 : 0, stepB: usize = sb != 0 ? 4 : 0;
  for (let i = 0; i < n; i++) {
    const q = out + (<usize>i << 3);
    store<f32>(q, load<f32>(a));
    store<f32>(q, load<f32>(b), 4);
    a += stepA;
    b += stepB;
  }
}

@inline function elemSize(dt: i32): usize {
  return dt == BOOL ? 1 : dt == F64 || dt == C64 ? 8 : 4;
}

function binInner(op: i32, dt: i32, sa: i32, sb: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (op == COMPLEX) { makeComplex(sa, sb, a, b, out, n); return; }
  switch (dt) {
    case F32: binF32(op, sa, sb, a, b, out, n); break;
    case F64: binF64(op, sa, sb, a, b, out, n); break;
    case I32: binI32(op, sa, sb, a, b, out, n); break;
    case BOOL: binBool(op, sa, sb, a, b, out, n); break;
    case C64: binC64(op, sa, sb, a, b, out, n); break;
  }
}

/**
 * params: 0 op, 1 input dtype, 2 rank r (collapsed, 1..16), 3 a, 4 b, 5 out,
 * 8.. dims, 24.. a strides, 40.. b strides (elements; 0 = broadcast). Processes outputs [start, end).
 */
export function binary_run(p: usize, tid: i32, start: i32, end: i32): void {
  const op = pi(p, 0), dt = pi(p, 1), r = pi(p, 2);
  const a = pu(p, 3), b = pu(p, 4), out = pu(p, 5);
  const esIn = elemSize(dt);
  const esOut: usize = op >= EQUAL && op <= GREATER_EQUAL ? 1 : op == COMPLEX ? 8 : elemSize(dt);
  const c = coordsOf(p, tid);
  let rem = start;
  let ao: usize = 0, bo: usize = 0;
  for (let d = r - 1; d >= 0; d--) {
    const dim = pi(p, P_DIMS + d);
    const cd = rem % dim;
    rem /= dim;
    store<i32>(c + (<usize>d << 2), cd);
    ao += <usize>cd * pu(p, P_AS + d);
    bo += <usize>cd * pu(p, P_BS + d);
  }
  const inner = pi(p, P_DIMS + r - 1), sa = pi(p, P_AS + r - 1), sb = pi(p, P_BS + r - 1);
  let pos = start;
  while (pos < end) {
    const cl = load<i32>(c + (<usize>(r - 1) << 2));
    const len = minI(inner - cl, end - pos);
    binInner(op, dt, sa, sb, a + ao * esIn, b + bo * esIn, out + <usize>pos * esOut, len);
    pos += len;
    if (pos >= end) break;
    ao -= <usize>cl * sa;
    bo -= <usize>cl * sb;
    store<i32>(c + (<usize>(r - 1) << 2), 0);
    for (let d = r - 2; d >= 0; d--) {
      const cp = c + (<usize>d << 2);
      const cd = load<i32>(cp) + 1;
      ao += pu(p, P_AS + d);
      bo += pu(p, P_BS + d);
      if (cd < pi(p, P_DIMS + d)) { store<i32>(cp, cd); break; }
      store<i32>(cp, 0);
      ao -= <usize>cd * pu(p, P_AS + d);
      bo -= <usize>cd * pu(p, P_BS + d);
    }
  }
}

/** Mask lanes (all ones where cond != 0) for the next lanes<T> condition bytes. */
@inline function condMask<T>(cond: usize): v128 {
  if (sizeof<T>() == 1) return v128.ne<u8>(v128.load(cond), v128.splat<u8>(0));
  if (sizeof<T>() == 4) {
    const c = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(cond)));
    return v128.ne<i32>(c, v128.splat<i32>(0));
  }
  const c = i64x2.extend_low_i32x4_u(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load16_splat(cond))));
  return v128.ne<i64>(c, v128.splat<i64>(0));
}

/** Where over one row; `va`/`vb` false means that operand is one element repeated. Condition contiguous. */
@inline function whereVec<T>(va: bool, vb: bool, cond: usize, a: usize, b: usize, out: usize, n: i32): void {
  const L = 16 / sizeof<T>();
  const xa = v128.splat<T>(load<T>(a)), xb = v128.splat<T>(load<T>(b));
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * sizeof<T>();
    const m = condMask<T>(cond + i);
    v128.store(out + o, v128.bitselect(va ? v128.load(a + o) : xa, vb ? v128.load(b + o) : xb, m));
  }
  for (; i < n; i++) {
    const o = <usize>i * sizeof<T>();
    store<T>(out + o, load<u8>(cond + i) != 0 ? load<T>(a + (va ? o : 0)) : load<T>(b + (vb ? o : 0)));
  }
}

@inline function whereLoop<T>(sc: i32, sa: i32, sb: i32, cond: usize, a: usize, b: usize, out: usize, n: i32): void {
  if (sc != 0) {
    if (sa != 0 && sb != 0) whereVec<T>(true, true, cond, a, b, out, n);
    else if (sa != 0) whereVec<T>(true, false, cond, a, b, out, n);
    else if (sb != 0) whereVec<T>(false, true, cond, a, b, out, n);
    else whereVec<T>(false, false, cond, a, b, out, n);
    return;
  }
  const stepA: usize = sa != 0 ? sizeof<T>() : 0, stepB: usize = sb != 0 ? sizeof<T>() : 0;
  const pick = load<u8>(cond) != 0;
  for (let i = 0; i < n; i++) {
    store<T>(out + <usize>i * sizeof<T>(), pick ? load<T>(a) : load<T>(b));
    a += stepA;
    b += stepB;
  }
}

/**
 * Where(cond, a, b). params: 1 element size (1, 4 or 8 bytes), 2 rank, 3 a, 4 b, 5 out, 6 cond,
 * 8.. dims, 24.. a strides, 40.. b strides, 56.. cond strides.
 */
export function where_run(p: usize, tid: i32, start: i32, end: i32): void {
  const es = pu(p, 1), r = pi(p, 2);
  const a = pu(p, 3), b = pu(p, 4), out = pu(p, 5), cond = pu(p, 6);
  const c = coordsOf(p, tid);
  let rem = start;
  let ao: usize = 0, bo: usize = 0, co: usize = 0;
  for (let d = r - 1; d >= 0; d--) {
    const dim = pi(p, P_DIMS + d);
    const cd = rem % dim;
    rem /= dim;
    store<i32>(c + (<usize>d << 2), cd);
    ao += <usize>cd * pu(p, P_AS + d);
    bo += <usize>cd * pu(p, P_BS + d);
    co += <usize>cd * pu(p, P_CS + d);
  }
  const inner = pi(p, P_DIMS + r - 1), sa = pi(p, P_AS + r - 1), sb = pi(p, P_BS + r - 1), sc = pi(p, P_CS + r - 1);
  let pos = start;
  while (pos < end) {
    const cl = load<i32>(c + (<usize>(r - 1) << 2));
    const len = minI(inner - cl, end - pos);
    const o = out + <usize>pos * es;
    if (es == 1) whereLoop<u8>(sc, sa, sb, cond + co, a + ao, b + bo, o, len);
    else if (es == 4) whereLoop<u32>(sc, sa, sb, cond + co, a + (ao << 2), b + (bo << 2), o, len);
    else whereLoop<u64>(sc, sa, sb, cond + co, a + (ao << 3), b + (bo << 3), o, len);
    pos += len;
    if (pos >= end) break;
    ao -= <usize>cl * sa;
    bo -= <usize>cl * sb;
    co -= <usize>cl * sc;
    store<i32>(c + (<usize>(r - 1) << 2), 0);
    for (let d = r - 2; d >= 0; d--) {
      const cp = c + (<usize>d << 2);
      const cd = load<i32>(cp) + 1;
      ao += pu(p, P_AS + d);
      bo += pu(p, P_BS + d);
      co += pu(p, P_CS + d);
      if (cd < pi(p, P_DIMS + d)) { store<i32>(cp, cd); break; }
      store<i32>(cp, 0);
      ao -= <usize>cd * pu(p, P_AS + d);
      bo -= <usize>cd * pu(p, P_BS + d);
      co -= <usize>cd * pu(p, P_CS + d);
    }
  }
}
