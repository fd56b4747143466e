/**
 * The `.keras` zip archive, through fflate. Reading is defensive: every entry's name is checked
 * (no absolute paths, no `..`, no backslashes or drive letters, no duplicates), and every entry's
 * declared size is checked against a limit before anything is inflated, and inflation writes into a
 * buffer of exactly the declared size, so a small archive cannot make the reader allocate more.
 * Entries are never written to disk: they are looked up by exact name in memory.
 */
import { unzipSync, zipSync } from "fflate";
import type { Unzipped, UnzipFileInfo } from "fflate";
import { ValueError } from "../../errors.js";

/** Most entries a .keras archive may hold (Keras writes 3, plus any assets). */
export const MAX_ENTRIES = 10_000;

/** What one wanted entry may weigh once inflated. */
export interface EntryLimit {
  name: string;
  maxBytes: number;
  required: boolean;
}

const ZIP_LOCAL_HEADER = 0x04034b50;

/** True when `bytes` start like a zip archive. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === ZIP_LOCAL_HEADER;
}

/** Why an entry name could escape or confuse an extraction, or null when it is safe. */
export function unsafeEntryName(name: string): string | null {
  if (name === "") return "an empty name";
  if (name.includes("\0")) return "a NUL character";
  if (name.includes("\\")) return "a backslash";
  if (name.startsWith("/")) return "an absolute path";
  if (/^[a-zA-Z]:/.test(name)) return "a drive letter";
  if (name.split("/").some((p) => p === "..")) return "a '..' component";
  return null;
}

/**
 * The entries `wanted` names, inflated, and the names of all entries, after checking every entry. Throws a
 * `ValueError` naming `where` for a malformed archive, an unsafe name, a duplicate, an entry over
 * its limit, an unsupported compression method or a missing required entry.
 */
export function readArchive(bytes: Uint8Array, where: string, wanted: readonly EntryLimit[]): { files: Map<string, Uint8Array>; names: string[] } {
  const seen = new Set<string>();
  const limits = new Map(wanted.map((w) => [w.name, w]));
  const sizes = new Map<string, number>();
  let count = 0;
  let listed: Unzipped;
  try {
    listed = unzipSync(bytes, {
      filter: (f: UnzipFileInfo) => {
        if (++count > MAX_ENTRIES) throw new ValueError(`${where} holds more than ${MAX_ENTRIES} entries`);
        const why = unsafeEntryName(f.name);
        if (why) throw new ValueError(`${where} holds an entry whose name has ${why} (${JSON.stringify(f.name)}); refusing the archive`);
        if (seen.has(f.name)) throw new ValueError(`${where} holds two entries named ${JSON.stringify(f.name)}`);
        seen.add(f.name);
        const limit = limits.get(f.name);
        if (!limit) return false;
        if (f.compression !== 0 && f.compression !== 8) {
          throw new ValueError(`${where}: entry ${f.name} uses compression method ${f.compression} (only stored and deflate are supported)`);
        }
        if (f.originalSize > limit.maxBytes) {
          throw new ValueError(`${where}: entry ${f.name} declares ${f.originalSize} bytes, more than the ${limit.maxBytes} allowed`);
        }
        sizes.set(f.name, f.originalSize);
        // fflate inflates into a buffer of exactly the declared size (never grown): bytes past it
        // are dropped, so a lying header cannot make it allocate more; a short entry is caught below.
        return true;
      },
    });
  } catch (err) {
    if (err instanceof ValueError) throw err;
    throw new ValueError(`${where} is not a valid zip archive (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  const out = new Map<string, Uint8Array>();
  for (const w of wanted) {
    if (!sizes.has(w.name)) {
      if (w.required) throw new ValueError(`${where} has no ${w.name}: it is not a Keras .keras archive (entries: ${[...seen].slice(0, 20).join(", ") || "none"})`);
      continue;
    }
    const declared = sizes.get(w.name)!;
    const data = listed[w.name];
    if (data === undefined) throw new ValueError(`${where}: entry ${w.name} could not be read`);
    if (data.length !== declared) throw new ValueError(`${where}: entry ${w.name} holds ${data.length} bytes but declares ${declared}; the archive is corrupt`);
    out.set(w.name, data);
  }
  return { files: out, names: [...seen] };
}

/** A zip archive of `entries` in order, stored uncompressed (as Python's zipfile writes a .keras). */
export function writeArchive(entries: readonly [string, Uint8Array][]): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 }]> = {};
  for (const [name, data] of entries) files[name] = [data, { level: 0 }];
  return zipSync(files);
}
