/** Keras's naming rules: snake_case class names made unique per process (`dense`, `dense_1`, …). */

/** `MaxPooling2D` → `max_pooling2d`, `Dense` → `dense` (Keras's `to_snake_case`). */
export function toSnakeCase(name: string): string {
  const s = name.replace(/(.)([A-Z][a-z0-9]+)/g, "$1_$2").replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
  return s.startsWith("_") ? `private${s}` : s;
}

// One counter table per realm, shared by every loaded copy of core (as the engine is).
const KEY = Symbol.for("tessera.keras.names");
const g = globalThis as unknown as Record<symbol, Map<string, number> | undefined>;
const counts: Map<string, number> = g[KEY] ?? (g[KEY] = new Map());

/** The next unused name for `base`: `base`, then `base_1`, `base_2`, … */
export function uniqueName(base: string): string {
  const n = counts.get(base) ?? 0;
  counts.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** Forgets every generated name (Keras's `tf.keras.backend.clear_session()`). */
export function resetNames(): void {
  counts.clear();
}
