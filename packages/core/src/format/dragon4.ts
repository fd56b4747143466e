/**
 * Shortest round-trip decimal digits of a float32 or float64, with NumPy's cutoff, padding and trimming
 * rules (the semantics of `np.format_float_positional` / `np.format_float_scientific` in "unique" digit
 * mode). The digit generator follows the Steele & White / Burger & Dybvig "Dragon4" method with exact
 * BigInt arithmetic, including IEEE round-half-even at the margins, so every float prints exactly as
 * NumPy prints it (float32 with float32's own shortest digits: `0.1`, `0.33333334`).
 */

/** Which IEEE format the value is stored in; decides the shortest unique digits. */
export type FloatKind = "float32" | "float64";

/**
 * NumPy's trim modes: `k` keeps trailing zeros and the point, `.` trims zeros but keeps the point,
 * `0` trims all but one zero after the point, `-` trims zeros and the point.
 */
export type TrimMode = "k" | "." | "0" | "-";

/** Options shared by both notations. `-1` means "not set", as in NumPy's C layer. */
export interface Dragon4Options {
  /** Maximum digits after the point (positional) or after the first digit (scientific). */
  precision: number;
  /** Minimum digits printed even past the unique point. */
  minDigits: number;
  trim: TrimMode;
  /** Print `+` for positive values. */
  sign: boolean;
  /** Pad with spaces on the left until this many characters precede the point. */
  padLeft: number;
}

export interface PositionalOptions extends Dragon4Options {
  /** Pad with spaces on the right until this many characters follow the point. */
  padRight: number;
}

export interface ScientificOptions extends Dragon4Options {
  /** Minimum exponent digits (default 2). */
  expDigits: number;
}

/** A finite float as mantissa * 2^exponent, with what Dragon4 needs about its neighbours. */
interface Decomposed {
  negative: boolean;
  mantissa: bigint;
  exponent: number;
  /** Index of the highest set bit of the mantissa. */
  mantissaBit: number;
  /** True when the gap to the next lower float is half the gap to the next higher one. */
  unequalMargins: boolean;
}

const view = new DataView(new ArrayBuffer(8));

function decompose(x: number, kind: FloatKind): Decomposed {
  let negative: boolean, biased: number, fraction: bigint, fracBits: number, bias: number;
  if (kind === "float64") {
    view.setFloat64(0, x);
    const hi = view.getUint32(0);
    negative = hi >>> 31 === 1;
    biased = (hi >>> 20) & 0x7ff;
    fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
    fracBits = 52;
    bias = 1023;
  } else {
    view.setFloat32(0, x);
    const bits = view.getUint32(0);
    negative = bits >>> 31 === 1;
    biased = (bits >>> 23) & 0xff;
    fraction = BigInt(bits & 0x7fffff);
    fracBits = 23;
    bias = 127;
  }
  if (biased !== 0) {
    return {
      negative,
      mantissa: (1n << BigInt(fracBits)) | fraction,
      exponent: biased - bias - fracBits,
      mantissaBit: fracBits,
      unequalMargins: biased !== 1 && fraction === 0n,
    };
  }
  // Subnormal (or zero): no implicit leading bit.
  return {
    negative,
    mantissa: fraction,
    exponent: 1 - bias - fracBits,
    mantissaBit: fraction === 0n ? 0 : fraction.toString(2).length - 1,
    unequalMargins: false,
  };
}

const LOG10_2 = Math.LOG10E * Math.LN2; // log10(2)
/** Digits NumPy's output buffer could hold; only reached by absurd requests. */
const MAX_DIGITS = 16384;

const pow10Cache: bigint[] = [];
function pow10(n: number): bigint {
  let p = pow10Cache[n];
  if (p === undefined) {
    p = 10n ** BigInt(n);
    if (n < 400) pow10Cache[n] = p;
  }
  return p;
}

interface Digits {
  /** Decimal digits, most significant first. */
  digits: number[];
  /** Base-10 exponent of the first digit. */
  exponent: number;
}

/**
 * Generates the shortest digits that uniquely identify the value, but stops at `cutoffMax` digits and
 * continues to at least `cutoffMin` digits. With `fraction` the cutoffs count digits after the decimal
 * point, otherwise total significant digits. `-1` disables a cutoff.
 */
function dragon4(d: Decomposed, fraction: boolean, cutoffMax: number, cutoffMin: number): Digits {
  const { mantissa, exponent, unequalMargins } = d;
  if (mantissa === 0n) return { digits: [0], exponent: 0 };
  const isEven = (mantissa & 1n) === 0n;

  // value = scaledValue / scale; the margins are half the distance to the neighbouring floats,
  // everything doubled (quadrupled with unequal margins) to stay integral.
  let value: bigint, scale: bigint, marginLow: bigint;
  const shift = unequalMargins ? 2 : 1;
  if (exponent > 0) {
    value = mantissa << BigInt(exponent + shift);
    scale = BigInt(1 << shift);
    marginLow = 1n << BigInt(exponent);
  } else {
    value = mantissa << BigInt(shift);
    scale = 1n << BigInt(-exponent + shift);
    marginLow = 1n;
  }
  const highOf = (low: bigint): bigint => (unequalMargins ? 2n * low : low);

  // Estimate floor(log10(v)) + 1; correct or one too small (the same estimate NumPy uses, which
  // matters where a fraction cutoff clamps it).
  let digitExponent = Math.ceil((d.mantissaBit + exponent) * LOG10_2 - 0.69);
  if (cutoffMax >= 0 && fraction && digitExponent <= -cutoffMax) digitExponent = -cutoffMax + 1;

  if (digitExponent > 0) {
    scale *= pow10(digitExponent);
  } else if (digitExponent < 0) {
    const p = pow10(-digitExponent);
    value *= p;
    marginLow *= p;
  }
  if (value >= scale) {
    digitExponent += 1;
  } else {
    value *= 10n;
    marginLow *= 10n;
  }
  let marginHigh = highOf(marginLow);

  let cutoffMaxExponent = digitExponent - MAX_DIGITS;
  if (cutoffMax >= 0) {
    const desired = fraction ? -cutoffMax : digitExponent - cutoffMax;
    if (desired > cutoffMaxExponent) cutoffMaxExponent = desired;
  }
  let cutoffMinExponent = digitExponent;
  if (cutoffMin >= 0) {
    const desired = fraction ? -cutoffMin : digitExponent - cutoffMin;
    if (desired < cutoffMinExponent) cutoffMinExponent = desired;
  }
  let outExponent = digitExponent - 1;

  const digits: number[] = [];
  let digit: number;
  let low: boolean, high: boolean;
  for (;;) {
    digitExponent -= 1;
    const q = value / scale;
    value -= q * scale;
    digit = Number(q);
    low = isEven ? value <= marginLow : value < marginLow;
    const valueHigh = value + marginHigh;
    high = isEven ? valueHigh >= scale : valueHigh > scale;
    if (((low || high) && digitExponent <= cutoffMinExponent) || digitExponent === cutoffMaxExponent) break;
    digits.push(digit);
    value *= 10n;
    marginLow *= 10n;
    marginHigh = highOf(marginLow);
  }

  // Round the last digit: towards the only legal side, else to nearest, ties to even.
  let roundDown = low;
  if (low === high) {
    const twice = 2n * value;
    roundDown = twice < scale || (twice === scale && (digit & 1) === 0);
  }
  if (roundDown) {
    digits.push(digit);
  } else if (digit < 9) {
    digits.push(digit + 1);
  } else {
    // Carry through trailing nines; the dropped digits become implicit zeros.
    while (digits.length > 0 && digits[digits.length - 1] === 9) digits.pop();
    if (digits.length === 0) {
      digits.push(1);
      outExponent += 1;
    } else {
      digits[digits.length - 1]! += 1;
    }
  }
  return { digits, exponent: outExponent };
}

function signOf(d: Decomposed, forceSign: boolean): string {
  return d.negative ? "-" : forceSign ? "+" : "";
}

/**
 * Adds what the trim mode asks for before trimming: the point after a whole number (all modes but
 * `-`), one zero after it (`0`), or zeros up to `minDigits` fraction digits (`k`). Returns the text
 * and fraction digit count.
 */
function padFraction(text: string, fractionDigits: number, o: Dragon4Options): [string, number] {
  if (o.trim !== "-" && fractionDigits === 0) text += ".";
  const wanted = Math.max(o.minDigits, 0);
  if (o.trim === "0") {
    if (fractionDigits === 0) return [text + "0", 1];
  } else if (o.trim === "k" && wanted > fractionDigits) {
    return [text + "0".repeat(wanted - fractionDigits), wanted];
  }
  return [text, fractionDigits];
}

/** Removes trailing zeros after the point, per the trim mode. Returns the text and fraction digit count. */
function trimZeros(text: string, fractionDigits: number, trim: TrimMode, dropPoint: boolean): [string, number] {
  if (trim === "k" || fractionDigits === 0) return [text, fractionDigits];
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48 /* 0 */) {
    end--;
    fractionDigits--;
  }
  text = text.slice(0, end);
  if (text.endsWith(".")) {
    if (trim === "0") {
      text += "0";
      fractionDigits++;
    } else if (trim === "-" && dropPoint) {
      text = text.slice(0, -1);
    }
  }
  return [text, fractionDigits];
}

/** `np.format_float_positional(x, unique=True, fractional=True, ...)` for a finite x. */
export function formatPositional(x: number, kind: FloatKind, o: PositionalOptions): string {
  const d = decompose(x, kind);
  const sign = signOf(d, o.sign);
  const { digits, exponent } = dragon4(d, true, o.precision, o.minDigits);
  const str = digits.join("");
  let text: string;
  let wholeDigits: number;
  let fractionDigits: number;
  if (exponent >= 0) {
    wholeDigits = exponent + 1;
    if (digits.length <= wholeDigits) {
      text = str + "0".repeat(wholeDigits - digits.length);
      fractionDigits = 0;
    } else {
      text = `${str.slice(0, wholeDigits)}.${str.slice(wholeDigits)}`;
      fractionDigits = digits.length - wholeDigits;
    }
  } else {
    const zeros = -(exponent + 1);
    text = `0.${"0".repeat(zeros)}${str}`;
    wholeDigits = 1;
    fractionDigits = zeros + digits.length;
  }
  [text, fractionDigits] = padFraction(text, fractionDigits, o);
  [text, fractionDigits] = trimZeros(text, fractionDigits, o.trim, true);

  if (o.padRight >= fractionDigits) {
    // A trimmed point still takes its column.
    if (o.trim === "-" && fractionDigits === 0) text += " ";
    text += " ".repeat(o.padRight - fractionDigits);
  }
  const left = o.padLeft - (wholeDigits + sign.length);
  return (left > 0 ? " ".repeat(left) : "") + sign + text;
}

/** `np.format_float_scientific(x, unique=True, ...)` for a finite x. */
export function formatScientific(x: number, kind: FloatKind, o: ScientificOptions): string {
  const d = decompose(x, kind);
  const sign = signOf(d, o.sign);
  const { digits, exponent } = dragon4(
    d,
    false,
    o.precision < 0 ? -1 : o.precision + 1,
    o.minDigits < 0 ? -1 : o.minDigits + 1,
  );
  let text = String(digits[0]);
  let fractionDigits = digits.length - 1;
  if (fractionDigits > 0) text += "." + digits.slice(1).join("");
  [text, fractionDigits] = padFraction(text, fractionDigits, o);
  // NumPy keeps a bare point here even in "-" mode (only reachable with all-zero extra digits).
  [text] = trimZeros(text, fractionDigits, o.trim, false);

  const expDigits = o.expDigits < 0 ? 2 : Math.min(o.expDigits, 5);
  const expText = `e${exponent >= 0 ? "+" : "-"}${String(Math.abs(exponent)).padStart(expDigits, "0")}`;
  const left = o.padLeft - (1 + sign.length);
  return (left > 0 ? " ".repeat(left) : "") + sign + text + expText;
}
