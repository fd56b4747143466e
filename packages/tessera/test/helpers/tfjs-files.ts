/**
 * TensorFlow.js reading and writing the layers format through files (what tfjs-node's file://
 * handler would do, without tfjs-node), for interop tests.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tfc from "@tensorflow/tfjs-core";

/** TF.js reads a model.json and its shards from `dir` through this handler. */
export function tfjsFileLoader(dir: string): tfc.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
      const parts = json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => readFileSync(join(dir, p))));
      const data = Buffer.concat(parts);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g: { weights: tfc.io.WeightsManifestEntry[] }) => g.weights),
        weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        ...(json.trainingConfig ? { trainingConfig: json.trainingConfig } : {}),
      };
    },
  };
}

/** TF.js writes model.json and one weights file into `dir` through this handler. */
export function tfjsFileSaver(dir: string): tfc.io.IOHandler {
  return tfc.io.withSaveHandler(async (a) => {
    mkdirSync(dir, { recursive: true });
    const data = new Uint8Array(tfc.io.CompositeArrayBuffer.join(a.weightData!));
    writeFileSync(join(dir, "weights.bin"), data);
    const json = { modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy, ...(a.trainingConfig ? { trainingConfig: a.trainingConfig } : {}), weightsManifest: [{ paths: ["weights.bin"], weights: a.weightSpecs }] };
    writeFileSync(join(dir, "model.json"), JSON.stringify(json));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
  });
}

/** Largest |a − b| must be below `tol`. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
