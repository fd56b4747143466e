/**
 * Finding a WebGPU implementation, choosing an adapter, creating the device, and watching it:
 * uncaptured errors (shader compilation, out of memory) and device loss.
 *
 * Node: the npm package `webgpu` (Dawn), loaded with a dynamic import so that browser bundles never
 * touch it. Browsers (and runtimes that have it): `navigator.gpu`.
 */
import { DawnNodePump, NoPump } from "./event-pump.js";
import type { EventPump } from "./event-pump.js";

/** What the backend shows of its adapter (`describe()`). */
export interface AdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** True for software adapters (lavapipe, SwiftShader, WARP). */
  readonly isFallback: boolean;
}

export type Platform = "node" | "browser";

interface GpuEntry {
  readonly gpu: GPU;
  readonly platform: Platform;
  readonly pump: EventPump;
}

// Module-level and never cleared: dawn.node frees its instance when the object returned by
// `create()` is garbage-collected, and a later event then crashes the process.
let entry: GpuEntry | null = null;
let entryPromise: Promise<GpuEntry> | null = null;

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === "string";
}

/** The WebGPU entry point of this platform; throws with the reason when there is none. */
export function loadGpu(): Promise<GpuEntry> {
  if (entry) return Promise.resolve(entry);
  if (!entryPromise) {
    entryPromise = (async (): Promise<GpuEntry> => {
      const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
      if (nav?.gpu) {
        entry = { gpu: nav.gpu, platform: "browser", pump: new NoPump() };
        return entry;
      }
      if (!isNode()) throw new Error("WebGPU is not available here (navigator.gpu is undefined; in browsers WebGPU needs a secure context)");
      // A computed specifier keeps bundlers from following it into a browser build.
      const specifier = "webgpu";
      let mod: { create(options: string[]): GPU };
      try {
        mod = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as { create(options: string[]): GPU };
      } catch (err) {
        const code = (err as { code?: string } | null)?.code;
        const missing = code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
        throw new Error(
          missing
            ? "WebGPU in Node needs the optional peer dependency 'webgpu' (Dawn): install it with `npm install webgpu@0.6.2` (browsers do not need it)"
            : `the npm package 'webgpu' (Dawn for Node) could not be loaded: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err },
        );
      }
      const pump = new DawnNodePump();
      const gpu = pump.guard(() => mod.create([]));
      entry = { gpu, platform: "node", pump };
      return entry;
    })().catch((err: unknown) => {
      entryPromise = null;
      throw err;
    });
  }
  return entryPromise;
}

/** Reads `adapter.info` (and the older `isFallbackAdapter` attribute) into a summary. */
export function summarizeAdapter(adapter: GPUAdapter): AdapterSummary {
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const legacy = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const fallbackNames = /llvmpipe|lavapipe|swiftshader|software|microsoft basic render/i;
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallback: Boolean(info.isFallbackAdapter ?? legacy) || fallbackNames.test(text),
  };
}

/**
 * The best adapter: a hardware one when there is one (high performance first), else a fallback
 * (software) adapter; null when there is none at all.
 */
export async function requestBestAdapter(): Promise<{ adapter: GPUAdapter; summary: AdapterSummary; gpu: GpuEntry } | null> {
  const g = await loadGpu();
  const candidates: GPUAdapter[] = [];
  for (const options of [{ powerPreference: "high-performance" }, {}, { powerPreference: "low-power" }] as GPURequestAdapterOptions[]) {
    const a = await g.pump.guard(() => g.gpu.requestAdapter(options));
    if (!a) continue;
    const summary = summarizeAdapter(a);
    if (!summary.isFallback) return { adapter: a, summary, gpu: g };
    candidates.push(a);
  }
  const first = candidates[0];
  return first ? { adapter: first, summary: summarizeAdapter(first), gpu: g } : null;
}

/** The limits the backend relies on, raised to what the adapter allows. */
const RAISED_LIMITS = [
  "maxBufferSize",
  "maxStorageBufferBindingSize",
  "maxStorageBuffersPerShaderStage",
  "maxComputeWorkgroupStorageSize",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupSizeX",
  "maxComputeWorkgroupSizeY",
  "maxComputeWorkgroupsPerDimension",
] as const;

/** A recorded WebGPU error, attributed to the op that was running when it was raised. */
export interface RecordedError {
  readonly kind: "validation" | "out-of-memory" | "internal";
  readonly message: string;
  readonly op: string;
}

/**
 * A WebGPU device and what happens to it. Errors raised synchronously (dawn.node) are attributed to
 * the running op exactly; in browsers they arrive later and are attributed to the op of the error
 * scope that caught them (see backend.ts).
 */
export class GpuDevice {
  readonly device: GPUDevice;
  readonly queue: GPUQueue;
  readonly limits: GPUSupportedLimits;
  readonly summary: AdapterSummary;
  readonly platform: Platform;
  readonly pump: EventPump;
  /** Errors not yet reported to the user (thrown by the next kernel call or read). */
  readonly errors: RecordedError[] = [];
  /** The op currently running (for error messages). */
  currentOp = "(none)";
  /** Set when the device is lost (anything but our own destroy()). */
  lostReason: string | null = null;
  private destroyed = false;
  private readonly lostListeners: ((reason: string) => void)[] = [];

  private constructor(device: GPUDevice, summary: AdapterSummary, gpu: GpuEntry) {
    this.device = device;
    this.queue = device.queue;
    this.limits = device.limits;
    this.summary = summary;
    this.platform = gpu.platform;
    this.pump = gpu.pump;
    device.addEventListener("uncapturederror", (ev) => {
      const e = (ev as GPUUncapturedErrorEvent).error;
      const name = (e as { constructor?: { name?: string } }).constructor?.name ?? "";
      const kind = /OutOfMemory/i.test(name) ? "out-of-memory" : /Internal/i.test(name) ? "internal" : "validation";
      this.errors.push({ kind, message: e.message, op: this.currentOp });
    });
    void device.lost.then((info) => {
      if (this.destroyed) return;
      this.lostReason = `${info.reason}${info.message ? `: ${info.message}` : ""}`;
      for (const l of this.lostListeners) l(this.lostReason);
    });
  }

  /** Live devices, destroyed when a Node process exits (dawn.node should not tear down mid-work). */
  private static readonly live = new Set<GpuDevice>();
  private static exitHooked = false;

  /** Finds the best adapter and opens a device on it; throws with the reason when it cannot. */
  static async create(): Promise<GpuDevice> {
    const found = await requestBestAdapter();
    if (!found) {
      throw new Error(
        "no WebGPU adapter was found (in Node without a GPU, install a Vulkan driver such as Mesa's lavapipe and set VK_ICD_FILENAMES)",
      );
    }
    const { adapter, summary, gpu } = found;
    const requiredLimits: Record<string, number> = {};
    for (const name of RAISED_LIMITS) {
      const v = (adapter.limits as unknown as Record<string, number | undefined>)[name];
      if (typeof v === "number") requiredLimits[name] = v;
    }
    const device = await gpu.pump.guard(() => adapter.requestDevice({ requiredLimits, label: "tessera" }));
    const d = new GpuDevice(device, summary, gpu);
    GpuDevice.live.add(d);
    const proc = (globalThis as { process?: { once?(event: string, fn: () => void): void } }).process;
    if (gpu.platform === "node" && !GpuDevice.exitHooked && typeof proc?.once === "function") {
      GpuDevice.exitHooked = true;
      proc.once("exit", () => {
        for (const live of GpuDevice.live) live.destroy();
      });
    }
    return d;
  }

  /** Called once if the device is lost. */
  onLost(listener: (reason: string) => void): void {
    this.lostListeners.push(listener);
  }

  /** Human-readable adapter description. */
  describe(): string {
    const s = this.summary;
    const parts = [s.vendor, s.architecture, s.device, s.description].filter((p) => p && p.length > 0);
    return `WebGPU on ${parts.join(" / ") || "an unnamed adapter"}${s.isFallback ? " (fallback software adapter)" : ""}`;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    GpuDevice.live.delete(this);
    this.device.destroy();
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }
}
