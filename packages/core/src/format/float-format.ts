/**
 * NumPy's float and complex element formatters (`FloatingFormat`, `ComplexFloatingFormat` in
 * `arrayprint.py`) with the default print options: precision 8, floatmode "maxprec", suppress off,
 * and the `str()` of float and complex scalars.
 */
import { formatPositional, formatScientific, type FloatKind, type TrimMode } from "./dragon4.js";

const PRECISION = 8;

/** Formats the elements of one float array so that they line up in columns. */
export class FloatingFormat {
  private expFormat = false;
  private precision = PRECISION;
  private minDigits = -1;
  private trim: TrimMode = ".";
  private padLeft = 0;
  private padRight = 0;
  private expSize = -1;

  /**
   * @param data the values that will be printed (after summarisation), as JS numbers
   * @param sign "+" to always print the sign (used for imaginary parts)
   */
  constructor(data: ArrayLike<number>, private readonly kind: FloatKind, private readonly sign: "-" | "+" = "-") {
    const finite: number[] = [];
    let hasNonFinite = false;
    let hasNegInf = false;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (Number.isFinite(v)) finite.push(v);
      else {
        hasNonFinite = true;
        if (v === -Infinity) hasNegInf = true;
      }
    }
    this.chooseNotation(finite);
    this.measure(finite);
    if (hasNonFinite) {
      // "nan"/"inf" must fit in the column width.
      const negInf = sign !== "-" || hasNegInf ? 1 : 0;
      const offset = this.padRight + 1;
      this.padLeft = Math.max(this.padLeft, 3 - offset, 3 + negInf - offset);
    }
  }

  private chooseNotation(finite: readonly number[]): void {
    let max = -Infinity;
    let min = Infinity;
    for (const v of finite) {
      if (v === 0) continue;
      const a = Math.abs(v);
      if (a > max) max = a;
      if (a < min) min = a;
    }
    if (max === -Infinity) return;
    // NumPy compares in the array's own dtype (NEP 50): float32 uses float32 constants and division.
    const f32 = this.kind === "float32";
    const cutoffMax = f32 ? 1e6 : 1e8; // 10 ** min(8, finfo(dtype).precision)
    const cutoffMin = f32 ? Math.fround(1e-4) : 1e-4;
    const ratio = f32 ? Math.fround(max / min) : max / min;
    this.expFormat = max >= cutoffMax || min < cutoffMin || ratio > 1000;
  }

  /** First pass: print every finite value once to find the column widths. */
  private measure(finite: readonly number[]): void {
    const signed = this.sign === "+";
    if (finite.length === 0) {
      this.padLeft = 0;
      this.padRight = 0;
      this.trim = ".";
      this.expSize = -1;
      this.minDigits = -1;
      return;
    }
    let maxInt = 0;
    let maxFrac = 0;
    if (this.expFormat) {
      let maxExp = 0;
      for (const v of finite) {
        const s = formatScientific(v, this.kind, {
          precision: this.precision, minDigits: -1, trim: ".", sign: signed, padLeft: -1, expDigits: -1,
        });
        const e = s.indexOf("e");
        const dot = s.indexOf(".");
        maxInt = Math.max(maxInt, dot);
        maxFrac = Math.max(maxFrac, e - dot - 1);
        maxExp = Math.max(maxExp, s.length - e - 1);
      }
      this.expSize = maxExp - 1;
      this.trim = "k";
      this.precision = maxFrac;
      this.minDigits = maxFrac;
      this.padLeft = maxInt;
      this.padRight = this.expSize + 2 + this.precision;
    } else {
      for (const v of finite) {
        const s = formatPositional(v, this.kind, {
          precision: this.precision, minDigits: -1, trim: ".", sign: signed, padLeft: -1, padRight: -1,
        });
        const dot = s.indexOf(".");
        maxInt = Math.max(maxInt, dot);
        maxFrac = Math.max(maxFrac, s.length - dot - 1);
      }
      this.padLeft = maxInt;
      this.padRight = maxFrac;
      this.expSize = -1;
      this.trim = ".";
      this.minDigits = 0;
    }
  }

  format(x: number): string {
    if (!Number.isFinite(x)) {
      const text = Number.isNaN(x)
        ? (this.sign === "+" ? "+" : "") + "nan"
        : (x < 0 ? "-" : this.sign === "+" ? "+" : "") + "inf";
      return text.padStart(this.padLeft + this.padRight + 1);
    }
    const common = {
      precision: this.precision, minDigits: this.minDigits, trim: this.trim,
      sign: this.sign === "+", padLeft: this.padLeft,
    };
    return this.expFormat
      ? formatScientific(x, this.kind, { ...common, expDigits: this.expSize })
      : formatPositional(x, this.kind, { ...common, padRight: this.padRight });
  }
}

/** Complex elements: a column-aligned real part, then a signed imaginary part with its `j`. */
export class ComplexFloatingFormat {
  private readonly real: FloatingFormat;
  private readonly imag: FloatingFormat;

  constructor(re: ArrayLike<number>, im: ArrayLike<number>, kind: FloatKind) {
    this.real = new FloatingFormat(re, kind, "-");
    this.imag = new FloatingFormat(im, kind, "+");
  }

  format(re: number, im: number): string {
    const i = this.imag.format(im);
    // The "j" goes before the padding.
    const end = i.trimEnd().length;
    return this.real.format(re) + i.slice(0, end) + "j" + i.slice(end);
  }
}

/**
 * `str()` of a float scalar, as NumPy prints it (Python's float repr for float64): positional between
 * 1e-4 and 1e16 (1e6 for float32), scientific outside.
 */
export function floatScalarStr(x: number, kind: FloatKind): string {
  return scalarPart(x, kind, "0", false);
}

function scalarPart(x: number, kind: FloatKind, trim: TrimMode, sign: boolean): string {
  if (Number.isNaN(x)) return (sign ? "+" : "") + "nan";
  if (!Number.isFinite(x)) return (x < 0 ? "-" : sign ? "+" : "") + "inf";
  const a = Math.abs(x);
  const upper = kind === "float32" ? 1e6 : 1e16;
  if (a === 0 || (a >= 1e-4 && a < upper)) {
    return formatPositional(x, kind, { precision: -1, minDigits: -1, trim, sign, padLeft: -1, padRight: -1 });
  }
  return formatScientific(x, kind, { precision: -1, minDigits: -1, trim: "-", sign, padLeft: -1, expDigits: -1 });
}

/** `str()` of a complex scalar, as Python prints complex numbers: `(4+3j)`, `1j`, `(-0+0j)`, `(nan+infj)`. */
export function complexScalarStr(re: number, im: number, kind: FloatKind): string {
  if (re === 0 && !Object.is(re, -0)) return scalarPart(im, kind, "-", false) + "j";
  return `(${scalarPart(re, kind, "-", false)}${scalarPart(im, kind, "-", true)}j)`;
}
