/**
 * tf.io.decodePng / decodeJpeg / decodeImage / encodePng: PNG files written here byte by byte with
 * node:zlib (independent of the decoder under test), channel conversions, round trips, and hostile
 * files (absurd declared sizes, inflate bombs, truncation, garbage) that must fail before allocating.
 */
import { crc32, deflateSync } from "node:zlib";
import jpeg from "jpeg-js";
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "../src/index.js";
import { useHostBackend } from "./helpers/host-backend.js";

beforeAll(async () => {
  await useHostBackend();
});

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(Buffer.from(type, "latin1"), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A PNG with the given header fields and already-filtered raw scanlines. */
function png(width: number, height: number, depth: number, colour: number, raw: Uint8Array, extra: Uint8Array[] = []): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([depth, colour, 0, 0, 0], 8);
  const parts = [Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), ...extra, chunk("IDAT", deflateSync(raw)), chunk("IEND", new Uint8Array(0))];
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

/** Raw scanlines with filter type 0 from rows of bytes. */
const rows = (...rs: number[][]): Uint8Array => Uint8Array.from(rs.flatMap((r) => [0, ...r]));

const read = (t: tf.Tensor): { shape: number[]; data: number[] } => {
  const out = { shape: t.shape, data: Array.from(t.dataSync() as Int32Array) };
  t.dispose();
  return out;
};

describe("tf.io.decodePng", () => {
  const rgb = png(2, 2, 8, 2, rows([255, 0, 0, 0, 255, 0], [0, 0, 255, 10, 20, 30]));

  it("decodes RGB samples in row-major order", () => {
    expect(read(tf.io.decodePng(rgb))).toEqual({ shape: [2, 2, 3], data: [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30] });
  });

  it("converts channels as TensorFlow does", () => {
    // libpng's default weights: (6968 R + 23434 G + 2366 B + 16384) >> 15.
    expect(read(tf.io.decodePng(rgb, { channels: 1 })).data).toEqual([54, 182, 18, 19]);
    expect(read(tf.io.decodePng(rgb, { channels: 4 })).data.slice(0, 8)).toEqual([255, 0, 0, 255, 0, 255, 0, 255]);
    const grey = png(3, 1, 8, 0, rows([0, 128, 255]));
    expect(read(tf.io.decodePng(grey, { channels: 3 }))).toEqual({ shape: [1, 3, 3], data: [0, 0, 0, 128, 128, 128, 255, 255, 255] });
    const greyAlpha = png(1, 1, 8, 4, rows([77, 9]));
    expect(read(tf.io.decodePng(greyAlpha)).data).toEqual([77, 9]);
    expect(read(tf.io.decodePng(greyAlpha, { channels: 4 })).data).toEqual([77, 77, 77, 9]);
  });

  it("expands palettes (with transparency), low bit depths and keeps 16-bit samples", () => {
    const plte = chunk("PLTE", Uint8Array.from([10, 20, 30, 200, 100, 50]));
    const trns = chunk("tRNS", Uint8Array.from([255, 0]));
    // 2 pixels of 1-bit indices [1, 0] packed in one byte: 0b10000000.
    const pal = png(2, 1, 1, 3, rows([0b10000000]), [plte, trns]);
    expect(read(tf.io.decodePng(pal))).toEqual({ shape: [1, 2, 4], data: [200, 100, 50, 0, 10, 20, 30, 255] });
    const twoBit = png(4, 1, 2, 0, rows([0b00011011]));
    expect(read(tf.io.decodePng(twoBit)).data).toEqual([0, 85, 170, 255]);
    const sixteen = png(2, 1, 16, 0, rows([0x12, 0x34, 0xff, 0xfe]));
    expect(read(tf.io.decodePng(sixteen)).data).toEqual([0x1234, 0xfffe]);
  });

  it("round-trips through encodePng (8 and 16 bits, sync and async)", async () => {
    const img = tf.constant(Int32Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256), { shape: [3, 2, 4] });
    expect(read(tf.io.decodePng(tf.io.encodePng(img, { compression: 9 })))).toEqual(read(tf.identity(img)));
    const wide = tf.constant(Int32Array.of(0, 1000, 65535), { shape: [1, 3, 1] });
    expect(read(tf.io.decodePng(await tf.io.encodePngAsync(wide, { bitDepth: 16 }))).data).toEqual([0, 1000, 65535]);
    expect(read(tf.io.decodeImage(tf.io.encodePng(img))).shape).toEqual([3, 2, 4]);
    tf.dispose([img, wide]);
  });

  it("rejects hostile or broken files before allocating the image", () => {
    const before = tf.memory().numTensors;
    // 100,000 × 100,000 declared in a 60-byte file.
    const huge = png(100_000, 100_000, 8, 2, rows([1, 2, 3]));
    expect(() => tf.io.decodePng(huge)).toThrow(tf.errors.ResourceExhaustedError);
    expect(() => tf.io.decodePng(rgb, { maxPixels: 3 })).toThrow(/maxPixels/);
    // An inflate bomb: a 1 × 1 image whose data inflates to 4 MiB.
    const bomb = png(1, 1, 8, 0, new Uint8Array(4 << 20));
    expect(() => tf.io.decodePng(bomb)).toThrow(/inflates to more/);
    expect(() => tf.io.decodePng(rgb.subarray(0, 40))).toThrow(tf.errors.InvalidArgumentError);
    expect(() => tf.io.decodePng(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toThrow(/signature/);
    expect(() => tf.io.decodePng(png(0, 5, 8, 0, rows()))).toThrow(/empty image/);
    expect(() => tf.io.decodePng(png(1, 1, 3, 0, rows([0])))).toThrow(/bit depth 3/);
    const badCrc = rgb.slice();
    badCrc[rgb.length - 20] = badCrc[rgb.length - 20]! ^ 0xff;
    expect(() => tf.io.decodePng(badCrc)).toThrow(tf.errors.InvalidArgumentError);
    expect(() => tf.io.decodePng(rgb, { channels: 5 })).toThrow(tf.errors.ValueError);
    expect(() => tf.io.decodePng(rgb, { chanels: 3 } as never)).toThrow(TypeError);
    expect(() => tf.io.decodePng("abc" as never)).toThrow(tf.errors.ValueError);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("tf.io.decodeJpeg / decodeImage", () => {
  const w = 8, h = 8;
  const pixels = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) pixels.set([200, 100, 50, 255], 4 * i);
  const bytes = new Uint8Array(jpeg.encode({ width: w, height: h, data: pixels }, 100).data);

  it("decodes a flat colour within a few levels, as RGB or luma", () => {
    const { shape, data } = read(tf.io.decodeJpeg(bytes));
    expect(shape).toEqual([8, 8, 3]);
    for (let i = 0; i < data.length; i += 3) {
      expect(Math.abs(data[i]! - 200)).toBeLessThanOrEqual(3);
      expect(Math.abs(data[i + 1]! - 100)).toBeLessThanOrEqual(3);
      expect(Math.abs(data[i + 2]! - 50)).toBeLessThanOrEqual(3);
    }
    const grey = read(tf.io.decodeImage(bytes, { channels: 1 }));
    expect(grey.shape).toEqual([8, 8, 1]);
    // Y = 0.299·200 + 0.587·100 + 0.114·50 ≈ 124.
    for (const v of grey.data) expect(Math.abs(v - 124)).toBeLessThanOrEqual(3);
  });

  it("rejects hostile or broken files", () => {
    const before = tf.memory().numTensors;
    const huge = bytes.slice();
    // Rewrite the frame header's size to 60,000 × 60,000.
    for (let o = 2; o + 9 < huge.length; o++) {
      if (huge[o] === 0xff && huge[o + 1] === 0xc0) {
        huge.set([0xea, 0x60, 0xea, 0x60], o + 5);
        break;
      }
    }
    expect(() => tf.io.decodeJpeg(huge)).toThrow(tf.errors.ResourceExhaustedError);
    expect(() => tf.io.decodeJpeg(bytes.subarray(0, 200))).toThrow(tf.errors.InvalidArgumentError);
    expect(() => tf.io.decodeJpeg(Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]))).toThrow(/no frame header/);
    expect(() => tf.io.decodeJpeg(bytes, { channels: 4 })).toThrow(tf.errors.ValueError);
    expect(() => tf.io.decodeImage(Uint8Array.from([0x47, 0x49, 0x46, 0x38]))).toThrow(/unknown image format/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("tf.io.encodePng: bad input", () => {
  const ints = (v: number[], shape: number[]): tf.Tensor => tf.constant(Int32Array.from(v), { shape });
  it("checks shape, values and options", () => {
    expect(() => tf.io.encodePng(ints([0, 0, 0, 0], [2, 2]))).toThrow(tf.errors.ValueError);
    expect(() => tf.io.encodePng(ints([1, 1, 1, 1, 1], [1, 1, 5]))).toThrow(tf.errors.ValueError);
    expect(() => tf.io.encodePng(ints([256], [1, 1, 1]))).toThrow(/\[0, 255\]/);
    expect(() => tf.io.encodePng(ints([-1], [1, 1, 1]), { bitDepth: 16 })).toThrow(/\[0, 65535\]/);
    expect(() => tf.io.encodePng(tf.constant(Float32Array.of(0), { shape: [1, 1, 1] }))).toThrow(/int32/);
    expect(() => tf.io.encodePng(ints([0], [1, 1, 1]), { compression: 10 })).toThrow(tf.errors.ValueError);
  });
});
