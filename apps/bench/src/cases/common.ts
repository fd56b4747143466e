/** Small helpers shared by the case files. */
import type { Tensor as TesseraTensor } from "@tessera/core";
import type { Tensor as TfjsTensor } from "@tensorflow/tfjs-core";
import type { Output } from "../types.js";

/** Reads a Tessera tensor back (asynchronously, as a GPU backend needs) and frees it. */
export async function readTessera(t: TesseraTensor): Promise<Output> {
  const values = (await t.data()) as Output;
  t.dispose();
  return values;
}

/** Reads a TF.js tensor back and frees it. */
export async function readTfjs(t: TfjsTensor): Promise<Output> {
  const values = await t.data();
  t.dispose();
  return values;
}

export const MiB = 1024 * 1024;
