// Elementwise unary kernels: the float kernels dispatch through generated/dispatch.ts to unary-ops.ts;
// int32, complex64 and bool are here.
import { BOOL, I32, F32, F64, C64, pi, pu, off } from "./common";
import { ABS, EXP, LOG, NEG, RECIPROCAL, RELU, SIGN, SQRT, SQUARE, UNARY_PREDICATE } from "./generated/codes";
import { unaryFloat, unaryPredicate } from "./generated/dispatch";

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
    case F32:
      if (UNARY_PREDICATE(op)) unaryPredicate<f32>(op, x + (s << 2), out + s, n);
      else unaryFloat<f32>(op, x + (s << 2), out + (s << 2), n);
      break;
    case F64:
      if (UNARY_PREDICATE(op)) unaryPredicate<f64>(op, x + (s << 3), out + s, n);
      else unaryFloat<f64>(op, x + (s << 3), out + (s << 3), n);
      break;
    case I32: unaryI32(op, x + (s << 2), out + (s << 2), n); break;
    case C64: unaryC64(op, x + (s << 3), out + (op == ABS ? s << 2 : s << 3), n); break;
    case BOOL: logicalNot(x + s, out + s, n); break;
  }
}
