/** Loads TensorFlow.js with the pair's peer backend active (cpu, wasm or webgpu), in production mode. */
import { createRequire } from "node:module";
import path from "node:path";
import * as tfc from "@tensorflow/tfjs-core";
import type { PairSpec } from "../pairs.js";
import { Unavailable } from "../types.js";
import { firstLine } from "./tessera.js";
import { nodeAdapter } from "./webgpu-node.js";

export type TfjsCore = typeof tfc;
export type TfjsLayers = typeof import("@tensorflow/tfjs-layers");

export interface TfjsLib {
  tf: TfjsCore;
  label: string;
  /** @tensorflow/tfjs-layers (it shares tfjs-core's engine). */
  layers(): Promise<TfjsLayers>;
}

export async function loadTfjs(pair: PairSpec): Promise<TfjsLib> {
  // The fair comparison is TF.js as users ship it; this also silences its Node banner.
  tfc.enableProdMode();
  let label = `TF.js ${pair.tfjsBackend}`;
  if (pair.tfjsBackend === "cpu") {
    await import("@tensorflow/tfjs-backend-cpu");
  } else if (pair.tfjsBackend === "wasm") {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    // Load the .wasm files from the package on disk, never from the network.
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm")) + path.sep);
    wasm.setThreadsCount(pair.threads ?? 1);
    if (!(await tfc.setBackend("wasm"))) throw new Unavailable("TF.js setBackend(\"wasm\") failed");
    const simd = await tfc.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    const n = wasm.getThreadsCount();
    // tfjs-backend-wasm turns threads off in Node (tensorflow/tfjs#3830), whatever is asked.
    label = `TF.js wasm${simd ? " SIMD" : ""}, ${n} thread${n === 1 ? "" : "s"}${pair.threads !== undefined && n !== pair.threads ? " (no threads in Node)" : ""}`;
  } else {
    const adapter = await nodeAdapter();
    if (!adapter) throw new Unavailable("no WebGPU adapter");
    try {
      await import("@tensorflow/tfjs-backend-webgpu");
    } catch (e) {
      throw new Unavailable(`@tensorflow/tfjs-backend-webgpu cannot be loaded (${firstLine(e)})`);
    }
    label = `TF.js webgpu (${adapter.name})`;
  }
  if (!(await tfc.setBackend(pair.tfjsBackend))) throw new Unavailable(`TF.js setBackend("${pair.tfjsBackend}") failed`);
  // tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle registers them all, as the
  // @tensorflow/tfjs union package does. Without it tf.variableGrads fails (e.g. on RealDiv).
  const layers = await import("@tensorflow/tfjs-layers");
  return { tf: tfc, label, layers: async () => layers };
}
