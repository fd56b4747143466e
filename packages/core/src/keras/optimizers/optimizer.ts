/** The base of `tf.keras.optimizers`: `applyGradients` with argument checks, slot variables, the step counter. */
import { ValueError } from "../../errors.js";
import { ENGINE } from "../../engine/engine.js";
import { tidy } from "../../engine/tidy.js";
import { GradientTape } from "../../gradients/gradient-tape.js";
import { constant, zeros, fill } from "../../ops/creation.js";
import { add, divide, maximum, minimum, multiply } from "../../ops/binary.js";
import { reduceSum } from "../../ops/reduce.js";
import { sqrt, square } from "../../ops/unary.js";
import { checkOptions } from "../../options.js";
import { LearningRateSchedule, deserialize as deserializeSchedule, serialize as serializeSchedule } from "./schedules.js";
import { formatShapeTuple } from "../../shape.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import { Tensor } from "../../tensor/tensor.js";
import { Variable } from "../../tensor/variable.js";

/** A learning rate: a number, a schedule, or a function of the step (the optimizer's `iterations`, from 0). */
export type LearningRate = number | LearningRateSchedule | ((step: number) => number);

/** Options every optimizer takes. */
export interface OptimizerOptions {
  /** Step size: a number, a `tf.keras.optimizers.schedules` schedule, or a function of the step. */
  learningRate?: LearningRate;
  name?: string;
  /** Decoupled weight decay: each step first does `w ← w − w·weightDecay·lr` (default none). */
  weightDecay?: number | null;
  /** Rescale each gradient whose L2 norm exceeds this to that norm. */
  clipnorm?: number | null;
  /** Clip each gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Rescale all gradients together when their global L2 norm exceeds this. */
  globalClipnorm?: number | null;
}

/** The option keys every optimizer takes. */
export const OPTIMIZER_KEYS = ["learningRate", "name", "weightDecay", "clipnorm", "clipvalue", "globalClipnorm"] as const;

/** How an optimizer reads one hyperparameter from its options, checks it, and names it in its Keras config. */
export interface Hyperparameter {
  /** The Keras config key (snake_case) that `getConfig` writes. */
  readonly config: string;
  /** The value when the option is absent. */
  readonly default: number | boolean;
  /** Raises a ValueError when `value` is out of range (`owner` is the optimizer's name). */
  readonly check?: (value: unknown, key: string, owner: string) => void;
}

/**
 * A subclass's hyperparameters, keyed by option name in config order; the type requires an entry
 * for every option of `O` beyond the base's, so the table cannot drift from the options type.
 */
export type Hyperparameters<O> = { readonly [K in Exclude<keyof O, keyof OptimizerOptions>]-?: Hyperparameter };

/** A check that a number lies in [lo, hi). */
export function inRange(lo: number, hi: number): NonNullable<Hyperparameter["check"]> {
  return (v, what, owner) => checkInRange(v, lo, hi, what, owner);
}

/** A check that a number is finite and ≥ 0. */
export const nonNegative: NonNullable<Hyperparameter["check"]> = (v, what, owner) => checkPositive(v, what, owner, true);

/** Keras config keys an optimizer config may carry that Tessera does not use (EMA, loss scaling, XLA). */
const IGNORED_CONFIG_KEYS = ["use_ema", "ema_momentum", "ema_overwrite_frequency", "jit_compile", "is_legacy_optimizer", "loss_scale_factor", "gradient_accumulation_steps", "decay"];

/** A slot variable an optimizer keeps for each variable it updates: its Keras name and starting value. */
export interface SlotSpec {
  readonly name: string;
  readonly initial: number;
}

/** One weight of the optimizer's state as it is saved: `iter`, then `<variable>/<slot>` for each slot. */
export interface NamedOptimizerWeight {
  readonly name: string;
  readonly tensor: Tensor;
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
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  private lr: LearningRate;
  /** The rate of the step being applied (so a schedule is evaluated once per step). */
  private stepLr: number | null = null;
  private steps = 0;
  private readonly slots = new Map<Variable, Map<string, Variable>>();
  /** The variables this optimizer has built slots for, in the order it first saw them. */
  private readonly tracked: Variable[] = [];
  private readonly hyperparameters: Readonly<Record<string, Hyperparameter>>;

  /**
   * `hyper`: the subclass's hyperparameters, read from `options` onto the instance (under their
   * option names), checked, and written by `getConfig`; or, as before, the list of every option
   * key the subclass takes (the base's included) for the unknown-key check.
   */
  constructor(defaultName: string, defaultLearningRate: number, options: OptimizerOptions, hyper: readonly string[] | Readonly<Record<string, Hyperparameter>> = {}) {
    const keys = isKeyList(hyper) ? hyper : [...OPTIMIZER_KEYS, ...Object.keys(hyper)];
    this.hyperparameters = isKeyList(hyper) ? {} : hyper;
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw new ValueError(`${defaultName}: options must be an object like { learningRate: 0.001 }, got ${JSON.stringify(options)}`);
    }
    checkOptions(`keras.optimizers.${defaultName}`, options, keys);
    this.name = options.name ?? defaultName;
    const lr = options.learningRate ?? defaultLearningRate;
    if (typeof lr === "number") checkPositive(lr, "learningRate", this.name);
    else if (!(lr instanceof LearningRateSchedule) && typeof lr !== "function") {
      throw new ValueError(`${this.name}: \`learningRate\` must be a number, a LearningRateSchedule or a function of the step, got ${JSON.stringify(lr)}`);
    }
    this.lr = lr;
    const opt = (v: number | null | undefined, what: string): number | null => {
      if (v === undefined || v === null) return null;
      checkPositive(v, what, this.name, what === "weightDecay");
      return v;
    };
    this.weightDecay = opt(options.weightDecay, "weightDecay");
    this.clipnorm = opt(options.clipnorm, "clipnorm");
    this.clipvalue = opt(options.clipvalue, "clipvalue");
    this.globalClipnorm = opt(options.globalClipnorm, "globalClipnorm");
    if ([this.clipnorm, this.clipvalue, this.globalClipnorm].filter((v) => v !== null).length > 1) {
      throw new ValueError(`${this.name}: only one of \`clipnorm\`, \`clipvalue\` and \`globalClipnorm\` can be set`);
    }
    const given = options as Record<string, unknown>;
    const self = this as unknown as Record<string, unknown>;
    for (const [key, spec] of Object.entries(this.hyperparameters)) self[key] = given[key] ?? spec.default;
    for (const [key, spec] of Object.entries(this.hyperparameters)) spec.check?.(self[key], key, this.name);
  }

  /**
   * The learning rate for the next step (a schedule's value at `iterations`). Setting a number
   * replaces it (what ReduceLROnPlateau does); an optimizer built with a schedule refuses.
   */
  get learningRate(): number {
    if (this.stepLr !== null) return this.stepLr;
    return this.rateAt(this.steps);
  }

  set learningRate(value: number) {
    if (typeof this.lr !== "number") {
      throw new TypeError(`${this.name}: this optimizer was created with a learning-rate schedule (or function), so its learning rate cannot be set`);
    }
    checkPositive(value, "learningRate", this.name, true);
    this.lr = value;
  }

  /** The schedule or function given as `learningRate` (null when it is a number). */
  get learningRateSchedule(): LearningRateSchedule | ((step: number) => number) | null {
    return typeof this.lr === "number" ? null : this.lr;
  }

  private rateAt(step: number): number {
    const lr = this.lr;
    if (typeof lr === "number") return lr;
    const v = lr instanceof LearningRateSchedule ? lr.call(step) : lr(step);
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ValueError(`${this.name}: the learning-rate ${lr instanceof LearningRateSchedule ? `schedule ${lr.className}` : "function"} returned ${typeof v === "number" ? v : JSON.stringify(v) ?? String(v)} at step ${step}; it must return a finite number`);
    }
    return v;
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
    // Everything that can fail on the host (a schedule's value) happens before any variable changes.
    const lr = this.rateAt(this.steps);
    for (const [, v] of pairs) this.track(v);
    this.stepLr = lr;
    try {
      ENGINE.untaped(() =>
        tidy(() => {
          const grads = this.clipGradients(pairs.map((p) => p[0]));
          if (this.weightDecay) for (const [, v] of pairs) v.assignSub(multiply(v, this.weightDecay * lr));
          this.beforeStep(step);
          pairs.forEach(([, v], i) => tidy(() => this.updateStep(grads[i]!, v, step)));
        }),
      );
    } finally {
      this.stepLr = null;
    }
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

  /** Keras's gradient clipping (`clipnorm`, `clipvalue`, `globalClipnorm`). */
  private clipGradients(grads: Tensor[]): Tensor[] {
    if (this.clipvalue !== null) {
      const c = this.clipvalue;
      return grads.map((g) => maximum(minimum(g, c), -c));
    }
    if (this.clipnorm !== null) {
      const c = this.clipnorm;
      return grads.map((g) => divide(multiply(g, c), maximum(sqrt(reduceSum(square(g))), c)));
    }
    if (this.globalClipnorm !== null) {
      const c = this.globalClipnorm;
      const norm = sqrt(grads.map((g) => reduceSum(square(g))).reduce((a, b) => add(a, b)));
      const scale = divide(c, maximum(norm, c));
      return grads.map((g) => multiply(g, scale));
    }
    return grads;
  }

  /** Called once per step before the per-variable updates (Nadam's momentum-cache product). */
  protected beforeStep(_step: number): void {}

  /** Updates `variable` from `gradient`; `step` counts from 1. Runs untaped, inside a tidy. */
  protected abstract updateStep(gradient: Tensor, variable: Variable, step: number): void;

  /** The slot `name` of `variable` (filled with `initial`, default zeros, on first use). */
  protected slot(variable: Variable, name: string, initial = 0): Variable {
    let byName = this.slots.get(variable);
    if (!byName) this.slots.set(variable, (byName = new Map()));
    let s = byName.get(name);
    if (!s) {
      const init = initial === 0 ? zeros(variable.shape, variable.dtype) : fill(variable.shape, initial, variable.dtype);
      s = new Variable(init, { name: `${name}/${variable.name.replace(/:0$/, "")}`, trainable: false });
      init.dispose();
      byName.set(name, s);
    }
    return s;
  }

  /**
   * The slot variables this optimizer keeps for each variable it updates, in the order `getWeights`
   * lists them (Keras's `build`). Subclasses whose slots depend on a hyperparameter list only those
   * they use (SGD without momentum has none).
   */
  protected slotSpecs(): readonly SlotSpec[] {
    return [];
  }

  /**
   * Creates the slot variables of every variable in `varList` not seen before, in that order
   * (Keras's `optimizer.build(var_list)`). `fit` and `applyGradients` do this on their own; call it
   * before `setWeights` on an optimizer that has not taken a step yet.
   */
  build(varList: readonly Variable[]): void {
    if (!Array.isArray(varList)) throw new ValueError(`${this.name}.build expects a list of tf.Variable, got ${describe(varList)}`);
    varList.forEach((v, i) => {
      if (!(v instanceof Variable)) throw new ValueError(`${this.name}.build: element ${i} of varList must be a tf.Variable, got ${describe(v)}`);
    });
    for (const v of varList) this.track(v);
  }

  /** Whether `build` (or a step) has created this optimizer's state for at least one variable. */
  get built(): boolean {
    return this.tracked.length > 0;
  }

  private track(v: Variable): void {
    if (this.slots.has(v)) return;
    this.slots.set(v, new Map());
    this.tracked.push(v);
    for (const spec of this.slotSpecs()) this.slot(v, spec.name, spec.initial);
  }

  /** The slot variables in saving order: each slot kind in turn, over the variables in the order seen. */
  private orderedSlots(): { variable: Variable; slotName: string; slot: Variable }[] {
    return this.slotSpecs().flatMap((spec) => this.tracked.map((v) => ({ variable: v, slotName: spec.name, slot: this.slot(v, spec.name, spec.initial) })));
  }

  /** The slot variables created so far, in `getWeights` order (after `iterations`). */
  get variables(): Variable[] {
    const ordered = this.orderedSlots().map((s) => s.slot);
    const seen = new Set(ordered);
    // Slots a subclass made outside `slotSpecs` still count (and are freed by dispose).
    for (const m of this.slots.values()) for (const s of m.values()) if (!seen.has(s)) ordered.push(s);
    return ordered;
  }

  /**
   * The optimizer's state as Keras 2 and TensorFlow.js order it: `iterations` (an int32 scalar)
   * first, then each kind of slot variable in turn over the variables in the order the optimizer
   * first saw them (Adam: every `m`, then every `v`). Snapshots: dispose them when done.
   */
  getWeights(): Tensor[] {
    return this.namedWeights().map((w) => w.tensor);
  }

  /** `getWeights` with the names the layers format saves them under (`iter`, `dense/kernel/m`, …). */
  namedWeights(): NamedOptimizerWeight[] {
    const iter = constant(this.steps, "int32");
    return [{ name: "iter", tensor: iter }, ...this.orderedSlots().map((s) => ({ name: `${s.variable.name.replace(/:\d+$/, "")}/${s.slotName}`, tensor: s.slot.readValue() }))];
  }

  /**
   * Restores the state `getWeights` returned (same order, shapes and dtypes), so training resumes
   * exactly where it stopped. The optimizer must be built first (`build(model.trainableVariables)`,
   * or a step) unless `weights` holds `iterations` alone. Everything is checked before anything
   * changes: on error the state is untouched.
   */
  setWeights(weights: readonly TensorLike[]): void {
    if (!Array.isArray(weights)) throw new ValueError(`${this.name}.setWeights expects an array of tensors (iterations first), got ${describe(weights)}`);
    const slots = this.orderedSlots();
    if (weights.length > 1 && this.tracked.length === 0) {
      throw new ValueError(`${this.name}.setWeights: the optimizer has not been built yet, so it has no slot variables to set. Call optimizer.build(model.trainableVariables) (or take a step) before setWeights.`);
    }
    if (weights.length !== slots.length + 1) {
      const kinds = this.slotSpecs().map((s) => s.name);
      throw new ValueError(
        `${this.name}.setWeights expects ${slots.length + 1} weights (iterations, then ${kinds.length ? `${kinds.join(", ")} for each of ${this.tracked.length} variables` : "no slot variables"}), but received ${weights.length}. No state was changed.`,
      );
    }
    const values = weights.map((w, i) => (w instanceof Tensor ? w : toTensor(w, `${this.name}.setWeights`, i === 0 ? "int32" : slots[i - 1]!.slot.dtype)));
    try {
      const iter = values[0]!;
      iter.throwIfDisposed("setWeights");
      if (iter.size !== 1 || iter.shape.length > 1 || !["int32", "float32", "float64"].includes(iter.dtype)) {
        throw new ValueError(`${this.name}.setWeights: weight 0 must be the iterations count, a numeric scalar; got a ${iter.dtype} tensor of shape ${formatShapeTuple(iter.shape)}. No state was changed.`);
      }
      const steps = Number((iter.dataSync() as ArrayLike<number>)[0]);
      if (!Number.isInteger(steps) || steps < 0) throw new ValueError(`${this.name}.setWeights: the iterations count (weight 0) must be a non-negative integer, got ${steps}. No state was changed.`);
      slots.forEach(({ slot }, j) => {
        const t = values[j + 1]!;
        t.throwIfDisposed("setWeights");
        if (t.shape.length !== slot.shape.length || t.shape.some((d, k) => d !== slot.shape[k])) {
          throw new ValueError(`${this.name}.setWeights: weight ${j + 1} has shape ${formatShapeTuple(t.shape)}, but slot ${slot.name} has shape ${formatShapeTuple(slot.shape)}. No state was changed.`);
        }
        if (t.dtype !== slot.dtype) throw new ValueError(`${this.name}.setWeights: weight ${j + 1} has dtype ${t.dtype}, but slot ${slot.name} has dtype ${slot.dtype}. No state was changed.`);
      });
      slots.forEach(({ slot }, j) => slot.assign(values[j + 1]!));
      this.steps = steps;
      this.restoreHostState(steps);
    } finally {
      values.forEach((t, i) => {
        if (t !== weights[i]) t.dispose();
      });
    }
  }

  /** Recomputes state kept on the host from the step count after `setWeights` (Nadam's momentum-cache product). */
  protected restoreHostState(_steps: number): void {}

  /** The Keras config (snake_case keys). */
  getConfig(): Record<string, unknown> {
    const lr = this.lr instanceof LearningRateSchedule ? serializeSchedule(this.lr) : this.learningRate;
    const config: Record<string, unknown> = { name: this.name, learning_rate: lr, weight_decay: this.weightDecay, clipnorm: this.clipnorm, global_clipnorm: this.globalClipnorm, clipvalue: this.clipvalue };
    const self = this as unknown as Record<string, unknown>;
    for (const [key, spec] of Object.entries(this.hyperparameters)) config[spec.config] = self[key];
    return config;
  }

  /**
   * An optimizer of this class from a Keras config (snake_case keys, as `getConfig` writes and Keras
   * saves): `tf.keras.optimizers.Adam.fromConfig(adam.getConfig())`. Unknown keys raise.
   */
  static fromConfig<T extends Optimizer>(this: new (options: OptimizerOptions) => T, config: Record<string, unknown>): T {
    if (config === null || typeof config !== "object") throw new ValueError(`fromConfig expects a config object, got ${JSON.stringify(config)}`);
    // A null prototype: a "__proto__" key in a file stays an (unknown, rejected) key.
    const options: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(config)) {
      if (IGNORED_CONFIG_KEYS.includes(k)) continue;
      const key = k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      options[key] = key === "learningRate" && v !== null && typeof v === "object" ? deserializeSchedule(v) : v;
    }
    return new this(options as OptimizerOptions);
  }

  /** Frees the slot variables and forgets the step count. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
    this.slots.clear();
    this.tracked.length = 0;
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

function isKeyList(x: readonly string[] | Readonly<Record<string, Hyperparameter>>): x is readonly string[] {
  return Array.isArray(x);
}

function describe(x: unknown): string {
  if (x instanceof Tensor) return `a Tensor of shape ${formatShapeTuple(x.shape)}`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return x === null ? "null" : typeof x === "object" ? (x.constructor?.name ?? "an object") : JSON.stringify(x) ?? String(x);
}
