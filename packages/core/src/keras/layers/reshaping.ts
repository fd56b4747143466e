/**
 * Reshaping layers: `Reshape`, `Permute`, `RepeatVector`, `Cropping1D/2D/3D`, `UpSampling1D/2D/3D`
 * (nearest neighbour) and `ZeroPadding1D/2D/3D`. Channels-first inputs are handled by moving the
 * spatial axes, not by transposing.
 */
import { NotImplementedError, ValueError } from "../../errors.js";
import { pad, slice } from "../../ops/slice.js";
import { repeat } from "../../ops/repeat.js";
import { expandDims, reshape } from "../../ops/reshape.js";
import { tile } from "../../ops/tile.js";
import { transpose } from "../../ops/transpose.js";
import { optionKeys } from "../../options.js";
import { formatShapeTuple } from "../../shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { argsFromConfig, required } from "../config.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import type { DataFormat } from "./conv-utils.js";
import { dataFormatOf, tupleOf } from "./conv-utils.js";

/** `new Reshape([4, -1])`: each example reshaped to `targetShape` (one `-1` is inferred). */
export class Reshape extends Layer {
  static override className = "Reshape";
  static override argKeys = LAYER_ARG_KEYS;
  readonly targetShape: number[];

  constructor(targetShape: readonly (number | null)[], args: LayerArgs = {}) {
    super(args);
    // TensorFlow.js saves the inferred dimension as null.
    if (Array.isArray(targetShape)) targetShape = targetShape.map((d) => (d === null ? -1 : d));
    if (!Array.isArray(targetShape) || targetShape.some((d) => !Number.isInteger(d) || (d < 1 && d !== -1))) {
      throw new ValueError(`Layer "${this.name}": \`targetShape\` must be a list of positive integers (one may be -1), got ${JSON.stringify(targetShape)}`);
    }
    if (targetShape.filter((d) => d === -1).length > 1) throw new ValueError(`There must be at most one unknown dimension in output_shape. Received: output_shape=${formatShapeTuple(targetShape)}`);
    this.targetShape = (targetShape as number[]).slice();
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new Reshape(required(config, "target_shape", "Reshape") as number[], argsFromConfig(config, ["target_shape"]));
  }

  /** Keras's `_fix_unknown_dimension`: the -1 resolved from the input's size (null when unknown). */
  private outputDims(inputDims: Shape): Shape {
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const total = inputDims.some((d) => d === null) ? null : (inputDims as number[]).reduce((a, b) => a * b, 1);
    const unknown = this.targetShape.indexOf(-1);
    const bad = () => new ValueError(`total size of new array must be unchanged, input_shape = ${formatShapeTuple(inputDims)}, output_shape = ${formatShapeTuple(this.targetShape)} (layer "${this.name}")`);
    if (total === null) return this.targetShape.map((d) => (d === -1 ? null : d));
    if (unknown >= 0) {
      if (known === 0 || total % known !== 0) throw bad();
      return this.targetShape.map((d) => (d === -1 ? total / known : d));
    }
    if (known !== total) throw bad();
    return this.targetShape.slice();
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0] ?? null, ...this.outputDims(inputShape.slice(1))];
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const dims = this.outputDims(inputs.shape.slice(1)) as number[];
    return reshape(inputs, [inputs.shape[0]!, ...dims]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), target_shape: this.targetShape.slice() };
  }
}

/** `new Permute([2, 1])`: permutes the axes after the batch (1-based, Keras's convention). */
export class Permute extends Layer {
  static override className = "Permute";
  static override argKeys = LAYER_ARG_KEYS;
  readonly dims: number[];

  constructor(dims: readonly number[], args: LayerArgs = {}) {
    super(args);
    const sorted = Array.isArray(dims) ? dims.slice().sort((a, b) => a - b) : null;
    if (!sorted || sorted.length === 0 || sorted.some((d, i) => d !== i + 1)) {
      throw new ValueError(`Invalid permutation argument \`dims\` for Permute Layer. The set of indices in \`dims\` must be consecutive and start from 1. Received dims=${JSON.stringify(dims)}`);
    }
    this.dims = dims.slice();
    this.inputSpec = { ndim: dims.length + 1 };
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new Permute(required(config, "dims", "Permute") as number[], argsFromConfig(config, ["dims"]));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0] ?? null, ...this.dims.map((d) => inputShape[d] ?? null)];
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return transpose(inputs, [0, ...this.dims]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: this.dims.slice() };
  }
}

/** `new RepeatVector(3)`: `[batch, features]` → `[batch, 3, features]`. */
export class RepeatVector extends Layer {
  static override className = "RepeatVector";
  static override argKeys = LAYER_ARG_KEYS;
  readonly n: number;

  constructor(n: number, args: LayerArgs = {}) {
    super(args);
    if (!Number.isInteger(n) || n < 1) throw new ValueError(`Expected an integer value for \`n\` (at least 1), got ${JSON.stringify(n)} (layer "${this.name}")`);
    this.n = n;
    this.inputSpec = { ndim: 2 };
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new RepeatVector(required(config, "n", "RepeatVector") as number, argsFromConfig(config, ["n"]));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0] ?? null, this.n, inputShape[1] ?? null];
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const e = expandDims(inputs, 1);
    try {
      return tile(e, [1, this.n, 1]);
    } finally {
      e.dispose();
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}

// ---------------------------------------------------------------- cropping, padding, upsampling

type Pair = [number, number];

/**
 * Per-axis `[before, after]` pairs from Keras's spellings: one number for every side; one number
 * per axis (both sides); or one pair per axis. A 1-D layer also takes one pair.
 */
function pairsOf(v: unknown, rank: number, what: string, layer: string): Pair[] {
  const isPair = (p: unknown): p is Pair => Array.isArray(p) && p.length === 2 && p.every((d) => Number.isInteger(d) && d >= 0);
  const bad = () => new ValueError(`Layer "${layer}": \`${what}\` must be a non-negative integer, ${rank === 1 ? "a pair [before, after]" : `${rank} integers, or ${rank} pairs [before, after]`}; got ${JSON.stringify(v)}`);
  if (typeof v === "number") {
    if (!Number.isInteger(v) || v < 0) throw bad();
    return new Array<Pair>(rank).fill([v, v]);
  }
  if (!Array.isArray(v)) throw bad();
  if (rank === 1 && isPair(v)) return [[v[0], v[1]]];
  if (v.length !== rank) throw bad();
  return v.map((p) => {
    if (typeof p === "number" && Number.isInteger(p) && p >= 0) return [p, p] as Pair;
    if (isPair(p)) return [p[0], p[1]] as Pair;
    throw bad();
  });
}

/** Options of the cropping layers. */
export interface CroppingArgs extends LayerArgs {
  /** Amounts removed from the start and end of each spatial axis (see the class). */
  cropping?: number | readonly number[] | readonly (readonly [number, number])[];
  /** "channels_last" (default) or "channels_first" (2-D and 3-D). */
  dataFormat?: DataFormat;
}
const CROPPING_KEYS = optionKeys<CroppingArgs>()(...LAYER_ARG_KEYS, "cropping", "dataFormat");
const CROPPING_1D_KEYS = optionKeys<Omit<CroppingArgs, "dataFormat">>()(...LAYER_ARG_KEYS, "cropping");

/** The spatial axes of an input of `rank + 2` dimensions in `format`. */
function spatialAxes(rank: number, format: DataFormat): number[] {
  return Array.from({ length: rank }, (_, i) => (format === "channels_last" ? i + 1 : i + 2));
}

/** Shared by the layers that change each spatial axis independently. */
abstract class SpatialLayer extends Layer {
  readonly dataFormat: DataFormat;
  protected readonly rank: number;

  constructor(rank: number, args: LayerArgs & { dataFormat?: DataFormat }) {
    super(args);
    this.rank = rank;
    this.dataFormat = dataFormatOf(args.dataFormat, this.name);
    this.inputSpec = { ndim: rank + 2 };
  }

  /** The new size of spatial axis `i` of size `n` (null stays null). */
  protected abstract newSize(i: number, n: number | null): number | null;

  override computeOutputShape(inputShape: Shape): Shape {
    const axes = spatialAxes(this.rank, this.dataFormat);
    return inputShape.map((d, i) => (axes.includes(i) ? this.newSize(axes.indexOf(i), d) : d));
  }

  protected get spatial(): number[] {
    return spatialAxes(this.rank, this.dataFormat);
  }

  override getConfig(): Record<string, unknown> {
    return this.rank === 1 ? super.getConfig() : { ...super.getConfig(), data_format: this.dataFormat };
  }
}

/** Removes `cropping` rows/columns/… from the start and end of each spatial axis. */
abstract class Cropping extends SpatialLayer {
  readonly cropping: Pair[];

  constructor(rank: number, fallback: number, args: CroppingArgs) {
    super(rank, args);
    this.cropping = pairsOf(args.cropping ?? fallback, rank, "cropping", this.name);
    this.supportsMasking = false;
  }

  protected newSize(i: number, n: number | null): number | null {
    if (n === null) return null;
    const [a, b] = this.cropping[i]!;
    if (a + b >= n) {
      throw new ValueError(`\`cropping\` parameter of \`${this.getClassName()}\` layer must be smaller than the input length. Received: input length=${n} on spatial axis ${i}, cropping=${JSON.stringify(this.cropping)} (layer "${this.name}")`);
    }
    return n - a - b;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const begin = inputs.shape.map(() => 0);
    const size = inputs.shape.slice();
    this.spatial.forEach((axis, i) => {
      begin[axis] = this.cropping[i]![0];
      size[axis] = this.newSize(i, inputs.shape[axis]!)!;
    });
    return slice(inputs, begin, size);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.rank === 1 ? this.cropping[0]!.slice() : this.cropping.map((p) => p.slice()) };
  }
}

/** `new Cropping1D({ cropping: [1, 2] })`: crops steps of `[batch, steps, features]` (default 1 each side). */
export class Cropping1D extends Cropping {
  static override className = "Cropping1D";
  static override argKeys: readonly string[] = CROPPING_1D_KEYS;
  constructor(args: Omit<CroppingArgs, "dataFormat"> = {}) {
    super(1, 1, args);
  }
}

/** `new Cropping2D({ cropping: [[top, bottom], [left, right]] })`: crops image rows and columns (default 0). */
export class Cropping2D extends Cropping {
  static override className = "Cropping2D";
  static override argKeys: readonly string[] = CROPPING_KEYS;
  constructor(args: CroppingArgs = {}) {
    super(2, 0, args);
  }
}

/** `new Cropping3D({ cropping: 1 })`: crops the three spatial axes of volumes (default 1 each side). */
export class Cropping3D extends Cropping {
  static override className = "Cropping3D";
  static override argKeys: readonly string[] = CROPPING_KEYS;
  constructor(args: CroppingArgs = {}) {
    super(3, 1, args);
  }
}

/** Options of the zero-padding layers. */
export interface ZeroPaddingArgs extends LayerArgs {
  /** Zeros added at the start and end of each spatial axis (see the class). */
  padding?: number | readonly number[] | readonly (readonly [number, number])[];
  /** "channels_last" (default) or "channels_first" (2-D and 3-D). */
  dataFormat?: DataFormat;
}
const PADDING_KEYS = optionKeys<ZeroPaddingArgs>()(...LAYER_ARG_KEYS, "padding", "dataFormat");
const PADDING_1D_KEYS = optionKeys<Omit<ZeroPaddingArgs, "dataFormat">>()(...LAYER_ARG_KEYS, "padding");

/** Adds zeros at the start and end of each spatial axis. */
abstract class ZeroPadding extends SpatialLayer {
  readonly padding: Pair[];

  constructor(rank: number, args: ZeroPaddingArgs) {
    super(rank, args);
    this.padding = pairsOf(args.padding ?? 1, rank, "padding", this.name);
  }

  protected newSize(i: number, n: number | null): number | null {
    return n === null ? null : n + this.padding[i]![0] + this.padding[i]![1];
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const pads = inputs.shape.map(() => [0, 0] as Pair);
    this.spatial.forEach((axis, i) => (pads[axis] = this.padding[i]!));
    return pad(inputs, pads);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.rank === 1 ? this.padding[0]!.slice() : this.padding.map((p) => p.slice()) };
  }
}

/** `new ZeroPadding1D({ padding: [1, 2] })`: zeros before/after the steps of `[batch, steps, features]` (default 1). */
export class ZeroPadding1D extends ZeroPadding {
  static override className = "ZeroPadding1D";
  static override argKeys: readonly string[] = PADDING_1D_KEYS;
  constructor(args: Omit<ZeroPaddingArgs, "dataFormat"> = {}) {
    super(1, args);
  }
}

/** `new ZeroPadding2D({ padding: [[top, bottom], [left, right]] })`: zero rows and columns around images (default 1). */
export class ZeroPadding2D extends ZeroPadding {
  static override className = "ZeroPadding2D";
  static override argKeys: readonly string[] = PADDING_KEYS;
  constructor(args: ZeroPaddingArgs = {}) {
    super(2, args);
  }
}

/** `new ZeroPadding3D({ padding: 1 })`: zeros around the three spatial axes of volumes (default 1). */
export class ZeroPadding3D extends ZeroPadding {
  static override className = "ZeroPadding3D";
  static override argKeys: readonly string[] = PADDING_KEYS;
  constructor(args: ZeroPaddingArgs = {}) {
    super(3, args);
  }
}

/** Options of the upsampling layers. */
export interface UpSamplingArgs extends LayerArgs {
  /** Repetitions along each spatial axis: a number or one per axis (default 2). */
  size?: number | readonly number[];
  /** "channels_last" (default) or "channels_first" (2-D and 3-D). */
  dataFormat?: DataFormat;
}
/** Options of `UpSampling2D`. */
export interface UpSampling2DArgs extends UpSamplingArgs {
  /** Only "nearest" (each value repeated); "bilinear" needs tf.image.resize, which is not in Tessera yet. */
  interpolation?: "nearest" | "bilinear";
}
const UPSAMPLING_KEYS = optionKeys<UpSamplingArgs>()(...LAYER_ARG_KEYS, "size", "dataFormat");
const UPSAMPLING_1D_KEYS = optionKeys<Omit<UpSamplingArgs, "dataFormat">>()(...LAYER_ARG_KEYS, "size");
const UPSAMPLING_2D_KEYS = optionKeys<UpSampling2DArgs>()(...LAYER_ARG_KEYS, "size", "dataFormat", "interpolation");

/** Repeats each value `size` times along each spatial axis (nearest-neighbour upsampling). */
abstract class UpSampling extends SpatialLayer {
  readonly size: number[];

  constructor(rank: number, args: UpSamplingArgs) {
    super(rank, args);
    this.size = tupleOf(args.size ?? 2, rank, "size", this.name);
  }

  protected newSize(i: number, n: number | null): number | null {
    return n === null ? null : n * this.size[i]!;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    let x = inputs;
    this.spatial.forEach((axis, i) => {
      const next = repeat(x, this.size[i]!, { axis });
      if (x !== inputs) x.dispose();
      x = next;
    });
    return x;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.rank === 1 ? this.size[0]! : this.size.slice() };
  }
}

/** `new UpSampling1D({ size: 2 })`: each step of `[batch, steps, features]` repeated `size` times. */
export class UpSampling1D extends UpSampling {
  static override className = "UpSampling1D";
  static override argKeys: readonly string[] = UPSAMPLING_1D_KEYS;
  constructor(args: Omit<UpSamplingArgs, "dataFormat"> = {}) {
    super(1, args);
  }
}

/** `new UpSampling2D({ size: [2, 2] })`: each pixel repeated into a `size` block (nearest neighbour). */
export class UpSampling2D extends UpSampling {
  static override className = "UpSampling2D";
  static override argKeys: readonly string[] = UPSAMPLING_2D_KEYS;
  readonly interpolation: "nearest";
  constructor(args: UpSampling2DArgs = {}) {
    const { interpolation, ...rest } = args;
    super(2, rest);
    if (interpolation !== undefined && interpolation !== "nearest") {
      if (interpolation === "bilinear") throw new NotImplementedError(`Layer "${this.name}": UpSampling2D with interpolation "bilinear" needs tf.image.resize, which Tessera does not have yet; use "nearest"`);
      throw new ValueError(`Layer "${this.name}": \`interpolation\` must be "nearest" or "bilinear", got ${JSON.stringify(interpolation)}`);
    }
    this.interpolation = "nearest";
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), interpolation: this.interpolation };
  }
}

/** `new UpSampling3D({ size: 2 })`: each voxel repeated into a `size` block. */
export class UpSampling3D extends UpSampling {
  static override className = "UpSampling3D";
  static override argKeys: readonly string[] = UPSAMPLING_KEYS;
  constructor(args: UpSamplingArgs = {}) {
    super(3, args);
  }
}
