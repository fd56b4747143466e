/** `tf.signal`: windows, framing and Fourier transforms of any length, written from core ops (so every backend runs them, with gradients). */
export { fft, fft2d, ifft, ifft2d, irfft, irfft2d, rfft, rfft2d } from "./fft.js";
export type { Rfft2dOptions, RfftOptions } from "./fft.js";
export { frame, overlapAndAdd } from "./frame.js";
export type { FrameOptions } from "./frame.js";
export { inverseStft, stft } from "./stft.js";
export type { InverseStftOptions, StftOptions, WindowFn } from "./stft.js";
export { hammingWindow, hannWindow } from "./windows.js";
export type { WindowOptions } from "./windows.js";
