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

// The error functions, after fdlibm's s_erf.c (Sun's freely distributable libm): rational
// approximations on [0, 0.84375), [0.84375, 1.25), [1.25, 1/0.35) and [1/0.35, 28), the last two
// as exp(−x² − 0.5625 + R/S)/x with x² split so that its leading part squares exactly.
const ERX = 8.45062911510467529297e-1;
const EFX = 1.28379167095512586316e-1;
const PP = [1.28379167095512558561e-1, -3.25042107247001499370e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3, -2.37630166566501626084e-5];
const QQ = [1, 3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4, -3.96022827877536812320e-6];
const PA = [-2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2, -2.16637559486879084300e-3];
const QA = [1, 1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.19844998467991074170e-2];
const RA = [-9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592];
const SA = [1, 1.96512716674392571292e1, 1.37657754143519042600e2, 4.34565877475229228821e2, 6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2];
const RB = [-9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3, -4.83519191608651397019e2];
const SB = [1, 3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1];

function poly(c: readonly number[], t: number): number {
  let r = c[c.length - 1]!;
  for (let i = c.length - 2; i >= 0; i--) r = c[i]! + t * r;
  return r;
}

const split = new Float64Array(1);
const splitWords = new Uint32Array(split.buffer);

/** erfc(a) for 1.25 ≤ a < 28: exp(−a² − 0.5625 + R/S)/a, with a² = z² + (z − a)(z + a)·(−1) and z's low word zeroed. */
function erfcTail(a: number): number {
  const s = 1 / (a * a);
  const rs = a < 1 / 0.35 ? poly(RA, s) / poly(SA, s) : poly(RB, s) / poly(SB, s);
  split[0] = a;
  splitWords[0] = 0;
  const z = split[0];
  return (Math.exp(-z * z - 0.5625) * Math.exp((z - a) * (z + a) + rs)) / a;
}

/** The error function (TensorFlow's `Erf`). */
export function erf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  let r: number;
  if (a < 0.84375) {
    if (a < 2 ** -28) return x + EFX * x;
    const z = x * x;
    return x + x * (poly(PP, z) / poly(QQ, z));
  } else if (a < 1.25) {
    r = ERX + poly(PA, a - 1) / poly(QA, a - 1);
  } else if (a >= 6) {
    r = 1;
  } else {
    r = 1 - erfcTail(a);
  }
  return x < 0 ? -r : r;
}

/** The complementary error function 1 − erf(x), accurate where it is small (TensorFlow's `Erfc`). */
export function erfc(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 2 ** -56) return 1 - x;
    const z = x * x;
    const y = poly(PP, z) / poly(QQ, z);
    return x < 0.25 ? 1 - (x + x * y) : 0.5 - (x * y + (x - 0.5));
  }
  if (a < 1.25) {
    const pq = poly(PA, a - 1) / poly(QA, a - 1);
    return x >= 0 ? 1 - ERX - pq : 1 + (ERX + pq);
  }
  if (x <= -6) return 2;
  if (a >= 28) return 0;
  const r = erfcTail(a);
  return x > 0 ? r : 2 - r;
}
