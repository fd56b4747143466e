/**
 * `tf.io.decodePng`, `decodeJpeg`, `decodeImage`, `encodePng` (and `encodePngAsync`) over byte
 * arrays, through `fast-png` and `jpeg-js` (pure-JavaScript codecs, so they run in browsers too).
 *
 * Image bytes are untrusted input: before a decoder runs, the header's declared width × height is
 * checked against `maxPixels`, and for PNG the compressed stream is inflated once in a bounded pass
 * that stops as soon as it produces more bytes than the declared size needs (a "zip bomb" never gets
 * the decoder to allocate more). Corrupt bytes raise `InvalidArgumentError`, oversized images
 * `ResourceExhaustedError`; nothing is allocated for them.
 */
import { Unzlib } from "fflate";
import { convertIndexedToRgb, decode as decodePngBytes, encode as encodePngBytes } from "fast-png";
import jpeg from "jpeg-js";
import { ENGINE } from "../engine/engine.js";
import { InvalidArgumentError, ResourceExhaustedError, ValueError, opMessage } from "../errors.js";
import { checkOptions, optionKeys } from "../options.js";
import { formatShapeTuple } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";

/** Options of the image decoders. */
export interface DecodeImageOptions {
  /** Colour channels of the result: 0 (default: as stored), 1 (grayscale), 3 (RGB), and for PNG also 2 and 4 (with alpha). */
  channels?: number;
  /** Largest width × height accepted, checked from the header before decoding (default 2²⁶ = 67,108,864). */
  maxPixels?: number;
}
const DECODE_KEYS = optionKeys<DecodeImageOptions>()("channels", "maxPixels");

/** Options of `tf.io.encodePng`. */
export interface EncodePngOptions {
  /** zlib level 0–9, or −1 for the default (6). */
  compression?: number;
  /** 8 (default; values 0–255) or 16 (values 0–65535). */
  bitDepth?: 8 | 16;
}
const ENCODE_KEYS = optionKeys<EncodePngOptions>()("compression", "bitDepth");

const DEFAULT_MAX_PIXELS = 2 ** 26;

function bytesOf(contents: Uint8Array | ArrayBuffer, op: string): Uint8Array {
  if (contents instanceof Uint8Array) return contents;
  if (contents instanceof ArrayBuffer) return new Uint8Array(contents);
  throw new ValueError(opMessage(op, "contents must be a Uint8Array or an ArrayBuffer of the file's bytes"));
}

function decodeArgs(op: string, options: DecodeImageOptions, allowed: readonly number[]): { channels: number; maxPixels: number } {
  checkOptions(op, options, DECODE_KEYS);
  const channels = options.channels ?? 0, maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!allowed.includes(channels)) throw new ValueError(opMessage(op, `channels must be one of ${allowed.join(", ")}, got ${String(channels)}`));
  if (typeof maxPixels !== "number" || !Number.isInteger(maxPixels) || maxPixels < 1) throw new ValueError(opMessage(op, `maxPixels must be a positive integer, got ${String(maxPixels)}`));
  return { channels, maxPixels };
}

function checkSize(op: string, width: number, height: number, maxPixels: number): void {
  if (width < 1 || height < 1) throw new InvalidArgumentError(opMessage(op, `the header declares an empty image (${width} × ${height})`));
  if (width * height > maxPixels) {
    throw new ResourceExhaustedError(opMessage(op, `the header declares ${width} × ${height} pixels, more than maxPixels (${maxPixels}); pass a larger maxPixels to decode it`));
  }
}

/** Converts interleaved pixels between channel counts as TensorFlow's decoders do (alpha = `max`, grey from `luma`). */
function convertChannels(src: ArrayLike<number>, pixels: number, from: number, to: number, max: number, luma: (r: number, g: number, b: number) => number): Int32Array {
  const out = new Int32Array(pixels * to);
  for (let p = 0; p < pixels; p++) {
    const s = p * from;
    const hasColour = from >= 3;
    const r = src[s]!, g = hasColour ? src[s + 1]! : r, b = hasColour ? src[s + 2]! : r;
    const a = from === 2 ? src[s + 1]! : from === 4 ? src[s + 3]! : max;
    const grey = hasColour ? luma(r, g, b) : r;
    const o = p * to;
    if (to === 1) out[o] = grey;
    else if (to === 2) { out[o] = grey; out[o + 1] = a; }
    else {
      out[o] = r; out[o + 1] = g; out[o + 2] = b;
      if (to === 4) out[o + 3] = a;
    }
  }
  return out;
}

// ---------------------------------------------------------------- PNG

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

const u32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) >>> 0) + (b[o + 1]! << 16) + (b[o + 2]! << 8) + b[o + 3]!;
const isPng = (b: Uint8Array): boolean => b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v);

/** Reads the IHDR chunk and checks the declared size; then inflates the IDAT stream with a budget. */
function checkPng(b: Uint8Array, op: string, maxPixels: number): void {
  if (!isPng(b)) throw new InvalidArgumentError(opMessage(op, "not a PNG file: the signature is missing"));
  if (b.length < 33 || u32(b, 8) !== 13 || String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!) !== "IHDR") {
    throw new InvalidArgumentError(opMessage(op, "corrupt PNG: the IHDR chunk is missing"));
  }
  const width = u32(b, 16), height = u32(b, 20), depth = b[24]!, colour = b[25]!, interlace = b[28]!;
  checkSize(op, width, height, maxPixels);
  const channels = PNG_CHANNELS[colour];
  if (channels === undefined || ![1, 2, 4, 8, 16].includes(depth)) throw new InvalidArgumentError(opMessage(op, `corrupt PNG: colour type ${colour} with bit depth ${depth}`));
  // Raw size of the filtered scanlines (Adam7 adds at most a filter byte and a partial byte per pass row).
  const rowBytes = Math.ceil((width * channels * depth) / 8);
  let budget = height * (rowBytes + 1);
  if (interlace === 1) budget += 7 * (height + 8) * 2;
  let produced = 0;
  const inflater = new Unzlib((chunk) => {
    produced += chunk.length;
    if (produced > budget) throw new InvalidArgumentError(opMessage(op, `corrupt PNG: the image data inflates to more than the ${width} × ${height} image it declares`));
  });
  let offset = 8;
  try {
    while (offset + 12 <= b.length) {
      const len = u32(b, offset), type = String.fromCharCode(b[offset + 4]!, b[offset + 5]!, b[offset + 6]!, b[offset + 7]!);
      if (offset + 12 + len > b.length) throw new InvalidArgumentError(opMessage(op, `corrupt PNG: the ${type} chunk runs past the end of the data`));
      if (type === "IDAT") inflater.push(b.subarray(offset + 8, offset + 8 + len), false);
      if (type === "IEND") break;
      offset += 12 + len;
    }
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw e;
    throw new InvalidArgumentError(opMessage(op, `corrupt PNG: ${(e as Error).message}`));
  }
}

/** Unpacks 1-, 2- or 4-bit greyscale rows to 8 bits, scaling to 0–255 as libpng does. */
function unpackBits(data: ArrayLike<number>, width: number, height: number, depth: number): Uint8Array {
  const out = new Uint8Array(width * height), rowBytes = Math.ceil((width * depth) / 8), max = (1 << depth) - 1;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const bit = x * depth, byte = data[y * rowBytes + (bit >> 3)]!;
    const v = (byte >> (8 - depth - (bit & 7))) & max;
    out[y * width + x] = Math.round((v * 255) / max);
  }
  return out;
}

/** libpng's default RGB → grey weights (sRGB/Rec. 709 in 1/32768ths). */
const pngLuma = (r: number, g: number, b: number): number => Math.floor((6968 * r + 23434 * g + 2366 * b + 16384) / 32768);

function pngToTensor(b: Uint8Array, op: string, channels: number, maxPixels: number): Tensor {
  checkPng(b, op, maxPixels);
  let png;
  try {
    png = decodePngBytes(b, { checkCrc: true });
  } catch (e) {
    throw new InvalidArgumentError(opMessage(op, `corrupt PNG: ${(e as Error).message}`));
  }
  const { width, height } = png;
  let data: ArrayLike<number> = png.data, native = png.channels, max = png.depth === 16 ? 65535 : 255;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    native = data.length / (width * height);
    max = 255;
  } else if (png.depth < 8) data = unpackBits(png.data, width, height, png.depth);
  if (data.length !== width * height * native) throw new InvalidArgumentError(opMessage(op, "corrupt PNG: the image data is shorter than its header declares"));
  const to = channels === 0 ? native : channels;
  return ENGINE.upload(convertChannels(data, width * height, native, to, max, pngLuma), [height, width, to], "int32");
}

/**
 * Decodes a PNG file's bytes to an int32 tensor [height, width, channels] of its samples (0–255, or
 * 0–65535 for 16-bit files); palette images become RGB(A), 1/2/4-bit greys are scaled to 0–255.
 * `tf.io.decodePng` (TF2 takes a string tensor and gives uint8/uint16).
 */
export function decodePng(contents: Uint8Array | ArrayBuffer, options: DecodeImageOptions = {}): Tensor {
  const op = "DecodePng";
  const { channels, maxPixels } = decodeArgs(op, options, [0, 1, 2, 3, 4]);
  return pngToTensor(bytesOf(contents, op), op, channels, maxPixels);
}

// ---------------------------------------------------------------- JPEG

/** Width, height and component count from the first start-of-frame marker. */
function jpegHeader(b: Uint8Array, op: string): { width: number; height: number; components: number } {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) throw new InvalidArgumentError(opMessage(op, "not a JPEG file: the SOI marker is missing"));
  let o = 2;
  while (o + 4 <= b.length) {
    if (b[o] !== 0xff) throw new InvalidArgumentError(opMessage(op, `corrupt JPEG: expected a marker at byte ${o}`));
    const marker = b[o + 1]!;
    if (marker === 0xff) { o++; continue; }
    const len = (b[o + 2]! << 8) + b[o + 3]!;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (o + 10 > b.length) break;
      return { height: (b[o + 5]! << 8) + b[o + 6]!, width: (b[o + 7]! << 8) + b[o + 8]!, components: b[o + 9]! };
    }
    if (marker === 0xd9 || marker === 0xda) break;
    o += 2 + len;
  }
  throw new InvalidArgumentError(opMessage(op, "corrupt JPEG: no frame header before the image data"));
}

/** libjpeg's RGB → Y (Rec. 601) in 1/65536ths. */
const jpegLuma = (r: number, g: number, b: number): number => (19595 * r + 38470 * g + 7471 * b + 32768) >> 16;

function jpegToTensor(b: Uint8Array, op: string, channels: number, maxPixels: number): Tensor {
  const { width, height, components } = jpegHeader(b, op);
  checkSize(op, width, height, maxPixels);
  let img;
  try {
    img = jpeg.decode(b, {
      useTArray: true, formatAsRGBA: false, tolerantDecoding: false,
      maxResolutionInMP: maxPixels / 1e6, maxMemoryUsageInMB: Math.max(64, Math.ceil((maxPixels * 12) / 2 ** 20)),
    });
  } catch (e) {
    throw new InvalidArgumentError(opMessage(op, `corrupt JPEG: ${(e as Error).message}`));
  }
  if (img.width !== width || img.height !== height) throw new InvalidArgumentError(opMessage(op, "corrupt JPEG: the frame size changed while decoding"));
  const native = components === 1 ? 1 : 3;
  const to = channels === 0 ? native : channels;
  // jpeg-js always gives RGB: a grey image has equal channels, so "from 3" with luma of equal values is exact.
  const rgbTo = to === 1 && native === 1 ? (r: number): number => r : jpegLuma;
  return ENGINE.upload(convertChannels(img.data, width * height, 3, to, 255, rgbTo), [height, width, to], "int32");
}

/**
 * Decodes a baseline or progressive JPEG file's bytes to an int32 tensor [height, width, channels]
 * (0–255): channels 0 keeps the file's (1 for greyscale, else 3), 1 converts to luma, 3 to RGB.
 * Values can differ by a few levels from libjpeg's (another IDCT and upsampling). `tf.io.decodeJpeg`.
 */
export function decodeJpeg(contents: Uint8Array | ArrayBuffer, options: DecodeImageOptions = {}): Tensor {
  const op = "DecodeJpeg";
  const { channels, maxPixels } = decodeArgs(op, options, [0, 1, 3]);
  return jpegToTensor(bytesOf(contents, op), op, channels, maxPixels);
}

/**
 * Decodes PNG or JPEG bytes, chosen by the file's signature, as `decodePng` / `decodeJpeg` do
 * (GIF and BMP are not supported). `tf.io.decodeImage`.
 */
export function decodeImage(contents: Uint8Array | ArrayBuffer, options: DecodeImageOptions = {}): Tensor {
  const op = "DecodeImage";
  const b = bytesOf(contents, op);
  if (isPng(b)) {
    const { channels, maxPixels } = decodeArgs(op, options, [0, 1, 2, 3, 4]);
    return pngToTensor(b, op, channels, maxPixels);
  }
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xd8) {
    const { channels, maxPixels } = decodeArgs(op, options, [0, 1, 3]);
    return jpegToTensor(b, op, channels, maxPixels);
  }
  throw new InvalidArgumentError(opMessage(op, "unknown image format: expected PNG or JPEG bytes"));
}

// ---------------------------------------------------------------- encoding

function encodeArgs(image: TensorLike, options: EncodePngOptions, op: string): { t: Tensor; level: number; depth: 8 | 16 } {
  checkOptions(op, options, ENCODE_KEYS);
  const compression = options.compression ?? -1, depth = options.bitDepth ?? 8;
  if (!Number.isInteger(compression) || compression < -1 || compression > 9) throw new ValueError(opMessage(op, `compression must be an integer in [-1, 9], got ${String(compression)}`));
  if (depth !== 8 && depth !== 16) throw new ValueError(opMessage(op, `bitDepth must be 8 or 16, got ${String(depth)}`));
  const t = toTensor(image, op, "int32");
  if (t.rank !== 3 || t.shape[2]! < 1 || t.shape[2]! > 4 || t.shape[0] === 0 || t.shape[1] === 0) {
    if (t !== image) t.dispose();
    throw new ValueError(opMessage(op, `image must be [height, width, 1–4 channels] and non-empty, got shape ${formatShapeTuple(t.shape)}`));
  }
  if (t.dtype !== "int32") {
    if (t !== image) t.dispose();
    throw new ValueError(opMessage(op, `image must be int32, got ${t.dtype}`));
  }
  return { t, level: compression === -1 ? 6 : compression, depth };
}

function encodeValues(values: Int32Array, shape: readonly number[], level: number, depth: 8 | 16, op: string): Uint8Array {
  const max = depth === 8 ? 255 : 65535;
  for (const v of values) if (v < 0 || v > max) throw new ValueError(opMessage(op, `image values must be in [0, ${max}] for bitDepth ${depth}, got ${v}`));
  const data = depth === 8 ? Uint8Array.from(values) : Uint16Array.from(values);
  return encodePngBytes({ width: shape[1]!, height: shape[0]!, channels: shape[2]!, depth, data }, { zlib: { level: level as 0 } });
}

/**
 * Encodes an int32 image [height, width, channels] (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA; values
 * 0–255, or 0–65535 with `bitDepth: 16`) as PNG bytes. Reads the image synchronously (see
 * `encodePngAsync`). `tf.io.encodePng`.
 */
export function encodePng(image: TensorLike, options: EncodePngOptions = {}): Uint8Array {
  const op = "EncodePng";
  const { t, level, depth } = encodeArgs(image, options, op);
  try {
    return encodeValues(t.dataSync() as Int32Array, t.shape, level, depth, op);
  } finally {
    if (t !== image) t.dispose();
  }
}

/** `encodePng` reading the image with `await data()` (works where a backend cannot read synchronously). */
export async function encodePngAsync(image: TensorLike, options: EncodePngOptions = {}): Promise<Uint8Array> {
  const op = "EncodePng";
  const { t, level, depth } = encodeArgs(image, options, op);
  try {
    return encodeValues((await t.data()) as Int32Array, t.shape, level, depth, op);
  } finally {
    if (t !== image) t.dispose();
  }
}
