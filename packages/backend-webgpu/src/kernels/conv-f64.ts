/**
 * float64 convolutions: direct loops (one thread per output element) accumulating with the exact
 * soft-float add and multiply of wgsl-f64.ts. Each program holds one add and one multiply in its
 * loop, so it compiles quickly; float64 throughput on a GPU is not the goal, exact results are.
 */
import type { Conv2DAttrs, OutSpec, TensorInfo } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import type { GpuData } from "../data.js";
import { UniformBuilder } from "../uniforms.js";
import { HelperSet, bindings, linearMain, splitIndex } from "../wgsl.js";
import { windowTaps } from "./common.js";

export interface ConvGeometry {
  NB: number; H: number; W: number; Ci: number; OH: number; OW: number; Co: number; KH: number; KW: number;
}

const BODIES: Record<string, string> = {
  // y[n, oh, ow, co] = Σ x[n, oh·sh − pt + kh·dh, ow·sw − pl + kw·dw, ci] · f[kh, kw, ci, co]
  Conv2D: `${splitIndex(["co", "ow", "oh", "n"], ["Co", "OW", "OH"])}
  var acc = D_ZERO;
${windowTaps(true, `      for (var ci = 0u; ci < u.Ci; ci = ci + 1u) {
        acc = d_add(acc, d_mul(in0[((n * u.H + u32(ih)) * u.W + u32(iw)) * u.Ci + ci], in1[((kh * u.KW + kw) * u.Ci + ci) * u.Co + co]));
      }`)}
  out[i] = acc;`,
  // dx[n, h, w, ci] = Σ over windows containing (h, w) of dy[n, oh, ow, co] · f[kh, kw, ci, co]
  Conv2DBackpropInput: `${splitIndex(["ci", "w", "h", "n"], ["Ci", "W", "H"])}
  var acc = D_ZERO;
  for (var kh = 0u; kh < u.KH; kh = kh + 1u) {
    let ohs = i32(h) + u.padTop - i32(kh * u.dh);
    if (ohs < 0 || u32(ohs) % u.sh != 0u || u32(ohs) / u.sh >= u.OH) { continue; }
    let oh = u32(ohs) / u.sh;
    for (var kw = 0u; kw < u.KW; kw = kw + 1u) {
      let ows = i32(w) + u.padLeft - i32(kw * u.dw);
      if (ows < 0 || u32(ows) % u.sw != 0u || u32(ows) / u.sw >= u.OW) { continue; }
      let ow = u32(ows) / u.sw;
      for (var co = 0u; co < u.Co; co = co + 1u) {
        acc = d_add(acc, d_mul(in0[((n * u.OH + oh) * u.OW + ow) * u.Co + co], in1[((kh * u.KW + kw) * u.Ci + ci) * u.Co + co]));
      }
    }
  }
  out[i] = acc;`,
  // df[kh, kw, ci, co] = Σ x[n, oh·sh − pt + kh·dh, ow·sw − pl + kw·dw, ci] · dy[n, oh, ow, co]
  Conv2DBackpropFilter: `${splitIndex(["co", "ci", "kw", "kh"], ["Co", "Ci", "KW"])}
  var acc = D_ZERO;
  for (var n = 0u; n < u.NB; n = n + 1u) {
    for (var oh = 0u; oh < u.OH; oh = oh + 1u) {
      let ih = i32(oh * u.sh + kh * u.dh) - u.padTop;
      if (ih < 0 || ih >= i32(u.H)) { continue; }
      for (var ow = 0u; ow < u.OW; ow = ow + 1u) {
        let iw = i32(ow * u.sw + kw * u.dw) - u.padLeft;
        if (iw < 0 || iw >= i32(u.W)) { continue; }
        acc = d_add(acc, d_mul(in0[((n * u.H + u32(ih)) * u.W + u32(iw)) * u.Ci + ci], in1[((n * u.OH + oh) * u.OW + ow) * u.Co + co]));
      }
    }
  }
  out[i] = acc;`,
};

export function convF64(
  b: WebGPUBackend, op: string, inputs: readonly [TensorInfo, TensorInfo], out: OutSpec, g: ConvGeometry, a: Conv2DAttrs,
): GpuData {
  const x = b.input(inputs[0], op);
  const w = b.input(inputs[1], op);
  const y = b.output(out, op);
  const size = out.shape.reduce((p, c) => p * c, 1);
  if (size === 0) return y;
  const u = new UniformBuilder()
    .u32("size", size)
    .u32("NB", g.NB).u32("H", g.H).u32("W", g.W).u32("Ci", g.Ci)
    .u32("OH", g.OH).u32("OW", g.OW).u32("Co", g.Co).u32("KH", g.KH).u32("KW", g.KW)
    .u32("sh", a.strides[0]).u32("sw", a.strides[1]).u32("dh", a.dilations[0]).u32("dw", a.dilations[1])
    .i32("padTop", a.padTop).i32("padLeft", a.padLeft);
  const program = {
    op,
    key: `conv-f64|${op}`,
    numInputs: 2,
    wgsl: () => {
      const h = new HelperSet();
      h.use("d_add");
      h.use("d_mul");
      return `${bindings(["vec2<u32>", "vec2<u32>"], "vec2<u32>", u)}\n${h.code()}\n${linearMain(BODIES[op]!)}\n`;
    },
  };
  b.dispatch(program, [x, w], y, u, b.grid(size));
  return y;
}
