/**
 * `tf.image.extractPatches`: zero padding, two gathers (rows, then columns) and a transpose, so every
 * backend runs it and its gradient (segment sums) comes from the parts.
 */
import { tidy } from "../../engine/tidy.js";
import { ENGINE } from "../../engine/engine.js";
import { ValueError, opMessage } from "../../errors.js";
import { formatShapeTuple } from "../../shape.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { gather } from "../gather.js";
import { reshape } from "../reshape.js";
import { pad } from "../slice.js";
import { transpose } from "../transpose.js";
import { defineOp } from "../table/define.js";

function quad(v: unknown, name: string, op: string): [number, number] {
  if (!Array.isArray(v) || v.length !== 4 || v[0] !== 1 || v[3] !== 1 || !v.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(opMessage(op, `${name} must be [1, rows, cols, 1] with positive integers, got ${JSON.stringify(v)}`));
  }
  return [v[1] as number, v[2] as number];
}

/** Output size and the padding before, along one axis (TensorFlow's SAME/VALID rules). */
function axisPlan(size: number, k: number, stride: number, rate: number, padding: "SAME" | "VALID"): { out: number; before: number; after: number } {
  const eff = (k - 1) * rate + 1;
  if (padding === "VALID") return { out: size >= eff ? Math.ceil((size - eff + 1) / stride) : 0, before: 0, after: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + eff - size, 0);
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

/** Source positions (in the padded axis) of each (output position, kernel tap), output-major. */
function taps(out: number, k: number, stride: number, rate: number): Int32Array {
  const idx = new Int32Array(out * k);
  for (let o = 0; o < out; o++) for (let j = 0; j < k; j++) idx[o * k + j] = o * stride + j * rate;
  return idx;
}

/**
 * Patches of `sizes` = [1, rows, cols, 1] taken every `strides` = [1, sr, sc, 1] with dilation `rates`
 * = [1, rr, rc, 1] from images [batch, height, width, depth], each flattened (row, column, depth) into
 * the last axis: [batch, outRows, outCols, rows·cols·depth]. `padding` "VALID" keeps patches inside the
 * image; "SAME" zero-pads so that outRows = ⌈height / sr⌉. `tf.image.extractPatches`.
 */
export const extractPatches = defineOp("image.extractPatches", function extractPatches(
  images: TensorLike, sizes: readonly number[], strides: readonly number[], rates: readonly number[], padding: "SAME" | "VALID",
): Tensor {
  const op = "ExtractImagePatches";
  const [kh, kw] = quad(sizes, "sizes", op);
  const [sh, sw] = quad(strides, "strides", op);
  const [rh, rw] = quad(rates, "rates", op);
  if (padding !== "SAME" && padding !== "VALID") throw new ValueError(opMessage(op, `padding must be "SAME" or "VALID", got ${JSON.stringify(padding)}`));
  return tidy(() => {
    const t = toTensor(images, op);
    if (t.rank !== 4) throw new ValueError(opMessage(op, `images must be 4-D [batch, height, width, depth], got shape ${formatShapeTuple(t.shape)}`));
    if (t.dtype === "string") throw new ValueError(opMessage(op, "images must be numeric, got string"));
    const [b, h, w, c] = t.shape as [number, number, number, number];
    const ph = axisPlan(h, kh, sh, rh, padding), pw = axisPlan(w, kw, sw, rw, padding);
    const padded = ph.before + ph.after + pw.before + pw.after > 0 ? pad(t, [[0, 0], [ph.before, ph.after], [pw.before, pw.after], [0, 0]]) : t;
    const rowsIdx = taps(ph.out, kh, sh, rh), colsIdx = taps(pw.out, kw, sw, rw);
    const rowsT = gather(padded, ENGINE.upload(rowsIdx, [rowsIdx.length], "int32"), 1);
    const cells = gather(rowsT, ENGINE.upload(colsIdx, [colsIdx.length], "int32"), 2);
    const split = reshape(cells, [b, ph.out, kh, pw.out, kw, c]);
    return reshape(transpose(split, [0, 1, 3, 2, 4, 5]), [b, ph.out, pw.out, kh * kw * c]);
  });
}, { method: false, args: 5 });
