/** Every kernel of the WebGPU backend, by family (one file each). */
import type { Kernels } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import { concatKernels } from "./concat.js";
import { convKernels } from "./conv.js";
import { elementwiseKernels } from "./elementwise.js";
import { gatherKernels } from "./gather.js";
import { matmulKernels } from "./matmul.js";
import { padKernels } from "./pad.js";
import { poolKernels } from "./pool.js";
import { reduceKernels } from "./reduce.js";
import { segmentKernels } from "./segment.js";
import { sliceKernels } from "./slice.js";
import { sortKernels } from "./sort.js";
import { withStringKernels } from "./strings.js";
import { tileKernels } from "./tile.js";
import { transposeKernels } from "./transpose.js";

export function buildKernels(b: WebGPUBackend): Partial<Kernels> {
  return withStringKernels(b, {
    ...elementwiseKernels(b),
    ...reduceKernels(b),
    ...matmulKernels(b),
    ...convKernels(b),
    ...poolKernels(b),
    ...transposeKernels(b),
    ...sliceKernels(b),
    ...padKernels(b),
    ...tileKernels(b),
    ...concatKernels(b),
    ...gatherKernels(b),
    ...segmentKernels(b),
    ...sortKernels(b),
  });
}
