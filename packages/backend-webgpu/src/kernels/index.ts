/** Every kernel of the WebGPU backend, by family (one file each). */
import type { Kernels } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import { elementwiseKernels } from "./elementwise.js";

export function buildKernels(b: WebGPUBackend): Partial<Kernels> {
  return {
    ...elementwiseKernels(b),
  };
}
