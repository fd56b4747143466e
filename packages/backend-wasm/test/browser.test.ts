/**
 * The wasm backend in a browser, through a bundler: Vite builds test/browser/ (the binaries travel as
 * assets via `new URL(…, import.meta.url)`), and Debian's Chromium (driven by playwright-core) runs it
 * twice — cross-origin isolated (worker threads on shared memory) and not (one thread, with the reason).
 * Needs `pnpm build` first (the root `pnpm test` does it).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = resolve(here, "..");
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const TYPES: Record<string, string> = { ".js": "text/javascript", ".html": "text/html", ".wasm": "application/wasm" };

let outDir = "";
let server: Server;
let origin = "";

beforeAll(async () => {
  if (!existsSync(join(pkgDir, "dist/index.js"))) throw new Error("backend-wasm is not built; run `pnpm build` first");
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`);
  outDir = mkdtempSync(join(tmpdir(), "tessera-wasm-vite-"));
  await build({
    root: join(here, "browser"),
    logLevel: "warn",
    resolve: { alias: { "@tessera/backend-wasm": join(pkgDir, "dist/index.js") } },
    build: { outDir, emptyOutDir: true },
  });
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname === "/" ? "/index.html" : decodeURIComponent(url.pathname);
    const file = normalize(join(outDir, path));
    if (!file.startsWith(outDir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { "content-type": TYPES[extname(file)] ?? "application/octet-stream" };
    if (url.searchParams.has("isolated") || req.headers.referer?.includes("isolated")) {
      headers["cross-origin-opener-policy"] = "same-origin";
      headers["cross-origin-embedder-policy"] = "require-corp";
    }
    res.writeHead(200, headers).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

interface Result {
  ok: boolean;
  error?: string;
  value?: { backend: string; describe: string; isolated: boolean; matmul: number[]; bigCorner: number; sum: number[]; relu: number[]; memory: number };
}

async function runPage(query: string): Promise<Result["value"]> {
  const profile = mkdtempSync(join(tmpdir(), "tessera-chromium-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const logs: string[] = [];
    page.on("console", (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
    await page.goto(`${origin}/${query}`);
    await page.waitForFunction(() => "__result" in globalThis, undefined, { timeout: 60_000 });
    const result = (await page.evaluate(() => (globalThis as unknown as { __result: Promise<unknown> }).__result)) as Result;
    if (!result.ok) throw new Error(`${result.error}\n--- browser console ---\n${logs.join("\n")}`);
    return result.value!;
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

describe("in a browser, bundled by Vite", () => {
  it("emits the wasm binaries as assets", () => {
    const assets = readdirSync(join(outDir, "assets"));
    expect(assets.filter((f) => f.endsWith(".wasm")).length).toBe(4);
  });

  it("runs with worker threads when the page is cross-origin isolated", async () => {
    const v = (await runPage("?isolated"))!;
    expect(v.isolated).toBe(true);
    expect(v.backend).toBe("wasm");
    expect(v.describe).toMatch(/2 threads/);
    expect(v.matmul).toEqual([7, 10, 15, 22]);
    expect(v.bigCorner).toBe(256);
    expect(v.sum).toEqual([7]);
    expect(v.relu).toEqual([0, 0, 2]);
  }, 120_000);

  it("falls back to one thread, saying why, when it is not", async () => {
    const v = (await runPage(""))!;
    expect(v.isolated).toBe(false);
    expect(v.describe).toMatch(/1 thread; threads unavailable: .*cross-origin isolat/);
    expect(v.matmul).toEqual([7, 10, 15, 22]);
    expect(v.bigCorner).toBe(256);
  }, 120_000);
});
