/**
 * `tf.image` ops (composites of gathers, slices and reductions) against float64 references written
 * here from TensorFlow's definitions, each entry of `IMAGE_CASES` naming the op, the kernels it runs,
 * an input generator, the call and the reference; hand-picked values TensorFlow gives for resizing;
 * bad arguments.
 */
import fc from "fast-check";
import { describe } from "vitest";
import * as tf from "@tessera/core";
import type { DType, KernelName } from "@tessera/core/kernel";
import { valuesFor } from "../arbitraries.js";
import type { Expected } from "../compare.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { describeHost, evalOp, expectOpError, host } from "../host.js";

/** One image op under test. */
interface ImageCase<P> {
  name: string;
  dtypes: DType[];
  kernels: KernelName[];
  /** Channel count of the inputs (default 1–3). */
  channels?: number;
  /** Smallest height and width (default 1). */
  minHW?: number;
  params: (h: number, w: number) => fc.Arbitrary<P>;
  run: (x: tf.Tensor, p: P) => tf.Tensor;
  ref: (x: Img, p: P) => Expected;
}

const FLOATS: DType[] = ["float32", "float64"];
const f32 = Math.fround;

/** A host image viewed as [batch, height, width, channels]. */
class Img {
  readonly b: number; readonly h: number; readonly w: number; readonly c: number;
  readonly batched: boolean;
  constructor(readonly t: HostTensor) {
    this.batched = t.shape.length === 4;
    const s = this.batched ? t.shape : [1, ...t.shape];
    [this.b, this.h, this.w, this.c] = s as [number, number, number, number];
  }
  at(b: number, y: number, x: number, c: number): number {
    return (this.t.data as number[])[((b * this.h + y) * this.w + x) * this.c + c]!;
  }
  /** A new image of the same batch-ness: `fn` gives each value. */
  make(dtype: DType, h: number, w: number, c: number, fn: (b: number, y: number, x: number, c: number) => number, scale?: (b: number, y: number, x: number, c: number) => number): Expected {
    const data: number[] = [], sc: number[] = [];
    for (let b = 0; b < this.b; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) {
      data.push(fn(b, y, x, k));
      if (scale) sc.push(scale(b, y, x, k));
    }
    const shape = this.batched ? [this.b, h, w, c] : [h, w, c];
    return { dtype, shape, data: dtype === "float32" ? data.map(f32) : data, ...(scale ? { scale: sc } : {}) };
  }
}

function imageArb(dtype: DType, channels: number | undefined, minHW: number): fc.Arbitrary<HostTensor> {
  return fc.record({
    batch: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 2 })),
    h: fc.integer({ min: minHW, max: 5 }), w: fc.integer({ min: minHW, max: 5 }),
    c: channels === undefined ? fc.integer({ min: 1, max: 3 }) : fc.constant(channels),
  }).chain(({ batch, h, w, c }) => valuesFor(dtype, batch === null ? [h, w, c] : [batch, h, w, c], { min: -10, max: 10, special: false }));
}

const noParams = (): fc.Arbitrary<null> => fc.constant(null);

// ---------------------------------------------------------------- resize references (TensorFlow's kernels)

function scaleOf(inSize: number, outSize: number, ac: boolean): number {
  return ac && outSize > 1 ? f32((inSize - 1) / (outSize - 1)) : f32(inSize / outSize);
}

function nearestRef(inSize: number, outSize: number, ac: boolean, hp: boolean): number[] {
  const s = scaleOf(inSize, outSize, ac);
  return Array.from({ length: outSize }, (_, i) => {
    const src = hp ? f32(f32(i + 0.5) * s) : f32(i * s);
    const k = Math.min(ac ? Math.round(src) : Math.floor(src), inSize - 1);
    return hp ? Math.max(0, k) : k;
  });
}

function linearRef(inSize: number, outSize: number, ac: boolean, hp: boolean): [number, number, number][] {
  const s = scaleOf(inSize, outSize, ac);
  return Array.from({ length: outSize }, (_, i) => {
    const src = hp ? f32(f32(f32(i + 0.5) * s) - 0.5) : f32(i * s);
    const fl = Math.floor(src);
    return [Math.max(fl, 0), Math.min(Math.ceil(src), inSize - 1), f32(src - fl)];
  });
}

function bilinearRef(x: Img, oh: number, ow: number, ac: boolean, hp: boolean): Expected {
  const ys = linearRef(x.h, oh, ac, hp), xs = linearRef(x.w, ow, ac, hp);
  const dtype = x.t.dtype === "int32" ? "float32" : x.t.dtype;
  const corners = (b: number, i: number, j: number, k: number): number[] => {
    const [y0, y1] = ys[i]!, [x0, x1] = xs[j]!;
    return [x.at(b, y0, x0, k), x.at(b, y0, x1, k), x.at(b, y1, x0, k), x.at(b, y1, x1, k)];
  };
  return x.make(dtype, oh, ow, x.c, (b, i, j, k) => {
    const [tl, tr, bl, br] = corners(b, i, j, k) as [number, number, number, number];
    const top = tl + (tr - tl) * xs[j]![2], bottom = bl + (br - bl) * xs[j]![2];
    return top + (bottom - top) * ys[i]![2];
  }, (b, i, j, k) => 4 * Math.max(...corners(b, i, j, k).map(Math.abs)));
}

function nearestRefImg(x: Img, oh: number, ow: number, ac: boolean, hp: boolean): Expected {
  const ys = nearestRef(x.h, oh, ac, hp), xs = nearestRef(x.w, ow, ac, hp);
  return x.make(x.t.dtype, oh, ow, x.c, (b, i, j, k) => x.at(b, ys[i]!, xs[j]!, k));
}

const MODES = fc.constantFrom(
  { alignCorners: false, halfPixelCenters: false },
  { alignCorners: true, halfPixelCenters: false },
  { alignCorners: false, halfPixelCenters: true },
);
const sizeArb = fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }));

type V1 = { size: [number, number]; alignCorners: boolean; halfPixelCenters: boolean };

const CASES = [
  {
    name: "flipLeftRight", dtypes: [...FLOATS, "int32"], kernels: ["Gather"], params: noParams,
    run: (x) => tf.image.flipLeftRight(x),
    ref: (x) => x.make(x.t.dtype, x.h, x.w, x.c, (b, y, j, k) => x.at(b, y, x.w - 1 - j, k)),
  } satisfies ImageCase<null>,
  {
    name: "flipUpDown", dtypes: [...FLOATS, "int32"], kernels: ["Gather"], params: noParams,
    run: (x) => tf.image.flipUpDown(x),
    ref: (x) => x.make(x.t.dtype, x.h, x.w, x.c, (b, i, j, k) => x.at(b, x.h - 1 - i, j, k)),
  } satisfies ImageCase<null>,
  {
    name: "rot90", dtypes: [...FLOATS, "int32"], kernels: [], params: () => fc.integer({ min: -5, max: 6 }),
    run: (x, k) => tf.image.rot90(x, { k }),
    ref: (x, k) => {
      const q = ((k % 4) + 4) % 4;
      // Counter-clockwise quarter turns, as numpy.rot90 on the (height, width) axes.
      if (q === 0) return x.make(x.t.dtype, x.h, x.w, x.c, (b, i, j, c) => x.at(b, i, j, c));
      if (q === 1) return x.make(x.t.dtype, x.w, x.h, x.c, (b, i, j, c) => x.at(b, j, x.w - 1 - i, c));
      if (q === 2) return x.make(x.t.dtype, x.h, x.w, x.c, (b, i, j, c) => x.at(b, x.h - 1 - i, x.w - 1 - j, c));
      return x.make(x.t.dtype, x.w, x.h, x.c, (b, i, j, c) => x.at(b, x.h - 1 - j, i, c));
    },
  } satisfies ImageCase<number>,
  {
    name: "rgbToGrayscale", dtypes: FLOATS, kernels: ["Mul", "Sum"], channels: 3, params: noParams,
    run: (x) => tf.image.rgbToGrayscale(x),
    ref: (x) => {
      const w = x.t.dtype === "float32" ? [0.2989, 0.587, 0.114].map(f32) : [0.2989, 0.587, 0.114];
      return x.make(x.t.dtype, x.h, x.w, 1, (b, i, j) => w[0]! * x.at(b, i, j, 0) + w[1]! * x.at(b, i, j, 1) + w[2]! * x.at(b, i, j, 2), () => 10);
    },
  } satisfies ImageCase<null>,
  {
    name: "grayscaleToRgb", dtypes: [...FLOATS, "int32"], kernels: ["Concat"], channels: 1, params: noParams,
    run: (x) => tf.image.grayscaleToRgb(x),
    ref: (x) => x.make(x.t.dtype, x.h, x.w, 3, (b, i, j) => x.at(b, i, j, 0)),
  } satisfies ImageCase<null>,
  {
    name: "adjustBrightness", dtypes: FLOATS, kernels: ["Add"], params: () => fc.constantFrom(0.25, -1.5, 3),
    run: (x, d) => tf.image.adjustBrightness(x, d),
    ref: (x, d) => x.make(x.t.dtype, x.h, x.w, x.c, (b, i, j, k) => x.at(b, i, j, k) + d, () => 10),
  } satisfies ImageCase<number>,
  {
    name: "adjustContrast", dtypes: FLOATS, kernels: ["Sum", "Sub", "Mul", "Add"], params: () => fc.constantFrom(0.5, 2, -1, 0),
    run: (x, f) => tf.image.adjustContrast(x, f),
    ref: (x, f) => {
      const mean = (b: number, k: number): number => {
        let s = 0;
        for (let i = 0; i < x.h; i++) for (let j = 0; j < x.w; j++) s += x.at(b, i, j, k);
        return s / (x.h * x.w);
      };
      return x.make(x.t.dtype, x.h, x.w, x.c, (b, i, j, k) => (x.at(b, i, j, k) - mean(b, k)) * f + mean(b, k), () => 40);
    },
  } satisfies ImageCase<number>,
  {
    name: "perImageStandardization", dtypes: [...FLOATS, "int32"], kernels: ["Sum", "Sqrt", "Maximum"], params: noParams,
    run: (x) => tf.image.perImageStandardization(x),
    ref: (x) => {
      const n = x.h * x.w * x.c;
      const stats = Array.from({ length: x.b }, (_, b) => {
        let s = 0, ss = 0;
        for (let i = 0; i < x.h; i++) for (let j = 0; j < x.w; j++) for (let k = 0; k < x.c; k++) s += x.at(b, i, j, k);
        const mean = s / n;
        for (let i = 0; i < x.h; i++) for (let j = 0; j < x.w; j++) for (let k = 0; k < x.c; k++) ss += (x.at(b, i, j, k) - mean) ** 2;
        return { mean, adj: Math.max(Math.sqrt(ss / n), 1 / Math.sqrt(n)) };
      });
      return x.make(x.t.dtype === "int32" ? "float32" : x.t.dtype, x.h, x.w, x.c, (b, i, j, k) => (x.at(b, i, j, k) - stats[b]!.mean) / stats[b]!.adj, (b) => 40 / stats[b]!.adj);
    },
  } satisfies ImageCase<null>,
  {
    name: "centralCrop", dtypes: [...FLOATS, "int32"], kernels: [], params: () => fc.constantFrom(1, 0.5, 0.3, 0.75, 0.01),
    run: (x, f) => tf.image.centralCrop(x, f),
    ref: (x, f) => {
      const top = Math.trunc((x.h - x.h * f) / 2), left = Math.trunc((x.w - x.w * f) / 2);
      return x.make(x.t.dtype, x.h - 2 * top, x.w - 2 * left, x.c, (b, i, j, k) => x.at(b, i + top, j + left, k));
    },
  } satisfies ImageCase<number>,
  {
    name: "cropToBoundingBox", dtypes: [...FLOATS, "int32"], kernels: ["Slice"],
    params: (h, w) => fc.record({ oh: fc.integer({ min: 0, max: h - 1 }), ow: fc.integer({ min: 0, max: w - 1 }) })
      .chain(({ oh, ow }) => fc.record({ oh: fc.constant(oh), ow: fc.constant(ow), th: fc.integer({ min: 1, max: h - oh }), tw: fc.integer({ min: 1, max: w - ow }) })),
    run: (x, p) => tf.image.cropToBoundingBox(x, p.oh, p.ow, p.th, p.tw),
    ref: (x, p) => x.make(x.t.dtype, p.th, p.tw, x.c, (b, i, j, k) => x.at(b, i + p.oh, j + p.ow, k)),
  } satisfies ImageCase<{ oh: number; ow: number; th: number; tw: number }>,
  {
    name: "padToBoundingBox", dtypes: [...FLOATS, "int32"], kernels: ["Pad"],
    params: (h, w) => fc.record({ oh: fc.integer({ min: 0, max: 3 }), ow: fc.integer({ min: 0, max: 3 }), eh: fc.integer({ min: 0, max: 3 }), ew: fc.integer({ min: 0, max: 3 }) })
      .map(({ oh, ow, eh, ew }) => ({ oh, ow, th: oh + h + eh, tw: ow + w + ew })),
    run: (x, p) => tf.image.padToBoundingBox(x, p.oh, p.ow, p.th, p.tw),
    ref: (x, p) => x.make(x.t.dtype, p.th, p.tw, x.c, (b, i, j, k) => {
      const y = i - p.oh, z = j - p.ow;
      return y >= 0 && y < x.h && z >= 0 && z < x.w ? x.at(b, y, z, k) : 0;
    }),
  } satisfies ImageCase<{ oh: number; ow: number; th: number; tw: number }>,
  {
    name: "resize bilinear", dtypes: [...FLOATS, "int32"], kernels: ["Gather", "Sub", "Mul", "Add"], params: () => sizeArb,
    run: (x, size) => tf.image.resize(x, size),
    ref: (x, [oh, ow]) => bilinearRef(x, oh, ow, false, true),
  } satisfies ImageCase<[number, number]>,
  {
    name: "resize nearest", dtypes: [...FLOATS, "int32"], kernels: ["Gather"], params: () => sizeArb,
    run: (x, size) => tf.image.resize(x, size, { method: "nearest" }),
    ref: (x, [oh, ow]) => nearestRefImg(x, oh, ow, false, true),
  } satisfies ImageCase<[number, number]>,
  {
    name: "compat.v1.image.resizeBilinear", dtypes: [...FLOATS, "int32"], kernels: ["Gather", "Mul"],
    params: () => fc.record({ size: sizeArb, mode: MODES }).map(({ size, mode }) => ({ size, ...mode })),
    run: (x, p) => tf.compat.v1.image.resizeBilinear(x, p.size, { alignCorners: p.alignCorners, halfPixelCenters: p.halfPixelCenters }),
    ref: (x, p) => bilinearRef(x, p.size[0], p.size[1], p.alignCorners, p.halfPixelCenters),
  } satisfies ImageCase<V1>,
  {
    name: "compat.v1.image.resizeNearestNeighbor", dtypes: [...FLOATS, "int32"], kernels: ["Gather"],
    params: () => fc.record({ size: sizeArb, mode: MODES }).map(({ size, mode }) => ({ size, ...mode })),
    run: (x, p) => tf.compat.v1.image.resizeNearestNeighbor(x, p.size, { alignCorners: p.alignCorners, halfPixelCenters: p.halfPixelCenters }),
    ref: (x, p) => nearestRefImg(x, p.size[0], p.size[1], p.alignCorners, p.halfPixelCenters),
  } satisfies ImageCase<V1>,
] as ImageCase<unknown>[];

/** Values TensorFlow gives (tf.image.resize and tf.compat.v1.image.resize_* on [[1, 2], [3, 4]]). */
const GOLDEN: { name: string; run: (x: tf.Tensor) => tf.Tensor; shape: number[]; data: number[] }[] = [
  {
    name: "resize bilinear 2x2 → 4x4 (half-pixel centers)", run: (x) => tf.image.resize(x, [4, 4]), shape: [4, 4, 1],
    data: [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4],
  },
  {
    name: "resizeBilinear 2x2 → 3x3 alignCorners", run: (x) => tf.compat.v1.image.resizeBilinear(x, [3, 3], { alignCorners: true }), shape: [3, 3, 1],
    data: [1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4],
  },
  {
    name: "resizeBilinear 2x2 → 4x4 (TensorFlow 1 corners)", run: (x) => tf.compat.v1.image.resizeBilinear(x, [4, 4]), shape: [4, 4, 1],
    data: [1, 1.5, 2, 2, 2, 2.5, 3, 3, 3, 3.5, 4, 4, 3, 3.5, 4, 4],
  },
  {
    name: "resize nearest 2x2 → 3x3 (half-pixel centers)", run: (x) => tf.image.resize(x, [3, 3], { method: "nearest" }), shape: [3, 3, 1],
    data: [1, 2, 2, 3, 4, 4, 3, 4, 4],
  },
];

export function describeImage(ctx: ConformanceContext): void {
  describe("image ops (tf.image)", () => {
    for (const c of CASES) {
      for (const dtype of c.dtypes) {
        ctx.test(`${c.name} ${dtype}`, { kernels: c.kernels, dtype }, async () => {
          const arb = imageArb(dtype, c.channels, c.minHW ?? 1).chain((x) => {
            const s = x.shape.length === 4 ? x.shape.slice(1) : x.shape;
            return fc.record({ x: fc.constant(x), p: c.params(s[0]!, s[1]!) });
          });
          await ctx.property(arb, async ({ x, p }) => {
            const got = await evalOp([x], (t) => c.run(t!, p));
            const want = c.ref(new Img(x), p);
            const tol = ctx.tol("Mul", want.dtype);
            assertMatches(got, want, { rtol: tol.rtol * 4, atol: tol.atol }, () => `${c.name}(${describeHost(x)}, ${JSON.stringify(p)})`);
          });
        });
      }
    }

    ctx.test("resize: values TensorFlow gives", { kernels: ["Gather"], dtype: "float32" }, async () => {
      for (const g of GOLDEN) {
        const got = await evalOp([host("float32", [2, 2, 1], [1, 2, 3, 4])], (x) => g.run(x!));
        assertMatches(got, { dtype: "float32", shape: g.shape, data: g.data }, ctx.tol("Mul", "float32"), () => g.name);
      }
    });

    ctx.test("image ops: bad arguments", { kernels: [], dtype: "float32", needs: ["int32"] }, async () => {
      const img = host("float32", [2, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
      const flat = host("float32", [4, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      const ints = host("int32", [2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      const V = tf.errors.ValueError;
      await expectOpError([flat], (x) => tf.image.flipLeftRight(x!), V);
      await expectOpError([img], (x) => tf.image.rot90(x!, { k: 1.5 }), V);
      await expectOpError([host("float32", [3, 2], [1, 2, 3, 4, 5, 6])], (x) => tf.image.rgbToGrayscale(x!), V);
      await expectOpError([ints], (x) => tf.image.rgbToGrayscale(x!), tf.errors.DtypeError);
      await expectOpError([img], (x) => tf.image.grayscaleToRgb(x!), V);
      await expectOpError([img], (x) => tf.image.centralCrop(x!, 0), V);
      await expectOpError([img], (x) => tf.image.centralCrop(x!, 1.5), V);
      await expectOpError([img], (x) => tf.image.cropToBoundingBox(x!, 1, 0, 2, 3), V);
      await expectOpError([img], (x) => tf.image.cropToBoundingBox(x!, -1, 0, 1, 1), V);
      await expectOpError([img], (x) => tf.image.padToBoundingBox(x!, 1, 0, 2, 3), V);
      await expectOpError([img], (x) => tf.image.resize(x!, [0, 2]), V);
      await expectOpError([img], (x) => tf.image.resize(x!, [2, 2], { method: "bicubic" as "nearest" }), V);
      await expectOpError([img], (x) => tf.image.resize(x!, [2, 2], { antialias: true }), V);
      await expectOpError([img], (x) => tf.compat.v1.image.resizeBilinear(x!, [2, 2], { alignCorners: true, halfPixelCenters: true }), tf.errors.InvalidArgumentError);
      await expectOpError([img], (x) => tf.image.adjustContrast(x!, NaN), V);
      await expectOpError([img], (x) => tf.image.resize(x!, [2, 2], { methd: "nearest" } as never), TypeError);
    });

    ctx.test("resize preserveAspectRatio", { kernels: ["Gather"], dtype: "float32" }, async () => {
      const x = host("float32", [2, 4, 1], [1, 2, 3, 4, 5, 6, 7, 8]);
      // Scale min(6/2, 6/4) = 1.5: 3 × 6.
      const got = await evalOp([x], (t) => tf.image.resize(t!, [6, 6], { preserveAspectRatio: true, method: "nearest" }));
      assertMatches(got, { dtype: "float32", shape: [3, 6, 1], data: [1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8, 8, 5, 6, 6, 7, 8, 8] }, ctx.tol("Mul", "float32"), () => "preserveAspectRatio");
    });
  });
}
