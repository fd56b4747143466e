/**
 * Float64 references of the error functions for the conformance suite, computed independently of
 * the kernels' rational approximations: erf from its series of positive terms
 * erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)) (no cancellation), erfc of large
 * arguments from Laplace's continued fraction. Both agree with SciPy to about 1e-15 (see the test).
 */

/** e^(−x²) with x² split so that its leading part squares exactly (x = hi + lo, hi a float32). */
function expNegSquare(x: number): number {
  const hi = Math.fround(x);
  const lo = x - hi;
  return Math.exp(-hi * hi) * Math.exp(-(2 * hi * lo + lo * lo));
}

/** erf(a) for 0 ≤ a < 2 by the series of positive terms. */
function erfSeries(a: number): number {
  const twoA2 = 2 * a * a;
  let term = a;
  let sum = a;
  for (let n = 1; term > 1e-17 * sum; n++) {
    term *= twoA2 / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * expNegSquare(a) * sum;
}

/** erfc(a) for a ≥ 2: e^(−a²)/√π / (a + (1/2)/(a + 1/(a + (3/2)/(a + …)))), evaluated from the tail. */
function erfcFraction(a: number): number {
  let f = a;
  for (let k = 120; k >= 1; k--) f = a + k / 2 / f;
  return expNegSquare(a) / Math.sqrt(Math.PI) / f;
}

/** The error function (float64 reference). */
export function erfReference(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a === 0) return x; // keeps −0
  const r = a < 2 ? erfSeries(a) : a > 6 ? 1 : 1 - erfcFraction(a);
  return x < 0 ? -r : r;
}

/** The complementary error function 1 − erf(x) (float64 reference). */
export function erfcReference(x: number): number {
  if (x !== x) return x;
  if (x < 2) return x < -6 ? 2 : 1 - erfReference(x);
  return x > 27.3 ? 0 : erfcFraction(x);
}
