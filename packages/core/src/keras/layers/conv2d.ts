/** `tf.keras.layers.Conv2D`: 2-D convolution over NHWC inputs (`channels_last`) or NCHW ones (`channels_first`). */
import { ValueError } from "../../errors.js";
import { conv2d } from "../../ops/conv.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { Activation, ActivationIdentifier } from "../activations.js";
import { biasAndActivate, getActivation, serialize } from "../activations.js";
import type { Initializer, InitializerIdentifier } from "../initializers.js";
import { getInitializer } from "../initializers.js";
import { kernelBiasConfig } from "./weight-config.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import { optionKeys } from "../../options.js";
import type { DataFormat, PaddingMode, Size2D } from "./conv-utils.js";
import { channelsLastShape, dataFormatOf, fromChannelsLastShape, inChannelsLast, outputLength, pair2, paddingMode } from "./conv-utils.js";

/** Options of `Conv2D` (filters and kernel size are the first two arguments). */
export interface Conv2DArgs extends LayerArgs {
  /** Default 1. */
  strides?: Size2D;
  /** "valid" (default) or "same". */
  padding?: PaddingMode | "VALID" | "SAME";
  /** "channels_last" (NHWC, the default) or "channels_first" (NCHW: transposed around the NHWC op). */
  dataFormat?: DataFormat;
  /** Default 1. */
  dilationRate?: Size2D;
  activation?: ActivationIdentifier;
  useBias?: boolean;
  /** Default "glorotUniform". */
  kernelInitializer?: InitializerIdentifier;
  /** Default "zeros". */
  biasInitializer?: InitializerIdentifier;
}

/** `new Conv2D(32, 3, { activation: "relu", inputShape: [28, 28, 1] })`: kernel HWIO `[kh, kw, in, filters]`. */
export class Conv2D extends Layer {
  static override className = "Conv2D";
  static override argKeys = optionKeys<Conv2DArgs>()(...LAYER_ARG_KEYS, "strides", "padding", "dataFormat", "dilationRate", "activation", "useBias", "kernelInitializer", "biasInitializer");
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: PaddingMode;
  readonly dataFormat: DataFormat;
  readonly dilationRate: [number, number];
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(filters: number, kernelSize: Size2D, args: Conv2DArgs = {}) {
    super(args);
    if (!Number.isInteger(filters) || filters <= 0) {
      throw new ValueError(`Invalid value for argument \`filters\`. Expected a strictly positive integer. Received filters=${JSON.stringify(filters)}`);
    }
    this.filters = filters;
    this.kernelSize = pair2(kernelSize, "kernel_size", this.name);
    this.strides = pair2(args.strides ?? 1, "strides", this.name);
    this.padding = paddingMode(args.padding ?? "valid", this.name);
    this.dataFormat = dataFormatOf(args.dataFormat, this.name);
    this.dilationRate = pair2(args.dilationRate ?? 1, "dilation_rate", this.name);
    if ((this.strides[0] > 1 || this.strides[1] > 1) && (this.dilationRate[0] > 1 || this.dilationRate[1] > 1)) {
      throw new ValueError(`Layer "${this.name}": \`strides > 1\` is not compatible with \`dilation_rate > 1\``);
    }
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? "glorotUniform");
    this.biasInitializer = getInitializer(args.biasInitializer ?? "zeros");
    this.inputSpec = { ndim: 4 };
  }

  override build(inputShape: Shape): void {
    const channelAxis = this.dataFormat === "channels_last" ? 3 : 1;
    const channels = inputShape[channelAxis];
    if (inputShape.length !== 4 || channels === null || channels === undefined) {
      throw new ValueError(`The channel dimension of the inputs to Conv2D should be defined. Found shape ${JSON.stringify(inputShape)} (layer "${this.name}")`);
    }
    this.kernel = this.addWeight("kernel", [...this.kernelSize, channels, this.filters], { initializer: this.kernelInitializer });
    if (this.useBias) this.bias = this.addWeight("bias", [this.filters], { initializer: this.biasInitializer });
    this.inputSpec = { ndim: 4, axes: { [channelAxis === 3 ? -1 : 1]: channels } };
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return inChannelsLast(inputs, this.dataFormat, (x) => {
      const y = conv2d(x, this.kernel!, this.strides, this.padding === "same" ? "SAME" : "VALID", { dilations: this.dilationRate });
      return biasAndActivate(y, this.bias, this.activation);
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const s = channelsLastShape(inputShape, this.dataFormat);
    return fromChannelsLastShape([
      s[0] ?? null,
      outputLength(s[1] ?? null, this.kernelSize[0], this.padding, this.strides[0], this.dilationRate[0]),
      outputLength(s[2] ?? null, this.kernelSize[1], this.padding, this.strides[1], this.dilationRate[1]),
      this.filters,
    ], this.dataFormat);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel_size: this.kernelSize.slice(),
      strides: this.strides.slice(),
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: this.dilationRate.slice(),
      activation: serialize(this.activation),
      use_bias: this.useBias,
      ...kernelBiasConfig(this.kernelInitializer, this.biasInitializer),
      groups: 1,
    };
  }
}
