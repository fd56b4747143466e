/**
 * The gradient registry: for every recorded op, what its gradient needs from the forward pass and how
 * to compute it. Entries are registered next to their ops (`ops/<family>.grad.ts`) and written with
 * core ops only, so a gradient runs on every backend and is itself recorded by outer tapes (which is
 * how gradients of gradients work).
 */
import type { DType } from "../dtypes.js";
import type { RecordedOp } from "../engine/engine.js";
import type { KernelName, Kernels } from "../kernel/interface.js";
import type { Tensor } from "../tensor/tensor.js";

/** The attributes an op was recorded with. */
export type AttrsOf<K extends RecordedOp> = K extends KernelName ? Parameters<Kernels[K]>[1] : object;

/** What a gradient function sees of one recorded op. */
export interface GradContext<A = object> {
  /** The forward inputs this op's spec saves (`saveInputs`), as they were then; others are undefined. */
  readonly inputs: readonly (Tensor | undefined)[];
  /** The forward output, when the spec saves it (`saveOutput`). */
  readonly output: Tensor | undefined;
  readonly inputShapes: readonly (readonly number[])[];
  readonly inputDtypes: readonly DType[];
  readonly outputShape: readonly number[];
  readonly outputDtype: DType;
  readonly attrs: A;
  /** The canonical shapes the kernel read its inputs as (undefined where it read an input as is). */
  readonly views: readonly (readonly number[] | undefined)[];
  /** `needs[i]`: the gradient of input i is wanted; a gradient function may return null for the others. */
  readonly needs: readonly boolean[];
}

/**
 * Given the gradient `dy` of the op's output (same shape and dtype as the output), returns one
 * gradient per input (null or undefined: none), each with that input's shape and dtype.
 */
export type GradFn<A = object> = (dy: Tensor, ctx: GradContext<A>) => readonly (Tensor | null | undefined)[];

/** How to differentiate one op. */
export interface GradientSpec<A = object> {
  /** Indices of the inputs the gradient reads (default: none). A tape keeps exactly these alive. */
  readonly saveInputs?: readonly number[];
  /** Whether the gradient reads the op's output (default false). */
  readonly saveOutput?: boolean;
  readonly grad: GradFn<A>;
}

type Entry = { readonly kind: "gradient"; readonly spec: GradientSpec } | { readonly kind: "none" };

const REGISTRY = new Map<string, Entry>();

/** Registers the gradient of `op` (one registration per op). */
export function registerGradient<K extends RecordedOp>(op: K, spec: GradientSpec<AttrsOf<K>>): void {
  if (REGISTRY.has(op)) throw new Error(`A gradient for '${op}' is already registered`);
  REGISTRY.set(op, { kind: "gradient", spec: spec as unknown as GradientSpec });
}

/**
 * Declares ops that have no gradient (comparisons, rounding, arg-reductions...): tapes do not record
 * them, and what depends on their outputs only gets a gradient through other paths.
 */
export function registerNonDifferentiable(...ops: RecordedOp[]): void {
  for (const op of ops) {
    if (REGISTRY.has(op)) throw new Error(`A gradient for '${op}' is already registered`);
    REGISTRY.set(op, { kind: "none" });
  }
}

/** The registry entry of `op`, or undefined when nothing was registered (its gradient is an error). */
export function gradientEntry(op: string): Entry | undefined {
  return REGISTRY.get(op);
}

/** Ops with a registered gradient, and ops declared non-differentiable (for docs and coverage tests). */
export function registeredGradients(): { differentiable: string[]; nonDifferentiable: string[] } {
  const differentiable: string[] = [];
  const nonDifferentiable: string[] = [];
  for (const [op, e] of REGISTRY) (e.kind === "gradient" ? differentiable : nonDifferentiable).push(op);
  return { differentiable, nonDifferentiable };
}
