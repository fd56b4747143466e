/** `tf.keras.layers.Flatten`: `[batch, ...]` → `[batch, product of the rest]`. */
import { reshape } from "../../ops/reshape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { checkDataFormat } from "./conv-utils.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import { optionKeys } from "../../options.js";

/** Options of `Flatten`. */
export interface FlattenArgs extends LayerArgs {
  /** Only "channels_last". */
  dataFormat?: "channels_last";
}

/** Flattens every axis but the batch axis (a free reshape). */
export class Flatten extends Layer {
  static override className = "Flatten";
  static override argKeys = optionKeys<FlattenArgs>()(...LAYER_ARG_KEYS, "dataFormat");

  constructor(args: FlattenArgs = {}) {
    super(args);
    checkDataFormat(args.dataFormat, this.name);
    this.inputSpec = { minNdim: 1 };
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const batch = inputs.shape[0]!;
    const rest = inputs.shape.slice(1).reduce((a, b) => a * b, 1);
    return reshape(inputs, [batch, rest]);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    return [inputShape[0] ?? null, rest.some((d) => d === null) ? null : (rest as number[]).reduce((a, b) => a * b, 1)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: "channels_last" };
  }
}
