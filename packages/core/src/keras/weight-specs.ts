/**
 * Checking a weights manifest before anything is read or allocated: every spec's name, shape and
 * dtype are validated, and the bytes the manifest implies are added up (with overflow checks) and
 * compared with a limit. Loaders read at most that many bytes and allocate one buffer of that size.
 */
import { ValueError } from "../errors.js";

/**
 * The most weight bytes a model may declare unless the caller raises it (`maxWeightBytes` of
 * `tf.keras.models.loadModel`, `tf.io.http`): 2 GiB − 1, the largest buffer
 * every JavaScript engine can allocate.
 */
export const DEFAULT_MAX_WEIGHT_BYTES = 2 ** 31 - 1;

/** Highest rank a weight may have (TensorFlow's own limit is 254; real weights have at most 5). */
export const MAX_WEIGHT_RANK = 32;

const STORED_BYTES: ReadonlyMap<string, number> = new Map([["float32", 4], ["int32", 4], ["float64", 8], ["bool", 1], ["uint8", 1], ["uint16", 2], ["float16", 2]]);
const VALUE_DTYPES = ["float32", "int32", "bool", "float64"];
const QUANTIZED_DTYPES = ["uint8", "uint16", "float16"];

/** Bytes per stored element of `dtype`, or undefined when the manifest cannot hold it. */
export function storedBytesPer(dtype: unknown): number | undefined {
  return typeof dtype === "string" ? STORED_BYTES.get(dtype) : undefined;
}

/** What a checked manifest declares. */
export interface ManifestTotals {
  /** Bytes of weight data the manifest implies. */
  bytes: number;
  /** Elements of all weights together. */
  elements: number;
}

/** Checks `maxBytes` (an option) and returns it, or the default when undefined. */
export function maxWeightBytesOption(maxBytes: unknown, where: string): number {
  if (maxBytes === undefined) return DEFAULT_MAX_WEIGHT_BYTES;
  if (typeof maxBytes !== "number" || !Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new ValueError(`${where}: maxWeightBytes must be a non-negative safe integer, got ${JSON.stringify(maxBytes)}`);
  }
  return maxBytes;
}

/**
 * Validates every weight spec (`{ name, shape, dtype, quantization? }`) of a manifest and returns
 * the bytes and elements it declares; throws a ValueError naming the weight and field at fault, or
 * the limit when the total exceeds `maxBytes`. `where` names the source (a model.json path or URL).
 */
export function checkWeightSpecs(specs: unknown, where: string, maxBytes: number = DEFAULT_MAX_WEIGHT_BYTES): ManifestTotals {
  if (!Array.isArray(specs)) throw new ValueError(`${where}: the weights manifest must list weights as an array of { name, shape, dtype }, got ${typeof specs}`);
  let bytes = 0;
  let elements = 0;
  specs.forEach((s: unknown, i: number) => {
    const at = `${where}: weight ${i}`;
    if (!s || typeof s !== "object" || Array.isArray(s)) throw new ValueError(`${at} is not a { name, shape, dtype } object`);
    const spec = s as Record<string, unknown>;
    if (typeof spec["name"] !== "string" || spec["name"] === "") throw new ValueError(`${at} has an invalid "name" ${JSON.stringify(spec["name"])}`);
    const label = `${where}: weight "${spec["name"]}"`;
    const shape = spec["shape"];
    if (!Array.isArray(shape)) throw new ValueError(`${label} has an invalid "shape" ${JSON.stringify(shape)} (expected a list of non-negative integers)`);
    if (shape.length > MAX_WEIGHT_RANK) throw new ValueError(`${label} has a "shape" of rank ${shape.length}; at most ${MAX_WEIGHT_RANK} is accepted`);
    let n = 1;
    for (const d of shape) {
      if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
        throw new ValueError(`${label} has an invalid "shape" entry ${JSON.stringify(d)} (expected non-negative integers)`);
      }
      n *= d;
    }
    if (!VALUE_DTYPES.includes(spec["dtype"] as string)) {
      throw new ValueError(`${label} has unsupported "dtype" ${JSON.stringify(spec["dtype"])} (supported: ${VALUE_DTYPES.join(", ")})`);
    }
    let stored = spec["dtype"] as string;
    const q = spec["quantization"];
    if (q !== undefined && q !== null) {
      const qd = typeof q === "object" ? (q as Record<string, unknown>)["dtype"] : undefined;
      if (!QUANTIZED_DTYPES.includes(qd as string)) {
        throw new ValueError(`${label} has unsupported "quantization.dtype" ${JSON.stringify(qd)} (supported: ${QUANTIZED_DTYPES.join(", ")})`);
      }
      for (const k of ["scale", "min"]) {
        const v = (q as Record<string, unknown>)[k];
        if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v))) throw new ValueError(`${label} has an invalid "quantization.${k}" ${JSON.stringify(v)}`);
      }
      stored = qd as string;
    }
    const b = n * STORED_BYTES.get(stored)!;
    if (!Number.isSafeInteger(b) || b > maxBytes) {
      throw new ValueError(`${label} declares shape [${shape.join(", ")}] (${Number.isSafeInteger(b) ? `${b} bytes` : "too many bytes to count"}), more than the ${maxBytes} bytes allowed (raise maxWeightBytes to load it)`);
    }
    bytes += b;
    elements += n;
    if (bytes > maxBytes) {
      throw new ValueError(`${where}: the weights manifest declares more than ${maxBytes} bytes of weights in all (exceeded at weight "${spec["name"]}"); raise maxWeightBytes to load it`);
    }
  });
  return { bytes, elements };
}
