/**
 * Transposed convolutions (`tf.nn.conv2dTranspose`, `tf.nn.conv1dTranspose`): the gradient of a
 * convolution with respect to its input, run forward on the Conv2DBackpropInput kernel. Its gradients
 * (a convolution and a filter backprop) are registered in conv.grad.ts, so these ops are
 * differentiable to any order.
 */
import { ENGINE } from "../engine/engine.js";
import { InvalidArgumentError, opMessage } from "../errors.js";
import type { Conv2DAttrs } from "../kernel/interface.js";
import { optionKeys } from "../options.js";
import { describeDims } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { composite } from "./composite-utils.js";
import type { DataFormat2D, Padding, Window } from "./conv.js";
import { dataFormat2D, inNHWC, paddingToNHWC, windowGeometry, windowPair } from "./conv.js";
import type { DataFormat1D, Padding1D, Window1D } from "./conv1d.js";
import { dataFormat1D, padding1DTo2D, window1D } from "./conv1d.js";
import { FLOAT, checkDtype } from "./op-utils.js";
import { reshape } from "./reshape.js";
import { defineOp } from "./table/define.js";

/** Options of `tf.nn.conv2dTranspose` (TF2's keyword arguments). */
export interface Conv2DTransposeOptions {
  /** `"SAME"` (the default, as TF2), `"VALID"`, or explicit paddings of the forward convolution. */
  padding?: Padding;
  /** `"NHWC"` (the default) or `"NCHW"` (then `outputShape` is in NCHW order too). */
  dataFormat?: DataFormat2D;
  /** Dilation rate of the forward convolution (default 1). */
  dilations?: Window;
}
const CONV2D_TRANSPOSE_KEYS = optionKeys<Conv2DTransposeOptions>()("padding", "dataFormat", "dilations");

function outputShapeOf(v: unknown, rank: number, op: string): number[] {
  if (!Array.isArray(v) || v.length !== rank || v.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new InvalidArgumentError(opMessage(op, `outputShape must be ${rank} non-negative integers, got ${JSON.stringify(v)}`));
  }
  return (v as number[]).slice();
}

/**
 * Runs Conv2DBackpropInput for an NHWC `x` `[N, H, W, Cin]` and filter `[KH, KW, Cout, Cin]` into
 * `out` `[N, OH, OW, Cout]`, after checking that a convolution of `out` gives `x`'s shape.
 */
function transposeNHWC(x: Tensor, f: Tensor, out: readonly number[], strides: [number, number], dilations: [number, number], padding: Padding, op: string): Tensor {
  const [n, h, w, cin] = x.shape as [number, number, number, number];
  const [kh, kw, fout, fin] = f.shape as [number, number, number, number];
  if (out[0] !== n) throw new InvalidArgumentError(opMessage(op, `outputShape ${JSON.stringify(out)} must have the input's batch size ${n}`));
  if (fin !== cin) {
    throw new InvalidArgumentError(opMessage(op, `input depth must equal the filter's in_channels (its last dimension): ${cin} vs ${fin} (input ${describeDims(x.shape)}, filter ${describeDims(f.shape)})`));
  }
  if (out[3] !== fout) {
    throw new InvalidArgumentError(opMessage(op, `outputShape depth must equal the filter's out_channels (its third dimension): ${out[3]} vs ${fout} (outputShape ${JSON.stringify(out)}, filter ${describeDims(f.shape)})`));
  }
  const g = windowGeometry(out, kh, kw, strides, dilations, padding, op);
  if (g.oh !== h || g.ow !== w) {
    throw new InvalidArgumentError(opMessage(op,
      `a convolution of outputShape ${JSON.stringify(out)} with this filter, strides [${strides}], dilations [${dilations}] and padding ${JSON.stringify(padding)} gives spatial size [${g.oh}, ${g.ow}], not the input's [${h}, ${w}] (input ${describeDims(x.shape)})`));
  }
  const attrs: Conv2DAttrs = { strides, dilations, padTop: g.padTop, padLeft: g.padLeft };
  return ENGINE.runKernel("Conv2DBackpropInput", [x, f], attrs, { shape: out.slice(), dtype: x.dtype });
}

/**
 * The transpose (gradient) of `tf.nn.conv2d`, TensorFlow's `tf.nn.conv2d_transpose(input, filters,
 * output_shape, strides, padding="SAME", data_format="NHWC", dilations=None)`: `input` NHWC
 * `[N, H, W, Cin]`, `filters` `[KH, KW, Cout, Cin]`, `outputShape` `[N, OH, OW, Cout]`, where a
 * convolution of an `outputShape` tensor with `filters`, `strides`, `dilations` and `padding` has
 * `input`'s shape. float32/float64; differentiable to any order.
 */
export const conv2dTranspose = defineOp("conv2dTranspose", function conv2dTranspose(
  input: TensorLike, filters: TensorLike, outputShape: readonly number[], strides: Window, opts: Conv2DTransposeOptions = {},
): Tensor {
  return composite([input, filters], "Conv2DBackpropInput", ([x, f]) => {
    const op = "Conv2DBackpropInput";
    checkDtype(op, x!.dtype, FLOAT);
    const format = dataFormat2D(opts.dataFormat, op);
    if (x!.rank !== 4) throw new InvalidArgumentError(opMessage(op, `input must be 4-dimensional ${format}, got shape ${describeDims(x!.shape)}`));
    if (f!.rank !== 4) throw new InvalidArgumentError(opMessage(op, `filters must be 4-dimensional [KH, KW, out_channels, in_channels], got shape ${describeDims(f!.shape)}`));
    const given = outputShapeOf(outputShape, 4, op);
    const out = format === "NHWC" ? given : [given[0]!, given[2]!, given[3]!, given[1]!];
    const s = windowPair(strides, "strides", op, format);
    const d = windowPair(opts.dilations ?? 1, "dilations", op, format);
    const padding = paddingToNHWC(opts.padding ?? "SAME", format, op);
    return inNHWC(x!, format, (xt) => transposeNHWC(xt, f!, out, s, d, padding, op));
  });
}, { paths: ["nn.conv2dTranspose"], args: 5, options: CONV2D_TRANSPOSE_KEYS });

/** Options of `tf.nn.conv1dTranspose` (TF2's keyword arguments). */
export interface Conv1DTransposeOptions {
  /** `"SAME"` (the default, as TF2), `"VALID"`, or explicit NWC paddings of the forward convolution. */
  padding?: Padding1D;
  /** `"NWC"` (the default) or `"NCW"` (then `outputShape` is in NCW order too). */
  dataFormat?: DataFormat1D;
  /** Dilation rate of the forward convolution (default 1). */
  dilations?: Window1D;
}
const CONV1D_TRANSPOSE_KEYS = optionKeys<Conv1DTransposeOptions>()("padding", "dataFormat", "dilations");

/**
 * The transpose (gradient) of `tf.nn.conv1d`, TensorFlow's `tf.nn.conv1d_transpose(input, filters,
 * output_shape, strides, padding="SAME", data_format="NWC", dilations=None)`: `input` NWC
 * `[N, W, Cin]`, `filters` `[K, Cout, Cin]`, `outputShape` `[N, OW, Cout]`. Runs
 * `conv2dTranspose` on `[N, 1, W, C]` views.
 */
export const conv1dTranspose = defineOp("conv1dTranspose", function conv1dTranspose(
  input: TensorLike, filters: TensorLike, outputShape: readonly number[], strides: Window1D, opts: Conv1DTransposeOptions = {},
): Tensor {
  return composite([input, filters], "Conv1DTranspose", ([x, f]) => {
    const op = "Conv1DTranspose";
    checkDtype(op, x!.dtype, FLOAT);
    const format = dataFormat1D(opts.dataFormat, op);
    if (x!.rank !== 3) throw new InvalidArgumentError(opMessage(op, `input must be 3-dimensional ${format}, got shape ${describeDims(x!.shape)}`));
    if (f!.rank !== 3) throw new InvalidArgumentError(opMessage(op, `filters must be 3-dimensional [K, out_channels, in_channels], got shape ${describeDims(f!.shape)}`));
    const out = outputShapeOf(outputShape, 3, op);
    const s = window1D(strides, "strides", op, format);
    const d = window1D(opts.dilations ?? 1, "dilations", op, format);
    const padding = padding1DTo2D(opts.padding ?? "SAME", format, op);
    const [a, b, c] = x!.shape as [number, number, number];
    const [k, fo, fi] = f!.shape as [number, number, number];
    const x4 = format === "NWC" ? reshape(x!, [a, 1, b, c]) : reshape(x!, [a, b, 1, c]);
    const out4 = format === "NWC" ? [out[0]!, 1, out[1]!, out[2]!] : [out[0]!, out[1]!, 1, out[2]!];
    const y = conv2dTranspose(x4, reshape(f!, [1, k, fo, fi]), out4, [1, s], {
      padding, dilations: [1, d], dataFormat: format === "NWC" ? "NHWC" : "NCHW",
    });
    return reshape(y, out);
  });
}, { paths: ["nn.conv1dTranspose"], args: 5, options: CONV1D_TRANSPOSE_KEYS });
