/**
 * `tf.signal` against float64 references: direct O(n²) DFTs for the FFTs (lengths covering primes,
 * powers of two and mixed factors), TensorFlow's window formulas, framing and overlap-add by index
 * arithmetic, STFT as framed, windowed DFTs; NumPy's `numpy.fft` values; bad arguments.
 */
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { valuesFor } from "../arbitraries.js";
import type { Expected } from "../compare.js";
import { assertMatches } from "../compare.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { evalOp, expectOpError, host, sizeOf } from "../host.js";
import { build, describeOpCases, FLOATS, fc, num, opCase, store } from "./ops-harness.js";

type C = [number, number];

/** DFT (sign −1) or unnormalised inverse (sign +1) of complex rows, in float64. */
function dft(x: C[], sign: number): C[] {
  const n = x.length;
  return x.map((_, k) => {
    let re = 0, im = 0;
    x.forEach(([a, b], j) => {
      const t = (sign * 2 * Math.PI * ((j * k) % n)) / n, c = Math.cos(t), s = Math.sin(t);
      re += a * c - b * s;
      im += a * s + b * c;
    });
    return [re, im];
  });
}

/** Complex rows of a host tensor along its last axis (real tensors get 0 imaginary parts). */
function rows(h: HostTensor): C[][] {
  const n = h.shape[h.shape.length - 1]!, m = n === 0 ? 0 : sizeOf(h.shape) / n, v = num(h);
  const cplx = h.dtype === "complex64";
  return Array.from({ length: m }, (_, r) => Array.from({ length: n }, (_, j): C => (cplx ? [v[2 * (r * n + j)]!, v[2 * (r * n + j) + 1]!] : [v[r * n + j]!, 0])));
}

/** A complex64 expectation from rows, each element's scale the row's L1 norm times `scaleBy`. */
function fromRows(out: C[][], shape: number[], scaleOf: (row: number) => number): Expected {
  const data: number[] = [], scale: number[] = [];
  out.forEach((row, r) => row.forEach(([a, b]) => { data.push(Math.fround(a), Math.fround(b)); scale.push(scaleOf(r)); }));
  return { dtype: "complex64", shape, data, scale };
}

const l1 = (row: C[]): number => row.reduce((s, [a, b]) => s + Math.hypot(a, b), 0);
const fit = (row: C[], n: number): C[] => Array.from({ length: n }, (_, i): C => row[i] ?? [0, 0]);
const LENGTHS = [1, 2, 3, 5, 7, 8, 12, 16, 17, 18, 30, 36, 64];

const complexArb = (minRank = 1) => fc.tuple(fc.constantFrom(...LENGTHS), fc.integer({ min: 0, max: 2 }), fc.integer({ min: minRank, max: 2 }))
  .chain(([n, m, rank]) => valuesFor("complex64", rank === 1 ? [n] : [m, n], { min: -4, max: 4, special: false }));

const fftCase = (inverse: boolean) => opCase<null>({
  name: inverse ? "signal.ifft" : "signal.fft", dtypes: ["complex64"], kernels: ["BatchMatMul"], tolOf: "BatchMatMul",
  arb: () => complexArb().map((x) => ({ xs: [x], p: null })),
  run: ([x]) => (inverse ? tf.signal.ifft(x!) : tf.signal.fft(x!)),
  ref: ([x]) => {
    const n = x!.shape[x!.shape.length - 1]!;
    const rs = rows(x!);
    return fromRows(rs.map((r) => dft(r, inverse ? 1 : -1).map(([a, b]): C => (inverse ? [a / n, b / n] : [a, b]))), x!.shape, (r) => l1(rs[r]!) / (inverse ? n : 1));
  },
  show: () => "",
});

interface LenP { n?: number }
const rfftCase = opCase<LenP>({
  name: "signal.rfft", dtypes: ["float32"], kernels: ["BatchMatMul", "Cast"], tolOf: "BatchMatMul",
  arb: () => fc.record({
    xs: fc.tuple(fc.constantFrom(...LENGTHS), fc.integer({ min: 1, max: 2 })).chain(([n, m]) => valuesFor("float32", [m, n], { min: -4, max: 4, special: false })).map((x) => [x]),
    p: fc.record({ n: fc.option(fc.constantFrom(...LENGTHS), { nil: undefined }) }),
  }),
  run: ([x], p) => tf.signal.rfft(x!, p.n === undefined ? {} : { fftLength: p.n }),
  ref: ([x], p) => {
    const n = p.n ?? x!.shape[1]!, h = Math.floor(n / 2) + 1;
    const rs = rows(x!).map((r) => fit(r, n));
    return fromRows(rs.map((r) => dft(r, -1).slice(0, h)), [x!.shape[0]!, h], (r) => l1(rs[r]!));
  },
  show: (p) => JSON.stringify(p),
});

/** The real signal of length n whose DFT starts with the terms of `half` (Hermitian extension). */
function irfftRef(half: C[], n: number): number[] {
  const h = Math.floor(n / 2) + 1, x = fit(half, h);
  const full = Array.from({ length: n }, (_, k): C => (k < h ? x[k]! : [x[n - k]![0], -x[n - k]![1]]));
  return dft(full, 1).map(([a]) => a / n);
}

const irfftCase = opCase<LenP>({
  name: "signal.irfft", dtypes: ["complex64"], kernels: ["BatchMatMul", "Real", "Complex"], tolOf: "BatchMatMul",
  arb: () => fc.record({
    xs: fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 2 })).chain(([m, r]) => valuesFor("complex64", [r, m], { min: -4, max: 4, special: false })).map((x) => [x]),
    p: fc.record({ n: fc.option(fc.constantFrom(...LENGTHS), { nil: undefined }) }),
  }).filter(({ xs, p }) => p.n !== undefined || xs[0]!.shape[1]! > 1),
  run: ([x], p) => tf.signal.irfft(x!, p.n === undefined ? {} : { fftLength: [p.n] }),
  ref: ([x], p) => {
    const n = p.n ?? 2 * (x!.shape[1]! - 1);
    const rs = rows(x!);
    const data: number[] = [], scale: number[] = [];
    rs.forEach((r) => irfftRef(r, n).forEach((v) => { data.push(Math.fround(v)); scale.push((2 * l1(r)) / n); }));
    return { dtype: "float32", shape: [x!.shape[0]!, n], data, scale };
  },
  show: (p) => JSON.stringify(p),
});

/** 2-D DFT of a [rows, cols] complex matrix (sign as `dft`). */
function dft2(m: C[][], sign: number): C[][] {
  const byRow = m.map((r) => dft(r, sign));
  const cols = byRow[0]?.length ?? 0;
  const byCol = Array.from({ length: cols }, (_, j) => dft(byRow.map((r) => r[j]!), sign));
  return byRow.map((_, i) => byCol.map((c) => c[i]!));
}

const fft2dCase = (inverse: boolean) => opCase<null>({
  name: inverse ? "signal.ifft2d" : "signal.fft2d", dtypes: ["complex64"], kernels: ["BatchMatMul", "Transpose"], tolOf: "BatchMatMul",
  arb: () => fc.tuple(fc.constantFrom(1, 2, 3, 5, 6, 18), fc.constantFrom(1, 4, 7, 20)).chain(([a, b]) => valuesFor("complex64", [a, b], { min: -4, max: 4, special: false })).map((x) => ({ xs: [x], p: null })),
  run: ([x]) => (inverse ? tf.signal.ifft2d(x!) : tf.signal.fft2d(x!)),
  ref: ([x]) => {
    const [a, b] = x!.shape as [number, number];
    const m = rows(x!), total = l1(m.flat()), d = inverse ? a * b : 1;
    return fromRows(dft2(m, inverse ? 1 : -1).map((r) => r.map(([p, q]): C => [p / d, q / d])), [a, b], () => total / d);
  },
  show: () => "",
});

const rfft2dCase = opCase<null>({
  name: "signal.rfft2d and irfft2d", dtypes: ["float32"], kernels: ["BatchMatMul", "Real"], tolOf: "BatchMatMul",
  arb: () => fc.tuple(fc.constantFrom(1, 2, 3, 5, 18), fc.constantFrom(1, 4, 7, 20)).chain(([a, b]) => valuesFor("float32", [a, b], { min: -4, max: 4, special: false })).map((x) => ({ xs: [x], p: null })),
  run: ([x]) => {
    const [a, b] = x!.shape as [number, number];
    const spec = tf.signal.rfft2d(x!);
    return [spec, tf.signal.irfft2d(spec, { fftLength: [a, b] })];
  },
  ref: ([x]) => {
    const [a, b] = x!.shape as [number, number], h = Math.floor(b / 2) + 1;
    const m = rows(x!), total = l1(m.flat());
    const spec = fromRows(dft2(m, -1).map((r) => r.slice(0, h)), [a, h], () => total);
    return [spec, { dtype: "float32", shape: [a, b], data: num(x!), scale: num(x!).map(() => total) }];
  },
  show: () => "",
});

interface WinP { n: number; periodic: boolean; dtype: "float32" | "float64"; hamming: boolean }
const windowCase = opCase<WinP>({
  name: "signal.hannWindow and hammingWindow", dtypes: FLOATS, kernels: [], tolOf: "Cos",
  arb: (d) => fc.record({ xs: fc.constant([]), p: fc.record({ n: fc.integer({ min: 0, max: 9 }), periodic: fc.boolean(), dtype: fc.constant(d as "float32"), hamming: fc.boolean() }) }),
  run: (_, p) => (p.hamming ? tf.signal.hammingWindow : tf.signal.hannWindow)(p.n, { periodic: p.periodic, dtype: p.dtype }),
  ref: (_, p) => {
    const [a, b] = p.hamming ? [0.54, 0.46] : [0.5, 0.5];
    // TensorFlow: N = length − 1, plus 1 for periodic windows of even length only.
    const big = p.n - 1 + (p.periodic && p.n % 2 === 0 ? 1 : 0);
    return build(p.dtype, [p.n], ([k]) => (p.n === 1 ? 1 : a - b * Math.cos((2 * Math.PI * k!) / big)));
  },
  show: (p) => JSON.stringify(p),
});

interface FrameP { fl: number; fs: number; padEnd: boolean; axis: number }
const frameCase = opCase<FrameP>({
  name: "signal.frame", dtypes: [...FLOATS, "int32"], kernels: ["Gather"], tolOf: "Mul",
  arb: (d: DType) => fc.record({
    xs: fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 2 })).chain(([n, m]) => valuesFor(d, [m, n], { min: -9, max: 9, special: false })).map((x) => [x]),
    p: fc.record({ fl: fc.integer({ min: 1, max: 4 }), fs: fc.integer({ min: 1, max: 3 }), padEnd: fc.boolean(), axis: fc.constantFrom(-1, 1) }),
  }),
  run: ([x], p) => tf.signal.frame(x!, p.fl, p.fs, { padEnd: p.padEnd, padValue: 7, axis: p.axis }),
  ref: ([x], p) => {
    const [m, n] = x!.shape as [number, number];
    const frames = p.padEnd ? Math.ceil(n / p.fs) : n >= p.fl ? Math.floor((n - p.fl) / p.fs) + 1 : 0;
    return build(x!.dtype, [m, frames, p.fl], ([r, f, j]) => {
      const i = f! * p.fs + j!;
      return i < n ? num(x!)[r! * n + i]! : 7;
    });
  },
  show: (p) => JSON.stringify(p),
});

const overlapCase = opCase<number>({
  name: "signal.overlapAndAdd", dtypes: [...FLOATS, "int32"], kernels: ["UnsortedSegmentSum"], tolOf: "Add",
  arb: (d: DType) => fc.record({
    xs: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })).chain(([m, f, l]) => valuesFor(d, [m, f, l], { min: -9, max: 9, special: false })).map((x) => [x]),
    p: fc.integer({ min: 1, max: 5 }),
  }),
  run: ([x], step) => tf.signal.overlapAndAdd(x!, step),
  ref: ([x], step) => {
    const [m, f, l] = x!.shape as [number, number, number], len = (f - 1) * step + l, v = num(x!);
    const out = new Array<number>(m * len).fill(0);
    for (let r = 0; r < m; r++) for (let i = 0; i < f; i++) for (let j = 0; j < l; j++) out[r * len + i * step + j]! += v[(r * f + i) * l + j]!;
    return { dtype: x!.dtype, shape: [m, len], data: out.map((o) => store(x!.dtype, o)), scale: out.map(() => 40) };
  },
  show: (s) => `step ${s}`,
});

interface StftP { fl: number; fs: number; n?: number; window: boolean }
const stftCase = opCase<StftP>({
  name: "signal.stft", dtypes: ["float32"], kernels: ["Gather", "BatchMatMul"], tolOf: "BatchMatMul",
  arb: () => fc.record({
    xs: fc.integer({ min: 4, max: 24 }).chain((n) => valuesFor("float32", [n], { min: -4, max: 4, special: false })).map((x) => [x]),
    p: fc.record({ fl: fc.integer({ min: 2, max: 6 }), fs: fc.integer({ min: 1, max: 4 }), n: fc.option(fc.constantFrom(6, 8, 9), { nil: undefined }), window: fc.boolean() }),
  }),
  run: ([x], p) => tf.signal.stft(x!, p.fl, p.fs, { ...(p.n ? { fftLength: p.n } : {}), windowFn: p.window ? (k) => tf.signal.hammingWindow(k) : null }),
  ref: ([x], p) => {
    const v = num(x!), len = v.length, n = p.n ?? 2 ** Math.ceil(Math.log2(p.fl)), h = Math.floor(n / 2) + 1;
    const frames = len >= p.fl ? Math.floor((len - p.fl) / p.fs) + 1 : 0;
    const big = p.fl - 1 + (p.fl % 2 === 0 ? 1 : 0);
    const win = (k: number): number => (!p.window ? 1 : p.fl === 1 ? 1 : 0.54 - 0.46 * Math.cos((2 * Math.PI * k) / big));
    const out = Array.from({ length: frames }, (_, f) => fit(Array.from({ length: p.fl }, (_, k): C => [v[f * p.fs + k]! * win(k), 0]).slice(0, n), n));
    return fromRows(out.map((r) => dft(r, -1).slice(0, h)), [frames, h], (r) => l1(out[r]!));
  },
  show: (p) => JSON.stringify({ ...p }),
});

export function describeSignal(ctx: ConformanceContext): void {
  describeOpCases(ctx, "signal ops (tf.signal)", [fftCase(false), fftCase(true), rfftCase, irfftCase, fft2dCase(false), fft2dCase(true), rfft2dCase, windowCase, frameCase, overlapCase, stftCase]);

  ctx.test("signal: values numpy.fft gives; inverseStft reconstructs", { kernels: ["BatchMatMul"], dtype: "complex64", needs: ["float32"] }, async () => {
    // numpy.fft.rfft([0.5, -1.25, 2, 0.75, -0.5, 1.5, 3, -2, 0.25, 1, -1.75, 0.125])
    const x = host("float32", [12], [0.5, -1.25, 2, 0.75, -0.5, 1.5, 3, -2, 0.25, 1, -1.75, 0.125]);
    const want = [3.625, 0, -2.7912658774, -3.4105762114, 0.9375, 0.3247595264, -3, -2.375, 6.0625, 8.1189881605, -1.7087341226, 1.7855762114, 3.375, 0];
    const got = await evalOp([x], (t) => tf.signal.rfft(t!));
    assertMatches(got, { dtype: "complex64", shape: [7], data: want.map(Math.fround), scale: want.map(() => 15) }, ctx.tol("BatchMatMul", "complex64"), () => "rfft vs numpy");
    // numpy.fft.fft([1+2j, -0.5+0.25j, 3-1j, 0.75, -2+1.5j, 0.5-0.5j, 1.25+2j]): a prime length.
    const z = host("complex64", [7], [1, 2, -0.5, 0.25, 3, -1, 0.75, 0, -2, 1.5, 0.5, -0.5, 1.25, 2]);
    const want2 = [4, 4.25, -0.6914894917, 0.1228851846, -3.4160787435, 8.7268856741, 0.9538661525, -1.2633725654, 4.6154114935, -1.3290195476, -2.7832092374, -1.1548538677, 4.3214998265, 4.647475122];
    const got2 = await evalOp([z], (t) => tf.signal.fft(t!));
    assertMatches(got2, { dtype: "complex64", shape: [7], data: want2.map(Math.fround), scale: want2.map(() => 15) }, ctx.tol("BatchMatMul", "complex64"), () => "fft vs numpy");
    // A periodic Hann window of 8 with hop 2 has Σ w² = 1.5 at every sample covered by 4 frames, so
    // stft with it and inverseStft with w / 1.5 give the middle of the signal back.
    const sig = host("float32", [32], Array.from({ length: 32 }, (_, i) => Math.sin(i * 0.7) + 0.1 * i));
    const back = await evalOp([sig], (t) => tf.signal.inverseStft(tf.signal.stft(t!, 8, 2), 8, 2, { windowFn: (k) => tf.divide(tf.signal.hannWindow(k), 1.5) }));
    const s = num(sig);
    for (let i = 6; i < 26; i++) {
      if (Math.abs((back.data as number[])[i]! - s[i]!) > 1e-4 * 8) throw new Error(`inverseStft(stft(x))[${i}] = ${(back.data as number[])[i]}, want ${s[i]}`);
    }
  });

  ctx.test("signal ops: bad arguments", { kernels: [], dtype: "float32", needs: ["complex64"] }, async () => {
    const r = host("float32", [4], [1, 2, 3, 4]);
    const z = host("complex64", [2], [1, 0, 2, 0]);
    const V = tf.errors.ValueError, D = tf.errors.DtypeError;
    await expectOpError([r], (x) => tf.signal.fft(x!), D);
    await expectOpError([z], (x) => tf.signal.rfft(x!), D);
    await expectOpError([r], (x) => tf.signal.rfft(x!, { fftLength: 0 }), V);
    await expectOpError([r], (x) => tf.signal.rfft(x!, { fftLength: [2, 2] as never }), V);
    await expectOpError([host("complex64", [1], [1, 0])], (x) => tf.signal.irfft(x!), V);
    await expectOpError([z], (x) => tf.signal.fft2d(x!), V);
    await expectOpError([r], (x) => tf.signal.frame(x!, 0, 1), V);
    await expectOpError([r], (x) => tf.signal.frame(x!, 2, 1, { axis: 3 }), tf.errors.InvalidArgumentError);
    await expectOpError([r], (x) => tf.signal.overlapAndAdd(x!, 1), V);
    await expectOpError([r], (x) => tf.signal.stft(x!, 2, 1, { windowFn: () => tf.ones([3]) }), V);
    await expectOpError([r], (x) => tf.signal.stft(x!, 2, 1, { window: null } as never), TypeError);
    await expectOpError([], () => tf.signal.hannWindow(-1), V);
    await expectOpError([], () => tf.signal.hammingWindow(3, { dtype: "int32" as "float32" }), V);
  });
}
