/** Tile: out[c] = x[c mod shape] (raw words, any dtype). */
import type { Kernels } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import { UniformBuilder } from "../uniforms.js";
import { bindings, linearMain, wordType } from "../wgsl.js";
import { sizeOf, strides } from "./common.js";

export function tileKernels(b: WebGPUBackend): Partial<Kernels> {
  return {
    Tile: (inputs, _attrs, out) =>
      b.runOp("Tile", () => {
        const x = b.input(inputs[0], "Tile");
        const y = b.output(out, "Tile");
        const size = sizeOf(out.shape);
        if (size === 0) return y;
        const inShape = inputs[0].shape;
        const rank = inShape.length;
        const u = new UniformBuilder().u32("size", size).u32s("od", out.shape).u32s("id", inShape).u32s("st", strides(inShape));
        const body: string[] = ["var rest = i;", "var idx = 0u;"];
        for (let d = rank - 1; d >= 0; d--) {
          body.push(`idx = idx + ((rest % u.od${d}) % u.id${d}) * u.st${d};`);
          if (d > 0) body.push(`rest = rest / u.od${d};`);
        }
        body.push("out[i] = in0[idx];");
        const w = wordType(out.dtype);
        const program = {
          op: "Tile",
          key: `tile|${rank}|${w}`,
          numInputs: 1,
          wgsl: () => `${bindings([w], w, u)}\n${linearMain(body.map((l) => `  ${l}`).join("\n"))}\n`,
        };
        b.dispatch(program, [x], y, u, b.grid(size));
        return y;
      }),
  };
}
