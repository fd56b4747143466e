/** The base of `tf.keras.optimizers`: `applyGradients` with argument checks, slot variables, the step counter. */
import { ValueError } from "../../errors.js";
import { ENGINE } from "../../engine/engine.js";
import { tidy } from "../../engine/tidy.js";
import { GradientTape } from "../../gradients/gradient-tape.js";
import { zeros } from "../../ops/creation.js";
import { formatShapeTuple } from "../../shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { Variable } from "../../tensor/variable.js";

/** Options every optimizer takes. */
export interface OptimizerOptions {
  /** Step size. */
  learningRate?: number;
  name?: string;
}

/** One `[gradient, variable]` pair; a `null` gradient (variable not used by the loss) is skipped. */
export type GradientVariablePair = readonly [Tensor | null | undefined, Variable];

/**
 * Updates variables from their gradients. Subclasses implement `updateStep` with core ops; slot
 * variables (moments, velocities) are created lazily per variable with `slot`.
 */
export abstract class Optimizer {
  /** The Keras class name. */
  abstract readonly className: string;
  readonly name: string;
  /** Step size; may be changed between steps. */
  learningRate: number;
  private steps = 0;
  private readonly slots = new Map<Variable, Map<string, Variable>>();

  constructor(defaultName: string, defaultLearningRate: number, options: OptimizerOptions) {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw new ValueError(`${defaultName}: options must be an object like { learningRate: 0.001 }, got ${JSON.stringify(options)}`);
    }
    this.name = options.name ?? defaultName;
    this.learningRate = options.learningRate ?? defaultLearningRate;
    checkPositive(this.learningRate, "learningRate", this.name);
  }

  /** How many times `applyGradients` has updated variables (TensorFlow's `optimizer.iterations`). */
  get iterations(): number {
    return this.steps;
  }

  /**
   * Applies one step to each variable from its gradient: `optimizer.applyGradients(tf.zip(grads, vars))`.
   * Every pair is checked before any variable changes. Returns the new step count.
   */
  applyGradients(gradsAndVars: Iterable<GradientVariablePair>): number {
    if (gradsAndVars === null || typeof (gradsAndVars as Iterable<unknown>)?.[Symbol.iterator] !== "function") {
      throw new ValueError(`applyGradients expects a list of [gradient, variable] pairs (use tf.zip(grads, vars)), got ${String(gradsAndVars)}`);
    }
    const pairs: [Tensor, Variable][] = [];
    const missing: string[] = [];
    let n = 0;
    for (const pair of gradsAndVars) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new ValueError(`applyGradients expects [gradient, variable] pairs (use tf.zip(grads, vars)); pair ${n} is ${describe(pair)}`);
      }
      const [g, v] = pair as [unknown, unknown];
      if (!(v instanceof Variable)) throw new ValueError(`applyGradients: the second element of pair ${n} must be a tf.Variable, got ${describe(v)}`);
      n++;
      if (g === null || g === undefined) {
        missing.push(v.name);
        continue;
      }
      if (!(g instanceof Tensor)) throw new ValueError(`applyGradients: the gradient for ${v.name} must be a Tensor, got ${describe(g)}`);
      g.throwIfDisposed("applyGradients");
      if (g.shape.length !== v.shape.length || g.shape.some((d, i) => d !== v.shape[i])) {
        throw new ValueError(`applyGradients: gradient shape ${formatShapeTuple(g.shape)} does not match variable ${v.name} of shape ${formatShapeTuple(v.shape)}`);
      }
      if (g.dtype !== v.dtype) throw new ValueError(`applyGradients: gradient dtype ${g.dtype} does not match variable ${v.name} of dtype ${v.dtype}`);
      pairs.push([g, v]);
    }
    if (n > 0 && pairs.length === 0) {
      throw new ValueError(`No gradients provided for any variable: (${missing.join(", ")}). Check that the loss depends on the variables (compute it inside tape.record).`);
    }
    if (missing.length > 0) {
      console.warn(`Gradients do not exist for variables [${missing.join(", ")}] when minimizing the loss.`);
    }
    const step = this.steps + 1;
    ENGINE.untaped(() => {
      for (const [g, v] of pairs) tidy(() => this.updateStep(g, v, step));
    });
    this.steps = step;
    return this.steps;
  }

  /**
   * Computes the gradient of `loss()` with respect to `varList` on a GradientTape and applies it
   * (TensorFlow's `optimizer.minimize(loss, var_list)`). Returns the new step count.
   */
  minimize(loss: () => Tensor, varList: readonly Variable[]): number {
    if (typeof loss !== "function") throw new ValueError("minimize expects a function that returns the loss (a scalar tensor)");
    if (!Array.isArray(varList) || varList.length === 0) throw new ValueError("minimize needs a non-empty list of variables (varList)");
    return tidy(() => {
      const tape = new GradientTape();
      const value = tape.record(loss);
      const grads = tape.gradient(value, varList as Variable[]);
      return this.applyGradients(varList.map((v, i) => [grads[i], v] as const));
    });
  }

  /** Updates `variable` from `gradient`; `step` counts from 1. Runs untaped, inside a tidy. */
  protected abstract updateStep(gradient: Tensor, variable: Variable, step: number): void;

  /** The slot `name` of `variable` (zeros of its shape and dtype on first use). */
  protected slot(variable: Variable, name: string): Variable {
    let byName = this.slots.get(variable);
    if (!byName) this.slots.set(variable, (byName = new Map()));
    let s = byName.get(name);
    if (!s) {
      const init = zeros(variable.shape, variable.dtype);
      s = new Variable(init, { name: `${name}/${variable.name.replace(/:0$/, "")}`, trainable: false });
      init.dispose();
      byName.set(name, s);
    }
    return s;
  }

  /** The slot variables created so far. */
  get variables(): Variable[] {
    return [...this.slots.values()].flatMap((m) => [...m.values()]);
  }

  /** The Keras config (snake_case keys). */
  getConfig(): Record<string, unknown> {
    return { name: this.name, learning_rate: this.learningRate };
  }

  /** Frees the slot variables and forgets the step count. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
    this.slots.clear();
    this.steps = 0;
  }
}

export function checkPositive(v: unknown, what: string, owner: string, allowZero = false): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new ValueError(`${owner}: \`${what}\` must be a ${allowZero ? "non-negative" : "positive"} number, got ${JSON.stringify(v)}`);
  }
}

export function checkInRange(v: unknown, lo: number, hi: number, what: string, owner: string): void {
  if (typeof v !== "number" || !(v >= lo && v < hi)) {
    throw new ValueError(`${owner}: \`${what}\` must be a number in [${lo}, ${hi}), got ${JSON.stringify(v)}`);
  }
}

function describe(x: unknown): string {
  if (x instanceof Tensor) return `a Tensor of shape ${formatShapeTuple(x.shape)}`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return x === null ? "null" : typeof x === "object" ? (x.constructor?.name ?? "an object") : JSON.stringify(x) ?? String(x);
}
