/**
 * Declarations of the structured kernels (everything but the elementwise kernels, which their op
 * entries declare): family, inputs and dtypes. The compiler checks that this list and the `Kernels`
 * interface name the same kernels; op modules read their dtype rules from here.
 */
import type { DType } from "../../dtypes.js";
import type { BinaryKernelName, Kernels, UnaryKernelName } from "../../kernel/interface.js";
import { ANY, FLOAT, NON_STRING, NUMERIC, NUMERIC_REAL } from "../op-utils.js";

/** What kind of problem a structured kernel solves (and which conformance suite checks it). */
export type KernelFamily = "reduce" | "cast" | "select" | "creation" | "matmul" | "movement" | "gather" | "conv" | "pool" | "complex" | "sort";

/** The declaration of a structured kernel; its attributes are typed by the `Kernels` interface. */
export interface StructuredKernelSpec {
  readonly kind: "structured";
  readonly family: KernelFamily;
  /** Number of tensor inputs ("variadic" for Concat). */
  readonly inputs: number | "variadic";
  /** dtypes of the (first) input the kernel takes. */
  readonly dtypes: readonly DType[];
  readonly differentiable: boolean;
}

/** Kernels that are not elementwise. */
export type StructuredKernelName = Exclude<keyof Kernels, UnaryKernelName | BinaryKernelName>;

const s = <F extends KernelFamily>(family: F, inputs: number | "variadic", dtypes: readonly DType[], differentiable = true): StructuredKernelSpec & { readonly family: F } =>
  ({ kind: "structured", family, inputs, dtypes, differentiable });

/** Structured kernels, in the order the conformance matrix lists them. */
export const STRUCTURED_KERNELS = {
  Sum: s("reduce", 1, NUMERIC),
  Prod: s("reduce", 1, NUMERIC_REAL),
  Max: s("reduce", 1, NUMERIC_REAL),
  Min: s("reduce", 1, NUMERIC_REAL),
  All: s("reduce", 1, ["bool"], false),
  Any: s("reduce", 1, ["bool"], false),
  ArgMax: s("reduce", 1, NUMERIC_REAL, false),
  ArgMin: s("reduce", 1, NUMERIC_REAL, false),
  Cast: s("cast", 1, NON_STRING),
  Where: s("select", 3, ANY),
  Fill: s("creation", 0, ANY, false),
  BatchMatMul: s("matmul", 2, ["int32", "float32", "float64", "complex64"]),
  Transpose: s("movement", 1, ANY),
  Slice: s("movement", 1, ANY),
  Pad: s("movement", 1, ANY),
  Concat: s("movement", "variadic", ANY),
  Gather: s("gather", 2, ANY),
  UnsortedSegmentSum: s("gather", 2, NUMERIC),
  Tile: s("movement", 1, ANY),
  Conv2D: s("conv", 2, FLOAT),
  Conv2DBackpropInput: s("conv", 2, FLOAT),
  Conv2DBackpropFilter: s("conv", 2, FLOAT),
  MaxPool: s("pool", 1, FLOAT),
  AvgPool: s("pool", 1, FLOAT),
  MaxPoolGrad: s("pool", 2, FLOAT),
  AvgPoolGrad: s("pool", 1, FLOAT),
  TopK: s("sort", 1, NUMERIC_REAL, false),
  SearchSorted: s("sort", 2, NUMERIC_REAL, false),
  Complex: s("complex", 2, ["float32"]),
  Real: s("complex", 1, ["complex64"]),
  Imag: s("complex", 1, ["complex64"]),
  Conj: s("complex", 1, ["complex64"]),
} as const satisfies Record<StructuredKernelName, StructuredKernelSpec>;

/** The reduction kernels (family "reduce"). */
export type ReduceKernelName = { [K in StructuredKernelName]: (typeof STRUCTURED_KERNELS)[K]["family"] extends "reduce" ? K : never }[StructuredKernelName];
