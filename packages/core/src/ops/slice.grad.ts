/** Slice and Pad are each other's gradient. */
import { registerGradient } from "../gradients/registry.js";
import { pad, slice } from "./slice.js";

registerGradient("Slice", {
  grad: (dy, { attrs, inputShapes, outputShape }) => {
    const shape = inputShapes[0]!;
    return [pad(dy, attrs.begin.map((b, i) => [b, shape[i]! - b - outputShape[i]!] as [number, number]))];
  },
});

registerGradient("Pad", {
  grad: (dy, { attrs, inputShapes }) => [slice(dy, attrs.paddings.map((p) => p[0]), inputShapes[0]!)],
});
