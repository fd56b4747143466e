// Cast between bool, int32, float32, float64 and complex64.
// float -> int32 truncates toward zero and saturates (NaN -> 0); x -> bool is x != 0;
// complex64 -> real takes the real part; real -> complex64 has a zero imaginary part.
import { BOOL, I32, F32, F64, C64, pi, pu } from "./common";

@inline function readAs(dt: i32, x: usize, i: usize): f64 {
  switch (dt) {
    case BOOL: return <f64>load<u8>(x + i);
    case I32: return <f64>load<i32>(x + (i << 2));
    case F32: return <f64>load<f32>(x + (i << 2));
    case F64: return load<f64>(x + (i << 3));
    default: return <f64>load<f32>(x + (i << 3)); // complex64: real part
  }
}

@inline function castLoop<T>(src: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const v = readAs(src, x, <usize>i);
    store<T>(out + (<usize>i << alignof<T>()), <T>v);
  }
}

function toBool(src: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    let nz: bool;
    if (src == C64) nz = load<f32>(x + (<usize>i << 3)) != 0 || load<f32>(x + (<usize>i << 3), 4) != 0;
    else nz = readAs(src, x, <usize>i) != 0; // NaN != 0
    store<u8>(out + i, nz ? 1 : 0);
  }
}

function toI32(src: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  if (src == F32) {
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), i32x4.trunc_sat_f32x4_s(v128.load(x + (<usize>i << 2))));
  }
  for (; i < n; i++) {
    if (src == F32) store<i32>(out + (<usize>i << 2), <i32>load<f32>(x + (<usize>i << 2)));
    else if (src == F64) store<i32>(out + (<usize>i << 2), <i32>load<f64>(x + (<usize>i << 3)));
    else if (src == C64) store<i32>(out + (<usize>i << 2), <i32>load<f32>(x + (<usize>i << 3)));
    else if (src == BOOL) store<i32>(out + (<usize>i << 2), <i32>load<u8>(x + i));
    else store<i32>(out + (<usize>i << 2), load<i32>(x + (<usize>i << 2)));
  }
}

function toF32(src: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  if (src == I32) {
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.convert_i32x4_s(v128.load(x + (<usize>i << 2))));
  } else if (src == F64) {
    for (; i + 4 <= n; i += 4) {
      const lo = f32x4.demote_f64x2_zero(v128.load(x + (<usize>i << 3)));
      const hi = f32x4.demote_f64x2_zero(v128.load(x + (<usize>i << 3), 16));
      v128.store(out + (<usize>i << 2), v128.shuffle<f32>(lo, hi, 0, 1, 4, 5));
    }
  }
  for (; i < n; i++) {
    if (src == I32) store<f32>(out + (<usize>i << 2), <f32>load<i32>(x + (<usize>i << 2)));
    else if (src == F64) store<f32>(out + (<usize>i << 2), <f32>load<f64>(x + (<usize>i << 3)));
    else store<f32>(out + (<usize>i << 2), <f32>readAs(src, x, <usize>i));
  }
}

function toC64(src: i32, x: usize, out: usize, n: i32): void {
  if (src == C64) { memory.copy(out, x, <usize>n << 3); return; }
  for (let i = 0; i < n; i++) {
    const q = out + (<usize>i << 3);
    store<f32>(q, <f32>readAs(src, x, <usize>i));
    store<f32>(q, 0, 4);
  }
}

/** params: 0 source dtype, 1 target dtype, 2 x, 3 out. Units are elements. */
export function cast_run(p: usize, tid: i32, start: i32, end: i32): void {
  const src = pi(p, 0), dst = pi(p, 1);
  const s = <usize>start;
  const n = end - start;
  const srcSize: usize = src == BOOL ? 1 : src == F64 || src == C64 ? 8 : 4;
  const x = pu(p, 2) + s * srcSize, outBase = pu(p, 3);
  switch (dst) {
    case BOOL: toBool(src, x, outBase + s, n); break;
    case I32: toI32(src, x, outBase + (s << 2), n); break;
    case F32: toF32(src, x, outBase + (s << 2), n); break;
    case F64: castLoop<f64>(src, x, outBase + (s << 3), n); break;
    case C64: toC64(src, x, outBase + (s << 3), n); break;
  }
}
