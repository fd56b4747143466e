/**
 * `tf.keras.optimizers.schedules`: learning rates as functions of the optimizer's step (its
 * `iterations` before the update, counting from 0), with Keras's formulas and config names.
 */
import { ValueError } from "../../errors.js";
import { checkOptions, optionKeys } from "../../options.js";

/** The base of learning-rate schedules: `call(step)` gives the rate for that step. */
export abstract class LearningRateSchedule {
  /** The Keras class name. */
  abstract readonly className: string;
  /** The learning rate at `step` (0 for the first update). */
  abstract call(step: number): number;
  /** The Keras config (snake_case keys). */
  abstract getConfig(): Record<string, unknown>;
}

function num(v: unknown, what: string, owner: string, opts: { positive?: boolean; integer?: boolean } = {}): number {
  if (typeof v !== "number" || !Number.isFinite(v) || (opts.positive && v <= 0) || (opts.integer && !Number.isInteger(v))) {
    throw new ValueError(`${owner}: \`${what}\` must be a ${opts.positive ? "positive " : ""}${opts.integer ? "integer" : "finite number"}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Checks a schedule's options, its starting rate and its (positive) first decay length `stepsName`. */
function checkStart(owner: string, options: object | undefined, keys: readonly string[], initial: number, steps: number, stepsName = "decaySteps"): void {
  checkOptions(`keras.optimizers.schedules.${owner}`, options, keys);
  num(initial, "initialLearningRate", owner);
  num(steps, stepsName, owner, { positive: true });
}

/** Options of `ExponentialDecay` and `InverseTimeDecay`. */
export interface DecayOptions {
  /** Decay in whole intervals of `decaySteps` (default false). */
  staircase?: boolean;
}
const DECAY_KEYS = optionKeys<DecayOptions>()("staircase");

/**
 * The base of `ExponentialDecay` and `InverseTimeDecay`: a rate that decays with `step / decaySteps`
 * (floored with `staircase`) at `decayRate`.
 */
abstract class StepRatioDecay extends LearningRateSchedule {
  readonly staircase: boolean;
  constructor(readonly initialLearningRate: number, readonly decaySteps: number, readonly decayRate: number, options: DecayOptions | undefined, className: string) {
    super();
    checkStart(className, options, DECAY_KEYS, initialLearningRate, decaySteps);
    num(decayRate, "decayRate", className);
    this.staircase = options?.staircase ?? false;
  }
  call(step: number): number {
    const p = step / this.decaySteps;
    return this.rateAt(this.staircase ? Math.floor(p) : p);
  }
  /** The rate once `ratio` (the possibly floored `step / decaySteps`) is known. */
  protected abstract rateAt(ratio: number): number;
  getConfig(): Record<string, unknown> {
    return { initial_learning_rate: this.initialLearningRate, decay_steps: this.decaySteps, decay_rate: this.decayRate, staircase: this.staircase };
  }
}

/** `initialLearningRate · decayRate^(step / decaySteps)` (the exponent floored with `staircase`). */
export class ExponentialDecay extends StepRatioDecay {
  readonly className = "ExponentialDecay";
  constructor(initialLearningRate: number, decaySteps: number, decayRate: number, options?: DecayOptions) {
    super(initialLearningRate, decaySteps, decayRate, options, "ExponentialDecay");
  }
  protected rateAt(ratio: number): number {
    return this.initialLearningRate * this.decayRate ** ratio;
  }
}

/** `initialLearningRate / (1 + decayRate · step / decaySteps)` (the ratio floored with `staircase`). */
export class InverseTimeDecay extends StepRatioDecay {
  readonly className = "InverseTimeDecay";
  constructor(initialLearningRate: number, decaySteps: number, decayRate: number, options?: DecayOptions) {
    super(initialLearningRate, decaySteps, decayRate, options, "InverseTimeDecay");
  }
  protected rateAt(ratio: number): number {
    return this.initialLearningRate / (1 + this.decayRate * ratio);
  }
}

/** `values[0]` up to and including `boundaries[0]`, `values[1]` up to `boundaries[1]`, …, `values[n]` after. */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = "PiecewiseConstantDecay";
  constructor(readonly boundaries: readonly number[], readonly values: readonly number[]) {
    super();
    if (!Array.isArray(boundaries) || !Array.isArray(values)) throw new ValueError("PiecewiseConstantDecay expects arrays `boundaries` and `values`");
    if (values.length !== boundaries.length + 1) {
      throw new ValueError(`PiecewiseConstantDecay: the length of \`boundaries\` should be 1 less than the length of \`values\`. Received: boundaries=[${boundaries.join(", ")}] of length ${boundaries.length}, and values=[${values.join(", ")}] of length ${values.length}.`);
    }
    boundaries.forEach((b, i) => num(b, `boundaries[${i}]`, this.className));
    values.forEach((v, i) => num(v, `values[${i}]`, this.className));
    for (let i = 1; i < boundaries.length; i++) if (boundaries[i]! < boundaries[i - 1]!) throw new ValueError("PiecewiseConstantDecay: `boundaries` must be increasing");
  }
  call(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.values.length - 1 : i]!;
  }
  getConfig(): Record<string, unknown> {
    return { boundaries: this.boundaries.slice(), values: this.values.slice() };
  }
}

/** Options of `PolynomialDecay`. */
export interface PolynomialDecayOptions {
  /** Default 0.0001. */
  endLearningRate?: number;
  /** Default 1 (linear). */
  power?: number;
  /** Start over (with a longer period) after `decaySteps` (default false). */
  cycle?: boolean;
}
const POLYNOMIAL_KEYS = optionKeys<PolynomialDecayOptions>()("endLearningRate", "power", "cycle");

/** `(initial − end) · (1 − step / decaySteps)^power + end`, the step held at `decaySteps` (or the period grown with `cycle`). */
export class PolynomialDecay extends LearningRateSchedule {
  readonly className = "PolynomialDecay";
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  constructor(readonly initialLearningRate: number, readonly decaySteps: number, options?: PolynomialDecayOptions) {
    super();
    checkStart(this.className, options, POLYNOMIAL_KEYS, initialLearningRate, decaySteps);
    this.endLearningRate = num(options?.endLearningRate ?? 0.0001, "endLearningRate", this.className);
    this.power = num(options?.power ?? 1, "power", this.className);
    this.cycle = options?.cycle ?? false;
  }
  call(step: number): number {
    let steps = this.decaySteps;
    let s = step;
    if (this.cycle) steps = this.decaySteps * (step === 0 ? 1 : Math.ceil(step / this.decaySteps));
    else s = Math.min(step, this.decaySteps);
    return (this.initialLearningRate - this.endLearningRate) * (1 - s / steps) ** this.power + this.endLearningRate;
  }
  getConfig(): Record<string, unknown> {
    return { initial_learning_rate: this.initialLearningRate, decay_steps: this.decaySteps, end_learning_rate: this.endLearningRate, power: this.power, cycle: this.cycle };
  }
}

/** Options of `CosineDecay`. */
export interface CosineDecayOptions {
  /** The floor, as a fraction of the starting rate (default 0). */
  alpha?: number;
  /** Rise linearly from `initialLearningRate` to this over `warmupSteps`, then decay from it (default: no warmup). */
  warmupTarget?: number | null;
  /** Default 0. */
  warmupSteps?: number;
}
const COSINE_KEYS = optionKeys<CosineDecayOptions>()("alpha", "warmupTarget", "warmupSteps");

const cosineFactor = (fraction: number, alpha: number): number => (1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * fraction)) + alpha;

/** Half a cosine from the starting rate down to `alpha` times it over `decaySteps`, after an optional linear warmup. */
export class CosineDecay extends LearningRateSchedule {
  readonly className = "CosineDecay";
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;
  constructor(readonly initialLearningRate: number, readonly decaySteps: number, options?: CosineDecayOptions) {
    super();
    checkStart(this.className, options, COSINE_KEYS, initialLearningRate, decaySteps);
    this.alpha = num(options?.alpha ?? 0, "alpha", this.className);
    this.warmupTarget = options?.warmupTarget === undefined || options.warmupTarget === null ? null : num(options.warmupTarget, "warmupTarget", this.className);
    this.warmupSteps = num(options?.warmupSteps ?? 0, "warmupSteps", this.className);
    if (this.warmupSteps < 0) throw new ValueError(`CosineDecay: \`warmupSteps\` must be ≥ 0, got ${this.warmupSteps}`);
  }
  call(step: number): number {
    if (this.warmupTarget === null) return this.initialLearningRate * cosineFactor(Math.min(step, this.decaySteps) / this.decaySteps, this.alpha);
    if (step < this.warmupSteps) return this.initialLearningRate + (this.warmupTarget - this.initialLearningRate) * (step / this.warmupSteps);
    const s = Math.min(step, this.decaySteps + this.warmupSteps) - this.warmupSteps;
    return this.warmupTarget * cosineFactor(s / this.decaySteps, this.alpha);
  }
  getConfig(): Record<string, unknown> {
    return { initial_learning_rate: this.initialLearningRate, decay_steps: this.decaySteps, alpha: this.alpha, warmup_target: this.warmupTarget, warmup_steps: this.warmupSteps };
  }
}

/** Options of `CosineDecayRestarts`. */
export interface CosineDecayRestartsOptions {
  /** Each period is this many times longer than the one before (default 2). */
  tMul?: number;
  /** Each restart starts at this many times the previous peak (default 1). */
  mMul?: number;
  /** The floor, as a fraction of the starting rate (default 0). */
  alpha?: number;
}
const RESTARTS_KEYS = optionKeys<CosineDecayRestartsOptions>()("tMul", "mMul", "alpha");

/** Cosine decay that restarts (SGDR): periods of `firstDecaySteps · tMul^i`, peaks of `initial · mMul^i`. */
export class CosineDecayRestarts extends LearningRateSchedule {
  readonly className = "CosineDecayRestarts";
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;
  constructor(readonly initialLearningRate: number, readonly firstDecaySteps: number, options?: CosineDecayRestartsOptions) {
    super();
    checkStart(this.className, options, RESTARTS_KEYS, initialLearningRate, firstDecaySteps, "firstDecaySteps");
    this.tMul = num(options?.tMul ?? 2, "tMul", this.className, { positive: true });
    this.mMul = num(options?.mMul ?? 1, "mMul", this.className);
    this.alpha = num(options?.alpha ?? 0, "alpha", this.className);
  }
  call(step: number): number {
    let fraction = step / this.firstDecaySteps;
    let restart: number;
    if (this.tMul === 1) {
      restart = Math.floor(fraction);
      fraction -= restart;
    } else {
      restart = Math.floor(Math.log(1 - fraction * (1 - this.tMul)) / Math.log(this.tMul));
      const done = (1 - this.tMul ** restart) / (1 - this.tMul);
      fraction = (fraction - done) / this.tMul ** restart;
    }
    const peak = this.mMul ** restart;
    const cosine = 0.5 * peak * (1 + Math.cos(Math.PI * fraction));
    return this.initialLearningRate * ((1 - this.alpha) * cosine + this.alpha);
  }
  getConfig(): Record<string, unknown> {
    return { initial_learning_rate: this.initialLearningRate, first_decay_steps: this.firstDecaySteps, t_mul: this.tMul, m_mul: this.mMul, alpha: this.alpha };
  }
}

/** `{ class_name, config }` of a schedule (how Keras saves one inside an optimizer config). */
export function serialize(schedule: LearningRateSchedule): { class_name: string; config: Record<string, unknown> } {
  return { class_name: schedule.className, config: schedule.getConfig() };
}

/** How `deserialize` reads each schedule: its config keys, and the schedule from them (`n(key)`: a number). */
const READERS: Record<string, { keys: readonly string[]; make(n: (key: string) => number, c: Record<string, unknown>): LearningRateSchedule }> = {
  ExponentialDecay: {
    keys: ["initial_learning_rate", "decay_steps", "decay_rate", "staircase"],
    make: (n, c) => new ExponentialDecay(n("initial_learning_rate"), n("decay_steps"), n("decay_rate"), { staircase: Boolean(c["staircase"]) }),
  },
  InverseTimeDecay: {
    keys: ["initial_learning_rate", "decay_steps", "decay_rate", "staircase"],
    make: (n, c) => new InverseTimeDecay(n("initial_learning_rate"), n("decay_steps"), n("decay_rate"), { staircase: Boolean(c["staircase"]) }),
  },
  PiecewiseConstantDecay: { keys: ["boundaries", "values"], make: (_, c) => new PiecewiseConstantDecay(c["boundaries"] as number[], c["values"] as number[]) },
  PolynomialDecay: {
    keys: ["initial_learning_rate", "decay_steps", "end_learning_rate", "power", "cycle"],
    make: (n, c) => new PolynomialDecay(n("initial_learning_rate"), n("decay_steps"), { endLearningRate: n("end_learning_rate"), power: n("power"), cycle: Boolean(c["cycle"]) }),
  },
  CosineDecay: {
    keys: ["initial_learning_rate", "decay_steps", "alpha", "warmup_target", "warmup_steps"],
    make: (n, c) => new CosineDecay(n("initial_learning_rate"), n("decay_steps"), { alpha: n("alpha") ?? 0, warmupTarget: (c["warmup_target"] as number | null) ?? null, warmupSteps: n("warmup_steps") ?? 0 }),
  },
  CosineDecayRestarts: {
    keys: ["initial_learning_rate", "first_decay_steps", "t_mul", "m_mul", "alpha"],
    make: (n) => new CosineDecayRestarts(n("initial_learning_rate"), n("first_decay_steps"), { tMul: n("t_mul"), mMul: n("m_mul"), alpha: n("alpha") }),
  },
};

/** A schedule from `{ class_name, config }` (the inverse of `serialize`). */
export function deserialize(spec: unknown): LearningRateSchedule {
  const s = spec as { class_name?: unknown; config?: unknown } | null;
  if (s === null || typeof s !== "object" || typeof s.class_name !== "string" || typeof s.config !== "object" || s.config === null) {
    throw new ValueError(`A learning-rate schedule config must be { class_name, config }, got ${JSON.stringify(spec)}`);
  }
  const reader = READERS[s.class_name];
  if (!Object.hasOwn(READERS, s.class_name) || reader === undefined) throw new ValueError(`Unknown learning-rate schedule: ${JSON.stringify(s.class_name)}`);
  const c = s.config as Record<string, unknown>;
  for (const k of Object.keys(c)) {
    if (k !== "name" && !reader.keys.includes(k)) throw new ValueError(`${s.class_name}: unknown config key "${k}" (expected ${reader.keys.join(", ")})`);
  }
  return reader.make((k) => c[k] as number, c);
}
