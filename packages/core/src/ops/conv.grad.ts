/**
 * Gradients of convolution and pooling. Each gradient is again a conv/pool kernel, and those have
 * gradients too (Conv2DBackpropInput/Filter, AvgPoolGrad, and MaxPoolGrad through `maxPoolGradGrad`),
 * so networks built from them are differentiable to any order.
 */
import type { DType } from "../dtypes.js";
import { ENGINE } from "../engine/engine.js";
import { registerGradient } from "../gradients/registry.js";
import type { Conv2DAttrs, Pool2DAttrs } from "../kernel/interface.js";
import type { Tensor } from "../tensor/tensor.js";
import { add, multiply, subtract } from "./binary.js";
import { cast } from "./cast.js";
import { equal, greater, logicalAnd } from "./compare.js";
import { ones, zeros } from "./creation.js";
import { reshape } from "./reshape.js";
import { pad, slice } from "./slice.js";

const run4 = (k: "Conv2D" | "Conv2DBackpropInput" | "Conv2DBackpropFilter", a: Tensor, b: Tensor, attrs: Conv2DAttrs, shape: readonly number[]): Tensor =>
  ENGINE.runKernel(k, [a, b], attrs, { shape: shape.slice(), dtype: a.dtype });

const pool = (k: "MaxPool" | "AvgPool" | "AvgPoolGrad", x: Tensor, attrs: Pool2DAttrs, shape: readonly number[]): Tensor =>
  ENGINE.runKernel(k, [x], attrs, { shape: shape.slice(), dtype: x.dtype });

registerGradient("Conv2D", {
  saveInputs: [0, 1],
  grad: (dy, { inputs: [x, f], inputShapes, attrs, needs }) => [
    needs[0] ? run4("Conv2DBackpropInput", dy, f!, attrs, inputShapes[0]!) : null,
    needs[1] ? run4("Conv2DBackpropFilter", x!, dy, attrs, inputShapes[1]!) : null,
  ],
});

// Conv2DBackpropInput(dy, filter) is linear in each argument: its gradients are a convolution and a filter backprop.
registerGradient("Conv2DBackpropInput", {
  saveInputs: [0, 1],
  grad: (g, { inputs: [dy, f], inputShapes, attrs, needs }) => [
    needs[0] ? run4("Conv2D", g, f!, attrs, inputShapes[0]!) : null,
    needs[1] ? run4("Conv2DBackpropFilter", g, dy!, attrs, inputShapes[1]!) : null,
  ],
});

registerGradient("Conv2DBackpropFilter", {
  saveInputs: [0, 1],
  grad: (g, { inputs: [x, dy], inputShapes, attrs, needs }) => [
    needs[0] ? run4("Conv2DBackpropInput", dy!, g, attrs, inputShapes[0]!) : null,
    needs[1] ? run4("Conv2D", x!, g, attrs, inputShapes[1]!) : null,
  ],
});

registerGradient("MaxPool", {
  saveInputs: [0],
  grad: (dy, { inputs: [x], attrs }) => [ENGINE.runKernel("MaxPoolGrad", [x!, dy], attrs, { shape: x!.shape.slice(), dtype: x!.dtype })],
});

registerGradient("AvgPool", {
  grad: (dy, { inputShapes, attrs }) => [pool("AvgPoolGrad", dy, attrs, inputShapes[0]!)],
});

// AvgPoolGrad is the transpose of AvgPool, so its gradient is AvgPool.
registerGradient("AvgPoolGrad", {
  grad: (g, { inputShapes, attrs }) => [pool("AvgPool", g, attrs, inputShapes[0]!)],
});

/**
 * The gradient of MaxPoolGrad(x, dy) with respect to dy: for each window, g at the window's first
 * maximum of x (the element MaxPoolGrad sent that window's dy to). Windows are read as strided
 * slices of the padded input, one per kernel offset, in the kernel's row-major order.
 */
export function maxPoolGradGrad(x: Tensor, g: Tensor, attrs: Pool2DAttrs, dyShape: readonly number[]): Tensor {
  const [, h, w] = x.shape as [number, number, number, number];
  const [, oh, ow] = dyShape as [number, number, number, number];
  const [kh, kw] = attrs.ksize;
  const [sh, sw] = attrs.strides;
  const pads: [number, number][] = [
    [0, 0],
    [attrs.padTop, Math.max(0, kh - 1 + oh * sh - attrs.padTop - h)],
    [attrs.padLeft, Math.max(0, kw - 1 + ow * sw - attrs.padLeft - w)],
    [0, 0],
  ];
  const window = (t: Tensor, i: number, j: number): Tensor => {
    const b = t.shape[0]!;
    const d = t.shape[3]!;
    const rows = slice(t, [0, i, j, 0], [b, oh * sh, ow * sw, d]);
    const strided = slice(reshape(rows, [b, oh, sh, ow, sw, d]), [0, 0, 0, 0, 0, 0], [b, oh, 1, ow, 1, d]);
    return reshape(strided, [b, oh, ow, d]);
  };
  const dtype: DType = x.dtype;
  const xp = pad(x, pads, -Infinity);
  const gp = pad(g, pads, 0);
  const inside = pad(ones([1, h, w, 1], dtype), pads, 0);
  const max = pool("MaxPool", x, attrs, dyShape);
  let taken = zeros(max.shape, dtype);
  let out = zeros(max.shape, dtype);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const hit = cast(logicalAnd(equal(window(xp, i, j), max), greater(window(inside, i, j), 0)), dtype);
      const first = multiply(hit, subtract(1, taken));
      taken = add(taken, first);
      out = add(out, multiply(first, window(gp, i, j)));
    }
  }
  return out;
}

// The gradient with respect to x is zero almost everywhere (the window maxima are locally fixed), as TensorFlow.
registerGradient("MaxPoolGrad", {
  saveInputs: [0],
  grad: (g, { inputs: [x], inputShapes, inputDtypes, attrs, needs }) => [
    needs[0] ? zeros(inputShapes[0]!, inputDtypes[0]!) : null,
    needs[1] ? maxPoolGradGrad(x!, g, attrs, inputShapes[1]!) : null,
  ],
});
