/**
 * The weight file names a `model.json` manifest lists come from whoever made the model, so they are
 * confined: a name must be a relative path that stays inside the model's directory (no `..`, no
 * absolute path, no URL scheme, no backslash, drive letter, NUL or percent-encoded dot), and over
 * HTTP the resolved URL must keep the model.json's origin and directory.
 */
import { ValueError } from "../errors.js";

/** Why `name` could leave the model's directory, or null when it is a plain relative path. */
function unsafeReason(name: string): string | null {
  if (name === "") return "it is empty";
  if (name.includes("\0")) return "it holds a NUL character";
  if (name.includes("\\")) return "it holds a backslash";
  if (/^[a-z][a-z0-9+.-]*:/i.test(name)) return "it is an absolute URL or has a drive letter";
  if (name.startsWith("/")) return "it is an absolute path";
  if (/%2e|%2f|%5c/i.test(name)) return "it holds a percent-encoded '.', '/' or '\\'";
  if (name.split("/").some((p) => p === "..")) return "it has a '..' component";
  return null;
}

/**
 * The normalised relative form of a manifest path (`./a//b.bin` → `a/b.bin`), or a ValueError naming
 * `where` and the path when it could escape the model's directory.
 */
export function manifestPath(name: unknown, where: string): string {
  if (typeof name !== "string") throw new ValueError(`The weights manifest of ${where} lists a weight file path that is not a string: ${JSON.stringify(name)}`);
  const why = unsafeReason(name);
  if (why) throw new ValueError(`The weights manifest of ${where} lists the weight file path ${JSON.stringify(name)}, which is refused because ${why}: weight files must be relative paths inside the model's directory`);
  const parts = name.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.length === 0) throw new ValueError(`The weights manifest of ${where} lists the weight file path ${JSON.stringify(name)}, which names no file`);
  return parts.join("/");
}

/** Every path of every manifest group, normalised and checked, refusing duplicates. */
export function manifestPaths(groups: readonly { paths: readonly unknown[] }[], where: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const g of groups) {
    for (const p of g.paths) {
      const n = manifestPath(p, where);
      if (seen.has(n)) throw new ValueError(`The weights manifest of ${where} lists the weight file ${JSON.stringify(n)} twice`);
      seen.add(n);
      out.push(n);
    }
  }
  return out;
}

/**
 * The URL of weight file `file` (already normalised by `manifestPath`) next to the model.json at
 * `modelURL`; a ValueError unless it keeps the model.json's origin and directory.
 */
export function confinedWeightURL(modelURL: string, file: string, pageHref?: string): string {
  const base = new URL(modelURL, pageHref);
  const dir = base.pathname.slice(0, base.pathname.lastIndexOf("/") + 1);
  const url = new URL(file, base);
  if (url.origin !== base.origin || !url.pathname.startsWith(dir)) {
    throw new ValueError(`The weights manifest of ${modelURL} points outside the model's directory (${JSON.stringify(file)} → ${url.origin}${url.pathname}); pass weightPathPrefix or weightUrlConverter to allow it`);
  }
  return url.toString();
}
