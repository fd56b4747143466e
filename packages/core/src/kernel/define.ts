/** Typed helpers for a backend's kernel table, so that it keeps the `Kernels` typing without casts. */
import type { KernelName, Kernels } from "./interface.js";

/**
 * One kernel per name, made by `make`: `kernelsFor(UNARY_KERNELS, (name) => ([x], _attrs, out) => …)`
 * is typed as `Pick<Kernels, K>` for the names given.
 */
export function kernelsFor<K extends KernelName>(names: readonly K[], make: (name: K) => Kernels[K]): Pick<Kernels, K> {
  const out = {} as Pick<Kernels, K>;
  for (const name of names) out[name] = make(name);
  return out;
}
