/** `tf.keras.layers.Dropout`: zeroes a fraction `rate` of inputs while training, scaling the rest. */
import { ValueError } from "../../errors.js";
import { multiply } from "../../ops/binary.js";
import { cast } from "../../ops/cast.js";
import { greaterEqual } from "../../ops/compare.js";
import { identity } from "../../ops/identity.js";
import { uniform } from "../../random/uniform.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import { optionKeys } from "../../options.js";
import { argsFromConfig, required } from "../config.js";

/** Options of `Dropout` (the rate is the first argument). */
export interface DropoutArgs extends LayerArgs {
  /** Shape of the binary mask, broadcast over the input (`null` entries take the input's size). */
  noiseShape?: readonly (number | null)[] | null;
  /** Op seed for the masks. */
  seed?: number | null;
}

/**
 * `new Dropout(0.25)`: with `training: true`, each element is kept with probability `1 - rate` and
 * scaled by `1 / (1 - rate)`; otherwise the input passes through unchanged.
 */
export class Dropout extends Layer {
  static override className = "Dropout";
  static override argKeys: readonly string[] = optionKeys<DropoutArgs>()(...LAYER_ARG_KEYS, "noiseShape", "seed");
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;

  constructor(rate: number, args: DropoutArgs = {}) {
    super(args);
    if (typeof rate !== "number" || !(rate >= 0 && rate <= 1)) {
      throw new ValueError(`Invalid value received for argument \`rate\`. Expected a float value between 0 and 1. Received: rate=${JSON.stringify(rate)}`);
    }
    this.rate = rate;
    this.noiseShape = args.noiseShape ? args.noiseShape.slice() : null;
    this.seed = args.seed ?? null;
    this.supportsMasking = true;
  }

  /** Makes a Dropout from its config (`rate` is positional). */
  static override fromConfig(config: Record<string, unknown>): Layer {
    return new this(required(config, "rate", this.className) as number, argsFromConfig(config, ["rate"]));
  }

  /** The shape of the keep/drop mask for `inputs` (broadcast over them). */
  protected noiseShapeFor(inputs: Tensor): number[] {
    return this.noiseShape ? this.noiseShape.map((d, i) => d ?? inputs.shape[i]!) : inputs.shape.slice();
  }

  override call(inputs: Tensor, options: CallOptions): Tensor {
    if (!options.training || this.rate === 0) return identity(inputs);
    if (this.rate === 1) return multiply(inputs, 0);
    const shape = this.noiseShapeFor(inputs);
    const dtype = inputs.dtype === "float64" ? "float64" : "float32";
    const u = uniform(shape, { dtype, ...(this.seed === null ? {} : { seed: this.seed }) });
    const keep = greaterEqual(u, this.rate);
    const mask = cast(keep, inputs.dtype);
    const scaled = multiply(mask, 1 / (1 - this.rate));
    try {
      return multiply(inputs, scaled);
    } finally {
      for (const t of [u, keep, mask, scaled]) t.dispose();
    }
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noise_shape: this.noiseShape, seed: this.seed };
  }
}
