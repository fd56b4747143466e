/**
 * A kernel-less backend for core's own tests: it stores and returns host values, enough for code that
 * only uploads and reads (random, io). Ops that need kernels are tested with real backends elsewhere.
 */
import { registerBackend, setBackend } from "../../src/index.js";
import type { BackendValues, DataId, DType, KernelBackend } from "../../src/kernel/index.js";

class HostBackend implements KernelBackend {
  readonly kernels = {};
  readonly dtypes: ReadonlySet<DType> = new Set<DType>(["bool", "int32", "float32", "float64", "complex64", "string"]);
  private bytes = 0;
  constructor(readonly name: string) {}
  write(values: BackendValues): DataId {
    const copy = Array.isArray(values) ? values.slice() : (values as Float64Array).slice();
    if (!Array.isArray(copy)) this.bytes += copy.byteLength;
    return { values: copy };
  }
  async read(id: DataId): Promise<BackendValues> {
    return this.readSync(id);
  }
  readSync(id: DataId): BackendValues {
    const v = (id as { values: BackendValues }).values;
    return Array.isArray(v) ? v.slice() : (v as Float64Array).slice();
  }
  disposeData(id: DataId): void {
    const v = (id as { values: BackendValues }).values;
    if (!Array.isArray(v)) this.bytes -= (v as Float64Array).byteLength;
  }
  memory() {
    return { numBytesInBackend: this.bytes };
  }
  dispose(): void {}
}

/** Registers (once) and activates a host backend called `name`. */
export async function useHostBackend(name = "host"): Promise<void> {
  if (!(await import("../../src/index.js")).listBackends().includes(name)) {
    registerBackend(name, { priority: 0, create: () => new HostBackend(name), createSync: () => new HostBackend(name) });
  }
  await setBackend(name);
}
