/** `tf.zip`: Python's `zip` for `optimizer.applyGradients(tf.zip(grads, vars))`. */
import { ValueError } from "../errors.js";

/** Pairs up `a[i]` with `b[i]`; the lengths must match (a mismatch is almost always a bug). */
export function zip<A, B>(a: readonly A[], b: readonly B[]): [A, B][] {
  if (!Array.isArray(a) || !Array.isArray(b)) {
    throw new ValueError(`tf.zip expects two arrays (e.g. gradients and variables), got ${Array.isArray(a) ? "an array" : typeof a} and ${Array.isArray(b) ? "an array" : typeof b}`);
  }
  if (a.length !== b.length) throw new ValueError(`tf.zip: the arrays have different lengths (${a.length} vs ${b.length})`);
  return a.map((x, i) => [x, b[i]!]);
}
