/**
 * The elementwise kernels (unary, binary, Cast, Where, Fill) as nodes of fused expressions; see
 * fusion.ts for how they are combined and unary.ts / binary.ts for the WGSL of each op.
 */
import type { BinaryKernelName, DataId, Kernels, TensorInfo, UnaryKernelName } from "@tessera/core/kernel";
import { BINARY_KERNELS, DtypeError, UNARY_KERNELS } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import { GpuData } from "../data.js";
import type { Const } from "../fusion.js";
import { HelperSet } from "../wgsl.js";
import { binaryExpr } from "./binary.js";
import { unaryExpr } from "./unary.js";

export function elementwiseKernels(b: WebGPUBackend): Partial<Kernels> {
  const k: Partial<Record<string, unknown>> = {};
  for (const op of UNARY_KERNELS) {
    k[op] = (inputs: readonly [TensorInfo], _attrs: unknown, out: { shape: readonly number[]; dtype: import("@tessera/core/kernel").DType }): DataId =>
      b.runOp(op, () => {
        // Fused nodes generate their WGSL later: check the dtype now, so the error names this op.
        unaryExpr(op, inputs[0].dtype, "x", new HelperSet());
        return b.elementwise(op, inputs, out, ([x]) => ({ k: "unary", op: op as UnaryKernelName, dtype: inputs[0].dtype, x: x! }));
      });
  }
  for (const op of BINARY_KERNELS) {
    k[op] = (inputs: readonly [TensorInfo, TensorInfo], _attrs: unknown, out: { shape: readonly number[]; dtype: import("@tessera/core/kernel").DType }): DataId =>
      b.runOp(op, () => {
        if (inputs[0].dtype !== "string") binaryExpr(op, inputs[0].dtype, "a", "b", new HelperSet());
        return b.elementwise(op, inputs, out, ([x, y]) => ({ k: "binary", op: op as BinaryKernelName, dtype: inputs[0].dtype, a: x!, b: y! }));
      });
  }
  const kernels = k as Partial<Kernels>;
  kernels.Cast = (inputs, _attrs, out) =>
    b.runOp("Cast", () => b.elementwise("Cast", inputs, out, ([x]) => ({ k: "cast", from: inputs[0].dtype, to: out.dtype, x: x! })));
  kernels.Where = (inputs, _attrs, out) =>
    b.runOp("Where", () => b.elementwise("Where", inputs, out, ([c, x, y]) => ({ k: "where", dtype: out.dtype, c: c!, a: x!, b: y! })));
  kernels.Fill = (_inputs, attrs, out) =>
    b.runOp("Fill", () => {
      const value = attrs.value;
      if (out.dtype === "string") {
        if (typeof value !== "string") throw new DtypeError(`Fill of a string tensor needs a string value, got ${String(value)} [Op:Fill]`);
        return b.write(new Array<string>(out.shape.reduce((a, c) => a * c, 1)).fill(value), out.shape, "string") as GpuData;
      }
      let c: Const;
      if (out.dtype === "complex64") {
        const [re, im] = typeof value === "number" ? [value, 0] : (value as readonly [number, number]);
        c = { value: re, im, dtype: out.dtype };
      } else if (typeof value === "number" || typeof value === "boolean") {
        c = { value: Number(value), dtype: out.dtype };
      } else {
        throw new DtypeError(`Fill of a ${out.dtype} tensor needs a number, got ${String(value)} [Op:Fill]`);
      }
      return b.elementwise("Fill", [], out, ([x]) => x!, [{ kind: "const", c }]);
    });
  kernels.Complex = (inputs, _attrs, out) =>
    b.runOp("Complex", () => b.elementwise("Complex", inputs, out, ([re, im]) => ({ k: "complex", a: re!, b: im! })));
  for (const op of ["Real", "Imag", "Conj"] as const) {
    kernels[op] = (inputs, _attrs, out) => b.runOp(op, () => b.elementwise(op, inputs, out, ([x]) => ({ k: "part", op, x: x! })));
  }
  return kernels;
}

export { GpuData };
