/**
 * Gather along the middle axis: x [outer, n, inner], int32 indices [m] → out [outer, m, inner].
 * An index outside [0, n) gives zeros (the GPU cannot raise; core documents this for webgpu).
 */
import type { Kernels } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import { UniformBuilder } from "../uniforms.js";
import { bindings, linearMain, splitIndex, wordType } from "../wgsl.js";
import { sizeOf } from "./common.js";

export function gatherKernels(b: WebGPUBackend): Partial<Kernels> {
  return {
    Gather: (inputs, _attrs, out) =>
      b.runOp("Gather", () => {
        const [xi, ii] = inputs;
        const x = b.input(xi, "Gather");
        const idx = b.input(ii, "Gather");
        const y = b.output(out, "Gather");
        const size = sizeOf(out.shape);
        if (size === 0) return y;
        const [, n, inner] = xi.shape as [number, number, number];
        const m = ii.shape.reduce((a, c) => a * c, 1);
        const u = new UniformBuilder().u32("size", size).u32("n", n).u32("m", m).u32("inner", inner);
        const w = wordType(out.dtype);
        const program = {
          op: "Gather",
          key: `gather|${w}`,
          numInputs: 2,
          wgsl: () => `${bindings([w, "i32"], w, u)}
${linearMain(`${splitIndex(["k", "j", "o"], ["inner", "m"])}
  let at = in1[j];
  if (at < 0 || u32(at) >= u.n) { out[i] = ${w}(0u); return; }
  out[i] = in0[(o * u.n + u32(at)) * u.inner + k];`)}
`,
        };
        b.dispatch(program, [x, idx], y, u, b.grid(size));
        return y;
      }),
  };
}
