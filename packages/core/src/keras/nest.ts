/**
 * The one level of structure Keras models pass around (`tf.nest` restricted to what layers take):
 * a single value, a list, or a dict. Dict entries are visited in sorted key order, as `tf.nest` does,
 * so flattening a dict of inputs is the same in every model.
 */

/** One value, a list of them, or a dict of them. */
export type Nested<T> = T | readonly T[] | { readonly [name: string]: T };

/** Whether `x` is a plain object (a dict), not an array, a class instance or null. */
export function isDict(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const p: unknown = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/** The values of `x` in order (a dict's in sorted key order). */
export function flatten<T>(x: Nested<T>, isLeaf: (v: unknown) => v is T): T[] {
  if (isLeaf(x)) return [x];
  if (Array.isArray(x)) return x.slice() as T[];
  if (isDict(x)) return Object.keys(x).sort().map((k) => (x as Record<string, T>)[k]!);
  return [x as T];
}

/** `flat`, arranged like `template` (the inverse of `flatten`). */
export function packLike<T, U>(template: Nested<T>, flat: readonly U[], isLeaf: (v: unknown) => v is T): Nested<U> {
  if (isLeaf(template)) return flat[0]!;
  if (Array.isArray(template)) return flat.slice(0, template.length);
  if (isDict(template)) {
    const keys = Object.keys(template).sort();
    return Object.fromEntries(keys.map((k, i) => [k, flat[i]!]));
  }
  return flat[0]!;
}

/** `f` applied to every value of `x`, keeping the structure. */
export function mapStructure<T, U>(x: Nested<T>, isLeaf: (v: unknown) => v is T, f: (v: T, i: number) => U): Nested<U> {
  return packLike(x, flatten(x, isLeaf).map(f), isLeaf);
}
