import { describe, expect, it } from "vitest";
import { DtypeError } from "@tessera/core/kernel";
import type { Conv2DAttrs } from "@tessera/core/kernel";
import { backend, dispose, expectClose, randoms, run, tensor } from "./helpers.js";

const b = backend();

interface Case {
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  pad: [number, number, number, number]; // top, bottom, left, right
}

function outShape(c: Case): [number, number, number, number] {
  const [N, H, W] = c.x;
  const [KH, KW, , Co] = c.f;
  const OH = Math.floor((H + c.pad[0] + c.pad[1] - c.dilations[0] * (KH - 1) - 1) / c.strides[0]) + 1;
  const OW = Math.floor((W + c.pad[2] + c.pad[3] - c.dilations[1] * (KW - 1) - 1) / c.strides[1]) + 1;
  return [N, OH, OW, Co];
}

/** Visits every (output pixel, tap) pair whose input pixel is inside the image. */
function forEachTap(c: Case, fn: (xi: number, yi: number, fi: number, ci: number, co: number) => void): void {
  const [N, H, W, Ci] = c.x;
  const [KH, KW, , Co] = c.f;
  const [, OH, OW] = outShape(c);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
      const ih = oh * c.strides[0] + kh * c.dilations[0] - c.pad[0];
      const iw = ow * c.strides[1] + kw * c.dilations[1] - c.pad[2];
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      for (let ci = 0; ci < Ci; ci++) for (let co = 0; co < Co; co++) {
        fn(((n * H + ih) * W + iw) * Ci + ci, ((n * OH + oh) * OW + ow) * Co + co, ((kh * KW + kw) * Ci + ci) * Co + co, ci, co);
      }
    }
  }
}

const CASES: Case[] = [
  { x: [1, 5, 5, 1], f: [3, 3, 1, 1], strides: [1, 1], dilations: [1, 1], pad: [1, 1, 1, 1] },
  { x: [2, 7, 6, 3], f: [3, 2, 3, 5], strides: [1, 1], dilations: [1, 1], pad: [0, 0, 0, 0] },
  { x: [2, 9, 8, 4], f: [3, 3, 4, 9], strides: [2, 2], dilations: [1, 1], pad: [1, 1, 0, 1] },
  { x: [1, 10, 11, 5], f: [3, 3, 5, 8], strides: [1, 2], dilations: [2, 1], pad: [2, 2, 1, 1] },
  { x: [3, 6, 6, 16], f: [1, 1, 16, 12], strides: [1, 1], dilations: [1, 1], pad: [0, 0, 0, 0] },
  { x: [2, 12, 12, 16], f: [5, 5, 16, 32], strides: [2, 3], dilations: [1, 1], pad: [2, 2, 2, 2] },
  { x: [1, 4, 4, 2], f: [3, 3, 2, 3], strides: [3, 3], dilations: [1, 1], pad: [2, 2, 2, 2] },
  // Unit strides on rows that are multiples of 4 wide: the interior fast paths of both directions.
  { x: [2, 9, 12, 4], f: [3, 3, 4, 6], strides: [1, 1], dilations: [1, 1], pad: [1, 1, 1, 1] },
  { x: [1, 10, 16, 3], f: [2, 3, 3, 5], strides: [1, 1], dilations: [2, 2], pad: [1, 1, 2, 2] },
  { x: [1, 8, 20, 8], f: [3, 3, 8, 16], strides: [1, 1], dilations: [1, 1], pad: [0, 0, 0, 0] },
  // The direct Conv2D's interior fast path with a 3x3 filter (Ci = 3 stays off Winograd).
  { x: [2, 9, 12, 3], f: [3, 3, 3, 10], strides: [1, 1], dilations: [1, 1], pad: [1, 1, 1, 1] },
  // 3x3, unit strides, Ci a multiple of 4 or Ci >= 6 with Ci x Co >= 128: Winograd F(2x2, 3x3) for Conv2D
  // (also the two cases above with Ci = 4 and 8), and for Conv2DBackpropInput with Ci and Co swapped
  // (also [1,8,20,8] above, VALID). Here odd output sizes, channel tails, asymmetric padding, several
  // tile blocks.
  { x: [2, 7, 9, 16], f: [3, 3, 16, 36], strides: [1, 1], dilations: [1, 1], pad: [1, 1, 1, 1] },
  { x: [1, 6, 5, 21], f: [3, 3, 21, 30], strides: [1, 1], dilations: [1, 1], pad: [0, 0, 0, 0] },
  { x: [3, 20, 22, 32], f: [3, 3, 32, 32], strides: [1, 1], dilations: [1, 1], pad: [1, 2, 0, 1] },
];

const attrs = (c: Case): Conv2DAttrs => ({ strides: c.strides, dilations: c.dilations, padTop: c.pad[0], padLeft: c.pad[2] });
const size = (s: readonly number[]): number => s.reduce((a, v) => a * v, 1);

describe("convolutions (reference: direct loops in float64)", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const f32 = dtype === "float32";
    const tol = (k: number): [number, number] => (f32 ? [1e-5, 3e-6 * Math.sqrt(k)] : [1e-12, 1e-12]);

    it(`Conv2D ${dtype}`, () => {
      for (const c of CASES) {
        const xv = randoms(size(c.x), 1, -1, 1, f32), fv = randoms(size(c.f), 2, -1, 1, f32);
        const X = tensor(b, xv, c.x, dtype), F = tensor(b, fv, c.f, dtype);
        const os = outShape(c);
        const want = new Array<number>(size(os)).fill(0);
        forEachTap(c, (xi, yi, fi) => (want[yi]! += xv[xi]! * fv[fi]!));
        expectClose(run(b, "Conv2D", [X, F], attrs(c), os, dtype), want, ...tol(c.f[0] * c.f[1] * c.f[2]), `Conv2D ${JSON.stringify(c)}`);
        dispose(b, X, F);
      }
    });

    it(`Conv2DBackpropInput ${dtype}`, () => {
      for (const c of CASES) {
        const os = outShape(c);
        const dyv = randoms(size(os), 3, -1, 1, f32), fv = randoms(size(c.f), 4, -1, 1, f32);
        const DY = tensor(b, dyv, os, dtype), F = tensor(b, fv, c.f, dtype);
        const want = new Array<number>(size(c.x)).fill(0);
        forEachTap(c, (xi, yi, fi) => (want[xi]! += dyv[yi]! * fv[fi]!));
        expectClose(run(b, "Conv2DBackpropInput", [DY, F], attrs(c), c.x, dtype), want, ...tol(c.f[0] * c.f[1] * c.f[3]),
          `BackpropInput ${JSON.stringify(c)}`);
        dispose(b, DY, F);
      }
    });

    it(`Conv2DBackpropFilter ${dtype}`, () => {
      for (const c of CASES) {
        const os = outShape(c);
        const xv = randoms(size(c.x), 5, -1, 1, f32), dyv = randoms(size(os), 6, -1, 1, f32);
        const X = tensor(b, xv, c.x, dtype), DY = tensor(b, dyv, os, dtype);
        const want = new Array<number>(size(c.f)).fill(0);
        forEachTap(c, (xi, yi, fi) => (want[fi]! += xv[xi]! * dyv[yi]!));
        expectClose(run(b, "Conv2DBackpropFilter", [X, DY], attrs(c), c.f, dtype), want, ...tol(os[0] * os[1] * os[2]),
          `BackpropFilter ${JSON.stringify(c)}`);
        dispose(b, X, DY);
      }
    });
  }

  it("rejects int32", () => {
    const X = tensor(b, [1], [1, 1, 1, 1], "int32");
    expect(() => run(b, "Conv2D", [X, X], attrs(CASES[0]!), [1, 1, 1, 1], "int32")).toThrow(DtypeError);
    dispose(b, X);
  });
});
