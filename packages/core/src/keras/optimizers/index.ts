/** `tf.keras.optimizers`. */
import { ValueError } from "../../errors.js";
import { Adam } from "./adam.js";
import type { Optimizer } from "./optimizer.js";
import { RMSprop } from "./rmsprop.js";
import { SGD } from "./sgd.js";

export { Adam } from "./adam.js";
export type { AdamOptions } from "./adam.js";
export { Optimizer } from "./optimizer.js";
export type { GradientVariablePair, OptimizerOptions } from "./optimizer.js";
export { RMSprop } from "./rmsprop.js";
export type { RMSpropOptions } from "./rmsprop.js";
export { SGD } from "./sgd.js";
export type { SGDOptions } from "./sgd.js";

const BY_NAME: Record<string, () => Optimizer> = {
  sgd: () => new SGD(),
  adam: () => new Adam(),
  rmsprop: () => new RMSprop(),
};

/** Optimizer names `compile` accepts (any letter case). */
export const OPTIMIZER_NAMES = Object.keys(BY_NAME);

/** An optimizer by name (`"adam"`, with Keras's defaults) or instance. */
export type OptimizerIdentifier = string | Optimizer;

/** Resolves an optimizer; throws listing the valid names when unknown. */
export function get(identifier: OptimizerIdentifier): Optimizer {
  if (typeof identifier === "string") {
    const name = identifier.toLowerCase();
    const f = Object.hasOwn(BY_NAME, name) ? BY_NAME[name] : undefined;
    if (f) return f();
  } else if (identifier && typeof identifier === "object" && typeof (identifier as Optimizer).applyGradients === "function") {
    return identifier;
  }
  throw new ValueError(`Unknown optimizer: ${JSON.stringify(identifier)}. Valid optimizers are: ${OPTIMIZER_NAMES.map((n) => `"${n}"`).join(", ")}, or an Optimizer instance.`);
}
