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
