/** Constant padding: each output element reads the input or is the constant (raw words; complex64 pads with value + 0i). */
import type { Kernels } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import { UniformBuilder } from "../uniforms.js";
import { bindings, linearMain, wordType } from "../wgsl.js";
import { sizeOf, strides, valueBits } from "./common.js";

export function padKernels(b: WebGPUBackend): Partial<Kernels> {
  return {
    Pad: (inputs, attrs, out) =>
      b.runOp("Pad", () => {
        const x = b.input(inputs[0], "Pad");
        const y = b.output(out, "Pad");
        const size = sizeOf(out.shape);
        if (size === 0) return y;
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
        const body: string[] = ["var rest = i;", "var idx = 0u;", "var inside = true;"];
        for (let d = rank - 1; d >= 0; d--) {
          body.push(`let c${d} = rest % u.od${d} - u.before${d};`);
          body.push(`inside = inside && c${d} < u.id${d};`);
          body.push(`idx = idx + c${d} * u.st${d};`);
          if (d > 0) body.push(`rest = rest / u.od${d};`);
        }
        const w = wordType(out.dtype);
        const fill = w === "u32" ? "u.value" : "vec2<u32>(u.value, u.value2)";
        body.push(`if (inside) { out[i] = in0[idx]; } else { out[i] = ${fill}; }`);
        const program = {
          op: "Pad",
          key: `pad|${rank}|${w}`,
          numInputs: 1,
          wgsl: () => `${bindings([w], w, u)}\n${linearMain(body.map((l) => `  ${l}`).join("\n"))}\n`,
        };
        b.dispatch(program, [x], y, u, b.grid(size));
        return y;
      }),
  };
}
