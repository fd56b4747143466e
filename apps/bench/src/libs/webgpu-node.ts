/**
 * WebGPU in Node through the `webgpu` package (Dawn). Installs `navigator.gpu` and the GPU* globals
 * that tfjs-backend-webgpu expects, and describes the adapter so the table can say what ran.
 */
import { create, globals } from "webgpu";

/** Held for the life of the process: if GC frees Dawn's instance, the process crashes. */
let gpu: GPU | undefined;

export interface AdapterDescription {
  name: string;
  /** A software adapter (lavapipe/llvmpipe, SwiftShader): its numbers are CPU emulation. */
  emulated: boolean;
}

/** The default adapter, or null when there is none. */
export async function nodeAdapter(): Promise<AdapterDescription | null> {
  if (!gpu) {
    Object.assign(globalThis, globals);
    gpu = create([]);
    // Node 20 has no navigator; tfjs-backend-webgpu only looks for navigator.gpu.
    const nav = (globalThis as { navigator?: object }).navigator;
    if (nav) Object.defineProperty(nav, "gpu", { value: gpu, configurable: true });
    else Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true });
  }
  const adapter = await gpu.requestAdapter();
  if (!adapter) return null;
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const name = info.description || [info.vendor, info.architecture, info.device].filter((s) => s).join(" ") || "unnamed adapter";
  const fallback = info.isFallbackAdapter === true || (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const emulated = fallback || /llvmpipe|lavapipe|swiftshader/i.test(name);
  return { name, emulated };
}
