/**
 * Options objects are checked the way Python checks keyword arguments: an unknown key is a
 * `TypeError` naming the function, the key and the closest valid key, not a silently ignored typo
 * (`reduceSum() got an unexpected option 'keepDims' — did you mean 'keepdims'?`). Key lists are
 * declared with `optionKeys<Options>()(...)`, which fails to compile unless it lists exactly the
 * keys of the options type, so a list cannot drift from the type it guards.
 */

/** Every key of `T`, as a string union. */
type KeyOf<T> = Extract<keyof T, string>;

/**
 * `optionKeys<ReduceOptions>()("axis", "keepdims")`: the keys of an options type, checked at compile
 * time to be complete (a missing key is a type error naming it) and free of strangers.
 */
export function optionKeys<T>() {
  return <const K extends readonly KeyOf<T>[]>(
    ...keys: K & ([KeyOf<T>] extends [K[number]] ? unknown : { missing: Exclude<KeyOf<T>, K[number]> })
  ): K => keys;
}

/** Keys of several option types at once (an op whose options extend another's). */
export function mergeKeys(...lists: readonly (readonly string[])[]): readonly string[] {
  return lists.flat();
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const p: unknown = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/** Edit distance with transpositions, capped: enough to rank a handful of candidate keys. */
function distance(a: string, b: string): number {
  const m = a.length, n = b.length;
  let prev2: number[] = [];
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const row = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      row.push(d);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[n] ?? Math.max(m, n);
}

/** The valid key a misspelt one most likely meant, or undefined when none is close. */
export function closestKey(key: string, valid: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const v of valid) {
    // Case and snake_case slips (`keepDims`, `keep_dims`) count as the nearest possible miss.
    const d = v.toLowerCase() === lower.replaceAll("_", "") || v.toLowerCase() === lower ? 0 : distance(lower, v.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = v;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** The message for an unknown key. */
export function unexpectedOptionMessage(owner: string, key: string, valid: readonly string[]): string {
  const near = closestKey(key, valid);
  const hint = near !== undefined
    ? ` — did you mean '${near}'?`
    : valid.length ? ` (valid options: ${valid.join(", ")})` : " (it takes no options)";
  return `${owner}() got an unexpected option '${key}'${hint}`;
}

/**
 * Throws `TypeError` when `options` holds a key outside `valid`, or is not a plain object at all.
 * `undefined` (options left out) passes. `owner` is how the user called it: `reduceSum`,
 * `keras.layers.Dense`.
 */
export function checkOptions(owner: string, options: unknown, valid: readonly string[]): void {
  if (options === undefined) return;
  if (!isPlainObject(options)) {
    // A bare dtype where options go is the commonest slip (TensorFlow.js takes one positionally).
    const hint = typeof options === "string" && valid.includes("dtype") ? `; write { dtype: "${options}" }` : "";
    throw new TypeError(`${owner}() expected an options object, got ${describeValue(options)}${hint}`);
  }
  for (const key in options) {
    if (!valid.includes(key)) throw new TypeError(unexpectedOptionMessage(owner, key, valid));
  }
}

/** Throws `TypeError` when a function got more positional arguments than it takes (Python's message). */
export function checkArity(owner: string, given: number, max: number): void {
  if (given > max) {
    throw new TypeError(`${owner}() takes at most ${max} positional argument${max === 1 ? "" : "s"} but ${given} were given`);
  }
}

function describeValue(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array";
  if (typeof x === "object") return `an instance of ${(x as object).constructor?.name ?? "an unknown class"}`;
  return `${typeof x} ${JSON.stringify(x)}`;
}
