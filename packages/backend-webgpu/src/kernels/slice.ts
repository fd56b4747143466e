/** Slice: out[c] = x[c + begin], a strided gather over raw words (any dtype). */
import type { Kernels } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import { UniformBuilder } from "../uniforms.js";
import { elementBytes, wordType } from "../wgsl.js";
import { strides } from "./common.js";
import { gatherKernel, gatherProgram, outputCoords } from "./word-gather.js";

export function sliceKernels(b: WebGPUBackend): Partial<Kernels> {
  return {
    Slice: (inputs, attrs, out) =>
      gatherKernel(b, "Slice", inputs[0], out, (x, y, size) => {
        const inShape = inputs[0].shape;
        const rank = inShape.length;
        const st = strides(inShape);
        const offset = attrs.begin.reduce((acc, bg, d) => acc + bg * st[d]!, 0);
        // A slice that is one contiguous run of the input is a buffer copy.
        let contiguous = true;
        for (let d = 1; d < rank; d++) {
          if (out.shape.slice(0, d).some((n) => n !== 1) && out.shape[d] !== inShape[d]) contiguous = false;
        }
        const eb = elementBytes(out.dtype);
        const w = wordType(out.dtype);
        if (contiguous) {
          b.recorder.copy(x.buffer!, offset * eb, y.buffer!, 0, size * eb);
          return;
        }
        const u = new UniformBuilder().u32("size", size).u32("offset", offset).u32s("od", out.shape).u32s("st", st);
        const body = ["var idx = u.offset;", ...outputCoords(rank, (d, c) => [`idx = idx + ${c} * u.st${d};`]), "out[i] = in0[idx];"];
        b.dispatch(gatherProgram("Slice", `slice|${rank}|${w}`, w, u, body), [x], y, u, b.grid(size));
      }),
  };
}
