/** Gather and UnsortedSegmentSum are each other's gradient (in the kernels' [outer, n, inner] view). */
import { ENGINE } from "../engine/engine.js";
import { registerGradient } from "../gradients/registry.js";
import type { Tensor } from "../tensor/tensor.js";
import { reshape } from "./reshape.js";

/** out[o, idx[j], i] += x[o, j, i] for x viewed as [outer, m, inner]. */
function segmentSum(x: Tensor, indices: Tensor, view: readonly [number, number, number], numSegments: number): Tensor {
  const [o, m, i] = view;
  return ENGINE.runKernel("UnsortedSegmentSum", [x, indices], { numSegments }, { shape: [o, numSegments, i], dtype: x.dtype }, [[o, m, i], [m]]);
}

/** out[o, j, i] = x[o, idx[j], i] for x viewed as [outer, n, inner]. */
function gatherView(x: Tensor, indices: Tensor, view: readonly [number, number, number], m: number, shape: readonly number[]): Tensor {
  const [o, n, i] = view;
  return ENGINE.runKernel("Gather", [x, indices], {}, { shape: [o, m, i], dtype: x.dtype }, [[o, n, i], [m]], shape);
}

registerGradient("Gather", {
  saveInputs: [1],
  grad: (dy, { inputs: [, indices], inputShapes, views, needs }) => {
    if (!needs[0]) return [null, null];
    const [o, n, i] = views[0]!;
    const m = views[1]![0]!;
    const summed = segmentSum(dy, indices!, [o!, m, i!], n!);
    return [reshape(summed, inputShapes[0]!), null];
  },
});

// Indices given to UnsortedSegmentSum come from a Gather, which checked them.
registerGradient("UnsortedSegmentSum", {
  saveInputs: [1],
  grad: (g, { inputs: [, indices], inputShapes, views, attrs, needs }) => {
    if (!needs[0]) return [null, null];
    const [o, m, i] = views[0] ?? inputShapes[0]!;
    return [gatherView(g, indices!, [o!, attrs.numSegments, i!], m!, inputShapes[0]!), null];
  },
});
