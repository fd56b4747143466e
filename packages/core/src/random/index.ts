/**
 * `tf.random`: random tensors drawn in core from a Philox4x32-10 counter-based generator and
 * uploaded, so the same seeds give bit-identical values on every backend.
 */
export { normal, truncatedNormal } from "./normal.js";
export type { NormalOptions } from "./normal.js";
export { permutation, shuffle } from "./permutation.js";
export type { PermutationOptions } from "./permutation.js";
export { setSeed } from "./seed.js";
export { uniform } from "./uniform.js";
export type { UniformOptions } from "./uniform.js";
export { categorical } from "./categorical.js";
export type { CategoricalOptions } from "./categorical.js";
export { gamma } from "./gamma.js";
export type { GammaOptions } from "./gamma.js";
export { poisson } from "./poisson.js";
export type { PoissonOptions } from "./poisson.js";
export { statelessCategorical, statelessNormal, statelessTruncatedNormal, statelessUniform } from "./stateless.js";
export type { StatelessCategoricalOptions, StatelessNormalOptions, StatelessSeed, StatelessUniformOptions } from "./stateless.js";
