/** Batched matrix multiplication. Gradient in matmul.grad.ts. */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { broadcastShapes, describeDims, sizeFromShape } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { NUMERIC, checkDtype, withTensors } from "./op-utils.js";
import { broadcastTo } from "./tile.js";
import { defineOp } from "./table/define.js";
import { optionKeys } from "../options.js";

/** Options of `tf.matmul`. */
export interface MatMulOptions {
  /** Use the transpose of `a`'s last two axes (no copy is made). */
  transposeA?: boolean;
  /** Use the transpose of `b`'s last two axes (no copy is made). */
  transposeB?: boolean;
}
const MATMUL_KEYS = optionKeys<MatMulOptions>()("transposeA", "transposeB");

/**
 * `a @ b` over the last two axes; leading (batch) axes broadcast with NumPy's rules.
 * Both operands need rank ≥ 2 and the same dtype.
 */
export const matmul = defineOp("matmul", function matmul(a: TensorLike, b: TensorLike, opts: MatMulOptions = {}): Tensor {
  const transposeA = opts.transposeA ?? false;
  const transposeB = opts.transposeB ?? false;
  return withTensors([a, b], "MatMul", ([x, y]) => {
    checkDtype("MatMul", x!.dtype, NUMERIC);
    if (x!.rank < 2 || y!.rank < 2) {
      throw new InvalidArgumentError(
        opMessage("MatMul", `In[0] and In[1] must have rank >= 2, got shapes ${describeDims(x!.shape)} and ${describeDims(y!.shape)}`),
      );
    }
    const [m, ka] = lastTwo(x!.shape, transposeA);
    const [kb, n] = lastTwo(y!.shape, transposeB);
    if (ka !== kb) {
      throw new InvalidArgumentError(
        opMessage("MatMul", `Matrix size-incompatible: In[0]: ${describeDims(x!.shape)}, In[1]: ${describeDims(y!.shape)}${transposeA || transposeB ? ` (transposeA=${transposeA}, transposeB=${transposeB})` : ""}`),
      );
    }
    const batchA = x!.shape.slice(0, -2);
    const batchB = y!.shape.slice(0, -2);
    const batch = broadcastShapes(batchA, batchB, "MatMul");
    const outShape = [...batch, m, n];
    const ba = sizeFromShape(batchA);
    const bb = sizeFromShape(batchB);
    const bo = sizeFromShape(batch);
    // The kernel broadcasts only a batch of 1; other broadcasts are materialised (rare).
    let xa = x!;
    let yb = y!;
    const temps: Tensor[] = [];
    if (ba !== bo && ba !== 1) temps.push((xa = broadcastTo(x!, [...batch, ...x!.shape.slice(-2)])));
    if (bb !== bo && bb !== 1) temps.push((yb = broadcastTo(y!, [...batch, ...y!.shape.slice(-2)])));
    try {
      const viewA = [sizeFromShape(xa.shape.slice(0, -2)), ...xa.shape.slice(-2)];
      const viewB = [sizeFromShape(yb.shape.slice(0, -2)), ...yb.shape.slice(-2)];
      const out = { shape: [bo, m, n], dtype: x!.dtype };
      return ENGINE.runKernel("BatchMatMul", [xa, yb], { transposeA, transposeB }, out, [viewA, viewB], outShape);
    } finally {
      for (const t of temps) t.dispose();
    }
  });
}, { paths: ["linalg.matmul"], args: 3, options: MATMUL_KEYS });

function lastTwo(shape: readonly number[], transposed: boolean): [number, number] {
  const r = shape[shape.length - 2]!;
  const c = shape[shape.length - 1]!;
  return transposed ? [c, r] : [r, c];
}
