/** Config entries shared by layers with a kernel and a bias. */
import type { Initializer } from "../initializers.js";
import { serializeInitializer } from "../initializers.js";

/**
 * The Keras config entries of a kernel and a bias with these initializers and no regularizers or
 * constraints (Keras saves them as null), in Keras's order.
 */
export function kernelBiasConfig(kernelInitializer: Initializer, biasInitializer: Initializer): Record<string, unknown> {
  return {
    kernel_initializer: serializeInitializer(kernelInitializer),
    bias_initializer: serializeInitializer(biasInitializer),
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  };
}
