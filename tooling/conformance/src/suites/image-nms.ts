/**
 * `tf.image.nonMaxSuppression` and its variants (with scores / soft-NMS, padded, and the async
 * forms) against a reference written from the textbook greedy algorithm, values TensorFlow gives,
 * and bad arguments. The selection runs on the host, so these tests only need the backend to hold
 * and read the tensors.
 */
import { expect } from "vitest";
import * as tf from "@tessera/core";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { checkMemory, evalOp, expectOpError, host, memorySnapshot, readTensor } from "../host.js";
import { fc } from "./ops-harness.js";

function iou(b: number[], i: number, j: number): number {
  const box = (k: number) => {
    const [y1, x1, y2, x2] = b.slice(4 * k, 4 * k + 4) as [number, number, number, number];
    return { y0: Math.min(y1, y2), y1: Math.max(y1, y2), x0: Math.min(x1, x2), x1: Math.max(x1, x2) };
  };
  const p = box(i), q = box(j);
  const ap = (p.y1 - p.y0) * (p.x1 - p.x0), aq = (q.y1 - q.y0) * (q.x1 - q.x0);
  if (ap <= 0 || aq <= 0) return 0;
  const inter = Math.max(0, Math.min(p.y1, q.y1) - Math.max(p.y0, q.y0)) * Math.max(0, Math.min(p.x1, q.x1) - Math.max(p.x0, q.x0));
  return inter / (ap + aq - inter);
}

/** Hard NMS: visit boxes by descending score (index order on ties), keep those not overlapping a kept one. */
function hardNms(boxes: number[], scores: number[], max: number, iouT: number, scoreT: number): number[] {
  const order = scores.map((_, i) => i).filter((i) => scores[i]! > scoreT).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const kept: number[] = [];
  for (const i of order) {
    if (kept.length >= max) break;
    if (kept.every((j) => iou(boxes, i, j) < iouT)) kept.push(i);
  }
  return kept;
}

interface Case { boxes: number[]; scores: number[]; max: number; iou: number; score: number }
const caseArb = fc.integer({ min: 0, max: 8 }).chain((n) => fc.record({
  boxes: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 4 * n, maxLength: 4 * n }),
  scores: fc.array(fc.integer({ min: 0, max: 9 }).map((v) => v / 10), { minLength: n, maxLength: n }),
  max: fc.integer({ min: 0, max: 6 }),
  iou: fc.constantFrom(0, 0.3, 0.5, 1),
  score: fc.constantFrom(-Infinity, 0.25),
}));

const asHost = (c: Case): HostTensor[] => [host("float32", [c.scores.length, 4], c.boxes), host("float32", [c.scores.length], c.scores)];
const f32s = (v: number[]): number[] => v.map(Math.fround);

export function describeImageNms(ctx: ConformanceContext): void {
  ctx.test("image.nonMaxSuppression (and Padded, WithScores) against greedy selection", { kernels: [], dtype: "float32", needs: ["int32"] }, async () => {
    await ctx.property(caseArb, async (c) => {
      const want = hardNms(c.boxes, f32s(c.scores), c.max, c.iou, c.score);
      const opts = { iouThreshold: c.iou, scoreThreshold: c.score };
      const got = await evalOp(asHost(c), (b, s) => tf.image.nonMaxSuppression(b!, s!, c.max, opts));
      expect(got.data, JSON.stringify(c)).toEqual(want);
      const [idx, valid] = await evalOp(asHost(c), (b, s) => {
        const r = tf.image.nonMaxSuppressionPadded(b!, s!, c.max, { ...opts, padToMaxOutputSize: true });
        return [r.selectedIndices, r.validOutputs];
      });
      expect(idx!.data).toEqual([...want, ...new Array<number>(c.max - want.length).fill(0)]);
      expect(valid!.data).toEqual([want.length]);
      const [idx2, sc] = await evalOp(asHost(c), (b, s) => {
        const r = tf.image.nonMaxSuppressionWithScores(b!, s!, c.max, opts);
        return [r.selectedIndices, r.selectedScores];
      });
      expect(idx2!.data).toEqual(want);
      expect(sc!.data).toEqual(want.map((i) => Math.fround(c.scores[i]!)));
    });
  });

  ctx.test("image.nonMaxSuppression: values TensorFlow gives, soft-NMS, async forms", { kernels: [], dtype: "float32", needs: ["int32"] }, async () => {
    // TensorFlow's own test: three clusters of boxes, max 3, IoU 0.5 → [3, 0, 5].
    const boxes = [0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, -0.1, 1, 0.9, 0, 10, 1, 11, 0, 10.1, 1, 11.1, 0, 100, 1, 101];
    const scores = [0.9, 0.75, 0.6, 0.95, 0.5, 0.3];
    const inputs = [host("float32", [6, 4], boxes), host("float32", [6], scores)];
    const got = await evalOp(inputs, (b, s) => tf.image.nonMaxSuppression(b!, s!, 3, { iouThreshold: 0.5 }));
    expect(got.data).toEqual([3, 0, 5]);
    // Flipped corners select the same boxes.
    const flipped = boxes.map((_, i) => boxes[i % 4 < 2 ? i + 2 : i - 2]!);
    const got2 = await evalOp([host("float32", [6, 4], flipped), inputs[1]!], (b, s) => tf.image.nonMaxSuppression(b!, s!, 3, { iouThreshold: 0.5 }));
    expect(got2.data).toEqual([3, 0, 5]);

    // Soft-NMS: B overlaps A with IoU 1/3, so its score 0.8 becomes 0.8·exp(−(1/3)²/(2·0.5)); it is
    // requeued behind C (0.75), which overlaps nothing.
    const soft = [host("float32", [3, 4], [0, 0, 1, 1, 0, 0.5, 1, 1.5, 5, 5, 6, 6]), host("float32", [3], [0.9, 0.8, 0.75])];
    const [si, ss] = await evalOp(soft, (b, s) => {
      const r = tf.image.nonMaxSuppressionWithScores(b!, s!, 3, { iouThreshold: 1, softNmsSigma: 0.5 });
      return [r.selectedIndices, r.selectedScores];
    });
    expect(si!.data).toEqual([0, 2, 1]);
    const expected = [0.9, 0.75, 0.8 * Math.exp(-1 / 9)];
    (ss!.data as number[]).forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-6));

    // Async forms give the same results and leave nothing behind.
    const before = memorySnapshot();
    const b = tf.constant(Float32Array.from(boxes), { shape: [6, 4] }), s = tf.constant(Float32Array.from(scores));
    const a1 = await tf.image.nonMaxSuppressionAsync(b, s, 3, { iouThreshold: 0.5 });
    const a2 = await tf.image.nonMaxSuppressionPaddedAsync(b, s, 5, { iouThreshold: 0.5, padToMaxOutputSize: true });
    const a3 = await tf.image.nonMaxSuppressionWithScoresAsync(b, s, 2, { iouThreshold: 0.5 });
    expect((await readTensor(a1)).data).toEqual([3, 0, 5]);
    expect((await readTensor(a2.selectedIndices)).data).toEqual([3, 0, 5, 0, 0]);
    expect((await readTensor(a2.validOutputs)).data).toEqual([3]);
    expect((await readTensor(a3.selectedIndices)).data).toEqual([3, 0]);
    expect((await readTensor(a3.selectedScores)).data).toEqual(f32s([0.95, 0.9]));
    tf.dispose([b, s, a1, a2.selectedIndices, a2.validOutputs, a3.selectedIndices, a3.selectedScores]);
    checkMemory(before, "after the async non-max suppressions");
  });

  ctx.test("image.nonMaxSuppression: bad arguments", { kernels: [], dtype: "float32", needs: ["int32"] }, async () => {
    const boxes = host("float32", [2, 4], [0, 0, 1, 1, 0, 0, 2, 2]), scores = host("float32", [2], [0.5, 0.7]);
    const V = tf.errors.ValueError;
    await expectOpError([boxes, scores], (b, s) => tf.image.nonMaxSuppression(b!, s!, -1), V);
    await expectOpError([boxes, scores], (b, s) => tf.image.nonMaxSuppression(b!, s!, 1.5), V);
    await expectOpError([boxes, scores], (b, s) => tf.image.nonMaxSuppression(b!, s!, 2, { iouThreshold: 1.5 }), V);
    await expectOpError([boxes, scores], (b, s) => tf.image.nonMaxSuppressionWithScores(b!, s!, 2, { softNmsSigma: -1 }), V);
    await expectOpError([boxes, host("float32", [3], [1, 2, 3])], (b, s) => tf.image.nonMaxSuppression(b!, s!, 2), V);
    await expectOpError([host("float32", [2, 3], [0, 0, 1, 1, 0, 0]), scores], (b, s) => tf.image.nonMaxSuppression(b!, s!, 2), V);
    await expectOpError([host("int32", [2, 4], [0, 0, 1, 1, 0, 0, 2, 2]), scores], (b, s) => tf.image.nonMaxSuppression(b!, s!, 2), tf.errors.DtypeError);
    await expectOpError([boxes, scores], (b, s) => tf.image.nonMaxSuppression(b!, s!, 2, { iou: 0.5 } as never), TypeError);
    const b = tf.constant(Float32Array.of(0, 0, 1, 1), { shape: [1, 4] }), s = tf.constant(Float32Array.of(1, 2));
    await expect(tf.image.nonMaxSuppressionAsync(b, s, 1)).rejects.toBeInstanceOf(V);
    tf.dispose([b, s]);
  });
}
