/**
 * 2-D convolution (NHWC input, HWIO filter) and its two gradients, each as an implicit GEMM on the
 * tiled GEMM of gemm.ts: no im2col buffer is built; the A-operand fetch computes the window
 * position (and returns 0 for padding) on the fly.
 *
 *   Conv2D:               [N·OH·OW, KH·KW·Ci] × filter [KH·KW·Ci, Co]        → y  [N·OH·OW, Co]
 *   Conv2DBackpropInput:  dy windows [N·H·W, KH·KW·Co] × filterᵀ [KH·KW·Co, Ci] → dx [N·H·W, Ci]
 *   Conv2DBackpropFilter: x windows [KH·KW·Ci, N·OH·OW] × dy [N·OH·OW, Co]    → df [KH·KW·Ci, Co]
 */
import type { Conv2DAttrs, Kernels, OutSpec, TensorInfo } from "@tessera/core/kernel";
import { kernelDtypeError } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import { UniformBuilder } from "../uniforms.js";
import { splitIndex } from "../wgsl.js";
import { convF64 } from "./conv-f64.js";
import { runGemm } from "./gemm.js";
import type { GemmSpec } from "./gemm.js";

interface Geometry {
  NB: number; H: number; W: number; Ci: number; OH: number; OW: number; Co: number; KH: number; KW: number;
}

function convUniforms(g: Geometry, a: Conv2DAttrs, M: number, N: number, K: number): UniformBuilder {
  return new UniformBuilder()
    .u32("M", M).u32("N", N).u32("K", K)
    .u32("NB", g.NB).u32("H", g.H).u32("W", g.W).u32("Ci", g.Ci)
    .u32("OH", g.OH).u32("OW", g.OW).u32("Co", g.Co).u32("KH", g.KH).u32("KW", g.KW)
    .u32("sh", a.strides[0]).u32("sw", a.strides[1]).u32("dh", a.dilations[0]).u32("dw", a.dilations[1])
    .i32("padTop", a.padTop).i32("padLeft", a.padLeft);
}

/** x[n, oh·sh − padTop + kh·dh, ow·sw − padLeft + kw·dw, ci], 0 in the padding. */
const LOAD_WINDOW = `fn loadWindow(n: u32, oh: u32, ow: u32, kh: u32, kw: u32, ci: u32) -> f32 {
  let ih = i32(oh * u.sh + kh * u.dh) - u.padTop;
  let iw = i32(ow * u.sw + kw * u.dw) - u.padLeft;
  if (ih < 0 || iw < 0 || ih >= i32(u.H) || iw >= i32(u.W)) { return 0.0; }
  return in0[((n * u.H + u32(ih)) * u.W + u32(iw)) * u.Ci + ci];
}`;

function checkFloat(op: string, out: OutSpec): void {
  if (out.dtype !== "float32") throw kernelDtypeError(op, out.dtype, "webgpu");
}

export function convKernels(b: WebGPUBackend): Partial<Kernels> {
  const run = (op: string, inputs: readonly [TensorInfo, TensorInfo], out: OutSpec, g: Geometry, attrs: Conv2DAttrs) => {
    if (out.dtype === "float64") return convF64(b, op, inputs, out, g, attrs);
    checkFloat(op, out);
    const x = b.input(inputs[0], op);
    const w = b.input(inputs[1], op);
    const y = b.output(out, op);
    const size = out.shape.reduce((p, c) => p * c, 1);
    if (size === 0) return y;
    let M: number, N: number, K: number;
    if (op === "Conv2D") [M, N, K] = [g.NB * g.OH * g.OW, g.Co, g.KH * g.KW * g.Ci];
    else if (op === "Conv2DBackpropInput") [M, N, K] = [g.NB * g.H * g.W, g.Ci, g.KH * g.KW * g.Co];
    else [M, N, K] = [g.KH * g.KW * g.Ci, g.Co, g.NB * g.OH * g.OW];
    if (K === 0) {
      b.recorder.clear(y.buffer!, 0, size * 4);
      return y;
    }
    const u = convUniforms(g, attrs, M, N, K);
    const vecB = g.Co % 4 === 0 && op !== "Conv2DBackpropInput";
    const common = { op, type: "f32" as const, uniforms: u, inputTypes: ["f32", vecB ? "vec4<f32>" : "f32"] as [string, string] };
    // B read straight from the filter [KH·KW·Ci, Co] (Conv2D) or dy [N·OH·OW, Co] (the filter gradient).
    const filterB: Pick<GemmSpec, "loadB4" | "loadB" | "bContiguousN"> = {
      loadB4: vecB ? (_bt, k, c) => `in1[(${k} * u.Co + ${c}) / 4u]` : undefined,
      loadB: vecB ? undefined : (_bt, k, c) => `in1[${k} * u.Co + ${c}]`,
      bContiguousN: true,
    };
    let program: GemmSpec;
    if (op === "Conv2D") {
      program = gemmSpec({
        ...common,
        key: `conv2d|${vecB}`,
        preamble: windowLoadA("k", "r"),
        loadA: (_bt, r, k) => `loadA(${r}, ${k})`,
        aContiguousK: true,
        ...filterB,
      });
    } else if (op === "Conv2DBackpropInput") {
      program = gemmSpec({
        ...common,
        key: "conv2d-dx",
        preamble: `fn loadA(r: u32, k: u32) -> f32 {
${splitIndex(["co", "kw", "kh"], ["Co", "KW"], "k")}
${splitIndex(["w", "h", "n"], ["W", "H"], "r")}
  let ohs = i32(h) + u.padTop - i32(kh * u.dh);
  let ows = i32(w) + u.padLeft - i32(kw * u.dw);
  if (ohs < 0 || ows < 0) { return 0.0; }
  if (u32(ohs) % u.sh != 0u || u32(ows) % u.sw != 0u) { return 0.0; }
  let oh = u32(ohs) / u.sh;
  let ow = u32(ows) / u.sw;
  if (oh >= u.OH || ow >= u.OW) { return 0.0; }
  return in0[((n * u.OH + oh) * u.OW + ow) * u.Co + co];
}
fn loadB(k: u32, ci: u32) -> f32 {
  let co = k % u.Co;
  let khw = k / u.Co;
  return in1[(khw * u.Ci + ci) * u.Co + co];
}`,
        loadA: (_bt, r, k) => `loadA(${r}, ${k})`,
        aContiguousK: true,
        loadB: (_bt, k, c) => `loadB(${k}, ${c})`,
        bContiguousN: false,
      });
    } else {
      program = gemmSpec({
        ...common,
        key: `conv2d-dw|${vecB}`,
        preamble: windowLoadA("r", "k"),
        loadA: (_bt, r, k) => `loadA(${r}, ${k})`,
        aContiguousK: false,
        ...filterB,
      });
    }
    runGemm(b, program, [x, w], y, M, N, K, 1);
    return y;
  };

  return {
    Conv2D: (inputs, attrs, out) =>
      b.runOp("Conv2D", () => {
        const [NB, H, W, Ci] = inputs[0].shape as [number, number, number, number];
        const [KH, KW, , Co] = inputs[1].shape as [number, number, number, number];
        const [, OH, OW] = out.shape as [number, number, number, number];
        return run("Conv2D", inputs, out, { NB, H, W, Ci, OH, OW, Co, KH, KW }, attrs);
      }),
    Conv2DBackpropInput: (inputs, attrs, out) =>
      b.runOp("Conv2DBackpropInput", () => {
        const [NB, OH, OW, Co] = inputs[0].shape as [number, number, number, number];
        const [KH, KW, Ci] = inputs[1].shape as [number, number, number, number];
        const [, H, W] = out.shape as [number, number, number, number];
        return run("Conv2DBackpropInput", inputs, out, { NB, H, W, Ci, OH, OW, Co, KH, KW }, attrs);
      }),
    Conv2DBackpropFilter: (inputs, attrs, out) =>
      b.runOp("Conv2DBackpropFilter", () => {
        const [NB, H, W, Ci] = inputs[0].shape as [number, number, number, number];
        const [, OH, OW, Co] = inputs[1].shape as [number, number, number, number];
        const [KH, KW] = out.shape as [number, number, number, number];
        return run("Conv2DBackpropFilter", inputs, out, { NB, H, W, Ci, OH, OW, Co, KH, KW }, attrs);
      }),
  };
}

/**
 * The A loader (`loadA(r, k)`) of Conv2D and of its filter gradient: element (tap, pixel) of the
 * input windows, with the tap (kh, kw, ci) decoded from index `tap` and the output pixel (n, oh, ow)
 * from index `pixel` (Conv2D: pixels along r, taps along k; the filter gradient the other way round).
 */
function windowLoadA(tap: "r" | "k", pixel: "r" | "k"): string {
  return `${LOAD_WINDOW}
fn loadA(r: u32, k: u32) -> f32 {
${splitIndex(["ci", "kw", "kh"], ["Ci", "KW"], tap)}
${splitIndex(["ow", "oh", "n"], ["OW", "OH"], pixel)}
  return loadWindow(n, oh, ow, kh, kw, ci);
}`;
}

/** Identity helper that types an object literal as a GEMM spec. */
function gemmSpec(s: GemmSpec): GemmSpec {
  return s;
}
