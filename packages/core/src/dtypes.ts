/** The element types a tensor can hold. Spelled as TensorFlow spells them. */
export type DType = "bool" | "int32" | "float32" | "float64" | "complex64" | "string";
/** Numeric dtypes (everything but string). */
export type NumericDType = Exclude<DType, "string">;

export const bool = "bool" as const;
export const int32 = "int32" as const;
export const float32 = "float32" as const;
export const float64 = "float64" as const;
export const complex64 = "complex64" as const;
export const string = "string" as const;

export const ALL_DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64", "complex64", "string"];

/** The storage a backend reads and writes for each dtype. complex64 is interleaved [re, im, re, im, ...]. */
export interface DTypeStorage {
  bool: Uint8Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
  complex64: Float32Array;
  string: string[];
}
/** Values as a backend stores or returns them: one typed array (or string array) per tensor. */
export type BackendValues = DTypeStorage[DType];
export type TypedArray = Uint8Array | Int32Array | Float32Array | Float64Array;

export function isDType(x: unknown): x is DType {
  return typeof x === "string" && (ALL_DTYPES as readonly string[]).includes(x);
}

export function isFloatDType(d: DType): d is "float32" | "float64" {
  return d === "float32" || d === "float64";
}

/** Bytes one element takes in a backend's memory (strings: counted as UTF-16 length by the backend). */
export function bytesPerElement(d: DType): number {
  switch (d) {
    case "bool": return 1;
    case "int32": case "float32": return 4;
    case "float64": case "complex64": return 8;
    case "string": return 0;
  }
}

/** Allocates zeroed storage for `size` elements of dtype `d`. */
export function allocValues<D extends DType>(d: D, size: number): DTypeStorage[D];
export function allocValues(d: DType, size: number): BackendValues {
  switch (d) {
    case "bool": return new Uint8Array(size);
    case "int32": return new Int32Array(size);
    case "float32": return new Float32Array(size);
    case "float64": return new Float64Array(size);
    case "complex64": return new Float32Array(2 * size);
    case "string": return new Array<string>(size).fill("");
  }
}

/** Number of storage slots per element (complex64 holds two floats). */
export function slotsPerElement(d: DType): number {
  return d === "complex64" ? 2 : 1;
}

/** Byte size of a tensor of `size` elements, strings counted by their UTF-16 length. */
export function byteSize(d: DType, size: number, values?: BackendValues): number {
  if (d === "string") {
    let n = 0;
    if (values) for (const s of values as string[]) n += 2 * s.length;
    return n;
  }
  return bytesPerElement(d) * size;
}
