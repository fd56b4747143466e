/**
 * 2-D pooling (NHWC) and its gradients, one thread per output element. Padding never wins the max
 * and is not counted by the average (as TensorFlow). NaN counts as the maximum. The gradients are
 * gathers, not scatters: each input element sums the windows that contain it, so no atomics are
 * needed and results are deterministic; MaxPoolGrad re-finds each window's first maximum.
 */
import type { Kernels, OutSpec, Pool2DAttrs, TensorInfo } from "@tessera/core/kernel";
import { kernelDtypeError } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import type { Program } from "../program-cache.js";
import { UniformBuilder } from "../uniforms.js";
import { HelperSet, bindings, linearMain, splitIndex } from "../wgsl.js";
import { windowTaps } from "./common.js";

function poolUniforms(size: number, x: readonly number[], o: readonly number[], a: Pool2DAttrs): UniformBuilder {
  return new UniformBuilder()
    .u32("size", size)
    .u32("H", x[1]!).u32("W", x[2]!).u32("C", x[3]!)
    .u32("OH", o[1]!).u32("OW", o[2]!)
    .u32("KH", a.ksize[0]).u32("KW", a.ksize[1]).u32("sh", a.strides[0]).u32("sw", a.strides[1])
    .i32("padTop", a.padTop).i32("padLeft", a.padLeft);
}

/** The arithmetic a pooling program is written in: float32 natively, float64 in exact soft-float. */
interface PoolOps {
  readonly t: string;
  readonly zero: string;
  readonly negInf: string;
  add(a: string, b: string): string;
  /** a / n for an integer count n (u32). */
  divCount(a: string, n: string): string;
  lt(a: string, b: string): string;
  isnan(a: string): string;
  helpers(h: HelperSet): void;
}

const F32_OPS: PoolOps = {
  t: "f32", zero: "0.0", negInf: "-f_inf()",
  add: (a, b) => `${a} + ${b}`, divCount: (a, n) => `${a} / f32(${n})`, lt: (a, b) => `${a} < ${b}`, isnan: (a) => `f_isnan(${a})`,
  helpers: (h) => h.use("f_special"),
};
const F64_OPS: PoolOps = {
  t: "vec2<u32>", zero: "D_ZERO", negInf: "d_inf(1u)",
  add: (a, b) => `d_add(${a}, ${b})`, divCount: (a, n) => `d_div(${a}, d_from_i32(i32(${n})))`, lt: (a, b) => `d_lt(${a}, ${b})`, isnan: (a) => `d_isnan(${a})`,
  helpers: (h) => ["d_add", "d_div", "d_cmp", "d_cast"].forEach((n) => h.use(n)),
};

/** The first maximum of window (oh, ow): its value and flat (ih·W + iw) position, or at = −1. */
function windowMax(o: PoolOps): string {
  return `struct WinMax { v: ${o.t}, at: i32 }
fn windowMax(n: u32, oh: u32, ow: u32, c: u32) -> WinMax {
  var best = ${o.negInf};
  var at = -1;
${windowTaps(false, `      let v = in0[((n * u.H + u32(ih)) * u.W + u32(iw)) * u.C + c];
      if (at < 0 || (${o.isnan("v")} && !${o.isnan("best")}) || ${o.lt("best", "v")}) { best = v; at = ih * i32(u.W) + iw; }`)}
  return WinMax(best, at);
}`;
}

/** Decomposes the output index i into n, oh, ow, c. */
const OUT_COORDS = splitIndex(["c", "ow", "oh", "n"], ["C", "OW", "OH"]);

/** Decomposes the input index i into n, h, w, c and finds the windows containing (h, w). */
const IN_COORDS = `${splitIndex(["c", "w", "h", "n"], ["C", "W", "H"])}
  let hp = i32(h) + u.padTop;
  let wp = i32(w) + u.padLeft;
  let ohFirst = u32(max(0, (hp - i32(u.KH) + i32(u.sh)) / i32(u.sh)));
  let ohLast = min(u32(hp / i32(u.sh)), u.OH - 1u);
  let owFirst = u32(max(0, (wp - i32(u.KW) + i32(u.sw)) / i32(u.sw)));
  let owLast = min(u32(wp / i32(u.sw)), u.OW - 1u);`;

function program(op: string, o: PoolOps, body: string, numInputs: number, u: UniformBuilder, extra = ""): Program {
  return {
    op,
    key: `pool|${op}|${o.t}`,
    numInputs,
    wgsl: () => {
      const h = new HelperSet();
      o.helpers(h);
      return `${bindings(Array<string>(numInputs).fill(o.t), o.t, u)}
${h.code()}
${extra}
${linearMain(body)}
`;
    },
  };
}

/** The arithmetic for `out`'s dtype (float32 or float64), after checking every dtype. */
function opsFor(op: string, out: OutSpec, inputs: readonly TensorInfo[]): PoolOps {
  if ((out.dtype !== "float32" && out.dtype !== "float64") || inputs.some((t) => t.dtype !== out.dtype)) {
    throw kernelDtypeError(op, out.dtype, "webgpu");
  }
  return out.dtype === "float64" ? F64_OPS : F32_OPS;
}

/**
 * Runs the pooling kernel `op`: checks dtypes, reads `inputs`, and for a non-empty output dispatches
 * one thread per element of `out` running `body` (WGSL, after `extra`) over the uniforms of input
 * shape `xShape` and pooled shape `pooledShape`.
 */
function runPool(
  b: WebGPUBackend,
  op: string,
  inputs: readonly TensorInfo[],
  out: OutSpec,
  attrs: Pool2DAttrs,
  xShape: readonly number[],
  pooledShape: readonly number[],
  wgsl: (o: PoolOps) => { body: string; extra?: string },
) {
  return b.runOp(op, () => {
    const o = opsFor(op, out, inputs);
    const size = out.shape.reduce((a, c) => a * c, 1);
    const xs = inputs.map((t) => b.input(t, op));
    const y = b.output(out, op);
    if (size === 0) return y;
    const u = poolUniforms(size, xShape, pooledShape, attrs);
    const { body, extra } = wgsl(o);
    b.dispatch(program(op, o, body, inputs.length, u, extra), xs, y, u, b.grid(size));
    return y;
  });
}

export function poolKernels(b: WebGPUBackend): Partial<Kernels> {
  return {
    MaxPool: (inputs, attrs, out) =>
      runPool(b, "MaxPool", inputs, out, attrs, inputs[0].shape, out.shape, (o) => ({
        body: `${OUT_COORDS}
  out[i] = windowMax(n, oh, ow, c).v;`,
        extra: windowMax(o),
      })),
    AvgPool: (inputs, attrs, out) =>
      runPool(b, "AvgPool", inputs, out, attrs, inputs[0].shape, out.shape, (o) => ({
        body: `${OUT_COORDS}
  var sum = ${o.zero};
  var cnt = 0u;
${windowTaps(false, `      sum = ${o.add("sum", "in0[((n * u.H + u32(ih)) * u.W + u32(iw)) * u.C + c]")};
      cnt = cnt + 1u;`)}
  if (cnt == 0u) { out[i] = ${o.zero}; } else { out[i] = ${o.divCount("sum", "cnt")}; }`,
      })),
    MaxPoolGrad: (inputs, attrs, out) =>
      runPool(b, "MaxPoolGrad", inputs, out, attrs, inputs[0].shape, inputs[1].shape, (o) => ({
        body: `${IN_COORDS}
  let me = i32(h * u.W + w);
  var g = ${o.zero};
  if (u.OH > 0u && u.OW > 0u) {
    for (var oh = ohFirst; oh <= ohLast; oh = oh + 1u) {
      for (var ow = owFirst; ow <= owLast; ow = ow + 1u) {
        if (windowMax(n, oh, ow, c).at == me) { g = ${o.add("g", "in1[((n * u.OH + oh) * u.OW + ow) * u.C + c]")}; }
      }
    }
  }
  out[i] = g;`,
        extra: windowMax(o),
      })),
    AvgPoolGrad: (inputs, attrs, out) =>
      runPool(b, "AvgPoolGrad", inputs, out, attrs, out.shape, inputs[0].shape, (o) => ({
        body: `${IN_COORDS}
  var g = ${o.zero};
  if (u.OH > 0u && u.OW > 0u) {
    for (var oh = ohFirst; oh <= ohLast; oh = oh + 1u) {
      let h0 = i32(oh * u.sh) - u.padTop;
      let rows = min(h0 + i32(u.KH), i32(u.H)) - max(h0, 0);
      for (var ow = owFirst; ow <= owLast; ow = ow + 1u) {
        let w0 = i32(ow * u.sw) - u.padLeft;
        let cols = min(w0 + i32(u.KW), i32(u.W)) - max(w0, 0);
        g = ${o.add("g", o.divCount("in0[((n * u.OH + oh) * u.OW + ow) * u.C + c]", "u32(rows * cols)"))};
      }
    }
  }
  out[i] = g;`,
      })),
  };
}
