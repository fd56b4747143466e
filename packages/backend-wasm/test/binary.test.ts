import { describe, expect, it } from "vitest";
import { BINARY_KERNELS, BINARY_SPECS, DtypeError, InvalidArgumentError, sizeFromShape } from "@tessera/core/kernel";
import type { BinaryKernelName, DType } from "@tessera/core/kernel";
import { backend, broadcastIndex, dispose, expectClose, expectExact, randomInts, randoms, run, tensor } from "./helpers.js";

const b = backend();

// References from the op table (the same scalar functions the conformance suite evaluates).
const wrap32 = (v: number | bigint): number => Number(BigInt.asIntN(32, BigInt(v)));
const ARITH = BINARY_KERNELS.filter((k) => BINARY_SPECS[k].dtypes.includes("float32"));
const FLOAT_REF = Object.fromEntries(ARITH.map((k) => [k, BINARY_SPECS[k].test.real!]));
const INT_REF = Object.fromEntries(BINARY_KERNELS.filter((k) => BINARY_SPECS[k].dtypes.includes("int32"))
  .map((k) => { const t = BINARY_SPECS[k].test; return [k, t.int ? (a: number, c: number) => wrap32(t.int!(a, c)) : t.real!]; }));

/** [out shape, a shape, b shape] in canonical form. */
const PATTERNS: [number[], number[], number[]][] = [
  [[37], [37], [37]],
  [[2, 3], [2, 3], [1, 3]],
  [[2, 3], [2, 1], [2, 3]],
  [[4, 5], [1, 1], [4, 5]],
  [[4, 5], [4, 5], [1, 1]],
  [[3, 4, 5], [3, 1, 5], [1, 4, 1]],
  [[2, 3, 4, 5], [2, 1, 4, 1], [1, 3, 1, 5]],
  [[2, 33], [2, 33], [2, 1]],
  [[0, 3], [0, 3], [1, 3]],
];

function check(name: BinaryKernelName, dtype: DType, ref: (a: number, c: number) => number, av: (n: number, s: number) => number[],
  bv: (n: number, s: number) => number[]): void {
  for (const [outShape, as, bs] of PATTERNS) {
    const xa = av(sizeFromShape(as), 1), xb = bv(sizeFromShape(bs), 2);
    const A = tensor(b, xa, as, dtype), B = tensor(b, xb, bs, dtype);
    const outDtype = BINARY_SPECS[name].out(dtype);
    const got = run(b, name, [A, B], {}, outShape, outDtype);
    const n = sizeFromShape(outShape);
    const want = Array.from({ length: n }, (_, i) => {
      const v = ref(xa[broadcastIndex(i, outShape, as)]!, xb[broadcastIndex(i, outShape, bs)]!);
      return dtype === "float32" && outDtype !== "bool" ? Math.fround(v) : v;
    });
    const what = `${name} ${dtype} [${as}] vs [${bs}]`;
    if ((name === "Pow" || name === "Atan2") && dtype !== "int32") expectClose(got, want, dtype === "float32" ? 4e-6 : 1e-14, 0, what);
    else expectExact(got, want, what);
    dispose(b, A, B);
  }
}

describe("binary float kernels with broadcasting", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const f32 = dtype === "float32";
    for (const [name, ref] of Object.entries(FLOAT_REF)) {
      it(`${name} ${dtype}`, () => {
        const pos = name === "Pow" || name === "Atan2";
        const gen = (n: number, s: number) => {
          const v = randoms(n, s * 31 + name.length, pos ? 0.1 : -5, 5, f32);
          // Sprinkle ties, zeros and NaN (not for Pow, whose NaN rules are the platform's).
          if (!pos && n > 4) { v[1] = 0; v[3] = NaN; v[2] = 1.5; }
          return v;
        };
        check(name as BinaryKernelName, dtype, ref, gen, (n, s) => {
          const v = gen(n, s + 7);
          if (!pos && n > 4) v[2] = 1.5;
          return v;
        });
      });
    }
  }
});

describe("binary int32 kernels (wrapping, Python floor semantics)", () => {
  for (const [name, ref] of Object.entries(INT_REF)) {
    it(name, () => {
      const big = name === "Add" || name === "Sub" || name === "Mul";
      const gen = (n: number, s: number) => {
        const v = name === "Pow" ? randomInts(n, s, -3, 6) : randomInts(n, s, big ? -2147483648 : -20, big ? 2147483647 : 20);
        if (n > 4) { v[0] = 0; v[1] = -1; v[4] = -2147483648; }
        return v;
      };
      // Divisors and exponents stay where TensorFlow's CPU kernels do not raise (see below).
      const safe = name === "FloorDiv" || name === "FloorMod" ? (n: number, s: number) => gen(n, s + 5).map((v) => v || 3)
        : name === "Pow" ? (n: number, s: number) => randomInts(n, s + 5, 0, 6) : (n: number, s: number) => gen(n, s + 5);
      check(name as BinaryKernelName, "int32", ref, gen, safe);
    });
  }

  for (const [name, by, message] of [["FloorDiv", 0, "Integer division by zero"], ["FloorMod", 0, "Integer division by zero"], ["Pow", -1, "Integers to negative integer powers are not allowed"]] as const) {
    it(`${name} raises as TensorFlow's CPU kernel (${message}), leaving no buffer behind`, () => {
      const A = tensor(b, [7, 8, 9, 10, 11], [5], "int32"), B = tensor(b, [2, 2, by, 2, 2], [5], "int32");
      const before = b.memory().numBytesInBackend;
      expect(() => run(b, name, [A, B], {}, [5], "int32")).toThrow(new InvalidArgumentError(`${message} [Op:${name}]`));
      expect(b.memory().numBytesInBackend).toBe(before);
      dispose(b, A, B);
    });
  }
});

describe("bool and complex64 binary kernels", () => {
  it("LogicalAnd / LogicalOr / Equal / NotEqual on bool", () => {
    const xs = randomInts(40, 3, 0, 2), ys = randomInts(40, 4, 0, 2);
    const X = tensor(b, xs, [40], "bool"), Y = tensor(b, ys, [40], "bool"), S = tensor(b, [1], [1], "bool");
    expectExact(run(b, "LogicalAnd", [X, Y], {}, [40], "bool"), xs.map((v, i) => v & ys[i]!));
    expectExact(run(b, "LogicalOr", [X, Y], {}, [40], "bool"), xs.map((v, i) => v | ys[i]!));
    expectExact(run(b, "Equal", [X, Y], {}, [40], "bool"), xs.map((v, i) => +(v === ys[i])));
    expectExact(run(b, "NotEqual", [X, Y], {}, [40], "bool"), xs.map((v, i) => +(v !== ys[i])));
    expectExact(run(b, "LogicalAnd", [X, S], {}, [40], "bool"), xs);
    dispose(b, X, Y, S);
  });

  it("complex64 Add Sub Mul Div Equal NotEqual with broadcasting", () => {
    const x = [1, 2, -3, 0.5, 0, 0, 2, -1, 4, 4, 1, 0];
    const y = [0.5, -1, 2, 2];
    const X = tensor(b, x, [3, 2], "complex64"), Y = tensor(b, y, [1, 2], "complex64");
    const pair = (i: number, v: number[]) => [v[2 * i]!, v[2 * i + 1]!] as const;
    const ops: Record<string, (a: readonly [number, number], c: readonly [number, number]) => [number, number]> = {
      Add: ([a, c], [d, e]) => [a + d, c + e],
      Sub: ([a, c], [d, e]) => [a - d, c - e],
      Mul: ([a, c], [d, e]) => [a * d - c * e, a * e + c * d],
      Div: ([a, c], [d, e]) => [(a * d + c * e) / (d * d + e * e), (c * d - a * e) / (d * d + e * e)],
    };
    for (const [name, f] of Object.entries(ops)) {
      const got = run(b, name as BinaryKernelName, [X, Y], {}, [3, 2], "complex64");
      const want = Array.from({ length: 6 }, (_, i) => f(pair(i, x), pair(i % 2, y))).flat().map(Math.fround);
      expectClose(got.slice(0, 12), want, 1e-6, 1e-7, name);
    }
    const Z = tensor(b, [1, 2, 0, 0], [1, 2], "complex64");
    expectExact(run(b, "Equal", [X, Z], {}, [3, 2], "bool"), [1, 0, 0, 0, 0, 0]);
    expectExact(run(b, "NotEqual", [X, Z], {}, [3, 2], "bool"), [0, 1, 1, 1, 1, 1]);
    dispose(b, X, Y, Z);
  });

  it("rejects dtypes a kernel does not take", () => {
    const X = tensor(b, [1, 2], [2], "complex64");
    expect(() => run(b, "Pow", [X, X], {}, [1], "complex64")).toThrow(DtypeError);
    const B1 = tensor(b, [1], [1], "bool");
    expect(() => run(b, "Add", [B1, B1], {}, [1], "bool")).toThrow(DtypeError);
    dispose(b, X, B1);
  });

  it("covers every binary kernel name", () => {
    for (const name of BINARY_KERNELS) expect(typeof b.kernels[name]).toBe("function");
  });
});

describe("Where", () => {
  for (const dtype of ["float32", "int32", "bool", "float64", "complex64"] as const) {
    it(`selects ${dtype} with a contiguous condition (SIMD) and scalar or vector branches`, () => {
      const slots = dtype === "complex64" ? 2 : 1;
      const n = 37;
      const cond = randomInts(n, 5, 0, 2);
      const xs = randomInts(n * slots, 6, 0, 2).map((v, i) => (dtype === "bool" ? v : v + i));
      const ys = randomInts(n * slots, 7, 0, 2).map((v, i) => (dtype === "bool" ? v : v - i));
      const C = tensor(b, cond, [n], "bool");
      const X = tensor(b, xs, [n], dtype), Y = tensor(b, ys, [n], dtype);
      const X1 = tensor(b, xs.slice(0, slots), [1], dtype), Y1 = tensor(b, ys.slice(0, slots), [1], dtype);
      for (const [A, av, B, bv] of [[X, xs, Y, ys], [X1, xs.slice(0, slots), Y, ys], [X, xs, Y1, ys.slice(0, slots)]] as const) {
        const got = run(b, "Where", [C, A, B], {}, [n], dtype);
        const want: number[] = [];
        for (let i = 0; i < n; i++) {
          for (let s = 0; s < slots; s++) {
            want.push(cond[i] ? av[(av.length === slots ? 0 : i) * slots + s]! : bv[(bv.length === slots ? 0 : i) * slots + s]!);
          }
        }
        expectExact(got.slice(0, n * slots), want, `Where ${dtype}`);
      }
      dispose(b, C, X, Y, X1, Y1);
    });
  }

  for (const dtype of ["float32", "int32", "bool", "float64", "complex64"] as const) {
    it(`selects ${dtype} with a broadcast condition`, () => {
      const slots = dtype === "complex64" ? 2 : 1;
      const xs = randomInts(12 * slots, 1, 0, 2), ys = randomInts(4 * slots, 2, 0, 2);
      const cond = [1, 0, 1];
      const C = tensor(b, cond, [3, 1], "bool"), X = tensor(b, xs, [3, 4], dtype), Y = tensor(b, ys, [1, 4], dtype);
      const got = run(b, "Where", [C, X, Y], {}, [3, 4], dtype);
      const want: number[] = [];
      for (let i = 0; i < 12; i++) {
        const r = Math.floor(i / 4), c = i % 4;
        for (let s = 0; s < slots; s++) want.push(cond[r] ? xs[i * slots + s]! : ys[c * slots + s]!);
      }
      expectExact(got.slice(0, 12 * slots), want, `Where ${dtype}`);
      dispose(b, C, X, Y);
    });
  }
});
