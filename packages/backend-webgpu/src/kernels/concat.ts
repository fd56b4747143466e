/**
 * Concat in core's canonical form: pieces [outer, inner_i] → out [outer, Σ inner_i]. Pieces with
 * outer = 1 are buffer copies; otherwise one dispatch per piece writes its column block (raw words).
 */
import type { Kernels } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import type { Program } from "../program-cache.js";
import { UniformBuilder } from "../uniforms.js";
import { bindings, elementBytes, linearMain, wordType } from "../wgsl.js";

function pieceProgram(w: string, u: UniformBuilder): Program {
  return {
    op: "Concat",
    key: `concat-piece|${w}`,
    numInputs: 1,
    wgsl: () => `${bindings([w], w, u)}
${linearMain("  out[(i / u.inner) * u.total + u.offset + i % u.inner] = in0[i];")}
`,
  };
}

export function concatKernels(b: WebGPUBackend): Partial<Kernels> {
  return {
    Concat: (inputs, _attrs, out) =>
      b.runOp("Concat", () => {
        const pieces = inputs.map((t) => ({ data: b.input(t, "Concat"), outer: t.shape[0] ?? 1, inner: t.shape[1] ?? 1 }));
        const y = b.output(out, "Concat");
        const outer = out.shape[0] ?? 1;
        const total = out.shape[1] ?? 1;
        const eb = elementBytes(out.dtype);
        const w = wordType(out.dtype);
        let offset = 0;
        for (const p of pieces) {
          const size = outer * p.inner;
          if (size > 0) {
            if (outer === 1) {
              b.recorder.copy(p.data.buffer!, 0, y.buffer!, offset * eb, size * eb);
            } else {
              const u = new UniformBuilder().u32("size", size).u32("inner", p.inner).u32("total", total).u32("offset", offset);
              b.dispatch(pieceProgram(w, u), [p.data], y, u, b.grid(size));
            }
          }
          offset += p.inner;
        }
        return y;
      }),
  };
}
