/**
 * Calling a kernel directly on the backend, for the kernels no public op reaches yet (gradient
 * kernels: UnsortedSegmentSum, Conv2DBackpropInput/Filter, MaxPoolGrad, AvgPoolGrad). Inputs are
 * written in the kernel's canonical form, the output is read back, and every buffer is freed.
 */
import type { DataId, KernelBackend, KernelName, OutSpec, TensorInfo } from "@tessera/core/kernel";
import type { HostTensor } from "./host.js";
import { describeHost, fromStorage, sameData, sizeOf, toStorage } from "./host.js";

export async function runKernelDirect(backend: KernelBackend, name: KernelName, inputs: readonly HostTensor[], attrs: object, out: OutSpec): Promise<HostTensor> {
  const kernel = backend.kernels[name] as ((i: readonly TensorInfo[], a: object, o: OutSpec) => DataId) | undefined;
  if (!kernel) throw new Error(`backend '${backend.name}' has no kernel ${name}`);
  const infos: TensorInfo[] = [];
  try {
    for (const h of inputs) infos.push({ dataId: backend.write(toStorage(h), h.shape, h.dtype), shape: h.shape, dtype: h.dtype });
    const id = kernel(infos, attrs, out);
    try {
      const result = fromStorage(await backend.read(id, out.dtype, sizeOf(out.shape)), out.dtype, out.shape);
      for (let i = 0; i < infos.length; i++) {
        const now = fromStorage(await backend.read(infos[i]!.dataId, inputs[i]!.dtype, sizeOf(inputs[i]!.shape)), inputs[i]!.dtype, inputs[i]!.shape);
        if (!sameData(now, inputs[i]!)) throw new Error(`${name} changed its input #${i}: ${describeHost(inputs[i]!)} → ${describeHost(now)}`);
      }
      return result;
    } finally {
      backend.disposeData(id);
    }
  } finally {
    for (const info of infos) backend.disposeData(info.dataId);
  }
}
