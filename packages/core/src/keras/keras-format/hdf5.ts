/**
 * HDF5 through h5wasm (the HDF5 C library compiled to WebAssembly), loaded on first use so that a
 * bundle which never touches a Keras file never downloads it.
 *
 * Confinement: h5wasm's ESM build keeps files in Emscripten's in-memory file system (MEMFS), never
 * Node's. The bytes given are the only file there, so an HDF5 external link, external dataset storage
 * or virtual dataset pointing at another file finds nothing (and virtual datasets are refused).
 *
 * Sizes: a dataset is read only after its shape and element type were checked against what the
 * model expects, so a small compressed file cannot make the reader allocate a huge array.
 */
import { ValueError } from "../../errors.js";
import { formatShapeTuple } from "../../shape.js";

// The parts of h5wasm used here (its own types need the DOM and Emscripten declarations).
interface H5Metadata {
  type: number;
  size: number;
  shape: number[] | null;
  littleEndian: boolean;
  vlen: boolean;
  virtual_sources?: unknown[];
}
interface H5Attribute {
  metadata: H5Metadata;
  value: unknown;
}
interface H5Entity {
  path: string;
}
interface H5Group extends H5Entity {
  attrs: Record<string, H5Attribute>;
  keys(): string[];
  get(name: string): H5Group | H5Dataset | null | object;
  create_group(name: string): H5Group;
  create_dataset(args: { name: string; data: Float32Array | Float64Array | Int32Array; shape: number[] }): unknown;
  create_attribute(name: string, data: string | string[], shape?: number[] | null, dtype?: string | null): void;
}
interface H5Dataset extends H5Entity {
  metadata: H5Metadata;
  value: unknown;
}
interface H5File extends H5Group {
  close(): number;
}
interface H5Lib {
  File: new (name: string, mode: "r" | "w") => H5File;
  Group: new (...a: never[]) => H5Group;
  Dataset: new (...a: never[]) => H5Dataset;
  ready: Promise<{ FS: { writeFile(p: string, d: Uint8Array): void; readFile(p: string): Uint8Array; unlink(p: string): void }; activate_throwing_error_handler(): number }>;
}

const H5T_INTEGER = 0;
const H5T_FLOAT = 1;

let lib: Promise<H5Lib> | null = null;

async function h5(): Promise<H5Lib> {
  lib ??= import("h5wasm").then(async (m) => {
    const h = (m as unknown as { default: H5Lib }).default;
    // HDF5 errors become JS exceptions (instead of diagnostics printed to the console).
    (await h.ready).activate_throwing_error_handler();
    return h;
  });
  return lib;
}

let fileCounter = 0;

/** What a dataset holds once read. */
export interface DatasetValues {
  dtype: "float32" | "float64";
  values: Float32Array | Float64Array;
}

/** Read access to one open HDF5 file; every path is absolute inside the file (`/layers/dense/vars`). */
export class H5Reader {
  constructor(
    private readonly file: H5File,
    private readonly lib: H5Lib,
    /** The file's name in error messages. */
    readonly where: string,
  ) {}

  private entity(path: string): unknown {
    return path === "/" || path === "" ? this.file : this.file.get(path);
  }

  /** The group at `path`, or null when there is none (or it is not a group). */
  group(path: string): H5Group | null {
    const e = this.entity(path);
    return e instanceof this.lib.Group ? (e as H5Group) : null;
  }

  /** The names of a group's members, or [] when there is no such group. */
  keys(path: string): string[] {
    return this.group(path)?.keys() ?? [];
  }

  /** A text attribute (Keras writes its JSON and names as strings or bytes), or undefined when absent. */
  attrString(path: string, name: string): string | undefined {
    const attrs = this.group(path)?.attrs;
    if (!attrs || !Object.hasOwn(attrs, name)) return undefined;
    const v = attrs[name]!.value;
    if (typeof v === "string") return v;
    if (Array.isArray(v) && v.length === 1 && typeof v[0] === "string") return v[0];
    throw new ValueError(`${this.where}: the attribute "${name}" of ${path} is not a string`);
  }

  /**
   * A list-of-strings attribute, read as Keras's `load_attributes_from_hdf5_group` does: `name`, or
   * when a long list was split, `name0`, `name1`, …; [] when absent.
   */
  attrStrings(path: string, name: string): string[] {
    const attrs = this.group(path)?.attrs;
    if (!attrs) return [];
    const read = (key: string): string[] => {
      const v = attrs[key]!.value;
      // Keras writes an empty name list as an empty float array (`np.asarray([])`).
      if (ArrayBuffer.isView(v) && (v as Uint8Array).length === 0) return [];
      const list = typeof v === "string" ? [v] : v;
      if (!Array.isArray(list) || list.some((s) => typeof s !== "string")) {
        throw new ValueError(`${this.where}: the attribute "${key}" of ${path} is not a list of strings`);
      }
      return list as string[];
    };
    if (Object.hasOwn(attrs, name)) return read(name);
    const out: string[] = [];
    for (let i = 0; Object.hasOwn(attrs, `${name}${i}`); i++) out.push(...read(`${name}${i}`));
    return out;
  }

  /**
   * Reads the float dataset at `path` after checking that it has `shape` (and a float element type),
   * so nothing larger than the model's own weight is ever allocated.
   */
  readFloatDataset(path: string, shape: readonly number[], what: string): DatasetValues {
    const e = this.entity(path);
    if (!(e instanceof this.lib.Dataset)) {
      throw new ValueError(`${this.where}: ${what} should be the dataset ${path}, but ${e ? "that is not a dataset (a group or a link)" : "there is none"}`);
    }
    const ds = e as H5Dataset;
    const meta = ds.metadata;
    if (meta.virtual_sources && meta.virtual_sources.length > 0) throw new ValueError(`${this.where}: ${path} is a virtual dataset (data in other files); refusing it`);
    const got = meta.shape ?? [];
    if (got.length !== shape.length || got.some((d, i) => d !== shape[i])) {
      throw new ValueError(`${this.where}: ${what} (${path}) has shape ${formatShapeTuple(got)}, but the model expects ${formatShapeTuple(shape as number[])}`);
    }
    if (meta.type !== H5T_FLOAT || (meta.size !== 4 && meta.size !== 8) || meta.vlen) {
      const kind = meta.type === H5T_INTEGER ? `int${meta.size * 8}` : meta.type === H5T_FLOAT ? `float${meta.size * 8}` : `HDF5 type class ${meta.type}`;
      throw new ValueError(`${this.where}: ${what} (${path}) holds ${kind} values; Tessera reads float32 and float64 weights`);
    }
    const v = ds.value;
    const n = shape.reduce((a, b) => a * b, 1);
    if (meta.size === 4 && v instanceof Float32Array && v.length === n) return { dtype: "float32", values: v };
    if (meta.size === 8 && v instanceof Float64Array && v.length === n) return { dtype: "float64", values: v };
    if (n === 1 && typeof v === "number") return meta.size === 4 ? { dtype: "float32", values: Float32Array.of(v) } : { dtype: "float64", values: Float64Array.of(v) };
    throw new ValueError(`${this.where}: ${path} could not be read as ${n} float values`);
  }
}

/** The innermost cause in an HDF5 error stack (`... in H5F__super_read(): file signature not found`). */
function hdf5Reason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const causes = [...text.matchAll(/\(\): ([^\n]+)/g)].map((m) => m[1]!);
  return causes[causes.length - 1] ?? text.split("\n")[0]!;
}

/** Opens `bytes` as an HDF5 file, runs `fn` on it, and closes and deletes it whatever happens. */
export async function readH5<T>(bytes: Uint8Array, where: string, fn: (r: H5Reader) => T): Promise<T> {
  const h = await h5();
  const fs = (await h.ready).FS;
  const name = `/tessera-read-${++fileCounter}.h5`;
  fs.writeFile(name, bytes);
  let file: H5File | null = null;
  try {
    try {
      file = new h.File(name, "r");
    } catch (err) {
      throw new ValueError(`${where} is not a valid HDF5 file (${hdf5Reason(err)})`, { cause: err });
    }
    try {
      return fn(new H5Reader(file, h, where));
    } catch (err) {
      if (err instanceof Error && err.message.startsWith("HDF5-DIAG")) throw new ValueError(`${where} is corrupt (${hdf5Reason(err)})`, { cause: err });
      throw err;
    }
  } finally {
    try {
      file?.close();
    } finally {
      fs.unlink(name);
    }
  }
}

/** Write access to a new HDF5 file (groups, float datasets, string attributes). */
export interface H5Writer {
  /** Creates the group at `path` (with its parents). */
  group(path: string): void;
  /** Writes a float dataset `name` holding `values` of `shape` into the group `groupPath`. */
  dataset(groupPath: string, name: string, values: Float32Array | Float64Array, shape: readonly number[]): void;
  /** Sets a string attribute (or a list of strings) on the group at `path`. */
  attr(path: string, name: string, value: string | string[]): void;
}

/** Builds a new HDF5 file with `build` and returns its bytes. */
export async function writeH5(build: (w: H5Writer) => void): Promise<Uint8Array> {
  const h = await h5();
  const fs = (await h.ready).FS;
  const name = `/tessera-write-${++fileCounter}.h5`;
  const file = new h.File(name, "w");
  let closed = false;
  try {
    const groupAt = (path: string): H5Group => {
      const parts = path.split("/").filter((p) => p !== "");
      let g: H5Group = file;
      for (const p of parts) {
        const next = g.get(p);
        g = next instanceof h.Group ? (next as H5Group) : g.create_group(p);
      }
      return g;
    };
    build({
      group: (path) => void groupAt(path),
      dataset: (groupPath, dsName, values, shape) => void groupAt(groupPath).create_dataset({ name: dsName, data: values, shape: shape.slice() }),
      attr: (path, attrName, value) => groupAt(path).create_attribute(attrName, value),
    });
    file.close();
    closed = true;
    return fs.readFile(name).slice();
  } finally {
    try {
      if (!closed) file.close();
    } finally {
      fs.unlink(name);
    }
  }
}
