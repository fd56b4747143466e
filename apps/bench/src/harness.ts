/**
 * Interleaved timing. After warm-up, Tessera and TF.js alternate run by run, and the order flips
 * every round (A B, B A, A B, …) so neither always runs on the other's leftovers (GC, caches, turbo
 * clocks). Medians and quartiles make the figures robust on a shared, noisy machine.
 */
import type { IterPlan, Output, Runner, Side, Stats } from "./types.js";

export const DEFAULT_PLANS: { quick: IterPlan; full: IterPlan } = {
  quick: { warmup: 1, min: 3, max: 15, budgetMs: 1_500 },
  full: { warmup: 3, min: 7, max: 60, budgetMs: 8_000 },
};

/** Linear-interpolated quantile of an ascending array. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarize(times: readonly number[]): Stats {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), p25: quantile(sorted, 0.25), p75: quantile(sorted, 0.75), samples: sorted.length };
}

/** Largest absolute difference, relative to the largest magnitude in `reference`. */
export function compareOutputs(actual: Output, reference: Output, tolerance: number): { ok: boolean; maxRelDiff: number; tolerance: number } {
  if (actual.length !== reference.length) return { ok: false, maxRelDiff: Infinity, tolerance };
  let scale = 1e-6;
  let diff = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]!;
    const a = actual[i]!;
    if (Number.isNaN(r) !== Number.isNaN(a)) return { ok: false, maxRelDiff: Infinity, tolerance };
    if (Number.isNaN(r)) continue;
    scale = Math.max(scale, Math.abs(r));
    diff = Math.max(diff, Math.abs(a - r));
  }
  const maxRelDiff = diff / scale;
  return { ok: maxRelDiff <= tolerance, maxRelDiff, tolerance };
}

function isPromise(x: unknown): x is Promise<Output> {
  return typeof (x as { then?: unknown } | null)?.then === "function";
}

/** One side's state during a measurement. */
interface Lane {
  runner: Runner;
  times: number[];
  firstOutput?: Output;
  error?: string;
}

export interface PairTiming {
  tessera: Side;
  tfjs: Side;
  tesseraOutput?: Output;
  tfjsOutput?: Output;
}

async function timeOnce(lane: Lane): Promise<number | undefined> {
  if (lane.error !== undefined) return undefined;
  try {
    const t0 = performance.now();
    const r = lane.runner.run();
    const out = isPromise(r) ? await r : r;
    const dt = performance.now() - t0;
    // Keep a copy: some runs hand back a view of memory the next run reuses.
    if (lane.firstOutput === undefined) lane.firstOutput = ArrayBuffer.isView(out) ? (out as Float32Array).slice() : Array.from(out);
    return dt;
  } catch (e) {
    lane.error = e instanceof Error ? `${e.name}: ${e.message.split("\n")[0]}` : String(e);
    return undefined;
  }
}

/**
 * Warms both runners up, then interleaves timed runs until each side has `plan.min` samples and either
 * `plan.max` samples or `plan.budgetMs` of wall time is reached. A null runner is a side that did not
 * set up (its Side comes from the caller).
 */
export async function measure(tessera: Runner | null, tfjs: Runner | null, plan: IterPlan): Promise<PairTiming> {
  const lanes: (Lane | null)[] = [tessera ? { runner: tessera, times: [] } : null, tfjs ? { runner: tfjs, times: [] } : null];
  const live = () => lanes.filter((l): l is Lane => l !== null && l.error === undefined);
  for (let i = 0; i < plan.warmup; i++) {
    for (const lane of live()) await timeOnce(lane);
  }
  const start = performance.now();
  for (let round = 0; round < plan.max; round++) {
    const order = round % 2 === 0 ? live() : live().reverse();
    if (order.length === 0) break;
    for (const lane of order) {
      const dt = await timeOnce(lane);
      if (dt !== undefined) lane.times.push(dt);
    }
    if (round + 1 >= plan.min && performance.now() - start >= plan.budgetMs) break;
  }
  const side = (lane: Lane | null): Side => {
    if (!lane) return { status: "unavailable", reason: "not set up" };
    if (lane.error !== undefined) return { status: "error", reason: lane.error };
    return { status: "ok", stats: summarize(lane.times) };
  };
  const result: PairTiming = { tessera: side(lanes[0]!), tfjs: side(lanes[1]!) };
  if (lanes[0]?.firstOutput) result.tesseraOutput = lanes[0].firstOutput;
  if (lanes[1]?.firstOutput) result.tfjsOutput = lanes[1].firstOutput;
  return result;
}
