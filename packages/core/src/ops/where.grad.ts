/** `where` routes dy to the branch each element took. */
import { reduceToShape } from "../gradients/grad-utils.js";
import { registerGradient } from "../gradients/registry.js";
import { where } from "./compare.js";

registerGradient("Where", {
  saveInputs: [0],
  grad: (dy, { inputs: [cond], inputShapes, needs }) => [
    null,
    needs[1] ? reduceToShape(where(cond!, dy, 0), inputShapes[1]!) : null,
    needs[2] ? reduceToShape(where(cond!, 0, dy), inputShapes[2]!) : null,
  ],
});
