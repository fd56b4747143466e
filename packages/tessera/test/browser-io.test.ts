/**
 * Model IO in a real browser: Vite bundles test/browser-io/ (Tessera's built core and backend-js,
 * TensorFlow.js 4.22's core, cpu backend and layers), and Debian's Chromium (headless, driven by
 * playwright-core) runs it from a local server that also takes uploads. Checked there:
 * `indexeddb://` both ways between TensorFlow.js and Tessera, listModels/copyModel/moveModel/
 * removeModel across localStorage and IndexedDB as seen by both libraries, a model too large for
 * localStorage kept in IndexedDB, `http://` saving by multipart POST (read back by both libraries),
 * Keras `.keras`/`.h5` files over HTTP, and `tf.io.browserFiles` on files picked in a file input.
 * Needs `pnpm build` first (the root `pnpm test` does it).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import type { BrowserContext, Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const TYPES: Record<string, string> = { ".js": "text/javascript", ".html": "text/html", ".json": "application/json", ".wasm": "application/wasm" };

let outDir = "";
let profile = "";
let server: Server;
let origin = "";
let context: BrowserContext;
let page: Page;
const pageLog: string[] = [];
/** What the server received at /upload: method, headers, and the multipart files. */
const uploads: { method: string; headers: IncomingMessage["headers"]; files: Record<string, { name: string; type: string; bytes: Buffer }> }[] = [];
let stored: Record<string, Buffer> = {};

async function body(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

beforeAll(async () => {
  for (const pkg of ["core", "backend-js"]) {
    if (!existsSync(join(repo, "packages", pkg, "dist/index.js"))) throw new Error(`@tessera/${pkg} is not built; run \`pnpm build\` first`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`);
  outDir = mkdtempSync(join(tmpdir(), "tessera-io-vite-"));
  await build({
    root: join(here, "browser-io"),
    logLevel: "warn",
    build: { outDir, emptyOutDir: true, target: "esnext", chunkSizeWarningLimit: 8000 },
  });
  server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/upload") {
        const form = await new Request("http://x/upload", { method: "POST", headers: { "content-type": req.headers["content-type"] ?? "" }, body: await body(req) }).formData();
        const files: (typeof uploads)[number]["files"] = {};
        for (const [field, value] of form.entries()) {
          if (typeof value === "string") continue;
          files[field] = { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
        }
        uploads.push({ method: req.method ?? "", headers: req.headers, files });
        stored = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, f.bytes]));
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
        return;
      }
      if (url.pathname.startsWith("/uploaded/")) {
        const data = stored[url.pathname.slice("/uploaded/".length)];
        if (!data) return void res.writeHead(404).end();
        return void res.writeHead(200, { "content-type": "application/octet-stream" }).end(data);
      }
      const dir = url.pathname.startsWith("/fixtures/") ? join(here, "fixtures/keras") : outDir;
      const rel = url.pathname.startsWith("/fixtures/") ? url.pathname.slice("/fixtures/".length) : url.pathname === "/" ? "index.html" : url.pathname.slice(1);
      const file = normalize(join(dir, decodeURIComponent(rel)));
      if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
    })().catch((e: unknown) => {
      res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  profile = mkdtempSync(join(tmpdir(), "tessera-io-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => pageLog.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => pageLog.push(`pageerror: ${e.message}`));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => "__ready" in globalThis, undefined, { timeout: 60_000 }).catch((e: unknown) => { throw new Error(`the test page never became ready: ${String(e)}\n${pageLog.join("\n")}`); });
}, 240_000);

afterAll(async () => {
  await context?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  for (const d of [outDir, profile]) if (d) rmSync(d, { recursive: true, force: true });
});

type Matrix = number[][];

/** Runs one scenario of browser-io/main.js in the page. */
async function scenario<T>(name: string, arg?: string): Promise<T> {
  try {
    return (await page.evaluate(([n, a]) => (globalThis as unknown as { scenarios: Record<string, (a?: string) => Promise<unknown>> }).scenarios[n!]!(a), [name, arg] as const)) as T;
  } catch (err) {
    throw new Error(`${String(err)}\n--- browser console ---\n${pageLog.join("\n")}`, { cause: err });
  }
}

function expectClose(got: Matrix, want: Matrix, tol = 1e-6): void {
  expect(got.length).toBe(want.length);
  got.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - want[i]![j]!)).toBeLessThan(tol)));
}

describe("model IO in Chromium, beside TensorFlow.js 4.22", () => {
  it("loads a model TensorFlow.js saved to IndexedDB", async () => {
    const r = await scenario<{ tfjs: Matrix; tessera: Matrix; names: string[] }>("tfjsToTessera");
    expectClose(r.tessera, r.tfjs);
    expect(r.names).toHaveLength(4);
  }, 60_000);

  it("saves to IndexedDB what TensorFlow.js loads, and both list and remove each other's models", async () => {
    const r = await scenario<Record<string, Matrix | string[]>>("tesseraToTfjs");
    expectClose(r["tfjs"] as Matrix, r["tessera"] as Matrix);
    expect(r["tfjsLists"]).toEqual(["indexeddb://from-tessera", "indexeddb://from-tfjs"]);
    expect(r["tesseraLists"]).toEqual(["indexeddb://from-tessera", "indexeddb://from-tfjs"]);
    expect(r["tfjsListsAfterTesseraRemoved"]).toEqual(["indexeddb://from-tessera"]);
    expect(r["tesseraListsAfterTfjsRemoved"]).toEqual([]);
  }, 60_000);

  it("copies and moves models across localStorage and IndexedDB", async () => {
    const r = await scenario<{ listed: string[]; info: { weightDataBytes: number; modelTopologyType: string }; tessera: Matrix; tfjsFromCopy: Matrix; tesseraFromTfjsCopy: Matrix; afterRemove: string[] }>("management");
    expect(r.listed).toEqual(["indexeddb://m-back", "localstorage://m-copy", "localstorage://m-moved"]);
    expect(r.info).toMatchObject({ weightDataBytes: (3 * 5 + 5 + 5 * 2 + 2) * 4, modelTopologyType: "JSON" });
    expectClose(r.tfjsFromCopy, r.tessera);
    expectClose(r.tesseraFromTfjsCopy, r.tessera);
    expect(r.afterRemove).toEqual([]);
  }, 60_000);

  it("keeps a model too large for localStorage in IndexedDB, as binary", async () => {
    const r = await scenario<{ localStorageError: string; bytes: number; same: boolean; tfjsShape: number[] }>("large");
    expect(r.localStorageError).toMatch(/Failed to save model 'big' to local storage \(is the quota exceeded\?/);
    expect(r.bytes).toBe((1000 * 2000 + 2000) * 4);
    expect(r.same).toBe(true);
    expect(r.tfjsShape).toEqual([1000, 2000]);
  }, 120_000);

  it("saves to http:// by a multipart POST that both libraries load back", async () => {
    uploads.length = 0;
    const r = await scenario<{ status: number; withInitStatus: number; tessera: Matrix; byTessera: Matrix; byTfjs: Matrix }>("httpSave", origin);
    expect(r.status).toBe(200);
    expect(r.withInitStatus).toBe(200);
    expect(uploads).toHaveLength(2);
    const first = uploads[0]!;
    expect(first.method).toBe("POST");
    expect(first.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(Object.keys(first.files)).toEqual(["model.json", "model.weights.bin"]);
    expect(first.files["model.json"]!.type).toBe("application/json");
    expect(first.files["model.weights.bin"]!.bytes.length).toBe(128);
    expect(JSON.parse(first.files["model.json"]!.bytes.toString("utf8")).weightsManifest[0].paths).toEqual(["./model.weights.bin"]);
    expect(uploads[1]!.method).toBe("PUT");
    expect(uploads[1]!.headers["x-tessera"]).toBe("yes");
    expectClose(r.byTessera, r.tessera);
    expectClose(r.byTfjs, r.tessera);

    // The same two files, picked by a user in a file input, load through tf.io.browserFiles.
    const dir = mkdtempSync(join(tmpdir(), "tessera-picked-"));
    try {
      writeFileSync(join(dir, "model.json"), stored["model.json"]!);
      writeFileSync(join(dir, "model.weights.bin"), stored["model.weights.bin"]!);
      await page.getByTestId("files").setInputFiles([join(dir, "model.json"), join(dir, "model.weights.bin")]);
      const picked = await scenario<{ names: string[]; predictions: Matrix }>("pickedFiles");
      expect(picked.names).toEqual(["model.json", "model.weights.bin"]);
      expectClose(picked.predictions, r.tessera);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("loads Keras .keras and .h5 files over HTTP", async () => {
    const r = await scenario<Record<string, { got: Matrix; want: Matrix }>>("kerasFiles", origin);
    expect(Object.keys(r)).toEqual(["cnn.keras", "mlp.h5"]);
    for (const { got, want } of Object.values(r)) expectClose(got, want, 1e-5);
  }, 60_000);
});
