/** Constant padding: each output element reads the input or is the constant (raw words; complex64 pads with value + 0i). */
import type { Kernels } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import { UniformBuilder } from "../uniforms.js";
import { wordType } from "../wgsl.js";
import { strides, valueBits } from "./common.js";
import { gatherKernel, gatherProgram, outputCoords } from "./word-gather.js";

export function padKernels(b: WebGPUBackend): Partial<Kernels> {
  return {
    Pad: (inputs, attrs, out) =>
      gatherKernel(b, "Pad", inputs[0], out, (x, y, size) => {
        const inShape = inputs[0].shape;
        const rank = inShape.length;
        const u = new UniformBuilder()
          .u32("size", size)
          .u32("value", valueBits(attrs.constantValue, out.dtype)[0])
          .u32("value2", valueBits(attrs.constantValue, out.dtype)[1])
          .u32s("od", out.shape)
          .u32s("id", inShape)
          .u32s("before", attrs.paddings.map((p) => p[0]))
          .u32s("st", strides(inShape));
        // Unsigned wrap-around makes "c < before" fail the "< id" test as well.
        const body = [
          "var idx = 0u;",
          "var inside = true;",
          ...outputCoords(rank, (d, c) => [`let c${d} = ${c} - u.before${d};`, `inside = inside && c${d} < u.id${d};`, `idx = idx + c${d} * u.st${d};`]),
        ];
        const w = wordType(out.dtype);
        const fill = w === "u32" ? "u.value" : "vec2<u32>(u.value, u.value2)";
        body.push(`if (inside) { out[i] = in0[idx]; } else { out[i] = ${fill}; }`);
        b.dispatch(gatherProgram("Pad", `pad|${rank}|${w}`, w, u, body), [x], y, u, b.grid(size));
      }),
  };
}
