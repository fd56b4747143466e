/** Gradient of BatchMatMul, in the kernel's rank-3 view, for each transpose combination and batch broadcast. */
import { conjIfComplex } from "../gradients/grad-utils.js";
import { registerGradient } from "../gradients/registry.js";
import type { Tensor } from "../tensor/tensor.js";
import { matmul } from "./matmul.js";
import { reduceSum } from "./reduce.js";
import { reshape } from "./reshape.js";

/** Sums a gradient over the batch when the input had a batch of 1 that the kernel broadcast. */
function unbroadcast(g: Tensor, batch: number, shape: readonly number[]): Tensor {
  const summed = batch === 1 && g.shape[0] !== 1 ? reduceSum(g, { axis: 0, keepdims: true }) : g;
  return reshape(summed, shape);
}

registerGradient("BatchMatMul", {
  saveInputs: [0, 1],
  grad: (dy, c) => {
    const { transposeA: tA, transposeB: tB } = c.attrs;
    const va = c.views[0] ?? c.inputShapes[0]!;
    const vb = c.views[1] ?? c.inputShapes[1]!;
    const m = c.outputShape[c.outputShape.length - 2]!;
    const n = c.outputShape[c.outputShape.length - 1]!;
    const g = reshape(dy, [-1, m, n]);
    // Complex: the adjoint (conjugate transpose), as TensorFlow.
    const a = reshape(conjIfComplex(c.inputs[0]!), va);
    const b = reshape(conjIfComplex(c.inputs[1]!), vb);
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (c.needs[0]) {
      ga = tA
        ? matmul(b, g, { transposeA: tB, transposeB: true })
        : matmul(g, b, { transposeB: !tB });
      ga = unbroadcast(ga, va[0]!, c.inputShapes[0]!);
    }
    if (c.needs[1]) {
      gb = tB
        ? matmul(g, a, { transposeA: true, transposeB: tA })
        : matmul(a, g, { transposeA: !tA });
      gb = unbroadcast(gb, vb[0]!, c.inputShapes[1]!);
    }
    return [ga, gb];
  },
});
