/** Elementwise binary kernels and Where, broadcasting by strides (assembly/binary.ts). */
import { BINARY_KERNELS, BINARY_SPECS, InvalidArgumentError, kernelsFor, opMessage, sizeFromShape } from "@tessera/core/kernel";
import type { BinaryKernelName, DType, Kernels } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";
import { binaryCode, dtypeCode, elementBytes } from "../codes.js";
import { collapseBroadcast, forEachBroadcast, writeBroadcast } from "./broadcast.js";
import type { Collapsed } from "./broadcast.js";
import { ELEMENTWISE_MIN_CHUNK, ELEMENTWISE_PARALLEL } from "./thresholds.js";

/** Slot 7 of the parameter block: the error a kernel hit (assembly/binary-ops.ts), 0 for none. */
const P_ERROR = 7;
const ERRORS: Record<number, string> = {
  1: "Integer division by zero",
  2: "Integers to negative integer powers are not allowed",
};

export function binaryKernels(b: WasmBackend): Pick<Kernels, BinaryKernelName | "Where"> {
  const out = kernelsFor(BINARY_KERNELS, (name): Kernels[BinaryKernelName] => {
    const code = binaryCode(name);
    return ([x, y], _attrs, spec) => {
      if (!(BINARY_SPECS[name].dtypes as readonly DType[]).includes(x.dtype)) b.unsupported(name, x.dtype);
      const strings = x.dtype === "string";
      const c = collapseBroadcast(name, spec.shape, [x.shape, y.shape]);
      const o = b.output(spec);
      const n = sizeFromShape(spec.shape);
      if (strings) {
        const xs = b.strings(x), ys = b.strings(y), u8 = b.heap.u8, eq = name === "Equal";
        if (n > 0) forEachBroadcast(c, (i, [ox, oy]) => (u8[o.ptr + i] = (xs[ox!] === ys[oy!]) === eq ? 1 : 0));
        return o;
      }
      b.setInts(0, [code, dtypeCode(x.dtype)]);
      b.setInts(3, [b.ptr(x), b.ptr(y), o.ptr]);
      b.setInt(P_ERROR, 0);
      writeBroadcast(b, c);
      b.run("binary_run", n, { work: n, threshold: ELEMENTWISE_PARALLEL, minChunk: ELEMENTWISE_MIN_CHUNK });
      const err = b.getInt(P_ERROR);
      // As TensorFlow's CPU kernels; the guard frees the output.
      if (err !== 0) throw new InvalidArgumentError(opMessage(name, ERRORS[err] ?? `kernel error ${err}`));
      return o;
    };
  });
  return {
    ...out,
    Where: ([cond, x, y], _attrs, spec) => {
      // Inputs a, b first so that their strides land in slots 24 and 40, the condition's in 56.
      const c = collapseBroadcast("Where", spec.shape, [x.shape, y.shape, cond.shape]);
      const o = b.output(spec);
      const n = sizeFromShape(spec.shape);
      if (spec.dtype === "string") {
        whereStrings(b, c, b.ptr(cond), b.strings(x), b.strings(y), o.strings!, n);
        return o;
      }
      b.setInts(1, [elementBytes(spec.dtype), c.dims.length, b.ptr(x), b.ptr(y), o.ptr, b.ptr(cond)]);
      writeBroadcast(b, c);
      b.run("where_run", n, { work: n, threshold: ELEMENTWISE_PARALLEL, minChunk: ELEMENTWISE_MIN_CHUNK });
      return o;
    },
  };
}

/** Where on string tensors, host-side (strings never enter wasm memory). */
function whereStrings(b: WasmBackend, c: Collapsed, condPtr: number, xs: string[], ys: string[], out: string[], n: number): void {
  if (n === 0) return;
  const u8 = b.heap.u8;
  forEachBroadcast(c, (i, [ox, oy, oc]) => (out[i] = u8[condPtr + oc!] ? xs[ox!]! : ys[oy!]!));
}
