/**
 * The backends this page offers and whether each can start in this browser. Availability is found
 * by starting the backend for real (a WebGPU device, the wasm module and its workers), so what the
 * list says is what training will meet; a backend that cannot start keeps its reason.
 */
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { WasmBackend, configureWasmBackend } from "@tessera/backend-wasm";
import "@tessera/backend-webgpu";

/** The choices of the backend menu (values of `data-testid="backend-select"`). */
export type Choice = "webgpu" | "wasm" | "wasm-single" | "js";

export interface ChoiceInfo {
  readonly choice: Choice;
  readonly label: string;
  /** What was found when starting it: the backend's own description, or why it cannot start. */
  readonly detail: string;
  readonly available: boolean;
}

/** Backend names registered with core: wasm on one thread is its own backend instance. */
const WASM_SINGLE = "wasm-single";

let registered = false;
function registerSingleThreadWasm(): void {
  if (registered) return;
  registered = true;
  tf.registerBackend(WASM_SINGLE, { priority: 0, create: () => WasmBackend.create({ threads: 1 }) });
}

const LABELS: Record<Choice, string> = {
  webgpu: "WebGPU",
  wasm: "wasm + threads",
  "wasm-single": "wasm, one thread",
  js: "js",
};

function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // Core prefixes "Backend 'x' cannot start here: "; the list already names the backend.
  return message.replace(/^Backend '[^']*' cannot start here: /, "");
}

async function probe(choice: Choice): Promise<ChoiceInfo> {
  const label = LABELS[choice];
  try {
    const backend = await tf.findBackend(choice);
    if (choice === "wasm") {
      const wasm = backend as WasmBackend;
      if (wasm.threadCount < 2) {
        return { choice, label, available: false, detail: wasm.threadsReason || "only one thread is available here" };
      }
    }
    return { choice, label, available: true, detail: backend.describe?.() ?? choice };
  } catch (err) {
    return { choice, label, available: false, detail: reasonOf(err) };
  }
}

/** Starts every backend once and reports which can run here, fastest first. */
export async function probeBackends(): Promise<ChoiceInfo[]> {
  registerSingleThreadWasm();
  // Ask for every hardware thread (at most 8) so the threaded choice shows what this machine can do.
  configureWasmBackend({ threads: Math.max(2, Math.min(8, navigator.hardwareConcurrency || 2)) });
  const choices: Choice[] = ["webgpu", "wasm", "wasm-single", "js"];
  return Promise.all(choices.map(probe));
}

/** Makes `choice` the active backend. */
export async function activate(choice: Choice): Promise<void> {
  await tf.setBackend(choice);
}
