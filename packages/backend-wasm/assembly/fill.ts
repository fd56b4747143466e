// Fill: a buffer of one repeated value.
import { BOOL, I32, F32, F64, C64, pi, pu, pf } from "./common";

/** params: 0 dtype, 1 out; float slots 0 value (real part), 1 imaginary part. Units are elements. */
export function fill_run(p: usize, tid: i32, start: i32, end: i32): void {
  const dt = pi(p, 0), out = pu(p, 1);
  const v = pf(p, 0), im = pf(p, 1);
  const s = <usize>start, n = end - start;
  let i = 0;
  switch (dt) {
    case BOOL: memory.fill(out + s, v != 0 ? 1 : 0, <usize>n); break;
    case I32: {
      const q = out + (s << 2), x = <i32>v, vx = i32x4.splat(x);
      for (; i + 4 <= n; i += 4) v128.store(q + (<usize>i << 2), vx);
      for (; i < n; i++) store<i32>(q + (<usize>i << 2), x);
      break;
    }
    case F32: {
      const q = out + (s << 2), x = <f32>v, vx = f32x4.splat(x);
      for (; i + 4 <= n; i += 4) v128.store(q + (<usize>i << 2), vx);
      for (; i < n; i++) store<f32>(q + (<usize>i << 2), x);
      break;
    }
    case F64: {
      const q = out + (s << 3), vx = f64x2.splat(v);
      for (; i + 2 <= n; i += 2) v128.store(q + (<usize>i << 3), vx);
      for (; i < n; i++) store<f64>(q + (<usize>i << 3), v);
      break;
    }
    case C64: {
      const q = out + (s << 3);
      const vx = f32x4(<f32>v, <f32>im, <f32>v, <f32>im);
      for (; i + 2 <= n; i += 2) v128.store(q + (<usize>i << 3), vx);
      for (; i < n; i++) { store<f32>(q + (<usize>i << 3), <f32>v); store<f32>(q + (<usize>i << 3), <f32>im, 4); }
      break;
    }
  }
}
