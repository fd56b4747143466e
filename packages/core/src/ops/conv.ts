/** 2-D convolution and pooling (NHWC). Gradients in conv.grad.ts. */
import type { DType } from "../dtypes.js";
import { InvalidArgumentError, ValueError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import type { Conv2DAttrs, Pool2DAttrs } from "../kernel/interface.js";
import { describeDims } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { FLOAT, checkDtype, withTensors } from "./op-utils.js";
import { defineOp } from "./table/define.js";
import { optionKeys } from "../options.js";
import { tidy } from "../engine/tidy.js";
import { transpose } from "./transpose.js";

/** "SAME", "VALID", or explicit NHWC paddings `[[0, 0], [top, bottom], [left, right], [0, 0]]`. */
export type Padding = "SAME" | "VALID" | "same" | "valid" | readonly (readonly [number, number])[];

/** A window size or stride: one number for both axes, `[h, w]`, or NHWC `[1, h, w, 1]`. */
export type Window = number | readonly [number, number] | readonly number[];

/** TensorFlow's 2-D data formats: channels last (the default) or right after the batch. */
export type DataFormat2D = "NHWC" | "NCHW";

/**
 * `[h, w]` from a number, `[h, w]`, or the 4-element form in `format`'s order (`[1, h, w, 1]` for
 * NHWC, `[1, 1, h, w]` for NCHW).
 */
export function windowPair(v: Window, name: string, op: string, format: DataFormat2D = "NHWC"): [number, number] {
  let out: number[];
  if (typeof v === "number") out = [v, v];
  else if (Array.isArray(v) && v.length === 2) out = [v[0]!, v[1]!];
  else if (Array.isArray(v) && v.length === 4 && format === "NHWC" && v[0] === 1 && v[3] === 1) out = [v[1]!, v[2]!];
  else if (Array.isArray(v) && v.length === 4 && format === "NCHW" && v[0] === 1 && v[1] === 1) out = [v[2]!, v[3]!];
  else throw new InvalidArgumentError(opMessage(op, `${name} must be a number, [h, w] or ${format === "NHWC" ? "[1, h, w, 1]" : "[1, 1, h, w]"}, got ${JSON.stringify(v)}`));
  if (out.some((d) => !Number.isInteger(d) || d < 1)) throw new InvalidArgumentError(opMessage(op, `${name} must be positive integers, got ${JSON.stringify(v)}`));
  return out as [number, number];
}

const pair = (v: Window, name: string, op: string): [number, number] => windowPair(v, name, op);

/** The data format option of a 2-D op, checked. */
export function dataFormat2D(f: unknown, op: string): DataFormat2D {
  if (f === undefined || f === "NHWC") return "NHWC";
  if (f === "NCHW") return "NCHW";
  throw new InvalidArgumentError(opMessage(op, `dataFormat must be "NHWC" or "NCHW", got ${JSON.stringify(f)}`));
}

/** Explicit paddings given in `format`'s order, in NHWC order (strings pass through). */
export function paddingToNHWC(padding: Padding, format: DataFormat2D, op: string): Padding {
  if (typeof padding === "string" || format === "NHWC") return padding;
  if (!Array.isArray(padding) || padding.length !== 4) throw new ValueError(opMessage(op, `explicit padding must be 4 [before, after] pairs (NCHW), got ${JSON.stringify(padding)}`));
  const [b, c, h, w] = padding as readonly (readonly [number, number])[];
  if (c![0] !== 0 || c![1] !== 0 || b![0] !== 0 || b![1] !== 0) throw new InvalidArgumentError(opMessage(op, `explicit padding of the batch and channel dimensions must be 0, got ${JSON.stringify(padding)}`));
  return [b!, h!, w!, c!];
}

/**
 * Runs `fn` on an NHWC view of an NCHW `x` and gives its result back in NCHW (a transpose each way;
 * gradients flow through them). NHWC inputs go straight to `fn`.
 */
export function inNHWC(x: Tensor, format: DataFormat2D, fn: (x: Tensor) => Tensor): Tensor {
  if (format === "NHWC") return fn(x);
  return tidy(() => transpose(fn(transpose(x, [0, 2, 3, 1])), [0, 3, 1, 2]));
}

/** TensorFlow's output size for a padded axis (C++ truncating division), erroring when negative. */
function validSize(padded: number, eff: number, stride: number, size: number, op: string): number {
  const out = Math.trunc((padded - eff + stride) / stride);
  if (out < 0) {
    throw new InvalidArgumentError(
      opMessage(op, `Computed output size would be negative: ${out} [input_size: ${size}, effective_filter_size: ${eff}, stride: ${stride}]`),
    );
  }
  return out;
}

/** Output size and leading padding of one spatial axis, as TensorFlow computes them. */
function axisGeometry(size: number, k: number, stride: number, dilation: number, padding: Padding, axis: 1 | 2, op: string): { out: number; before: number } {
  const eff = (k - 1) * dilation + 1;
  if (typeof padding === "string") {
    const p = padding.toUpperCase();
    if (p === "VALID") return { out: validSize(size, eff, stride, size, op), before: 0 };
    if (p === "SAME") {
      const out = Math.ceil(size / stride);
      const total = Math.max(0, (out - 1) * stride + eff - size);
      return { out, before: Math.floor(total / 2) };
    }
    throw new ValueError(opMessage(op, `padding must be "SAME", "VALID" or explicit paddings, got ${JSON.stringify(padding)}`));
  }
  if (!Array.isArray(padding) || padding.length !== 4) throw new ValueError(opMessage(op, `explicit padding must be 4 [before, after] pairs (NHWC), got ${JSON.stringify(padding)}`));
  const [before, after] = padding[axis]!;
  if (![before, after].every((v) => Number.isInteger(v) && v >= 0)) throw new ValueError(opMessage(op, `explicit padding must be non-negative integers, got ${JSON.stringify(padding)}`));
  return { out: validSize(size + before + after, eff, stride, size, op), before };
}

/** Geometry of a 2-D window op over an NHWC input. */
export function windowGeometry(
  xShape: readonly number[], kh: number, kw: number, strides: [number, number], dilations: [number, number], padding: Padding, op: string,
): { oh: number; ow: number; padTop: number; padLeft: number } {
  const h = axisGeometry(xShape[1]!, kh, strides[0], dilations[0], padding, 1, op);
  const w = axisGeometry(xShape[2]!, kw, strides[1], dilations[1], padding, 2, op);
  return { oh: h.out, ow: w.out, padTop: h.before, padLeft: w.before };
}

/** Options beyond TensorFlow's positional arguments. */
export interface Conv2DOptions {
  /** `"NHWC"` (the default) or `"NCHW"`: inputs and outputs with channels right after the batch. */
  dataFormat?: DataFormat2D;
  /** Dilation rate: a number, [dh, dw], or the 4-element form in `dataFormat`'s order (default 1). */
  dilations?: Window;
}
const CONV2D_KEYS = optionKeys<Conv2DOptions>()("dataFormat", "dilations");

/**
 * 2-D convolution (cross-correlation, as TensorFlow's `tf.nn.conv2d`): `x` NHWC `[N, H, W, Ci]`,
 * `filters` HWIO `[KH, KW, Ci, Co]` → `[N, OH, OW, Co]`. With `dataFormat: "NCHW"` the input and
 * output are `[N, C, H, W]` (the op transposes around the NHWC kernel), and 4-element strides,
 * dilations and explicit paddings are given in that order.
 */
export const conv2d = defineOp("conv2d", function conv2d(x: TensorLike, filters: TensorLike, strides: Window, padding: Padding, opts: Conv2DOptions = {}): Tensor {
  return withTensors([x, filters], "Conv2D", ([input, filter]) => {
    checkDtype("Conv2D", input!.dtype, FLOAT);
    const format = dataFormat2D(opts.dataFormat, "Conv2D");
    if (input!.rank !== 4) throw new InvalidArgumentError(opMessage("Conv2D", `input must be 4-dimensional ${format}, got shape ${describeDims(input!.shape)}`));
    if (filter!.rank !== 4) throw new InvalidArgumentError(opMessage("Conv2D", `filter must be 4-dimensional HWIO, got shape ${describeDims(filter!.shape)}`));
    const [kh, kw, ci, co] = filter!.shape as [number, number, number, number];
    const depth = input!.shape[format === "NHWC" ? 3 : 1];
    if (depth !== ci) {
      throw new InvalidArgumentError(
        opMessage("Conv2D", `input depth must equal filter depth: ${depth} vs ${ci} (input ${describeDims(input!.shape)}, filter ${describeDims(filter!.shape)})`),
      );
    }
    const s = windowPair(strides, "strides", "Conv2D", format);
    const d = windowPair(opts.dilations ?? 1, "dilations", "Conv2D", format);
    const pads = paddingToNHWC(padding, format, "Conv2D");
    const nhwc = format === "NHWC" ? input!.shape : [input!.shape[0]!, input!.shape[2]!, input!.shape[3]!, input!.shape[1]!];
    const g = windowGeometry(nhwc, kh, kw, s, d, pads, "Conv2D");
    const attrs: Conv2DAttrs = { strides: s, dilations: d, padTop: g.padTop, padLeft: g.padLeft };
    return inNHWC(input!, format, (xt) => ENGINE.runKernel("Conv2D", [xt, filter!], attrs, { shape: [xt.shape[0]!, g.oh, g.ow, co], dtype: xt.dtype }));
  });
}, { paths: ["nn.conv2d"], args: 5, options: CONV2D_KEYS });

function pool(k: "MaxPool" | "AvgPool", x: TensorLike, ksize: Window, strides: Window, padding: Padding): Tensor {
  const t = toTensor(x, k);
  try {
    checkDtype(k, t.dtype, FLOAT);
    if (t.rank !== 4) throw new InvalidArgumentError(opMessage(k, `input must be 4-dimensional NHWC, got shape ${describeDims(t.shape)}`));
    const kk = pair(ksize, "ksize", k);
    const s = pair(strides, "strides", k);
    const g = windowGeometry(t.shape, kk[0], kk[1], s, [1, 1], padding, k);
    const attrs: Pool2DAttrs = { ksize: kk, strides: s, padTop: g.padTop, padLeft: g.padLeft };
    const dtype: DType = t.dtype;
    return ENGINE.runKernel(k, [t], attrs, { shape: [t.shape[0]!, g.oh, g.ow, t.shape[3]!], dtype });
  } finally {
    if (t !== x) t.dispose();
  }
}

/** Max pooling over NHWC windows. */
export const maxPool2d = defineOp("maxPool2d", (x: TensorLike, ksize: Window, strides: Window, padding: Padding): Tensor => pool("MaxPool", x, ksize, strides, padding), { paths: ["nn.maxPool2d"] });
/** Average pooling over NHWC windows (padding is not counted in the average). */
export const avgPool2d = defineOp("avgPool2d", (x: TensorLike, ksize: Window, strides: Window, padding: Padding): Tensor => pool("AvgPool", x, ksize, strides, padding), { paths: ["nn.avgPool2d"] });
