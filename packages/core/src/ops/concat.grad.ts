/** Gradient of Concat (concat, stack): the kernel ran on [outer, inner_i] pieces; slice each piece's columns back out. */
import { registerGradient } from "../gradients/registry.js";
import { reshape } from "./reshape.js";
import { slice } from "./slice.js";

registerGradient("Concat", {
  grad: (dy, { views, inputShapes, needs }) => {
    const outer = views[0]![0]!;
    const flat = reshape(dy, [outer, -1]);
    let offset = 0;
    return inputShapes.map((shape, i) => {
      const inner = views[i]![1]!;
      const begin = offset;
      offset += inner;
      return needs[i] ? reshape(slice(flat, [0, begin], [outer, inner]), shape) : null;
    });
  },
});
