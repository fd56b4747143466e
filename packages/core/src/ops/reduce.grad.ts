/**
 * Gradients of the reductions, written in the kernel's canonical `[outer, n, inner]` view (the tape
 * records it), so one formula covers every choice of axes.
 */
import type { GradContext } from "../gradients/registry.js";
import { registerGradient, registerNonDifferentiable } from "../gradients/registry.js";
import type { Tensor } from "../tensor/tensor.js";
import { divide, multiply } from "./binary.js";
import { cast } from "./cast.js";
import { equal } from "./compare.js";
import { zeros } from "./creation.js";
import { reduceSum } from "./reduce.js";
import { reshape } from "./reshape.js";
import { pad, slice } from "./slice.js";
import { broadcastTo } from "./tile.js";

/** The canonical view [outer, n, inner] the kernel reduced over. */
function viewOf(c: GradContext): [number, number, number] {
  const v = c.views[0];
  if (!v || v.length !== 3) throw new Error("reduction gradient: the tape did not record the canonical [outer, n, inner] view");
  return [v[0]!, v[1]!, v[2]!];
}

/** dy as [outer, 1, inner], ready to broadcast over the reduced axis. */
function dyView(dy: Tensor, [o, , i]: [number, number, number]): Tensor {
  return reshape(dy, [o, 1, i]);
}

registerGradient("Sum", {
  grad: (dy, c) => {
    const v = viewOf(c);
    return [reshape(broadcastTo(dyView(dy, v), v), c.inputShapes[0]!)];
  },
});

/**
 * Product of the elements before (or after) each position along axis 1, by a log-depth scan of
 * multiplications: exact with zeros, and differentiable again (TensorFlow uses cumprod the same way).
 */
function exclusiveProducts(x: Tensor, [o, n, i]: [number, number, number], fromEnd: boolean): Tensor {
  const shift = (t: Tensor, s: number): Tensor =>
    fromEnd
      ? pad(slice(t, [0, s, 0], [o, n - s, i]), [[0, 0], [0, s], [0, 0]], 1)
      : pad(slice(t, [0, 0, 0], [o, n - s, i]), [[0, 0], [s, 0], [0, 0]], 1);
  let acc = shift(x, 1);
  for (let s = 1; s < n; s *= 2) acc = multiply(acc, shift(acc, s));
  return acc;
}

registerGradient("Prod", {
  saveInputs: [0],
  grad: (dy, c) => {
    const v = viewOf(c);
    const shape = c.inputShapes[0]!;
    if (v[1] === 0) return [zeros(shape, c.inputDtypes[0]!)];
    const x = reshape(c.inputs[0]!, v);
    const others = multiply(exclusiveProducts(x, v, false), exclusiveProducts(x, v, true));
    return [reshape(multiply(others, dyView(dy, v)), shape)];
  },
});

/** Max and Min: dy is shared equally among the elements that attain the extreme (as TensorFlow). */
function extremeGrad(dy: Tensor, c: GradContext): Tensor[] {
  const v = viewOf(c);
  const x = reshape(c.inputs[0]!, v);
  const y = reshape(c.output!, [v[0], 1, v[2]]);
  const hit = cast(equal(x, y), x.dtype);
  const share = divide(hit, reduceSum(hit, { axis: 1, keepdims: true }));
  return [reshape(multiply(share, dyView(dy, v)), c.inputShapes[0]!)];
}
registerGradient("Max", { saveInputs: [0], saveOutput: true, grad: extremeGrad });
registerGradient("Min", { saveInputs: [0], saveOutput: true, grad: extremeGrad });

registerNonDifferentiable("All", "Any", "ArgMax", "ArgMin");
