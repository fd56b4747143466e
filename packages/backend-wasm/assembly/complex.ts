// complex64 parts: Real, Imag, Conj (Complex itself is a broadcasting binary op in binary.ts).
import { pi, pu } from "./common";

const REAL = 0, IMAG = 1, CONJ = 2;

/** params: 0 op (0 real, 1 imag, 2 conj), 1 x, 2 out. Units are elements. */
export function complex_part_run(p: usize, tid: i32, start: i32, end: i32): void {
  const op = pi(p, 0), x = pu(p, 1), out = pu(p, 2);
  if (op == CONJ) {
    const sign = v128(0, 0, 0, 0, 0, 0, 0, -128, 0, 0, 0, 0, 0, 0, 0, -128); // flips the imaginary sign bits
    let i = start;
    for (; i + 2 <= end; i += 2) v128.store(out + (<usize>i << 3), v128.xor(v128.load(x + (<usize>i << 3)), sign));
    for (; i < end; i++) {
      store<f32>(out + (<usize>i << 3), load<f32>(x + (<usize>i << 3)));
      store<f32>(out + (<usize>i << 3), -load<f32>(x + (<usize>i << 3), 4), 4);
    }
    return;
  }
  const o: usize = op == REAL ? 0 : 4;
  for (let i = start; i < end; i++) store<f32>(out + (<usize>i << 2), load<f32>(x + (<usize>i << 3) + o));
}
