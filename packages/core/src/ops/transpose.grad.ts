/** Gradient of Transpose: dy transposed by the inverse permutation. */
import { registerGradient } from "../gradients/registry.js";
import { transpose } from "./transpose.js";

registerGradient("Transpose", {
  grad: (dy, { attrs }) => {
    const inverse = new Array<number>(attrs.perm.length);
    attrs.perm.forEach((p, i) => (inverse[p] = i));
    return [transpose(dy, inverse)];
  },
});
