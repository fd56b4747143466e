/** Shapes shared by the harness, the cases and the report. */
import type { TesseraLib } from "./libs/tessera.js";
import type { TfjsLib } from "./libs/tfjs.js";
import type { PairSpec } from "./pairs.js";

/** What a run read back; the warm-up outputs of both libraries are compared. */
export type Output = ArrayLike<number>;

/** One library's side of a case: `run` does the work once, reads the result back and frees it. */
export interface Runner {
  run(): Output | Promise<Output>;
  /** Frees the inputs and models `setup` made. */
  dispose(): void;
  /** After timing: a short fact to print under the table (e.g. test accuracy). */
  note?(): string | Promise<string>;
}

export interface CaseContext {
  quick: boolean;
  pair: PairSpec;
}

export type Family = "matmul" | "elementwise" | "reduce" | "overhead" | "training" | "conv" | "mnist" | "sort";

/** Work one run does, for GFLOP/s or GB/s. */
export interface Work {
  flops?: number;
  bytes?: number;
}

/** How many timed runs a case gets: at least `min`, at most `max`, stopping early past `budgetMs`. */
export interface IterPlan {
  warmup: number;
  min: number;
  max: number;
  budgetMs: number;
}

export interface BenchCase {
  /** Stable id used by `--filter` and in JSON (e.g. "matmul-512"). */
  id: string;
  family: Family;
  title: string;
  work?: Work;
  /** For per-op overhead: operations one run performs, so µs/op can be shown. */
  opsPerRun?: number;
  /** Also runs in the two-thread wasm pair (compute-bound cases). */
  threaded?: boolean;
  /** Not run under --quick. */
  skipInQuick?: boolean;
  /** Relative tolerance of the cross-library output check (default 1e-3). */
  tolerance?: number;
  /** Overrides of the default iteration plan. */
  plan?: { quick?: Partial<IterPlan>; full?: Partial<IterPlan> };
  tessera(lib: TesseraLib, ctx: CaseContext): Runner | Promise<Runner>;
  tfjs(lib: TfjsLib, ctx: CaseContext): Runner | Promise<Runner>;
}

/** Thrown by a setup when a feature or backend is missing here; the row says "unavailable: <reason>". */
export class Unavailable extends Error {
  override name = "Unavailable";
}

/** Timing summary of one library in one case, in milliseconds per run. */
export interface Stats {
  median: number;
  p25: number;
  p75: number;
  samples: number;
}

export type Side =
  | { status: "ok"; stats: Stats }
  | { status: "unavailable"; reason: string }
  | { status: "error"; reason: string };

export interface Target {
  /** Tessera must be at least this many times faster (ratio = TF.js ms / Tessera ms). */
  minRatio?: number;
  /** Tessera's absolute cost per operation must be at most this (per-op overhead cases). */
  maxUsPerOp?: number;
}

export interface Row {
  caseId: string;
  family: Family;
  title: string;
  pair: string;
  pairLabel: string;
  tessera: Side;
  tfjs: Side;
  /** TF.js median / Tessera median: above 1 means Tessera is faster. */
  ratio: number | null;
  work?: Work;
  opsPerRun?: number;
  /** Throughput of each side: GFLOP/s, GB/s, or µs/op for the overhead case. */
  rates?: { unit: "GFLOP/s" | "GB/s" | "µs/op"; tessera: number | null; tfjs: number | null };
  target?: Target;
  /** null when the target does not apply or a side did not run. */
  met: boolean | null;
  /** Cross-library agreement of the warm-up outputs. */
  check?: { ok: boolean; maxRelDiff: number; tolerance: number };
  notes: string[];
}
