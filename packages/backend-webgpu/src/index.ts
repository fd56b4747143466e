/**
 * @tessera/backend-webgpu: importing this module registers the "webgpu" backend with core.
 *
 * `await tf.setBackend("webgpu")` opens a device on the best adapter (hardware first). The default
 * choice (`tf.ready()`) only picks webgpu when a hardware adapter exists, so software adapters
 * (lavapipe, SwiftShader) are used only when asked for.
 */
import { registerBackend, removeBackendInstance } from "@tessera/core/kernel";
import { WebGPUBackend } from "./backend.js";
import { requestBestAdapter } from "./device.js";
import { mayHaveHardwareAdapterHere } from "./hardware-hint.js";

export { WebGPUBackend } from "./backend.js";
export type { WebGPUBackendOptions } from "./backend.js";
export type { AdapterSummary } from "./device.js";
export { WebGPUError } from "./errors.js";

let current: WebGPUBackend | null = null;
let preferredOnce: Promise<boolean> | null = null;

/** Whether a hardware adapter exists (the default backend choice takes webgpu only then). */
async function probeHardwareAdapter(): Promise<boolean> {
  if (!mayHaveHardwareAdapterHere()) return false;
  try {
    const found = await requestBestAdapter();
    return found !== null && !found.summary.isFallback;
  } catch {
    return false;
  }
}

registerBackend("webgpu", {
  priority: 3,
  async create() {
    const b = await WebGPUBackend.create();
    current = b;
    b.onLost(() => {
      if (current !== b) return;
      current = null;
      // Let core drop the dead instance: the next setBackend("webgpu") creates a new device.
      removeBackendInstance("webgpu");
    });
    return b;
  },
  preferred() {
    // Probed once per process: the answer does not change, and the probe costs 0.3-0.5 s in Node.
    preferredOnce ??= probeHardwareAdapter();
    return preferredOnce;
  },
});
