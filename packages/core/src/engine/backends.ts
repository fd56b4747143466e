import type { BackendFactory, KernelBackend } from "../kernel/interface.js";
import { ENGINE } from "./engine.js";
import type { MemoryInfo } from "./engine.js";

/**
 * Registers a backend under `name`. Backend packages call this when imported; apps rarely need to.
 * The factory may build the backend asynchronously (see `BackendFactory`).
 */
export function registerBackend(name: string, factory: BackendFactory): void {
  ENGINE.registerBackend(name, factory);
}

/**
 * Initialises (once) and switches to backend `name` ("js", "wasm", "webgpu").
 * Throws naming the registered backends when `name` is unknown, and the reason when it cannot start here.
 */
export async function setBackend(name: string): Promise<boolean> {
  return ENGINE.setBackend(name);
}

/** Name of the active backend (choosing the default synchronously if none is active yet). */
export function getBackend(): string {
  return ENGINE.getBackendName();
}

/**
 * Resolves once a backend is active. With none chosen yet it picks `TESSERA_BACKEND` if set, else
 * webgpu when a hardware adapter exists, else wasm, else js.
 */
export async function ready(): Promise<void> {
  return ENGINE.ready();
}

/** Registered backend names. */
export function listBackends(): string[] {
  return ENGINE.listBackends();
}

/** The instance of a registered backend, initialised on demand (for tests and tools). */
export async function findBackend(name: string): Promise<KernelBackend> {
  return ENGINE.findBackend(name);
}

/** Memory in use: exact counts of live tensors, buffers and bytes, and what each backend holds. */
export function memory(): MemoryInfo {
  return ENGINE.memory();
}

/**
 * Drops backend `name`'s instance (a backend whose device was lost calls this); the next
 * `setBackend(name)` or use creates a new one. Tensors still on the old instance become unusable.
 */
export function removeBackendInstance(name: string): void {
  ENGINE.removeBackendInstance(name);
}
