/** The float64 references of erf and erfc (used by the conformance suite) against SciPy's values. */
import { describe, expect, it } from "vitest";
import { erfcReference, erfReference } from "../src/ops/special-reference.js";

// scipy.special.erf / erfc at these points (SciPy 1.x, printed with repr).
const XS = [-5.5, -3, -2, -1.3, -0.9, -0.3, -1e-5, 0.1, 0.26, 0.5, 0.84375, 1, 1.25, 1.9999, 2, 2.5, 2.857, 3.3, 4.5, 5.9, 8, 12, 20, 26];
const ERF = [
  -0.9999999999999927, -0.9999779095030014, -0.9953222650189527, -0.9340079449406524, -0.7969082124228322, -0.3286267594591274, -1.1283791670579e-5,
  0.1124629160182849, 0.28689972321574914, 0.5204998778130465, 0.7672256612323416, 0.8427007929497148, 0.9229001282564582, 0.9953201979070294,
  0.9953222650189527, 0.999593047982555, 0.9999466417399131, 0.9999969422902035, 0.9999999998033839, 0.9999999999999999, 1, 1, 1, 1,
];
const ERFC = [
  1.9999999999999927, 1.9999779095030015, 1.9953222650189528, 1.9340079449406524, 1.7969082124228322, 1.3286267594591274, 1.0000112837916706,
  0.8875370839817152, 0.7131002767842509, 0.4795001221869535, 0.2327743387676584, 0.15729920705028516, 0.07709987174354177, 0.00467980209297061,
  0.004677734981047266, 0.00040695201744495886, 5.3358260086846414e-5, 3.057709796438165e-6, 1.9661604415428878e-10, 7.190409783550493e-17,
  1.1224297172982928e-29, 1.3562611692059047e-64, 5.395865611607901e-176, 5.663192408856145e-296,
];

const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe("error function references", () => {
  it("erf agrees with SciPy to 1e-15", () => {
    XS.forEach((x, i) => expect(rel(erfReference(x), ERF[i]!), `erf(${x})`).toBeLessThan(1e-15));
  });
  it("erfc agrees with SciPy to 1e-13 (relative, down to 1e-296)", () => {
    XS.forEach((x, i) => expect(rel(erfcReference(x), ERFC[i]!), `erfc(${x})`).toBeLessThan(1e-13));
  });
  it("special values", () => {
    expect(erfReference(NaN)).toBeNaN();
    expect(erfcReference(NaN)).toBeNaN();
    expect(erfReference(Infinity)).toBe(1);
    expect(erfReference(-Infinity)).toBe(-1);
    expect(erfcReference(Infinity)).toBe(0);
    expect(erfcReference(-Infinity)).toBe(2);
    expect(Object.is(erfReference(-0), -0)).toBe(true);
  });
});
