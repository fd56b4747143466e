import type { Pool2DAttrs } from "@tessera/core/kernel";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { WebGPUBackend } from "../src/backend.js";
import { expectClose, makeBackend, rand, read, sizeOf, tensor, wrap } from "./helpers.js";
import type { ConvGeom } from "./reference.js";
import { conv2dBackpropFilterRef, conv2dBackpropInputRef, conv2dRef, f32 } from "./reference.js";

let b: WebGPUBackend;
beforeAll(async () => {
  b = await makeBackend();
});
afterAll(() => b?.dispose());

/** Output size and top/left padding as TensorFlow computes them for SAME/VALID. */
function geom(NB: number, H: number, W: number, Ci: number, KH: number, KW: number, Co: number, s: [number, number], d: [number, number], same: boolean): ConvGeom {
  const ekh = (KH - 1) * d[0] + 1;
  const ekw = (KW - 1) * d[1] + 1;
  const OH = same ? Math.ceil(H / s[0]) : Math.floor((H - ekh) / s[0]) + 1;
  const OW = same ? Math.ceil(W / s[1]) : Math.floor((W - ekw) / s[1]) + 1;
  const padH = same ? Math.max(0, (OH - 1) * s[0] + ekh - H) : 0;
  const padW = same ? Math.max(0, (OW - 1) * s[1] + ekw - W) : 0;
  return { NB, H, W, Ci, KH, KW, Co, sh: s[0], sw: s[1], dh: d[0], dw: d[1], padTop: Math.floor(padH / 2), padLeft: Math.floor(padW / 2), OH, OW };
}

const CONVS: ConvGeom[] = [
  geom(1, 5, 5, 1, 3, 3, 1, [1, 1], [1, 1], false),
  geom(2, 8, 7, 3, 3, 3, 4, [1, 1], [1, 1], true),
  geom(1, 9, 9, 2, 3, 2, 5, [2, 2], [1, 1], true),
  geom(2, 10, 11, 4, 3, 3, 8, [2, 1], [1, 1], false),
  geom(1, 12, 12, 3, 3, 3, 2, [1, 1], [2, 2], true),
  geom(3, 16, 16, 8, 5, 5, 16, [1, 1], [1, 1], true),
  geom(1, 7, 7, 5, 1, 1, 3, [3, 3], [1, 1], false),
  // N·OH·OW = 3200: the filter gradient splits K
  geom(2, 40, 40, 2, 3, 3, 4, [1, 1], [1, 1], true),
];

describe("convolutions (implicit GEMM)", () => {
  it("Conv2D, Conv2DBackpropInput and Conv2DBackpropFilter match float64 references", async () => {
    let seed = 100;
    for (const g of CONVS) {
      const attrs = { strides: [g.sh, g.sw] as [number, number], dilations: [g.dh, g.dw] as [number, number], padTop: g.padTop, padLeft: g.padLeft };
      const xv = rand(g.NB * g.H * g.W * g.Ci, seed++).map(f32);
      const fv = rand(g.KH * g.KW * g.Ci * g.Co, seed++).map(f32);
      const dyv = rand(g.NB * g.OH * g.OW * g.Co, seed++).map(f32);
      const x = tensor(b, xv, [g.NB, g.H, g.W, g.Ci]);
      const f = tensor(b, fv, [g.KH, g.KW, g.Ci, g.Co]);
      const dy = tensor(b, dyv, [g.NB, g.OH, g.OW, g.Co]);
      const what = JSON.stringify(g);
      const yShape = [g.NB, g.OH, g.OW, g.Co];
      const y = wrap(b.kernels.Conv2D!([x, f], attrs, { shape: yShape, dtype: "float32" }), yShape, "float32");
      expectClose(await read(b, y), conv2dRef(xv, fv, g), 1e-5, 1e-5, `Conv2D ${what}`);
      const dx = wrap(b.kernels.Conv2DBackpropInput!([dy, f], attrs, { shape: x.shape, dtype: "float32" }), x.shape, "float32");
      expectClose(await read(b, dx), conv2dBackpropInputRef(dyv, fv, g), 1e-5, 1e-5, `Conv2DBackpropInput ${what}`);
      const df = wrap(b.kernels.Conv2DBackpropFilter!([x, dy], attrs, { shape: f.shape, dtype: "float32" }), f.shape, "float32");
      expectClose(await read(b, df), conv2dBackpropFilterRef(xv, dyv, g), 1e-5, 1e-4, `Conv2DBackpropFilter ${what}`);
    }
  });
});

interface PoolCase { x: number[]; k: [number, number]; s: [number, number]; same: boolean }

function poolGeom(c: PoolCase): { attrs: Pool2DAttrs; OH: number; OW: number } {
  const [, H, W] = c.x as [number, number, number, number];
  const OH = c.same ? Math.ceil(H / c.s[0]) : Math.floor((H - c.k[0]) / c.s[0]) + 1;
  const OW = c.same ? Math.ceil(W / c.s[1]) : Math.floor((W - c.k[1]) / c.s[1]) + 1;
  const padH = c.same ? Math.max(0, (OH - 1) * c.s[0] + c.k[0] - H) : 0;
  const padW = c.same ? Math.max(0, (OW - 1) * c.s[1] + c.k[1] - W) : 0;
  return { attrs: { ksize: c.k, strides: c.s, padTop: Math.floor(padH / 2), padLeft: Math.floor(padW / 2) }, OH, OW };
}

function poolRef(xv: readonly number[], shape: readonly number[], a: Pool2DAttrs, OH: number, OW: number, dyv: readonly number[]) {
  const [N, H, W, C] = shape as [number, number, number, number];
  const max: number[] = [];
  const avg: number[] = [];
  const dxMax = new Array<number>(xv.length).fill(0);
  const dxAvg = new Array<number>(xv.length).fill(0);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) for (let c = 0; c < C; c++) {
    let best = -Infinity;
    let at = -1;
    let sum = 0;
    let cnt = 0;
    const cells: number[] = [];
    for (let kh = 0; kh < a.ksize[0]; kh++) for (let kw = 0; kw < a.ksize[1]; kw++) {
      const ih = oh * a.strides[0] - a.padTop + kh;
      const iw = ow * a.strides[1] - a.padLeft + kw;
      if (ih < 0 || iw < 0 || ih >= H || iw >= W) continue;
      const idx = ((n * H + ih) * W + iw) * C + c;
      const v = xv[idx]!;
      if (at < 0 || v > best) { best = v; at = idx; }
      sum += v;
      cnt++;
      cells.push(idx);
    }
    max.push(best);
    avg.push(cnt ? sum / cnt : 0);
    const d = dyv[((n * OH + oh) * OW + ow) * C + c]!;
    if (at >= 0) dxMax[at]! += d;
    for (const idx of cells) dxAvg[idx]! += d / cnt;
  }
  return { max, avg, dxMax, dxAvg };
}

describe("pooling", () => {
  it("MaxPool, AvgPool and their gradients match references (SAME and VALID, strided, overlapping)", async () => {
    const cases: PoolCase[] = [
      { x: [1, 4, 4, 1], k: [2, 2], s: [2, 2], same: false },
      { x: [2, 5, 7, 3], k: [3, 3], s: [2, 2], same: true },
      { x: [1, 6, 6, 2], k: [3, 3], s: [1, 1], same: true },
      { x: [2, 9, 8, 4], k: [2, 3], s: [2, 1], same: false },
      { x: [1, 3, 3, 1], k: [3, 3], s: [3, 3], same: true },
    ];
    let seed = 300;
    for (const c of cases) {
      const { attrs, OH, OW } = poolGeom(c);
      // Repeated values make "first max" matter for the gradient.
      const xv = rand(sizeOf(c.x), seed++).map((v) => f32(Math.round(v * 4) / 4));
      const outShape = [c.x[0]!, OH, OW, c.x[3]!];
      const dyv = rand(sizeOf(outShape), seed++).map(f32);
      const x = tensor(b, xv, c.x);
      const dy = tensor(b, dyv, outShape);
      const ref = poolRef(xv, c.x, attrs, OH, OW, dyv);
      const what = JSON.stringify(c);
      const mp = wrap(b.kernels.MaxPool!([x], attrs, { shape: outShape, dtype: "float32" }), outShape, "float32");
      expectClose(await read(b, mp), ref.max, 0, 0, `MaxPool ${what}`);
      const ap = wrap(b.kernels.AvgPool!([x], attrs, { shape: outShape, dtype: "float32" }), outShape, "float32");
      expectClose(await read(b, ap), ref.avg, 1e-6, 1e-6, `AvgPool ${what}`);
      const mg = wrap(b.kernels.MaxPoolGrad!([x, dy], attrs, { shape: c.x, dtype: "float32" }), c.x, "float32");
      expectClose(await read(b, mg), ref.dxMax, 1e-6, 1e-6, `MaxPoolGrad ${what}`);
      const ag = wrap(b.kernels.AvgPoolGrad!([dy], attrs, { shape: c.x, dtype: "float32" }), c.x, "float32");
      expectClose(await read(b, ag), ref.dxAvg, 1e-5, 1e-6, `AvgPoolGrad ${what}`);
    }
  });

  it("MaxPool propagates NaN", async () => {
    const x = tensor(b, [1, NaN, 3, 4], [1, 2, 2, 1]);
    const attrs: Pool2DAttrs = { ksize: [2, 2], strides: [2, 2], padTop: 0, padLeft: 0 };
    const y = wrap(b.kernels.MaxPool!([x], attrs, { shape: [1, 1, 1, 1], dtype: "float32" }), [1, 1, 1, 1], "float32");
    expectClose(await read(b, y), [NaN]);
  });
});

describe("float64 convolutions and pooling (exact soft-float accumulation)", () => {
  it("match float64 references to 1e-12", async () => {
    const g = geom(2, 7, 6, 3, 3, 2, 4, [2, 1], [1, 2], true);
    const attrs = { strides: [g.sh, g.sw] as [number, number], dilations: [g.dh, g.dw] as [number, number], padTop: g.padTop, padLeft: g.padLeft };
    const xv = rand(g.NB * g.H * g.W * g.Ci, 501);
    const fv = rand(g.KH * g.KW * g.Ci * g.Co, 502);
    const dyv = rand(g.NB * g.OH * g.OW * g.Co, 503);
    const x = tensor(b, xv, [g.NB, g.H, g.W, g.Ci], "float64");
    const f = tensor(b, fv, [g.KH, g.KW, g.Ci, g.Co], "float64");
    const dy = tensor(b, dyv, [g.NB, g.OH, g.OW, g.Co], "float64");
    const yShape = [g.NB, g.OH, g.OW, g.Co];
    expectClose(await read(b, wrap(b.kernels.Conv2D!([x, f], attrs, { shape: yShape, dtype: "float64" }), yShape, "float64")), conv2dRef(xv, fv, g), 1e-12, 1e-14, "Conv2D f64");
    expectClose(await read(b, wrap(b.kernels.Conv2DBackpropInput!([dy, f], attrs, { shape: x.shape, dtype: "float64" }), x.shape, "float64")), conv2dBackpropInputRef(dyv, fv, g), 1e-12, 1e-14, "dx f64");
    expectClose(await read(b, wrap(b.kernels.Conv2DBackpropFilter!([x, dy], attrs, { shape: f.shape, dtype: "float64" }), f.shape, "float64")), conv2dBackpropFilterRef(xv, dyv, g), 1e-12, 1e-14, "df f64");

    const c: PoolCase = { x: [2, 5, 7, 3], k: [3, 3], s: [2, 2], same: true };
    const pg = poolGeom(c);
    const pv = rand(2 * 5 * 7 * 3, 504).map((v) => Math.round(v * 4) / 4);
    const outShape = [2, pg.OH, pg.OW, 3];
    const pdy = rand(outShape.reduce((p, q) => p * q, 1), 505);
    const px = tensor(b, pv, c.x, "float64");
    const pd = tensor(b, pdy, outShape, "float64");
    const ref = poolRef(pv, c.x, pg.attrs, pg.OH, pg.OW, pdy);
    expectClose(await read(b, wrap(b.kernels.MaxPool!([px], pg.attrs, { shape: outShape, dtype: "float64" }), outShape, "float64")), ref.max, 0, 0, "MaxPool f64");
    expectClose(await read(b, wrap(b.kernels.AvgPool!([px], pg.attrs, { shape: outShape, dtype: "float64" }), outShape, "float64")), ref.avg, 1e-15, 0, "AvgPool f64");
    expectClose(await read(b, wrap(b.kernels.MaxPoolGrad!([px, pd], pg.attrs, { shape: c.x, dtype: "float64" }), c.x, "float64")), ref.dxMax, 1e-15, 0, "MaxPoolGrad f64");
    expectClose(await read(b, wrap(b.kernels.AvgPoolGrad!([pd], pg.attrs, { shape: c.x, dtype: "float64" }), c.x, "float64")), ref.dxAvg, 1e-14, 1e-16, "AvgPoolGrad f64");
  });
});
