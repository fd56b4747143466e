// Reductions over the middle axis of [outer, n, inner]. Op codes come from generated/codes.ts.
import { BOOL, I32, F32, F64, C64, pi, pu, off, lanes, minI, coordsOf } from "./common";
import { ALL, ANY, ARG_MAX as ARGMAX, ARG_MIN as ARGMIN, MAX, MIN, PROD, SUM } from "./generated/codes";

@inline function identity<T>(op: i32): T {
  switch (op) {
    case SUM: return <T>0;
    case PROD: return <T>1;
    case MAX: return isFloat<T>() ? <T>-Infinity : (sizeof<T>() == 4 ? <T>i32.MIN_VALUE : <T>0);
    default: return isFloat<T>() ? <T>Infinity : (sizeof<T>() == 4 ? <T>i32.MAX_VALUE : <T>1);
  }
}

@inline function combine<T>(op: i32, a: T, b: T): T {
  switch (op) {
    case SUM: return a + b;
    case PROD: return a * b;
    case MAX: return max<T>(a, b);
    default: return min<T>(a, b);
  }
}

@inline function combineV<T>(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case SUM: return v128.add<T>(a, b);
    case PROD: return v128.mul<T>(a, b);
    case MAX: return v128.max<T>(a, b);
    default: return v128.min<T>(a, b);
  }
}

@inline function horizontal<T>(op: i32, v: v128): T {
  let r = v128.extract_lane<T>(v, 0);
  r = combine<T>(op, r, v128.extract_lane<T>(v, 1));
  if (lanes<T>() == 4) {
    r = combine<T>(op, r, v128.extract_lane<T>(v, 2));
    r = combine<T>(op, r, v128.extract_lane<T>(v, 3));
  }
  return r;
}

/** Reduces n contiguous elements; float32 sums run in float32 blocks added up in float64. */
@inline function reduceRow<T>(op: i32, x: usize, n: i32): f64 {
  const L = lanes<T>();
  if (op == SUM && isFloat<T>() && sizeof<T>() == 4) {
    let total: f64 = 0;
    for (let b0 = 0; b0 < n; b0 += 4096) {
      const b1 = minI(n, b0 + 4096);
      let i = b0;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      for (; i + 16 <= b1; i += 16) {
        const p = x + off<f32>(i);
        a0 = f32x4.add(a0, v128.load(p));
        a1 = f32x4.add(a1, v128.load(p, 16));
        a2 = f32x4.add(a2, v128.load(p, 32));
        a3 = f32x4.add(a3, v128.load(p, 48));
      }
      let s = horizontal<f32>(SUM, f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
      for (; i < b1; i++) s += load<f32>(x + off<f32>(i));
      total += <f64>s;
    }
    return total;
  }
  if (op == PROD && isFloat<T>() && sizeof<T>() == 4) {
    // float32 products run in float64, so that no intermediate underflows or overflows.
    let p: f64 = 1;
    for (let i = 0; i < n; i++) p *= <f64>load<f32>(x + off<f32>(i));
    return p;
  }
  const id = identity<T>(op);
  let i = 0;
  let r = id;
  if (n >= 4 * L) {
    let a0 = v128.splat<T>(id), a1 = a0, a2 = a0, a3 = a0;
    for (; i + 4 * L <= n; i += 4 * L) {
      const p = x + off<T>(i);
      a0 = combineV<T>(op, a0, v128.load(p));
      a1 = combineV<T>(op, a1, v128.load(p, 16));
      a2 = combineV<T>(op, a2, v128.load(p, 32));
      a3 = combineV<T>(op, a3, v128.load(p, 48));
    }
    r = horizontal<T>(op, combineV<T>(op, combineV<T>(op, a0, a1), combineV<T>(op, a2, a3)));
  }
  for (; i < n; i++) r = combine<T>(op, r, load<T>(x + off<T>(i)));
  return <f64>r;
}

/** out[i] (i in [i0, i1)) = reduction over k of x[k * inner + i]. */
@inline function reduceCols<T>(op: i32, x: usize, out: usize, n: i32, inner: i32, i0: i32, i1: i32): void {
  const L = lanes<T>();
  const id = identity<T>(op);
  let i = i0;
  for (; i + L <= i1; i += L) store<v128>(out + off<T>(i), v128.splat<T>(id));
  for (; i < i1; i++) store<T>(out + off<T>(i), id);
  for (let k = 0; k < n; k++) {
    const row = x + off<T>(<usize>k * inner);
    i = i0;
    for (; i + L <= i1; i += L) {
      const q = out + off<T>(i);
      v128.store(q, combineV<T>(op, v128.load(q), v128.load(row + off<T>(i))));
    }
    for (; i < i1; i++) {
      const q = out + off<T>(i);
      store<T>(q, combine<T>(op, load<T>(q), load<T>(row + off<T>(i))));
    }
  }
}

/** Index of the first max (or min) of n elements at stride s; NaN counts as the extreme. */
@inline function argExtreme<T>(isMax: bool, x: usize, n: i32, s: usize): i32 {
  let best = load<T>(x);
  let idx = 0;
  if (isFloat<T>() && best != best) return 0;
  for (let k = 1; k < n; k++) {
    const v = load<T>(x + off<T>(<usize>k * s));
    if (isFloat<T>() && v != v) return k;
    if (isMax ? v > best : v < best) {
      best = v;
      idx = k;
    }
  }
  return idx;
}

@inline function reduceTyped<T>(op: i32, x: usize, out: usize, n: i32, inner: i32, o: i32, i0: i32, i1: i32): void {
  const xo = x + off<T>(<usize>o * n * inner);
  if (op == ARGMAX || op == ARGMIN) {
    for (let i = i0; i < i1; i++) {
      store<i32>(out + (<usize>(o * inner + i) << 2), argExtreme<T>(op == ARGMAX, xo + off<T>(i), n, inner));
    }
    return;
  }
  if (inner == 1) {
    store<T>(out + off<T>(o), <T>reduceRow<T>(op, xo, n));
  } else if (op == PROD && isFloat<T>() && sizeof<T>() == 4) {
    for (let i = i0; i < i1; i++) {
      let p: f64 = 1;
      for (let k = 0; k < n; k++) p *= <f64>load<f32>(xo + off<f32>(<usize>k * inner + i));
      store<f32>(out + off<f32>(<usize>o * inner + i), <f32>p);
    }
  } else {
    reduceCols<T>(op, xo, out + off<T>(<usize>o * inner), n, inner, i0, i1);
  }
}

@inline function reduceOp<T>(op: i32, x: usize, out: usize, n: i32, inner: i32, o: i32, i0: i32, i1: i32): void {
  switch (op) {
    case SUM: reduceTyped<T>(SUM, x, out, n, inner, o, i0, i1); break;
    case PROD: reduceTyped<T>(PROD, x, out, n, inner, o, i0, i1); break;
    case MAX: reduceTyped<T>(MAX, x, out, n, inner, o, i0, i1); break;
    case MIN: reduceTyped<T>(MIN, x, out, n, inner, o, i0, i1); break;
    case ARGMAX: reduceTyped<T>(ARGMAX, x, out, n, inner, o, i0, i1); break;
    case ARGMIN: reduceTyped<T>(ARGMIN, x, out, n, inner, o, i0, i1); break;
  }
}

function reduceBool(op: i32, x: usize, out: usize, n: i32, inner: i32, o: i32, i0: i32, i1: i32): void {
  const xo = x + <usize>o * n * inner;
  const all = op == ALL;
  if (inner == 1) {
    let r = all;
    let k = 0;
    for (; k + 16 <= n; k += 16) {
      const v = v128.load(xo + k);
      if (all ? !i8x16.all_true(v) : v128.any_true(v)) { r = !all; k = n; break; }
    }
    for (; k < n; k++) {
      const v = load<u8>(xo + k) != 0;
      if (v != all) { r = !all; break; }
    }
    store<u8>(out + o, r ? 1 : 0);
    return;
  }
  const q = out + <usize>o * inner;
  for (let i = i0; i < i1; i++) store<u8>(q + i, all ? 1 : 0);
  for (let k = 0; k < n; k++) {
    const row = xo + <usize>k * inner;
    let i = i0;
    if (all) {
      for (; i + 16 <= i1; i += 16) v128.store(q + i, v128.and(v128.load(q + i), v128.load(row + i)));
      for (; i < i1; i++) store<u8>(q + i, load<u8>(q + i) & load<u8>(row + i));
    } else {
      for (; i + 16 <= i1; i += 16) v128.store(q + i, v128.or(v128.load(q + i), v128.load(row + i)));
      for (; i < i1; i++) store<u8>(q + i, load<u8>(q + i) | load<u8>(row + i));
    }
  }
}

function sumC64(x: usize, out: usize, n: i32, inner: i32, o: i32, i0: i32, i1: i32): void {
  for (let i = i0; i < i1; i++) {
    let re: f64 = 0, im: f64 = 0;
    let p = x + ((<usize>o * n * inner + i) << 3);
    const step = <usize>inner << 3;
    for (let k = 0; k < n; k++) {
      re += <f64>load<f32>(p);
      im += <f64>load<f32>(p, 4);
      p += step;
    }
    const q = out + ((<usize>o * inner + i) << 3);
    store<f32>(q, <f32>re);
    store<f32>(q, <f32>im, 4);
  }
}

/**
 * params: 0 op, 1 dtype, 2 x, 3 out, 4 outer, 5 n, 6 inner, 7 mode, 8 partials (float64), 9 chunk size, 10 column block.
 * mode 0: units are (outer row, column block) pairs, blocks of `column block` columns.
 * mode 1: a single row (outer = inner = 1) split into chunks of elements; chunk c writes partials[c].
 */
export function reduce_run(p: usize, tid: i32, start: i32, end: i32): void {
  const op = pi(p, 0), dt = pi(p, 1), x = pu(p, 2), out = pu(p, 3);
  const n = pi(p, 5), inner = pi(p, 6), mode = pi(p, 7);
  if (mode == 1) {
    const c = start / pi(p, 9);
    const q = pu(p, 8) + (<usize>c << 3);
    const len = end - start;
    const s = <usize>start;
    let r: f64 = 0;
    switch (dt) {
      case F32: r = reduceAny<f32>(op, x + (s << 2), len); break;
      case F64: r = reduceAny<f64>(op, x + (s << 3), len); break;
      case I32: r = reduceAny<i32>(op, x + (s << 2), len); break;
      case BOOL: {
        const t = coordsOf(p, tid); // this thread's scratch slot for the bool result
        reduceBool(op, x + s, t, len, 1, 0, 0, 1);
        r = <f64>load<u8>(t);
        break;
      }
    }
    store<f64>(q, r);
    return;
  }
  const block = pi(p, 10);
  const blocks = (inner + block - 1) / block;
  for (let u = start; u < end; u++) {
    const o = u / blocks, bi = u % blocks;
    const i0 = bi * block, i1 = minI(inner, i0 + block);
    switch (dt) {
      case F32: reduceOp<f32>(op, x, out, n, inner, o, i0, i1); break;
      case F64: reduceOp<f64>(op, x, out, n, inner, o, i0, i1); break;
      case I32: reduceOp<i32>(op, x, out, n, inner, o, i0, i1); break;
      case BOOL: reduceBool(op, x, out, n, inner, o, i0, i1); break;
      case C64: sumC64(x, out, n, inner, o, i0, i1); break;
    }
  }
}

@inline function reduceAny<T>(op: i32, x: usize, n: i32): f64 {
  switch (op) {
    case SUM: return reduceRow<T>(SUM, x, n);
    case PROD: return reduceRow<T>(PROD, x, n);
    case MAX: return reduceRow<T>(MAX, x, n);
    default: return reduceRow<T>(MIN, x, n);
  }
}
