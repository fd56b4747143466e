/**
 * Weight initializers (`tf.keras.initializers`), drawn through `tf.random` so `tf.random.setSeed`
 * (or an initializer's own `seed`) makes them reproducible on every backend.
 */
import { ValueError } from "../errors.js";
import { checkOptions, optionKeys } from "../options.js";
import { constant, fill } from "../ops/creation.js";
import { normal, truncatedNormal } from "../random/normal.js";
import { uniform } from "../random/uniform.js";
import { statelessNormal, statelessTruncatedNormal, statelessUniform } from "../random/stateless.js";
import type { Tensor } from "../tensor/tensor.js";

/** The float dtypes a weight can have. */
export type FloatDType = "float32" | "float64";

/** A Keras-format config: `{ class_name, config }`. */
export interface SerializedObject {
  class_name: string;
  config: Record<string, unknown>;
}

/** Makes the initial value of a weight. */
export abstract class Initializer {
  /** The Keras class name written in configs. */
  abstract readonly className: string;
  /** A new tensor of `shape` and `dtype`. */
  abstract call(shape: readonly number[], dtype?: FloatDType): Tensor;
  /** The Keras config (snake_case keys). */
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** All zeros. */
export class Zeros extends Initializer {
  readonly className: string = "Zeros";
  call(shape: readonly number[], dtype: FloatDType = "float32"): Tensor {
    return fill(shape, 0, dtype);
  }
}

/** All ones. */
export class Ones extends Initializer {
  readonly className: string = "Ones";
  call(shape: readonly number[], dtype: FloatDType = "float32"): Tensor {
    return fill(shape, 1, dtype);
  }
}

/** Every element `value`. */
export class Constant extends Initializer {
  readonly className: string = "Constant";
  readonly value: number;
  constructor(opts: { value?: number } = {}) {
    super();
    checkOptions(`keras.initializers.${new.target.name}`, opts, optionKeys<{ value?: number }>()("value"));
    this.value = opts.value ?? 0;
  }
  call(shape: readonly number[], dtype: FloatDType = "float32"): Tensor {
    return fill(shape, this.value, dtype);
  }
  override getConfig(): Record<string, unknown> {
    return { value: this.value };
  }
}

/** Options shared by the seeded initializers. */
export interface SeedOptions {
  /** Op seed for `tf.random` (default: the global seed sequence). */
  seed?: number | null;
}

/** Uniform in `[minval, maxval)` (default ±0.05). */
export class RandomUniform extends Initializer {
  readonly className: string = "RandomUniform";
  readonly minval: number;
  readonly maxval: number;
  readonly seed: number | null;
  constructor(opts: { minval?: number; maxval?: number } & SeedOptions = {}) {
    super();
    checkOptions(`keras.initializers.${new.target.name}`, opts, optionKeys<{ minval?: number; maxval?: number } & SeedOptions>()("minval", "maxval", "seed"));
    this.minval = opts.minval ?? -0.05;
    this.maxval = opts.maxval ?? 0.05;
    this.seed = opts.seed ?? null;
  }
  call(shape: readonly number[], dtype: FloatDType = "float32"): Tensor {
    return drawUniform(shape, { minval: this.minval, maxval: this.maxval, dtype }, this.seed);
  }
  override getConfig(): Record<string, unknown> {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed };
  }
}

/** Normal with `mean` and `stddev` (default 0, 0.05). */
export class RandomNormal extends Initializer {
  readonly className: string = "RandomNormal";
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | null;
  constructor(opts: { mean?: number; stddev?: number } & SeedOptions = {}) {
    super();
    checkOptions(`keras.initializers.${new.target.name}`, opts, optionKeys<{ mean?: number; stddev?: number } & SeedOptions>()("mean", "stddev", "seed"));
    this.mean = opts.mean ?? 0;
    this.stddev = opts.stddev ?? 0.05;
    this.seed = opts.seed ?? null;
  }
  call(shape: readonly number[], dtype: FloatDType = "float32"): Tensor {
    return drawNormal(shape, { mean: this.mean, stddev: this.stddev, dtype }, this.seed);
  }
  override getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}

/** Normal truncated to two standard deviations (default mean 0, stddev 0.05). */
export class TruncatedNormal extends RandomNormal {
  override readonly className: string = "TruncatedNormal";
  override call(shape: readonly number[], dtype: FloatDType = "float32"): Tensor {
    return drawTruncatedNormal(shape, { mean: this.mean, stddev: this.stddev, dtype }, this.seed);
  }
}

/** How VarianceScaling counts the units a weight connects. */
export type FanMode = "fan_in" | "fan_out" | "fan_avg";
/** The distribution VarianceScaling draws from (`"normal"` is the old spelling of `"truncated_normal"`). */
export type Distribution = "truncated_normal" | "untruncated_normal" | "uniform" | "normal";

/** Options of `VarianceScaling`. */
export interface VarianceScalingOptions extends SeedOptions {
  scale?: number;
  mode?: FanMode;
  distribution?: Distribution;
}

/** Keras's fan computation: dense kernels `[in, out]`, conv kernels `[...window, in, out]`. */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length < 1) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  if (shape.length === 2) return [shape[0]!, shape[1]!];
  let receptive = 1;
  for (let i = 0; i < shape.length - 2; i++) receptive *= shape[i]!;
  return [shape[shape.length - 2]! * receptive, shape[shape.length - 1]! * receptive];
}

/** Scale divided by the fan, drawn as Keras draws it (the parent of the Glorot/He/LeCun initializers). */
export class VarianceScaling extends Initializer {
  readonly className: string = "VarianceScaling";
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  readonly seed: number | null;
  constructor(opts: VarianceScalingOptions = {}) {
    super();
    checkOptions(`keras.initializers.${new.target.name}`, opts, optionKeys<VarianceScalingOptions>()("scale", "mode", "distribution", "seed"));
    this.scale = opts.scale ?? 1;
    this.mode = opts.mode ?? "fan_in";
    this.distribution = opts.distribution ?? "truncated_normal";
    this.seed = opts.seed ?? null;
    if (!(this.scale > 0)) throw new ValueError(`VarianceScaling: scale must be a positive number, got ${this.scale}`);
    if (!["fan_in", "fan_out", "fan_avg"].includes(this.mode)) {
      throw new ValueError(`VarianceScaling: invalid mode ${JSON.stringify(this.mode)}; expected "fan_in", "fan_out" or "fan_avg"`);
    }
    if (!["truncated_normal", "untruncated_normal", "uniform", "normal"].includes(this.distribution)) {
      throw new ValueError(`VarianceScaling: invalid distribution ${JSON.stringify(this.distribution)}; expected "truncated_normal", "untruncated_normal" or "uniform"`);
    }
  }
  call(shape: readonly number[], dtype: FloatDType = "float32"): Tensor {
    const [fanIn, fanOut] = computeFans(shape);
    const n = this.mode === "fan_in" ? fanIn : this.mode === "fan_out" ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    const seed = this.seed;
    if (this.distribution === "uniform") {
      const limit = Math.sqrt(3 * variance);
      return drawUniform(shape, { minval: -limit, maxval: limit, dtype }, seed);
    }
    if (this.distribution === "untruncated_normal") return drawNormal(shape, { stddev: Math.sqrt(variance), dtype }, seed);
    // The constant is the stddev of a standard normal truncated to (-2, 2): it restores the variance.
    return drawTruncatedNormal(shape, { stddev: Math.sqrt(variance) / 0.8796256610342398, dtype }, seed);
  }
  override getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed };
  }
}

/** The preset VarianceScaling initializers save only their seed (as Keras does). */
/** A preset's options: only its seed (its scale, mode and distribution are what it is). */
function seedOnly(name: string, opts: SeedOptions): SeedOptions {
  checkOptions(`keras.initializers.${name}`, opts, optionKeys<SeedOptions>()("seed"));
  return opts;
}

abstract class Preset extends VarianceScaling {
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed };
  }
}

/** Uniform in ±√(6 / (fan_in + fan_out)): Keras's default kernel initializer. */
export class GlorotUniform extends Preset {
  override readonly className: string = "GlorotUniform";
  constructor(opts: SeedOptions = {}) {
    super({ scale: 1, mode: "fan_avg", distribution: "uniform", ...seedOnly(new.target.name, opts) });
  }
}

/** Truncated normal with stddev √(2 / (fan_in + fan_out)). */
export class GlorotNormal extends Preset {
  override readonly className: string = "GlorotNormal";
  constructor(opts: SeedOptions = {}) {
    super({ scale: 1, mode: "fan_avg", distribution: "truncated_normal", ...seedOnly(new.target.name, opts) });
  }
}

/** Truncated normal with stddev √(2 / fan_in), for ReLU networks. */
export class HeNormal extends Preset {
  override readonly className: string = "HeNormal";
  constructor(opts: SeedOptions = {}) {
    super({ scale: 2, mode: "fan_in", distribution: "truncated_normal", ...seedOnly(new.target.name, opts) });
  }
}

/** Uniform in ±√(6 / fan_in). */
export class HeUniform extends Preset {
  override readonly className: string = "HeUniform";
  constructor(opts: SeedOptions = {}) {
    super({ scale: 2, mode: "fan_in", distribution: "uniform", ...seedOnly(new.target.name, opts) });
  }
}

/** Truncated normal with stddev √(1 / fan_in). */
export class LecunNormal extends Preset {
  override readonly className: string = "LecunNormal";
  constructor(opts: SeedOptions = {}) {
    super({ scale: 1, mode: "fan_in", distribution: "truncated_normal", ...seedOnly(new.target.name, opts) });
  }
}

/** Uniform in ±√(3 / fan_in). */
export class LecunUniform extends Preset {
  override readonly className: string = "LecunUniform";
  constructor(opts: SeedOptions = {}) {
    super({ scale: 1, mode: "fan_in", distribution: "uniform", ...seedOnly(new.target.name, opts) });
  }
}

/**
 * A random orthogonal matrix (Keras's `Orthogonal`, the default recurrent initializer): the Q factor
 * of the QR decomposition of a standard normal matrix, signs fixed by R's diagonal, times `gain`.
 * Shapes of rank > 2 are flattened to `[prod(shape[:-1]), shape[-1]]`. The decomposition runs on
 * the host in float64 (modified Gram–Schmidt), once per weight.
 */
export class Orthogonal extends Initializer {
  readonly className: string = "Orthogonal";
  readonly gain: number;
  readonly seed: number | null;
  constructor(opts: { gain?: number } & SeedOptions = {}) {
    super();
    checkOptions(`keras.initializers.${new.target.name}`, opts, optionKeys<{ gain?: number } & SeedOptions>()("gain", "seed"));
    this.gain = opts.gain ?? 1;
    this.seed = opts.seed ?? null;
  }
  call(shape: readonly number[], dtype: FloatDType = "float32"): Tensor {
    if (shape.length < 2) throw new ValueError(`The tensor to initialize must be at least two-dimensional. Received: shape=${JSON.stringify(shape)}`);
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const cols = shape[shape.length - 1]!;
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const draw = drawNormal([m, n], { dtype: "float64" }, this.seed);
    let a: Float64Array;
    try {
      a = Float64Array.from(draw.dataSync() as Float64Array);
    } finally {
      draw.dispose();
    }
    // Columns of `a` (m × n, row-major) made orthonormal in place; R's diagonal sign kept.
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += a[i * n + k]! * a[i * n + j]!;
        for (let i = 0; i < m; i++) a[i * n + j]! -= dot * a[i * n + k]!;
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += a[i * n + j]! ** 2;
      norm = Math.sqrt(norm);
      // A zero column (probability 0) would leave a zero column rather than NaN.
      const inv = norm > 0 ? 1 / norm : 0;
      for (let i = 0; i < m; i++) a[i * n + j]! *= inv;
    }
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) out[r * cols + c] = this.gain * (rows >= cols ? a[r * n + c]! : a[c * n + r]!);
    }
    return constant(dtype === "float64" ? out : Float32Array.from(out), { shape: [...shape], dtype });
  }
  override getConfig(): Record<string, unknown> {
    return { gain: this.gain, seed: this.seed };
  }
}

/** `gain` times the identity matrix (Keras's `Identity`); 2-D shapes only, non-square ones padded with zeros. */
export class Identity extends Initializer {
  readonly className: string = "Identity";
  readonly gain: number;
  constructor(opts: { gain?: number } = {}) {
    super();
    checkOptions(`keras.initializers.${new.target.name}`, opts, optionKeys<{ gain?: number }>()("gain"));
    this.gain = opts.gain ?? 1;
  }
  call(shape: readonly number[], dtype: FloatDType = "float32"): Tensor {
    if (shape.length !== 2) throw new ValueError(`Identity matrix initializer can only be used for 2D matrices. Received: shape=${JSON.stringify(shape)} of rank ${shape.length}.`);
    const [r, c] = shape as [number, number];
    const out = new Float64Array(r * c);
    for (let i = 0; i < Math.min(r, c); i++) out[i * c + i] = this.gain;
    return constant(dtype === "float64" ? out : Float32Array.from(out), { shape: [r, c], dtype });
  }
  override getConfig(): Record<string, unknown> {
    return { gain: this.gain };
  }
}

/*
 * A seeded initializer gives the same values at every call, whatever the global seed (Keras 2's
 * stateless initializers, and TensorFlow.js's): seeded draws are stateless ones keyed by [seed, 0];
 * unseeded ones follow the global seed sequence.
 */
function drawUniform(shape: readonly number[], opts: { minval: number; maxval: number; dtype: FloatDType }, seed: number | null): Tensor {
  return seed === null ? uniform(shape, opts) : statelessUniform(shape, [seed, 0], opts);
}
function drawNormal(shape: readonly number[], opts: { mean?: number; stddev?: number; dtype: FloatDType }, seed: number | null): Tensor {
  return seed === null ? normal(shape, opts) : statelessNormal(shape, [seed, 0], opts);
}
function drawTruncatedNormal(shape: readonly number[], opts: { mean?: number; stddev?: number; dtype: FloatDType }, seed: number | null): Tensor {
  return seed === null ? truncatedNormal(shape, opts) : statelessTruncatedNormal(shape, [seed, 0], opts);
}

type Factory = (config: Record<string, unknown>) => Initializer;
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);
const seedOf = (c: Record<string, unknown>): SeedOptions => ({ seed: num(c["seed"]) ?? null });

/** Class names (Keras's, and TensorFlow.js's spelling `LeCunNormal`) → factories from a config. */
const BY_CLASS: Record<string, Factory> = {
  Zeros: () => new Zeros(),
  Ones: () => new Ones(),
  Constant: (c) => new Constant({ value: num(c["value"]) ?? 0 }),
  RandomUniform: (c) => new RandomUniform({ minval: num(c["minval"]) ?? -0.05, maxval: num(c["maxval"]) ?? 0.05, ...seedOf(c) }),
  RandomNormal: (c) => new RandomNormal({ mean: num(c["mean"]) ?? 0, stddev: num(c["stddev"]) ?? 0.05, ...seedOf(c) }),
  TruncatedNormal: (c) => new TruncatedNormal({ mean: num(c["mean"]) ?? 0, stddev: num(c["stddev"]) ?? 0.05, ...seedOf(c) }),
  VarianceScaling: (c) =>
    new VarianceScaling({
      scale: num(c["scale"]) ?? 1,
      mode: (c["mode"] as FanMode | undefined) ?? "fan_in",
      distribution: (c["distribution"] as Distribution | undefined) ?? "truncated_normal",
      ...seedOf(c),
    }),
  GlorotUniform: (c) => new GlorotUniform(seedOf(c)),
  GlorotNormal: (c) => new GlorotNormal(seedOf(c)),
  HeNormal: (c) => new HeNormal(seedOf(c)),
  HeUniform: (c) => new HeUniform(seedOf(c)),
  LecunNormal: (c) => new LecunNormal(seedOf(c)),
  LecunUniform: (c) => new LecunUniform(seedOf(c)),
  Orthogonal: (c) => new Orthogonal({ gain: num(c["gain"]) ?? 1, ...seedOf(c) }),
  Identity: (c) => new Identity({ gain: num(c["gain"]) ?? 1 }),
  LeCunNormal: (c) => new LecunNormal(seedOf(c)),
  LeCunUniform: (c) => new LecunUniform(seedOf(c)),
};

/** Names accepted as strings: Keras's snake_case and TensorFlow.js's camelCase. */
const BY_NAME: Record<string, string> = {
  zeros: "Zeros", ones: "Ones", constant: "Constant",
  random_uniform: "RandomUniform", randomUniform: "RandomUniform",
  random_normal: "RandomNormal", randomNormal: "RandomNormal",
  truncated_normal: "TruncatedNormal", truncatedNormal: "TruncatedNormal",
  variance_scaling: "VarianceScaling", varianceScaling: "VarianceScaling",
  glorot_uniform: "GlorotUniform", glorotUniform: "GlorotUniform",
  glorot_normal: "GlorotNormal", glorotNormal: "GlorotNormal",
  he_normal: "HeNormal", heNormal: "HeNormal",
  he_uniform: "HeUniform", heUniform: "HeUniform",
  lecun_normal: "LecunNormal", lecunNormal: "LecunNormal",
  lecun_uniform: "LecunUniform", lecunUniform: "LecunUniform",
  orthogonal: "Orthogonal", identity: "Identity",
  // Keras 2's short aliases.
  zero: "Zeros", one: "Ones", uniform: "RandomUniform", normal: "RandomNormal",
};

/** Every initializer name accepted as a string. */
export const INITIALIZER_NAMES = Object.keys(BY_NAME);

/** An initializer given by name, instance, or Keras config `{ class_name, config }`. */
export type InitializerIdentifier = string | Initializer | SerializedObject;

/** Resolves an initializer; throws listing the valid names when unknown. */
export function getInitializer(identifier: InitializerIdentifier): Initializer {
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === "string") {
    const cls = Object.hasOwn(BY_NAME, identifier) ? BY_NAME[identifier] : Object.hasOwn(BY_CLASS, identifier) ? identifier : undefined;
    if (cls) return BY_CLASS[cls]!({});
  } else if (identifier && typeof identifier === "object" && typeof identifier.class_name === "string") {
    const f = Object.hasOwn(BY_CLASS, identifier.class_name) ? BY_CLASS[identifier.class_name] : undefined;
    if (f) return f(identifier.config ?? {});
    throw new ValueError(`Unknown initializer class ${JSON.stringify(identifier.class_name)}. Known initializers: ${Object.keys(BY_CLASS).join(", ")}.`);
  }
  throw new ValueError(`Unknown initializer: ${JSON.stringify(identifier)}. Valid initializers are: ${INITIALIZER_NAMES.filter((n) => n.includes("_") || !/[A-Z]/.test(n)).map((n) => `"${n}"`).join(", ")} (camelCase spellings also work), or an Initializer instance.`);
}

/** `{ class_name, config }` for a config file. */
export function serializeInitializer(init: Initializer): SerializedObject {
  return { class_name: init.className, config: init.getConfig() };
}

// ---------------------------------------------------------------- Keras's lower-case spellings

/** `tf.keras.initializers.zeros()`: Keras's `zeros` alias of `Zeros`. */
export const zeros = (): Initializer => new Zeros();
/** `tf.keras.initializers.ones()`. */
export const ones = (): Initializer => new Ones();
/** `tf.keras.initializers.constant({ value })`. */
const constantInit = (opts: { value?: number } = {}): Initializer => new Constant(opts);
/** `tf.keras.initializers.randomUniform({ minval, maxval, seed })`. */
export const randomUniform = (opts: { minval?: number; maxval?: number } & SeedOptions = {}): Initializer => new RandomUniform(opts);
/** `tf.keras.initializers.randomNormal({ mean, stddev, seed })`. */
export const randomNormal = (opts: { mean?: number; stddev?: number } & SeedOptions = {}): Initializer => new RandomNormal(opts);
/** `tf.keras.initializers.truncatedNormal({ mean, stddev, seed })`. */
const truncatedNormalInit = (opts: { mean?: number; stddev?: number } & SeedOptions = {}): Initializer => new TruncatedNormal(opts);
/** `tf.keras.initializers.varianceScaling({ scale, mode, distribution, seed })`. */
export const varianceScaling = (opts: VarianceScalingOptions = {}): Initializer => new VarianceScaling(opts);
/** `tf.keras.initializers.glorotUniform({ seed })`. */
export const glorotUniform = (opts: SeedOptions = {}): Initializer => new GlorotUniform(opts);
/** `tf.keras.initializers.glorotNormal({ seed })`. */
export const glorotNormal = (opts: SeedOptions = {}): Initializer => new GlorotNormal(opts);
/** `tf.keras.initializers.heNormal({ seed })`. */
export const heNormal = (opts: SeedOptions = {}): Initializer => new HeNormal(opts);
/** `tf.keras.initializers.heUniform({ seed })`. */
export const heUniform = (opts: SeedOptions = {}): Initializer => new HeUniform(opts);
/** `tf.keras.initializers.lecunNormal({ seed })`. */
export const lecunNormal = (opts: SeedOptions = {}): Initializer => new LecunNormal(opts);
/** `tf.keras.initializers.lecunUniform({ seed })`. */
export const lecunUniform = (opts: SeedOptions = {}): Initializer => new LecunUniform(opts);
/** `tf.keras.initializers.orthogonal({ gain, seed })`. */
export const orthogonal = (opts: { gain?: number } & SeedOptions = {}): Initializer => new Orthogonal(opts);
/** `tf.keras.initializers.identity({ gain })`. */
const identityInit = (opts: { gain?: number } = {}): Initializer => new Identity(opts);
export { constantInit as constant, identityInit as identity, truncatedNormalInit as truncatedNormal };
