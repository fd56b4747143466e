/** Messages between the CLI and its worker processes (one per backend pair, one per memory run). */
import type { PairSpec } from "./pairs.js";
import type { Row } from "./types.js";

export type Job =
  | { kind: "pair"; pair: PairSpec; caseIds: string[]; quick: boolean; explicit: boolean }
  | { kind: "memory"; pair: PairSpec; library: "tessera" | "tfjs"; steps: number };

export interface PairInfo {
  pair: string;
  tessera: string;
  tfjs: string;
  /** Set when the pair was skipped as a whole (e.g. no WebGPU adapter). */
  skipped?: string;
  /** E.g. "numbers are CPU emulation (lavapipe)". */
  caveat?: string;
}

export interface MemoryResult {
  pair: string;
  library: "tessera" | "tfjs";
  label: string;
  steps: number;
  status: "ok" | "unavailable" | "error";
  reason?: string;
  msPerStep?: number;
  rssStartMiB?: number;
  rssEndMiB?: number;
  peakRssMiB?: number;
  tensorsStart?: number;
  tensorsEnd?: number;
  bytesStart?: number;
  bytesEnd?: number;
  finalLoss?: number;
}

export type Message =
  | { type: "info"; info: PairInfo }
  | { type: "progress"; text: string }
  | { type: "row"; row: Row }
  | { type: "memory"; result: MemoryResult };
