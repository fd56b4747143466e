/** Small pieces shared by kernel files. */
import type { DType } from "@tessera/core/kernel";

// Row-major strides and element counts come from core, so every backend agrees on them.
export { sizeFromShape as sizeOf, stridesOf as strides } from "@tessera/core/kernel";

/** The words a real value of `dtype` is stored as: [first, second] (the second is 0 for 4-byte dtypes; complex64 gets + 0i). */
export function valueBits(value: number, dtype: DType): [number, number] {
  if (dtype === "float64") {
    const w = new Uint32Array(new Float64Array([value]).buffer);
    return [w[0]!, w[1]!];
  }
  if (dtype === "float32" || dtype === "complex64") return [new Uint32Array(new Float32Array([value]).buffer)[0]!, 0];
  if (dtype === "bool") return [value ? 1 : 0, 0];
  return [value | 0, 0];
}

/** `a0*b0 + a1*b1 + ...` over uniform fields, for index arithmetic in WGSL. */
export function dot(coords: readonly string[], fields: readonly string[]): string {
  if (coords.length === 0) return "0u";
  return coords.map((c, i) => `${c} * ${fields[i]}`).join(" + ");
}

/**
 * WGSL loop over the taps (kh, kw) of the window of output pixel (oh, ow) that fall inside the
 * image, for `body`, which sees the input row and column `ih` and `iw` (i32). Strides come from
 * `u.sh`/`u.sw`, padding from `u.padTop`/`u.padLeft`, and dilation from `u.dh`/`u.dw` when `dilated`.
 */
export function windowTaps(dilated: boolean, body: string): string {
  const [dh, dw] = dilated ? [" * u.dh", " * u.dw"] : ["", ""];
  return `  for (var kh = 0u; kh < u.KH; kh = kh + 1u) {
    let ih = i32(oh * u.sh + kh${dh}) - u.padTop;
    if (ih < 0 || ih >= i32(u.H)) { continue; }
    for (var kw = 0u; kw < u.KW; kw = kw + 1u) {
      let iw = i32(ow * u.sw + kw${dw}) - u.padLeft;
      if (iw < 0 || iw >= i32(u.W)) { continue; }
${body}
    }
  }`;
}
