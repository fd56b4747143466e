/**
 * The convolution layers beside Conv2D: `Conv1D`, `Conv1DTranspose`, `Conv2DTranspose`,
 * `DepthwiseConv2D`, `SeparableConv1D` and `SeparableConv2D`, with Keras's arguments, weights and
 * snake_case configs. Each runs one op of `tf.nn` (channels-first inputs are transposed around it).
 */
import { NotImplementedError, ValueError } from "../../errors.js";
import { tidy } from "../../engine/tidy.js";
import { conv1d } from "../../ops/conv1d.js";
import { depthwiseConv2d, separableConv2d } from "../../ops/conv-depthwise.js";
import { conv1dTranspose, conv2dTranspose } from "../../ops/conv-transpose.js";
import { reshape } from "../../ops/reshape.js";
import { pad } from "../../ops/slice.js";
import { optionKeys } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { Activation, ActivationIdentifier } from "../activations.js";
import { biasAndActivate, getActivation, serialize } from "../activations.js";
import { required, argsFromConfig } from "../config.js";
import type { Constraint, ConstraintIdentifier } from "../constraints.js";
import { getConstraint, serializeConstraint } from "../constraints.js";
import type { Initializer, InitializerIdentifier } from "../initializers.js";
import { getInitializer, serializeInitializer } from "../initializers.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import type { Regularizer, RegularizerIdentifier } from "../regularizers.js";
import { getRegularizer, serializeRegularizer } from "../regularizers.js";
import type { DataFormat, PaddingMode } from "./conv-utils.js";
import { channelsLastShape, dataFormatOf, fromChannelsLastShape, inChannelsLast, outputLength, paddingMode, tupleOf } from "./conv-utils.js";

/** A size per spatial axis: one number for all, or one per axis. */
export type ConvSize = number | readonly number[];

/** Options shared by the convolution layers. */
export interface BaseConvArgs extends LayerArgs {
  /** Default 1. */
  strides?: ConvSize;
  /** "valid" (default) or "same"; Conv1D and SeparableConv1D also take "causal". */
  padding?: PaddingMode | "causal" | "VALID" | "SAME";
  /** "channels_last" (the default) or "channels_first" (transposed around the op). */
  dataFormat?: DataFormat;
  /** Default 1. Above 1, the strides must be 1. */
  dilationRate?: ConvSize;
  activation?: ActivationIdentifier;
  useBias?: boolean;
  /** Default "zeros". */
  biasInitializer?: InitializerIdentifier;
  biasRegularizer?: RegularizerIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/** Options of the layers with one kernel (`Conv1D`, `Conv1DTranspose`, `Conv2DTranspose`). */
export interface ConvArgs extends BaseConvArgs {
  /** Default "glorotUniform". */
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
}

/** Options of the transposed convolution layers. */
export interface ConvTransposeArgs extends ConvArgs {
  /** Extra rows/columns at the end of the output (each below its stride); default none (Keras's output size). */
  outputPadding?: ConvSize | null;
}

/** Options of `DepthwiseConv2D`. */
export interface DepthwiseConv2DArgs extends BaseConvArgs {
  /** Output channels per input channel (default 1). */
  depthMultiplier?: number;
  /** Default "glorotUniform". */
  depthwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  depthwiseConstraint?: ConstraintIdentifier | null;
}

/** Options of `SeparableConv1D` and `SeparableConv2D`. */
export interface SeparableConvArgs extends DepthwiseConv2DArgs {
  /** Default "glorotUniform". */
  pointwiseInitializer?: InitializerIdentifier;
  pointwiseRegularizer?: RegularizerIdentifier | null;
  pointwiseConstraint?: ConstraintIdentifier | null;
}

const BASE_KEYS = [...LAYER_ARG_KEYS, "strides", "padding", "dataFormat", "dilationRate", "activation", "useBias", "biasInitializer", "biasRegularizer", "biasConstraint"] as const;
const CONV_KEYS = optionKeys<ConvArgs>()(...BASE_KEYS, "kernelInitializer", "kernelRegularizer", "kernelConstraint");
const TRANSPOSE_KEYS = optionKeys<ConvTransposeArgs>()(...CONV_KEYS, "outputPadding");
const DEPTHWISE_KEYS = optionKeys<DepthwiseConv2DArgs>()(...BASE_KEYS, "depthMultiplier", "depthwiseInitializer", "depthwiseRegularizer", "depthwiseConstraint");
const SEPARABLE_KEYS = optionKeys<SeparableConvArgs>()(...DEPTHWISE_KEYS, "pointwiseInitializer", "pointwiseRegularizer", "pointwiseConstraint");

/** A weight's initializer, regularizer and constraint. */
interface WeightSlot {
  readonly initializer: Initializer;
  readonly regularizer: Regularizer | null;
  readonly constraint: Constraint | null;
}

function slot(init: InitializerIdentifier | undefined, reg: RegularizerIdentifier | null | undefined, con: ConstraintIdentifier | null | undefined, defaultInit: InitializerIdentifier): WeightSlot {
  return { initializer: getInitializer(init ?? defaultInit), regularizer: getRegularizer(reg), constraint: getConstraint(con) };
}

/** Config entries `<prefix>_initializer`, `<prefix>_regularizer`, `<prefix>_constraint`. */
function slotConfig(prefix: string, s: WeightSlot): Record<string, unknown> {
  return {
    [`${prefix}_initializer`]: serializeInitializer(s.initializer),
    [`${prefix}_regularizer`]: serializeRegularizer(s.regularizer),
    [`${prefix}_constraint`]: serializeConstraint(s.constraint),
  };
}

function positiveInt(v: unknown, what: string, cls: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
    throw new ValueError(`Invalid value for argument \`${what}\` of ${cls}. Expected a strictly positive integer. Received ${what}=${JSON.stringify(v)}`);
  }
  return v;
}

/** Keras's output length of a transposed convolution along one axis (`null` stays unknown). */
export function deconvLength(n: number | null, k: number, padding: PaddingMode, outputPadding: number | null, stride: number, dilation: number): number | null {
  if (n === null) return null;
  const eff = k + (k - 1) * (dilation - 1);
  if (outputPadding === null) return padding === "valid" ? n * stride + Math.max(eff - stride, 0) : n * stride;
  const p = padding === "same" ? Math.floor(eff / 2) : 0;
  return (n - 1) * stride + eff - 2 * p + outputPadding;
}

/** A layer class whose constructor takes `(filters, kernelSize, args)`. */
type FiltersClass = (new (filters: number, kernelSize: ConvSize, args: Record<string, unknown>) => Layer) & { readonly className: string };

/** Such a layer from its Keras config (`filters` and `kernel_size` are positional). */
function filtersFromConfig(cls: FiltersClass, config: Record<string, unknown>): Layer {
  return new cls(required(config, "filters", cls.className) as number, required(config, "kernel_size", cls.className) as ConvSize, argsFromConfig(config, ["filters", "kernel_size"]));
}

/** What every convolution layer here shares: window arguments, bias, activation, data format. */
abstract class ConvBase extends Layer {
  readonly rank: 1 | 2;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode | "causal";
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly biasSlot: WeightSlot;
  bias: Variable | null = null;

  constructor(rank: 1 | 2, kernelSize: ConvSize, args: BaseConvArgs, causal: boolean) {
    super(args);
    this.rank = rank;
    this.kernelSize = tupleOf(kernelSize, rank, "kernel_size", this.name);
    this.strides = tupleOf(args.strides ?? 1, rank, "strides", this.name);
    const p = typeof args.padding === "string" ? args.padding.toLowerCase() : args.padding;
    this.padding = causal && p === "causal" ? "causal" : paddingMode(args.padding ?? "valid", this.name);
    this.dataFormat = dataFormatOf(args.dataFormat, this.name);
    this.dilationRate = tupleOf(args.dilationRate ?? 1, rank, "dilation_rate", this.name);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new ValueError(`Layer "${this.name}": \`strides > 1\` is not compatible with \`dilation_rate > 1\` (strides ${JSON.stringify(this.strides)}, dilation_rate ${JSON.stringify(this.dilationRate)})`);
    }
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.biasSlot = slot(args.biasInitializer, args.biasRegularizer, args.biasConstraint, "zeros");
    this.inputSpec = { ndim: rank + 2 };
  }

  /** The input's channel count, checked to be defined; sets the input spec. */
  protected channelsOf(inputShape: Shape): number {
    const axis = this.dataFormat === "channels_last" ? this.rank + 1 : 1;
    const c = inputShape[axis];
    if (inputShape.length !== this.rank + 2 || c === null || c === undefined) {
      throw new ValueError(`The channel dimension of the inputs to ${this.getClassName()} should be defined. Found shape ${JSON.stringify(inputShape)} (layer "${this.name}")`);
    }
    this.inputSpec = { ndim: this.rank + 2, axes: { [axis === 1 ? 1 : -1]: c } };
    return c;
  }

  protected addBias(units: number): void {
    if (this.useBias) this.bias = this.addWeight("bias", [units], { initializer: this.biasSlot.initializer, regularizer: this.biasSlot.regularizer, constraint: this.biasSlot.constraint });
  }

  /** Runs `op` on the channels-last input, then bias and activation, back in the layer's format. */
  protected run(inputs: Tensor, op: (x: Tensor) => Tensor): Tensor {
    return tidy(() => inChannelsLast(inputs, this.dataFormat, (x) => biasAndActivate(op(x), this.bias, this.activation)));
  }

  /** `x` (channels last, rank 3) padded on the left for causal padding. */
  protected causalPad(x: Tensor): Tensor {
    if (this.padding !== "causal") return x;
    return pad(x, [[0, 0], [(this.kernelSize[0]! - 1) * this.dilationRate[0]!, 0], [0, 0]]);
  }

  /** The padding argument of the op ("SAME" or "VALID"; causal inputs are padded already). */
  protected get opPadding(): "SAME" | "VALID" {
    return this.padding === "same" ? "SAME" : "VALID";
  }

  /** The output shape of a forward convolution with `channels` output channels. */
  protected convOutputShape(inputShape: Shape, channels: number | null): Shape {
    const s = channelsLastShape(inputShape, this.dataFormat);
    const mode: PaddingMode = this.padding === "valid" ? "valid" : "same";
    const spatial = this.kernelSize.map((k, i) => outputLength(s[i + 1] ?? null, k, mode, this.strides[i]!, this.dilationRate[i]!));
    return fromChannelsLastShape([s[0] ?? null, ...spatial, channels], this.dataFormat);
  }

  protected baseConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      kernel_size: this.kernelSize.slice(),
      strides: this.strides.slice(),
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: this.dilationRate.slice(),
      activation: serialize(this.activation),
      use_bias: this.useBias,
      ...slotConfig("bias", this.biasSlot),
      activity_regularizer: null,
    };
  }
}

/** A layer with one kernel and `filters` output channels (Conv1D and the transposed ones). */
abstract class KernelConv extends ConvBase {
  readonly filters: number;
  readonly kernelSlot: WeightSlot;
  kernel: Variable | null = null;

  constructor(rank: 1 | 2, filters: number, kernelSize: ConvSize, args: ConvArgs, causal: boolean) {
    super(rank, kernelSize, args, causal);
    this.filters = positiveInt(filters, "filters", this.getClassName());
    this.kernelSlot = slot(args.kernelInitializer, args.kernelRegularizer, args.kernelConstraint, "glorotUniform");
  }

  protected addKernel(shape: number[]): void {
    this.kernel = this.addWeight("kernel", shape, { initializer: this.kernelSlot.initializer, regularizer: this.kernelSlot.regularizer, constraint: this.kernelSlot.constraint });
  }

  protected kernelConfig(): Record<string, unknown> {
    return { filters: this.filters, ...this.baseConfig(), ...slotConfig("kernel", this.kernelSlot) };
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return filtersFromConfig(this as unknown as FiltersClass, config);
  }
}

/**
 * `tf.keras.layers.Conv1D`: 1-D convolution over `[batch, steps, channels]` inputs (or
 * `[batch, channels, steps]` with `channels_first`); kernel `[k, in, filters]`. Padding "valid",
 * "same" or "causal" (left padding only, so step t sees no later step).
 */
export class Conv1D extends KernelConv {
  static override className = "Conv1D";
  static override argKeys = CONV_KEYS;

  constructor(filters: number, kernelSize: ConvSize, args: ConvArgs = {}) {
    super(1, filters, kernelSize, args, true);
  }

  override build(inputShape: Shape): void {
    this.addKernel([this.kernelSize[0]!, this.channelsOf(inputShape), this.filters]);
    this.addBias(this.filters);
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return this.run(inputs, (x) => conv1d(this.causalPad(x), this.kernel!, this.strides[0]!, this.opPadding, { dilations: this.dilationRate[0]! }));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return this.convOutputShape(inputShape, this.filters);
  }

  override getConfig(): Record<string, unknown> {
    return { ...this.kernelConfig(), groups: 1 };
  }

  /** Keras writes `groups`; only 1 (an ordinary convolution) is supported. */
  static override fromConfig(config: Record<string, unknown>): Layer {
    const { groups, ...rest } = config;
    if (groups !== undefined && groups !== null && groups !== 1) {
      throw new NotImplementedError(`Conv1D layer "${String(config["name"])}": grouped convolutions (groups=${JSON.stringify(groups)}) are not supported`);
    }
    return filtersFromConfig(Conv1D, rest);
  }
}

/** The transposed convolutions: kernel `[...k, filters, in]`, output size from Keras's rule. */
abstract class TransposeConv extends KernelConv {
  readonly outputPadding: number[] | null;

  constructor(rank: 1 | 2, filters: number, kernelSize: ConvSize, args: ConvTransposeArgs) {
    super(rank, filters, kernelSize, args, false);
    this.outputPadding = args.outputPadding === undefined || args.outputPadding === null ? null : tupleOf(args.outputPadding, rank, "output_padding", this.name, 0);
    this.outputPadding?.forEach((p, i) => {
      if (p >= this.strides[i]!) {
        throw new ValueError(`Layer "${this.name}": strides must be greater than output padding. Received strides=${JSON.stringify(this.strides)}, output_padding=${JSON.stringify(this.outputPadding)}`);
      }
    });
  }

  override build(inputShape: Shape): void {
    this.addKernel([...this.kernelSize, this.filters, this.channelsOf(inputShape)]);
    this.addBias(this.filters);
    this.built = true;
  }

  /** The channels-last output shape for a channels-last input shape. */
  protected outputShapeLast(s: readonly (number | null)[]): (number | null)[] {
    const padding: PaddingMode = this.padding === "same" ? "same" : "valid";
    const spatial = this.kernelSize.map((k, i) => deconvLength(s[i + 1] ?? null, k, padding, this.outputPadding?.[i] ?? null, this.strides[i]!, this.dilationRate[i]!));
    return [s[0] ?? null, ...spatial, this.filters];
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return fromChannelsLastShape(this.outputShapeLast(channelsLastShape(inputShape, this.dataFormat)), this.dataFormat);
  }

  override getConfig(): Record<string, unknown> {
    return { ...this.kernelConfig(), output_padding: this.outputPadding?.slice() ?? null };
  }
}

/**
 * `tf.keras.layers.Conv2DTranspose`: the transpose of Conv2D (`tf.nn.conv2dTranspose`), kernel
 * `[kh, kw, filters, in]`; with `strides: 2` and "same" padding it doubles the height and width.
 */
export class Conv2DTranspose extends TransposeConv {
  static override className = "Conv2DTranspose";
  static override argKeys = TRANSPOSE_KEYS;

  constructor(filters: number, kernelSize: ConvSize, args: ConvTransposeArgs = {}) {
    super(2, filters, kernelSize, args);
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return this.run(inputs, (x) => {
      const out = this.outputShapeLast(x.shape) as number[];
      return conv2dTranspose(x, this.kernel!, out, this.strides, { padding: this.opPadding, dilations: this.dilationRate });
    });
  }
}

/** `tf.keras.layers.Conv1DTranspose`: the transpose of Conv1D (`tf.nn.conv1dTranspose`), kernel `[k, filters, in]`. */
export class Conv1DTranspose extends TransposeConv {
  static override className = "Conv1DTranspose";
  static override argKeys = TRANSPOSE_KEYS;

  constructor(filters: number, kernelSize: ConvSize, args: ConvTransposeArgs = {}) {
    super(1, filters, kernelSize, args);
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return this.run(inputs, (x) => {
      const out = this.outputShapeLast(x.shape) as number[];
      return conv1dTranspose(x, this.kernel!, out, this.strides[0]!, { padding: this.opPadding, dilations: this.dilationRate[0]! });
    });
  }
}

/** A layer with a depthwise kernel `[...k, in, depthMultiplier]`. */
abstract class DepthwiseBase extends ConvBase {
  readonly depthMultiplier: number;
  readonly depthwiseSlot: WeightSlot;
  depthwiseKernel: Variable | null = null;

  constructor(rank: 1 | 2, kernelSize: ConvSize, args: DepthwiseConv2DArgs, causal: boolean) {
    super(rank, kernelSize, args, causal);
    this.depthMultiplier = positiveInt(args.depthMultiplier ?? 1, "depth_multiplier", this.getClassName());
    this.depthwiseSlot = slot(args.depthwiseInitializer, args.depthwiseRegularizer, args.depthwiseConstraint, "glorotUniform");
  }

  protected addDepthwise(channels: number): void {
    const s = this.depthwiseSlot;
    this.depthwiseKernel = this.addWeight("depthwise_kernel", [...this.kernelSize, channels, this.depthMultiplier], { initializer: s.initializer, regularizer: s.regularizer, constraint: s.constraint });
  }

  protected depthwiseConfig(): Record<string, unknown> {
    return { ...this.baseConfig(), depth_multiplier: this.depthMultiplier, ...slotConfig("depthwise", this.depthwiseSlot) };
  }
}

/**
 * `tf.keras.layers.DepthwiseConv2D`: each input channel convolved with its own `depthMultiplier`
 * filters (`tf.nn.depthwiseConv2d`); depthwise kernel `[kh, kw, in, depthMultiplier]`, bias
 * `[in · depthMultiplier]`.
 */
export class DepthwiseConv2D extends DepthwiseBase {
  static override className = "DepthwiseConv2D";
  static override argKeys = DEPTHWISE_KEYS;

  constructor(kernelSize: ConvSize, args: DepthwiseConv2DArgs = {}) {
    super(2, kernelSize, args, false);
  }

  override build(inputShape: Shape): void {
    const c = this.channelsOf(inputShape);
    this.addDepthwise(c);
    this.addBias(c * this.depthMultiplier);
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return this.run(inputs, (x) => depthwiseConv2d(x, this.depthwiseKernel!, this.strides, this.opPadding, { dilations: this.dilationRate }));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const c = inputShape[this.dataFormat === "channels_last" ? 3 : 1];
    return this.convOutputShape(inputShape, c === null || c === undefined ? null : c * this.depthMultiplier);
  }

  override getConfig(): Record<string, unknown> {
    return this.depthwiseConfig();
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new DepthwiseConv2D(required(config, "kernel_size", "DepthwiseConv2D") as ConvSize, argsFromConfig(config, ["kernel_size"]));
  }
}

/** Depthwise then pointwise: pointwise kernel `[...1, in · depthMultiplier, filters]`. */
abstract class SeparableBase extends DepthwiseBase {
  readonly filters: number;
  readonly pointwiseSlot: WeightSlot;
  pointwiseKernel: Variable | null = null;

  constructor(rank: 1 | 2, filters: number, kernelSize: ConvSize, args: SeparableConvArgs) {
    super(rank, kernelSize, args, rank === 1);
    this.filters = positiveInt(filters, "filters", this.getClassName());
    this.pointwiseSlot = slot(args.pointwiseInitializer, args.pointwiseRegularizer, args.pointwiseConstraint, "glorotUniform");
  }

  override build(inputShape: Shape): void {
    const c = this.channelsOf(inputShape);
    this.addDepthwise(c);
    const s = this.pointwiseSlot;
    this.pointwiseKernel = this.addWeight("pointwise_kernel", [...this.kernelSize.map(() => 1), c * this.depthMultiplier, this.filters], { initializer: s.initializer, regularizer: s.regularizer, constraint: s.constraint });
    this.addBias(this.filters);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return this.convOutputShape(inputShape, this.filters);
  }

  override getConfig(): Record<string, unknown> {
    return { filters: this.filters, ...this.depthwiseConfig(), ...slotConfig("pointwise", this.pointwiseSlot) };
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return filtersFromConfig(this as unknown as FiltersClass, config);
  }
}

/**
 * `tf.keras.layers.SeparableConv2D`: a depthwise convolution then a 1×1 convolution to `filters`
 * channels (`tf.nn.separableConv2d`).
 */
export class SeparableConv2D extends SeparableBase {
  static override className = "SeparableConv2D";
  static override argKeys = SEPARABLE_KEYS;

  constructor(filters: number, kernelSize: ConvSize, args: SeparableConvArgs = {}) {
    super(2, filters, kernelSize, args);
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return this.run(inputs, (x) => separableConv2d(x, this.depthwiseKernel!, this.pointwiseKernel!, this.strides, this.opPadding, { dilations: this.dilationRate }));
  }
}

/**
 * `tf.keras.layers.SeparableConv1D`: the 1-D separable convolution (depthwise kernel
 * `[k, in, depthMultiplier]`, pointwise `[1, in · depthMultiplier, filters]`), run as
 * `tf.nn.separableConv2d` on `[batch, 1, steps, channels]` views; padding may be "causal".
 */
export class SeparableConv1D extends SeparableBase {
  static override className = "SeparableConv1D";
  static override argKeys = SEPARABLE_KEYS;

  constructor(filters: number, kernelSize: ConvSize, args: SeparableConvArgs = {}) {
    super(1, filters, kernelSize, args);
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return this.run(inputs, (x) => {
      const xp = this.causalPad(x);
      const [n, w, c] = xp.shape as [number, number, number];
      const dk = this.depthwiseKernel!, pk = this.pointwiseKernel!;
      const y = separableConv2d(reshape(xp, [n, 1, w, c]), reshape(dk, [1, ...dk.shape]), reshape(pk, [1, ...pk.shape]), [1, this.strides[0]!], this.opPadding, {
        dilations: [1, this.dilationRate[0]!],
      });
      return reshape(y, [n, y.shape[2]!, this.filters]);
    });
  }
}
