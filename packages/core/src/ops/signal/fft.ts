/**
 * Discrete Fourier transforms of any length (`tf.signal.fft`, `ifft`, `rfft`, `irfft` and the 2-D
 * forms) on complex64, written from complex matmuls, transposes and elementwise products, so every
 * backend runs them and their gradients come from the parts.
 *
 * Method: a length n = n1·n2 (n1 the largest divisor ≤ √n) is split with the Cooley–Tukey "four-step"
 * factorisation — DFTs of length n1, a twiddle product, DFTs of length n2, one transpose — applied
 * recursively; lengths ≤ 16 and primes are a direct DFT (a matmul by the n×n matrix of roots of unity).
 * Cost: O(n·(p1 + p2 + …)) multiply-adds per transform for n = p1·p2·…, O(n²) for a prime n. Twiddles
 * are computed in float64 from (j·k mod n)/n and rounded once to float32, so the error stays near that
 * of a float32 FFT.
 */
import { ENGINE } from "../../engine/engine.js";
import { tidy } from "../../engine/tidy.js";
import { DtypeError, ValueError, opMessage } from "../../errors.js";
import { optionKeys } from "../../options.js";
import { formatShapeTuple } from "../../shape.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { multiply } from "../binary.js";
import { cast } from "../cast.js";
import { complex, imag, real } from "../complex.js";
import { concat } from "../concat.js";
import { gather } from "../gather.js";
import { matmul } from "../matmul.js";
import { reshape } from "../reshape.js";
import { neg } from "../unary.js";
import { pad, slice } from "../slice.js";
import { transpose } from "../transpose.js";
import { defineOp } from "../table/define.js";

const DIRECT_MAX = 16;

/** exp(sign·2πi·(j·k mod n)/n) for j < rows, k < cols, as a complex64 [rows, cols] tensor. */
function roots(rows: number, cols: number, n: number, sign: number): Tensor {
  const v = new Float32Array(2 * rows * cols);
  for (let j = 0; j < rows; j++) for (let k = 0; k < cols; k++) {
    const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
    v[2 * (j * cols + k)] = Math.cos(a);
    v[2 * (j * cols + k) + 1] = Math.sin(a);
  }
  return ENGINE.upload(v, [rows, cols], "complex64");
}

function largestDivisorUpToSqrt(n: number): number {
  for (let d = Math.floor(Math.sqrt(n)); d > 1; d--) if (n % d === 0) return d;
  return 1;
}

/** Unnormalised DFT of complex64 rows `x` [m, n] (sign −1 forward, +1 inverse). */
function dftRows(x: Tensor, sign: number): Tensor {
  const [m, n] = x.shape as [number, number];
  if (n <= 1) return x;
  const n1 = n <= DIRECT_MAX ? 1 : largestDivisorUpToSqrt(n);
  if (n1 === 1) return matmul(x, roots(n, n, n, sign));
  const n2 = n / n1;
  // x[j1·n2 + j2] → DFT over j1 for each j2 → twiddle W^(j2·k1) → DFT over j2 → X[k1 + n1·k2].
  const byJ2 = reshape(transpose(reshape(x, [m, n1, n2]), [0, 2, 1]), [m * n2, n1]);
  const a = reshape(dftRows(byJ2, sign), [m, n2, n1]);
  const twiddled = multiply(a, roots(n2, n1, n, sign));
  const byK1 = reshape(transpose(twiddled, [0, 2, 1]), [m * n1, n2]);
  const b = reshape(dftRows(byK1, sign), [m, n1, n2]);
  return reshape(transpose(b, [0, 2, 1]), [m, n]);
}

/** DFT along the last axis of a complex64 tensor; `inverse` also divides by the length. */
function dftLast(x: Tensor, inverse: boolean): Tensor {
  const n = x.shape[x.rank - 1]!;
  const m = x.size / Math.max(n, 1);
  if (x.size === 0) return reshape(x, x.shape);
  let y = reshape(dftRows(reshape(x, [m, n]), inverse ? 1 : -1), x.shape);
  if (inverse) y = multiply(y, ENGINE.upload(Float32Array.of(1 / n, 0), [], "complex64"));
  return y;
}

/** Swaps the last two axes. */
function swapLast(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 1] = x.rank - 2;
  perm[x.rank - 2] = x.rank - 1;
  return transpose(x, perm);
}

function complexInput(input: TensorLike, op: string, minRank: number): Tensor {
  const t = toTensor(input, op);
  if (t.dtype !== "complex64") throw new DtypeError(opMessage(op, `input must be complex64, got ${t.dtype}`));
  if (t.rank < minRank) throw new ValueError(opMessage(op, `input must have rank >= ${minRank}, got shape ${formatShapeTuple(t.shape)}`));
  return t;
}

function realInput(input: TensorLike, op: string, minRank: number): Tensor {
  const t = toTensor(input, op, "float32");
  if (t.dtype !== "float32") throw new DtypeError(opMessage(op, `input must be float32, got ${t.dtype}`));
  if (t.rank < minRank) throw new ValueError(opMessage(op, `input must have rank >= ${minRank}, got shape ${formatShapeTuple(t.shape)}`));
  return t;
}

/** `x` cropped or zero-padded to `len` along `axis`. */
function fitAxis(x: Tensor, axis: number, len: number): Tensor {
  const n = x.shape[axis]!;
  if (n === len) return x;
  if (n > len) return slice(x, x.shape.map(() => 0), x.shape.map((d, i) => (i === axis ? len : d)));
  return pad(x, x.shape.map((_, i) => (i === axis ? [0, len - n] : [0, 0]) as [number, number]));
}

/** Checked FFT lengths: `count` positive integers from a number or an array. */
function fftLengths(v: unknown, count: number, op: string): number[] | undefined {
  if (v === undefined) return undefined;
  const list = typeof v === "number" ? [v] : Array.isArray(v) ? v : null;
  if (!list || list.length !== count || !list.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(opMessage(op, `fftLength must be ${count === 1 ? "a positive integer (or [n])" : `${count} positive integers`}, got ${JSON.stringify(v)}`));
  }
  return list as number[];
}

/** Options of `tf.signal.rfft` and `irfft`. */
export interface RfftOptions {
  /** Length of the transform (default: the input's length for rfft, 2·(m − 1) for irfft). */
  fftLength?: number | readonly [number];
}
/** Options of `tf.signal.rfft2d` and `irfft2d`. */
export interface Rfft2dOptions {
  /** [rows, cols] of the transform. */
  fftLength?: readonly [number, number];
}
const RFFT_KEYS = optionKeys<RfftOptions>()("fftLength");
const RFFT2D_KEYS = optionKeys<Rfft2dOptions>()("fftLength");

/** Discrete Fourier transform over the last axis of a complex64 tensor, any length. `tf.signal.fft`. */
export const fft = defineOp("signal.fft", function fft(input: TensorLike): Tensor {
  return tidy(() => dftLast(complexInput(input, "FFT", 1), false));
}, { method: false });

/** Inverse DFT over the last axis (divided by the length), complex64, any length. `tf.signal.ifft`. */
export const ifft = defineOp("signal.ifft", function ifft(input: TensorLike): Tensor {
  return tidy(() => dftLast(complexInput(input, "IFFT", 1), true));
}, { method: false });

/** DFT over the last two axes of a complex64 tensor. `tf.signal.fft2d`. */
export const fft2d = defineOp("signal.fft2d", function fft2d(input: TensorLike): Tensor {
  return tidy(() => swapLast(dftLast(swapLast(dftLast(complexInput(input, "FFT2D", 2), false)), false)));
}, { method: false });

/** Inverse DFT over the last two axes (divided by their sizes). `tf.signal.ifft2d`. */
export const ifft2d = defineOp("signal.ifft2d", function ifft2d(input: TensorLike): Tensor {
  return tidy(() => swapLast(dftLast(swapLast(dftLast(complexInput(input, "IFFT2D", 2), true)), true)));
}, { method: false });

/** The first ⌊n/2⌋ + 1 terms of the DFT of real rows (cropped or zero-padded to n first). */
function rfftLast(x: Tensor, n: number): Tensor {
  const fitted = fitAxis(x, x.rank - 1, n);
  const spectrum = dftLast(cast(fitted, "complex64"), false);
  return fitAxis(spectrum, x.rank - 1, Math.floor(n / 2) + 1);
}

/** Real signal of length n from the first ⌊n/2⌋ + 1 DFT terms (Hermitian symmetry; imaginary parts of the DC and Nyquist terms ignored). */
function irfftLast(x: Tensor, n: number): Tensor {
  const h = Math.floor(n / 2) + 1;
  const half = fitAxis(x, x.rank - 1, h);
  const mirror = new Int32Array(n - h);
  for (let k = h; k < n; k++) mirror[k - h] = n - k;
  // The mirrored half is gathered from the float32 parts (conjugated by negating the imaginary part):
  // the gradient of a complex64 gather is not reliable on every backend yet.
  let full = half;
  if (mirror.length > 0) {
    const idx = ENGINE.upload(mirror, [mirror.length], "int32");
    const mirrored = complex(gather(real(half), idx, x.rank - 1), neg(gather(imag(half), idx, x.rank - 1)));
    full = concat([half, mirrored], -1);
  }
  return real(dftLast(full, true));
}

/**
 * DFT of a real float32 signal over its last axis: the ⌊n/2⌋ + 1 non-negative frequency terms
 * (complex64), n = `fftLength` (the input is cropped or zero-padded to it). `tf.signal.rfft`.
 */
export const rfft = defineOp("signal.rfft", function rfft(input: TensorLike, options: RfftOptions = {}): Tensor {
  const op = "RFFT";
  const len = fftLengths(options.fftLength, 1, op);
  return tidy(() => {
    const t = realInput(input, op, 1);
    return rfftLast(t, len?.[0] ?? t.shape[t.rank - 1]!);
  });
}, { method: false, args: 2, options: RFFT_KEYS });

/**
 * Inverse of `rfft`: a real float32 signal of length n = `fftLength` (default 2·(m − 1) for m input
 * terms) from its non-negative frequency terms. `tf.signal.irfft`.
 */
export const irfft = defineOp("signal.irfft", function irfft(input: TensorLike, options: RfftOptions = {}): Tensor {
  const op = "IRFFT";
  const len = fftLengths(options.fftLength, 1, op);
  return tidy(() => {
    const t = complexInput(input, op, 1);
    const m = t.shape[t.rank - 1]!;
    const n = len?.[0] ?? 2 * (m - 1);
    if (n < 1) throw new ValueError(opMessage(op, `the inferred fftLength 2·(${m} − 1) is not positive; pass fftLength`));
    return irfftLast(t, n);
  });
}, { method: false, args: 2, options: RFFT_KEYS });

/** 2-D `rfft` over the last two axes: [..., rows, ⌊cols/2⌋ + 1] complex64. `tf.signal.rfft2d`. */
export const rfft2d = defineOp("signal.rfft2d", function rfft2d(input: TensorLike, options: Rfft2dOptions = {}): Tensor {
  const op = "RFFT2D";
  const len = fftLengths(options.fftLength, 2, op);
  return tidy(() => {
    const t = realInput(input, op, 2);
    const [rows, cols] = len ?? [t.shape[t.rank - 2]!, t.shape[t.rank - 1]!];
    const inner = rfftLast(t, cols!);
    return swapLast(dftLast(swapLast(fitAxis(inner, t.rank - 2, rows!)), false));
  });
}, { method: false, args: 2, options: RFFT2D_KEYS });

/** Inverse of `rfft2d`: a real [..., rows, cols] signal (cols default 2·(m − 1)). `tf.signal.irfft2d`. */
export const irfft2d = defineOp("signal.irfft2d", function irfft2d(input: TensorLike, options: Rfft2dOptions = {}): Tensor {
  const op = "IRFFT2D";
  const len = fftLengths(options.fftLength, 2, op);
  return tidy(() => {
    const t = complexInput(input, op, 2);
    const m = t.shape[t.rank - 1]!;
    const [rows, cols] = len ?? [t.shape[t.rank - 2]!, 2 * (m - 1)];
    if (cols! < 1) throw new ValueError(opMessage(op, `the inferred fftLength 2·(${m} − 1) is not positive; pass fftLength`));
    const outer = swapLast(dftLast(swapLast(fitAxis(t, t.rank - 2, rows!)), true));
    return irfftLast(outer, cols!);
  });
}, { method: false, args: 2, options: RFFT2D_KEYS });
