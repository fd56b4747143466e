import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebGPUBackend } from "../src/backend.js";
import { makeBackend, read, readSync, tensor, wrap } from "./helpers.js";

let b: WebGPUBackend;
beforeAll(async () => {
  b = await makeBackend();
});
afterAll(() => b?.dispose());

describe("smoke", () => {
  it("has an adapter", () => {
    expect(b.describe()).toMatch(/WebGPU on/);
    console.log(b.describe(), b.syncReadUnavailable);
  });
  it("adds", async () => {
    const x = tensor(b, [1, 2, 3, 4], [2, 2]);
    const y = tensor(b, [10, 20], [1, 2]);
    const z = wrap(b.kernels.Add!([x, y], {}, { shape: [2, 2], dtype: "float32" }), [2, 2], "float32");
    const r = wrap(b.kernels.Relu!([z], {}, { shape: [2, 2], dtype: "float32" }), [2, 2], "float32");
    expect(await read(b, r)).toEqual([11, 22, 13, 24]);
    expect(readSync(b, z)).toEqual([11, 22, 13, 24]);
  });
});
