import type { BinaryKernelName, DType, UnaryKernelName } from "@tessera/core/kernel";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebGPUBackend } from "../src/backend.js";
import { makeBackend, rand, read, tensor, wrap } from "./helpers.js";
import type { T } from "./helpers.js";

let b: WebGPUBackend;
beforeAll(async () => {
  b = await makeBackend();
});
afterAll(() => b?.dispose());

/** Doubles from random bit patterns (every exponent, subnormals, NaN, Inf) plus hand-picked ones. */
function doubles(n: number, seed: number): number[] {
  const bits = rand(2 * n, seed, 0, 1).map((x) => Math.floor(x * 4294967296) >>> 0);
  const view = new Float64Array(new Uint32Array(bits).buffer);
  const special = [0, -0, 1, -1, 0.5, 1.5, 2.5, -2.5, 3, 0.1, 1 / 3, 2 ** -1074, -(2 ** -1074), 2 ** -1022, 1.7976931348623157e308, Infinity, -Infinity, NaN, 1e-300, 1e300, 123456789.123, 2 ** 53 + 2, 4503599627370495.5];
  return [...special, ...Array.from(view), ...rand(n, seed + 1, -1000, 1000)];
}

function same(got: readonly number[], want: readonly number[], what: string): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (!Object.is(g, w)) throw new Error(`${what}[${i}]: got ${g}, expected ${w}`);
  }
}

const f64 = (b: WebGPUBackend, v: readonly number[], shape = [v.length]): T => tensor(b, v, shape, "float64");

describe("float64 (exact soft-float)", () => {
  const xs = doubles(150, 5);
  const ys = doubles(150, 9).reverse();
  const n = xs.length;

  it("Add, Sub, Mul, Div round exactly as IEEE (bit for bit)", async () => {
    const x = f64(b, xs);
    const y = f64(b, ys);
    const ops: [BinaryKernelName, (a: number, c: number) => number][] = [
      ["Add", (a, c) => a + c], ["Sub", (a, c) => a - c], ["Mul", (a, c) => a * c], ["Div", (a, c) => a / c],
    ];
    for (const [op, f] of ops) {
      const got = await read(b, wrap(b.kernels[op]!([x, y], {}, { shape: [n], dtype: "float64" }), [n], "float64"));
      same(got, xs.map((a, i) => f(a, ys[i]!)), op);
    }
  });

  it("Sqrt, Neg, Abs, Sign, Square, Reciprocal, Floor, Ceil, Round, Relu bit for bit", async () => {
    const x = f64(b, xs);
    const ops: [UnaryKernelName, (a: number) => number][] = [
      ["Sqrt", Math.sqrt], ["Neg", (a) => -a], ["Abs", Math.abs], ["Sign", (a) => (a === 0 || Number.isNaN(a) ? a : Math.sign(a))],
      ["Square", (a) => a * a], ["Reciprocal", (a) => 1 / a], ["Floor", Math.floor], ["Ceil", Math.ceil],
      ["Round", (a) => { const r = Math.round(a); return Math.abs(a % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r === 0 ? Math.sign(a) * 0 : r; }],
      ["Relu", (a) => (a < 0 ? 0 : a)],
    ];
    for (const [op, f] of ops) {
      const got = await read(b, wrap(b.kernels[op]!([x], {}, { shape: [n], dtype: "float64" }), [n], "float64"));
      same(got, xs.map(f), op);
    }
  });

  it("comparisons, Maximum, Minimum, FloorDiv, FloorMod", async () => {
    const x = f64(b, xs);
    const y = f64(b, ys);
    const cmps: [BinaryKernelName, (a: number, c: number) => boolean][] = [
      ["Equal", (a, c) => a === c], ["NotEqual", (a, c) => a !== c], ["Less", (a, c) => a < c], ["LessEqual", (a, c) => a <= c],
      ["Greater", (a, c) => a > c], ["GreaterEqual", (a, c) => a >= c],
    ];
    for (const [op, f] of cmps) {
      const got = await read(b, wrap(b.kernels[op]!([x, y], {}, { shape: [n], dtype: "bool" }), [n], "bool"));
      same(got, xs.map((a, i) => (f(a, ys[i]!) ? 1 : 0)), op);
    }
    const nanMax = (f: (a: number, c: number) => number) => (a: number, c: number) => (Number.isNaN(a) || Number.isNaN(c) ? NaN : f(a, c));
    const pyMod = (a: number, c: number): number => {
      if (Number.isNaN(a) || Number.isNaN(c) || !Number.isFinite(a) || c === 0) return NaN;
      if (!Number.isFinite(c)) return a === 0 || (a < 0) === (c < 0) ? a : c;
      const r = a % c;
      return r !== 0 && (r < 0) !== (c < 0) ? r + c : r;
    };
    const ops: [BinaryKernelName, (a: number, c: number) => number][] = [
      ["Maximum", nanMax(Math.max)], ["Minimum", nanMax(Math.min)], ["FloorDiv", (a, c) => Math.floor(a / c)], ["FloorMod", pyMod],
    ];
    for (const [op, f] of ops) {
      const got = await read(b, wrap(b.kernels[op]!([x, y], {}, { shape: [n], dtype: "float64" }), [n], "float64"));
      const want = xs.map((a, i) => f(a, ys[i]!));
      if (op === "Maximum" || op === "Minimum") {
        // ±0 ordering is unspecified: compare values.
        got.forEach((g, i) => expect(Number.isNaN(want[i]!) ? Number.isNaN(g) : g === want[i]).toBe(true));
      } else same(got, want, op);
    }
  });

  it("Cast to and from float32, int32, bool and complex64", async () => {
    const x = f64(b, xs);
    const cast = (t: T, dtype: DType): Promise<number[]> => read(b, wrap(b.kernels.Cast!([t], {}, { shape: t.shape, dtype }), t.shape, dtype));
    const toF32 = await cast(x, "float32");
    // GPUs may flush float32 subnormals: accept 0 where the exact result is subnormal.
    toF32.forEach((g, i) => {
      const w = Math.fround(xs[i]!);
      if (Math.abs(w) < 1.1754943508222875e-38 && g === 0) return;
      if (!(Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w)))) throw new Error(`to float32 [${i}] ${xs[i]}: got ${g}, want ${w}`);
    });
    same(await cast(x, "int32"), xs.map((v) => (Number.isNaN(v) ? 0 : Math.max(-2147483648, Math.min(2147483647, Math.trunc(v))) | 0)), "to int32");
    same(await cast(x, "bool"), xs.map((v) => (v !== 0 ? 1 : 0)), "to bool");
    const fv = [0, -0, 1.5, -3.25, 1e-45, 3.4028234663852886e38, Infinity, NaN, 0.1].map(Math.fround);
    same(await cast(tensor(b, fv, [fv.length]), "float64"), fv, "from float32");
    const iv = [0, 1, -1, 2147483647, -2147483648, 123456789];
    same(await cast(tensor(b, iv, [iv.length], "int32"), "float64"), iv, "from int32");
    same(await cast(tensor(b, [1, 0], [2], "bool"), "float64"), [1, 0], "from bool");
    same(await cast(tensor(b, [1.5, 2, -3, 4], [2], "complex64"), "float64"), [1.5, -3], "from complex64");
  });

  it("reductions, matmul, data movement, Fill, Where", async () => {
    const v = [1e16, 1, -1e16, 0.1, 0.2, 0.3, NaN, 5, -Infinity, 3];
    const x = f64(b, v, [1, 10, 1]);
    const r = (op: "Sum" | "Max" | "Min" | "Prod" | "ArgMax", xs: T): Promise<number[]> =>
      read(b, wrap(b.kernels[op]!([xs], {}, { shape: [1, 1], dtype: op === "ArgMax" ? "int32" : "float64" }), [1, 1], op === "ArgMax" ? "int32" : "float64"));
    const clean = f64(b, [0.1, 0.2, 0.3, 1e-20, 7], [1, 5, 1]);
    // The workgroup tree adds in a fixed order: compare with the same pairwise order in JS.
    expect((await r("Sum", clean))[0]).toBeCloseTo(0.1 + 0.2 + 0.3 + 1e-20 + 7, 14);
    expect(Number.isNaN((await r("Max", x))[0]!)).toBe(true);
    expect(await r("ArgMax", x)).toEqual([6]);
    expect(await r("Prod", f64(b, [1.5, -2, 1e300, 1e10], [1, 4, 1]))).toEqual([-Infinity]);
    expect(await r("Min", f64(b, [3, -2.5, 7], [1, 3, 1]))).toEqual([-2.5]);
    const a = f64(b, [1, 2, 3, 4, 5, 6], [1, 2, 3]);
    const c = f64(b, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [1, 3, 2]);
    const mm = await read(b, wrap(b.kernels.BatchMatMul!([a, c], { transposeA: false, transposeB: false }, { shape: [1, 2, 2], dtype: "float64" }), [2, 2], "float64"));
    same(mm, [1 * 0.1 + 2 * 0.3 + 3 * 0.5, 1 * 0.2 + 2 * 0.4 + 3 * 0.6, 4 * 0.1 + 5 * 0.3 + 6 * 0.5, 4 * 0.2 + 5 * 0.4 + 6 * 0.6], "matmul");
    const tr = await read(b, wrap(b.kernels.Transpose!([{ ...a, shape: [2, 3] }], { perm: [1, 0] }, { shape: [3, 2], dtype: "float64" }), [3, 2], "float64"));
    same(tr, [1, 4, 2, 5, 3, 6], "transpose");
    same(await read(b, wrap(b.kernels.Fill!([], { value: 0.1 }, { shape: [2], dtype: "float64" }), [2], "float64")), [0.1, 0.1], "fill");
    same(await read(b, wrap(b.kernels.Pad!([f64(b, [7])], { paddings: [[1, 1]], constantValue: 0.3 }, { shape: [3], dtype: "float64" }), [3], "float64")), [0.3, 7, 0.3], "pad");
    const cond = tensor(b, [1, 0], [2], "bool");
    same(await read(b, wrap(b.kernels.Where!([cond, f64(b, [0.1, 0.2]), f64(b, [0.3, 0.4])], {}, { shape: [2], dtype: "float64" }), [2], "float64")), [0.1, 0.4], "where");
  });
});

describe("float64 elementary functions (fdlibm algorithms on exact soft-float)", () => {
  it("match Math.* within a few ulp, huge sin/cos arguments included", async () => {
    const base = [0, -0, 1, -1, 0.5, 1e-10, -1e-10, 5e-324, 1e-300, 700, -700, 709.7, -745, 800, -800, 1e-7, 3, 100, -100, Infinity, -Infinity, NaN];
    const xs = [...base, ...rand(200, 21, -20, 20), ...rand(50, 22, -1e-4, 1e-4)];
    const huge = [1647100, -2e6, 1e10, 1e22, -3.5e150, 1e300, 1.7976931348623157e308, 2 ** 60 * 3.14159, 6381956970095103 * 2 ** 797];
    const cases: [UnaryKernelName, (x: number) => number, number[], number][] = [
      ["Exp", Math.exp, xs, 2], ["Log", Math.log, xs.map(Math.abs), 1], ["Log1p", Math.log1p, xs.filter((v) => !(v < -1)), 4],
      ["Sin", Math.sin, [...xs, ...huge], 1], ["Cos", Math.cos, [...xs, ...huge], 1], ["Tanh", Math.tanh, xs, 4],
      ["Sigmoid", (v) => (v < 0 ? Math.exp(v) / (1 + Math.exp(v)) : 1 / (1 + Math.exp(-v))), xs, 4], ["Elu", (v) => (v > 0 ? v : Math.expm1(v)), xs, 4],
      ["Softplus", (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))), xs, 4],
    ];
    for (const [op, f, vals, maxUlps] of cases) {
      const x = f64(b, vals);
      const got = await read(b, wrap(b.kernels[op]!([x], {}, { shape: [vals.length], dtype: "float64" }), [vals.length], "float64"));
      vals.forEach((v, i) => {
        const want = f(v);
        const g = got[i]!;
        if (Number.isNaN(want)) return expect(Number.isNaN(g), `${op}(${v}) = ${g}, want NaN`).toBe(true);
        if (!Number.isFinite(want) || want === 0) return expect(g, `${op}(${v})`).toBe(want);
        const ulp = Math.max(Math.abs(want) * 2 ** -52, 5e-324);
        expect(Math.abs(g - want) / ulp, `${op}(${v}) = ${g}, want ${want}`).toBeLessThanOrEqual(maxUlps);
      });
    }
  });

  it("Pow follows C's pow", async () => {
    const bases = [2, -2, 0.5, 10, -3, 0, -0, 1, -1, Infinity, -Infinity, NaN, 1.5, 7.25];
    const exps = [0, 1, 2, 3, -1, -2, 0.5, -0.5, 2.5, 64, 65, Infinity, -Infinity, NaN, 1 / 3];
    const a: number[] = [];
    const c: number[] = [];
    for (const x of bases) for (const y of exps) { a.push(x); c.push(y); }
    const got = await read(b, wrap(b.kernels.Pow!([f64(b, a), f64(b, c)], {}, { shape: [a.length], dtype: "float64" }), [a.length], "float64"));
    a.forEach((x, i) => {
      const y = c[i]!;
      const want = x === 1 || y === 0 || (Math.abs(x) === 1 && !Number.isFinite(y) && !Number.isNaN(y)) ? 1 : Math.pow(x, y);
      const g = got[i]!;
      if (Number.isNaN(want)) return expect(Number.isNaN(g), `pow(${x}, ${y}) = ${g}`).toBe(true);
      if (!Number.isFinite(want) || want === 0) return expect(Object.is(g, want), `pow(${x}, ${y}) = ${g}, want ${want}`).toBe(true);
      expect(Math.abs(g - want) / Math.abs(want), `pow(${x}, ${y})`).toBeLessThanOrEqual(1e-13);
    });
  });
});
