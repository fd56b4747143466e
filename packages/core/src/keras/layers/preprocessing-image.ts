/**
 * Image preprocessing layers: `Rescaling`, `Resizing` and `CenterCrop`, written from `tf.image` and
 * elementwise ops. Images are `[height, width, channels]` or batches `[batch, height, width, channels]`.
 */
import { tidy } from "../../engine/tidy.js";
import { ValueError } from "../../errors.js";
import { add, multiply } from "../../ops/binary.js";
import { cast } from "../../ops/cast.js";
import { cropToBoundingBox } from "../../ops/image/crop.js";
import { resize } from "../../ops/image/resize.js";
import { optionKeys } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { DType } from "../../dtypes.js";
import { argsFromConfig, required } from "../config.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";

/** Options of `Rescaling` (the scale is the first argument). */
export interface RescalingArgs extends LayerArgs {
  /** Added after scaling (default 0). */
  offset?: number;
}

/** `new Rescaling(1 / 255)`: `inputs · scale + offset`, as floats of the layer's dtype. */
export class Rescaling extends Layer {
  static override className = "Rescaling";
  static override argKeys = optionKeys<RescalingArgs>()(...LAYER_ARG_KEYS, "offset");
  readonly scale: number;
  readonly offset: number;

  constructor(scale: number, args: RescalingArgs = {}) {
    super(args);
    if (typeof scale !== "number" || !Number.isFinite(scale)) throw new ValueError(`Layer "${this.name}": \`scale\` must be a finite number, got ${JSON.stringify(scale)}`);
    const offset = args.offset ?? 0;
    if (typeof offset !== "number" || !Number.isFinite(offset)) throw new ValueError(`Layer "${this.name}": \`offset\` must be a finite number, got ${JSON.stringify(args.offset)}`);
    this.scale = scale;
    this.offset = offset;
    this.supportsMasking = true;
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new Rescaling(required(config, "scale", "Rescaling") as number, argsFromConfig(config, ["scale"]));
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return tidy(() => add(multiply(asFloat(inputs, this.dtype), this.scale), this.offset));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  override computeOutputDtype(_inputDtypes: readonly DType[]): DType {
    return this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}

/** `x` as the layer's float dtype. */
function asFloat(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : cast(x, dtype);
}

function checkSize(v: unknown, what: string, layer: string): number {
  if (!Number.isInteger(v) || (v as number) <= 0) throw new ValueError(`Layer "${layer}": \`${what}\` must be a positive integer, got ${JSON.stringify(v)}`);
  return v as number;
}

/** Image inputs: rank 3 or 4 (Keras's message otherwise). */
const IMAGE_SPEC = { minNdim: 3, maxNdim: 4 };

/**
 * Keras's `smart_resize`: crops the largest centred window with the target's aspect ratio, then
 * resizes it (`method`) to `[height, width]`.
 */
function smartResize(x: Tensor, height: number, width: number, method: "bilinear" | "nearest"): Tensor {
  return tidy(() => {
    const h = x.shape[x.rank - 3]!, w = x.shape[x.rank - 2]!;
    const ch = Math.min(h, Math.trunc((w * height) / width));
    const cw = Math.min(w, Math.trunc((h * width) / height));
    const cropped = cropToBoundingBox(x, Math.trunc((h - ch) / 2), Math.trunc((w - cw) / 2), ch, cw);
    return resize(cropped, [height, width], { method });
  });
}

/** Options of `Resizing` (height and width are the first two arguments). */
export interface ResizingArgs extends LayerArgs {
  /** "bilinear" (default) or "nearest". */
  interpolation?: "bilinear" | "nearest";
  /** Crop the largest centred window with the target's aspect ratio before resizing (default false: stretch). */
  cropToAspectRatio?: boolean;
}

/** A layer that maps images to `height × width` images (Resizing, CenterCrop): shared shape rules and config. */
abstract class ImageSizeLayer extends Layer {
  readonly height: number;
  readonly width: number;

  constructor(height: number, width: number, args: LayerArgs) {
    super(args);
    this.height = checkSize(height, "height", this.name);
    this.width = checkSize(width, "width", this.name);
    this.inputSpec = IMAGE_SPEC;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const r = inputShape.length;
    return [...inputShape.slice(0, r - 3), this.height, this.width, inputShape[r - 1]!];
  }

  override computeOutputDtype(_inputDtypes: readonly DType[]): DType {
    return this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}

/** `new Resizing(224, 224)`: resizes images to `[height, width]` (`tf.image.resize`), as floats. */
export class Resizing extends ImageSizeLayer {
  static override className = "Resizing";
  static override argKeys = optionKeys<ResizingArgs>()(...LAYER_ARG_KEYS, "interpolation", "cropToAspectRatio");
  readonly interpolation: "bilinear" | "nearest";
  readonly cropToAspectRatio: boolean;

  constructor(height: number, width: number, args: ResizingArgs = {}) {
    super(height, width, args);
    const interp = args.interpolation ?? "bilinear";
    if (interp !== "bilinear" && interp !== "nearest") {
      throw new ValueError(`Layer "${this.name}": \`interpolation\` must be "bilinear" or "nearest" (Tessera's resize methods), got ${JSON.stringify(args.interpolation)}`);
    }
    this.interpolation = interp;
    this.cropToAspectRatio = args.cropToAspectRatio ?? false;
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new Resizing(required(config, "height", "Resizing") as number, required(config, "width", "Resizing") as number, argsFromConfig(config, ["height", "width"]));
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return tidy(() => {
      const x = asFloat(inputs, this.dtype);
      if (this.cropToAspectRatio) return smartResize(x, this.height, this.width, this.interpolation);
      return resize(x, [this.height, this.width], { method: this.interpolation });
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), interpolation: this.interpolation, crop_to_aspect_ratio: this.cropToAspectRatio };
  }
}

/**
 * `new CenterCrop(height, width)`: the centred `height × width` window of each image (starting at
 * row ⌊(H − height)/2⌋); an image smaller than that on either side is resized to it instead (Keras's
 * smart resize).
 */
export class CenterCrop extends ImageSizeLayer {
  static override className = "CenterCrop";
  static override argKeys = LAYER_ARG_KEYS;

  constructor(height: number, width: number, args: LayerArgs = {}) {
    super(height, width, args);
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new CenterCrop(required(config, "height", "CenterCrop") as number, required(config, "width", "CenterCrop") as number, argsFromConfig(config, ["height", "width"]));
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return tidy(() => {
      const x = asFloat(inputs, this.dtype);
      const h = x.shape[x.rank - 3]!, w = x.shape[x.rank - 2]!;
      const dh = h - this.height, dw = w - this.width;
      if (dh < 0 || dw < 0) return smartResize(x, this.height, this.width, "bilinear");
      return cropToBoundingBox(x, Math.trunc(dh / 2), Math.trunc(dw / 2), this.height, this.width);
    });
  }
}
