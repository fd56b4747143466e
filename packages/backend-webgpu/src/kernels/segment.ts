/**
 * UnsortedSegmentSum (the gradient of Gather): x [outer, m, inner], int32 indices [m] →
 * out [outer, numSegments, inner], out[o, indices[j], k] += x[o, j, k]; out-of-range indices dropped.
 *
 * Small problems use one thread per output element that scans the indices: deterministic, and no
 * atomics. Large ones (embedding gradients: many segments × many indices) zero the output and
 * scatter with atomics — atomicAdd for int32, a compare-exchange loop on the bits for float32
 * (summation order then varies between runs, within float32 rounding).
 */
import type { Kernels } from "@tessera/core/kernel";
import { kernelDtypeError } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import { UniformBuilder } from "../uniforms.js";
import { HelperSet, bindings, linearMain, splitIndex, storageType } from "../wgsl.js";
import { sizeOf } from "./common.js";

/** Above this many (output element × index) pairs the scatter path is used. */
const SCAN_LIMIT = 1 << 24;

export function segmentKernels(b: WebGPUBackend): Partial<Kernels> {
  return {
    UnsortedSegmentSum: (inputs, attrs, out) =>
      b.runOp("UnsortedSegmentSum", () => {
        const op = "UnsortedSegmentSum";
        const [xi, ii] = inputs;
        const t = storageType(out.dtype, op);
        if (t === "u32" || t === "vec2<f32>") throw kernelDtypeError(op, out.dtype, "webgpu");
        const f64 = t === "vec2<u32>";
        const x = b.input(xi, op);
        const idx = b.input(ii, op);
        const y = b.output(out, op);
        const size = sizeOf(out.shape);
        if (size === 0) return y;
        const [, m, inner] = xi.shape as [number, number, number];
        const segs = attrs.numSegments;
        const zero = t === "f32" ? "0.0" : t === "i32" ? "0" : "D_ZERO";
        const xSize = sizeOf(xi.shape);
        // float64 has no atomics: it always scans (exactly, with the soft-float add).
        if (size * m <= SCAN_LIMIT || xSize === 0 || f64) {
          const h = new HelperSet();
          if (f64) h.use("d_add");
          const add = (a: string, v: string): string => (f64 ? `d_add(${a}, ${v})` : `${a} + ${v}`);
          const u = new UniformBuilder().u32("size", size).u32("m", m).u32("segs", segs).u32("inner", inner);
          const program = {
            op,
            key: `segsum-scan|${t}`,
            numInputs: 2,
            wgsl: () => `${bindings([t, "i32"], t, u)}
${h.code()}
${linearMain(`  let k = i % u.inner;
  let s = i32((i / u.inner) % u.segs);
  let o = i / (u.inner * u.segs);
  var acc: ${t} = ${zero};
  for (var j = 0u; j < u.m; j = j + 1u) {
    if (in1[j] == s) { acc = ${add("acc", "in0[(o * u.m + j) * u.inner + k]")}; }
  }
  out[i] = acc;`)}
`,
          };
          b.dispatch(program, [x, idx], y, u, b.grid(size));
          return y;
        }
        b.recorder.clear(y.buffer!, 0, size * 4);
        const u = new UniformBuilder().u32("size", xSize).u32("m", m).u32("segs", segs).u32("inner", inner);
        const add =
          t === "i32"
            ? "atomicAdd(&out[at], in0[i]);"
            : `var old = atomicLoad(&out[at]);
  loop {
    let r = atomicCompareExchangeWeak(&out[at], old, bitcast<u32>(bitcast<f32>(old) + in0[i]));
    if (r.exchanged) { break; }
    old = r.old_value;
  }`;
        const program = {
          op,
          key: `segsum-scatter|${t}`,
          numInputs: 2,
          wgsl: () => `${bindings([t, "i32"], t === "i32" ? "atomic<i32>" : "atomic<u32>", u)}
${linearMain(`${splitIndex(["k", "j", "o"], ["inner", "m"])}
  let s = in1[j];
  if (s < 0 || u32(s) >= u.segs) { return; }
  let at = (o * u.segs + u32(s)) * u.inner + k;
  ${add}`)}
`,
        };
        b.dispatch(program, [x, idx], y, u, b.grid(xSize));
        return y;
      }),
  };
}
