/**
 * Printing tensors as TensorFlow 2 prints them, with NumPy's exact number formatting
 * (NumPy 2 default print options).
 */
import type { BackendValues, DType } from "../dtypes.js";
import { formatShapeTuple } from "../shape.js";
import { array2string } from "./array-layout.js";
import { scalarStr } from "./element-format.js";

export type FormatKind = "tensor" | "repr";

const LINE_WIDTH = 75;
const THRESHOLD = 1000;

/**
 * Formats tensor values.
 * - `"tensor"`: `tf.Tensor(<numpy str>, shape=(..), dtype=..)`, as `str(tensor)` in TensorFlow 2;
 *   multi-line values start on a new line.
 * - `"repr"`: NumPy's `repr` of the values (`array([1, 2], dtype=int32)`), as shown in a Variable's repr.
 *
 * `values` is the backend storage for `dtype` (complex64 interleaved re/im; strings shown as UTF-8 bytes).
 */
export function formatTensor(values: BackendValues, shape: readonly number[], dtype: DType, kind: FormatKind): string {
  if (kind === "repr") return numpyRepr(values, shape, dtype);
  let text = numpyStr(values, shape, dtype);
  if (text.includes("\n")) text = "\n" + text;
  return `tf.Tensor(${text}, shape=${formatShapeTuple(shape)}, dtype=${dtype})`;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** NumPy's `str(array)`; a 0-d array prints as its scalar. */
export function numpyStr(values: BackendValues, shape: readonly number[], dtype: DType): string {
  if (shape.length === 0) return scalarStr(values, dtype);
  if (sizeOf(shape) === 0) return "[]";
  return array2string(values, shape, dtype, { separator: " ", prefix: "", lineWidth: LINE_WIDTH });
}

/** NumPy's name for the dtype TensorFlow's `.numpy()` returns (strings come back as object arrays). */
function numpyDTypeName(dtype: DType): string {
  return dtype === "string" ? "object" : dtype;
}

/** NumPy's `repr(array)`: `array(...)` plus the shape and dtype where the text does not imply them. */
export function numpyRepr(values: BackendValues, shape: readonly number[], dtype: DType): string {
  const prefix = "array(";
  const size = sizeOf(shape);
  const body = size === 0
    ? "[]"
    : array2string(values, shape, dtype, { separator: ", ", prefix, lineWidth: LINE_WIDTH - ")".length });

  const extras: string[] = [];
  if ((size === 0 && !(shape.length === 1 && shape[0] === 0)) || size > THRESHOLD) {
    extras.push(`shape=${formatShapeTuple(shape)}`);
  }
  // float64 and bool are implied by how their values print (int32 is not: NumPy's default int is int64).
  const implied = dtype === "float64" || dtype === "bool";
  if (!implied || size === 0) extras.push(`dtype=${numpyDTypeName(dtype)}`);
  if (extras.length === 0) return `${prefix}${body})`;

  const arrStr = `${prefix}${body},`;
  const extraStr = `${extras.join(", ")})`;
  // Put the extras on their own line when they would push the last line past the line width.
  const lastLineLen = arrStr.length - (arrStr.lastIndexOf("\n") + 1);
  const spacer = lastLineLen + extraStr.length + 1 > LINE_WIDTH ? "\n" + " ".repeat(prefix.length) : " ";
  return arrStr + spacer + extraStr;
}
