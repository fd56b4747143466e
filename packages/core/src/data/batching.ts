/** Stacking elements into batches and splitting batches back into elements (`batch`, `paddedBatch`, `unbatch`). */
import { ValueError } from "../errors.js";
import { tidy } from "../engine/tidy.js";
import { stack, unstack } from "../ops/concat.js";
import { pad } from "../ops/slice.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Element } from "./structure.js";
import { describeElement, flattenElement, packElement, structureKey } from "./structure.js";

/**
 * The elements stacked leaf by leaf along a new first axis. With `padding` set, each leaf is first
 * padded at the end of every axis to the largest shape in the batch (`paddedBatch`).
 */
export function stackElements(elements: readonly Element[], op: string, padding: number | null = null): Element {
  const first = elements[0]!;
  const key = structureKey(first);
  const columns: Tensor[][] = flattenElement(first).map((t) => [t]);
  for (let i = 1; i < elements.length; i++) {
    const e = elements[i]!;
    if (structureKey(e) !== key) {
      throw new ValueError(`${op}: element ${i} of the batch has structure ${describeElement(e)}, but element 0 has ${describeElement(first)}`);
    }
    flattenElement(e).forEach((t, j) => columns[j]!.push(t));
  }
  return tidy(() => {
    const stacked = columns.map((col, j) => {
      const s0 = col[0]!.shape;
      const same = col.every((t) => t.rank === s0.length && t.shape.every((d, k) => d === s0[k]));
      if (same) return stack(col, 0);
      if (padding === null || col.some((t) => t.rank !== s0.length)) {
        const bad = col.findIndex((t) => t.rank !== s0.length || t.shape.some((d, k) => d !== s0[k]));
        throw new ValueError(
          `${op}: cannot batch tensors with different shapes in component ${j}. Element 0 has shape [${s0.join(", ")}] and element ${bad} has shape [${col[bad]!.shape.join(", ")}]${padding === null ? " (use paddedBatch to pad them to a common shape)" : ""}`,
        );
      }
      const max = s0.map((_, k) => Math.max(...col.map((t) => t.shape[k]!)));
      return stack(col.map((t) => pad(t, t.shape.map((d, k) => [0, max[k]! - d] as const), padding)), 0);
    });
    return packElement(first, stacked) as never;
  }) as Element;
}

/** The rows of a batched element (each leaf unstacked along its first axis); all leaves need the same first dimension. */
export function unstackElement(e: Element, op: string): Element[] {
  const leaves = flattenElement(e);
  const n = leaves[0]?.shape[0];
  if (leaves.some((t) => t.rank === 0) || leaves.some((t) => t.shape[0] !== n)) {
    throw new ValueError(`${op}: every component needs the same first (batch) dimension, got ${describeElement(e)}`);
  }
  const rows = leaves.map((t) => unstack(t, 0));
  return Array.from({ length: n ?? 0 }, (_, i) => packElement(e, rows.map((r) => r[i]!)));
}
