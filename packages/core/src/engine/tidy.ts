import { ValueError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { ENGINE } from "./engine.js";

/** What `tidy` may return: tensors, possibly inside arrays or plain objects, or anything else. */
export type TensorContainer = void | Tensor | string | number | boolean | null | undefined | TensorContainer[] | { [key: string]: TensorContainer };

function collect(x: unknown, into: Set<Tensor>, seen: Set<unknown>): void {
  if (x instanceof Tensor) {
    into.add(x);
    return;
  }
  if (typeof x !== "object" || x === null || seen.has(x)) return;
  seen.add(x);
  if (Array.isArray(x)) for (const v of x) collect(v, into, seen);
  else if (Object.getPrototypeOf(x) === Object.prototype) for (const v of Object.values(x)) collect(v, into, seen);
}

/**
 * Runs `fn` and disposes every tensor it made except those it returns (found inside arrays and plain
 * objects too) and those passed to `tf.keep`. Variables are never disposed by tidy. `fn` must be
 * synchronous: a tidy cannot span an `await`.
 */
export function tidy<T extends TensorContainer>(fn: () => T): T;
export function tidy<T extends TensorContainer>(name: string, fn: () => T): T;
export function tidy<T extends TensorContainer>(nameOrFn: string | (() => T), maybeFn?: () => T): T {
  const fn = typeof nameOrFn === "function" ? nameOrFn : maybeFn;
  if (typeof fn !== "function") throw new ValueError("tidy expects a function (optionally after a name)");
  ENGINE.startScope();
  let result: T;
  try {
    result = fn();
  } catch (err) {
    ENGINE.endScope(new Set());
    throw err;
  }
  if (result instanceof Promise) {
    ENGINE.endScope(new Set());
    throw new ValueError("Cannot return a Promise inside of tidy(): tidy is synchronous. Dispose tensors yourself around an await.");
  }
  const keep = new Set<Tensor>();
  collect(result, keep, new Set());
  ENGINE.endScope(keep);
  return result;
}

/** Keeps `t` alive past the tidy scope that made it. Returns `t`. */
export function keep<T extends Tensor>(t: T): T {
  t.kept = true;
  return t;
}

/** Disposes tensors found in `x` (a tensor, or arrays/objects of them). */
export function dispose(x: TensorContainer): void {
  const all = new Set<Tensor>();
  collect(x, all, new Set());
  for (const t of all) t.dispose();
}
