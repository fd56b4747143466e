/**
 * Every op, as `tf.<name>`: each file holds one family of op entries (see `table/define.ts`), which
 * carry their TF2 namespaces, Tensor methods, option keys and, for kernels, their declarations.
 */
export * from "./activations.js";
export * from "./binary.js";
export * from "./cast.js";
export * from "./compare.js";
export * from "./clip.js";
export * from "./complex.js";
export * from "./concat.js";
export { avgPool2d, conv2d, maxPool2d } from "./conv.js";
export type { Conv2DOptions, DataFormat2D, Padding, Window } from "./conv.js";
export { conv1d } from "./conv1d.js";
export type { Conv1DOptions, DataFormat1D } from "./conv1d.js";
export * from "./conv-depthwise.js";
export * from "./conv-transpose.js";
export * from "./creation.js";
export * from "./cumulative.js";
export * from "./einsum.js";
export * from "./gather.js";
export * from "./grids.js";
export * from "./identity.js";
export * from "./l2-normalize.js";
export * from "./leaky-relu.js";
export * from "./linalg.js";
export * from "./math-extra.js";
export * from "./matmul.js";
export * from "./moments.js";
export { logSoftmax, softmax, sparseSoftmaxCrossEntropyWithLogits } from "./nn.js";
export * from "./pool1d.js";
export { argmax, argmin, reduceAll, reduceAny, reduceLogSumExp, reduceMax, reduceMean, reduceMin, reduceProd, reduceSum } from "./reduce.js";
export type { ReduceOptions } from "./reduce.js";
export * from "./repeat.js";
export { expandDims, reshape, squeeze } from "./reshape.js";
export * from "./reverse.js";
export * from "./segment.js";
export * from "./sequence-mask.js";
export * from "./slice.js";
export * from "./space-depth.js";
export * from "./tile.js";
export * from "./transpose.js";
export * from "./unary.js";
// Gradients of the structured kernels (elementwise entries carry their own).
import "./cast.grad.js";
import "./complex.grad.js";
import "./concat.grad.js";
import "./conv.grad.js";
import "./creation.grad.js";
import "./gather.grad.js";
import "./identity.grad.js";
import "./matmul.grad.js";
import "./reduce.grad.js";
import "./reshape.grad.js";
import "./slice.grad.js";
import "./tile.grad.js";
import "./transpose.grad.js";
import "./where.grad.js";
