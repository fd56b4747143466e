/**
 * Weight regularizers (`tf.keras.regularizers`): penalties on a weight added to the model's loss
 * while training (`model.losses`). Saved as TensorFlow.js and Keras do (`L1L2`, and Keras's `L1`/`L2`).
 */
import { tidy } from "../engine/tidy.js";
import { checkOptions, optionKeys } from "../options.js";
import { ValueError } from "../errors.js";
import { add, multiply } from "../ops/binary.js";
import { reduceSum } from "../ops/reduce.js";
import { abs, square } from "../ops/unary.js";
import type { Tensor } from "../tensor/tensor.js";
import type { SerializedObject } from "./initializers.js";

/** A penalty on a weight: a scalar tensor. */
export abstract class Regularizer {
  /** The Keras class name written in configs. */
  abstract readonly className: string;
  /** The penalty of `x` (a scalar). */
  abstract call(x: Tensor): Tensor;
  /** The Keras config (snake_case keys). */
  abstract getConfig(): Record<string, unknown>;
}

function factor(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new ValueError(`Regularizer ${what} must be a non-negative number, got ${JSON.stringify(v)}`);
  return v;
}

/** `l1 · Σ|x| + l2 · Σx²` (Keras's `L1L2`). */
export class L1L2 extends Regularizer {
  readonly className: string = "L1L2";
  readonly l1: number;
  readonly l2: number;
  constructor(opts: { l1?: number; l2?: number } = {}) {
    super();
    checkOptions(`keras.regularizers.${new.target.name}`, opts, optionKeys<{ l1?: number; l2?: number }>()("l1", "l2"));
    this.l1 = factor(opts.l1 ?? 0, "l1");
    this.l2 = factor(opts.l2 ?? 0, "l2");
  }
  call(x: Tensor): Tensor {
    return tidy(() => {
      const l1 = multiply(reduceSum(abs(x)), this.l1);
      return this.l2 === 0 ? l1 : add(l1, multiply(reduceSum(square(x)), this.l2));
    });
  }
  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** `l1 · Σ|x|`: `tf.keras.regularizers.l1(0.01)`. */
export function l1(l1 = 0.01): Regularizer {
  return new L1L2({ l1 });
}

/** `l2 · Σx²`: `tf.keras.regularizers.l2(0.01)`. */
export function l2(l2 = 0.01): Regularizer {
  return new L1L2({ l2 });
}

/** Both penalties: `tf.keras.regularizers.l1l2({ l1: 0.01, l2: 0.01 })`. */
export function l1l2(opts: { l1?: number; l2?: number } = { l1: 0.01, l2: 0.01 }): Regularizer {
  return new L1L2(opts);
}

/** A regularizer by name (`"l2"`, with Keras's default 0.01), instance, or Keras config. */
export type RegularizerIdentifier = "l1" | "l2" | "l1_l2" | "l1l2" | Regularizer | SerializedObject;

/** Resolves a regularizer (null/undefined for none); throws naming the valid ones when unknown. */
export function getRegularizer(id: RegularizerIdentifier | null | undefined): Regularizer | null {
  if (id === null || id === undefined) return null;
  if (id instanceof Regularizer) return id;
  if (typeof id === "string") {
    if (id === "l1") return l1();
    if (id === "l2") return l2();
    if (id === "l1_l2" || id === "l1l2") return l1l2();
  } else if (typeof id === "object" && typeof id.class_name === "string") {
    const c = id.config ?? {};
    const num = (k: string) => (c[k] === undefined || c[k] === null ? undefined : (c[k] as number));
    if (id.class_name === "L1L2") return new L1L2({ l1: num("l1") ?? 0, l2: num("l2") ?? 0 });
    if (id.class_name === "L1") return new L1L2({ l1: num("l1") ?? 0.01 });
    if (id.class_name === "L2") return new L1L2({ l2: num("l2") ?? 0.01 });
    throw new ValueError(`Unknown regularizer class ${JSON.stringify(id.class_name)} (known: L1L2, L1, L2)`);
  }
  throw new ValueError(`Unknown regularizer: ${JSON.stringify(id)}. Valid regularizers are "l1", "l2", "l1_l2", a Regularizer, or a { class_name, config } object.`);
}

/** `{ class_name, config }` for a config file, or null for none. */
export function serializeRegularizer(r: Regularizer | null): SerializedObject | null {
  return r ? { class_name: r.className, config: r.getConfig() } : null;
}
