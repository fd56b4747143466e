/** `tf.nn`: network ops. */
export { avgPool2d, conv2d, maxPool2d } from "./ops/conv.js";
export { l2Normalize } from "./ops/l2-normalize.js";
export { leakyRelu } from "./ops/leaky-relu.js";
export { avgPool1d, maxPool1d } from "./ops/pool1d.js";
export { logSoftmax, softmax, sparseSoftmaxCrossEntropyWithLogits } from "./ops/nn.js";
export { relu } from "./ops/unary.js";
