/**
 * NumPy's `.npy` format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 * `\x93NUMPY`, a version, a header length, a Python-dict header (descr, fortran_order, shape) padded
 * to 64 bytes, then the raw elements.
 *
 * Writing: bool `|b1`, int32 `<i4`, float32 `<f4`, float64 `<f8`, complex64 `<c8`, C order, format
 * 1.0 unless the header needs 2.0 — byte for byte what `np.save` writes for the same array.
 * Reading: versions 1.0, 2.0 and 3.0, either byte order, C or Fortran order, and these descrs:
 * - `b1` → bool (any nonzero byte is true);
 * - `i1 i2 i4 u1 u2` → int32 (exact); `i8 u4 u8` → int32 when every value fits, else a ValueError
 *   (Tessera has no int64; NumPy's default integer is int64, so `np.save(np.arange(3))` loads fine);
 * - `f2 f4` → float32 (exact); `f8` → float64;
 * - `c8` → complex64; `c16` (NumPy's default complex) → complex64, rounded to float32 parts.
 * Strings, objects (pickles), structured, datetime and other dtypes are refused with a ValueError.
 */
import type { BackendValues, DType } from "../dtypes.js";
import { DtypeError, NotImplementedError, ValueError } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { nodeReadModules, readRegularFile } from "./node-files.js";
import { parsePyLiteral, pyRepr } from "./npy-header.js";
import type { PyValue } from "./npy-header.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** NumPy aligns the start of the data to this many bytes. */
const ALIGN = 64;
/** Spare header room NumPy leaves so the first dimension can grow in place (its GROWTH_AXIS_MAX_DIGITS). */
const GROWTH_DIGITS = 21;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Longest header read (NumPy's `max_header_size` default): longer ones may not be safe to parse. */
export const NPY_MAX_HEADER_BYTES = 10_000;
/** Highest rank read (NumPy's `NPY_MAXDIMS`). */
export const NPY_MAX_DIMS = 64;

const DESCR: Record<Exclude<DType, "string">, string> = {
  bool: "|b1",
  int32: "<i4",
  float32: "<f4",
  float64: "<f8",
  complex64: "<c8",
};

function fail(msg: string): never {
  throw new ValueError(`decodeNpy: ${msg}`);
}

// ------------------------------------------------------------------ encode

function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** The header block (magic through the newline), as `np.save` writes it. */
function encodeHeader(descr: string, shape: readonly number[]): Uint8Array {
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${pyShape(shape)}, }`;
  if (shape.length > 0) dict += " ".repeat(Math.max(0, GROWTH_DIGITS - String(shape[0]).length));
  // Version 1.0 stores the header length in 2 bytes, 2.0 in 4.
  for (const [major, lenBytes] of [[1, 2], [2, 4]] as const) {
    const prefix = MAGIC.length + 2 + lenBytes;
    const hlen = dict.length + 1;
    const pad = ALIGN - ((prefix + hlen) % ALIGN);
    const total = hlen + pad;
    if (lenBytes === 2 && total > 0xffff) continue;
    const out = new Uint8Array(prefix + total);
    out.set(MAGIC);
    out[6] = major;
    out[7] = 0;
    const dv = new DataView(out.buffer);
    if (lenBytes === 2) dv.setUint16(8, total, true);
    else dv.setUint32(8, total, true);
    for (let i = 0; i < dict.length; i++) out[prefix + i] = dict.charCodeAt(i);
    out.fill(0x20, prefix + dict.length, out.length - 1);
    out[out.length - 1] = 0x0a;
    return out;
  }
  throw new ValueError(`encodeNpy: header of ${dict.length} bytes is too long for the .npy format`);
}

function encodeValues(values: BackendValues, shape: readonly number[], dtype: DType): Uint8Array {
  if (dtype === "string") {
    throw new DtypeError("encodeNpy: string tensors cannot be written as .npy (supported dtypes: bool, int32, float32, float64, complex64)");
  }
  const header = encodeHeader(DESCR[dtype], shape);
  const data = values as Uint8Array | Int32Array | Float32Array | Float64Array;
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header);
  if (dtype === "bool") {
    for (let i = 0; i < data.length; i++) out[header.length + i] = data[i] ? 1 : 0;
  } else if (LITTLE_ENDIAN_HOST) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  } else {
    const dv = new DataView(out.buffer, header.length);
    for (let i = 0; i < data.length; i++) {
      if (data instanceof Int32Array) dv.setInt32(4 * i, data[i]!, true);
      else if (data instanceof Float32Array) dv.setFloat32(4 * i, data[i]!, true);
      else dv.setFloat64(8 * i, data[i]!, true);
    }
  }
  return out;
}

function withTensor<R>(x: TensorLike, fn: (t: Tensor) => R): R {
  const t = toTensor(x, "EncodeNpy");
  try {
    return fn(t);
  } finally {
    if (t !== x) t.dispose();
  }
}

/**
 * The bytes of a `.npy` file holding `x` (what `np.save` writes for the same array). Reads the tensor
 * synchronously: on WebGPU in a browser use `await tf.io.encodeNpyAsync(x)`.
 */
export function encodeNpy(x: TensorLike): Uint8Array {
  return withTensor(x, (t) => encodeValues(t.dataSync(), t.shape, t.dtype));
}

/** `encodeNpy` that reads the tensor with `await t.data()` (works on every backend, browsers included). */
export async function encodeNpyAsync(x: TensorLike): Promise<Uint8Array> {
  const t = toTensor(x, "EncodeNpy");
  try {
    return encodeValues(await t.data(), t.shape, t.dtype);
  } finally {
    if (t !== x) t.dispose();
  }
}

// ------------------------------------------------------------------ decode

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  dataOffset: number;
}

function readHeader(u8: Uint8Array): Header {
  if (u8.length < 10 || MAGIC.some((b, i) => u8[i] !== b)) {
    const head = Array.from(u8.subarray(0, 6), (b) => b.toString(16).padStart(2, "0")).join(" ");
    fail(`not a .npy file: it must start with the bytes 93 4e 55 4d 50 59 ("\\x93NUMPY"), got ${head || "an empty file"}${u8.length < 10 && u8.length >= 6 ? " and is too short" : ""}`);
  }
  const major = u8[6]!;
  const minor = u8[7]!;
  if (minor !== 0 || major < 1 || major > 3) fail(`unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
  const lenBytes = major === 1 ? 2 : 4;
  if (u8.length < 8 + lenBytes) fail(`truncated file: the header length field needs ${8 + lenBytes} bytes, the file has ${u8.length}`);
  const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const hlen = lenBytes === 2 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = 8 + lenBytes;
  if (hlen > NPY_MAX_HEADER_BYTES) fail(`the header declares ${hlen} bytes, more than the ${NPY_MAX_HEADER_BYTES} NumPy reads by default; it is not a safe .npy file`);
  if (u8.length < start + hlen) fail(`truncated header: it declares ${hlen} bytes, but the file has only ${u8.length - start} after the length field`);
  const raw = u8.subarray(start, start + hlen);
  // Versions 1.0 and 2.0 are latin1; 3.0 is UTF-8.
  let text: string;
  if (major === 3) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
    } catch {
      fail("the header is not valid UTF-8");
    }
  } else {
    text = "";
    for (let i = 0; i < raw.length; i++) text += String.fromCharCode(raw[i]!);
  }
  let parsed: PyValue;
  try {
    parsed = parsePyLiteral(text);
  } catch (err) {
    fail(`cannot parse the header ${JSON.stringify(text.trimEnd())}: ${(err as Error).message}`);
  }
  if (parsed.kind !== "dict") fail(`the header is not a dictionary: ${pyRepr(parsed)}`);
  const fields = new Map<string, PyValue>();
  for (const [k, v] of parsed.entries) {
    if (k.kind !== "str") fail(`the header has a non-string key ${pyRepr(k)}`);
    fields.set(k.value, v);
  }
  const keys = [...fields.keys()].sort();
  if (keys.join() !== "descr,fortran_order,shape") {
    fail(`the header must have exactly the keys 'descr', 'fortran_order' and 'shape', got ${keys.map((k) => `'${k}'`).join(", ") || "none"}`);
  }
  const descr = fields.get("descr")!;
  const fortran = fields.get("fortran_order")!;
  const shape = fields.get("shape")!;
  if (descr.kind !== "str") {
    fail(`descr ${pyRepr(descr)} is a structured dtype; only plain numeric and bool arrays are supported`);
  }
  if (fortran.kind !== "bool") fail(`fortran_order is not True or False: ${pyRepr(fortran)}`);
  if (shape.kind !== "tuple" || shape.items.some((d) => d.kind !== "int" || d.value < 0 || !Number.isSafeInteger(d.value))) {
    fail(`shape is not a tuple of non-negative integers: ${pyRepr(shape)}`);
  }
  if (shape.items.length > NPY_MAX_DIMS) fail(`shape has ${shape.items.length} dimensions, more than the ${NPY_MAX_DIMS} NumPy allows`);
  return {
    descr: descr.value,
    fortranOrder: fortran.value,
    shape: shape.items.map((d) => (d as { value: number }).value),
    dataOffset: start + hlen,
  };
}

interface ElementType {
  kind: "b" | "i" | "u" | "f" | "c";
  bytes: number;
  little: boolean;
  dtype: Exclude<DType, "string">;
}

const SUPPORTED = "b1, i1, i2, i4, i8, u1, u2, u4, u8, f2, f4, f8, c8, c16";

function parseDescr(descr: string): ElementType {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  const letter = /^[<>|=]?([a-zA-Z])/.exec(descr)?.[1];
  const kinds: Record<string, { sizes: number[]; dtype: (n: number) => Exclude<DType, "string"> }> = {
    b: { sizes: [1], dtype: () => "bool" },
    i: { sizes: [1, 2, 4, 8], dtype: () => "int32" },
    u: { sizes: [1, 2, 4, 8], dtype: () => "int32" },
    f: { sizes: [2, 4, 8], dtype: (n) => (n === 8 ? "float64" : "float32") },
    c: { sizes: [8, 16], dtype: () => "complex64" },
  };
  const k = m && kinds[m[2]!];
  const bytes = m ? Number(m[3]) : 0;
  if (!m || !k || !k.sizes.includes(bytes)) {
    const what =
      letter === "U" || letter === "S" ? " (string arrays are not supported)" : letter === "O" ? " (object arrays are pickles and are not supported)" : "";
    fail(`unsupported dtype descr '${descr}'${what}; supported: ${SUPPORTED}, either byte order`);
  }
  // '=' is the reading machine's order; NumPy writes '<', '>' or '|' itself.
  const little = m[1] === ">" ? false : m[1] === "=" ? LITTLE_ENDIAN_HOST : true;
  return { kind: m[2] as ElementType["kind"], bytes, little, dtype: k.dtype(bytes) };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Converts `n` elements at the start of `dv` to Tessera's storage for `et.dtype`. */
function convertElements(dv: DataView, n: number, et: ElementType): BackendValues {
  const { kind, bytes, little } = et;
  switch (kind) {
    case "b": {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getUint8(i) !== 0 ? 1 : 0;
      return out;
    }
    case "i":
    case "u": {
      const out = new Int32Array(n);
      const tooBig = (v: number | bigint, i: number): never =>
        fail(`${kind === "u" ? "uint" : "int"}${bytes * 8} value ${v} at flat index ${i} does not fit in int32 (Tessera has no ${bytes * 8}-bit integer dtype)`);
      for (let i = 0; i < n; i++) {
        const o = i * bytes;
        if (bytes === 1) out[i] = kind === "i" ? dv.getInt8(o) : dv.getUint8(o);
        else if (bytes === 2) out[i] = kind === "i" ? dv.getInt16(o, little) : dv.getUint16(o, little);
        else if (bytes === 4) {
          if (kind === "i") out[i] = dv.getInt32(o, little);
          else {
            const v = dv.getUint32(o, little);
            if (v > 0x7fffffff) tooBig(v, i);
            out[i] = v;
          }
        } else {
          const v = kind === "i" ? dv.getBigInt64(o, little) : dv.getBigUint64(o, little);
          if (v > 2147483647n || v < -2147483648n) tooBig(v, i);
          out[i] = Number(v);
        }
      }
      return out;
    }
    case "f": {
      if (bytes === 8) {
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = dv.getFloat64(8 * i, little);
        return out;
      }
      const out = new Float32Array(n);
      if (bytes === 4) for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i, little);
      else for (let i = 0; i < n; i++) out[i] = halfToFloat(dv.getUint16(2 * i, little));
      return out;
    }
    case "c": {
      const out = new Float32Array(2 * n);
      const part = bytes / 2;
      for (let i = 0; i < 2 * n; i++) out[i] = part === 4 ? dv.getFloat32(4 * i, little) : dv.getFloat64(8 * i, little);
      return out;
    }
  }
}

/** Reorders column-major storage (`slots` values per element) into row-major. */
function fortranToC(values: BackendValues, shape: readonly number[], slots: number): BackendValues {
  const rank = shape.length;
  if (rank < 2) return values;
  const src = values as Float64Array;
  const out = new (src.constructor as { new (n: number): Float64Array })(src.length);
  const n = src.length / slots;
  // Column-major strides of each axis.
  const fstride = new Array<number>(rank);
  let acc = 1;
  for (let d = 0; d < rank; d++) {
    fstride[d] = acc;
    acc *= shape[d]!;
  }
  const idx = new Array<number>(rank).fill(0);
  let f = 0;
  for (let c = 0; c < n; c++) {
    for (let s = 0; s < slots; s++) out[c * slots + s] = src[f * slots + s]!;
    // Advance the row-major index (last axis fastest), keeping the column-major offset in step.
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) {
        f += fstride[d]!;
        break;
      }
      f -= (shape[d]! - 1) * fstride[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

/** The bytes of a `.npy` file as a tensor. Corrupt or truncated input throws a ValueError saying what is wrong. */
export function decodeNpy(bytes: Uint8Array | ArrayBuffer | ArrayBufferView): Tensor {
  let u8: Uint8Array;
  if (bytes instanceof Uint8Array) u8 = bytes;
  else if (bytes instanceof ArrayBuffer) u8 = new Uint8Array(bytes);
  else if (ArrayBuffer.isView(bytes)) u8 = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  else throw new ValueError(`decodeNpy: expected a Uint8Array, ArrayBuffer or typed array, got ${bytes === null ? "null" : typeof bytes}`);
  const h = readHeader(u8);
  const et = parseDescr(h.descr);
  let n = 1;
  let nonzero = et.bytes;
  for (const d of h.shape) {
    n *= d;
    if (d > 0) nonzero *= d;
  }
  // NumPy refuses a shape whose size overflows even when another dimension is 0.
  if (!Number.isSafeInteger(nonzero)) fail(`array is too big: shape ${pyShape(h.shape)} of '${h.descr}' has more than 2**53 - 1 bytes`);
  const need = n * et.bytes;
  const have = u8.length - h.dataOffset;
  if (have < need) {
    fail(`truncated data: shape ${pyShape(h.shape)} of '${h.descr}' needs ${need} bytes, the file has ${have}`);
  }
  const dv = new DataView(u8.buffer, u8.byteOffset + h.dataOffset, need);
  let values = convertElements(dv, n, et);
  if (h.fortranOrder) values = fortranToC(values, h.shape, et.dtype === "complex64" ? 2 : 1);
  return ENGINE.upload(values, h.shape, et.dtype);
}

// ------------------------------------------------------------------ files (Node)

type Fs = { readFile(p: string | URL): Promise<Uint8Array>; writeFile(p: string | URL, data: Uint8Array): Promise<void> };

async function nodeFs(fn: string): Promise<Fs> {
  const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string";
  if (isNode) {
    // A computed specifier keeps browser bundlers from trying to resolve a Node built-in.
    const spec = "node:fs/promises";
    try {
      return (await import(/* @vite-ignore */ /* webpackIgnore: true */ spec)) as Fs;
    } catch {
      // fall through to the error below
    }
  }
  throw new NotImplementedError(
    `tf.io.${fn} needs Node's file system; in a browser use tf.io.encodeNpy / tf.io.decodeNpy on bytes (e.g. from fetch or a download link)`,
  );
}

/** Writes `x` to a `.npy` file at `path` (Node only); `np.load(path)` reads it. */
export async function saveNpy(path: string | URL, x: TensorLike): Promise<void> {
  const fs = await nodeFs("saveNpy");
  await fs.writeFile(path, await encodeNpyAsync(x));
}

/**
 * Reads a `.npy` file (Node only), e.g. one written by `np.save`. Only a regular file is read (a pipe
 * or device is refused rather than waited on or read without end).
 */
export async function loadNpy(path: string | URL): Promise<Tensor> {
  await nodeFs("loadNpy");
  const { fs } = await nodeReadModules("tf.io.loadNpy");
  return decodeNpy(await readRegularFile(fs, path, Number.MAX_SAFE_INTEGER, `The .npy file ${String(path)}`));
}
