/**
 * Reading model files in Node without trusting them: only regular files are opened (never a FIFO,
 * device or socket, so `/dev/zero` or a pipe cannot make a load grow or hang), a file is read up to a
 * byte limit fixed before it is opened and no further, and weight files are resolved (symlinks
 * included) and must lie inside the model's directory.
 */
import { NotImplementedError, ValueError } from "../errors.js";

interface FileHandleLike {
  stat(): Promise<StatsLike>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}
interface StatsLike {
  size: number;
  isFile(): boolean;
}
/** The parts of `node:fs/promises` used here. */
export interface NodeFsRead {
  open(p: string | URL, flags: number): Promise<FileHandleLike>;
  stat(p: string): Promise<StatsLike>;
  realpath(p: string): Promise<string>;
  constants: { O_RDONLY: number; O_NONBLOCK?: number; O_NOFOLLOW?: number };
}
/** The parts of `node:path` used here. */
export interface NodePathRead {
  join(...p: string[]): string;
  dirname(p: string): string;
  resolve(...p: string[]): string;
  sep: string;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The bytes of the regular file `file`, which must have at most `maxBytes` (else a ValueError naming
 * `label` (which names the file) and both sizes, before anything is read). Opened without blocking, so a FIFO swapped
 * in after the check is refused rather than waited on; a file that grows is read only to its checked size.
 */
export async function readRegularFile(fs: NodeFsRead, file: string | URL, maxBytes: number, label: string): Promise<Uint8Array> {
  const flags = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);
  let handle: FileHandleLike;
  try {
    handle = await fs.open(file, flags);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new ValueError(code === "ENOENT" ? `${label} does not exist` : `${label} cannot be opened: ${describe(err)}`, { cause: err });
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new ValueError(`${label} is not a regular file (a directory, device, pipe or socket); refusing to read it`);
    if (st.size > maxBytes) throw new ValueError(`${label} has ${st.size} bytes, more than the ${maxBytes} expected`);
    const out = new Uint8Array(st.size);
    let off = 0;
    while (off < out.length) {
      const { bytesRead } = await handle.read(out, off, out.length - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    if (off !== out.length) throw new ValueError(`${label} shrank while it was read (${off} of ${out.length} bytes)`);
    return out;
  } finally {
    await handle.close();
  }
}

/**
 * Reads the model file `file` (a regular file of at most `maxBytes`); a missing one raises "No model
 * found at `source`" with the resolved path.
 */
export async function readModelFile(fs: NodeFsRead, path: NodePathRead, file: string, maxBytes: number, source: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(fs, file, maxBytes, `The model file ${file}`);
  } catch (err) {
    const code = ((err as { cause?: { code?: string } }).cause ?? {}).code;
    if (code === "ENOENT") throw new ValueError(`No model found at "${source}": ${path.resolve(file)} does not exist`, { cause: err });
    throw err;
  }
}

/**
 * A reader of weight files inside `dir`: each manifest path (already normalised by `manifestPath`)
 * is joined to `dir`, resolved through symlinks, and refused unless it stays inside `dir`'s own
 * resolved path; then read as a regular file of at most the bytes given.
 */
export async function confinedReader(fs: NodeFsRead, path: NodePathRead, dir: string, where: string): Promise<(rel: string, maxBytes: number) => Promise<Uint8Array>> {
  let root: string;
  try {
    root = await fs.realpath(path.resolve(dir));
  } catch (err) {
    throw new ValueError(`The directory of ${where} cannot be resolved: ${describe(err)}`, { cause: err });
  }
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return async (rel, maxBytes) => {
    const joined = path.join(root, rel);
    let real: string;
    try {
      real = await fs.realpath(joined);
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new ValueError(code === "ENOENT" ? `Weight file ${joined} listed in ${where} does not exist` : `Weight file ${joined} listed in ${where} cannot be read: ${describe(err)}`, { cause: err });
    }
    if (!real.startsWith(prefix)) {
      throw new ValueError(`Weight file ${JSON.stringify(rel)} listed in ${where} resolves to ${real}, outside the model's directory ${root}; refusing to read it`);
    }
    return readRegularFile(fs, real, maxBytes, `Weight file ${JSON.stringify(rel)} listed in ${where} (${real})`);
  };
}

/**
 * Node's fs/promises and path modules typed as `F` and `P`, or a NotImplementedError naming `what`
 * followed by `browserHint` (what to do instead) outside Node.
 */
export async function loadNodeModules<F, P>(what: string, browserHint: string): Promise<{ fs: F; path: P }> {
  const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string";
  if (isNode) {
    // Computed specifiers keep browser bundlers from resolving Node built-ins.
    const fsSpec = "node:fs/promises";
    const pathSpec = "node:path";
    try {
      const [fs, path] = await Promise.all([import(/* @vite-ignore */ /* webpackIgnore: true */ fsSpec), import(/* @vite-ignore */ /* webpackIgnore: true */ pathSpec)]);
      return { fs: fs as F, path: path as P };
    } catch {
      // fall through
    }
  }
  throw new NotImplementedError(`${what}: file paths need Node's file system; ${browserHint}`);
}

/** Node's fs/promises and path modules, or a NotImplementedError naming `what` outside Node. */
export function nodeReadModules(what: string): Promise<{ fs: NodeFsRead; path: NodePathRead }> {
  return loadNodeModules<NodeFsRead, NodePathRead>(what, "in a browser pass the bytes, or use an http(s) URL");
}
