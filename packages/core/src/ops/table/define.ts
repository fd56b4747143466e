/**
 * The op table's vocabulary. Every public op is one exported entry made by `defineOp` (composites),
 * `unaryOp` or `binaryOp` (elementwise kernels): the function users call, carrying its public
 * names (`info`) and, for kernels, the kernel's declaration (`kernel`: name, dtypes, output dtype,
 * float64 reference and test domains). Everything that used to repeat these facts — the kernel
 * name lists, dtype allow-lists, Tensor methods, `tf.math`/`tf.nn` namespaces, option checks,
 * backend code tables, conformance and gradient-check case lists — is derived from the entries
 * (see `derive.ts` and `kernels.ts`).
 */
import type { DType } from "../../dtypes.js";
import { ENGINE } from "../../engine/engine.js";
import type { GradContext } from "../../gradients/registry.js";
import { registerGradient, registerNonDifferentiable } from "../../gradients/registry.js";
import { reduceToShape } from "../../gradients/grad-utils.js";
import { checkArity, checkOptions } from "../../options.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { checkDtype, runBroadcast, withTensors } from "../op-utils.js";

/** Where an op lives besides the top level: TF2's namespaces, spelled as `tf.<namespace>`. */
export type Namespace = "math" | "nn" | "linalg" | "bitwise";

/** A TF2 path below a namespace: `"math.floordiv"` is `tf.math.floordiv`. */
export type OpPath = `${Namespace}.${string}`;

/** The public face of an op. */
export interface OpInfo<P extends OpPath = OpPath, M extends boolean = boolean> {
  /** The top-level name (`tf.<name>`), used in error messages (`reduceSum() got …`). */
  readonly name: string;
  /** Further TF2 paths (`["math.reduceSum"]`). */
  readonly paths: readonly P[];
  /** Whether `t.<name>(...rest)` calls the op with `t` as first argument. */
  readonly method: M;
  /** Most positional arguments the function takes (extra ones raise `TypeError`). */
  readonly args: number;
  /** Keys of the trailing options object (the last positional argument), or null when there is none. */
  readonly options: readonly string[] | null;
}

/** What `defineOp` is told (the rest is inferred). */
export interface OpDeclaration<P extends OpPath, M extends boolean> {
  readonly paths?: readonly P[];
  /** Default true. */
  readonly method?: M;
  /** Default: the implementation's declared parameter count (write `args` where a parameter has a default value). */
  readonly args?: number;
  readonly options?: readonly string[];
}

/** A public op: the function with its `info`. */
export type Op<F, P extends OpPath = OpPath, M extends boolean = boolean> = F & { readonly info: OpInfo<P, M> };

type AnyFn = (...args: never[]) => unknown;

/** Sees the name of every public op called while it is set (the conformance suite's op coverage). */
let opCallHook: ((name: string) => void) | null = null;

/** Installs (or, with null, removes) the hook that sees every public op call; for test suites. */
export function setOpCallHook(hook: ((name: string) => void) | null): void {
  opCallHook = hook;
}

/**
 * Wraps `impl` so that extra positional arguments and unknown option keys raise `TypeError` as
 * Python does. One wrapper per arity keeps the hot path free of rest arguments.
 */
function checked(name: string, impl: AnyFn, args: number, options: readonly string[] | null): AnyFn {
  const f = impl as (...a: unknown[]) => unknown;
  const opts = options;
  switch (args) {
    case 0: return function (this: unknown) {
      if (opCallHook) opCallHook(name);
      if (arguments.length > 0) checkArity(name, arguments.length, 0);
      return f();
    };
    case 1: return function (a: unknown) {
      if (opCallHook) opCallHook(name);
      if (arguments.length > 1) checkArity(name, arguments.length, 1);
      if (opts) checkOptions(name, a, opts);
      return f(a);
    };
    case 2: return function (a: unknown, b: unknown) {
      if (opCallHook) opCallHook(name);
      if (arguments.length > 2) checkArity(name, arguments.length, 2);
      if (opts) checkOptions(name, b, opts);
      return f(a, b);
    };
    case 3: return function (a: unknown, b: unknown, c: unknown) {
      if (opCallHook) opCallHook(name);
      if (arguments.length > 3) checkArity(name, arguments.length, 3);
      if (opts) checkOptions(name, c, opts);
      return f(a, b, c);
    };
    default: return function (...a: unknown[]) {
      if (opCallHook) opCallHook(name);
      if (a.length > args) checkArity(name, a.length, args);
      if (opts && a.length === args) checkOptions(name, a[args - 1], opts);
      return f(...a);
    };
  }
}

/**
 * Declares a public op: `export const reduceSum = defineOp("reduceSum", impl, { paths: ["math.reduceSum"],
 * options: REDUCE_KEYS })`. The result is `impl` behind argument checks, with `info` attached.
 */
export function defineOp<F extends AnyFn, const P extends OpPath = never, const M extends boolean = true>(
  name: string,
  impl: F,
  decl: OpDeclaration<P, M> = {},
): Op<F, P, M> {
  const info: OpInfo<P, M> = {
    name,
    paths: decl.paths ?? [],
    method: (decl.method ?? true) as M,
    args: decl.args ?? impl.length,
    options: decl.options ?? null,
  };
  const fn = checked(name, impl, info.args, info.options);
  Object.defineProperty(fn, "name", { value: name });
  return Object.assign(fn as unknown as F, { info });
}

// ---------------------------------------------------------------- elementwise kernels

/** What values a property test or a finite difference draws (bounds default to ±100 for floats, ±1000 for int32). */
export interface ValueDomain {
  readonly min?: number;
  readonly max?: number;
  /** Mix NaN, ±Inf and -0 into float cases (default true). */
  readonly special?: boolean;
  /** Exclude 0 (divisors). */
  readonly nonZero?: boolean;
  /** Only integer values. */
  readonly integer?: boolean;
}

/** The test facts of an elementwise kernel: its float64 reference per number kind and the domains to draw from. */
export interface ElementwiseTest<R> {
  /** Reference for float32/float64 (computed in float64, then rounded to the dtype). */
  readonly real?: R;
  /**
   * Exact reference for int32, in integers (the suite wraps the result to int32 as two's complement);
   * kernels exact on integers (comparisons, max/min) may leave it out and be checked with `real`.
   */
  readonly int?: R extends (...a: infer A) => number ? (...a: A) => number | bigint : never;
  /** Reference for bool inputs (0/1 in, 0/1 out); default `real`. */
  readonly bool?: R;
  /** Value domains per input dtype for property tests (default: the whole range with specials). */
  readonly domain?: Partial<Record<DType, ValueDomain | readonly ValueDomain[]>>;
  /**
   * Hand-picked cases: `float` values join the common NaN/±Inf/±0/ties set every float case sees;
   * `int` gives the int32 values of each input (crossed with each other for binary kernels) in place
   * of the common int32 set.
   */
  readonly edges?: { readonly float?: readonly number[]; readonly int?: readonly (readonly number[])[] };
  /** Input ranges of the finite-difference gradient check (one per input; default [-2, 2]). */
  readonly gradRange?: readonly (readonly [number, number])[];
}

type Pair = readonly [number, number];

/** The declaration of an elementwise unary kernel. */
export interface UnaryKernelSpec<K extends string = string> {
  readonly kind: "unary";
  readonly name: K;
  /** Input dtypes the kernel takes (core rejects the rest before any kernel runs). */
  readonly dtypes: readonly DType[];
  /** Output dtype for an input dtype (default: the same). */
  readonly out: (dtype: DType) => DType;
  /** False for ops with no gradient (rounding, logical ops, predicates). */
  readonly differentiable: boolean;
  readonly test: ElementwiseTest<(x: number) => number> & { readonly complex?: (re: number, im: number) => Pair };
}

/** The declaration of an elementwise binary kernel (NumPy broadcasting; both inputs share a dtype). */
export interface BinaryKernelSpec<K extends string = string> {
  readonly kind: "binary";
  readonly name: K;
  readonly dtypes: readonly DType[];
  readonly out: (dtype: DType) => DType;
  readonly differentiable: boolean;
  readonly test: ElementwiseTest<(a: number, b: number) => number> & {
    readonly complex?: (ar: number, ai: number, br: number, bi: number) => Pair;
    /** Reference for strings (Equal/NotEqual). */
    readonly string?: (a: string, b: string) => number;
  };
}

export type ElementwiseKernelSpec = UnaryKernelSpec | BinaryKernelSpec;

/** A gradient of a unary op, given dy and the saved input (`save: "input"`) or output (`save: "output"`). */
export type UnaryGradient =
  | { readonly save?: undefined; readonly grad: (dy: Tensor) => Tensor }
  | { readonly save: "input" | "output"; readonly grad: (dy: Tensor, saved: Tensor) => Tensor };

/**
 * A gradient of a binary op: each input's gradient before broadcasting is undone (the table sums it
 * back to the input's shape). `save` lists what the functions read: the inputs `a`, `b`, the output `y`.
 */
export interface BinaryGradient {
  readonly save?: readonly ("a" | "b" | "y")[];
  readonly grad: readonly [
    ((dy: Tensor, s: BinarySaved) => Tensor) | null,
    ((dy: Tensor, s: BinarySaved) => Tensor) | null,
  ];
}

/** The forward tensors a binary gradient saved. */
export interface BinarySaved {
  readonly a: Tensor;
  readonly b: Tensor;
  readonly y: Tensor;
}

interface ElementwiseDeclaration<P extends OpPath, T> extends OpDeclaration<P, true> {
  readonly dtypes: readonly DType[];
  readonly out?: (dtype: DType) => DType;
  readonly test: T;
}

/** An elementwise op: a public op that is also the declaration of its kernel. */
export type KernelOp<F, S, P extends OpPath = OpPath> = Op<F, P, true> & { readonly kernel: S };

/** A unary elementwise op `fn(x)`, running kernel `name`. */
export function unaryOp<const K extends string, const P extends OpPath = never>(
  publicName: string,
  name: K,
  decl: ElementwiseDeclaration<P, UnaryKernelSpec["test"]> & { readonly gradient: UnaryGradient | null },
): KernelOp<(x: TensorLike) => Tensor, UnaryKernelSpec<K>, P> {
  const out = decl.out ?? ((d: DType) => d);
  const kernel: UnaryKernelSpec<K> = { kind: "unary", name, dtypes: decl.dtypes, out, differentiable: decl.gradient !== null, test: decl.test };
  registerUnaryGradient(name, decl.gradient);
  const impl = (x: TensorLike): Tensor => {
    const t = toTensor(x, name);
    try {
      checkDtype(name, t.dtype, kernel.dtypes);
      return ENGINE.runKernel(name as never, [t], {} as never, { shape: t.shape, dtype: out(t.dtype) });
    } finally {
      if (t !== x) t.dispose();
    }
  };
  const op = defineOp(publicName, impl, { paths: decl.paths ?? [], args: 1 });
  return Object.assign(op, { kernel }) as KernelOp<(x: TensorLike) => Tensor, UnaryKernelSpec<K>, P>;
}

/** A binary elementwise op `fn(a, b)` with NumPy broadcasting, running kernel `name`. */
export function binaryOp<const K extends string, const P extends OpPath = never>(
  publicName: string,
  name: K,
  decl: ElementwiseDeclaration<P, BinaryKernelSpec["test"]> & { readonly gradient: BinaryGradient | null },
): KernelOp<(a: TensorLike, b: TensorLike) => Tensor, BinaryKernelSpec<K>, P> {
  const out = decl.out ?? ((d: DType) => d);
  const kernel: BinaryKernelSpec<K> = { kind: "binary", name, dtypes: decl.dtypes, out, differentiable: decl.gradient !== null, test: decl.test };
  registerBinaryGradient(name, decl.gradient);
  const impl = (a: TensorLike, b: TensorLike): Tensor =>
    withTensors([a, b], name, ([x, y]) => {
      checkDtype(name, x!.dtype, kernel.dtypes);
      return runBroadcast(name as never, [x!, y!], out(x!.dtype));
    });
  const op = defineOp(publicName, impl, { paths: decl.paths ?? [], args: 2 });
  return Object.assign(op, { kernel }) as KernelOp<(a: TensorLike, b: TensorLike) => Tensor, BinaryKernelSpec<K>, P>;
}

function registerUnaryGradient(name: string, g: UnaryGradient | null): void {
  if (g === null) {
    registerNonDifferentiable(name as never);
    return;
  }
  if (g.save === undefined) {
    const grad = g.grad;
    registerGradient(name as never, { grad: (dy: Tensor) => [grad(dy)] });
    return;
  }
  const grad = g.grad;
  if (g.save === "input") registerGradient(name as never, { saveInputs: [0], grad: (dy: Tensor, c: GradContext) => [grad(dy, c.inputs[0]!)] });
  else registerGradient(name as never, { saveOutput: true, grad: (dy: Tensor, c: GradContext) => [grad(dy, c.output!)] });
}

function registerBinaryGradient(name: string, g: BinaryGradient | null): void {
  if (g === null) {
    registerNonDifferentiable(name as never);
    return;
  }
  const save = g.save ?? [];
  const saveInputs = [...(save.includes("a") ? [0] : []), ...(save.includes("b") ? [1] : [])];
  const [ga, gb] = g.grad;
  registerGradient(name as never, {
    saveInputs,
    saveOutput: save.includes("y"),
    grad: (dy: Tensor, c: GradContext) => {
      const s: BinarySaved = { a: c.inputs[0]!, b: c.inputs[1]!, y: c.output! };
      return [
        ga && c.needs[0] ? reduceToShape(ga(dy, s), c.inputShapes[0]!) : null,
        gb && c.needs[1] ? reduceToShape(gb(dy, s), c.inputShapes[1]!) : null,
      ];
    },
  });
}
