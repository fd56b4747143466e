/** `tf.keras.optimizers`. */
import { ValueError } from "../../errors.js";
import { Adadelta } from "./adadelta.js";
import { Adagrad } from "./adagrad.js";
import { Adam, AdamW } from "./adam.js";
import { Adamax } from "./adamax.js";
import { Ftrl } from "./ftrl.js";
import { Lion } from "./lion.js";
import { Nadam } from "./nadam.js";
import type { OptimizerOptions } from "./optimizer.js";
import { Optimizer } from "./optimizer.js";
import { RMSprop } from "./rmsprop.js";
import { SGD } from "./sgd.js";

export { Adadelta } from "./adadelta.js";
export type { AdadeltaOptions } from "./adadelta.js";
export { Adagrad } from "./adagrad.js";
export type { AdagradOptions } from "./adagrad.js";
export { Adam, AdamW } from "./adam.js";
export type { AdamOptions, AdamWOptions } from "./adam.js";
export { Adamax } from "./adamax.js";
export type { AdamaxOptions } from "./adamax.js";
export { Ftrl } from "./ftrl.js";
export type { FtrlOptions } from "./ftrl.js";
export { Lion } from "./lion.js";
export type { LionOptions } from "./lion.js";
export { Nadam } from "./nadam.js";
export type { NadamOptions } from "./nadam.js";
export { Optimizer } from "./optimizer.js";
export type { GradientVariablePair, LearningRate, NamedOptimizerWeight, OptimizerOptions, SlotSpec } from "./optimizer.js";
export { RMSprop } from "./rmsprop.js";
export type { RMSpropOptions } from "./rmsprop.js";
export { SGD } from "./sgd.js";
export type { SGDOptions } from "./sgd.js";
export * as schedules from "./schedules.js";

type OptimizerClass = (new (options?: OptimizerOptions) => Optimizer) & { fromConfig(config: Record<string, unknown>): Optimizer };

const CLASSES: Record<string, OptimizerClass> = {
  sgd: SGD, adam: Adam, adamw: AdamW, rmsprop: RMSprop, adagrad: Adagrad, adadelta: Adadelta, adamax: Adamax, nadam: Nadam, ftrl: Ftrl, lion: Lion,
};

/** Optimizer names `compile` accepts (any letter case). */
export const OPTIMIZER_NAMES = Object.keys(CLASSES);

/** An optimizer by name (`"adam"`, with Keras's defaults), `{ class_name, config }`, or instance. */
export type OptimizerIdentifier = string | Optimizer | { class_name: string; config: Record<string, unknown> };

/** `{ class_name, config }` of an optimizer (what Keras saves). */
export function serialize(optimizer: Optimizer): { class_name: string; config: Record<string, unknown> } {
  if (!(optimizer instanceof Optimizer)) throw new ValueError(`serialize expects an Optimizer, got ${JSON.stringify(optimizer)}`);
  return { class_name: optimizer.className, config: optimizer.getConfig() };
}

/** An optimizer from `{ class_name, config }` (the inverse of `serialize`). */
export function deserialize(spec: { class_name: string; config?: Record<string, unknown> }): Optimizer {
  const key = typeof spec?.class_name === "string" ? spec.class_name.toLowerCase() : "";
  const cls = Object.hasOwn(CLASSES, key) ? CLASSES[key] : undefined;
  if (!cls) throw new ValueError(`Unknown optimizer: ${JSON.stringify(spec?.class_name ?? spec)}. Valid optimizers are: ${OPTIMIZER_NAMES.map((n) => `"${n}"`).join(", ")}`);
  return cls.fromConfig(spec.config ?? {});
}

/** Resolves an optimizer; throws listing the valid names when unknown. */
export function get(identifier: OptimizerIdentifier): Optimizer {
  if (typeof identifier === "string") {
    const name = identifier.toLowerCase();
    const cls = Object.hasOwn(CLASSES, name) ? CLASSES[name] : undefined;
    if (cls) return new cls();
  } else if (identifier instanceof Optimizer) {
    return identifier;
  } else if (identifier && typeof identifier === "object" && typeof (identifier as unknown as Optimizer).applyGradients === "function") {
    return identifier as unknown as Optimizer;
  } else if (identifier && typeof identifier === "object" && "class_name" in identifier) {
    return deserialize(identifier);
  }
  throw new ValueError(`Unknown optimizer: ${JSON.stringify(identifier)}. Valid optimizers are: ${OPTIMIZER_NAMES.map((n) => `"${n}"`).join(", ")}, or an Optimizer instance.`);
}
