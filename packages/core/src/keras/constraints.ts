/**
 * Weight constraints (`tf.keras.constraints`): projections applied to a weight after each optimizer
 * update in `fit` (`maxNorm`, `minMaxNorm`, `nonNeg`, `unitNorm`), saved under Keras's class names.
 */
import { tidy } from "../engine/tidy.js";
import { checkOptions, optionKeys } from "../options.js";
import { ValueError } from "../errors.js";
import { add, divide, maximum, minimum, multiply } from "../ops/binary.js";
import { cast } from "../ops/cast.js";
import { greaterEqual } from "../ops/compare.js";
import { reduceSum } from "../ops/reduce.js";
import { sqrt, square } from "../ops/unary.js";
import type { Tensor } from "../tensor/tensor.js";
import { snakeToCamel } from "./config.js";
import type { SerializedObject } from "./initializers.js";

/** Keras's fuzz factor, added to norms before dividing. */
const EPSILON = 1e-7;

/** A projection of a weight's value. */
export abstract class Constraint {
  /** The Keras class name written in configs. */
  abstract readonly className: string;
  /** The constrained value of `w`. */
  abstract apply(w: Tensor): Tensor;
  /** The Keras config (snake_case keys). */
  getConfig(): Record<string, unknown> {
    return {};
  }
}

function norms(w: Tensor, axis: number | number[]): Tensor {
  return sqrt(reduceSum(square(w), { axis, keepdims: true }));
}

/** Options of the norm constraints. */
export interface NormConstraintOptions {
  /** The axis (or axes) whose norm is constrained (default 0: each output unit's incoming weights of a Dense kernel). */
  axis?: number | number[];
}

/** Norms over `axis` at most `maxValue` (default 2). */
export class MaxNorm extends Constraint {
  readonly className: string = "MaxNorm";
  readonly maxValue: number;
  readonly axis: number | number[];
  constructor(opts: { maxValue?: number } & NormConstraintOptions = {}) {
    super();
    checkOptions(`keras.constraints.${new.target.name}`, opts, optionKeys<{ maxValue?: number } & NormConstraintOptions>()("maxValue", "axis"));
    this.maxValue = opts.maxValue ?? 2;
    this.axis = opts.axis ?? 0;
  }
  apply(w: Tensor): Tensor {
    return tidy(() => {
      const n = norms(w, this.axis);
      return multiply(w, divide(minimum(maximum(n, 0), this.maxValue), add(n, EPSILON)));
    });
  }
  override getConfig(): Record<string, unknown> {
    return { max_value: this.maxValue, axis: this.axis };
  }
}

/** Norms over `axis` moved toward `[minValue, maxValue]` at `rate` (defaults 0, 1, 1). */
export class MinMaxNorm extends Constraint {
  readonly className: string = "MinMaxNorm";
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: number | number[];
  constructor(opts: { minValue?: number; maxValue?: number; rate?: number } & NormConstraintOptions = {}) {
    super();
    checkOptions(`keras.constraints.${new.target.name}`, opts, optionKeys<{ minValue?: number; maxValue?: number; rate?: number } & NormConstraintOptions>()("minValue", "maxValue", "rate", "axis"));
    this.minValue = opts.minValue ?? 0;
    this.maxValue = opts.maxValue ?? 1;
    this.rate = opts.rate ?? 1;
    this.axis = opts.axis ?? 0;
  }
  apply(w: Tensor): Tensor {
    return tidy(() => {
      const n = norms(w, this.axis);
      const desired = add(multiply(minimum(maximum(n, this.minValue), this.maxValue), this.rate), multiply(n, 1 - this.rate));
      return multiply(w, divide(desired, add(n, EPSILON)));
    });
  }
  override getConfig(): Record<string, unknown> {
    return { min_value: this.minValue, max_value: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/** Negative values set to zero. */
export class NonNeg extends Constraint {
  readonly className: string = "NonNeg";
  apply(w: Tensor): Tensor {
    return tidy(() => multiply(w, cast(greaterEqual(w, 0), w.dtype)));
  }
}

/** Norms over `axis` equal to 1. */
export class UnitNorm extends Constraint {
  readonly className: string = "UnitNorm";
  readonly axis: number | number[];
  constructor(opts: NormConstraintOptions = {}) {
    super();
    checkOptions(`keras.constraints.${new.target.name}`, opts, optionKeys<NormConstraintOptions>()("axis"));
    this.axis = opts.axis ?? 0;
  }
  apply(w: Tensor): Tensor {
    return tidy(() => divide(w, add(norms(w, this.axis), EPSILON)));
  }
  override getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

/** `tf.keras.constraints.maxNorm({ maxValue: 3 })`. */
export const maxNorm = (opts: { maxValue?: number } & NormConstraintOptions = {}): Constraint => new MaxNorm(opts);
/** `tf.keras.constraints.minMaxNorm({ minValue: 0.5, maxValue: 1 })`. */
export const minMaxNorm = (opts: { minValue?: number; maxValue?: number; rate?: number } & NormConstraintOptions = {}): Constraint => new MinMaxNorm(opts);
/** `tf.keras.constraints.nonNeg()`. */
export const nonNeg = (): Constraint => new NonNeg();
/** `tf.keras.constraints.unitNorm({ axis: 0 })`. */
export const unitNorm = (opts: NormConstraintOptions = {}): Constraint => new UnitNorm(opts);

const BY_CLASS: Record<string, (c: Record<string, unknown>) => Constraint> = {
  MaxNorm: (c) => new MaxNorm(c),
  MinMaxNorm: (c) => new MinMaxNorm(c),
  NonNeg: () => new NonNeg(),
  UnitNorm: (c) => new UnitNorm(c),
};
const BY_NAME: Record<string, string> = {
  max_norm: "MaxNorm", maxNorm: "MaxNorm", min_max_norm: "MinMaxNorm", minMaxNorm: "MinMaxNorm", non_neg: "NonNeg", nonNeg: "NonNeg", unit_norm: "UnitNorm", unitNorm: "UnitNorm",
};

/** A constraint by name (`"non_neg"`, `"maxNorm"`…), instance, or Keras config. */
export type ConstraintIdentifier = string | Constraint | SerializedObject;

/** Resolves a constraint (null/undefined for none); throws naming the valid ones when unknown. */
export function getConstraint(id: ConstraintIdentifier | null | undefined): Constraint | null {
  if (id === null || id === undefined) return null;
  if (id instanceof Constraint) return id;
  if (typeof id === "string" && (BY_NAME[id] || Object.hasOwn(BY_CLASS, id))) return BY_CLASS[BY_NAME[id] ?? id]!({});
  if (id && typeof id === "object" && typeof id.class_name === "string") {
    const f = Object.hasOwn(BY_CLASS, id.class_name) ? BY_CLASS[id.class_name] : undefined;
    if (!f) throw new ValueError(`Unknown constraint class ${JSON.stringify(id.class_name)} (known: ${Object.keys(BY_CLASS).join(", ")})`);
    // Keras writes snake_case keys, TF.js camelCase ones in memory: accept both.
    const cfg = Object.fromEntries(Object.entries(id.config ?? {}).filter(([, v]) => v !== null).map(([k, v]) => [snakeToCamel(k), v]));
    return f(cfg);
  }
  throw new ValueError(`Unknown constraint: ${JSON.stringify(id)}. Valid constraints are ${Object.keys(BY_NAME).filter((n) => n.includes("_")).map((n) => `"${n}"`).join(", ")}, a Constraint, or a { class_name, config } object.`);
}

/** `{ class_name, config }` for a config file, or null for none. */
export function serializeConstraint(c: Constraint | null): SerializedObject | null {
  return c ? { class_name: c.className, config: c.getConfig() } : null;
}

