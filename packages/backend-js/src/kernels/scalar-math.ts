/** Scalar helpers shared by the generated loops (small enough for V8 to inline). */
import { InvalidArgumentError, opMessage } from "@tessera/core/kernel";

/** Python's floor modulo for floats: the result takes the divisor's sign. */
export function fmod(x: number, y: number): number {
  const r = x % y;
  return r !== 0 && r < 0 !== y < 0 ? r + y : r;
}

/** Python's floor division for int32; division by zero raises, as TensorFlow's CPU kernel. */
export function ifloordiv(x: number, y: number): number {
  if (y === 0) throw new InvalidArgumentError(opMessage("FloorDiv", "Integer division by zero"));
  return Math.floor(x / y) | 0;
}

/** Python's floor modulo for int32; modulo zero raises, as TensorFlow's CPU kernel. */
export function imod(x: number, y: number): number {
  if (y === 0) throw new InvalidArgumentError(opMessage("FloorMod", "Integer division by zero"));
  const r = x % y;
  return r !== 0 && r < 0 !== y < 0 ? r + y : r;
}

/** Integer power by squaring with wrap-around, as TensorFlow's int32 Pow; a negative exponent raises, as its CPU kernel. */
export function ipow(base: number, exp: number): number {
  if (exp < 0) throw new InvalidArgumentError(opMessage("Pow", "Integers to negative integer powers are not allowed"));
  let r = 1;
  let b = base | 0;
  let e = exp;
  while (e > 0) {
    if (e & 1) r = Math.imul(r, b);
    b = Math.imul(b, b);
    e >>>= 1;
  }
  return r;
}

/** C's pow, as TensorFlow: pow(1, y) = 1 and pow(-1, ±Inf) = 1, where Math.pow gives NaN. */
export function cpow(x: number, y: number): number {
  return x === 1 || (x === -1 && (y === Infinity || y === -Infinity)) ? 1 : Math.pow(x, y);
}

/** Round half to even, as TensorFlow and NumPy. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function sigmoid(v: number): number {
  return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
}

/** log(1 + e^v) = max(v, 0) + log1p(e^-|v|): no overflow for large |v|. */
export function softplus(v: number): number {
  return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
}
