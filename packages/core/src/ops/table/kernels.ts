/**
 * The kernel table: every kernel of the interface with its declaration. Elementwise kernels are
 * declared by their op entries (`ops/unary.ts`, `ops/binary.ts`, `ops/compare.ts`) and collected
 * here; the structured kernels (reductions, movement, convolutions…) are declared below, and the
 * compiler checks that this list and the `Kernels` interface name the same kernels.
 *
 * Op modules must not import this file (it reads their exports when it loads); they read
 * `structured.ts`. Backends, the wasm op codes, the js loop generator, the conformance suite and the coverage matrix
 * all read this table (through `@tessera/core/kernel`).
 */
import type { BinaryKernelName, Kernels, UnaryKernelName } from "../../kernel/interface.js";
import type { TensorLike } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import * as binaryOps from "../binary.js";
import * as compareOps from "../compare.js";
import * as unaryOps from "../unary.js";
import type { BinaryKernelSpec, OpInfo, UnaryKernelSpec } from "./define.js";
import type { ReduceKernelName, StructuredKernelName, StructuredKernelSpec } from "./structured.js";
import { STRUCTURED_KERNELS } from "./structured.js";

export { STRUCTURED_KERNELS };
export type { KernelFamily, ReduceKernelName, StructuredKernelName, StructuredKernelSpec } from "./structured.js";

type UnaryOp = ((x: TensorLike) => Tensor) & { readonly kernel: UnaryKernelSpec; readonly info: OpInfo };
type BinaryOp = ((a: TensorLike, b: TensorLike) => Tensor) & { readonly kernel: BinaryKernelSpec; readonly info: OpInfo };

/**
 * The op entries of `kind` in `modules`, keyed by kernel name in alphabetical order (module namespace
 * objects enumerate differently under Node and under bundlers; the wasm op codes need one order).
 */
function collect<O extends UnaryOp | BinaryOp>(kind: O["kernel"]["kind"], ...modules: object[]): Record<string, O> {
  const found: O[] = [];
  for (const m of modules) {
    for (const v of Object.values(m)) {
      const k = (v as { kernel?: { kind: string; name: string } }).kernel;
      if (typeof v === "function" && k?.kind === kind) found.push(v as O);
    }
  }
  found.sort((a, b) => (a.kernel.name < b.kernel.name ? -1 : a.kernel.name > b.kernel.name ? 1 : 0));
  return Object.fromEntries(found.map((op) => [op.kernel.name, op]));
}

/** The public op that runs each elementwise unary kernel (`UNARY_OPS.Tan === tf.tan`). */
export const UNARY_OPS = collect<UnaryOp>("unary", unaryOps) as Record<UnaryKernelName, UnaryOp>;
/** The public op that runs each elementwise binary kernel (arithmetic, comparisons, logical). */
export const BINARY_OPS = collect<BinaryOp>("binary", binaryOps, compareOps) as Record<BinaryKernelName, BinaryOp>;

const specs = <O extends UnaryOp | BinaryOp>(ops: Record<string, O>): Record<string, O["kernel"]> =>
  Object.fromEntries(Object.entries(ops).map(([k, op]) => [k, op.kernel]));

/** Every elementwise unary kernel's declaration, by kernel name. */
export const UNARY_SPECS = specs(UNARY_OPS) as Record<UnaryKernelName, UnaryKernelSpec>;
/** Every elementwise binary kernel's declaration, by kernel name. */
export const BINARY_SPECS = specs(BINARY_OPS) as Record<BinaryKernelName, BinaryKernelSpec>;

/** Elementwise unary kernels (the wasm op codes are positions in this list). */
export const UNARY_KERNELS = Object.keys(UNARY_SPECS) as UnaryKernelName[];
/** Elementwise binary kernels. */
export const BINARY_KERNELS = Object.keys(BINARY_SPECS) as BinaryKernelName[];
/** Reductions in canonical `[outer, n, inner]` form. */
export const REDUCE_KERNELS = (Object.keys(STRUCTURED_KERNELS) as StructuredKernelName[]).filter((k) => STRUCTURED_KERNELS[k].family === "reduce") as ReduceKernelName[];

/** The declaration of any kernel. */
export type KernelSpec = UnaryKernelSpec | BinaryKernelSpec | StructuredKernelSpec;

/** Every kernel name, in the order the conformance matrix lists them. */
export const KERNEL_NAMES: readonly (keyof Kernels)[] = [...UNARY_KERNELS, ...BINARY_KERNELS, ...(Object.keys(STRUCTURED_KERNELS) as StructuredKernelName[])];

/** The declaration of kernel `name`. */
export function kernelSpec(name: keyof Kernels): KernelSpec {
  return (UNARY_SPECS as Record<string, KernelSpec>)[name] ?? (BINARY_SPECS as Record<string, KernelSpec>)[name] ?? STRUCTURED_KERNELS[name as StructuredKernelName];
}
