/** `tf.nn`: network ops. */
export { avgPool2d, conv2d, maxPool2d } from "./ops/conv.js";
export { logSoftmax, softmax, sparseSoftmaxCrossEntropyWithLogits } from "./ops/nn.js";
export { relu } from "./ops/unary.js";
