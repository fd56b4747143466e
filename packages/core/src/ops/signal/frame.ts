/**
 * `tf.signal.frame` (a gather of overlapping windows) and `tf.signal.overlapAndAdd` (a segment sum
 * of the frames at their offsets): composites, so gradients come from the gather and the segment sum.
 */
import { ENGINE } from "../../engine/engine.js";
import { tidy } from "../../engine/tidy.js";
import { ValueError, opMessage } from "../../errors.js";
import { optionKeys } from "../../options.js";
import { formatShapeTuple, normalizeAxis } from "../../shape.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { gather } from "../gather.js";
import { reshape } from "../reshape.js";
import { unsortedSegmentSum } from "../segment.js";
import { pad } from "../slice.js";
import { transpose } from "../transpose.js";
import { defineOp } from "../table/define.js";

function positiveInt(v: unknown, name: string, op: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new ValueError(opMessage(op, `${name} must be a positive integer, got ${String(v)}`));
  return v;
}

/** Options of `tf.signal.frame`. */
export interface FrameOptions {
  /** Pad the end with `padValue` so that every sample starts a frame's worth of frames (default false). */
  padEnd?: boolean;
  /** Value of the padding (default 0). */
  padValue?: number;
  /** Axis to frame (default −1). */
  axis?: number;
}
const FRAME_KEYS = optionKeys<FrameOptions>()("padEnd", "padValue", "axis");

/**
 * Splits `signal` along `axis` into frames of `frameLength` samples every `frameStep` samples: the
 * axis becomes [numFrames, frameLength]. Without `padEnd`, numFrames = 1 + ⌊(n − frameLength)/frameStep⌋
 * (0 if the signal is shorter); with it, ⌈n / frameStep⌉ and the end is padded. `tf.signal.frame`.
 */
export const frame = defineOp("signal.frame", function frame(signal: TensorLike, frameLength: number, frameStep: number, options: FrameOptions = {}): Tensor {
  const op = "Frame";
  const fl = positiveInt(frameLength, "frameLength", op), fs = positiveInt(frameStep, "frameStep", op);
  const padValue = options.padValue ?? 0;
  if (typeof padValue !== "number") throw new ValueError(opMessage(op, `padValue must be a number, got ${String(padValue)}`));
  return tidy(() => {
    let t = toTensor(signal, op);
    if (t.rank < 1) throw new ValueError(opMessage(op, `signal must have rank >= 1, got shape ${formatShapeTuple(t.shape)}`));
    const axis = normalizeAxis(options.axis ?? -1, t.rank, op);
    const n = t.shape[axis]!;
    const frames = options.padEnd ? Math.ceil(n / fs) : n >= fl ? 1 + Math.floor((n - fl) / fs) : 0;
    const needed = frames === 0 ? 0 : (frames - 1) * fs + fl;
    if (needed > n) t = pad(t, t.shape.map((_, i) => (i === axis ? [0, needed - n] : [0, 0]) as [number, number]), padValue);
    const idx = new Int32Array(frames * fl);
    for (let f = 0; f < frames; f++) for (let j = 0; j < fl; j++) idx[f * fl + j] = f * fs + j;
    return gather(t, ENGINE.upload(idx, [frames, fl], "int32"), axis);
  });
}, { method: false, args: 4, options: FRAME_KEYS });

/**
 * Adds up frames `signal` [..., frames, frameLength] placed every `frameStep` samples: the result is
 * [..., (frames − 1)·frameStep + frameLength]. The inverse of `frame` up to the overlap's weighting.
 * `tf.signal.overlapAndAdd`.
 */
export const overlapAndAdd = defineOp("signal.overlapAndAdd", function overlapAndAdd(signal: TensorLike, frameStep: number): Tensor {
  const op = "OverlapAndAdd";
  const fs = positiveInt(frameStep, "frameStep", op);
  return tidy(() => {
    const t = toTensor(signal, op);
    if (t.rank < 2) throw new ValueError(opMessage(op, `signal must have rank >= 2 ([..., frames, frameLength]), got shape ${formatShapeTuple(t.shape)}`));
    const outer = t.shape.slice(0, -2);
    const [frames, fl] = t.shape.slice(-2) as [number, number];
    const len = frames === 0 ? 0 : (frames - 1) * fs + fl;
    const m = outer.reduce((a, b) => a * b, 1);
    const ids = new Int32Array(frames * fl);
    for (let f = 0; f < frames; f++) for (let j = 0; j < fl; j++) ids[f * fl + j] = f * fs + j;
    const rows = transpose(reshape(t, [m, frames * fl]), [1, 0]);
    const summed = unsortedSegmentSum(rows, ENGINE.upload(ids, [ids.length], "int32"), len);
    return reshape(transpose(summed, [1, 0]), [...outer, len]);
  });
}, { method: false });
