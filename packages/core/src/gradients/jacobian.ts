/**
 * Jacobians: one backward pass per element of the target, seeded with that element's one-hot, stacked
 * into `[...target.shape, ...source.shape]`. The passes run with core ops, so outer tapes record them
 * (a Hessian is the Jacobian of a gradient).
 */
import { cast } from "../ops/cast.js";
import { stack } from "../ops/concat.js";
import { zeros } from "../ops/creation.js";
import { oneHot } from "../ops/gather.js";
import { reshape } from "../ops/reshape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Tape } from "./tape.js";

export function jacobianOf(tape: Tape, target: Tensor, sources: readonly Tensor[], sourceIds: readonly number[], zeroUnconnected: boolean): (Tensor | null)[] {
  const n = target.size;
  const rows: (Tensor | null)[][] = sources.map(() => []);
  try {
    for (let i = 0; i < n; i++) {
      const hot = oneHot(i, n);
      const typed = cast(hot, target.dtype);
      const seed = reshape(typed, target.shape);
      try {
        const grads = tape.backward([{ id: target.id, seed }], sourceIds);
        grads.forEach((g, s) => rows[s]!.push(g));
      } finally {
        seed.dispose();
        typed.dispose();
        hot.dispose();
      }
    }
    return sources.map((src, s) => {
      const shape = [...target.shape, ...src.shape];
      const list = rows[s]!;
      if (src.dtype !== "float32" && src.dtype !== "float64" && src.dtype !== "complex64") return null;
      const connected = list.some((g) => g !== null);
      if (!connected && !zeroUnconnected) return null;
      if (n === 0 || !connected) return zeros(shape, src.dtype);
      const filled = list.map((g) => g ?? zeros(src.shape, src.dtype));
      const stacked = stack(filled, 0);
      try {
        return reshape(stacked, shape);
      } finally {
        stacked.dispose();
        for (const g of filled) g.dispose();
        list.length = 0;
      }
    });
  } finally {
    for (const list of rows) for (const g of list) g?.dispose();
  }
}
