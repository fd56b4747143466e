/**
 * Regularisation by noise, active only while training: `GaussianNoise`, `GaussianDropout`,
 * `AlphaDropout`, and `SpatialDropout1D/2D/3D` (whole channels dropped, on the Dropout layer).
 */
import { ValueError } from "../../errors.js";
import { add, multiply, subtract } from "../../ops/binary.js";
import { cast } from "../../ops/cast.js";
import { greaterEqual } from "../../ops/compare.js";
import { identity } from "../../ops/identity.js";
import { optionKeys } from "../../options.js";
import { normal } from "../../random/normal.js";
import { uniform } from "../../random/uniform.js";
import type { Tensor } from "../../tensor/tensor.js";
import { argsFromConfig, required } from "../config.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import type { DataFormat } from "./conv-utils.js";
import { dataFormatOf } from "./conv-utils.js";
import type { DropoutArgs } from "./dropout.js";
import { Dropout } from "./dropout.js";

/** Options of the noise layers. */
export interface NoiseArgs extends LayerArgs {
  /** Op seed of the noise. */
  seed?: number | null;
}

function checkRate(rate: unknown): number {
  if (typeof rate !== "number" || !(rate >= 0 && rate <= 1)) {
    throw new ValueError(`Invalid value received for argument \`rate\`. Expected a float value between 0 and 1. Received: rate=${JSON.stringify(rate)}`);
  }
  return rate;
}

const floatOf = (t: Tensor): "float32" | "float64" => (t.dtype === "float64" ? "float64" : "float32");
const seedOf = (seed: number | null) => (seed === null ? {} : { seed });

/** A layer that only adds noise while training: identity otherwise, same shape, masks pass. */
abstract class NoiseLayer extends Layer {
  readonly seed: number | null;
  constructor(args: NoiseArgs) {
    super(args);
    this.seed = args.seed ?? null;
    this.supportsMasking = true;
  }

  /** The noisy output while training. */
  protected abstract noisy(inputs: Tensor): Tensor;

  /** Whether the noise does anything (a rate of 0 does not). */
  protected abstract get active(): boolean;

  override call(inputs: Tensor, options: CallOptions): Tensor {
    return options.training && this.active ? this.noisy(inputs) : identity(inputs);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  /** `combine(inputs, n)` with `n` normal noise (`normal`'s mean and stddev) of the inputs' shape and float dtype, freed after. */
  protected withNormalNoise(inputs: Tensor, moments: { mean?: number; stddev: number }, combine: (x: Tensor, n: Tensor) => Tensor): Tensor {
    const n = normal(inputs.shape, { ...moments, dtype: floatOf(inputs), ...seedOf(this.seed) });
    try {
      return combine(inputs, n);
    } finally {
      n.dispose();
    }
  }
}

/** `new GaussianNoise(0.1)`: adds N(0, stddev²) noise while training. */
export class GaussianNoise extends NoiseLayer {
  static override className = "GaussianNoise";
  static override argKeys = optionKeys<NoiseArgs>()(...LAYER_ARG_KEYS, "seed");
  readonly stddev: number;

  constructor(stddev: number, args: NoiseArgs = {}) {
    super(args);
    if (typeof stddev !== "number" || !Number.isFinite(stddev) || stddev < 0) {
      throw new ValueError(`Invalid value for argument \`stddev\`. Expected a float value greater than or equal to 0. Received: stddev=${JSON.stringify(stddev)}`);
    }
    this.stddev = stddev;
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new GaussianNoise(required(config, "stddev", "GaussianNoise") as number, argsFromConfig(config, ["stddev"]));
  }

  protected get active(): boolean {
    return this.stddev > 0;
  }

  protected noisy(inputs: Tensor): Tensor {
    return this.withNormalNoise(inputs, { stddev: this.stddev }, add);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
}

/** `new GaussianDropout(0.2)`: multiplies by N(1, rate / (1 − rate)) noise while training. */
export class GaussianDropout extends NoiseLayer {
  static override className = "GaussianDropout";
  static override argKeys = optionKeys<NoiseArgs>()(...LAYER_ARG_KEYS, "seed");
  readonly rate: number;

  constructor(rate: number, args: NoiseArgs = {}) {
    super(args);
    this.rate = checkRate(rate);
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new GaussianDropout(required(config, "rate", "GaussianDropout") as number, argsFromConfig(config, ["rate"]));
  }

  protected get active(): boolean {
    return this.rate > 0 && this.rate < 1;
  }

  protected noisy(inputs: Tensor): Tensor {
    return this.withNormalNoise(inputs, { mean: 1, stddev: Math.sqrt(this.rate / (1 - this.rate)) }, multiply);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

/** Options of `AlphaDropout`. */
export interface AlphaDropoutArgs extends NoiseArgs {
  /** Shape of the drop mask, broadcast over the input (`null` entries take the input's size). */
  noiseShape?: readonly (number | null)[] | null;
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * `new AlphaDropout(0.1)`: dropout for self-normalising (SELU) networks: dropped values become SELU's
 * negative saturation and an affine map keeps the mean and variance (Keras's formula).
 */
export class AlphaDropout extends NoiseLayer {
  static override className = "AlphaDropout";
  static override argKeys = optionKeys<AlphaDropoutArgs>()(...LAYER_ARG_KEYS, "seed", "noiseShape");
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;

  constructor(rate: number, args: AlphaDropoutArgs = {}) {
    super(args);
    this.rate = checkRate(rate);
    this.noiseShape = args.noiseShape ? args.noiseShape.slice() : null;
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new AlphaDropout(required(config, "rate", "AlphaDropout") as number, argsFromConfig(config, ["rate"]));
  }

  protected get active(): boolean {
    return this.rate > 0 && this.rate < 1;
  }

  protected noisy(inputs: Tensor): Tensor {
    const rate = this.rate;
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const a = ((1 - rate) * (1 + rate * alphaP * alphaP)) ** -0.5;
    const b = -a * alphaP * rate;
    const shape = this.noiseShape ? this.noiseShape.map((d, i) => d ?? inputs.shape[i]!) : inputs.shape;
    const tmp: Tensor[] = [];
    const keep = (t: Tensor) => (tmp.push(t), t);
    try {
      const kept = keep(cast(keep(greaterEqual(keep(uniform(shape, { dtype: floatOf(inputs), ...seedOf(this.seed) })), rate)), inputs.dtype));
      // x · kept + alphaP · (1 − kept), then a · x + b.
      const x = keep(add(keep(multiply(inputs, kept)), keep(multiply(keep(subtract(1, kept)), alphaP))));
      return add(keep(multiply(x, a)), b);
    } finally {
      for (const t of tmp) t.dispose();
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noise_shape: this.noiseShape, seed: this.seed };
  }
}

/** Options of `SpatialDropout2D` and `SpatialDropout3D`. */
export interface SpatialDropoutArgs extends Omit<DropoutArgs, "noiseShape"> {
  /** "channels_last" (default) or "channels_first". */
  dataFormat?: DataFormat;
}
const SPATIAL_KEYS = optionKeys<SpatialDropoutArgs>()(...LAYER_ARG_KEYS, "seed", "dataFormat");

const SPATIAL_1D_KEYS = optionKeys<Omit<DropoutArgs, "noiseShape">>()(...LAYER_ARG_KEYS, "seed");

/** Dropout of whole feature maps: one keep/drop decision per example and channel. */
abstract class SpatialDropout extends Dropout {
  readonly dataFormat: DataFormat;
  private readonly rank: number;

  constructor(rank: number, rate: number, args: SpatialDropoutArgs) {
    const { dataFormat, ...rest } = args;
    super(rate, rest);
    this.rank = rank;
    this.dataFormat = dataFormatOf(dataFormat, this.name);
    this.inputSpec = { ndim: rank + 2 };
  }

  protected override noiseShapeFor(inputs: Tensor): number[] {
    const s = inputs.shape;
    const channels = this.dataFormat === "channels_last" ? s.length - 1 : 1;
    return s.map((d, i) => (i === 0 || i === channels ? d : 1));
  }

  override getConfig(): Record<string, unknown> {
    const { noise_shape: _unused, ...rest } = super.getConfig();
    return this.rank === 1 ? rest : { ...rest, data_format: this.dataFormat };
  }
}

/** `new SpatialDropout1D(0.2)`: drops whole channels of `[batch, steps, channels]` inputs while training. */
export class SpatialDropout1D extends SpatialDropout {
  static override className = "SpatialDropout1D";
  static override argKeys: readonly string[] = SPATIAL_1D_KEYS;
  constructor(rate: number, args: Omit<DropoutArgs, "noiseShape"> = {}) {
    super(1, rate, args);
  }
}

/** `new SpatialDropout2D(0.2)`: drops whole feature maps of image inputs while training. */
export class SpatialDropout2D extends SpatialDropout {
  static override className = "SpatialDropout2D";
  static override argKeys: readonly string[] = SPATIAL_KEYS;
  constructor(rate: number, args: SpatialDropoutArgs = {}) {
    super(2, rate, args);
  }
}

/** `new SpatialDropout3D(0.2)`: drops whole feature volumes of 3-D inputs while training. */
export class SpatialDropout3D extends SpatialDropout {
  static override className = "SpatialDropout3D";
  static override argKeys: readonly string[] = SPATIAL_KEYS;
  constructor(rate: number, args: SpatialDropoutArgs = {}) {
    super(3, rate, args);
  }
}
