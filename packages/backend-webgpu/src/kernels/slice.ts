/** Slice: out[c] = x[c + begin], a strided gather over raw words (any dtype). */
import type { Kernels } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import { UniformBuilder } from "../uniforms.js";
import { bindings, elementBytes, linearMain, wordType } from "../wgsl.js";
import { sizeOf, strides } from "./common.js";

export function sliceKernels(b: WebGPUBackend): Partial<Kernels> {
  return {
    Slice: (inputs, attrs, out) =>
      b.runOp("Slice", () => {
        const x = b.input(inputs[0], "Slice");
        const y = b.output(out, "Slice");
        const size = sizeOf(out.shape);
        if (size === 0) return y;
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
          return y;
        }
        const u = new UniformBuilder().u32("size", size).u32("offset", offset).u32s("od", out.shape).u32s("st", st);
        const body: string[] = ["var rest = i;", "var idx = u.offset;"];
        for (let d = rank - 1; d >= 0; d--) {
          body.push(`idx = idx + (rest % u.od${d}) * u.st${d};`);
          if (d > 0) body.push(`rest = rest / u.od${d};`);
        }
        body.push("out[i] = in0[idx];");
        const program = {
          op: "Slice",
          key: `slice|${rank}|${w}`,
          numInputs: 1,
          wgsl: () => `${bindings([w], w, u)}\n${linearMain(body.map((l) => `  ${l}`).join("\n"))}\n`,
        };
        b.dispatch(program, [x], y, u, b.grid(size));
        return y;
      }),
  };
}
