import { describe, expect, it } from "vitest";
import { DtypeError } from "@tessera/core/kernel";
import type { DType, ReduceKernelName } from "@tessera/core/kernel";
import { backend, dispose, expectClose, expectExact, randomInts, randoms, run, tensor } from "./helpers.js";

const b = backend();

function refReduce(name: ReduceKernelName, dtype: DType, x: number[], [outer, n, inner]: number[]): number[] {
  const out: number[] = [];
  for (let o = 0; o < outer!; o++) {
    for (let i = 0; i < inner!; i++) {
      const col = Array.from({ length: n! }, (_, k) => x[(o * n! + k) * inner! + i]!);
      out.push(reduce1(name, dtype, col));
    }
  }
  return out;
}

function reduce1(name: ReduceKernelName, dtype: DType, v: number[]): number {
  const int = dtype === "int32";
  switch (name) {
    case "Sum": return v.reduce((a, c) => (int ? (a + c) | 0 : a + c), 0);
    case "Prod": return v.reduce((a, c) => (int ? Math.imul(a, c) : a * c), 1);
    case "Max": return v.some(Number.isNaN) ? NaN : v.reduce((a, c) => Math.max(a, c), int ? -2147483648 : -Infinity);
    case "Min": return v.some(Number.isNaN) ? NaN : v.reduce((a, c) => Math.min(a, c), int ? 2147483647 : Infinity);
    case "All": return +v.every((c) => c !== 0);
    case "Any": return +v.some((c) => c !== 0);
    case "ArgMax": case "ArgMin": {
      const nan = v.findIndex(Number.isNaN);
      if (nan >= 0) return nan;
      let best = 0;
      for (let k = 1; k < v.length; k++) if (name === "ArgMax" ? v[k]! > v[best]! : v[k]! < v[best]!) best = k;
      return best;
    }
  }
}

const SHAPES = [[1, 37, 1], [3, 70, 1], [2, 5, 9], [1, 300, 1], [2, 3, 300], [4, 1, 6], [2, 0, 3], [1, 5000, 1]];

describe("reductions over [outer, n, inner]", () => {
  for (const dtype of ["float32", "float64", "int32"] as const) {
    for (const name of ["Sum", "Prod", "Max", "Min", "ArgMax", "ArgMin"] as const) {
      it(`${name} ${dtype}`, () => {
        for (const shape of SHAPES) {
          const [outer, n, inner] = shape as [number, number, number];
          if (n === 0 && (name === "ArgMax" || name === "ArgMin")) continue;
          const size = outer * n * inner;
          let x = dtype === "int32"
            ? randomInts(size, size + 1, name === "Prod" ? -3 : -1000, name === "Prod" ? 4 : 1000)
            : randoms(size, size + 2, name === "Prod" ? 0.9 : -10, name === "Prod" ? 1.1 : 10, dtype === "float32");
          if (name === "Sum" && dtype === "int32") x = x.map((v, i) => (i % 3 === 0 ? v * 2000000 : v)); // overflow wraps
          if (dtype !== "int32" && size > 40 && (name === "Max" || name === "ArgMin")) x[size - 7] = NaN;
          const X = tensor(b, x, shape, dtype);
          const outDtype = name === "ArgMax" || name === "ArgMin" ? "int32" : dtype;
          const got = run(b, name, [X], {}, [outer, inner], outDtype);
          const want = refReduce(name, dtype, x, shape);
          const what = `${name} ${dtype} [${shape}]`;
          if (dtype === "float32" && (name === "Sum" || name === "Prod")) expectClose(got, want.map(Math.fround), 2e-6, 2e-5, what);
          else if (dtype === "float64" && (name === "Sum" || name === "Prod")) expectClose(got, want, 1e-13, 1e-12, what);
          else expectExact(got, dtype === "float32" ? want.map(Math.fround) : want, what);
          dispose(b, X);
        }
      });
    }
  }

  for (const name of ["All", "Any"] as const) {
    it(`${name} bool`, () => {
      for (const shape of [[1, 40, 1], [3, 17, 1], [2, 6, 20], [1, 0, 1], [1, 100, 1]]) {
        const [outer, n, inner] = shape as [number, number, number];
        const size = outer * n * inner;
        const x = randomInts(size, size, 0, 2).map((v, i) => (name === "All" ? (i % 29 === 5 ? 0 : 1) : (i % 31 === 7 ? 1 : 0) & v));
        const X = tensor(b, x, shape, "bool");
        expectExact(run(b, name, [X], {}, [outer, inner], "bool"), refReduce(name, "bool", x, shape), `${name} [${shape}]`);
        dispose(b, X);
      }
    });
  }

  it("sums complex64", () => {
    const x = randoms(2 * 2 * 7 * 3, 9);
    const X = tensor(b, x, [2, 7, 3], "complex64");
    const got = run(b, "Sum", [X], {}, [2, 3], "complex64");
    const want: number[] = [];
    for (let o = 0; o < 2; o++) {
      for (let i = 0; i < 3; i++) {
        let re = 0, im = 0;
        for (let k = 0; k < 7; k++) { re += x[2 * ((o * 7 + k) * 3 + i)]!; im += x[2 * ((o * 7 + k) * 3 + i) + 1]!; }
        want.push(Math.fround(re), Math.fround(im));
      }
    }
    expectClose(got.slice(0, 12), want, 1e-6, 1e-6);
    dispose(b, X);
  });

  it("sums a long float32 row accurately", () => {
    const n = 1 << 16;
    const X = tensor(b, new Float32Array(n).fill(0.1), [1, n, 1], "float32");
    expect(run(b, "Sum", [X], {}, [1, 1], "float32")[0]).toBeCloseTo(n * Math.fround(0.1), 1);
    dispose(b, X);
  });

  it("rejects unsupported dtypes", () => {
    const X = tensor(b, [1, 0], [1, 2, 1], "bool");
    expect(() => run(b, "Sum", [X], {}, [1, 1], "bool")).toThrow(DtypeError);
    dispose(b, X);
  });
});
