/**
 * Where Keras files come from and go to: `model.save("x.keras")` and `loadModel("x.keras" | "x.h5")`
 * in Node, an `http(s)://` URL ending in `.keras`/`.h5` (fetched), or the bytes themselves
 * (`Uint8Array`, `ArrayBuffer`, or a `Blob`/`File` a user picked in a browser).
 */
import { NotImplementedError, ValueError } from "../../errors.js";
import type { Model, SymbolicOutputs } from "../model.js";
import type { BoundedBody } from "../../io/bounded-body.js";
import { readBounded } from "../../io/bounded-body.js";
import { nodeReadModules, readModelFile } from "../../io/node-files.js";
import { nodeModules } from "../model-io.js";
import { loadKerasBytes, MAX_WEIGHTS_BYTES } from "./load.js";
import { kerasArchive } from "./save.js";
import { DEFAULT_MAX_WEIGHT_BYTES } from "../weight-specs.js";

/** A Blob or File (what `<input type="file">` gives). */
export interface BlobLike {
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  readonly name?: string;
}

/** Model bytes given directly. */
export type ModelBytes = Uint8Array | ArrayBuffer | BlobLike;

const KERAS_SUFFIX = /\.(keras|h5|hdf5)$/i;

/**
 * The Keras file extension a file path, `file://` or `http(s)://` location ends with (query and
 * fragment ignored), or null; other schemes (`indexeddb://model.keras`) name stored models, not files.
 */
export function kerasExtension(location: string): string | null {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== "file" && scheme !== "http" && scheme !== "https") return null;
  const path = scheme === "http" || scheme === "https" ? location.replace(/[?#].*$/, "") : location;
  const m = KERAS_SUFFIX.exec(path);
  return m ? m[1]!.toLowerCase() : null;
}

/** True for what `loadModel` reads as bytes rather than as a location or IOHandler. */
export function isModelBytes(x: unknown): x is ModelBytes {
  if (x instanceof Uint8Array || x instanceof ArrayBuffer) return true;
  const b = x as Partial<BlobLike> | null;
  return !!b && typeof b === "object" && typeof b.size === "number" && typeof b.arrayBuffer === "function" && typeof (b as { save?: unknown }).save !== "function";
}

const MAX_FILE_BYTES = MAX_WEIGHTS_BYTES;

async function bytesOf(source: ModelBytes): Promise<{ bytes: Uint8Array; where: string }> {
  if (source instanceof Uint8Array) return { bytes: source, where: "the Keras model bytes" };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), where: "the Keras model bytes" };
  if (source.size > MAX_FILE_BYTES) throw new ValueError(`The model file has ${source.size} bytes, more than the ${MAX_FILE_BYTES} Tessera reads`);
  return { bytes: new Uint8Array(await source.arrayBuffer()), where: source.name ? `"${source.name}"` : "the model file" };
}

type Fetch = (url: string) => Promise<BoundedBody & { ok: boolean; status: number }>;

/** Loads a Keras model from a `.keras`/`.h5` path or URL, or from its bytes. */
export async function loadKerasModel(source: string | ModelBytes, maxWeightBytes: number = DEFAULT_MAX_WEIGHT_BYTES): Promise<Model> {
  if (typeof source !== "string") {
    const { bytes, where } = await bytesOf(source);
    return loadKerasBytes(bytes, where, maxWeightBytes);
  }
  if (/^https?:\/\//i.test(source)) {
    const f = (globalThis as { fetch?: Fetch }).fetch;
    if (!f) throw new NotImplementedError("Loading from a URL needs fetch");
    const res = await f(source);
    if (!res.ok) throw new ValueError(`Cannot load ${source}: HTTP ${res.status}`);
    return loadKerasBytes(await readBounded(res, MAX_FILE_BYTES, source), source, maxWeightBytes);
  }
  const { fs, path } = await nodeReadModules("loadModel");
  const file = source.startsWith("file://") ? source.slice("file://".length) : source;
  // Only a regular file, and no more than MAX_FILE_BYTES of it: never a pipe or a device.
  const bytes = await readModelFile(fs, path, file, MAX_FILE_BYTES, source);
  return loadKerasBytes(bytes, file, maxWeightBytes);
}

/** Saves `model` as a `.keras` archive at a Node path (Keras 3's own format). */
export async function saveKerasModel(model: Model<SymbolicOutputs>, destination: string): Promise<{ path: string; bytes: number }> {
  const ext = kerasExtension(destination);
  if (ext !== "keras") {
    throw new NotImplementedError(`Saving Keras 2's legacy .${ext ?? "h5"} format is not supported; save to a ".keras" path (Keras 3's format, which Keras 2.13+ and 3 load)`);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(destination) && !destination.startsWith("file://")) {
    throw new NotImplementedError(`A .keras archive can be saved to a file path; "${destination}" is not one`);
  }
  const bytes = await kerasArchive(model);
  const { fs, path } = await nodeModules("model.save");
  const file = destination.startsWith("file://") ? destination.slice("file://".length) : destination;
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, bytes);
  return { path: file, bytes: bytes.length };
}
