/** Tile: out[c] = x[c mod shape] (raw words, any dtype). */
import type { Kernels } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import { UniformBuilder } from "../uniforms.js";
import { wordType } from "../wgsl.js";
import { strides } from "./common.js";
import { gatherKernel, gatherProgram, outputCoords } from "./word-gather.js";

export function tileKernels(b: WebGPUBackend): Partial<Kernels> {
  return {
    Tile: (inputs, _attrs, out) =>
      gatherKernel(b, "Tile", inputs[0], out, (x, y, size) => {
        const inShape = inputs[0].shape;
        const rank = inShape.length;
        const u = new UniformBuilder().u32("size", size).u32s("od", out.shape).u32s("id", inShape).u32s("st", strides(inShape));
        const body = ["var idx = 0u;", ...outputCoords(rank, (d, c) => [`idx = idx + (${c} % u.id${d}) * u.st${d};`]), "out[i] = in0[idx];"];
        const w = wordType(out.dtype);
        b.dispatch(gatherProgram("Tile", `tile|${rank}|${w}`, w, u, body), [x], y, u, b.grid(size));
      }),
  };
}
