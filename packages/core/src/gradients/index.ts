/** Automatic differentiation: the public names. Gradients of each op live beside it in `ops/<family>.grad.ts`. */
export { GradientTape } from "./gradient-tape.js";
export type { GradientOptions, GradientResult, GradientSources, GradientTapeOptions, JacobianOptions, UnconnectedGradients } from "./gradient-tape.js";
export { customGradient, grad, grads, valueAndGrad, valueAndGrads } from "./functional.js";
export type { CustomGradientResult } from "./functional.js";
export type { CustomGradFn } from "./tape.js";
