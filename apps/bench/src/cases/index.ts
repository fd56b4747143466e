/** Every case, in the order the table shows them. */
import type { BenchCase } from "../types.js";
import { convCases } from "./conv.js";
import { elementwiseCases } from "./elementwise.js";
import { matmulCases } from "./matmul.js";
import { mnistCases } from "./mnist.js";
import { overheadCases } from "./overhead.js";
import { reduceCases } from "./reduce.js";
import { sortCases } from "./sort.js";
import { trainingCases } from "./training.js";

export function allCases(quick: boolean): BenchCase[] {
  return [...matmulCases, ...elementwiseCases, ...reduceCases, ...sortCases, ...overheadCases(quick), ...trainingCases, ...convCases, ...mnistCases(quick)];
}

/** Pseudo-case for the memory section, selectable with --filter like the others. */
export const MEMORY_ID = "memory-train";

export function allCaseIds(): string[] {
  return [...allCases(false).map((c) => c.id), MEMORY_ID];
}
