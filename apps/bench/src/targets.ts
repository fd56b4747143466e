/**
 * Speed targets from the project's issues. Benchmarks make them visible; nothing fails on them.
 * Keyed by case id, then pair id.
 */
import type { Target } from "./types.js";

const TARGETS: Record<string, Record<string, Target>> = {
  "matmul-512": { js: { minRatio: 4 } },
  "matmul-1024": { "wasm-1t": { minRatio: 1.4 }, "wasm-2t": { minRatio: 2.5 } },
  "add-1m": { js: { minRatio: 2 }, "wasm-1t": { minRatio: 2 } },
  "add-16m": { js: { minRatio: 2 } },
  "broadcast-add": { js: { minRatio: 2 } },
  "sum-16m": { js: { minRatio: 2 }, "wasm-1t": { minRatio: 2 } },
  "overhead-scalar-add": { js: { maxUsPerOp: 1 } },
  "train-step-tape": { "wasm-1t": { minRatio: 2 } },
  "train-step-fit": { "wasm-1t": { minRatio: 2 } },
  conv2d: { "wasm-1t": { minRatio: 1.5 } },
  "topk-64x10000-k10": { js: { minRatio: 4 }, "wasm-1t": { minRatio: 1.5 } },
};

export function targetFor(caseId: string, pairId: string): Target | undefined {
  return TARGETS[caseId]?.[pairId];
}

/** Whether Tessera meets `target`; null when a side did not run. */
export function isMet(target: Target | undefined, ratio: number | null, tesseraUsPerOp: number | null): boolean | null {
  if (!target) return null;
  if (target.minRatio !== undefined) return ratio === null ? null : ratio >= target.minRatio;
  if (target.maxUsPerOp !== undefined) return tesseraUsPerOp === null ? null : tesseraUsPerOp <= target.maxUsPerOp;
  return null;
}

export function describeTarget(target: Target | undefined): string {
  if (!target) return "";
  if (target.minRatio !== undefined) return `≥${target.minRatio}x`;
  if (target.maxUsPerOp !== undefined) return `≤${target.maxUsPerOp} µs/op`;
  return "";
}
