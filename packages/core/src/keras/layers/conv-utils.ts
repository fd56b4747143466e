/** Argument handling shared by the 2-D window layers (Conv2D, MaxPooling2D). */
import { ValueError } from "../../errors.js";

/** `"valid"` (no padding) or `"same"` (output size = ceil(input / stride)). */
export type PaddingMode = "valid" | "same";

/** A 2-D size: one number for both axes or `[h, w]`. */
export type Size2D = number | readonly [number, number];

export function pair2(v: Size2D | readonly number[], what: string, layer: string): [number, number] {
  const p = typeof v === "number" ? [v, v] : Array.isArray(v) && v.length === 2 ? [v[0], v[1]] : null;
  if (!p || p.some((d) => !Number.isInteger(d) || (d as number) < 1)) {
    throw new ValueError(`Layer "${layer}": \`${what}\` must be a positive integer or a pair of them, got ${JSON.stringify(v)}`);
  }
  return p as [number, number];
}

export function paddingMode(p: unknown, layer: string): PaddingMode {
  const s = typeof p === "string" ? p.toLowerCase() : p;
  if (s !== "valid" && s !== "same") {
    throw new ValueError(`Layer "${layer}": \`padding\` must be "valid" or "same", got ${JSON.stringify(p)}`);
  }
  return s;
}

export function checkDataFormat(f: unknown, layer: string): void {
  if (f !== undefined && f !== null && f !== "channels_last") {
    throw new ValueError(`Layer "${layer}": only data_format "channels_last" (NHWC) is supported, got ${JSON.stringify(f)}`);
  }
}

/** Keras's `conv_output_length` for one spatial axis (`null` stays unknown). */
export function outputLength(n: number | null, k: number, padding: PaddingMode, stride: number, dilation = 1): number | null {
  if (n === null) return null;
  const eff = (k - 1) * dilation + 1;
  const len = padding === "same" ? n : n - eff + 1;
  return Math.max(0, Math.floor((len + stride - 1) / stride));
}
