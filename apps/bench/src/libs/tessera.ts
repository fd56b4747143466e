/** Loads Tessera with the pair's backend active. Backends other than js are loaded by name so the
 * bench builds before their packages exist; a missing or unbuilt one is "unavailable", not a crash. */
import * as tf from "@tessera/core";
import type { PairSpec } from "../pairs.js";
import { Unavailable } from "../types.js";

export type TesseraCore = typeof tf;

export interface TesseraLib {
  tf: TesseraCore;
  /** e.g. "Tessera wasm (SIMD, 2 threads)". */
  label: string;
}

const PACKAGES = { js: "@tessera/backend-js", wasm: "@tessera/backend-wasm", webgpu: "@tessera/backend-webgpu" } as const;

/** @tessera/backend-wasm's configuration hook (threads count includes the main thread). */
interface WasmConfig {
  configureWasmBackend?: (opts: { threads?: number }) => void;
}

export async function loadTessera(pair: PairSpec): Promise<TesseraLib> {
  const pkg: string = PACKAGES[pair.backend];
  let mod: WasmConfig;
  try {
    mod = (await import(pkg)) as WasmConfig;
  } catch (e) {
    throw new Unavailable(`${pkg} cannot be loaded (${firstLine(e)})`);
  }
  if (!tf.listBackends().includes(pair.backend)) {
    throw new Unavailable(`${pkg} did not register "${pair.backend}" (registered: ${tf.listBackends().join(", ")})`);
  }
  if (pair.threads !== undefined) {
    if (typeof mod.configureWasmBackend !== "function") {
      throw new Unavailable(`${pkg} exports no configureWasmBackend({ threads }), so a thread count cannot be asked for`);
    }
    mod.configureWasmBackend({ threads: pair.threads });
  }
  try {
    await tf.setBackend(pair.backend);
  } catch (e) {
    throw new Unavailable(`setBackend("${pair.backend}") failed: ${firstLine(e)}`);
  }
  // The backend's own description says what really runs (SIMD flavour, threads in use, why fewer).
  const backend = await tf.findBackend(pair.backend);
  const label = typeof backend.describe === "function" ? `Tessera ${backend.describe()}` : `Tessera ${pair.backend}`;
  return { tf, label };
}

export function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split("\n")[0]!.slice(0, 200);
}
