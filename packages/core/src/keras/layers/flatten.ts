/** `tf.keras.layers.Flatten`: `[batch, ...]` → `[batch, product of the rest]`. */
import { reshape } from "../../ops/reshape.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { DataFormat } from "./conv-utils.js";
import { dataFormatOf, toChannelsLast } from "./conv-utils.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import { optionKeys } from "../../options.js";

/** Options of `Flatten`. */
export interface FlattenArgs extends LayerArgs {
  /**
   * "channels_last" (default) or "channels_first": channels-first inputs are put in channels-last
   * order first, as Keras does, so the result is the same for both layouts of the same data.
   */
  dataFormat?: DataFormat;
}

/** Flattens every axis but the batch axis (a free reshape). */
export class Flatten extends Layer {
  static override className = "Flatten";
  static override argKeys = optionKeys<FlattenArgs>()(...LAYER_ARG_KEYS, "dataFormat");

  readonly dataFormat: DataFormat;

  constructor(args: FlattenArgs = {}) {
    super(args);
    this.dataFormat = dataFormatOf(args.dataFormat, this.name);
    this.inputSpec = { minNdim: 1 };
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const batch = inputs.shape[0]!;
    const rest = inputs.shape.slice(1).reduce((a, b) => a * b, 1);
    if (this.dataFormat === "channels_first" && inputs.rank > 2) {
      const t = toChannelsLast(inputs);
      try {
        return reshape(t, [batch, rest]);
      } finally {
        t.dispose();
      }
    }
    return reshape(inputs, [batch, rest]);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    return [inputShape[0] ?? null, rest.some((d) => d === null) ? null : (rest as number[]).reduce((a, b) => a * b, 1)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: this.dataFormat };
  }
}
