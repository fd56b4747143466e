/**
 * `tf.image` ops that sample images at computed positions — cropAndResize, transform,
 * rotateWithOffset, extractPatches — against float64 references written from TensorFlow's kernels
 * (TensorFlow.js's for rotateWithOffset), plus bad arguments.
 */
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { valuesFor } from "../arbitraries.js";
import type { Expected } from "../compare.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { evalOp, expectOpError, host } from "../host.js";
import { build, describeOpCases, FLOATS, fc, num, opCase } from "./ops-harness.js";

const f32 = Math.fround;

/** A [batch, height, width, channels] host image's value (with a fill outside). */
function reader(x: HostTensor): (b: number, y: number, xx: number, c: number, fill: number) => number {
  const [, h, w, ch] = x.shape as [number, number, number, number];
  const v = num(x);
  return (b, y, xx, c, fill) => (y >= 0 && y < h && xx >= 0 && xx < w ? v[((b * h + y) * w + xx) * ch + c]! : fill);
}

const imageArb = (d: DType, maxB = 2) => fc.tuple(fc.integer({ min: 1, max: maxB }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 2 }))
  .chain(([b, h, w, c]) => valuesFor(d, [b, h, w, c], { min: -10, max: 10, special: false }));

// ---------------------------------------------------------------- cropAndResize

interface CropP { boxes: number[]; ind: number[]; size: [number, number]; method: "bilinear" | "nearest"; extrapolationValue: number }

function cropRef(x: HostTensor, p: CropP): Expected {
  const [, h, w, c] = x.shape as [number, number, number, number];
  const read = reader(x);
  const [ch, cw] = p.size;
  const n = p.ind.length;
  const dtype = x.dtype === "int32" ? "float32" : x.dtype;
  const coord = (a: number, b: number, i: number, crop: number, size: number): number =>
    crop > 1 ? f32(f32(a * (size - 1)) + f32(i * f32(f32(f32(b - a) * (size - 1)) / (crop - 1)))) : f32(f32(0.5 * f32(a + b)) * (size - 1));
  const out = build(dtype, [n, ch, cw, c], ([i, y, xx, k]) => {
    const [y1, x1, y2, x2] = p.boxes.slice(4 * i!, 4 * i! + 4) as [number, number, number, number];
    const b = p.ind[i!]!;
    const inY = coord(y1, y2, y!, ch, h), inX = coord(x1, x2, xx!, cw, w);
    if (inY < 0 || inY > h - 1 || inX < 0 || inX > w - 1) return p.extrapolationValue;
    if (p.method === "nearest") return read(b, Math.round(inY), Math.round(inX), k!, 0);
    const top = Math.floor(inY), bottom = Math.ceil(inY), left = Math.floor(inX), right = Math.ceil(inX);
    const yl = inY - top, xl = inX - left;
    const tl = read(b, top, left, k!, 0), tr = read(b, top, right, k!, 0), bl = read(b, bottom, left, k!, 0), br = read(b, bottom, right, k!, 0);
    const t = tl + (tr - tl) * xl, bo = bl + (br - bl) * xl;
    return t + (bo - t) * yl;
  });
  return { ...out, scale: out.data.map(() => 40) };
}

const coordArb = fc.double({ min: -0.3, max: 1.3, noNaN: true }).map(f32);
const cropAndResize = opCase<CropP>({
  name: "image.cropAndResize", dtypes: [...FLOATS, "int32"], kernels: ["Gather", "Mul", "Sum"], tolOf: "Mul",
  arb: (d) => imageArb(d).chain((x) => fc.record({
    xs: fc.constant([x]),
    p: fc.integer({ min: 0, max: 3 }).chain((n) => fc.record({
      boxes: fc.array(coordArb, { minLength: 4 * n, maxLength: 4 * n }),
      ind: fc.array(fc.integer({ min: 0, max: x.shape[0]! - 1 }), { minLength: n, maxLength: n }),
      size: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
      method: fc.constantFrom<"bilinear" | "nearest">("bilinear", "nearest"),
      extrapolationValue: fc.constantFrom(0, -1.5),
    })),
  })),
  run: ([x], p) => tf.image.cropAndResize(x!, tf.constant(Float32Array.from(p.boxes), { shape: [p.ind.length, 4] }), tf.constant(Int32Array.from(p.ind)), p.size, { method: p.method, extrapolationValue: p.extrapolationValue }),
  ref: ([x], p) => cropRef(x!, p),
  show: (p) => JSON.stringify(p),
});

// ---------------------------------------------------------------- transform

type Mode = "constant" | "reflect" | "wrap" | "nearest";
interface TransformP { t: number[]; interpolation: "nearest" | "bilinear"; fillMode: Mode; fillValue: number; out?: [number, number] }

/** TensorFlow's map_coordinate, written from its definition (reflect about the edge pixel, wrap with period len). */
function mapRef(x: number, len: number, mode: Mode): number {
  const clamp = (v: number): number => Math.min(Math.max(v, 0), len - 1);
  if (mode === "constant") return x;
  if (mode === "nearest" || len <= 1) return mode === "nearest" ? clamp(x) : x < 0 || x > len - 1 ? 0 : x;
  if (mode === "reflect") {
    if (x >= 0 && x <= len - 1) return x;
    const period = 2 * len;
    let v = x;
    if (v < 0) {
      if (v < period) v += period * Math.trunc(-v / period);
      v = v < -len ? v + period : -v - 1;
    } else {
      v -= period * Math.trunc(v / period);
      if (v >= len) v = period - v - 1;
    }
    return clamp(v);
  }
  if (x < 0) return clamp(x + len * (Math.trunc(-x / (len - 1)) + 1));
  if (x > len - 1) return clamp(x - len * Math.trunc(x / (len - 1)));
  return x;
}

function transformRef(x: HostTensor, p: TransformP): Expected {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const read = reader(x);
  const [oh, ow] = p.out ?? [h, w];
  const round = (v: number): number => Math.sign(v) * Math.round(Math.abs(v));
  const out = build(x.dtype, [b, oh, ow, c], ([bi, y, xx, k]) => {
    const t = p.t.length === 8 ? p.t : p.t.slice(8 * bi!, 8 * bi! + 8);
    const proj = t[6]! * xx! + t[7]! * y! + 1;
    if (proj === 0) return p.fillValue;
    const inX = mapRef((t[0]! * xx! + t[1]! * y! + t[2]!) / proj, w, p.fillMode);
    const inY = mapRef((t[3]! * xx! + t[4]! * y! + t[5]!) / proj, h, p.fillMode);
    if (p.interpolation === "nearest") return read(bi!, round(inY), round(inX), k!, p.fillValue);
    const y0 = Math.floor(inY), x0 = Math.floor(inX);
    const top = (x0 + 1 - inX) * read(bi!, y0, x0, k!, p.fillValue) + (inX - x0) * read(bi!, y0, x0 + 1, k!, p.fillValue);
    const bottom = (x0 + 1 - inX) * read(bi!, y0 + 1, x0, k!, p.fillValue) + (inX - x0) * read(bi!, y0 + 1, x0 + 1, k!, p.fillValue);
    return (y0 + 1 - inY) * top + (inY - y0) * bottom;
  });
  return { ...out, scale: out.data.map(() => 40) };
}

const affineArb = fc.tuple(fc.double({ min: -1.5, max: 1.5, noNaN: true }), fc.double({ min: -1.5, max: 1.5, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }))
  .map((v) => v.map(f32));
const rowArb = fc.tuple(affineArb, affineArb, fc.constantFrom([0, 0], [0.05, -0.03])).map(([a, b, c]) => [...a, ...b, ...c.map(f32)]);
const transform = opCase<TransformP>({
  name: "image.transform", dtypes: [...FLOATS, "int32"], kernels: ["Gather"], tolOf: "Mul",
  arb: (d) => imageArb(d).chain((x) => fc.record({
    xs: fc.constant([x]),
    p: fc.record({
      t: fc.oneof(rowArb, fc.array(rowArb, { minLength: x.shape[0]!, maxLength: x.shape[0]! }).map((rows) => rows.flat())),
      interpolation: d === "int32" ? fc.constant<"nearest">("nearest") : fc.constantFrom<"nearest" | "bilinear">("nearest", "bilinear"),
      fillMode: fc.constantFrom<Mode>("constant", "reflect", "wrap", "nearest"),
      fillValue: fc.constantFrom(0, 3),
      out: fc.option(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })), { nil: undefined }),
    }),
  })),
  run: ([x], p) => tf.image.transform(x!, tf.constant(Float32Array.from(p.t), { shape: p.t.length === 8 ? [1, 8] : [p.t.length / 8, 8] }), {
    interpolation: p.interpolation, fillMode: p.fillMode, fillValue: p.fillValue, ...(p.out ? { outputShape: p.out } : {}),
  }),
  ref: ([x], p) => transformRef(x!, p),
  show: (p) => JSON.stringify(p),
});

// ---------------------------------------------------------------- rotateWithOffset

interface RotP { radians: number; fill: number | number[]; center: number | [number, number] }
const rotateWithOffset = opCase<RotP>({
  name: "image.rotateWithOffset", dtypes: [...FLOATS, "int32"], kernels: ["Gather", "Where"], tolOf: "Mul",
  arb: (d) => fc.record({
    xs: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom(1, 3))
      .chain(([b, h, w, c]) => valuesFor(d, [b, h, w, c], { min: -10, max: 10, special: false })).map((x) => [x]),
    p: fc.record({
      radians: fc.constantFrom(0, 0.7, Math.PI / 2, -2.1, Math.PI),
      fill: fc.constantFrom<number | number[]>(0, 5, [1, 2, 3]),
      center: fc.constantFrom<number | [number, number]>(0.5, 0.2, [0.3, 0.8]),
    }),
  }),
  run: ([x], p) => tf.image.rotateWithOffset(x!, p.radians, { fillValue: x!.shape[3] === 1 && Array.isArray(p.fill) ? 7 : p.fill, center: p.center }),
  ref: ([x], p) => {
    const [b, h, w, c] = x!.shape as [number, number, number, number];
    const read = reader(x!);
    const fill = c === 1 && Array.isArray(p.fill) ? 7 : p.fill;
    const [fx, fy] = typeof p.center === "number" ? [p.center, p.center] : p.center;
    const cx = w * fx, cy = h * fy, sin = Math.sin(p.radians), cos = Math.cos(p.radians);
    return build(x!.dtype, [b, h, w, c], ([bi, y, xx, k]) => {
      const sx = Math.round((xx! - cx) * cos - (y! - cy) * sin + cx), sy = Math.round((xx! - cx) * sin + (y! - cy) * cos + cy);
      return read(bi!, sy, sx, k!, typeof fill === "number" ? fill : fill[k!]!);
    });
  },
  show: (p) => JSON.stringify(p),
});

// ---------------------------------------------------------------- extractPatches

interface PatchP { k: [number, number]; s: [number, number]; r: [number, number]; padding: "SAME" | "VALID" }
const extractPatches = opCase<PatchP>({
  name: "image.extractPatches", dtypes: [...FLOATS, "int32"], kernels: ["Gather", "Transpose"], tolOf: "Mul",
  arb: (d) => fc.record({
    xs: imageArb(d).map((x) => [x]),
    p: fc.record({
      k: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      r: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      padding: fc.constantFrom<"SAME" | "VALID">("SAME", "VALID"),
    }),
  }),
  run: ([x], p) => tf.image.extractPatches(x!, [1, ...p.k, 1], [1, ...p.s, 1], [1, ...p.r, 1], p.padding),
  ref: ([x], p) => {
    const [b, h, w, c] = x!.shape as [number, number, number, number];
    const read = reader(x!);
    const axis = (size: number, k: number, s: number, r: number): [number, number] => {
      const eff = (k - 1) * r + 1;
      if (p.padding === "VALID") return [Math.max(0, Math.floor((size - eff) / s) + 1), 0];
      const out = Math.ceil(size / s);
      return [out, Math.floor(Math.max((out - 1) * s + eff - size, 0) / 2)];
    };
    const [oh, top] = axis(h, p.k[0], p.s[0], p.r[0]), [ow, left] = axis(w, p.k[1], p.s[1], p.r[1]);
    return build(x!.dtype, [b, oh, ow, p.k[0] * p.k[1] * c], ([bi, y, xx, q]) => {
      const ky = Math.floor(q! / (p.k[1] * c)), kx = Math.floor(q! / c) % p.k[1], ch = q! % c;
      return read(bi!, y! * p.s[0] + ky * p.r[0] - top, xx! * p.s[1] + kx * p.r[1] - left, ch, 0);
    });
  },
  show: (p) => JSON.stringify(p),
});

export function describeImageSampling(ctx: ConformanceContext): void {
  describeOpCases(ctx, "image ops: cropAndResize, transform, rotateWithOffset, extractPatches", [cropAndResize, transform, rotateWithOffset, extractPatches]);

  ctx.test("image.cropAndResize: values TensorFlow gives", { kernels: ["Gather"], dtype: "float32" }, async () => {
    // tf.image.crop_and_resize(np.arange(16.).reshape(1, 4, 4, 1), [[0, 0, 1, 1], [0.25, 0.25, 0.75, 0.5]], [0, 0], [3, 2])
    const img = host("float32", [1, 4, 4, 1], Array.from({ length: 16 }, (_, i) => i));
    const got = await evalOp([img], (x) => tf.image.cropAndResize(x!, [[0, 0, 1, 1], [0.25, 0.25, 0.75, 0.5]], [0, 0], [3, 2]));
    const want = [0, 3, 6, 9, 12, 15, 3.75, 4.5, 6.75, 7.5, 9.75, 10.5];
    assertMatches(got, { dtype: "float32", shape: [2, 3, 2, 1], data: want }, ctx.tol("Mul", "float32"), () => "cropAndResize golden");
  });

  ctx.test("image sampling ops: bad arguments", { kernels: [], dtype: "float32", needs: ["int32"] }, async () => {
    const img = host("float32", [1, 2, 2, 1], [1, 2, 3, 4]);
    const V = tf.errors.ValueError, I = tf.errors.InvalidArgumentError;
    await expectOpError([img], (x) => tf.image.cropAndResize(x!, [[0, 0, 1, 1]], [1], [2, 2]), I);
    await expectOpError([img], (x) => tf.image.cropAndResize(x!, [[0, 0, 1, 1]], [0, 0], [2, 2]), V);
    await expectOpError([img], (x) => tf.image.cropAndResize(x!, [[0, 0, 1]], [0], [2, 2]), V);
    await expectOpError([img], (x) => tf.image.cropAndResize(x!, [[0, 0, 1, 1]], [0], [0, 2]), V);
    await expectOpError([img], (x) => tf.image.cropAndResize(x!, [[0, NaN, 1, 1]], [0], [2, 2]), I);
    await expectOpError([img], (x) => tf.image.cropAndResize(x!, [[0, 0, 1, 1]], [0], [2, 2], { method: "bicubic" as "nearest" }), V);
    await expectOpError([img], (x) => tf.image.cropAndResize(x!, [[0, 0, 1, 1]], [0], [2, 2], { extrapolation: 1 } as never), TypeError);
    await expectOpError([host("float32", [2, 2, 1], [1, 2, 3, 4])], (x) => tf.image.cropAndResize(x!, [[0, 0, 1, 1]], [0], [2, 2]), V);
    await expectOpError([img], (x) => tf.image.transform(x!, [[1, 0, 0, 0, 1, 0, 0]]), V);
    await expectOpError([img], (x) => tf.image.transform(x!, [[1, 0, 0, 0, 1, 0, 0, 0]], { fillMode: "mirror" as "wrap" }), V);
    await expectOpError([img], (x) => tf.image.transform(x!, [[1, 0, 0, 0, 1, 0, 0, 0]], { outputShape: [0, 2] }), V);
    await expectOpError([host("int32", [1, 1, 1, 1], [1])], (x) => tf.image.transform(x!, [[1, 0, 0, 0, 1, 0, 0, 0]], { interpolation: "bilinear" }), tf.errors.DtypeError);
    await expectOpError([img], (x) => tf.image.rotateWithOffset(x!, NaN), V);
    await expectOpError([img], (x) => tf.image.rotateWithOffset(x!, 1, { fillValue: [1, 2] }), V);
    await expectOpError([img], (x) => tf.image.extractPatches(x!, [2, 2], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"), V);
    await expectOpError([img], (x) => tf.image.extractPatches(x!, [1, 2, 2, 1], [1, 0, 1, 1], [1, 1, 1, 1], "VALID"), V);
    await expectOpError([img], (x) => tf.image.extractPatches(x!, [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "same" as "SAME"), V);
  });
}
