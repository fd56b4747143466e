/** Every kernel of the js backend. Where is X? Unary ops: unary.ts; binary: binary.ts; reductions: reduce.ts;
 *  matmul: matmul.ts; conv: conv.ts; pooling: pool.ts; Cast/Where/Fill/complex parts: elementwise.ts;
 *  Transpose/Slice/Pad/Tile/Concat/Gather/UnsortedSegmentSum: movement.ts; TopK/SearchSorted: sort.ts. */
import type { Kernels } from "@tessera/core/kernel";
import { binaryKernels } from "./binary.js";
import { convKernels } from "./conv.js";
import { elementwiseKernels } from "./elementwise.js";
import { matmulKernels } from "./matmul.js";
import { movementKernels } from "./movement.js";
import { poolKernels } from "./pool.js";
import { reduceKernels } from "./reduce.js";
import { sortKernels } from "./sort.js";
import { unaryKernels } from "./unary.js";

export const kernels: Kernels = {
  ...unaryKernels, ...binaryKernels, ...reduceKernels, ...elementwiseKernels, ...matmulKernels, ...movementKernels,
  ...convKernels, ...poolKernels, ...sortKernels,
};
