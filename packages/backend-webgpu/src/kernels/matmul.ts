/**
 * BatchMatMul: a [Ba, M, K] (or [Ba, K, M] with transposeA) × b [Bb, K, N] (or [Bb, N, K]) →
 * [max(Ba, Bb), M, N]; a batch of 1 broadcasts. float32, int32 (wraps around) and complex64 (one
 * thread per output).
 *
 * Large products use the tiled GEMM (gemm.ts) with vec4 loads where the operand is contiguous and
 * 4-aligned; thin ones (M or N below 16, e.g. matrix × vector) use one thread per output, which
 * keeps every thread busy where a 64×64 tile would mostly idle.
 */
import type { Kernels } from "@tessera/core/kernel";
import { kernelDtypeError } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import type { Program } from "../program-cache.js";
import { UniformBuilder } from "../uniforms.js";
import { HelperSet, bindings, linearMain, splitIndex, storageType } from "../wgsl.js";
import { runGemm } from "./gemm.js";
import type { GemmSpec } from "./gemm.js";

function simpleProgram(t: "f32" | "i32" | "vec2<f32>" | "vec2<u32>", transA: boolean, transB: boolean, u: UniformBuilder): Program {
  const zero = t === "f32" ? "0.0" : t === "i32" ? "0" : t === "vec2<f32>" ? "vec2<f32>(0.0)" : "D_ZERO";
  const h = new HelperSet();
  if (t === "vec2<f32>") h.use("c_mul");
  if (t === "vec2<u32>") {
    h.use("d_add");
    h.use("d_mul");
  }
  const mul = (x: string, y: string): string => (t === "vec2<f32>" ? `c_mul(${x}, ${y})` : t === "vec2<u32>" ? `d_mul(${x}, ${y})` : `${x} * ${y}`);
  const add = (x: string, y: string): string => (t === "vec2<u32>" ? `d_add(${x}, ${y})` : `${x} + ${y}`);
  const aIdx = transA ? "aBase + k * u.M + row" : "aBase + row * u.K + k";
  const bIdx = transB ? "bBase + col * u.K + k" : "bBase + k * u.N + col";
  return {
    op: "BatchMatMul",
    key: `matmul-simple|${t}|${transA}|${transB}`,
    numInputs: 2,
    wgsl: () => `${bindings([t, t], t, u)}
${h.code()}
${linearMain(`${splitIndex(["col", "row", "batch"], ["N", "M"])}
  let aBase = select(batch, 0u, u.Ba == 1u) * u.M * u.K;
  let bBase = select(batch, 0u, u.Bb == 1u) * u.K * u.N;
  var acc: ${t} = ${zero};
  for (var k = 0u; k < u.K; k = k + 1u) { acc = ${add("acc", mul(`in0[${aIdx}]`, `in1[${bIdx}]`))}; }
  out[i] = acc;`)}
`,
  };
}

export function matmulKernels(b: WebGPUBackend): Partial<Kernels> {
  return {
    BatchMatMul: (inputs, attrs, out) =>
      b.runOp("BatchMatMul", () => {
        const op = "BatchMatMul";
        const [ai, bi] = inputs;
        if (out.dtype === "bool" || out.dtype === "string") {
          throw kernelDtypeError(op, out.dtype, "webgpu");
        }
        const t = storageType(out.dtype, op) as "f32" | "i32" | "vec2<f32>" | "vec2<u32>";
        const { transposeA: tA, transposeB: tB } = attrs;
        const a = b.input(ai, op);
        const bb = b.input(bi, op);
        const y = b.output(out, op);
        const [batch, M, N] = out.shape as [number, number, number];
        const Ba = ai.shape[0]!;
        const Bb = bi.shape[0]!;
        const K = tA ? ai.shape[1]! : ai.shape[2]!;
        if (batch * M * N === 0) return y;
        if (K === 0) {
          b.recorder.clear(y.buffer!, 0, y.byteLength);
          return y;
        }
        const u = new UniformBuilder().u32("M", M).u32("N", N).u32("K", K).u32("Ba", Ba).u32("Bb", Bb);
        const maxZ = b.gpu.limits.maxComputeWorkgroupsPerDimension;
        // complex64 and float64 (soft-float) products use the one-thread-per-output kernel.
        if (M < 16 || N < 16 || batch > maxZ || t === "vec2<f32>" || t === "vec2<u32>") {
          u.u32("size", batch * M * N);
          b.dispatch(simpleProgram(t, tA, tB, u), [a, bb], y, u, b.grid(batch * M * N));
          return y;
        }
        const aVec = !tA && K % 4 === 0;
        const bVec = !tB && N % 4 === 0;
        const V = `vec4<${t}>`;
        const aBase = "select(batch, 0u, u.Ba == 1u) * u.M * u.K";
        const bBase = "select(batch, 0u, u.Bb == 1u) * u.K * u.N";
        const spec: GemmSpec = {
          op,
          key: `matmul|${t}|${tA}|${tB}|${aVec}|${bVec}`,
          type: t as "f32" | "i32",
          inputTypes: [aVec ? V : t, bVec ? V : t],
          loadA4: aVec ? (bt, r, k) => `in0[(${aBase.replace("batch", bt)} + ${r} * u.K + ${k}) / 4u]` : undefined,
          loadA: aVec ? undefined : (bt, r, k) => `in0[${aBase.replace("batch", bt)} + ${tA ? `${k} * u.M + ${r}` : `${r} * u.K + ${k}`}]`,
          aContiguousK: !tA,
          loadB4: bVec ? (bt, k, c) => `in1[(${bBase.replace("batch", bt)} + ${k} * u.N + ${c}) / 4u]` : undefined,
          loadB: bVec ? undefined : (bt, k, c) => `in1[${bBase.replace("batch", bt)} + ${tB ? `${c} * u.K + ${k}` : `${k} * u.N + ${c}`}]`,
          bContiguousN: !tB,
          uniforms: u,
        };
        runGemm(b, spec, [a, bb], y, M, N, K, batch);
        return y;
      }),
  };
}
