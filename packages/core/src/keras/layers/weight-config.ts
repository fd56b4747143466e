/**
 * Regularizers and constraints of a layer's weights, shared by every layer that has them: the
 * options (`kernelRegularizer`, `biasConstraint`, …) read into one rule per weight, which `addWeight`
 * takes as it is, and the Keras config entries written back (`kernel_regularizer`, …).
 */
import type { Constraint, ConstraintIdentifier } from "../constraints.js";
import { getConstraint, serializeConstraint } from "../constraints.js";
import type { Initializer } from "../initializers.js";
import { serializeInitializer } from "../initializers.js";
import type { Regularizer, RegularizerIdentifier } from "../regularizers.js";
import { getRegularizer, serializeRegularizer } from "../regularizers.js";

/** A weight's penalty and projection: spread into `addWeight`'s options. */
export interface WeightRule {
  /** Added to `layer.losses`. */
  readonly regularizer: Regularizer | null;
  /** Applied after each optimizer update in `fit`. */
  readonly constraint: Constraint | null;
}

/** The options naming the regularizer and constraint of weights `N`: `kernelRegularizer`, `kernelConstraint`, … */
export type WeightRuleArgs<N extends string> = { [K in N as `${K}Regularizer`]?: RegularizerIdentifier | null } & { [K in N as `${K}Constraint`]?: ConstraintIdentifier | null };

/** The option keys of weights `names`, for a layer's `argKeys`: `kernelRegularizer`, `kernelConstraint`, … */
export function weightRuleKeys<N extends string>(...names: N[]): (`${N}Regularizer` | `${N}Constraint`)[] {
  return names.flatMap((n) => [`${n}Regularizer` as const, `${n}Constraint` as const]);
}

/** Resolves the regularizer and constraint of each weight in `names` from a layer's options. */
export function weightRules<N extends string>(args: WeightRuleArgs<N>, ...names: N[]): Record<N, WeightRule> {
  const a = args as Record<string, RegularizerIdentifier | ConstraintIdentifier | null | undefined>;
  const out = {} as Record<N, WeightRule>;
  for (const n of names) {
    out[n] = { regularizer: getRegularizer(a[`${n}Regularizer`] as RegularizerIdentifier | null | undefined), constraint: getConstraint(a[`${n}Constraint`] as ConstraintIdentifier | null | undefined) };
  }
  return out;
}

/** `kernel` → `kernel`, `recurrent` → `recurrent`: a weight name in a Keras key. */
const snake = (n: string): string => n.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The Keras config entries of `rules`: every `<weight>_regularizer`, then every `<weight>_constraint`. */
export function weightRulesConfig(rules: Readonly<Record<string, WeightRule>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [n, r] of Object.entries(rules)) out[`${snake(n)}_regularizer`] = serializeRegularizer(r.regularizer);
  for (const [n, r] of Object.entries(rules)) out[`${snake(n)}_constraint`] = serializeConstraint(r.constraint);
  return out;
}

/** No regularizer and no constraint. */
const NONE: WeightRule = { regularizer: null, constraint: null };

/**
 * The Keras config entries of a kernel and a bias, in Keras's order: initializers, regularizers, the
 * activity regularizer, constraints (null where there is none).
 */
export function kernelBiasConfig(
  kernelInitializer: Initializer,
  biasInitializer: Initializer,
  rules: { readonly kernel: WeightRule; readonly bias: WeightRule } = { kernel: NONE, bias: NONE },
  activityRegularizer: Regularizer | null = null,
): Record<string, unknown> {
  return {
    kernel_initializer: serializeInitializer(kernelInitializer),
    bias_initializer: serializeInitializer(biasInitializer),
    kernel_regularizer: serializeRegularizer(rules.kernel.regularizer),
    bias_regularizer: serializeRegularizer(rules.bias.regularizer),
    activity_regularizer: serializeRegularizer(activityRegularizer),
    kernel_constraint: serializeConstraint(rules.kernel.constraint),
    bias_constraint: serializeConstraint(rules.bias.constraint),
  };
}
