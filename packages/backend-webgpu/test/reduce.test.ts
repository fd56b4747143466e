import type { DType, ReduceKernelName } from "@tessera/core/kernel";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { WebGPUBackend } from "../src/backend.js";
import { expectClose, expectEqual, makeBackend, rand, randInt, read, tensor, wrap } from "./helpers.js";
import { f32 } from "./reference.js";

let b: WebGPUBackend;
beforeAll(async () => {
  b = await makeBackend();
});
afterAll(() => b?.dispose());

function reduceRef(op: ReduceKernelName, x: readonly number[], outer: number, n: number, inner: number, int: boolean): number[] {
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const row = Array.from({ length: n }, (_, j) => x[(o * n + j) * inner + k]!);
      switch (op) {
        case "Sum": out.push(int ? row.reduce((a, v) => (a + v) | 0, 0) : row.reduce((a, v) => a + v, 0)); break;
        case "Prod": out.push(int ? row.reduce((a, v) => Math.imul(a, v), 1) : row.reduce((a, v) => a * v, 1)); break;
        case "Max": out.push(row.some(Number.isNaN) ? NaN : row.reduce((a, v) => Math.max(a, v), int ? -2147483648 : -Infinity)); break;
        case "Min": out.push(row.some(Number.isNaN) ? NaN : row.reduce((a, v) => Math.min(a, v), int ? 2147483647 : Infinity)); break;
        case "All": out.push(row.every((v) => v !== 0) ? 1 : 0); break;
        case "Any": out.push(row.some((v) => v !== 0) ? 1 : 0); break;
        case "ArgMax":
        case "ArgMin": {
          const nan = row.findIndex(Number.isNaN);
          if (nan >= 0) { out.push(nan); break; }
          let best = 0;
          for (let j = 1; j < n; j++) if (op === "ArgMax" ? row[j]! > row[best]! : row[j]! < row[best]!) best = j;
          out.push(best);
          break;
        }
      }
    }
  }
  return out;
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 7, 1], [3, 300, 1], [1, 1000, 1], [5, 17, 3], [2, 600, 2], [64, 40, 65], [2, 3, 257], [1, 0, 4], [4, 5, 0],
];

function run(op: ReduceKernelName, values: number[], shape: [number, number, number], dtype: DType) {
  const x = tensor(b, values, shape, dtype);
  const outDtype: DType = op === "ArgMax" || op === "ArgMin" ? "int32" : dtype;
  const outShape = [shape[0], shape[2]];
  return read(b, wrap(b.kernels[op]!([x], {}, { shape: outShape, dtype: outDtype }), outShape, outDtype));
}

describe("reductions over [outer, n, inner]", () => {
  it("float32: Sum Prod Max Min ArgMax ArgMin on both schedules", async () => {
    for (const shape of SHAPES) {
      const size = shape[0] * shape[1] * shape[2];
      const values = rand(size, size + 7, -2, 2).map(f32);
      for (const op of ["Sum", "Prod", "Max", "Min", "ArgMax", "ArgMin"] as ReduceKernelName[]) {
        if ((op === "ArgMax" || op === "ArgMin") && shape[1] === 0) continue;
        const prodSafe = op === "Prod" ? values.map((v) => f32(1 + v / 100)) : values;
        const got = await run(op, prodSafe, shape, "float32");
        const want = reduceRef(op, prodSafe, ...shape, false).map(f32);
        expectClose(got, want, 1e-5, 1e-5, `${op} [${shape}]`);
      }
    }
  });

  it("float32: NaN propagates through Max/Min and wins ArgMax/ArgMin; ties keep the first index", async () => {
    const row = [1, 5, NaN, 5, NaN, -3];
    for (const shape of [[1, 6, 1], [2, 3, 1]] as [number, number, number][]) {
      for (const op of ["Max", "Min", "ArgMax", "ArgMin", "Sum"] as ReduceKernelName[]) {
        expectClose(await run(op, row, shape, "float32"), reduceRef(op, row, ...shape, false), 0, 0, `${op} [${shape}]`);
      }
    }
    const ties = [2, 7, 7, 1, 1, 7];
    expectEqual(await run("ArgMax", ties, [1, 6, 1], "float32"), [1]);
    expectEqual(await run("ArgMin", ties, [1, 6, 1], "float32"), [3]);
    const long = Array.from({ length: 700 }, (_, i) => (i % 100 === 37 ? 9 : i % 7));
    expectEqual(await run("ArgMax", long, [1, 700, 1], "float32"), [37]);
    expectEqual(await run("ArgMin", long, [1, 700, 1], "float32"), [0]);
  });

  it("empty reductions give the identity", async () => {
    expectClose(await run("Sum", [], [2, 0, 1], "float32"), [0, 0]);
    expectClose(await run("Prod", [], [2, 0, 1], "float32"), [1, 1]);
    expectClose(await run("Max", [], [1, 0, 1], "float32"), [-Infinity]);
    expectClose(await run("Min", [], [1, 0, 1], "float32"), [Infinity]);
    expectEqual(await run("Max", [], [1, 0, 1], "int32"), [-2147483648]);
    expectEqual(await run("Min", [], [1, 0, 1], "int32"), [2147483647]);
    expectEqual(await run("All", [], [1, 0, 1], "bool"), [1]);
    expectEqual(await run("Any", [], [1, 0, 1], "bool"), [0]);
  });

  it("int32 wraps around; bool All/Any", async () => {
    for (const shape of SHAPES) {
      const size = shape[0] * shape[1] * shape[2];
      const values = randInt(size, size + 3, -2000000000, 2000000000);
      for (const op of ["Sum", "Prod", "Max", "Min", "ArgMax", "ArgMin"] as ReduceKernelName[]) {
        if ((op === "ArgMax" || op === "ArgMin") && shape[1] === 0) continue;
        expectEqual(await run(op, values, shape, "int32"), reduceRef(op, values, ...shape, true), `${op} [${shape}]`);
      }
      const bools = randInt(size, size + 5, 0, 2).map((v, i) => (i % 11 === 0 ? 1 : v));
      for (const op of ["All", "Any"] as ReduceKernelName[]) {
        expectEqual(await run(op, bools, shape, "bool"), reduceRef(op, bools, ...shape, false), `${op} [${shape}]`);
      }
    }
  });
});
