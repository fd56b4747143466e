import { describe, expect, it } from "vitest";
import { DtypeError } from "@tessera/core/kernel";
import type { Pool2DAttrs } from "@tessera/core/kernel";
import { backend, dispose, expectClose, expectExact, randoms, run, tensor } from "./helpers.js";

const b = backend();

interface Case {
  x: [number, number, number, number];
  k: [number, number];
  s: [number, number];
  pad: [number, number, number, number]; // top, bottom, left, right
}

const CASES: Case[] = [
  { x: [1, 4, 4, 1], k: [2, 2], s: [2, 2], pad: [0, 0, 0, 0] },
  { x: [2, 7, 6, 5], k: [3, 3], s: [2, 2], pad: [1, 1, 0, 1] },
  { x: [2, 8, 8, 16], k: [2, 2], s: [2, 2], pad: [0, 0, 0, 0] },
  { x: [1, 5, 9, 7], k: [3, 2], s: [1, 3], pad: [1, 1, 0, 1] },
  { x: [3, 6, 6, 9], k: [3, 3], s: [1, 1], pad: [1, 1, 1, 1] },
];
const size = (s: readonly number[]): number => s.reduce((a, v) => a * v, 1);

function outShape(c: Case): [number, number, number, number] {
  const [N, H, W, C] = c.x;
  return [N, Math.floor((H + c.pad[0] + c.pad[1] - c.k[0]) / c.s[0]) + 1, Math.floor((W + c.pad[2] + c.pad[3] - c.k[1]) / c.s[1]) + 1, C];
}
const attrs = (c: Case): Pool2DAttrs => ({ ksize: c.k, strides: c.s, padTop: c.pad[0], padLeft: c.pad[2] });

/** For each output element: the in-bounds input indices of its window, in row-major window order. */
function windows(c: Case): number[][] {
  const [N, H, W, C] = c.x;
  const [, OH, OW] = outShape(c);
  const out: number[][] = [];
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) for (let ch = 0; ch < C; ch++) {
    const w: number[] = [];
    for (let kh = 0; kh < c.k[0]; kh++) for (let kw = 0; kw < c.k[1]; kw++) {
      const h = oh * c.s[0] - c.pad[0] + kh, x = ow * c.s[1] - c.pad[2] + kw;
      if (h >= 0 && h < H && x >= 0 && x < W) w.push(((n * H + h) * W + x) * C + ch);
    }
    out.push(w);
  }
  return out;
}

describe("pooling", () => {
  for (const dtype of ["float32", "float64"] as const) {
    const f32 = dtype === "float32";
    it(`MaxPool and AvgPool ${dtype}`, () => {
      for (const c of CASES) {
        const xv = randoms(size(c.x), 1, -5, 0, f32); // all negative: padding must not win the max
        const X = tensor(b, xv, c.x, dtype);
        const ws = windows(c);
        expectExact(run(b, "MaxPool", [X], attrs(c), outShape(c), dtype), ws.map((w) => Math.max(...w.map((i) => xv[i]!))), "MaxPool");
        const avg = ws.map((w) => w.reduce((a, i) => a + xv[i]!, 0) / w.length);
        expectClose(run(b, "AvgPool", [X], attrs(c), outShape(c), dtype), f32 ? avg.map(Math.fround) : avg, f32 ? 1e-6 : 1e-14, 1e-7, "AvgPool");
        dispose(b, X);
      }
    });

    it(`MaxPoolGrad ${dtype}: each dy goes to the first max of its window`, () => {
      for (const c of CASES) {
        // Few distinct values, so windows have ties and the first max matters.
        const xv = randoms(size(c.x), 2, 0, 4, f32).map(Math.floor);
        const dyv = randoms(size(outShape(c)), 3, -1, 1, f32);
        const X = tensor(b, xv, c.x, dtype), DY = tensor(b, dyv, outShape(c), dtype);
        const want = new Array<number>(size(c.x)).fill(0);
        windows(c).forEach((w, o) => {
          let best = w[0]!;
          for (const i of w) if (xv[i]! > xv[best]!) best = i;
          want[best]! += dyv[o]!;
        });
        expectClose(run(b, "MaxPoolGrad", [X, DY], attrs(c), c.x, dtype), want, 1e-6, 1e-7, "MaxPoolGrad");
        dispose(b, X, DY);
      }
    });

    it(`AvgPoolGrad ${dtype}`, () => {
      for (const c of CASES) {
        const dyv = randoms(size(outShape(c)), 4, -1, 1, f32);
        const DY = tensor(b, dyv, outShape(c), dtype);
        const want = new Array<number>(size(c.x)).fill(0);
        windows(c).forEach((w, o) => { for (const i of w) want[i]! += dyv[o]! / w.length; });
        expectClose(run(b, "AvgPoolGrad", [DY], attrs(c), c.x, dtype), want, 1e-5, 1e-6, "AvgPoolGrad");
        dispose(b, DY);
      }
    });
  }

  it("rejects int32", () => {
    const X = tensor(b, [1], [1, 1, 1, 1], "int32");
    expect(() => run(b, "MaxPool", [X], attrs(CASES[0]!), [1, 1, 1, 1], "int32")).toThrow(DtypeError);
    dispose(b, X);
  });
});
