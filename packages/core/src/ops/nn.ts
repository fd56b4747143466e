/** Composite network ops written from primitives: softmax, logSoftmax, sparse softmax cross-entropy. */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { describeDims, normalizeAxis } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { divide, multiply, subtract } from "./binary.js";
import { cast } from "./cast.js";
import { greaterEqual, less, logicalAnd, where } from "./compare.js";
import { oneHot } from "./gather.js";
import { stopGradient } from "./identity.js";
import { FLOAT, Temps, checkDtype } from "./op-utils.js";
import { reduceMax, reduceSum } from "./reduce.js";
import { exp, log, neg } from "./unary.js";
import { defineOp } from "./table/define.js";

/** x − max(x) along `axis`, with the max held constant for gradients (softmax is shift-invariant). */
function shifted(t: Tensor, axis: number, tmp: Temps): Tensor {
  const max = tmp.keep(stopGradient(tmp.keep(reduceMax(t, { axis, keepdims: true }))));
  return tmp.keep(subtract(t, max));
}

/** exp(x) / Σ exp(x) along `axis` (default the last). */
export const softmax = defineOp("softmax", function softmax(x: TensorLike, axis = -1): Tensor {
  const t = toTensor(x, "Softmax");
  const tmp = new Temps();
  try {
    checkDtype("Softmax", t.dtype, FLOAT);
    const ax = normalizeAxis(axis, t.rank, "Softmax");
    const e = tmp.keep(exp(shifted(t, ax, tmp)));
    return divide(e, tmp.keep(reduceSum(e, { axis: ax, keepdims: true })));
  } finally {
    tmp.dispose();
    if (t !== x) t.dispose();
  }
}, { paths: ["nn.softmax"], args: 2 });

/** log(softmax(x)) along `axis`, computed stably. */
export const logSoftmax = defineOp("logSoftmax", function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const t = toTensor(x, "LogSoftmax");
  const tmp = new Temps();
  try {
    checkDtype("LogSoftmax", t.dtype, FLOAT);
    const ax = normalizeAxis(axis, t.rank, "LogSoftmax");
    const s = shifted(t, ax, tmp);
    const lse = tmp.keep(log(tmp.keep(reduceSum(tmp.keep(exp(s)), { axis: ax, keepdims: true }))));
    return subtract(s, lse);
  } finally {
    tmp.dispose();
    if (t !== x) t.dispose();
  }
}, { paths: ["nn.logSoftmax"], args: 2 });

/**
 * Per-example cross-entropy between integer `labels` `[...batch]` and unnormalised `logits`
 * `[...batch, classes]`. A label outside `[0, classes)` gives NaN for its example (as on GPUs in TensorFlow).
 */
export const sparseSoftmaxCrossEntropyWithLogits = defineOp("sparseSoftmaxCrossEntropyWithLogits", function sparseSoftmaxCrossEntropyWithLogits(labels: TensorLike, logits: TensorLike): Tensor {
  const op = "SparseSoftmaxCrossEntropyWithLogits";
  const lab = toTensor(labels, op, "int32");
  let lg: Tensor;
  try {
    lg = toTensor(logits, op);
  } catch (err) {
    if (lab !== labels) lab.dispose();
    throw err;
  }
  const tmp = new Temps();
  try {
    checkDtype(op, lab.dtype, ["int32"]);
    checkDtype(op, lg.dtype, FLOAT);
    const batch = lg.shape.slice(0, -1);
    if (lg.rank < 1 || lab.rank !== lg.rank - 1 || lab.shape.some((d, i) => d !== batch[i])) {
      throw new InvalidArgumentError(
        opMessage(op, `labels shape must equal logits shape except for the last dimension; received labels shape ${describeDims(lab.shape)} and logits shape ${describeDims(lg.shape)}`),
      );
    }
    const classes = lg.shape[lg.rank - 1]!;
    const logp = tmp.keep(logSoftmax(lg, -1));
    const hot = tmp.keep(cast(tmp.keep(oneHot(lab, classes)), lg.dtype));
    const picked = tmp.keep(reduceSum(tmp.keep(multiply(logp, hot)), { axis: -1 }));
    const loss = tmp.keep(neg(picked));
    const valid = tmp.keep(logicalAnd(tmp.keep(greaterEqual(lab, 0)), tmp.keep(less(lab, classes))));
    return where(valid, loss, NaN);
  } finally {
    tmp.dispose();
    if (lab !== labels) lab.dispose();
    if (lg !== logits) lg.dispose();
  }
}, { paths: ["nn.sparseSoftmaxCrossEntropyWithLogits"], method: false });
