/**
 * `tf.signal.stft` and `inverseStft`: framing, a window and real FFTs (and back: inverse FFTs, the
 * window and overlap-add), all composites, so gradients flow through every step.
 */
import { tidy } from "../../engine/tidy.js";
import { ValueError, opMessage } from "../../errors.js";
import { optionKeys } from "../../options.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { multiply } from "../binary.js";
import { pad, slice } from "../slice.js";
import { defineOp } from "../table/define.js";
import { irfft, rfft } from "./fft.js";
import { frame, overlapAndAdd } from "./frame.js";
import { hannWindow } from "./windows.js";

/** A window function: called with the frame length, returns a float32 [frameLength] window. */
export type WindowFn = (frameLength: number) => Tensor;

/** Options of `tf.signal.stft`. */
export interface StftOptions {
  /** FFT length (default: the smallest power of 2 ≥ frameLength). */
  fftLength?: number;
  /** Window applied to each frame (default `hannWindow`; `null` for none). */
  windowFn?: WindowFn | null;
  /** Pad the end of the signal so that no sample is dropped (default false). */
  padEnd?: boolean;
}
/** Options of `tf.signal.inverseStft`. */
export interface InverseStftOptions {
  /** FFT length the STFT used (default: the smallest power of 2 ≥ frameLength). */
  fftLength?: number;
  /** Window applied to each inverse frame (default `hannWindow`; `null` for none). */
  windowFn?: WindowFn | null;
}
const STFT_KEYS = optionKeys<StftOptions>()("fftLength", "windowFn", "padEnd");
const ISTFT_KEYS = optionKeys<InverseStftOptions>()("fftLength", "windowFn");

function positiveInt(v: unknown, name: string, op: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new ValueError(opMessage(op, `${name} must be a positive integer, got ${String(v)}`));
  return v;
}

const enclosingPowerOf2 = (n: number): number => 2 ** Math.ceil(Math.log2(n));

function windowOf(fn: WindowFn | null | undefined, frameLength: number, op: string): Tensor | null {
  if (fn === null) return null;
  if (fn !== undefined && typeof fn !== "function") throw new ValueError(opMessage(op, "windowFn must be a function or null"));
  const w = fn ? fn(frameLength) : hannWindow(frameLength);
  if (w.rank !== 1 || w.shape[0] !== frameLength || w.dtype !== "float32") {
    throw new ValueError(opMessage(op, `windowFn must return a float32 [${frameLength}] tensor, got ${w.dtype} [${w.shape.join(", ")}]`));
  }
  return w;
}

/**
 * Short-time Fourier transform of float32 `signals` `[..., samples]`: frames of `frameLength` every
 * `frameStep` samples, each windowed and transformed with `rfft` of `fftLength`:
 * [..., frames, fftLength/2 + 1] complex64. `tf.signal.stft`.
 */
export const stft = defineOp("signal.stft", function stft(signals: TensorLike, frameLength: number, frameStep: number, options: StftOptions = {}): Tensor {
  const op = "STFT";
  const fl = positiveInt(frameLength, "frameLength", op), fs = positiveInt(frameStep, "frameStep", op);
  const n = positiveInt(options.fftLength ?? enclosingPowerOf2(fl), "fftLength", op);
  return tidy(() => {
    const t = toTensor(signals, op, "float32");
    const framed = frame(t, fl, fs, { padEnd: options.padEnd ?? false });
    const w = windowOf(options.windowFn, fl, op);
    return rfft(w ? multiply(framed, w) : framed, { fftLength: n });
  });
}, { method: false, args: 4, options: STFT_KEYS });

/**
 * Inverse of `stft`: `irfft` of each frame, cropped (or zero-padded) to `frameLength`, windowed, and
 * overlap-added every `frameStep` samples. With a window pair satisfying the constant-overlap-add
 * condition this reconstructs the signal (TensorFlow's `inverse_stft_window_fn` gives one).
 * `tf.signal.inverseStft`.
 */
export const inverseStft = defineOp("signal.inverseStft", function inverseStft(stfts: TensorLike, frameLength: number, frameStep: number, options: InverseStftOptions = {}): Tensor {
  const op = "InverseSTFT";
  const fl = positiveInt(frameLength, "frameLength", op), fs = positiveInt(frameStep, "frameStep", op);
  const n = positiveInt(options.fftLength ?? enclosingPowerOf2(fl), "fftLength", op);
  return tidy(() => {
    const t = toTensor(stfts, op);
    if (t.rank < 2) throw new ValueError(opMessage(op, `stfts must have rank >= 2 ([..., frames, bins]), got rank ${t.rank}`));
    let frames = irfft(t, { fftLength: n });
    const r = frames.rank;
    if (n > fl) frames = slice(frames, frames.shape.map(() => 0), frames.shape.map((d, i) => (i === r - 1 ? fl : d)));
    else if (n < fl) frames = pad(frames, frames.shape.map((_, i) => (i === r - 1 ? [0, fl - n] : [0, 0]) as [number, number]));
    const w = windowOf(options.windowFn, fl, op);
    return overlapAndAdd(w ? multiply(frames, w) : frames, fs);
  });
}, { method: false, args: 4, options: ISTFT_KEYS });
