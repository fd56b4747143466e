/**
 * Non-max suppression (`tf.image.nonMaxSuppression`, `…WithScores` with soft-NMS, `…Padded`) and
 * their `…Async` forms, TensorFlow.js's spelling for the variants that read with `await data()`.
 * Greedy selection is inherently sequential and data-dependent, so it runs on the host: boxes and
 * scores are read (synchronously, or with `await data()` in the async forms, which also work where a
 * backend cannot read synchronously) and the selected indices are uploaded. Not differentiable.
 */
import { ENGINE } from "../../engine/engine.js";
import { DtypeError, ValueError, opMessage } from "../../errors.js";
import { optionKeys } from "../../options.js";
import { formatShapeTuple } from "../../shape.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Tensor } from "../../tensor/tensor.js";
import { defineOp } from "../table/define.js";

/** Options of `tf.image.nonMaxSuppression`. */
export interface NonMaxSuppressionOptions {
  /** Boxes overlapping a selected box with IoU ≥ this are dropped (default 0.5, in [0, 1]). */
  iouThreshold?: number;
  /** Boxes scoring ≤ this are never selected (default −∞). */
  scoreThreshold?: number;
}
/** Options of `tf.image.nonMaxSuppressionWithScores`. */
export interface NonMaxSuppressionWithScoresOptions extends NonMaxSuppressionOptions {
  /** Soft-NMS σ: overlapping boxes are down-weighted by exp(−IoU²/(2σ)) instead of dropped when > 0 (default 0). */
  softNmsSigma?: number;
}
/** Options of `tf.image.nonMaxSuppressionPadded`. */
export interface NonMaxSuppressionPaddedOptions extends NonMaxSuppressionOptions {
  /** Pad the indices with zeros to `maxOutputSize` (default false). */
  padToMaxOutputSize?: boolean;
}
const KEYS = optionKeys<NonMaxSuppressionOptions>()("iouThreshold", "scoreThreshold");
const SCORES_KEYS = optionKeys<NonMaxSuppressionWithScoresOptions>()("iouThreshold", "scoreThreshold", "softNmsSigma");
const PADDED_KEYS = optionKeys<NonMaxSuppressionPaddedOptions>()("iouThreshold", "scoreThreshold", "padToMaxOutputSize");

/** Selected boxes: `{ selectedIndices, selectedScores }`. */
export interface NmsWithScoresResult {
  readonly selectedIndices: Tensor;
  readonly selectedScores: Tensor;
}
/** Selected boxes: `{ selectedIndices, validOutputs }` (the count before padding). */
export interface NmsPaddedResult {
  readonly selectedIndices: Tensor;
  readonly validOutputs: Tensor;
}

interface Checked {
  boxes: Tensor;
  scores: Tensor;
  made: Tensor[];
  max: number;
  iou: number;
  scoreThreshold: number;
  sigma: number;
}

function checkArgs(op: string, boxes: TensorLike, scores: TensorLike, maxOutputSize: number, o: NonMaxSuppressionWithScoresOptions): Checked {
  if (typeof maxOutputSize !== "number" || !Number.isInteger(maxOutputSize) || maxOutputSize < 0) {
    throw new ValueError(opMessage(op, `maxOutputSize must be a non-negative integer, got ${String(maxOutputSize)}`));
  }
  const iou = o.iouThreshold ?? 0.5, scoreThreshold = o.scoreThreshold ?? -Infinity, sigma = o.softNmsSigma ?? 0;
  if (typeof iou !== "number" || !(iou >= 0 && iou <= 1)) throw new ValueError(opMessage(op, `iouThreshold must be in [0, 1], got ${String(iou)}`));
  if (typeof scoreThreshold !== "number" || Number.isNaN(scoreThreshold)) throw new ValueError(opMessage(op, `scoreThreshold must be a number, got ${String(scoreThreshold)}`));
  if (typeof sigma !== "number" || !(sigma >= 0) || !Number.isFinite(sigma)) throw new ValueError(opMessage(op, `softNmsSigma must be a finite number >= 0, got ${String(sigma)}`));
  const made: Tensor[] = [];
  const conv = (x: TensorLike): Tensor => {
    const t = toTensor(x, op, "float32");
    if (t !== x) made.push(t);
    return t;
  };
  try {
    const b = conv(boxes), s = conv(scores);
    if (b.rank !== 2 || b.shape[1] !== 4) throw new ValueError(opMessage(op, `boxes must be 2-D [numBoxes, 4], got shape ${formatShapeTuple(b.shape)}`));
    if (s.rank !== 1 || s.shape[0] !== b.shape[0]) throw new ValueError(opMessage(op, `scores must be 1-D [numBoxes] with numBoxes = ${b.shape[0]}, got shape ${formatShapeTuple(s.shape)}`));
    for (const [t, name] of [[b, "boxes"], [s, "scores"]] as const) {
      if (t.dtype !== "float32" && t.dtype !== "float64") throw new DtypeError(opMessage(op, `${name} must be float32 or float64, got ${t.dtype}`));
    }
    return { boxes: b, scores: s, made, max: maxOutputSize, iou, scoreThreshold, sigma };
  } catch (e) {
    for (const t of made) t.dispose();
    throw e;
  }
}

/** Intersection over union of boxes i and j ([y1, x1, y2, x2], corners in any order); 0 for empty boxes. */
function iouOf(b: ArrayLike<number>, i: number, j: number): number {
  const yMinI = Math.min(b[4 * i]!, b[4 * i + 2]!), yMaxI = Math.max(b[4 * i]!, b[4 * i + 2]!);
  const xMinI = Math.min(b[4 * i + 1]!, b[4 * i + 3]!), xMaxI = Math.max(b[4 * i + 1]!, b[4 * i + 3]!);
  const yMinJ = Math.min(b[4 * j]!, b[4 * j + 2]!), yMaxJ = Math.max(b[4 * j]!, b[4 * j + 2]!);
  const xMinJ = Math.min(b[4 * j + 1]!, b[4 * j + 3]!), xMaxJ = Math.max(b[4 * j + 1]!, b[4 * j + 3]!);
  const areaI = (yMaxI - yMinI) * (xMaxI - xMinI), areaJ = (yMaxJ - yMinJ) * (xMaxJ - xMinJ);
  if (areaI <= 0 || areaJ <= 0) return 0;
  const ih = Math.max(Math.min(yMaxI, yMaxJ) - Math.max(yMinI, yMinJ), 0);
  const iw = Math.max(Math.min(xMaxI, xMaxJ) - Math.max(xMinI, xMinJ), 0);
  const inter = ih * iw;
  return inter / (areaI + areaJ - inter);
}

interface Candidate {
  score: number;
  readonly index: number;
  /** Selected boxes before this position were already compared with this candidate. */
  checkedUpTo: number;
}

/** Higher score first; equal scores in index order. */
const before = (a: Candidate, b: Candidate): boolean => a.score > b.score || (a.score === b.score && a.index < b.index);

/** Inserts `c` into `queue` (kept best-first) after every candidate that comes before it. */
function insert(queue: Candidate[], c: Candidate): void {
  let lo = 0, hi = queue.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(queue[mid]!, c)) lo = mid + 1;
    else hi = mid;
  }
  queue.splice(lo, 0, c);
}

/**
 * TensorFlow's greedy selection: take the best candidate; compare it with the boxes selected since
 * it was last looked at; drop it if an IoU reaches the threshold, else scale its score by the soft-NMS
 * weight; keep it if its score is unchanged, requeue it if it changed but stays above the threshold.
 */
export function selectBoxes(boxes: ArrayLike<number>, scores: ArrayLike<number>, a: Pick<Checked, "max" | "iou" | "scoreThreshold" | "sigma">): { indices: number[]; scores: number[] } {
  const queue: Candidate[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > a.scoreThreshold) queue.push({ score: scores[i]!, index: i, checkedUpTo: 0 });
  queue.sort((p, q) => (before(p, q) ? -1 : before(q, p) ? 1 : 0));
  const scale = a.sigma > 0 ? -0.5 / a.sigma : 0;
  const indices: number[] = [], selScores: number[] = [];
  while (indices.length < a.max && queue.length > 0) {
    const c = queue.shift()!;
    const original = c.score;
    let drop = false;
    for (let j = indices.length - 1; j >= c.checkedUpTo; j--) {
      const iou = iouOf(boxes, c.index, indices[j]!);
      if (iou >= a.iou) {
        drop = true;
        break;
      }
      if (scale !== 0) c.score *= Math.exp(scale * iou * iou);
      if (c.score <= a.scoreThreshold) break;
    }
    c.checkedUpTo = indices.length;
    if (drop) continue;
    if (c.score === original) {
      indices.push(c.index);
      selScores.push(c.score);
    } else if (c.score > a.scoreThreshold) insert(queue, c);
  }
  return { indices, scores: selScores };
}

function run<R>(op: string, boxes: TensorLike, scores: TensorLike, maxOutputSize: number, o: NonMaxSuppressionWithScoresOptions,
  finish: (sel: { indices: number[]; scores: number[] }, a: Checked) => R): R {
  const a = checkArgs(op, boxes, scores, maxOutputSize, o);
  try {
    return finish(selectBoxes(a.boxes.dataSync() as Float32Array, a.scores.dataSync() as Float32Array, a), a);
  } finally {
    for (const t of a.made) t.dispose();
  }
}

async function runAsync<R>(op: string, boxes: TensorLike, scores: TensorLike, maxOutputSize: number, o: NonMaxSuppressionWithScoresOptions,
  finish: (sel: { indices: number[]; scores: number[] }, a: Checked) => R): Promise<R> {
  const a = checkArgs(op, boxes, scores, maxOutputSize, o);
  try {
    const [b, s] = await Promise.all([a.boxes.data(), a.scores.data()]);
    return finish(selectBoxes(b as Float32Array, s as Float32Array, a), a);
  } finally {
    for (const t of a.made) t.dispose();
  }
}

const indicesTensor = (v: number[]): Tensor => ENGINE.upload(Int32Array.from(v), [v.length], "int32");
const plain = (sel: { indices: number[] }): Tensor => indicesTensor(sel.indices);
const withScores = (sel: { indices: number[]; scores: number[] }, a: Checked): NmsWithScoresResult => ({
  selectedIndices: indicesTensor(sel.indices),
  selectedScores: a.scores.dtype === "float64"
    ? ENGINE.upload(Float64Array.from(sel.scores), [sel.scores.length], "float64")
    : ENGINE.upload(Float32Array.from(sel.scores), [sel.scores.length], "float32"),
});
const padded = (pad: boolean) => (sel: { indices: number[] }, a: Checked): NmsPaddedResult => {
  const valid = sel.indices.length;
  const idx = pad ? [...sel.indices, ...new Array<number>(a.max - valid).fill(0)] : sel.indices;
  return { selectedIndices: indicesTensor(idx), validOutputs: ENGINE.upload(Int32Array.of(valid), [], "int32") };
};
const noSigma = (o: NonMaxSuppressionOptions): NonMaxSuppressionOptions => ({ iouThreshold: o.iouThreshold, scoreThreshold: o.scoreThreshold });

/**
 * Greedily selects up to `maxOutputSize` boxes (`boxes` [numBoxes, 4] as [y1, x1, y2, x2], `scores`
 * [numBoxes]) by descending score, dropping boxes whose IoU with a selected one is ≥ `iouThreshold`
 * and boxes scoring ≤ `scoreThreshold`. Returns the selected indices (int32 [≤ maxOutputSize]).
 * Reads boxes and scores synchronously (see `nonMaxSuppressionAsync`). `tf.image.nonMaxSuppression`.
 */
export const nonMaxSuppression = defineOp("image.nonMaxSuppression", function nonMaxSuppression(boxes: TensorLike, scores: TensorLike, maxOutputSize: number, options: NonMaxSuppressionOptions = {}): Tensor {
  return run("NonMaxSuppressionV3", boxes, scores, maxOutputSize, noSigma(options), plain);
}, { method: false, args: 4, options: KEYS });

/** `nonMaxSuppression` reading boxes and scores with `await data()`. TensorFlow.js's `tf.image.nonMaxSuppressionAsync`. */
export const nonMaxSuppressionAsync = defineOp("image.nonMaxSuppressionAsync", function nonMaxSuppressionAsync(boxes: TensorLike, scores: TensorLike, maxOutputSize: number, options: NonMaxSuppressionOptions = {}): Promise<Tensor> {
  return runAsync("NonMaxSuppressionV3", boxes, scores, maxOutputSize, noSigma(options), plain);
}, { method: false, args: 4, options: KEYS });

/**
 * `nonMaxSuppression` that also returns each selected box's score; with `softNmsSigma` > 0 it is
 * soft-NMS (Bodla et al.): an overlapping box's score is multiplied by exp(−IoU²/(2σ)) and it is
 * requeued, so `selectedScores` can be lower than the input scores. `{ selectedIndices, selectedScores }`.
 * `tf.image.nonMaxSuppressionWithScores`.
 */
export const nonMaxSuppressionWithScores = defineOp("image.nonMaxSuppressionWithScores", function nonMaxSuppressionWithScores(boxes: TensorLike, scores: TensorLike, maxOutputSize: number, options: NonMaxSuppressionWithScoresOptions = {}): NmsWithScoresResult {
  return run("NonMaxSuppressionV5", boxes, scores, maxOutputSize, options, withScores);
}, { method: false, args: 4, options: SCORES_KEYS });

/** `nonMaxSuppressionWithScores` reading with `await data()` (TensorFlow.js's `nonMaxSuppressionWithScoreAsync`). */
export const nonMaxSuppressionWithScoresAsync = defineOp("image.nonMaxSuppressionWithScoresAsync", function nonMaxSuppressionWithScoresAsync(boxes: TensorLike, scores: TensorLike, maxOutputSize: number, options: NonMaxSuppressionWithScoresOptions = {}): Promise<NmsWithScoresResult> {
  return runAsync("NonMaxSuppressionV5", boxes, scores, maxOutputSize, options, withScores);
}, { method: false, args: 4, options: SCORES_KEYS });

/**
 * `nonMaxSuppression` that also returns how many boxes were selected, optionally padding the indices
 * with zeros to `maxOutputSize`: `{ selectedIndices, validOutputs }`. `tf.image.nonMaxSuppressionPadded`.
 */
export const nonMaxSuppressionPadded = defineOp("image.nonMaxSuppressionPadded", function nonMaxSuppressionPadded(boxes: TensorLike, scores: TensorLike, maxOutputSize: number, options: NonMaxSuppressionPaddedOptions = {}): NmsPaddedResult {
  return run("NonMaxSuppressionV4", boxes, scores, maxOutputSize, noSigma(options), padded(options.padToMaxOutputSize ?? false));
}, { method: false, args: 4, options: PADDED_KEYS });

/** `nonMaxSuppressionPadded` reading with `await data()`. TensorFlow.js's `tf.image.nonMaxSuppressionPaddedAsync`. */
export const nonMaxSuppressionPaddedAsync = defineOp("image.nonMaxSuppressionPaddedAsync", function nonMaxSuppressionPaddedAsync(boxes: TensorLike, scores: TensorLike, maxOutputSize: number, options: NonMaxSuppressionPaddedOptions = {}): Promise<NmsPaddedResult> {
  return runAsync("NonMaxSuppressionV4", boxes, scores, maxOutputSize, noSigma(options), padded(options.padToMaxOutputSize ?? false));
}, { method: false, args: 4, options: PADDED_KEYS });
