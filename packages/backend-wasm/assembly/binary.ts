// Elementwise binary kernels with broadcasting done by strides (never materialised), and Where. Real
// dtypes dispatch through generated/dispatch.ts to binary-ops.ts; bool and complex64 are here, and
// COMPLEX (a code after the table's binary kernels) builds complex64 from two float32.
import { BOOL, I32, F32, F64, C64, pi, pu, coordsOf, minI } from "./common";
import { arithAll, compareAll } from "./generated/dispatch";
import { ADD, DIV, EQUAL, LOGICAL_AND, MUL, NOT_EQUAL, SUB, COMPLEX, BINARY_BOOL_OUT } from "./generated/codes";
import { setErrorSlot } from "./binary-ops";

// Parameter block slots.
const P_DIMS = 8, P_AS = 24, P_BS = 40, P_CS = 56, P_ERROR = 7;

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
    case F32: if (BINARY_BOOL_OUT(op)) compareAll<f32>(op, sa, sb, a, b, out, n); else arithAll<f32>(op, sa, sb, a, b, out, n); break;
    case F64: if (BINARY_BOOL_OUT(op)) compareAll<f64>(op, sa, sb, a, b, out, n); else arithAll<f64>(op, sa, sb, a, b, out, n); break;
    case I32: if (BINARY_BOOL_OUT(op)) compareAll<i32>(op, sa, sb, a, b, out, n); else arithAll<i32>(op, sa, sb, a, b, out, n); break;
    case BOOL: binBool(op, sa, sb, a, b, out, n); break;
    case C64: binC64(op, sa, sb, a, b, out, n); break;
  }
}

/**
 * params: 0 op, 1 input dtype, 2 rank r (collapsed, 1..16), 3 a, 4 b, 5 out, 7 error code out (0: none),
 * 8.. dims, 24.. a strides, 40.. b strides (elements; 0 = broadcast). Processes outputs [start, end).
 */
export function binary_run(p: usize, tid: i32, start: i32, end: i32): void {
  const op = pi(p, 0), dt = pi(p, 1), r = pi(p, 2);
  const a = pu(p, 3), b = pu(p, 4), out = pu(p, 5);
  setErrorSlot(p + (P_ERROR << 2));
  const esIn = elemSize(dt);
  const esOut: usize = BINARY_BOOL_OUT(op) ? 1 : op == COMPLEX ? 8 : elemSize(dt);
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
