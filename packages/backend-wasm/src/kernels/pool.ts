/** MaxPool, AvgPool and their gradients, NHWC (assembly/pool.ts). */
import { sizeFromShape } from "@tessera/core/kernel";
import type { DType, Kernels, Pool2DAttrs } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";
import { dtypeCode } from "../codes.js";
import { WINDOW_PARALLEL } from "./thresholds.js";

/** Writes slots 0..14: dtype, x, out, N, H, W, C, OH, OW, KH, KW, sh, sw, pt, pl. */
function writeParams(b: WasmBackend, dtype: DType, x: number, out: number, input: readonly number[],
  output: readonly number[], a: Pool2DAttrs): void {
  const [N, H, W, C] = input as [number, number, number, number];
  const [, OH, OW] = output as [number, number, number, number];
  b.setInts(0, [dtypeCode(dtype), x, out, N, H, W, C, OH, OW, a.ksize[0], a.ksize[1], a.strides[0], a.strides[1], a.padTop, a.padLeft]);
}

function checkFloat(b: WasmBackend, name: string, dtype: DType): void {
  if (dtype !== "float32" && dtype !== "float64") b.unsupported(name, dtype);
}

export function poolKernels(b: WasmBackend): Pick<Kernels, "MaxPool" | "AvgPool" | "MaxPoolGrad" | "AvgPoolGrad"> {
  const pool = (name: string, isMax: boolean): Kernels["MaxPool"] => ([x], attrs, spec) => {
    checkFloat(b, name, x.dtype);
    const o = b.output(spec);
    if (sizeFromShape(spec.shape) === 0) return o;
    writeParams(b, x.dtype, b.ptr(x), o.ptr, x.shape, spec.shape, attrs);
    b.setInt(16, isMax ? 1 : 0);
    const [N, OH] = spec.shape as [number, number];
    const work = sizeFromShape(spec.shape) * attrs.ksize[0] * attrs.ksize[1];
    b.run("pool_run", N * OH, { work, threshold: WINDOW_PARALLEL });
    return o;
  };
  return {
    MaxPool: pool("MaxPool", true),
    AvgPool: pool("AvgPool", false),
    MaxPoolGrad: ([x, dy], attrs, spec) => {
      checkFloat(b, "MaxPoolGrad", x.dtype);
      const o = b.output(spec);
      if (sizeFromShape(spec.shape) === 0) return o;
      writeParams(b, x.dtype, b.ptr(x), o.ptr, x.shape, dy.shape, attrs);
      b.setInt(15, b.ptr(dy));
      const work = sizeFromShape(dy.shape) * attrs.ksize[0] * attrs.ksize[1];
      b.run("maxpool_grad_run", x.shape[0]!, { work, threshold: WINDOW_PARALLEL });
      return o;
    },
    AvgPoolGrad: ([dy], attrs, spec) => {
      checkFloat(b, "AvgPoolGrad", dy.dtype);
      const o = b.output(spec);
      if (sizeFromShape(spec.shape) === 0) return o;
      writeParams(b, dy.dtype, b.ptr(dy), o.ptr, spec.shape, dy.shape, attrs);
      const [N, H] = spec.shape as [number, number];
      const work = sizeFromShape(spec.shape) * attrs.ksize[0] * attrs.ksize[1];
      b.run("avgpool_grad_run", N * H, { work, threshold: WINDOW_PARALLEL });
      return o;
    },
  };
}
