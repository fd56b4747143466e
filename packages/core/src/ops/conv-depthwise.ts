/**
 * Depthwise and separable 2-D convolutions (`tf.nn.depthwiseConv2d`, `tf.nn.separableConv2d`),
 * written from existing ops: the strided windows of the (zero-padded) input, one per filter tap, are
 * laid side by side (an im2col in a few slices and one concat), multiplied by the taps and summed
 * over them. Pad, slice, concat, multiply and sum are differentiable to any order on every backend,
 * so these ops are too.
 */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { optionKeys } from "../options.js";
import { describeDims } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { multiply } from "./binary.js";
import { concat } from "./concat.js";
import { reduceSum } from "./reduce.js";
import { composite } from "./composite-utils.js";
import type { DataFormat2D, Padding, Window } from "./conv.js";
import { conv2d, dataFormat2D, inNHWC, paddingToNHWC, windowGeometry, windowPair } from "./conv.js";
import { FLOAT, checkDtype } from "./op-utils.js";
import { reshape } from "./reshape.js";
import { pad, slice } from "./slice.js";
import { defineOp } from "./table/define.js";

/** Options of `tf.nn.depthwiseConv2d` and `tf.nn.separableConv2d` (TF2's keyword arguments). */
export interface DepthwiseConv2DOptions {
  /** `"NHWC"` (the default) or `"NCHW"`. */
  dataFormat?: DataFormat2D;
  /** Dilation rate: a number or `[dh, dw]` (default 1); above 1, the strides must be 1 (as TensorFlow). */
  dilations?: Window;
}
const DEPTHWISE_KEYS = optionKeys<DepthwiseConv2DOptions>()("dataFormat", "dilations");

/** Rows `start + k·stride` for k < count along `axis` of `x` (a slice, then a free reshape when strided). */
function strided(x: Tensor, axis: 1 | 2, start: number, count: number, stride: number): Tensor {
  const begin = [0, 0, 0, 0];
  const size = x.shape.slice();
  begin[axis] = start;
  size[axis] = stride === 1 ? count : count * stride;
  const rows = slice(x, begin, size);
  if (stride === 1) return rows;
  const split = x.shape.slice();
  split.splice(axis, 1, count, stride);
  const kept = split.slice();
  kept[axis + 1] = 1;
  const s = reshape(rows, split);
  return reshape(slice(s, split.map(() => 0), kept), size.map((d, i) => (i === axis ? count : d)));
}

/** The depthwise convolution of NHWC `x` `[N, H, W, C]` with `f` `[KH, KW, C, M]` → `[N, OH, OW, C·M]`. */
function depthwiseNHWC(x: Tensor, f: Tensor, s: [number, number], d: [number, number], padding: Padding, op: string): Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [kh, kw, , m] = f.shape as [number, number, number, number];
  const g = windowGeometry(x.shape, kh, kw, s, d, padding, op);
  // Zero padding: TensorFlow's before each axis, and after it as far as the last strided window reads.
  const needH = (kh - 1) * d[0] + g.oh * s[0];
  const needW = (kw - 1) * d[1] + g.ow * s[1];
  const xp = pad(x, [[0, 0], [g.padTop, Math.max(0, needH - h - g.padTop)], [g.padLeft, Math.max(0, needW - w - g.padLeft)], [0, 0]]);
  // The windows side by side ([N, OH, OW, KH·KW, C]) times the taps ([KH·KW, C, M]), summed over the taps.
  const windows: Tensor[] = [];
  for (let i = 0; i < kh; i++) {
    const rows = strided(xp, 1, i * d[0], g.oh, s[0]);
    for (let j = 0; j < kw; j++) windows.push(strided(rows, 2, j * d[1], g.ow, s[1]));
  }
  const patches = reshape(windows.length === 1 ? windows[0]! : concat(windows, 3), [n, g.oh, g.ow, kh * kw, c, 1]);
  const terms = multiply(patches, reshape(f, [kh * kw, c, m]));
  return reshape(reduceSum(terms, { axis: 3 }), [n, g.oh, g.ow, c * m]);
}

/** Checks the input and depthwise filter of a depthwise op and returns the NHWC geometry arguments. */
function depthwiseArgs(x: Tensor, f: Tensor, strides: Window, opts: DepthwiseConv2DOptions, padding: Padding, op: string) {
  checkDtype(op, x.dtype, FLOAT);
  const format = dataFormat2D(opts.dataFormat, op);
  if (x.rank !== 4) throw new InvalidArgumentError(opMessage(op, `input must be 4-dimensional ${format}, got shape ${describeDims(x.shape)}`));
  if (f.rank !== 4) throw new InvalidArgumentError(opMessage(op, `depthwise filter must be 4-dimensional [KH, KW, in_channels, channel_multiplier], got shape ${describeDims(f.shape)}`));
  if (f.shape[0]! < 1 || f.shape[1]! < 1) throw new InvalidArgumentError(opMessage(op, `depthwise filter must have a non-empty window, got shape ${describeDims(f.shape)}`));
  const depth = x.shape[format === "NHWC" ? 3 : 1];
  if (depth !== f.shape[2]) {
    throw new InvalidArgumentError(opMessage(op, `input depth must equal the depthwise filter's in_channels: ${depth} vs ${f.shape[2]} (input ${describeDims(x.shape)}, filter ${describeDims(f.shape)})`));
  }
  const s = windowPair(strides, "strides", op, format);
  const d = windowPair(opts.dilations ?? 1, "dilations", op, format);
  if ((s[0] > 1 || s[1] > 1) && (d[0] > 1 || d[1] > 1)) {
    throw new InvalidArgumentError(opMessage(op, `strides must be 1 when dilations are above 1, got strides [${s}] and dilations [${d}]`));
  }
  return { format, s, d, pads: paddingToNHWC(padding, format, op) };
}

/**
 * Depthwise 2-D convolution, TensorFlow's `tf.nn.depthwise_conv2d(input, filter, strides, padding,
 * data_format=None, dilations=None)`: `input` NHWC `[N, H, W, C]`, `filter` `[KH, KW, C, M]` →
 * `[N, OH, OW, C·M]`, output channel `c·M + m` being input channel `c` convolved with
 * `filter[:, :, c, m]`. Padding as `tf.nn.conv2d` (`"SAME"`, `"VALID"` or explicit pairs).
 * float32/float64; differentiable to any order.
 */
export const depthwiseConv2d = defineOp("depthwiseConv2d", function depthwiseConv2d(
  input: TensorLike, filter: TensorLike, strides: Window, padding: Padding, opts: DepthwiseConv2DOptions = {},
): Tensor {
  return composite([input, filter], "DepthwiseConv2dNative", ([x, f]) => {
    const a = depthwiseArgs(x!, f!, strides, opts, padding, "DepthwiseConv2dNative");
    return inNHWC(x!, a.format, (xt) => depthwiseNHWC(xt, f!, a.s, a.d, a.pads, "DepthwiseConv2dNative"));
  });
}, { paths: ["nn.depthwiseConv2d"], args: 5, options: DEPTHWISE_KEYS });

/**
 * Depthwise then pointwise 2-D convolution, TensorFlow's `tf.nn.separable_conv2d(input,
 * depthwise_filter, pointwise_filter, strides, padding, data_format=None, dilations=None)`:
 * `depthwiseFilter` `[KH, KW, C, M]` as in `depthwiseConv2d` (with the strides, padding and
 * dilations), then `pointwiseFilter` `[1, 1, C·M, Co]` as a 1×1 convolution → `[N, OH, OW, Co]`.
 * float32/float64; differentiable to any order.
 */
export const separableConv2d = defineOp("separableConv2d", function separableConv2d(
  input: TensorLike, depthwiseFilter: TensorLike, pointwiseFilter: TensorLike, strides: Window, padding: Padding, opts: DepthwiseConv2DOptions = {},
): Tensor {
  return composite([input, depthwiseFilter, pointwiseFilter], "SeparableConv2D", ([x, df, pf]) => {
    const op = "SeparableConv2D";
    const a = depthwiseArgs(x!, df!, strides, opts, padding, op);
    if (pf!.rank !== 4 || pf!.shape[0] !== 1 || pf!.shape[1] !== 1) {
      throw new InvalidArgumentError(opMessage(op, `pointwise filter must be [1, 1, in_channels·channel_multiplier, out_channels], got shape ${describeDims(pf!.shape)}`));
    }
    const mid = df!.shape[2]! * df!.shape[3]!;
    if (pf!.shape[2] !== mid) {
      throw new InvalidArgumentError(opMessage(op, `pointwise filter's in_channels must be in_channels·channel_multiplier = ${mid}, got shape ${describeDims(pf!.shape)} (depthwise filter ${describeDims(df!.shape)})`));
    }
    checkDtype(op, pf!.dtype, [x!.dtype]);
    return inNHWC(x!, a.format, (xt) => conv2d(depthwiseNHWC(xt, df!, a.s, a.d, a.pads, op), pf!, 1, "VALID"));
  });
}, { paths: ["nn.separableConv2d"], args: 6, options: DEPTHWISE_KEYS });
