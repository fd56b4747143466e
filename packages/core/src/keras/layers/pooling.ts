/**
 * Pooling layers: `MaxPooling1D`, `AveragePooling1D`, `AveragePooling2D` (with `MaxPooling2D` in
 * max-pooling2d.ts, on the same base) and the global poolings `GlobalMax/AveragePooling1D/2D/3D`.
 * Channels-first inputs are transposed around the NWC/NHWC ops.
 */
import { ValueError } from "../../errors.js";
import { divide, multiply } from "../../ops/binary.js";
import { cast } from "../../ops/cast.js";
import { avgPool2d, maxPool2d } from "../../ops/conv.js";
import { avgPool1d, maxPool1d } from "../../ops/pool1d.js";
import { reduceMax, reduceMean, reduceSum } from "../../ops/reduce.js";
import { expandDims } from "../../ops/reshape.js";
import { optionKeys } from "../../options.js";
import { Tensor } from "../../tensor/tensor.js";
import type { CallOptions, LayerArgs, Mask, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import type { DataFormat, PaddingMode } from "./conv-utils.js";
import { channelsLastShape, dataFormatOf, fromChannelsLastShape, inChannelsLast, outputLength, paddingMode, tupleOf } from "./conv-utils.js";

/** Options of the 1-D and 2-D pooling layers. */
export interface PoolingArgs extends LayerArgs {
  /** Window size: a number, or one per spatial axis (default 2). */
  poolSize?: number | readonly number[];
  /** Step between windows (default: the pool size). */
  strides?: number | readonly number[] | null;
  /** "valid" (default) or "same". */
  padding?: PaddingMode | "VALID" | "SAME";
  /** "channels_last" (default) or "channels_first". */
  dataFormat?: DataFormat;
}
const POOLING_KEYS = optionKeys<PoolingArgs>()(...LAYER_ARG_KEYS, "poolSize", "strides", "padding", "dataFormat");

/** `new X(2)`, `new X([2, 2], { strides })` or `new X({ poolSize, … })`. */
function poolingArgs(poolSizeOrArgs: number | readonly number[] | PoolingArgs | undefined, args: PoolingArgs): PoolingArgs {
  return typeof poolSizeOrArgs === "number" || Array.isArray(poolSizeOrArgs)
    ? { ...args, poolSize: poolSizeOrArgs as number | readonly number[] }
    : { ...(poolSizeOrArgs as PoolingArgs | undefined), ...args };
}

/** The shared part of pooling over `rank` spatial axes. */
abstract class Pooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  readonly dataFormat: DataFormat;

  constructor(rank: number, poolSizeOrArgs: number | readonly number[] | PoolingArgs | undefined, args: PoolingArgs) {
    const opts = poolingArgs(poolSizeOrArgs, args);
    super(opts);
    this.poolSize = tupleOf(opts.poolSize ?? 2, rank, "pool_size", this.name);
    this.strides = tupleOf(opts.strides ?? this.poolSize, rank, "strides", this.name);
    this.padding = paddingMode(opts.padding ?? "valid", this.name);
    this.dataFormat = dataFormatOf(opts.dataFormat, this.name);
    this.inputSpec = { ndim: rank + 2 };
  }

  /** The pooling on channels-last inputs. */
  protected abstract pool(x: Tensor): Tensor;

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return inChannelsLast(inputs, this.dataFormat, (x) => this.pool(x));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const s = channelsLastShape(inputShape, this.dataFormat);
    const spatial = this.poolSize.map((k, i) => outputLength(s[i + 1] ?? null, k, this.padding, this.strides[i]!));
    return fromChannelsLastShape([s[0] ?? null, ...spatial, s[s.length - 1] ?? null], this.dataFormat);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), pool_size: this.poolSize.slice(), padding: this.padding, strides: this.strides.slice(), data_format: this.dataFormat };
  }
}

/** Pooling over 1-D windows of `[batch, steps, channels]` inputs. */
abstract class Pooling1D extends Pooling {
  constructor(poolSizeOrArgs?: number | readonly number[] | PoolingArgs, args: PoolingArgs = {}) {
    super(1, poolSizeOrArgs, args);
  }
}

/** Pooling over 2-D windows of `[batch, rows, cols, channels]` inputs. */
export abstract class Pooling2D extends Pooling {
  constructor(poolSizeOrArgs?: number | readonly number[] | PoolingArgs, args: PoolingArgs = {}) {
    super(2, poolSizeOrArgs, args);
  }
}

/** `new MaxPooling1D(2)`: the maximum over windows of steps. */
export class MaxPooling1D extends Pooling1D {
  static override className = "MaxPooling1D";
  static override argKeys: readonly string[] = POOLING_KEYS;
  protected pool(x: Tensor): Tensor {
    return maxPool1d(x, this.poolSize[0]!, this.strides[0]!, this.padding === "same" ? "SAME" : "VALID");
  }
}

/** `new AveragePooling1D(2)`: the mean over windows of steps (padding not counted with "same"). */
export class AveragePooling1D extends Pooling1D {
  static override className = "AveragePooling1D";
  static override argKeys: readonly string[] = POOLING_KEYS;
  protected pool(x: Tensor): Tensor {
    return avgPool1d(x, this.poolSize[0]!, this.strides[0]!, this.padding === "same" ? "SAME" : "VALID");
  }
}

/** `new AveragePooling2D(2)`: the mean over 2-D windows (padding not counted with "same"). */
export class AveragePooling2D extends Pooling2D {
  static override className = "AveragePooling2D";
  static override argKeys: readonly string[] = POOLING_KEYS;
  protected pool(x: Tensor): Tensor {
    return avgPool2d(x, this.poolSize, this.strides, this.padding === "same" ? "SAME" : "VALID");
  }
}

/** `new MaxPooling2D(2)` or `new MaxPooling2D({ poolSize: [2, 2], strides: 2 })`: the maximum over 2-D windows. */
export class MaxPooling2D extends Pooling2D {
  static override className = "MaxPooling2D";
  static override argKeys: readonly string[] = POOLING_KEYS;
  protected pool(x: Tensor): Tensor {
    return maxPool2d(x, this.poolSize, this.strides, this.padding === "same" ? "SAME" : "VALID");
  }
}

// ---------------------------------------------------------------- global pooling

/** Options of the global pooling layers. */
export interface GlobalPoolingArgs extends LayerArgs {
  /** "channels_last" (default) or "channels_first". */
  dataFormat?: DataFormat;
  /** Keep the pooled axes with size 1 (default false). */
  keepdims?: boolean;
}
const GLOBAL_KEYS = optionKeys<GlobalPoolingArgs>()(...LAYER_ARG_KEYS, "dataFormat", "keepdims");

/** Pooling over every spatial axis (the maximum or the mean). */
abstract class GlobalPooling extends Layer {
  readonly dataFormat: DataFormat;
  readonly keepdims: boolean;
  private readonly kind: "max" | "mean";

  constructor(rank: number, kind: "max" | "mean", args: GlobalPoolingArgs) {
    super(args);
    this.kind = kind;
    this.dataFormat = dataFormatOf(args.dataFormat, this.name);
    this.keepdims = args.keepdims ?? false;
    if (typeof this.keepdims !== "boolean") throw new ValueError(`Layer "${this.name}": \`keepdims\` must be a boolean, got ${JSON.stringify(args.keepdims)}`);
    this.inputSpec = { ndim: rank + 2 };
  }

  /** The pooled axes of an input of `rank`. */
  protected axes(rank: number): number[] {
    const first = this.dataFormat === "channels_last" ? 1 : 2;
    return Array.from({ length: rank - 2 }, (_, i) => first + i);
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const opts = { axis: this.axes(inputs.rank), keepdims: this.keepdims };
    return this.kind === "max" ? reduceMax(inputs, opts) : reduceMean(inputs, opts);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const axes = new Set(this.axes(inputShape.length));
    if (this.keepdims) return inputShape.map((d, i) => (axes.has(i) ? 1 : d));
    return inputShape.filter((_, i) => !axes.has(i));
  }

  /** Pooling removes the steps a mask describes: no mask comes out. */
  override computeMask(): Mask {
    return null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: this.dataFormat, keepdims: this.keepdims };
  }
}

/** `new GlobalMaxPooling1D()`: `[batch, steps, channels]` → `[batch, channels]`, the maximum over steps. */
export class GlobalMaxPooling1D extends GlobalPooling {
  static override className = "GlobalMaxPooling1D";
  static override argKeys: readonly string[] = GLOBAL_KEYS;
  constructor(args: GlobalPoolingArgs = {}) {
    super(1, "max", args);
  }
}

/**
 * `new GlobalAveragePooling1D()`: the mean over steps. With a mask (from `Embedding({ maskZero })` or
 * `Masking`) only the unmasked steps count, as in Keras.
 */
export class GlobalAveragePooling1D extends GlobalPooling {
  static override className = "GlobalAveragePooling1D";
  static override argKeys: readonly string[] = GLOBAL_KEYS;
  constructor(args: GlobalPoolingArgs = {}) {
    super(1, "mean", args);
    this.supportsMasking = true;
  }
  override call(inputs: Tensor, options: CallOptions): Tensor {
    const mask = options.mask;
    if (!(mask instanceof Tensor)) return super.call(inputs, options);
    const axis = this.axes(inputs.rank);
    const f = cast(mask, inputs.dtype);
    const e = expandDims(f, this.dataFormat === "channels_last" ? 2 : 1);
    const weighted = multiply(inputs, e);
    const sum = reduceSum(weighted, { axis, keepdims: this.keepdims });
    const count = reduceSum(e, { axis, keepdims: this.keepdims });
    try {
      return divide(sum, count);
    } finally {
      for (const t of [f, e, weighted, sum, count]) t.dispose();
    }
  }
}

/** `new GlobalMaxPooling2D()`: `[batch, rows, cols, channels]` → `[batch, channels]`. */
export class GlobalMaxPooling2D extends GlobalPooling {
  static override className = "GlobalMaxPooling2D";
  static override argKeys: readonly string[] = GLOBAL_KEYS;
  constructor(args: GlobalPoolingArgs = {}) {
    super(2, "max", args);
  }
}

/** `new GlobalAveragePooling2D()`: the mean over rows and columns. */
export class GlobalAveragePooling2D extends GlobalPooling {
  static override className = "GlobalAveragePooling2D";
  static override argKeys: readonly string[] = GLOBAL_KEYS;
  constructor(args: GlobalPoolingArgs = {}) {
    super(2, "mean", args);
  }
}

/** `new GlobalMaxPooling3D()`: `[batch, d1, d2, d3, channels]` → `[batch, channels]`. */
export class GlobalMaxPooling3D extends GlobalPooling {
  static override className = "GlobalMaxPooling3D";
  static override argKeys: readonly string[] = GLOBAL_KEYS;
  constructor(args: GlobalPoolingArgs = {}) {
    super(3, "max", args);
  }
}

/** `new GlobalAveragePooling3D()`: the mean over the three spatial axes. */
export class GlobalAveragePooling3D extends GlobalPooling {
  static override className = "GlobalAveragePooling3D";
  static override argKeys: readonly string[] = GLOBAL_KEYS;
  constructor(args: GlobalPoolingArgs = {}) {
    super(3, "mean", args);
  }
}
