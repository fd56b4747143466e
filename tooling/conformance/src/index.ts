/**
 * @tessera/conformance — the suite every backend runs from its own `pnpm test`:
 *
 * ```ts
 * import "@tessera/backend-js";
 * import { describeConformance } from "@tessera/conformance";
 * describeConformance({ backend: "js" });
 * ```
 *
 * Through the public ops it compares every kernel of the interface with a float64 reference
 * (fast-check properties over broadcasting and edge shapes, NaN/±Inf/-0, int32 wrap-around, bool,
 * complex64), checks bad inputs and exact memory accounting, prints a kernel coverage table and
 * writes it to `<repo>/.ci/out/conformance-<backend>.json` (merged by `pnpm --filter
 * @tessera/conformance matrix`). It fails when the backend lacks a kernel of the interface that is
 * not listed in `expectMissing`.
 */
import { afterAll, beforeAll, describe } from "vitest";
import * as tf from "@tessera/core";
import { ConformanceContext } from "./context.js";
import { formatReport, writeReport } from "./coverage.js";
import { describeGradientChecks } from "./gradients.js";
import type { ConformanceOptions } from "./options.js";
import { describeBinary } from "./suites/binary.js";
import { describeCompleteness, describeCoverageCheck } from "./suites/completeness.js";
import { describeComposites } from "./suites/composites.js";
import { describeConv } from "./suites/conv.js";
import { describeCreation } from "./suites/creation.js";
import { describeErrors } from "./suites/errors.js";
import { describeSizeLimits } from "./suites/sizes.js";
import { describeImage } from "./suites/image.js";
import { describeImageColor } from "./suites/image-color.js";
import { describeImageNms } from "./suites/image-nms.js";
import { describeImageSampling } from "./suites/image-sampling.js";
import { describeSignal } from "./suites/signal.js";
import { describeLosses } from "./suites/losses.js";
import { describeMatmul } from "./suites/matmul.js";
import { describeMovement } from "./suites/movement.js";
import { describeOpsConv } from "./suites/ops-conv.js";
import { describeOpsEinsum } from "./suites/ops-einsum.js";
import { describeOpsErrors } from "./suites/ops-errors.js";
import { describeOpsIndexing } from "./suites/ops-indexing.js";
import { describeOpsLinalg } from "./suites/ops-linalg.js";
import { describeOpsMath } from "./suites/ops-math.js";
import { describeOpsSegment } from "./suites/ops-segment.js";
import { describeOpsShape } from "./suites/ops-shape.js";
import { describeOpsSort } from "./suites/ops-sort.js";
import { describeReduce } from "./suites/reduce.js";
import { describeUnary } from "./suites/unary.js";

export type { ConformanceOptions, FloatDType, Tolerance, ToleranceOptions } from "./options.js";
export { DEFAULT_NUM_RUNS, DEFAULT_TOLERANCE } from "./options.js";
export { ConformanceContext } from "./context.js";
export type { TestHandle, TestSpec } from "./context.js";
export type { CoverageReport, KernelCoverage, KernelStatus } from "./coverage.js";
export * from "./arbitraries.js";
export * from "./compare.js";
export * from "./host.js";
export { mulberry32 } from "./prng.js";
export { runKernelDirect } from "./direct.js";
export * as reference from "./reference/index.js";

/** Registers the whole conformance suite for `options.backend` in the current Vitest file. */
export function describeConformance(options: ConformanceOptions): void {
  describe(`conformance of backend '${options.backend}'`, async () => {
    const backend = await tf.findBackend(options.backend);
    const ctx = new ConformanceContext(options, backend);

    beforeAll(async () => {
      await tf.setBackend(options.backend);
      ctx.instrument();
    });
    afterAll(() => {
      ctx.restore();
      const report = ctx.coverage.report(ctx.name, ctx.numRuns, ctx.seed, [...ctx.dtypes], [...ctx.skippedDtypes]);
      const file = writeReport(report, options.outDir);
      console.log(`${formatReport(report)}\ncoverage written to ${file}`);
    });

    describeCompleteness(ctx);
    describeUnary(ctx);
    describeBinary(ctx);
    describeReduce(ctx);
    describeMatmul(ctx);
    describeMovement(ctx);
    describeCreation(ctx);
    describeConv(ctx);
    describeComposites(ctx);
    describeOpsMath(ctx);
    describeOpsShape(ctx);
    describeOpsLinalg(ctx);
    describeOpsSort(ctx);
    describeOpsSegment(ctx);
    describeOpsEinsum(ctx);
    describeOpsIndexing(ctx);
    describeOpsConv(ctx);
    describeLosses(ctx);
    describeImage(ctx);
    describeImageColor(ctx);
    describeImageSampling(ctx);
    describeImageNms(ctx);
    describeSignal(ctx);
    describeErrors(ctx);
    describeSizeLimits(ctx);
    describeOpsErrors(ctx);

    describeGradientChecks(ctx);

    describeCoverageCheck(ctx);
  });
}
