/** Argument handling shared by the window and spatial layers (convolution, pooling, padding, cropping). */
import { ValueError } from "../../errors.js";
import { transpose } from "../../ops/transpose.js";
import type { Tensor } from "../../tensor/tensor.js";

/** `"valid"` (no padding) or `"same"` (output size = ceil(input / stride)). */
export type PaddingMode = "valid" | "same";

/** A 2-D size: one number for both axes or `[h, w]`. */
export type Size2D = number | readonly [number, number];

/** Where the channels are: last (`NHWC`, the default) or right after the batch (`NCHW`). */
export type DataFormat = "channels_last" | "channels_first";

export function pair2(v: Size2D | readonly number[], what: string, layer: string): [number, number] {
  return tupleOf(v, 2, what, layer) as [number, number];
}

/** `n` positive integers from one number or a list of `n` (Keras's `normalize_tuple`). */
export function tupleOf(v: number | readonly number[], n: number, what: string, layer: string, min = 1): number[] {
  const p = typeof v === "number" ? new Array<number>(n).fill(v) : Array.isArray(v) && v.length === n ? v.slice() : null;
  if (!p || p.some((d) => !Number.isInteger(d) || d < min)) {
    const kind = min === 0 ? "non-negative" : "positive";
    throw new ValueError(`Layer "${layer}": \`${what}\` must be a ${kind} integer or a list of ${n} of them, got ${JSON.stringify(v)}`);
  }
  return p;
}

export function paddingMode(p: unknown, layer: string): PaddingMode {
  const s = typeof p === "string" ? p.toLowerCase() : p;
  if (s !== "valid" && s !== "same") {
    throw new ValueError(`Layer "${layer}": \`padding\` must be "valid" or "same", got ${JSON.stringify(p)}`);
  }
  return s;
}

/** The data format from an option or config (TensorFlow.js spells it `channelsLast`). */
export function dataFormatOf(f: unknown, layer: string): DataFormat {
  if (f === undefined || f === null || f === "channels_last" || f === "channelsLast") return "channels_last";
  if (f === "channels_first" || f === "channelsFirst") return "channels_first";
  throw new ValueError(`Layer "${layer}": \`data_format\` must be "channels_last" or "channels_first", got ${JSON.stringify(f)}`);
}

/** `x` with its channels moved last (`N C ...` → `N ... C`). */
export function toChannelsLast(x: Tensor): Tensor {
  const r = x.rank;
  return transpose(x, [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1]);
}

/** `x` with its channels moved right after the batch (`N ... C` → `N C ...`). */
export function toChannelsFirst(x: Tensor): Tensor {
  const r = x.rank;
  return transpose(x, [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)]);
}

/** Runs `fn` on a channels-last view of `x` and returns its result in `format`. */
export function inChannelsLast(x: Tensor, format: DataFormat, fn: (x: Tensor) => Tensor): Tensor {
  if (format === "channels_last") return fn(x);
  const a = toChannelsLast(x);
  let b: Tensor | null = null;
  try {
    b = fn(a);
    return toChannelsFirst(b);
  } finally {
    a.dispose();
    if (b !== null && b !== a) b.dispose();
  }
}

/** A channels-last shape from one in `format` (and back with `fromChannelsLastShape`). */
export function channelsLastShape<T>(shape: readonly T[], format: DataFormat): T[] {
  return format === "channels_last" ? shape.slice() : [shape[0]!, ...shape.slice(2), shape[1]!];
}

export function fromChannelsLastShape<T>(shape: readonly T[], format: DataFormat): T[] {
  return format === "channels_last" ? shape.slice() : [shape[0]!, shape[shape.length - 1]!, ...shape.slice(1, -1)];
}

/** Keras's `conv_output_length` for one spatial axis (`null` stays unknown). */
export function outputLength(n: number | null, k: number, padding: PaddingMode, stride: number, dilation = 1): number | null {
  if (n === null) return null;
  const eff = (k - 1) * dilation + 1;
  const len = padding === "same" ? n : n - eff + 1;
  return Math.max(0, Math.floor((len + stride - 1) / stride));
}
