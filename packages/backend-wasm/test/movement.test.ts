import { describe, expect, it } from "vitest";
import { InvalidArgumentError, KERNEL_NAMES } from "@tessera/core/kernel";
import type { DType, TensorInfo } from "@tessera/core/kernel";
import { backend, dispose, expectExact, randomInts, run, strides, tensor, unravel } from "./helpers.js";

const b = backend();
const size = (s: readonly number[]): number => s.reduce((a, v) => a * v, 1);
const SLOTS = (d: DType): number => (d === "complex64" ? 2 : 1);
const DTYPES: DType[] = ["bool", "int32", "float32", "float64", "complex64"];

function values(d: DType, n: number, seed: number): number[] {
  return randomInts(n * SLOTS(d), seed, d === "bool" ? 0 : -1000, d === "bool" ? 2 : 1000);
}
/** Element i of a (possibly complex) flat array. */
const elem = (v: number[], d: DType, i: number): number[] => v.slice(i * SLOTS(d), (i + 1) * SLOTS(d));

function stringTensor(xs: string[], shape: number[]): TensorInfo {
  return { dataId: b.write(xs, shape, "string"), shape, dtype: "string" };
}
function runStrings(name: Parameters<typeof run>[1], inputs: TensorInfo[], attrs: object, shape: number[]): string[] {
  const k = b.kernels[name] as unknown as (i: TensorInfo[], a: object, o: object) => object;
  const id = k(inputs, attrs, { shape, dtype: "string" });
  const out = b.readSync(id, "string", size(shape)) as string[];
  b.disposeData(id);
  return out;
}

describe("Transpose", () => {
  const cases: [number[], number[]][] = [
    [[3, 4], [1, 0]], [[2, 3, 4], [0, 2, 1]], [[2, 3, 4], [2, 0, 1]], [[2, 3, 4, 5], [3, 1, 0, 2]],
    [[70, 45], [1, 0]], [[3, 40, 33], [0, 2, 1]], [[1, 5, 1, 6], [3, 2, 1, 0]], [[4], [0]],
  ];
  for (const d of DTYPES) {
    it(`permutes ${d}`, () => {
      for (const [shape, perm] of cases) {
        const xv = values(d, size(shape), size(shape));
        const X = tensor(b, xv, shape, d);
        const outShape = perm.map((p) => shape[p]!);
        const xs = strides(shape);
        const want: number[] = [];
        for (let i = 0; i < size(outShape); i++) {
          const idx = unravel(i, outShape);
          want.push(...elem(xv, d, idx.reduce((a, v, k) => a + v * xs[perm[k]!]!, 0)));
        }
        expectExact(run(b, "Transpose", [X], { perm }, outShape, d), want, `Transpose ${d} [${shape}] (${perm})`);
        dispose(b, X);
      }
    });
  }
  it("permutes strings host-side", () => {
    const X = stringTensor(["a", "b", "c", "d", "e", "f"], [2, 3]);
    expect(runStrings("Transpose", [X], { perm: [1, 0] }, [3, 2])).toEqual(["a", "d", "b", "e", "c", "f"]);
    b.disposeData(X.dataId);
  });
});

describe("Slice, Pad, Concat, Tile", () => {
  for (const d of DTYPES) {
    it(`Slice ${d}`, () => {
      const shape = [4, 5, 6];
      const xv = values(d, size(shape), 3);
      const X = tensor(b, xv, shape, d);
      for (const [begin, out] of [[[1, 0, 2], [2, 5, 3]], [[0, 2, 0], [4, 1, 6]], [[3, 4, 5], [1, 1, 1]], [[0, 0, 0], [4, 5, 6]]] as const) {
        const want: number[] = [];
        for (let i = 0; i < size(out); i++) {
          const idx = unravel(i, out).map((v, k) => v + begin[k]!);
          want.push(...elem(xv, d, idx.reduce((a, v, k) => a + v * strides(shape)[k]!, 0)));
        }
        expectExact(run(b, "Slice", [X], { begin }, out, d), want, `Slice ${d} ${begin}`);
      }
      dispose(b, X);
    });

    it(`Pad ${d}`, () => {
      const shape = [2, 3];
      const xv = values(d, 6, 4);
      const X = tensor(b, xv, shape, d);
      const paddings = [[1, 2], [0, 3]] as const;
      const out = [5, 6];
      const fill = d === "bool" ? 1 : 7;
      const want: number[] = [];
      for (let i = 0; i < 30; i++) {
        const [r, c] = unravel(i, out) as [number, number];
        const inside = r >= 1 && r < 3 && c < 3;
        want.push(...(inside ? elem(xv, d, (r - 1) * 3 + c) : d === "complex64" ? [fill, 0] : [fill]));
      }
      expectExact(run(b, "Pad", [X], { paddings, constantValue: fill }, out, d), want, `Pad ${d}`);
      dispose(b, X);
    });

    it(`Concat ${d}`, () => {
      const a = values(d, 3 * 2, 5), c = values(d, 3 * 1, 6), e = values(d, 3 * 4, 7);
      const A = tensor(b, a, [3, 2], d), C = tensor(b, c, [3, 1], d), E = tensor(b, e, [3, 4], d);
      const want: number[] = [];
      for (let r = 0; r < 3; r++) {
        for (let k = 0; k < 2; k++) want.push(...elem(a, d, r * 2 + k));
        want.push(...elem(c, d, r));
        for (let k = 0; k < 4; k++) want.push(...elem(e, d, r * 4 + k));
      }
      expectExact(run(b, "Concat", [A, C, E], {}, [3, 7], d), want, `Concat ${d}`);
      dispose(b, A, C, E);
    });

    it(`Tile ${d}`, () => {
      const shape = [2, 1, 3];
      const reps = [2, 3, 2];
      const xv = values(d, 6, 8);
      const X = tensor(b, xv, shape, d);
      const out = shape.map((s, i) => s * reps[i]!);
      const want: number[] = [];
      for (let i = 0; i < size(out); i++) {
        const idx = unravel(i, out).map((v, k) => v % shape[k]!);
        want.push(...elem(xv, d, idx.reduce((a, v, k) => a + v * strides(shape)[k]!, 0)));
      }
      expectExact(run(b, "Tile", [X], { reps }, out, d), want, `Tile ${d}`);
      dispose(b, X);
    });
  }

  it("strings: Slice, Pad, Concat, Tile", () => {
    const X = stringTensor(["a", "b", "c", "d", "e", "f"], [2, 3]);
    expect(runStrings("Slice", [X], { begin: [1, 1] }, [1, 2])).toEqual(["e", "f"]);
    expect(runStrings("Pad", [X], { paddings: [[0, 1], [1, 0]], constantValue: 0 }, [3, 4]))
      .toEqual(["", "a", "b", "c", "", "d", "e", "f", "", "", "", ""]);
    expect(runStrings("Concat", [X, X], {}, [2, 6])).toEqual(["a", "b", "c", "a", "b", "c", "d", "e", "f", "d", "e", "f"]);
    expect(runStrings("Tile", [X], { reps: [1, 2] }, [2, 6])).toEqual(["a", "b", "c", "a", "b", "c", "d", "e", "f", "d", "e", "f"]);
    b.disposeData(X.dataId);
  });
});

describe("Gather and UnsortedSegmentSum", () => {
  for (const d of DTYPES) {
    it(`Gather ${d}`, () => {
      for (const [outer, n, inner] of [[2, 5, 3], [1, 7, 1], [3, 4, 2], [1, 6, 40]] as const) {
        const xv = values(d, outer * n * inner, 9);
        const idx = [n - 1, 0, 2, 2, 1];
        const X = tensor(b, xv, [outer, n, inner], d), I = tensor(b, idx, [5], "int32");
        const want: number[] = [];
        for (let o = 0; o < outer; o++) for (const j of idx) for (let i = 0; i < inner; i++) want.push(...elem(xv, d, (o * n + j) * inner + i));
        expectExact(run(b, "Gather", [X, I], {}, [outer, 5, inner], d), want, `Gather ${d}`);
        dispose(b, X, I);
      }
    });
  }

  it("Gather rejects an out-of-range index, naming it and the valid range, and stays usable", () => {
    const X = tensor(b, [1, 2, 3], [1, 3, 1], "float32"), I = tensor(b, [0, 3], [2], "int32"), J = tensor(b, [-1], [1], "int32");
    const before = b.memory().numBytesInBackend;
    expect(() => run(b, "Gather", [X, I], {}, [1, 2, 1], "float32")).toThrow(InvalidArgumentError);
    expect(() => run(b, "Gather", [X, I], {}, [1, 2, 1], "float32")).toThrow("indices[1] = 3 is not in [0, 3)");
    expect(() => run(b, "Gather", [X, J], {}, [1, 1, 1], "float32")).toThrow("indices[0] = -1 is not in [0, 3)");
    expect(b.memory().numBytesInBackend).toBe(before);
    const K = tensor(b, [2, 0], [2], "int32");
    expect(run(b, "Gather", [X, K], {}, [1, 2, 1], "float32")).toEqual([3, 1]);
    dispose(b, X, I, J, K);
  });

  it("Gather on strings", () => {
    const X = stringTensor(["a", "b", "c"], [1, 3, 1]), I = tensor(b, [2, 2, 0], [3], "int32");
    expect(runStrings("Gather", [X, I], {}, [1, 3, 1])).toEqual(["c", "c", "a"]);
    dispose(b, X, I);
  });

  for (const d of ["int32", "float32", "float64"] as const) {
    it(`UnsortedSegmentSum ${d} (out-of-range segments dropped)`, () => {
      const [outer, m, inner, segs] = [2, 6, 5, 4];
      const xv = randomInts(outer * m * inner, 11, -50, 50);
      const idx = [3, 0, 3, 7, -1, 1];
      const X = tensor(b, xv, [outer, m, inner], d), I = tensor(b, idx, [m], "int32");
      const want = new Array<number>(outer * segs * inner).fill(0);
      for (let o = 0; o < outer; o++) for (let j = 0; j < m; j++) {
        const s = idx[j]!;
        if (s < 0 || s >= segs) continue;
        for (let i = 0; i < inner; i++) want[(o * segs + s) * inner + i]! += xv[(o * m + j) * inner + i]!;
      }
      expectExact(run(b, "UnsortedSegmentSum", [X, I], { numSegments: segs }, [outer, segs, inner], d), want);
      dispose(b, X, I);
    });
  }
});

describe("Cast, Fill, Complex, Real, Imag, Conj", () => {
  const xs = [0, 1.5, -1.5, 2.7, -2.7, NaN, Infinity, -Infinity, 3e9, -3e9, 1e-40, 7];
  const conv: Record<string, (v: number) => number> = {
    bool: (v) => +(v !== 0),
    int32: (v) => (Number.isNaN(v) ? 0 : Math.max(-2147483648, Math.min(2147483647, Math.trunc(v)))),
    float32: Math.fround,
    float64: (v) => v,
  };
  for (const from of ["float32", "float64", "int32", "bool"] as const) {
    for (const to of ["bool", "int32", "float32", "float64", "complex64"] as const) {
      it(`Cast ${from} -> ${to}`, () => {
        const src = from === "float32" ? xs.map(Math.fround) : from === "float64" ? xs : from === "int32" ? xs.map(conv.int32!) : xs.map(conv.bool!);
        const X = tensor(b, src, [src.length], from);
        const want = to === "complex64" ? src.flatMap((v) => [Math.fround(v), 0]) : src.map(conv[to]!);
        expectExact(run(b, "Cast", [X], {}, [src.length], to), want, `Cast ${from}->${to}`);
        dispose(b, X);
      });
    }
  }
  it("Cast complex64 -> real dtypes takes the real part", () => {
    const X = tensor(b, [1.5, 9, -2.5, 0, 0, 3], [3], "complex64");
    expectExact(run(b, "Cast", [X], {}, [3], "float32"), [1.5, -2.5, 0]);
    expectExact(run(b, "Cast", [X], {}, [3], "int32"), [1, -2, 0]);
    expectExact(run(b, "Cast", [X], {}, [3], "bool"), [1, 1, 1]);
    expectExact(run(b, "Cast", [X], {}, [3], "complex64"), [1.5, 9, -2.5, 0, 0, 3]);
    dispose(b, X);
  });

  it("Fill every dtype", () => {
    const fill = b.kernels.Fill!;
    const read = (id: object, d: DType, n: number) => Array.from(b.readSync(id, d, n) as ArrayLike<number>);
    expectExact(read(fill([], { value: 2.5 }, { shape: [3, 3], dtype: "float32" }), "float32", 9), new Array(9).fill(2.5));
    expectExact(read(fill([], { value: -7 }, { shape: [5], dtype: "int32" }), "int32", 5), new Array(5).fill(-7));
    expectExact(read(fill([], { value: 0.1 }, { shape: [3], dtype: "float64" }), "float64", 3), [0.1, 0.1, 0.1]);
    expectExact(read(fill([], { value: 1 }, { shape: [17], dtype: "bool" }), "bool", 17), new Array(17).fill(1));
    expectExact(read(fill([], { value: [1, -2] }, { shape: [3], dtype: "complex64" }), "complex64", 3), [1, -2, 1, -2, 1, -2]);
    expect(b.readSync(fill([], { value: "hi" }, { shape: [2], dtype: "string" }), "string", 2)).toEqual(["hi", "hi"]);
  });

  it("Complex broadcasts; Real, Imag, Conj", () => {
    const R = tensor(b, [1, 2, 3, 4, 5, 6], [2, 3], "float32"), I = tensor(b, [10, 20, 30], [1, 3], "float32");
    const z = run(b, "Complex", [R, I], {}, [2, 3], "complex64");
    expectExact(z, [1, 10, 2, 20, 3, 30, 4, 10, 5, 20, 6, 30]);
    const Z = tensor(b, z, [2, 3], "complex64");
    expectExact(run(b, "Real", [Z], {}, [2, 3], "float32"), [1, 2, 3, 4, 5, 6]);
    expectExact(run(b, "Imag", [Z], {}, [2, 3], "float32"), [10, 20, 30, 10, 20, 30]);
    expectExact(run(b, "Conj", [Z], {}, [2, 3], "complex64"), [1, -10, 2, -20, 3, -30, 4, -10, 5, -20, 6, -30]);
    dispose(b, R, I, Z);
  });
});

describe("coverage", () => {
  it("implements every kernel of the interface", () => {
    const missing = KERNEL_NAMES.filter((k) => typeof b.kernels[k] !== "function");
    expect(missing).toEqual([]);
  });
});
