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
    { name: "segmentSum / segmentMean", kernels: ["UnsortedSegmentSum", "Div"], inputs: [{ shape: [4, 2] }], f: (x) => tf.add(tf.math.segmentSum(x, [0, 0, 2, 2]), tf.math.segmentMean(x, [0, 0, 2, 2])) },
    { name: "segmentMax", kernels: ["Gather", "Max"], secondKernels: ["UnsortedSegmentSum"], inputs: [{ shape: [4, 2] }], f: (x) => tf.math.segmentMax(x, [0, 0, 1, 3]) },
    { name: "segmentMin", kernels: ["Gather", "Min"], inputs: [{ shape: [4, 2] }], f: (x) => tf.math.segmentMin(x, [1, 1, 1, 2]) },
    { name: "segmentProd", kernels: ["Gather", "Prod"], inputs: [{ shape: [4, 2], lo: 0.5, hi: 2 }], f: (x) => tf.math.segmentProd(x, [0, 1, 1, 1]) },
    { name: "unsortedSegmentMax", kernels: ["Gather", "Max"], inputs: [{ shape: [5, 2] }], f: (x) => tf.math.unsortedSegmentMax(x, [2, 0, 2, -1, 1], 3) },
    { name: "unsortedSegmentMin", kernels: ["Gather", "Min"], inputs: [{ shape: [2, 2, 2] }], f: (x) => tf.math.unsortedSegmentMin(x, [[1, 0], [1, 1]], 2) },
    { name: "unsortedSegmentProd", kernels: ["Gather", "Prod"], inputs: [{ shape: [4, 2], lo: -2, hi: -0.5 }], f: (x) => tf.math.unsortedSegmentProd(x, [1, 0, 1, 2], 3) },
    { name: "bincount weights", kernels: ["UnsortedSegmentSum"], secondKernels: ["Gather"], inputs: [{ shape: [4] }], f: (w) => tf.math.bincount([3, 1, 1, 0], { weights: w }) },
    { name: "confusionMatrix weights", kernels: ["UnsortedSegmentSum"], inputs: [{ shape: [3] }], f: (w) => tf.math.confusionMatrix([0, 2, 0], [1, 2, 1], { weights: w }) },
    { name: "spaceToBatchNd", kernels: ["Pad", "Transpose"], secondKernels: ["Slice"], inputs: [{ shape: [1, 3, 4, 1] }], f: (x) => tf.spaceToBatchNd(x, [2, 2], [[1, 0], [0, 0]]) },
    { name: "batchToSpaceNd", kernels: ["Transpose", "Slice"], secondKernels: ["Pad"], inputs: [{ shape: [4, 1, 2, 1] }], f: (x) => tf.batchToSpaceNd(x, [2, 2], [[0, 1], [1, 0]]) },
    { name: "ensureShape", kernels: [], inputs: [{ shape: [2, 3] }], f: (x) => tf.ensureShape(x, [null, 3]) },
  ];
}
