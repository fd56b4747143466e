/**
 * Where the gradient checks plug in. `gradients.ts` (beside this file; written by the gradients
 * work) exports `describeGradientChecks(ctx)`, which registers finite-difference gradient tests for
 * every differentiable op with `ctx.test(...)`. `describeConformance` calls it when the file exists,
 * and notes in the report that gradient checks are absent otherwise.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ConformanceContext } from "./context.js";

/** The signature `gradients.ts` exports as `describeGradientChecks`. */
export type DescribeGradientChecks = (ctx: ConformanceContext) => void | Promise<void>;

/** The gradient checks, or null while `gradients.ts` does not exist yet. */
export async function loadGradientChecks(): Promise<DescribeGradientChecks | null> {
  // Built (dist/gradients.js) or run from source (src/gradients.ts).
  const present = ["./gradients.js", "./gradients.ts"].some((f) => existsSync(fileURLToPath(new URL(f, import.meta.url))));
  if (!present) return null;
  // A variable specifier: the file may not exist when this one is compiled.
  const specifier = "./gradients.js";
  const mod = (await import(/* @vite-ignore */ specifier)) as { describeGradientChecks?: unknown };
  if (typeof mod.describeGradientChecks !== "function") {
    throw new Error("tooling/conformance/src/gradients.ts must export describeGradientChecks(ctx: ConformanceContext)");
  }
  return mod.describeGradientChecks as DescribeGradientChecks;
}
