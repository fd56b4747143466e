import { describe, expect, it } from "vitest";
import { DtypeError, UNARY_KERNELS, UNARY_SPECS } from "@tessera/core/kernel";
import type { UnaryKernelName } from "@tessera/core/kernel";
import { backend, dispose, expectClose, expectExact, randoms, run, tensor } from "./helpers.js";

const b = backend();

// References from the op table (the same scalar functions the conformance suite evaluates).
const REF = Object.fromEntries(UNARY_KERNELS.filter((k) => UNARY_SPECS[k].dtypes.includes("float32")).map((k) => [k, UNARY_SPECS[k].test.real!]));
const EXACT = new Set(["Neg", "Abs", "Sign", "Square", "Relu", "Floor", "Ceil", "Round", "IsNan"]);
// The error functions' float64 references are series accurate to about 1e-13 (core's
// special-reference.ts), so they get the conformance suite's float64 tolerance instead of 1e-14.
const LOOSE_F64 = new Set(["Erf", "Erfc"]);
const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 0.5, 1.5, 2.5, -2.5, -0.5, 1, -1, 1e-30, 80, -80, 3.3];

describe("unary float kernels", () => {
  for (const dtype of ["float32", "float64"] as const) {
    for (const name of Object.keys(REF) as UnaryKernelName[]) {
      it(`${name} ${dtype} matches a float64 reference (SIMD body and scalar tail)`, () => {
        const f32 = dtype === "float32";
        const xs = [...SPECIAL, ...randoms(53, name.length * 7 + (f32 ? 1 : 2), -4, 4, f32)].map((v) => (f32 ? Math.fround(v) : v));
        const x = tensor(b, xs, [xs.length], dtype);
        const outDtype = UNARY_SPECS[name].out(dtype);
        const got = run(b, name, [x], {}, [xs.length], outDtype);
        const want = xs.map((v) => (f32 && outDtype !== "bool" ? Math.fround(REF[name]!(v)) : REF[name]!(v)));
        if (EXACT.has(name)) expectExact(got, want, name);
        else expectClose(got, want, f32 ? 4e-6 : LOOSE_F64.has(name) ? 1e-12 : 1e-14, f32 ? 1e-7 : 1e-300, name);
        dispose(b, x);
      });
    }
  }
});

describe("unary int32 kernels wrap like two's complement", () => {
  const xs = [0, 1, -1, 7, -7, 46341, -46341, 2147483647, -2147483648, 123456, -99];
  const ref: Record<string, (x: number) => number> = {
    Neg: (x) => -x | 0,
    Abs: (x) => Math.abs(x) | 0,
    Sign: (x) => Math.sign(x),
    Square: (x) => Math.imul(x, x),
    Relu: (x) => Math.max(x, 0),
  };
  for (const [name, f] of Object.entries(ref)) {
    it(name, () => {
      const x = tensor(b, xs, [xs.length], "int32");
      expectExact(run(b, name as UnaryKernelName, [x], {}, [xs.length], "int32"), xs.map(f), name);
      dispose(b, x);
    });
  }
  it("rejects ops without an int32 form", () => {
    const x = tensor(b, [1, 2], [2], "int32");
    expect(() => run(b, "Exp", [x], {}, [2], "int32")).toThrow(DtypeError);
    dispose(b, x);
  });
});

describe("unary complex64 kernels", () => {
  const zs: [number, number][] = [[1, 2], [-3, 0.5], [0, 0], [0.25, -4], [-1, -1], [2, 0], [-2, 0]];
  const ref = Object.fromEntries(UNARY_KERNELS.filter((k) => k !== "Abs" && UNARY_SPECS[k].dtypes.includes("complex64")).map((k) => [k, UNARY_SPECS[k].test.complex!]));
  for (const [name, f] of Object.entries(ref)) {
    it(name, () => {
      const x = tensor(b, zs.flat(), [zs.length], "complex64");
      const got = run(b, name as UnaryKernelName, [x], {}, [zs.length], "complex64");
      expectClose(got.slice(0, 2 * zs.length), zs.flatMap(([re, im]) => f(re, im).map(Math.fround)), 1e-6, 1e-7, name);
      dispose(b, x);
    });
  }
  it("Abs gives float32 magnitudes", () => {
    const x = tensor(b, zs.flat(), [zs.length], "complex64");
    expectClose(run(b, "Abs", [x], {}, [zs.length], "float32"), zs.map(([a, c]) => Math.fround(Math.hypot(a, c))), 1e-6, 0, "Abs");
    dispose(b, x);
  });
});

describe("LogicalNot", () => {
  it("flips bools (SIMD body and tail)", () => {
    const xs = Array.from({ length: 37 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const x = tensor(b, xs, [37], "bool");
    expectExact(run(b, "LogicalNot", [x], {}, [37], "bool"), xs.map((v) => 1 - v));
    dispose(b, x);
  });
  it("covers every unary kernel name", () => {
    for (const name of UNARY_KERNELS) expect(typeof b.kernels[name]).toBe("function");
  });
});
