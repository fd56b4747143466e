/** The backend pairs: each Tessera backend against its TF.js peer. */

export type BackendName = "js" | "wasm" | "webgpu";
export const BACKENDS: readonly BackendName[] = ["js", "wasm", "webgpu"];

export interface PairSpec {
  /** "js", "wasm-1t", "wasm-2t", "webgpu". */
  id: string;
  backend: BackendName;
  /** Threads asked of both wasm backends (undefined for js and webgpu). */
  threads?: number;
  tfjsBackend: "cpu" | "wasm" | "webgpu";
  /** Human label; workers refine it with what the backends really use. */
  label: string;
}

/** The pairs `--backends` and `--threads` select, in run order. */
export function pairsFor(backends: readonly BackendName[], threads: readonly number[]): PairSpec[] {
  const pairs: PairSpec[] = [];
  for (const backend of backends) {
    if (backend === "js") pairs.push({ id: "js", backend, tfjsBackend: "cpu", label: "js vs tfjs-backend-cpu" });
    if (backend === "wasm") {
      for (const t of threads) {
        pairs.push({ id: `wasm-${t}t`, backend, threads: t, tfjsBackend: "wasm", label: `wasm ${t} thread${t === 1 ? "" : "s"}` });
      }
    }
    if (backend === "webgpu") pairs.push({ id: "webgpu", backend, tfjsBackend: "webgpu", label: "webgpu" });
  }
  return pairs;
}
