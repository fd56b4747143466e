/** Per-dtype element formatters for NumPy's array printing, and `str()` of 0-d values. */
import type { BackendValues, DType } from "../dtypes.js";
import { bytesRepr } from "./bytes-repr.js";
import { ComplexFloatingFormat, FloatingFormat, complexScalarStr, floatScalarStr } from "./float-format.js";

/** Formats the element at a flat index; all elements of one array share column widths. */
export type ElementFormatter = (index: number) => string;

/**
 * Builds the formatter for one array. `shown` lists the flat indices that will be printed (the edges
 * of a summarised array); widths and notation are decided from those alone, as NumPy does.
 */
export function makeElementFormatter(
  values: BackendValues,
  dtype: DType,
  shown: readonly number[],
  is0d: boolean,
): ElementFormatter {
  switch (dtype) {
    case "bool": {
      const v = values as Uint8Array;
      // " True" lines up with "False", except in 0-d arrays.
      const t = is0d ? "True" : " True";
      return (i) => (v[i] ? t : "False");
    }
    case "int32": {
      const v = values as Int32Array;
      let max = -Infinity;
      let min = Infinity;
      for (const i of shown) {
        max = Math.max(max, v[i]!);
        min = Math.min(min, v[i]!);
      }
      const width = Math.max(String(max).length, String(min).length);
      return (i) => String(v[i]).padStart(width);
    }
    case "float32":
    case "float64": {
      const v = values as Float32Array | Float64Array;
      const f = new FloatingFormat(shown.map((i) => v[i]!), dtype);
      return (i) => f.format(v[i]!);
    }
    case "complex64": {
      const v = values as Float32Array;
      const f = new ComplexFloatingFormat(shown.map((i) => v[2 * i]!), shown.map((i) => v[2 * i + 1]!), "float32");
      return (i) => f.format(v[2 * i]!, v[2 * i + 1]!);
    }
    case "string": {
      const v = values as string[];
      return (i) => bytesRepr(v[i]!);
    }
  }
}

/** `str()` of the single value of a 0-d array: the NumPy scalar's str (bytes show as `b'..'`). */
export function scalarStr(values: BackendValues, dtype: DType): string {
  switch (dtype) {
    case "bool":
      return (values as Uint8Array)[0] ? "True" : "False";
    case "int32":
      return String((values as Int32Array)[0]);
    case "float32":
    case "float64":
      return floatScalarStr((values as Float32Array | Float64Array)[0]!, dtype);
    case "complex64": {
      const v = values as Float32Array;
      return complexScalarStr(v[0]!, v[1]!, "float32");
    }
    case "string":
      return bytesRepr((values as string[])[0]!);
  }
}
