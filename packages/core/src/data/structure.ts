/**
 * The structure of a `tf.data` element, as `tf.nest` sees it: one tensor, a tuple (array) of
 * elements, or a dict (plain object) of elements, nested to any depth. Dict entries are visited in
 * sorted key order, so flattening is the same for every element of a dataset.
 */
import { ValueError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";

/** One element of a dataset: a tensor, a tuple of elements, or a dict of elements. */
export type Element = Tensor | readonly Element[] | { readonly [key: string]: Element };

/** What `fromTensorSlices`/`fromGenerator` accept: like `Element`, with any `TensorLike` as a leaf. */
export type ElementLike = TensorLike | readonly ElementLike[] | { readonly [key: string]: ElementLike };

function isDictLike(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x) || x instanceof Tensor) return false;
  const p: unknown = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/** Whether an array is a structure (holds a tensor or a dict somewhere) rather than nested numbers. */
function isTuple(x: readonly unknown[]): boolean {
  return x.some((v) => v instanceof Tensor || isDictLike(v) || (Array.isArray(v) && isTuple(v)));
}

/** The leaves of `e` in order (a dict's in sorted key order). */
export function flattenElement(e: Element): Tensor[] {
  const out: Tensor[] = [];
  const walk = (x: Element): void => {
    if (x instanceof Tensor) out.push(x);
    else if (Array.isArray(x)) for (const v of x as readonly Element[]) walk(v);
    else for (const k of Object.keys(x).sort()) walk((x as Record<string, Element>)[k]!);
  };
  walk(e);
  return out;
}

/** `flat` arranged like `template` (the inverse of `flattenElement`). */
export function packElement(template: Element, flat: readonly Tensor[]): Element {
  let i = 0;
  const walk = (x: Element): Element => {
    if (x instanceof Tensor) return flat[i++]!;
    if (Array.isArray(x)) return (x as readonly Element[]).map(walk);
    const out: Record<string, Element> = {};
    for (const k of Object.keys(x).sort()) out[k] = walk((x as Record<string, Element>)[k]!);
    return out;
  };
  return walk(template);
}

/** A short description of an element's structure and shapes, for errors: `(x: (2,), y: ())`. */
export function describeElement(e: Element): string {
  if (e instanceof Tensor) return `${e.dtype}(${e.shape.join(", ")}${e.rank === 1 ? "," : ""})`;
  if (Array.isArray(e)) return `[${(e as readonly Element[]).map(describeElement).join(", ")}]`;
  return `{${Object.keys(e).sort().map((k) => `${k}: ${describeElement((e as Record<string, Element>)[k]!)}`).join(", ")}}`;
}

/** The structure of `e` without shapes (for checking that elements keep one structure). */
export function structureKey(e: Element): string {
  if (e instanceof Tensor) return "T";
  if (Array.isArray(e)) return `[${(e as readonly Element[]).map(structureKey).join(",")}]`;
  return `{${Object.keys(e).sort().map((k) => `${JSON.stringify(k)}:${structureKey((e as Record<string, Element>)[k]!)}`).join(",")}}`;
}

/** Disposes every tensor of `e`. */
export function disposeElement(e: Element | undefined): void {
  if (e === undefined) return;
  for (const t of flattenElement(e)) t.dispose();
}

/** Disposes the tensors of `e` that are not in `keep`. */
export function disposeExcept(e: Element, keep: Element | undefined): void {
  const kept = new Set(keep === undefined ? [] : flattenElement(keep));
  for (const t of flattenElement(e)) if (!kept.has(t)) t.dispose();
}

/**
 * Converts a value to an element: tensors stay as they are, other leaves (numbers, nested number
 * arrays, typed arrays) become tensors. An array is a tuple when it holds a tensor or a dict; an
 * array of numbers is one tensor. `made` collects the tensors conversion created.
 */
export function toElement(value: unknown, what: string, made: Tensor[]): Element {
  if (value instanceof Tensor) {
    value.throwIfDisposed(what);
    return value;
  }
  if (Array.isArray(value) && isTuple(value)) return value.map((v) => toElement(v, what, made));
  if (isDictLike(value) && !("data" in value && "shape" in value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) throw new ValueError(`${what}: an element cannot be an empty dict`);
    const out: Record<string, Element> = {};
    for (const k of keys) out[k] = toElement(value[k], what, made);
    return out;
  }
  if (value === undefined || value === null) throw new ValueError(`${what}: an element cannot hold ${String(value)}`);
  const t = toTensor(value as TensorLike, what);
  made.push(t);
  return t;
}
