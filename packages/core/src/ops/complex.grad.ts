/**
 * Gradients of complex construction and parts, in TensorFlow's convention: for a real loss L of
 * z = x + iy the gradient is ∂L/∂x + i·∂L/∂y.
 */
import { reduceToShape } from "../gradients/grad-utils.js";
import { registerGradient } from "../gradients/registry.js";
import { complex, conj, imag, real } from "./complex.js";
import { zerosLike } from "./creation.js";

registerGradient("Complex", {
  grad: (dy, { inputShapes, needs }) => [
    needs[0] ? reduceToShape(real(dy), inputShapes[0]!) : null,
    needs[1] ? reduceToShape(imag(dy), inputShapes[1]!) : null,
  ],
});
registerGradient("Real", { grad: (dy) => [complex(dy, zerosLike(dy))] });
registerGradient("Imag", { grad: (dy) => [complex(zerosLike(dy), dy)] });
registerGradient("Conj", { grad: (dy) => [conj(dy)] });
