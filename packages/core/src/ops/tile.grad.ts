/** Gradient of Tile (and so of broadcastTo): dy viewed as [r0, d0, r1, d1, ...], summed over the repetitions. */
import { registerGradient } from "../gradients/registry.js";
import { reduceSum } from "./reduce.js";
import { reshape } from "./reshape.js";

registerGradient("Tile", {
  grad: (dy, { attrs, inputShapes }) => {
    const shape = inputShapes[0]!;
    const split = shape.flatMap((d, i) => [attrs.reps[i]!, d]);
    const axes = shape.map((_, i) => 2 * i);
    return [reshape(reduceSum(reshape(dy, split), { axis: axes }), shape)];
  },
});
