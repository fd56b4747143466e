// The suite's own pieces: the float64 reference against hand-worked values, the comparison, and the matrix.
import { describe, expect, it } from "vitest";
import { assertMatches } from "../src/compare.js";
import type { CoverageReport } from "../src/coverage.js";
import { Coverage, cell } from "../src/coverage.js";
import { renderMatrix } from "../src/matrix.js";
import { geometry } from "../src/reference/conv.js";
import { BINARY_SPECS, UNARY_SPECS } from "@tessera/core/kernel";
import { binaryRef, castRef, wrap32 } from "../src/reference/elementwise.js";
import { broadcastShape, broadcastSource } from "../src/reference/indexing.js";
import { matmulRef } from "../src/reference/linalg.js";
import { gatherRef, padRef, transposeRef } from "../src/reference/movement.js";
import { argRef, normalizeAxes, reduceRef } from "../src/reference/reduce.js";

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
// The scalar references the op table declares (the suite evaluates them; here they meet hand-worked values).
const roundHalfEven = UNARY_SPECS.Round.test.real!;
const cPow = BINARY_SPECS.Pow.test.real!;
const floorModFloat = BINARY_SPECS.FloorMod.test.real!;
const int = (k: keyof typeof BINARY_SPECS) => (a: number, b: number): number => wrap32(BINARY_SPECS[k].test.int!(a, b));
const BINARY_INT = { FloorDiv: int("FloorDiv"), FloorMod: int("FloorMod"), Add: int("Add"), Mul: int("Mul"), Pow: int("Pow") };
const UNARY_INT = { Neg: (x: number) => wrap32(UNARY_SPECS.Neg.test.int!(x)), Abs: (x: number) => wrap32(UNARY_SPECS.Abs.test.int!(x)) };

describe("reference: elementwise", () => {
  it("rounds half to even", () => {
    expect([0.5, 1.5, 2.5, -2.5, 3.5, -0.4, 2.4999].map(roundHalfEven)).toEqual([0, 2, 2, -2, 4, -0, 2]);
    expect(roundHalfEven(NaN)).toBeNaN();
  });
  it("uses C's pow", () => {
    expect(cPow(1, NaN)).toBe(1);
    expect(cPow(-1, Infinity)).toBe(1);
    expect(cPow(NaN, 0)).toBe(1);
    expect(cPow(2, 10)).toBe(1024);
    expect(cPow(-8, 1 / 3)).toBeNaN();
  });
  it("floors like Python for negatives", () => {
    expect(floorModFloat(-5, 3)).toBe(1);
    expect(floorModFloat(5, -3)).toBe(-1);
    expect(floorModFloat(-5, Infinity)).toBe(Infinity);
    expect(BINARY_INT.FloorDiv(-7, 2)).toBe(-4);
    expect(BINARY_INT.FloorMod(-7, 2)).toBe(1);
    expect(BINARY_INT.FloorMod(7, -2)).toBe(-1);
  });
  it("wraps int32 around", () => {
    expect(BINARY_INT.Add(INT_MAX, 1)).toBe(INT_MIN);
    expect(BINARY_INT.Mul(65536, 65536)).toBe(0);
    expect(BINARY_INT.Mul(INT_MAX, INT_MAX)).toBe(1);
    expect(BINARY_INT.Pow(3, 31)).toBe(wrap32(3n ** 31n));
    expect(UNARY_INT.Neg(INT_MIN)).toBe(INT_MIN);
    expect(UNARY_INT.Abs(INT_MIN)).toBe(INT_MIN);
  });
  it("broadcasts and rounds float32 results", () => {
    const a = { dtype: "float32" as const, shape: [2, 1], data: [1, 2] };
    const b = { dtype: "float32" as const, shape: [3], data: [0.1, 0.2, 0.3].map(Math.fround) };
    const r = binaryRef("Add", a, b);
    expect(r.shape).toEqual([2, 3]);
    expect(r.data).toEqual([1, 2].flatMap((x) => [0.1, 0.2, 0.3].map((y) => Math.fround(x + Math.fround(y)))));
    expect(broadcastShape([2, 1], [3])).toEqual([2, 3]);
    expect(broadcastShape([2], [3])).toBeNull();
    expect(broadcastSource([2, 3], [3])).toEqual([0, 1, 2, 0, 1, 2]);
    expect(broadcastSource([2, 3], [2, 1])).toEqual([0, 0, 0, 1, 1, 1]);
  });
  it("casts as TensorFlow", () => {
    const x = { dtype: "float32" as const, shape: [4], data: [2.7, -2.7, NaN, 0] };
    expect(castRef(x, "bool").data).toEqual([1, 1, 1, 0]);
    expect(castRef({ ...x, data: [2.7, -2.7], shape: [2] }, "int32").data).toEqual([2, -2]);
    expect(castRef({ dtype: "complex64", shape: [1], data: [0, 1] }, "bool").data).toEqual([1]);
  });
});

describe("reference: reductions, matmul, movement, conv geometry", () => {
  it("reduces over axis sets with NaN propagation and empty identities", () => {
    const x = { dtype: "float32" as const, shape: [2, 3], data: [1, NaN, 3, 4, 5, 6] };
    expect(reduceRef("Max", x, [1], false).data).toEqual([NaN, 6]);
    expect(reduceRef("Sum", x, [0], true)).toMatchObject({ shape: [1, 3], data: [5, NaN, 9] });
    expect(reduceRef("Min", { dtype: "int32", shape: [0], data: [] }, [0], false).data).toEqual([INT_MAX]);
    expect(reduceRef("All", { dtype: "bool", shape: [0], data: [] }, [0], false).data).toEqual([1]);
    expect(normalizeAxes([-1, 0, -2], 2)).toEqual([0, 1]);
    expect(argRef(true, { dtype: "float32", shape: [4], data: [1, 3, NaN, 3] }, 0).data).toEqual([2]);
    expect(argRef(false, { dtype: "int32", shape: [2, 2], data: [5, 5, 1, 1] }, 1).data).toEqual([0, 0]);
  });
  it("multiplies matrices with transposes and batch broadcasting", () => {
    const a = { dtype: "float64" as const, shape: [2, 2], data: [1, 2, 3, 4] };
    const b = { dtype: "float64" as const, shape: [2, 2, 2], data: [5, 6, 7, 8, 1, 0, 0, 1] };
    const r = matmulRef(a, b, false, false);
    expect(r.shape).toEqual([2, 2, 2]);
    expect(r.data).toEqual([19, 22, 43, 50, 1, 2, 3, 4]);
    expect(matmulRef(a, a, true, false).data).toEqual([10, 14, 14, 20]);
  });
  it("moves data", () => {
    const x = { dtype: "int32" as const, shape: [2, 3], data: [1, 2, 3, 4, 5, 6] };
    expect(transposeRef(x, [1, 0]).data).toEqual([1, 4, 2, 5, 3, 6]);
    expect(padRef({ dtype: "int32", shape: [2], data: [1, 2] }, [[1, 2]], 9).data).toEqual([9, 1, 2, 9, 9]);
    expect(gatherRef(x, { dtype: "int32", shape: [2], data: [2, 0] }, 1).data).toEqual([3, 1, 6, 4]);
  });
  it("computes TensorFlow's SAME/VALID geometry", () => {
    expect(geometry(5, 5, 3, 3, [2, 2], [1, 1], "SAME")).toEqual({ oh: 3, ow: 3, padTop: 1, padLeft: 1 });
    expect(geometry(4, 4, 3, 3, [2, 2], [1, 1], "SAME")).toEqual({ oh: 2, ow: 2, padTop: 0, padLeft: 0 });
    expect(geometry(7, 6, 3, 2, [2, 1], [1, 1], "VALID")).toEqual({ oh: 3, ow: 5, padTop: 0, padLeft: 0 });
    expect(geometry(5, 5, 3, 3, [1, 1], [2, 2], "SAME")).toEqual({ oh: 5, ow: 5, padTop: 2, padLeft: 2 });
  });
});

describe("comparison", () => {
  const want = { dtype: "float32" as const, shape: [3], data: [1, NaN, Infinity] };
  const tol = { rtol: 1e-5, atol: 1e-6 };
  it("accepts values within tolerance and equal specials", () => {
    expect(() => assertMatches({ ...want, data: [1 + 5e-6, NaN, Infinity] }, want, tol, () => "x")).not.toThrow();
  });
  it("rejects values outside tolerance, wrong specials, shapes and dtypes", () => {
    expect(() => assertMatches({ ...want, data: [1.001, NaN, Infinity] }, want, tol, () => "ctx")).toThrow(/ctx[\s\S]*at \[0\]: got 1.001, want 1/);
    expect(() => assertMatches({ ...want, data: [1, 0, Infinity] }, want, tol, () => "x")).toThrow(/at \[1\]/);
    expect(() => assertMatches({ ...want, data: [1, NaN, -Infinity] }, want, tol, () => "x")).toThrow(/at \[2\]/);
    expect(() => assertMatches({ ...want, shape: [1, 3] }, want, tol, () => "x")).toThrow(/shape/);
    expect(() => assertMatches({ ...want, dtype: "float64" }, want, tol, () => "x")).toThrow(/dtype/);
  });
  it("is exact for int32, honours alternatives and scales", () => {
    expect(() => assertMatches({ dtype: "int32", shape: [1], data: [3] }, { dtype: "int32", shape: [1], data: [2] }, undefined, () => "x")).toThrow();
    expect(() => assertMatches({ dtype: "float32", shape: [1], data: [3] }, { dtype: "float32", shape: [1], data: [2], alt: [3] }, tol, () => "x")).not.toThrow();
    expect(() => assertMatches({ dtype: "float32", shape: [1], data: [1e-3] }, { dtype: "float32", shape: [1], data: [0], scale: [1000] }, tol, () => "x")).not.toThrow();
  });
});

describe("coverage matrix", () => {
  it("derives statuses and renders one column per backend", () => {
    const cov = new Coverage((k) => k !== "Conj", ["Conj"]);
    cov.instrumented = true;
    cov.called("Add");
    cov.record(["Add"], "float32", "pass", "Add float32");
    cov.record(["Add"], "int32", "pass", "Add int32");
    cov.record(["Sub"], "float32", "fail", "Sub float32");
    cov.record(["Mul"], "complex64", "skip", "Mul complex64");
    const r: CoverageReport = cov.report("x", 5, undefined, ["float32"], ["complex64"]);
    expect(r.kernels["Add"]!.status).toBe("pass");
    expect(cell(r.kernels["Add"]!)).toBe("✓ f32 i32");
    expect(r.kernels["Sub"]!.status).toBe("fail");
    expect(r.kernels["Mul"]!.status).toBe("skipped");
    expect(r.kernels["Div"]!.status).toBe("untested");
    expect(cell(r.kernels["Conj"]!)).toBe("missing (expected)");
    const md = renderMatrix([r, { ...r, backend: "a" }]);
    expect(md).toContain("| kernel | a | x |");
    expect(md).toMatch(/\| Add \| ✓ f32 i32 \| ✓ f32 i32 \|/);
  });
});
