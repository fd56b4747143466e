/**
 * 1-D convolution (`tf.nn.conv1d`), as TensorFlow computes it: `tf.nn.conv2d` on `[N, 1, W, C]`
 * views (free reshapes), so gradients come from the 2-D op.
 */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { optionKeys } from "../options.js";
import { describeDims } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { composite } from "./composite-utils.js";
import type { Padding } from "./conv.js";
import { conv2d } from "./conv.js";
import { FLOAT, checkDtype } from "./op-utils.js";
import type { Padding1D, Window1D } from "./pool1d.js";
import { reshape } from "./reshape.js";
import { defineOp } from "./table/define.js";

/** TensorFlow's 1-D data formats: channels last (the default) or right after the batch. */
export type DataFormat1D = "NWC" | "NCW";

/** The data format option of a 1-D op, checked. */
export function dataFormat1D(f: unknown, op: string): DataFormat1D {
  if (f === undefined || f === "NWC") return "NWC";
  if (f === "NCW") return "NCW";
  throw new InvalidArgumentError(opMessage(op, `dataFormat must be "NWC" or "NCW", got ${JSON.stringify(f)}`));
}

export type { Padding1D, Window1D };

/** One positive integer from a number, `[w]`, or the 3-element form in `format`'s order. */
export function window1D(v: Window1D, name: string, op: string, format: DataFormat1D): number {
  let k: number | undefined;
  if (typeof v === "number") k = v;
  else if (Array.isArray(v) && v.length === 1) k = v[0];
  else if (Array.isArray(v) && v.length === 3 && v[0] === 1 && (format === "NWC" ? v[2] === 1 : v[1] === 1)) k = format === "NWC" ? v[1] : v[2];
  if (k === undefined || !Number.isInteger(k) || k < 1) {
    throw new InvalidArgumentError(opMessage(op, `${name} must be a positive integer, [w] or ${format === "NWC" ? "[1, w, 1]" : "[1, 1, w]"}, got ${JSON.stringify(v)}`));
  }
  return k;
}

/** A 1-D padding as the 2-D padding of the `[N, 1, W, C]` (or `[N, C, 1, W]`) view. */
export function padding1DTo2D(padding: Padding1D, format: DataFormat1D, op: string): Padding {
  if (typeof padding === "string") return padding;
  if (!Array.isArray(padding) || padding.length !== 3 || padding.some((p) => !Array.isArray(p) || p.length !== 2)) {
    throw new InvalidArgumentError(opMessage(op, `explicit padding must be 3 [before, after] pairs (${format}), got ${JSON.stringify(padding)}`));
  }
  const w = padding[format === "NWC" ? 1 : 2]!;
  const other = padding.filter((_, i) => i !== (format === "NWC" ? 1 : 2));
  if (other.some(([a, b]) => a !== 0 || b !== 0)) throw new InvalidArgumentError(opMessage(op, `explicit padding of the batch and channel dimensions must be 0, got ${JSON.stringify(padding)}`));
  return format === "NWC" ? [[0, 0], [0, 0], [w[0], w[1]], [0, 0]] : [[0, 0], [0, 0], [0, 0], [w[0], w[1]]];
}

/** Options of `tf.nn.conv1d` (TF2's keyword arguments). */
export interface Conv1DOptions {
  /** `"NWC"` (the default) or `"NCW"`. */
  dataFormat?: DataFormat1D;
  /** Dilation rate (default 1). */
  dilations?: Window1D;
}
const CONV1D_KEYS = optionKeys<Conv1DOptions>()("dataFormat", "dilations");

/**
 * 1-D convolution, TensorFlow's `tf.nn.conv1d(input, filters, stride, padding, data_format="NWC",
 * dilations=None)`: `input` NWC `[N, W, Ci]` (or NCW `[N, Ci, W]`), `filters` `[K, Ci, Co]` →
 * `[N, OW, Co]` (or `[N, Co, OW]`). float32/float64.
 */
export const conv1d = defineOp("conv1d", function conv1d(input: TensorLike, filters: TensorLike, stride: Window1D, padding: Padding1D, opts: Conv1DOptions = {}): Tensor {
  return composite([input, filters], "Conv1D", ([x, f]) => {
    const op = "Conv1D";
    checkDtype(op, x!.dtype, FLOAT);
    const format = dataFormat1D(opts.dataFormat, op);
    if (x!.rank !== 3) throw new InvalidArgumentError(opMessage(op, `input must be 3-dimensional ${format}, got shape ${describeDims(x!.shape)}`));
    if (f!.rank !== 3) throw new InvalidArgumentError(opMessage(op, `filters must be 3-dimensional [K, in_channels, out_channels], got shape ${describeDims(f!.shape)}`));
    const [a, b, c] = x!.shape as [number, number, number];
    const [k, ci, co] = f!.shape as [number, number, number];
    const depth = format === "NWC" ? c : b;
    if (depth !== ci) throw new InvalidArgumentError(opMessage(op, `input depth must equal filter depth: ${depth} vs ${ci} (input ${describeDims(x!.shape)}, filters ${describeDims(f!.shape)})`));
    const s = window1D(stride, "stride", op, format);
    const d = window1D(opts.dilations ?? 1, "dilations", op, format);
    const pad = padding1DTo2D(padding, format, op);
    const x4 = format === "NWC" ? reshape(x!, [a, 1, b, c]) : reshape(x!, [a, b, 1, c]);
    const y = conv2d(x4, reshape(f!, [1, k, ci, co]), [1, s], pad, { dilations: [1, d], dataFormat: format === "NWC" ? "NHWC" : "NCHW" });
    return format === "NWC" ? reshape(y, [a, y.shape[2]!, co]) : reshape(y, [a, co, y.shape[3]!]);
  });
}, { paths: ["nn.conv1d"], args: 5, options: CONV1D_KEYS });
