/** The indexing ops of the op-parity work: strided slicing, mirror padding, data-dependent shapes, segment reductions. */
import type { ConformanceContext } from "../context.js";
import { describeOpsDataDependent } from "./ops-data-dependent.js";
import { describeOpsIndexingErrors } from "./ops-indexing-errors.js";
import { describeOpsSegmentReduce } from "./ops-segment-reduce.js";
import { describeOpsShapeExtra } from "./ops-shape-extra.js";
import { describeOpsSlicing } from "./ops-slicing.js";

export function describeOpsIndexing(ctx: ConformanceContext): void {
  describeOpsSlicing(ctx);
  describeOpsDataDependent(ctx);
  describeOpsSegmentReduce(ctx);
  describeOpsShapeExtra(ctx);
  describeOpsIndexingErrors(ctx);
}
