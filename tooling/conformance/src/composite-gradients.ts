/**
 * Finite-difference gradient cases of the composite op families kept in their own files (weighted
 * losses, image ops); `realCases` in `gradients.ts` includes them. Values stay off the kinks of
 * |x|, max and min so that central differences are meaningful.
 */
import * as tf from "@tessera/core";
import type { GradientCase } from "./gradients.js";

const L = tf.compat.v1.losses;
const WEIGHTS_23 = [[1, 0, 2], [0.5, 1.5, 3]];

/** The weighted losses of `tf.compat.v1.losses`, with weights and each reduction. */
export function lossGradientCases(): GradientCase[] {
  const labels = [[0.3, -1.2, 0.8], [1.1, 0.1, -0.6]];
  return [
    {
      name: "computeWeightedLoss (weights as input, MEAN)", kernels: ["Mul", "Sum"], inputs: [{ shape: [2, 3] }, { shape: [2, 1], lo: 0.5, hi: 2 }],
      f: (l, w) => L.computeWeightedLoss(l!, { weights: w!, reduction: L.Reduction.MEAN }),
    },
    {
      name: "absoluteDifference (SUM_BY_NONZERO_WEIGHTS)", kernels: ["Abs", "Mul"], inputs: [{ shape: [2, 3], values: [1.3, 0.4, -0.9, 2.2, -1.5, 0.7] }],
      f: (p) => L.absoluteDifference(labels, p!, { weights: WEIGHTS_23 }),
    },
    {
      name: "meanSquaredError (labels and predictions, SUM)", kernels: ["Square", "Mul"], inputs: [{ shape: [2, 3] }, { shape: [2, 3] }],
      f: (l, p) => L.meanSquaredError(l!, p!, { weights: [[2], [0.5]], reduction: L.Reduction.SUM }),
    },
    {
      name: "huberLoss delta 0.5 (NONE)", kernels: ["Abs", "Minimum", "Square"], inputs: [{ shape: [2, 3], values: [0.35, -0.9, 1.9, 1.3, 0.2, -1.5] }],
      f: (p) => L.huberLoss(labels, p!, { delta: 0.5, reduction: L.Reduction.NONE }),
    },
    {
      name: "logLoss", kernels: ["Log", "Mul"], inputs: [{ shape: [2, 3], lo: 0.1, hi: 0.9 }],
      f: (p) => L.logLoss([[1, 0, 0.3], [0, 1, 0.6]], p!, { weights: WEIGHTS_23 }),
    },
    {
      name: "hingeLoss (SUM_OVER_BATCH_SIZE)", kernels: ["Relu", "Mul"], inputs: [{ shape: [2, 3], values: [0.4, -2.1, 1.6, -0.3, 2.5, 0.2] }],
      f: (x) => L.hingeLoss([[1, 0, 1], [0, 1, 0]], x!, { reduction: L.Reduction.SUM_OVER_BATCH_SIZE }),
    },
    {
      name: "sigmoidCrossEntropy labelSmoothing 0.2", kernels: ["Relu", "Exp", "Log1p"], inputs: [{ shape: [2, 3], values: [0.4, -2.1, 1.6, -0.3, 2.5, 0.7] }],
      f: (x) => L.sigmoidCrossEntropy([[1, 0, 1], [0, 1, 0.5]], x!, { labelSmoothing: 0.2, weights: WEIGHTS_23 }),
    },
    {
      name: "softmaxCrossEntropy (labels and logits, smoothing 0.1)", kernels: ["Exp", "Log", "Mul"], inputs: [{ shape: [2, 3], lo: 0, hi: 1 }, { shape: [2, 3] }],
      f: (l, x) => L.softmaxCrossEntropy(l!, x!, { labelSmoothing: 0.1, weights: [1.5, 0.5] }),
    },
    {
      name: "cosineDistance axis 1 (MEAN)", kernels: ["Mul", "Sum"], inputs: [{ shape: [2, 3], lo: -1, hi: 1 }, { shape: [2, 3], lo: -1, hi: 1 }],
      f: (l, p) => L.cosineDistance(l!, p!, { axis: 1, weights: [[2], [1]], reduction: L.Reduction.MEAN }),
    },
  ];
}

/** The differentiable `tf.image` ops (gathers, slices, pads and arithmetic underneath). */
export function imageGradientCases(): GradientCase[] {
  // Few inputs: the second-order checks take a finite difference per input (slow on float64 WebGPU).
  const img = { shape: [2, 2, 2] };
  return [
    { name: "image.flipLeftRight", kernels: ["Gather"], secondKernels: ["UnsortedSegmentSum"], inputs: [img], f: (x) => tf.image.flipLeftRight(x!) },
    { name: "image.rot90 k=3 (batch)", kernels: ["Gather", "Transpose"], inputs: [{ shape: [1, 2, 3, 1] }], f: (x) => tf.image.rot90(x!, { k: 3 }) },
    { name: "image.rgbToGrayscale", kernels: ["Mul", "Sum"], inputs: [{ shape: [2, 1, 3] }], f: (x) => tf.image.rgbToGrayscale(x!) },
    { name: "image.adjustContrast", kernels: ["Sum", "Mul"], inputs: [img], f: (x) => tf.image.adjustContrast(x!, 1.7) },
    // First order only: its second order (through Sqrt, Div, Maximum and two means, each checked to second
    // order on its own) takes minutes on float64 WebGPU.
    { name: "image.perImageStandardization", kernels: ["Sum", "Sqrt", "Div"], inputs: [img], f: (x) => tf.image.perImageStandardization(x!), second: false },
    { name: "image.centralCrop + padToBoundingBox", kernels: ["Slice", "Pad"], inputs: [{ shape: [4, 2, 1] }], f: (x) => tf.image.padToBoundingBox(tf.image.centralCrop(x!, 0.5), 1, 0, 4, 3) },
    { name: "image.resize bilinear (upsampling)", kernels: ["Gather", "Mul"], secondKernels: ["UnsortedSegmentSum"], inputs: [{ shape: [1, 2, 2, 1] }], f: (x) => tf.image.resize(x!, [3, 3]) },
    { name: "image.resize nearest (downsampling)", kernels: ["Gather"], inputs: [{ shape: [2, 3, 1] }], f: (x) => tf.image.resize(x!, [1, 2], { method: "nearest" }) },
    {
      name: "compat.v1.image.resizeBilinear alignCorners", kernels: ["Gather", "Mul"], inputs: [{ shape: [2, 2, 1] }],
      f: (x) => tf.compat.v1.image.resizeBilinear(x!, [3, 2], { alignCorners: true }),
    },
    // Values off the ties and kinks of max/min and of the hue ramps. First order only: the second order
    // through a dozen where/min/max branches takes minutes on float64 WebGPU (each branch is checked on its own).
    { name: "image.rgbToHsv", kernels: ["Maximum", "Minimum", "Where"], inputs: [{ shape: [2, 3], values: [0.2, 0.5, 0.9, 0.7, 0.3, 0.45] }], f: (x) => tf.image.rgbToHsv(x!), second: false },
    { name: "image.hsvToRgb", kernels: ["FloorMod", "Where"], inputs: [{ shape: [2, 3], values: [0.1, 0.5, 0.8, 0.7, 0.3, 0.6] }], f: (x) => tf.image.hsvToRgb(x!), second: false },
    { name: "image.adjustHue", kernels: ["FloorMod", "Where"], inputs: [{ shape: [1, 3], values: [0.2, 0.5, 0.9] }], f: (x) => tf.image.adjustHue(x!, 0.3), second: false },
    {
      name: "image.cropAndResize bilinear (w.r.t. the image)", kernels: ["Gather", "Mul"], secondKernels: ["UnsortedSegmentSum"], inputs: [{ shape: [1, 3, 3, 1] }],
      f: (x) => tf.image.cropAndResize(x!, [[0.1, 0.2, 0.9, 0.7], [1.2, 0, 0.3, 0.5]], [0, 0], [2, 2], { extrapolationValue: 0.5 }),
    },
    {
      name: "image.extractPatches SAME, stride 2", kernels: ["Gather", "Transpose", "Pad"], secondKernels: ["UnsortedSegmentSum"], inputs: [{ shape: [1, 3, 3, 1] }],
      f: (x) => tf.image.extractPatches(x!, [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "SAME"),
    },
    {
      name: "image.transform bilinear, reflect", kernels: ["Gather", "Mul"], inputs: [{ shape: [1, 2, 3, 1] }],
      f: (x) => tf.image.transform(x!, [[0.8, 0.3, 0.4, -0.2, 0.9, 0.3, 0, 0]], { interpolation: "bilinear", fillMode: "reflect" }),
    },
  ];
}

/** `tf.signal` (complex64 cases; `z` makes a complex input). The FFTs are matmuls, transposes and products underneath. */
export function signalGradientCases(z: (shape: number[]) => GradientCase["inputs"][number]): GradientCase[] {
  return [
    { name: "signal.fft (direct, n = 5)", kernels: ["BatchMatMul"], inputs: [z([2, 5])], f: (x) => tf.signal.fft(x!), complex: true },
    // n = 18 takes the four-step path (3 × 6); first order only, for time.
    { name: "signal.fft (four-step, n = 18)", kernels: ["BatchMatMul", "Transpose"], inputs: [z([18])], f: (x) => tf.signal.fft(x!), complex: true, second: false },
    { name: "signal.ifft2d", kernels: ["BatchMatMul"], inputs: [z([2, 3])], f: (x) => tf.signal.ifft2d(x!), complex: true },
    { name: "signal.rfft (fftLength 6, padded)", kernels: ["BatchMatMul", "Cast"], inputs: [{ shape: [4] }], f: (x) => tf.signal.rfft(x!, { fftLength: 6 }), complex: true },
    { name: "signal.irfft (fftLength 5)", kernels: ["BatchMatMul", "Real"], inputs: [z([3])], f: (x) => tf.signal.irfft(x!, { fftLength: 5 }), complex: true },
    {
      name: "signal.stft (Hann window) and frame", kernels: ["Gather", "BatchMatMul"], inputs: [{ shape: [7] }],
      f: (x) => tf.signal.stft(x!, 4, 3, { padEnd: true }), complex: true, second: false,
    },
    { name: "signal.overlapAndAdd", kernels: ["UnsortedSegmentSum"], inputs: [{ shape: [3, 4] }], f: (x) => tf.signal.overlapAndAdd(x!, 2), complex: true },
  ];
}
