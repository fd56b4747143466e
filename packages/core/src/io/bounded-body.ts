/**
 * Reading an HTTP response body without trusting its length: `content-length` is checked first, and
 * a streamed body is abandoned as soon as it passes the limit, so a server cannot make a load grow
 * without bound.
 */
import { ValueError } from "../errors.js";

/** The parts of a fetch `Response` read here. */
export interface BoundedBody {
  headers?: { get(name: string): string | null } | undefined;
  body?: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(reason?: unknown): Promise<void> } } | null | undefined;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The body of `r`, refusing (before or while reading) one longer than `limit` bytes. */
export async function readBounded(r: BoundedBody, limit: number, label: string): Promise<Uint8Array> {
  const declared = r.headers?.get("content-length");
  if (declared !== null && declared !== undefined && Number(declared) > limit) {
    throw new ValueError(`${label} has ${declared} bytes (content-length), more than the ${limit} expected`);
  }
  const reader = r.body && typeof r.body.getReader === "function" ? r.body.getReader() : null;
  if (!reader) {
    const bytes = new Uint8Array(await r.arrayBuffer());
    if (bytes.length > limit) throw new ValueError(`${label} has ${bytes.length} bytes, more than the ${limit} expected`);
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!value) continue;
    n += value.length;
    if (n > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ValueError(`${label} has more than the ${limit} bytes expected; stopped reading it`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

