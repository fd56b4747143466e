/**
 * Gradient cases of the convolution variants (conv2d NCHW, conv1d, the transposed, depthwise and
 * separable convolutions); `realCases` in `gradients.ts` includes them. The second-order checks run
 * the conv kernels' gradient kernels and the gradients of pad, slice, multiply and add.
 */
import * as tf from "@tessera/core";
import type { GradientCase } from "./gradients.js";

const U = { lo: -1, hi: 1 };

export function convGradientCases(): GradientCase[] {
  return [
    {
      name: "conv2d NCHW stride 2 SAME", kernels: ["Conv2D", "Transpose"], secondKernels: ["Conv2DBackpropInput", "Conv2DBackpropFilter"],
      inputs: [{ shape: [1, 2, 4, 3], ...U }, { shape: [2, 2, 2, 2], ...U }], f: (x, w) => tf.nn.conv2d(x!, w!, [1, 1, 2, 2], "SAME", { dataFormat: "NCHW" }),
    },
    {
      name: "conv1d stride 2 dilation 1 SAME", kernels: ["Conv2D"], secondKernels: ["Conv2DBackpropInput", "Conv2DBackpropFilter"],
      inputs: [{ shape: [2, 5, 2], ...U }, { shape: [3, 2, 2], ...U }], f: (x, w) => tf.nn.conv1d(x!, w!, 2, "SAME"),
    },
    {
      name: "conv1d NCW dilation 2 VALID", kernels: ["Conv2D", "Transpose"], secondKernels: ["Conv2DBackpropInput", "Conv2DBackpropFilter"],
      inputs: [{ shape: [1, 2, 6], ...U }, { shape: [2, 2, 1], ...U }], f: (x, w) => tf.nn.conv1d(x!, w!, 1, "VALID", { dataFormat: "NCW", dilations: 2 }),
    },
    {
      name: "conv2dTranspose stride 2 SAME", kernels: ["Conv2DBackpropInput"], secondKernels: ["Conv2D", "Conv2DBackpropFilter"],
      inputs: [{ shape: [1, 2, 3, 2], ...U }, { shape: [3, 3, 1, 2], ...U }], f: (x, w) => tf.nn.conv2dTranspose(x!, w!, [1, 4, 5, 1], 2),
    },
    {
      name: "conv2dTranspose VALID dilation 2", kernels: ["Conv2DBackpropInput"], secondKernels: ["Conv2D", "Conv2DBackpropFilter"],
      inputs: [{ shape: [1, 2, 2, 1], ...U }, { shape: [2, 2, 2, 1], ...U }], f: (x, w) => tf.nn.conv2dTranspose(x!, w!, [1, 4, 4, 2], 1, { padding: "VALID", dilations: 2 }),
    },
    {
      name: "conv1dTranspose stride 2 VALID", kernels: ["Conv2DBackpropInput"], secondKernels: ["Conv2D", "Conv2DBackpropFilter"],
      inputs: [{ shape: [1, 3, 2], ...U }, { shape: [3, 1, 2], ...U }], f: (x, w) => tf.nn.conv1dTranspose(x!, w!, [1, 7, 1], 2, { padding: "VALID" }),
    },
    {
      name: "depthwiseConv2d multiplier 2 stride 2 SAME", kernels: ["Pad", "Slice", "Concat", "Mul", "Sum"],
      inputs: [{ shape: [1, 3, 3, 1], ...U }, { shape: [2, 2, 1, 2], ...U }], f: (x, w) => tf.nn.depthwiseConv2d(x!, w!, 2, "SAME"),
    },
    {
      name: "depthwiseConv2d NCHW dilation 2 VALID", kernels: ["Slice", "Concat", "Mul", "Sum", "Transpose"],
      inputs: [{ shape: [1, 2, 3, 4], ...U }, { shape: [2, 2, 2, 1], ...U }], f: (x, w) => tf.nn.depthwiseConv2d(x!, w!, 1, "VALID", { dataFormat: "NCHW", dilations: 2 }),
    },
    {
      name: "separableConv2d SAME", kernels: ["Mul", "Sum", "Conv2D"], secondKernels: ["Conv2DBackpropInput", "Conv2DBackpropFilter"],
      inputs: [{ shape: [1, 3, 3, 2], ...U }, { shape: [2, 2, 2, 2], ...U }, { shape: [1, 1, 4, 2], ...U }], f: (x, d, p) => tf.nn.separableConv2d(x!, d!, p!, 1, "SAME"),
    },
  ];
}
