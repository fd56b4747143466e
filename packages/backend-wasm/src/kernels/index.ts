/** Every kernel of the wasm backend, by family (each file matches one in assembly/). */
import type { Kernels } from "@tessera/core/kernel";
import type { WasmBackend } from "../backend.js";
import { unaryKernels } from "./unary.js";
import { binaryKernels } from "./binary.js";
import { reduceKernels } from "./reduce.js";
import { matmulKernels } from "./matmul.js";
import { convKernels } from "./conv.js";
import { poolKernels } from "./pool.js";
import { gatherKernels } from "./gather.js";
import { sortKernels } from "./sort.js";
import { copyKernels } from "./copy.js";
import { castKernels } from "./cast.js";
import { complexKernels } from "./complex.js";

export function allKernels(b: WasmBackend): Kernels {
  return {
    ...unaryKernels(b),
    ...binaryKernels(b),
    ...reduceKernels(b),
    ...matmulKernels(b),
    ...convKernels(b),
    ...poolKernels(b),
    ...gatherKernels(b),
    ...sortKernels(b),
    ...copyKernels(b),
    ...castKernels(b),
    ...complexKernels(b),
  };
}
