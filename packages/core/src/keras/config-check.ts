/**
 * A model config comes from whoever made the model: before anything is built from it, the whole tree
 * is walked once (iteratively, so depth cannot overflow the stack) and refused when it nests deeper
 * than any real model does or holds a `__proto__` key (which JSON.parse keeps as an own property, and
 * which code copying the config into an object could turn into a prototype change).
 */
import { ValueError } from "../errors.js";

/** Deepest nesting of objects and lists a model config may have. */
export const MAX_CONFIG_DEPTH = 512;

/** Throws a ValueError naming `where` and the path when `config` is too deep or holds a `__proto__` key. */
export function checkConfigTree(config: unknown, where: string): void {
  const stack: [unknown, number, string][] = [[config, 0, ""]];
  while (stack.length > 0) {
    const [x, depth, path] = stack.pop()!;
    if (x === null || typeof x !== "object") continue;
    if (depth >= MAX_CONFIG_DEPTH) throw new ValueError(`${where} nests objects and lists more than ${MAX_CONFIG_DEPTH} levels deep; refusing it`);
    if (Array.isArray(x)) {
      for (let i = x.length - 1; i >= 0; i--) stack.push([x[i], depth + 1, path]);
      continue;
    }
    for (const k of Object.keys(x)) {
      const at = path ? `${path}.${k}` : k;
      if (k === "__proto__") throw new ValueError(`${where} has the key "__proto__" (at ${at}); refusing it`);
      stack.push([(x as Record<string, unknown>)[k], depth + 1, at]);
    }
  }
}
