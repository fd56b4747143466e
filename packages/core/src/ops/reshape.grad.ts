/** Gradient of Reshape (reshape, expandDims, squeeze): dy in the input's shape. */
import { registerGradient } from "../gradients/registry.js";
import { reshape } from "./reshape.js";

registerGradient("Reshape", { grad: (dy, { inputShapes }) => [reshape(dy, inputShapes[0]!)] });
