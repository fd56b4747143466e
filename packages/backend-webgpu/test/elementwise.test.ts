import type { BinaryKernelName, DType, UnaryKernelName } from "@tessera/core/kernel";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebGPUBackend } from "../src/backend.js";
import { broadcastIndex, expectClose, expectEqual, makeBackend, rand, randInt, read, sizeOf, tensor, wrap } from "./helpers.js";
import type { T } from "./helpers.js";
import { binaryRef, f32, unaryRef } from "./reference.js";

const SPECIALS = [
  0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 1e-7, -1e-7, 1e-3, 0.999, 1.0001, 10, -10, 30, -30, 88, -88, 100, -100,
  8191, 8193, -12345.678, 1e5, 1e10, -3e17, 1e30, -1e30, 3.4e38, Infinity, -Infinity, NaN,
];

const FLOAT_UNARY: UnaryKernelName[] = [
  "Neg", "Abs", "Sign", "Square", "Sqrt", "Rsqrt", "Exp", "Log", "Log1p", "Sin", "Cos", "Tanh", "Sigmoid", "Relu", "Elu",
  "Softplus", "Floor", "Ceil", "Round", "Reciprocal",
];
const INT_UNARY: UnaryKernelName[] = ["Neg", "Abs", "Sign", "Square", "Relu"];

function unary(b: WebGPUBackend, op: UnaryKernelName, x: T): T {
  return wrap(b.kernels[op]!([x], {}, { shape: x.shape, dtype: x.dtype }), x.shape, x.dtype);
}
function binary(b: WebGPUBackend, op: BinaryKernelName, x: T, y: T, shape: readonly number[], dtype: DType): T {
  return wrap(b.kernels[op]!([x, y], {}, { shape, dtype }), shape, dtype);
}

const CMP = new Set<BinaryKernelName>(["Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual", "LogicalAnd", "LogicalOr"]);

for (const fusion of [true, false]) {
  describe(`elementwise kernels (fusion ${fusion ? "on" : "off"})`, () => {
    let b: WebGPUBackend;
    beforeAll(async () => {
      b = await makeBackend({ fusion });
    });
    afterAll(() => b?.dispose());

    it("float32 unary ops match float64 references, special values included", async () => {
      const values = [...SPECIALS, ...rand(200, 3, -8, 8), ...rand(50, 4, -1e-3, 1e-3)].map(f32);
      const x = tensor(b, values, [values.length]);
      for (const op of FLOAT_UNARY) {
        const got = await read(b, unary(b, op, x));
        const want = values.map((v) => f32(unaryRef(op, v, "float32")));
        // GPUs may flush float32 subnormals (below 1.2e-38) to zero.
        const tol = ["Sin", "Cos"].includes(op) ? 2e-6 : 1.2e-38;
        expectClose(got, want, 4e-6, tol, op);
      }
    });

    it("int32 unary ops wrap around", async () => {
      const values = [0, 1, -1, 7, -7, 46341, -46341, 2147483647, -2147483648, ...randInt(50, 5, -1000, 1000)];
      const x = tensor(b, values, [values.length], "int32");
      for (const op of INT_UNARY) {
        expectEqual(await read(b, unary(b, op, x)), values.map((v) => unaryRef(op, v, "int32")), op);
      }
    });

    it("LogicalNot on bool", async () => {
      const x = tensor(b, [1, 0, 1, 1, 0], [5], "bool");
      expectEqual(await read(b, unary(b, "LogicalNot", x)), [0, 1, 0, 0, 1]);
    });

    const FLOAT_BINARY: BinaryKernelName[] = [
      "Add", "Sub", "Mul", "Div", "FloorDiv", "FloorMod", "Pow", "Maximum", "Minimum",
      "Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual",
    ];
    it("float32 binary ops on all pairs of special values", async () => {
      const sv = [0, -0, 1, -1, 2, -2, 0.5, 3, -3, 2.5, 1e30, Infinity, -Infinity, NaN].map(f32);
      const n = sv.length;
      const a = tensor(b, sv, [n, 1]);
      const c = tensor(b, sv, [1, n]);
      for (const op of FLOAT_BINARY) {
        const dt: DType = CMP.has(op) ? "bool" : "float32";
        const got = await read(b, binary(b, op, a, c, [n, n], dt));
        const want: number[] = [];
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) want.push(f32(binaryRef(op, sv[i]!, sv[j]!, "float32")));
        expectClose(got, want, 2e-6, 1.2e-38, op);
      }
    });

    it("float32 binary ops on random values with broadcasting", async () => {
      const shapes: [number[], number[], number[]][] = [
        [[4, 5], [4, 5], [4, 5]],
        [[4, 5], [1, 5], [4, 5]],
        [[4, 1], [1, 5], [4, 5]],
        [[2, 3, 4], [2, 1, 4], [2, 3, 4]],
        [[1, 1, 1], [3, 2, 5], [3, 2, 5]],
        [[2, 1, 3, 1], [1, 4, 1, 5], [2, 4, 3, 5]],
      ];
      for (const [sa, sb, so] of shapes) {
        const va = rand(sizeOf(sa), 11, -4, 4).map(f32);
        const vb = rand(sizeOf(sb), 12, 0.25, 4).map(f32);
        const a = tensor(b, va, sa);
        const c = tensor(b, vb, sb);
        for (const op of FLOAT_BINARY) {
          const dt: DType = CMP.has(op) ? "bool" : "float32";
          const got = await read(b, binary(b, op, a, c, so, dt));
          const want = Array.from({ length: sizeOf(so) }, (_, i) =>
            f32(binaryRef(op, va[broadcastIndex(i, so, sa)]!, vb[broadcastIndex(i, so, sb)]!, "float32")),
          );
          expectClose(got, want, op === "Pow" ? 1e-5 : 2e-6, 1e-6, `${op} ${sa}×${sb}`);
        }
      }
    });

    it("int32 binary ops: wrap-around and Python floor semantics", async () => {
      const sv = [0, 1, -1, 2, -2, 3, -3, 7, -7, 13, 46341, 2147483647, -2147483648];
      const n = sv.length;
      const a = tensor(b, sv, [n, 1], "int32");
      const c = tensor(b, sv, [1, n], "int32");
      const INT_BINARY: BinaryKernelName[] = ["Add", "Sub", "Mul", "FloorDiv", "FloorMod", "Pow", "Maximum", "Minimum", "Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual"];
      for (const op of INT_BINARY) {
        const dt: DType = CMP.has(op) ? "bool" : "int32";
        const got = await read(b, binary(b, op, a, c, [n, n], dt));
        const want: number[] = [];
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const x = sv[i]!;
            const y = sv[j]!;
            if ((op === "FloorDiv" || op === "FloorMod") && y === -1) {
              want.push(op === "FloorDiv" ? -x | 0 : 0);
            } else if (op === "Pow" && y > 31 && Math.abs(x) > 1) {
              want.push(binaryRef(op, x, y, "int32"));
            } else {
              want.push(binaryRef(op, x, y, "int32"));
            }
          }
        }
        expectEqual(got, want, op);
      }
    });

    it("bool binary ops", async () => {
      const a = tensor(b, [0, 0, 1, 1], [4], "bool");
      const c = tensor(b, [0, 1, 0, 1], [4], "bool");
      expectEqual(await read(b, binary(b, "LogicalAnd", a, c, [4], "bool")), [0, 0, 0, 1]);
      expectEqual(await read(b, binary(b, "LogicalOr", a, c, [4], "bool")), [0, 1, 1, 1]);
      expectEqual(await read(b, binary(b, "Equal", a, c, [4], "bool")), [1, 0, 0, 1]);
      expectEqual(await read(b, binary(b, "NotEqual", a, c, [4], "bool")), [0, 1, 1, 0]);
    });

    it("Cast between float32, int32 and bool", async () => {
      const fv = [0, -0, 1.9, -1.9, 2.5, -2.5, 1e9, -1e9, 0.1, NaN].map(f32);
      const x = tensor(b, fv, [fv.length]);
      const cast = (t: T, dtype: DType): T => wrap(b.kernels.Cast!([t], {}, { shape: t.shape, dtype }), t.shape, dtype);
      expectEqual((await read(b, cast(x, "int32"))).slice(0, 9), [0, 0, 1, -1, 2, -2, 1000000000, -1000000000, 0]);
      expectEqual(await read(b, cast(x, "bool")), [0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
      const iv = [0, 5, -7, 16777217];
      const xi = tensor(b, iv, [4], "int32");
      expectEqual(await read(b, cast(xi, "float32")), [0, 5, -7, 16777216]);
      expectEqual(await read(b, cast(xi, "bool")), [0, 1, 1, 1]);
      const xb = tensor(b, [1, 0, 1], [3], "bool");
      expectEqual(await read(b, cast(xb, "float32")), [1, 0, 1]);
      expectEqual(await read(b, cast(xb, "int32")), [1, 0, 1]);
    });

    it("Where broadcasts its condition and branches", async () => {
      const c = tensor(b, [1, 0, 1], [1, 3], "bool");
      const x = tensor(b, [1, 2, 3, 4, 5, 6], [2, 3]);
      const y = tensor(b, [-1, -2], [2, 1]);
      const w = wrap(b.kernels.Where!([c, x, y], {}, { shape: [2, 3], dtype: "float32" }), [2, 3], "float32");
      expectEqual(await read(b, w), [1, -1, 3, 4, -2, 6]);
      const ci = tensor(b, [0, 1], [2], "bool");
      const xi = tensor(b, [7, 8], [2], "int32");
      const yi = tensor(b, [-7, -8], [2], "int32");
      expectEqual(await read(b, wrap(b.kernels.Where!([ci, xi, yi], {}, { shape: [2], dtype: "int32" }), [2], "int32")), [-7, 8]);
    });

    it("Fill writes a value of every dtype", async () => {
      const fill = (value: number | string, shape: number[], dtype: DType): T => wrap(b.kernels.Fill!([], { value }, { shape, dtype }), shape, dtype);
      expectEqual(await read(b, fill(2.5, [2, 3], "float32")), [2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
      expectEqual(await read(b, fill(-Infinity, [2], "float32")), [-Infinity, -Infinity]);
      expect(Number.isNaN((await read(b, fill(NaN, [1], "float32")))[0])).toBe(true);
      expectEqual(await read(b, fill(-3, [3], "int32")), [-3, -3, -3]);
      expectEqual(await read(b, fill(1, [2], "bool")), [1, 1]);
      expect(await b.read(fill("ab", [2], "string").dataId, "string", 2)).toEqual(["ab", "ab"]);
      expectEqual(await read(b, fill(1, [0, 3], "float32")), []);
    });

    it("chains of elementwise ops give the same result fused or not", async () => {
      const va = rand(300, 21, -3, 3).map(f32);
      const vb = rand(300, 22, -3, 3).map(f32);
      const a = tensor(b, va, [3, 100]);
      const c = tensor(b, vb, [3, 100]);
      const bias = tensor(b, rand(100, 23).map(f32), [1, 100]);
      const s = [3, 100];
      const m = binary(b, "Mul", a, c, s, "float32");
      const ad = binary(b, "Add", m, bias, s, "float32");
      const r = unary(b, "Relu", ad);
      const e = unary(b, "Exp", unary(b, "Neg", r));
      const cmp = binary(b, "Greater", e, a, s, "bool");
      const sel = wrap(b.kernels.Where!([cmp, e, m], {}, { shape: s, dtype: "float32" }), s, "float32");
      const vbias = await read(b, bias);
      const want = va.map((x, i) => {
        const mm = f32(x * vb[i]!);
        const add = f32(mm + vbias[i % 100]!);
        const ee = f32(Math.exp(-Math.max(add, 0)));
        return ee > x ? ee : mm;
      });
      expectClose(await read(b, sel), want, 2e-6, 1e-7, "fused chain");
    });
  });
}
