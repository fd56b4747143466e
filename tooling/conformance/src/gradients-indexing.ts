/** Gradient cases of the indexing ops (strided slicing, mirror padding, masks, segment reductions); see gradients.ts. */
import * as tf from "@tessera/core";
import type { GradientCase } from "./gradients.js";

export function indexingGradientCases(): GradientCase[] {
  return [
    { name: "stridedSlice negative stride, newaxis, shrink", kernels: ["Slice", "Gather"], secondKernels: ["Pad", "UnsortedSegmentSum"], inputs: [{ shape: [3, 4, 2] }], f: (x) => tf.stridedSlice(x, [-1, 0, 0, 1], [0, 4, 0, 2], [-1, 2, 1, 1], { endMask: 1, newAxisMask: 4, shrinkAxisMask: 8 }) },
    { name: "Tensor.get with an ellipsis", kernels: ["Slice"], secondKernels: ["Pad"], inputs: [{ shape: [2, 3, 4] }], f: (x) => x.get("1:, ..., 1:3") },
    { name: "pad REFLECT", kernels: ["Gather"], secondKernels: ["UnsortedSegmentSum"], inputs: [{ shape: [3, 4] }], f: (x) => tf.pad(x, [[2, 1], [0, 3]], { mode: "REFLECT" }) },
    { name: "mirrorPad symmetric", kernels: ["Gather"], secondKernels: ["UnsortedSegmentSum"], inputs: [{ shape: [2, 3] }], f: (x) => tf.mirrorPad(x, [[2, 1], [3, 0]], "symmetric") },
    { name: "booleanMask of a rank-2 mask", kernels: ["Gather"], secondKernels: ["UnsortedSegmentSum"], inputs: [{ shape: [2, 3, 2] }], f: (x) => tf.booleanMask(x, [[true, false, true], [false, true, true]]) },
    { name: "booleanMask axis 1", kernels: ["Gather"], inputs: [{ shape: [2, 3] }], f: (x) => tf.booleanMask(x, [false, true, true], { axis: 1 }) },
  ];
}
