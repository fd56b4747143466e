/** `tf.keras.layers.MaxPooling2D`: the maximum over 2-D windows of NHWC inputs. */
import { ValueError } from "../../errors.js";
import { maxPool2d } from "../../ops/conv.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import { optionKeys } from "../../options.js";
import type { PaddingMode, Size2D } from "./conv-utils.js";
import { checkDataFormat, outputLength, pair2, paddingMode } from "./conv-utils.js";

/** Options of `MaxPooling2D`. */
export interface MaxPooling2DArgs extends LayerArgs {
  /** Window size (default 2). */
  poolSize?: Size2D;
  /** Default: the pool size. */
  strides?: Size2D | null;
  /** "valid" (default) or "same". */
  padding?: PaddingMode | "VALID" | "SAME";
  /** Only "channels_last" (NHWC). */
  dataFormat?: "channels_last";
}

/** `new MaxPooling2D(2)` or `new MaxPooling2D({ poolSize: [2, 2], strides: 2 })`. */
export class MaxPooling2D extends Layer {
  static override className = "MaxPooling2D";
  static override argKeys = optionKeys<MaxPooling2DArgs>()(...LAYER_ARG_KEYS, "poolSize", "strides", "padding", "dataFormat");
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;

  constructor(poolSizeOrArgs?: Size2D | MaxPooling2DArgs, args: MaxPooling2DArgs = {}) {
    const opts: MaxPooling2DArgs =
      typeof poolSizeOrArgs === "number" || Array.isArray(poolSizeOrArgs)
        ? { ...args, poolSize: poolSizeOrArgs as Size2D }
        : { ...(poolSizeOrArgs as MaxPooling2DArgs | undefined), ...args };
    super(opts);
    this.poolSize = pair2(opts.poolSize ?? 2, "pool_size", this.name);
    this.strides = pair2(opts.strides ?? this.poolSize, "strides", this.name);
    this.padding = paddingMode(opts.padding ?? "valid", this.name);
    checkDataFormat(opts.dataFormat, this.name);
    this.inputSpec = { ndim: 4 };
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return maxPool2d(inputs, this.poolSize, this.strides, this.padding === "same" ? "SAME" : "VALID");
  }

  override computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length !== 4) throw new ValueError(`Layer "${this.name}" expects 4-D NHWC inputs, got shape ${JSON.stringify(inputShape)}`);
    return [
      inputShape[0] ?? null,
      outputLength(inputShape[1] ?? null, this.poolSize[0], this.padding, this.strides[0]),
      outputLength(inputShape[2] ?? null, this.poolSize[1], this.padding, this.strides[1]),
      inputShape[3] ?? null,
    ];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      pool_size: this.poolSize.slice(),
      padding: this.padding,
      strides: this.strides.slice(),
      data_format: "channels_last",
    };
  }
}
