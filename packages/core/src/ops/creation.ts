/** Making tensors: constant, zeros, ones, fill, range, eye and friends. */
import type { DType } from "../dtypes.js";
import { isDType } from "../dtypes.js";
import { DtypeError, InvalidArgumentError, ValueError, opMessage } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { checkShapeArg, formatShapeTuple, sizeFromShape } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { hostValue, isComplex, toStorage } from "../tensor/convert.js";
import type { Complex } from "../tensor/tensor.js";
import { Tensor } from "../tensor/tensor.js";
import { defineOp } from "./table/define.js";
import { checkOptions, optionKeys } from "../options.js";

/** Options of `tf.constant(value, options)`. */
export interface ConstantOptions {
  dtype?: DType;
  /** Reshapes a flat value with the same element count, or fills the shape with a scalar. */
  shape?: readonly number[];
}

const CONSTANT_KEYS = optionKeys<ConstantOptions>()("dtype", "shape");

function checkDtypeArg(dtype: unknown, op: string): DType | undefined {
  if (dtype === undefined) return undefined;
  if (!isDType(dtype)) throw new DtypeError(opMessage(op, `Unknown dtype ${JSON.stringify(dtype)}; expected one of bool, int32, float32, float64, complex64, string`));
  return dtype;
}

/**
 * A tensor holding `value` (a number, boolean, string, `{re, im}`, nested arrays, a typed array, an
 * ndarray-like or another tensor). The dtype is inferred unless given:
 * `tf.constant([1, 2])` is int32, `tf.constant([1.5])` float32, a Float64Array float64.
 */
export function constant(value: TensorLike, dtypeOrOptions?: DType | ConstantOptions): Tensor {
  const opts: ConstantOptions = typeof dtypeOrOptions === "string" ? { dtype: dtypeOrOptions } : dtypeOrOptions ?? {};
  if (typeof opts !== "object") throw new ValueError(opMessage("Const", `The second argument must be a dtype or { dtype, shape }, got ${String(dtypeOrOptions)}`));
  checkOptions("constant", opts, CONSTANT_KEYS);
  const dtype = checkDtypeArg(opts.dtype, "Const");
  if (value instanceof Tensor) {
    value.throwIfDisposed("Const");
    if (dtype !== undefined && dtype !== value.dtype) {
      throw new DtypeError(opMessage("Const", `Cannot convert a ${value.dtype} tensor to EagerTensor of dtype ${dtype}; use tf.cast`));
    }
    const shape = opts.shape ? checkShapeArg(opts.shape, "Const") : value.shape.slice();
    if (sizeFromShape(shape) !== value.size) {
      throw new ValueError(opMessage("Const", `Tensor of shape ${formatShapeTuple(value.shape)} has ${value.size} elements, but got \`shape\` ${formatShapeTuple(shape)} with ${sizeFromShape(shape)} elements`));
    }
    return ENGINE.shareTensor(value.handle, shape, value.dtype);
  }
  const hv = hostValue(value, "Const");
  const d = dtype ?? hv.inferred;
  let flat = hv.flat;
  let shape = hv.shape;
  if (opts.shape) {
    const target = checkShapeArg(opts.shape, "Const");
    const n = sizeFromShape(target);
    if (flat.length === 1 && n !== 1) {
      // A scalar fills the shape (tf.constant(-1.0, { shape: [2, 3] })).
      ENGINE.checkAllocation("Const", target, d);
      flat = new Array<unknown>(n).fill(flat[0]);
    } else if (flat.length !== n) {
      throw new ValueError(
        opMessage("Const", `Eager execution of tf.constant with unsupported shape. Tensor has ${flat.length} elements, but got \`shape\` ${formatShapeTuple(target)} with ${n} elements`),
      );
    }
    shape = target;
  }
  return ENGINE.upload(toStorage(flat, d, "Const"), shape, d);
}

/** The dtype a fill value implies when none is given: integers → int32, other numbers → float32. */
function fillDtype(value: number | boolean | string | Complex): DType {
  if (typeof value === "boolean") return "bool";
  if (typeof value === "string") return "string";
  if (isComplex(value)) return "complex64";
  return Number.isInteger(value) ? "int32" : "float32";
}

/** A tensor of `shape` filled with `value`, made on the device (nothing is uploaded). */
export const fill = defineOp("fill", function fill(shape: readonly number[], value: number | boolean | string | Complex, dtype?: DType): Tensor {
  const s = checkShapeArg(shape, "Fill");
  const d = checkDtypeArg(dtype, "Fill") ?? fillDtype(value);
  let v: number | string | [number, number];
  if (d === "string") {
    if (typeof value !== "string") throw new DtypeError(opMessage("Fill", `Cannot fill a string tensor with ${String(value)}`));
    v = value;
  } else if (d === "complex64") {
    v = isComplex(value) ? [value.re, value.im] : [Number(value), 0];
  } else if (typeof value === "string" || isComplex(value)) {
    throw new DtypeError(opMessage("Fill", `Cannot fill a ${d} tensor with ${JSON.stringify(value)}`));
  } else {
    const n = typeof value === "boolean" ? (value ? 1 : 0) : value;
    if (d === "int32" && !Number.isInteger(n)) throw new DtypeError(opMessage("Fill", `Cannot convert ${n} to EagerTensor of dtype int32`));
    if (d === "bool" && typeof value !== "boolean") throw new DtypeError(opMessage("Fill", `Cannot convert ${n} to EagerTensor of dtype bool`));
    v = n;
  }
  return ENGINE.runKernel("Fill", [], { value: v }, { shape: s, dtype: d });
}, { method: false });

/** All zeros (float32 by default). */
export const zeros = defineOp("zeros", function zeros(shape: readonly number[], dtype: DType = "float32"): Tensor {
  return fill(shape, dtype === "bool" ? false : dtype === "string" ? "" : 0, dtype);
}, { args: 2, method: false });

/** All ones (float32 by default). */
export const ones = defineOp("ones", function ones(shape: readonly number[], dtype: DType = "float32"): Tensor {
  if (dtype === "string") throw new DtypeError(opMessage("Fill", "ones is not defined for dtype string"));
  return fill(shape, dtype === "bool" ? true : 1, dtype);
}, { args: 2, method: false });

function likeShape(x: TensorLike, op: string): { shape: number[]; dtype: DType } {
  if (x instanceof Tensor) {
    x.throwIfDisposed(op);
    return { shape: x.shape, dtype: x.dtype };
  }
  const hv = hostValue(x, op);
  return { shape: hv.shape, dtype: hv.inferred };
}

/** Zeros with the shape and dtype of `x`. */
export const zerosLike = defineOp("zerosLike", function zerosLike(x: TensorLike): Tensor {
  const { shape, dtype } = likeShape(x, "ZerosLike");
  return zeros(shape, dtype);
}, { method: false });

/** Ones with the shape and dtype of `x`. */
export const onesLike = defineOp("onesLike", function onesLike(x: TensorLike): Tensor {
  const { shape, dtype } = likeShape(x, "OnesLike");
  return ones(shape, dtype);
}, { method: false });

/**
 * `[start, start + delta, ...)` up to `limit` (exclusive). With one argument it counts from 0:
 * `tf.range(5)` is `[0 1 2 3 4]`. int32 when every argument is an integer, else float32.
 */
export const range = defineOp("range", function range(start: number, limit?: number, delta = 1, dtype?: DType): Tensor {
  if (limit === undefined) {
    limit = start;
    start = 0;
  }
  for (const [name, v] of [["start", start], ["limit", limit], ["delta", delta]] as const) {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidArgumentError(opMessage("Range", `${name} must be a finite number, got ${String(v)}`));
  }
  if (delta === 0) throw new InvalidArgumentError(opMessage("Range", "Requires delta != 0"));
  const d = checkDtypeArg(dtype, "Range") ?? (Number.isInteger(start) && Number.isInteger(limit) && Number.isInteger(delta) ? "int32" : "float32");
  if (d !== "int32" && d !== "float32" && d !== "float64") throw new DtypeError(opMessage("Range", `Range does not support dtype ${d}`));
  const n = Math.max(0, Math.ceil((limit - start) / delta));
  const values = ENGINE.hostValues("Range", [n], d);
  for (let i = 0; i < n; i++) values[i] = start + i * delta;
  return ENGINE.upload(values, [n], d, "Range");
}, { args: 4, method: false });

/** Options of `tf.eye` (TensorFlow's keyword arguments). */
export interface EyeOptions {
  /** Columns (default: `numRows`). */
  numColumns?: number;
  /** Leading batch dimensions: the result is `[...batchShape, numRows, numColumns]`, one identity matrix per batch entry. */
  batchShape?: readonly number[];
  /** Default float32. */
  dtype?: DType;
}
const EYE_KEYS = optionKeys<EyeOptions>()("numColumns", "batchShape", "dtype");

/**
 * An identity matrix `numRows × numColumns` (TensorFlow's `tf.eye`), float32 by default:
 * `tf.eye(3)`, `tf.eye(2, 3, "int32")`, or with options `tf.eye(2, { batchShape: [4], dtype: "float64" })`
 * (`[4, 2, 2]`: a batch of identities) and `tf.eye(2, 3, { batchShape: [2] })`.
 */
export const eye = defineOp("eye", function eye(numRows: number, numColumns?: number | EyeOptions, dtype?: DType | EyeOptions): Tensor {
  let opts: EyeOptions;
  if (typeof numColumns === "object" && numColumns !== null) {
    if (dtype !== undefined) throw new TypeError("eye() takes the options object last: eye(numRows, options) or eye(numRows, numColumns, options)");
    opts = numColumns;
  } else if (typeof dtype === "object" && dtype !== null) {
    opts = { ...dtype };
    checkOptions("eye", dtype, EYE_KEYS);
    if (dtype.numColumns !== undefined && numColumns !== undefined) throw new TypeError("eye() got numColumns both positionally and in the options");
    opts.numColumns = numColumns ?? dtype.numColumns;
  } else {
    opts = { numColumns, dtype };
  }
  checkOptions("eye", opts, EYE_KEYS);
  const n = numRows;
  const m = opts.numColumns ?? n;
  const d = opts.dtype ?? "float32";
  for (const v of [n, m]) {
    if (!Number.isInteger(v) || v < 0) throw new InvalidArgumentError(opMessage("Eye", `eye expects non-negative integer sizes, got ${v}`));
  }
  if (checkDtypeArg(d, "Eye") === "string") throw new DtypeError(opMessage("Eye", "eye is not defined for dtype string"));
  const batch = opts.batchShape === undefined ? [] : checkShapeArg(opts.batchShape, "Eye");
  const copies = sizeFromShape(batch);
  const values = ENGINE.hostValues("Eye", [...batch, n, m], d);
  // complex64 holds (re, im) pairs: the diagonal's real parts are 1.
  const slots = d === "complex64" ? 2 : 1;
  for (let b = 0; b < copies; b++) {
    for (let i = 0; i < Math.min(n, m); i++) values[(b * n * m + i * m + i) * slots] = 1;
  }
  return ENGINE.upload(values, [...batch, n, m], d, "Eye");
}, { args: 3, method: false });
