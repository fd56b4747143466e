/**
 * `tf.io.browserFiles([jsonFile, ...weightFiles])` (TensorFlow.js's): loads a model from files the
 * user picked (`<input type="file" multiple>` or drag and drop). The first file is `model.json`; the
 * others are the weight files its manifest names, matched by base name (the browser gives no folders).
 */
import { ValueError } from "../errors.js";
import type { IOHandler } from "../keras/model-io.js";
import { artifactsFrom, parseModelJSON } from "../keras/model-io.js";
import { manifestPaths } from "./manifest-paths.js";
import type { ModelArtifacts } from "../keras/serialization.js";

/** The parts of a DOM `File` used here. */
export interface FileLike {
  readonly name: string;
  readonly size: number;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A model.json larger than this is refused before it is read (real ones are kilobytes to a few MB). */
const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

function isFileLike(x: unknown): x is FileLike {
  const f = x as Partial<FileLike> | null;
  return !!f && typeof f === "object" && typeof f.name === "string" && typeof f.size === "number" && typeof f.text === "function" && typeof f.arrayBuffer === "function";
}

function baseName(p: string): string {
  const parts = p.split("/");
  return parts[parts.length - 1]!;
}

/** An IOHandler (load only) reading `files[0]` as model.json and the rest as its weight files. */
export function browserFiles(files: readonly FileLike[]): IOHandler & { load(): Promise<ModelArtifacts> } {
  if (!Array.isArray(files) || files.length < 1) {
    throw new ValueError(`When calling browserFiles, at least 1 file is required, but received ${Array.isArray(files) ? "an empty list" : JSON.stringify(files)}`);
  }
  const bad = files.findIndex((f) => !isFileLike(f));
  if (bad >= 0) throw new ValueError(`browserFiles: item ${bad} is not a File (or Blob with a name)`);
  const [jsonFile, ...weightFiles] = files as [FileLike, ...FileLike[]];
  return {
    async load(): Promise<ModelArtifacts> {
      if (jsonFile.size > MAX_MODEL_JSON_BYTES) {
        throw new ValueError(`browserFiles: the model JSON file "${jsonFile.name}" has ${jsonFile.size} bytes (more than ${MAX_MODEL_JSON_BYTES}); it is not a model.json`);
      }
      const json = parseModelJSON(await jsonFile.text(), jsonFile.name);
      const byName = new Map<string, FileLike>();
      for (const f of weightFiles) {
        if (byName.has(f.name)) throw new ValueError(`browserFiles: two weight files are named "${f.name}"`);
        byName.set(f.name, f);
      }
      const wanted = manifestPaths(json.weightsManifest, `"${jsonFile.name}"`).map(baseName);
      const duplicate = wanted.find((n, i) => wanted.indexOf(n) !== i);
      if (duplicate !== undefined) throw new ValueError(`browserFiles: the manifest of "${jsonFile.name}" names the weight file "${duplicate}" twice`);
      const missing = wanted.filter((n) => !byName.has(n));
      if (missing.length) throw new ValueError(`browserFiles: weight file(s) ${missing.map((n) => `"${n}"`).join(", ")} named in "${jsonFile.name}" were not provided`);
      if (wanted.length !== weightFiles.length) {
        const extra = weightFiles.filter((f) => !wanted.includes(f.name)).map((f) => `"${f.name}"`);
        throw new ValueError(`browserFiles: mismatch between the ${wanted.length} weight file(s) in the manifest of "${jsonFile.name}" and the ${weightFiles.length} provided (not in the manifest: ${extra.join(", ")})`);
      }
      return artifactsFrom(
        json,
        async (p, limit) => {
          const f = byName.get(baseName(p))!;
          if (f.size > limit) throw new ValueError(`browserFiles: weight file "${f.name}" has ${f.size} bytes, more than the ${limit} the manifest of "${jsonFile.name}" still expects`);
          return new Uint8Array(await f.arrayBuffer());
        },
        `"${jsonFile.name}"`,
      );
    },
  };
}
