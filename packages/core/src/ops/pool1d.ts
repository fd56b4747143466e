/**
 * 1-D pooling (`tf.nn.maxPool1d`, `tf.nn.avgPool1d`) over NWC inputs, as TensorFlow does it: the 2-D
 * pooling ops on a free `[N, 1, W, C]` view. Gradients come from the 2-D ops.
 */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { describeDims } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Padding } from "./conv.js";
import { avgPool2d, maxPool2d } from "./conv.js";
import { Temps } from "./op-utils.js";
import { reshape } from "./reshape.js";
import { defineOp } from "./table/define.js";

/** A 1-D window or stride: a number, `[w]`, or NWC `[1, w, 1]`. */
export type Window1D = number | readonly number[];

/** "SAME", "VALID", or explicit NWC paddings `[[0, 0], [left, right], [0, 0]]`. */
export type Padding1D = "SAME" | "VALID" | "same" | "valid" | readonly (readonly [number, number])[];

function size1(v: Window1D, name: string, op: string): number {
  const k = typeof v === "number" ? v : v.length === 1 ? v[0] : v.length === 3 && v[0] === 1 && v[2] === 1 ? v[1] : undefined;
  if (k === undefined || !Number.isInteger(k) || k < 1) throw new InvalidArgumentError(opMessage(op, `${name} must be a positive integer, [w] or [1, w, 1], got ${JSON.stringify(v)}`));
  return k;
}

function pool1d(op: "MaxPool1D" | "AvgPool1D", x: TensorLike, ksize: Window1D, strides: Window1D, padding: Padding1D): Tensor {
  const t = toTensor(x, op);
  const tmp = new Temps();
  try {
    if (t.rank !== 3) throw new InvalidArgumentError(opMessage(op, `input must be 3-dimensional NWC, got shape ${describeDims(t.shape)}`));
    const k = size1(ksize, "ksize", op);
    const s = size1(strides, "strides", op);
    let pad: Padding;
    if (typeof padding === "string") pad = padding;
    else {
      if (!Array.isArray(padding) || padding.length !== 3) throw new InvalidArgumentError(opMessage(op, `explicit padding must be 3 [before, after] pairs (NWC), got ${JSON.stringify(padding)}`));
      pad = [[0, 0], [0, 0], padding[1]!, [0, 0]];
    }
    const [n, w, c] = t.shape as [number, number, number];
    const x4 = tmp.keep(reshape(t, [n, 1, w, c]));
    const y = tmp.keep((op === "MaxPool1D" ? maxPool2d : avgPool2d)(x4, [1, k], [1, s], pad));
    return reshape(y, [n, y.shape[2]!, c]);
  } finally {
    tmp.dispose();
    if (t !== x) t.dispose();
  }
}

/** Max pooling over 1-D windows of NWC inputs `[batch, width, channels]` (TensorFlow's `tf.nn.max_pool1d`). */
export const maxPool1d = defineOp("maxPool1d", (input: TensorLike, ksize: Window1D, strides: Window1D, padding: Padding1D): Tensor => pool1d("MaxPool1D", input, ksize, strides, padding), { paths: ["nn.maxPool1d"] });

/**
 * Average pooling over 1-D windows of NWC inputs (TensorFlow's `tf.nn.avg_pool1d`); with "SAME"
 * padding the padded positions are not counted in the average.
 */
export const avgPool1d = defineOp("avgPool1d", (input: TensorLike, ksize: Window1D, strides: Window1D, padding: Padding1D): Tensor => pool1d("AvgPool1D", input, ksize, strides, padding), { paths: ["nn.avgPool1d"] });
