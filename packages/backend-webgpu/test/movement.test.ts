import type { DType } from "@tessera/core/kernel";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebGPUBackend } from "../src/backend.js";
import { collapseTranspose } from "../src/kernels/transpose.js";
import { expectClose, expectEqual, makeBackend, rand, randInt, read, sizeOf, tensor, wrap } from "./helpers.js";
import { f32 } from "./reference.js";

let b: WebGPUBackend;
beforeAll(async () => {
  b = await makeBackend();
});
afterAll(() => b?.dispose());

function strides(shape: readonly number[]): number[] {
  const s: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}
function coords(i: number, shape: readonly number[]): number[] {
  const c: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    c[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return c;
}

function transposeRef(x: readonly number[], shape: readonly number[], perm: readonly number[]): number[] {
  const outShape = perm.map((p) => shape[p]!);
  const st = strides(shape);
  return Array.from({ length: x.length }, (_, i) => {
    const c = coords(i, outShape);
    return x[c.reduce((acc, v, d) => acc + v * st[perm[d]!]!, 0)]!;
  });
}

describe("data movement", () => {
  it("collapses transposes to their essential axes", () => {
    expect(collapseTranspose([2, 3, 4], [0, 1, 2])).toEqual({ shape: [24], perm: [0] });
    expect(collapseTranspose([2, 3, 4], [2, 0, 1])).toEqual({ shape: [6, 4], perm: [1, 0] });
    expect(collapseTranspose([5, 1, 3, 4], [0, 3, 1, 2])).toEqual({ shape: [5, 3, 4], perm: [0, 2, 1] });
    expect(collapseTranspose([2, 3, 4, 5], [3, 1, 0, 2])).toEqual({ shape: [2, 3, 4, 5], perm: [3, 1, 0, 2] });
  });

  it("Transpose: every permutation of rank ≤ 4, tiled and generic paths, every dtype", async () => {
    const perms4 = [[0, 1, 2, 3], [3, 2, 1, 0], [0, 2, 1, 3], [1, 0, 3, 2], [2, 3, 0, 1], [0, 3, 1, 2], [3, 1, 0, 2]];
    const cases: [number[], number[]][] = [
      [[5], [0]], [[3, 4], [1, 0]], [[37, 53], [1, 0]], [[2, 3, 4], [2, 0, 1]], [[4, 33, 17], [0, 2, 1]], [[2, 3, 4], [1, 0, 2]],
      ...perms4.map((p): [number[], number[]] => [[2, 3, 4, 5], p]), [[1, 3, 1, 2], [3, 2, 1, 0]], [[0, 3], [1, 0]],
    ];
    for (const [shape, perm] of cases) {
      for (const dtype of ["float32", "int32", "bool"] as DType[]) {
        const n = sizeOf(shape);
        const v = dtype === "float32" ? rand(n, n).map(f32) : dtype === "int32" ? randInt(n, n, -50, 50) : randInt(n, n, 0, 2);
        const x = tensor(b, v, shape, dtype);
        const outShape = perm.map((p) => shape[p]!);
        const y = wrap(b.kernels.Transpose!([x], { perm }, { shape: outShape, dtype }), outShape, dtype);
        expectEqual(await read(b, y), transposeRef(v, shape, perm), `[${shape}] perm [${perm}] ${dtype}`);
      }
    }
  });

  it("Slice: contiguous runs (copies) and strided slices", async () => {
    const shape = [4, 5, 6];
    const v = rand(120, 9).map(f32);
    const x = tensor(b, v, shape);
    const cases: [number[], number[]][] = [
      [[1, 0, 0], [2, 5, 6]], [[2, 3, 0], [1, 2, 6]], [[0, 1, 2], [4, 3, 3]], [[3, 4, 5], [1, 1, 1]], [[1, 1, 1], [0, 2, 2]],
    ];
    for (const [begin, size] of cases) {
      const y = wrap(b.kernels.Slice!([x], { begin }, { shape: size, dtype: "float32" }), size, "float32");
      const st = strides(shape);
      const want = Array.from({ length: sizeOf(size) }, (_, i) => v[coords(i, size).reduce((acc, c, d) => acc + (c + begin[d]!) * st[d]!, 0)]!);
      expectEqual(await read(b, y), want, `slice ${begin} ${size}`);
    }
  });

  it("Pad with a constant, every dtype", async () => {
    const x = tensor(b, [1, 2, 3, 4, 5, 6], [2, 3]);
    const y = wrap(b.kernels.Pad!([x], { paddings: [[1, 0], [2, 1]], constantValue: -1.5 }, { shape: [3, 6], dtype: "float32" }), [3, 6], "float32");
    expectEqual(await read(b, y), [-1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, -1.5, 1, 2, 3, -1.5, -1.5, -1.5, 4, 5, 6, -1.5]);
    const xi = tensor(b, [7, 8], [2], "int32");
    expectEqual(await read(b, wrap(b.kernels.Pad!([xi], { paddings: [[2, 1]], constantValue: 9 }, { shape: [5], dtype: "int32" }), [5], "int32")), [9, 9, 7, 8, 9]);
    const xb = tensor(b, [1], [1], "bool");
    expectEqual(await read(b, wrap(b.kernels.Pad!([xb], { paddings: [[1, 1]], constantValue: 0 }, { shape: [3], dtype: "bool" }), [3], "bool")), [0, 1, 0]);
    const e = tensor(b, [], [0, 2]);
    expectEqual(await read(b, wrap(b.kernels.Pad!([e], { paddings: [[1, 0], [0, 0]], constantValue: 3 }, { shape: [1, 2], dtype: "float32" }), [1, 2], "float32")), [3, 3]);
  });

  it("Tile repeats along each axis", async () => {
    const x = tensor(b, [1, 2, 3, 4, 5, 6], [2, 3], "int32");
    const y = wrap(b.kernels.Tile!([x], { reps: [2, 2] }, { shape: [4, 6], dtype: "int32" }), [4, 6], "int32");
    expectEqual(await read(b, y), [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6, 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]);
  });

  it("Concat of rank-2 pieces (copies when outer = 1, dispatches otherwise)", async () => {
    const a = tensor(b, [1, 2, 3, 4], [2, 2]);
    const c = tensor(b, [5, 6], [2, 1]);
    const d = tensor(b, [], [2, 0]);
    const e = tensor(b, [7, 8, 9, 10, 11, 12], [2, 3]);
    const y = wrap(b.kernels.Concat!([a, c, d, e], {}, { shape: [2, 6], dtype: "float32" }), [2, 6], "float32");
    expectEqual(await read(b, y), [1, 2, 5, 7, 8, 9, 3, 4, 6, 10, 11, 12]);
    const p = tensor(b, [1, 0], [1, 2], "bool");
    const q = tensor(b, [1], [1, 1], "bool");
    expectEqual(await read(b, wrap(b.kernels.Concat!([p, q], {}, { shape: [1, 3], dtype: "bool" }), [1, 3], "bool")), [1, 0, 1]);
  });

  it("Gather along the middle axis; out-of-range indices give zeros", async () => {
    const x = tensor(b, rand(2 * 4 * 3, 31).map(f32), [2, 4, 3]);
    const xv = await read(b, x);
    const idx = tensor(b, [3, 0, 0, -1, 4, 2], [6], "int32");
    const y = wrap(b.kernels.Gather!([x, idx], {}, { shape: [2, 6, 3], dtype: "float32" }), [2, 6, 3], "float32");
    const want: number[] = [];
    for (let o = 0; o < 2; o++) for (const j of [3, 0, 0, -1, 4, 2]) for (let k = 0; k < 3; k++) want.push(j < 0 || j >= 4 ? 0 : xv[(o * 4 + j) * 3 + k]!);
    expectEqual(await read(b, y), want);
  });

  for (const [label, outer, m, segs, inner] of [
    ["scan", 2, 7, 5, 3],
    ["atomic scatter", 1, 128, 4096, 64],
  ] as [string, number, number, number, number][]) {
    it(`UnsortedSegmentSum (${label} path) for float32 and int32`, async () => {
      const indices = randInt(m, 41, -1, segs + 1);
      const idx = tensor(b, indices, [m], "int32");
      for (const dtype of ["float32", "int32"] as DType[]) {
        const v = dtype === "float32" ? rand(outer * m * inner, 42).map(f32) : randInt(outer * m * inner, 43, -1000, 1000);
        const x = tensor(b, v, [outer, m, inner], dtype);
        const outShape = [outer, segs, inner];
        const y = wrap(b.kernels.UnsortedSegmentSum!([x, idx], { numSegments: segs }, { shape: outShape, dtype }), outShape, dtype);
        const want = new Array<number>(outer * segs * inner).fill(0);
        for (let o = 0; o < outer; o++) for (let j = 0; j < m; j++) {
          const s = indices[j]!;
          if (s < 0 || s >= segs) continue;
          for (let k = 0; k < inner; k++) want[(o * segs + s) * inner + k]! += v[(o * m + j) * inner + k]!;
        }
        expectClose(await read(b, y), want, 1e-5, 1e-5, `${label} ${dtype}`);
      }
    });
  }
});
