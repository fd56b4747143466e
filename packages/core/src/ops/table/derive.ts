/**
 * What the op entries' `info` derives: the Tensor methods (`t.add(b)`), the TF2 namespaces
 * (`tf.math.floordiv`, `tf.nn.relu`) and their types. Nothing here lists ops by hand.
 */
import { checkArity } from "../../options.js";
import { Tensor } from "../../tensor/tensor.js";
import type { Namespace, OpInfo, OpPath } from "./define.js";

type AnyOp = ((...args: never[]) => unknown) & { readonly info: OpInfo };

/** `[path, op]` for every path of every op in module `M`. */
type PathEntries<M> = {
  [K in keyof M]: M[K] extends { readonly info: OpInfo<infer P extends OpPath, boolean> } ? (P extends unknown ? [P, M[K]] : never) : never;
}[keyof M];

/** The ops of module `M` that live in namespace `N`, under their TF2 names there. */
export type NamespaceOf<M, N extends Namespace> = {
  readonly [E in PathEntries<M> as E[0] extends `${N}.${infer Name}` ? Name : never]: E[1];
};

type DropFirst<F> = F extends (first: never, ...rest: infer R) => infer O ? (...rest: R) => O : never;

/** `t.<name>(...rest)` for every op of module `M` declared with `method: true`. */
export type MethodsOf<M> = {
  [K in keyof M as M[K] extends { readonly info: OpInfo<OpPath, true> } ? K : never]: DropFirst<M[K]>;
};

function isOp(x: unknown): x is AnyOp {
  return typeof x === "function" && typeof (x as Partial<AnyOp>).info === "object";
}

/** The ops of `module` that live in namespace `ns`, as an object (TF2's names as keys). */
export function namespaceOf<M extends object, N extends Namespace>(module: M, ns: N): NamespaceOf<M, N> {
  const out: Record<string, unknown> = {};
  const prefix = `${ns}.`;
  for (const op of Object.values(module)) {
    if (!isOp(op)) continue;
    for (const p of op.info.paths) if (p.startsWith(prefix)) out[p.slice(prefix.length)] = op;
  }
  return Object.freeze(out) as NamespaceOf<M, N>;
}

/**
 * A method calling `op` with the tensor first; one wrapper per arity keeps rest arguments off the hot
 * path. Extra arguments raise the op's own arity error (the tensor counts as its first argument).
 */
function methodFor(op: AnyOp): (this: Tensor, ...args: unknown[]) => unknown {
  const f = op as unknown as (...a: unknown[]) => unknown;
  const { name, args } = op.info;
  const tooMany = (given: number): void => checkArity(name, given + 1, args);
  switch (args) {
    case 1: return function (this: Tensor) { if (arguments.length > 0) tooMany(arguments.length); return f(this); };
    case 2: return function (this: Tensor, a: unknown) { if (arguments.length > 1) tooMany(arguments.length); return f(this, a); };
    case 3: return function (this: Tensor, a: unknown, b: unknown) { if (arguments.length > 2) tooMany(arguments.length); return f(this, a, b); };
    default: return function (this: Tensor, ...a: unknown[]) { return f(this, ...a); };
  }
}

/** Defines `Tensor.prototype.<name>` for every op of `module` declared with a method. */
export function installMethods(module: object): void {
  for (const op of Object.values(module)) {
    if (!isOp(op) || !op.info.method) continue;
    Object.defineProperty(Tensor.prototype, op.info.name, { value: methodFor(op), writable: true, configurable: true, enumerable: false });
  }
}

/** Every op of `module` (for tests that walk the public surface). */
export function opsOf(module: object): AnyOp[] {
  return Object.values(module).filter(isOp);
}
