/**
 * The packed @tessera/tf in a browser app, built for production by each bundler a user may pick —
 * Vite, esbuild, webpack 5 and Rollup — from the project consumer-setup.ts installed from the tarballs.
 * Each build is loaded in headless Chromium (Debian's, driven by playwright-core) and trains a few
 * steps on js and on wasm: cross-origin isolated (wasm on worker threads) and not (one thread).
 * Rollup gets the two plugins a Rollup app has (node-resolve, and commonjs for jpeg-js, a CommonJS
 * dependency of core's image codecs). Vite and webpack copy the .wasm files themselves (`new URL(…, import.meta.url)`); esbuild and Rollup
 * do not, so those apps copy them and call configureWasmBackend({ wasmPaths }), as the backend's
 * README tells users to.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import commonjsPlugin from "@rollup/plugin-commonjs";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import * as esbuild from "esbuild";
import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";
import { rollup } from "rollup";
import { build as viteBuild } from "vite";
import webpack from "webpack";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
// The example browser app (examples/browser), built by each bundler.
const pageSrc = resolve(here, "../../../examples/browser");
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const TYPES: Record<string, string> = { ".js": "text/javascript", ".html": "text/html", ".wasm": "application/wasm" };
const BUNDLERS = ["vite", "esbuild", "webpack", "rollup"] as const;
type Bundler = (typeof BUNDLERS)[number];
/** Bundlers whose output lacks the .wasm files: the app ships them itself and says where. */
const SHIPS_WASM_ITSELF: ReadonlySet<Bundler> = new Set(["esbuild", "rollup"]);

const { work } = inject("consumer");
const project = join(work, "bundler-app");
const served = join(work, "bundled");
let server: Server;
let origin = "";
let browser: Browser;

/** Copies the backend's .wasm files into `dir/wasm/`, as an app built with esbuild or Rollup does. */
function copyWasm(dir: string): void {
  const from = join(project, "node_modules", "@tessera", "backend-wasm", "build");
  mkdirSync(join(dir, "wasm"), { recursive: true });
  for (const f of readdirSync(from).filter((n) => n.endsWith(".wasm"))) copyFileSync(join(from, f), join(dir, "wasm", f));
}

async function bundle(b: Bundler, out: string): Promise<void> {
  const entry = join(project, "main.js");
  switch (b) {
    case "vite":
      await viteBuild({ root: project, base: "./", configFile: false, logLevel: "warn", build: { outDir: out, emptyOutDir: true, chunkSizeWarningLimit: 8192 } });
      return;
    case "esbuild":
      await esbuild.build({ entryPoints: [entry], bundle: true, minify: true, format: "esm", platform: "browser", outdir: out, logLevel: "error", absWorkingDir: project });
      break;
    case "rollup": {
      const warnings: string[] = [];
      const r = await rollup({ input: entry, plugins: [nodeResolve({ browser: true }), (commonjsPlugin as unknown as typeof commonjsPlugin.default)()], onwarn: (w) => void warnings.push(w.message) });
      await r.write({ dir: out, format: "es" });
      await r.close();
      // Rollup notes circular imports; anything else (an unresolved import) would break the app.
      expect(warnings.filter((w) => !/Circular dependency/.test(w))).toEqual([]);
      break;
    }
    case "webpack": {
      const compiler = webpack({
        mode: "production", context: project, entry: "./main.js", target: "web", performance: { hints: false },
        output: { path: out, filename: "main.js", publicPath: "" },
      });
      const stats = await new Promise<webpack.Stats>((ok, fail) => compiler.run((err, s) => (err || !s ? fail(err) : ok(s))));
      await new Promise<void>((ok) => compiler.close(() => ok()));
      expect(stats.toJson({ all: false, errors: true }).errors ?? []).toEqual([]);
      break;
    }
  }
  copyFileSync(join(project, "index.html"), join(out, "index.html"));
  if (SHIPS_WASM_ITSELF.has(b)) copyWasm(out);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`);
  cpSync(pageSrc, project, { recursive: true, filter: (f) => !f.endsWith("README.md") });
  symlinkSync(join(work, "app", "node_modules"), join(project, "node_modules"), "dir");
  for (const b of BUNDLERS) await bundle(b, join(served, b));
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname.endsWith("/") ? `${url.pathname}index.html` : decodeURIComponent(url.pathname);
    const file = normalize(join(served, path));
    if (!file.startsWith(served + sep) || !existsSync(file) || !statSync(file).isFile()) {
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
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

interface Trained { first: number; last: number; describe: string }
interface PageResult { isolated: boolean; js: Trained; wasm: Trained }

async function open(b: Bundler, isolated: boolean): Promise<PageResult> {
  const query = new URLSearchParams();
  if (isolated) query.set("isolated", "");
  if (SHIPS_WASM_ITSELF.has(b)) query.set("wasmPaths", "./wasm/");
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const logs: string[] = [];
    page.on("console", (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
    page.on("requestfailed", (r) => logs.push(`requestfailed: ${r.url()}`));
    await page.goto(`${origin}/${b}/?${query}`);
    await page.waitForFunction(() => "__result" in globalThis, undefined, { timeout: 60_000 });
    const r = (await page.evaluate(() => (globalThis as unknown as { __result: Promise<unknown> }).__result)) as
      { ok: boolean; error?: string; value?: PageResult };
    if (!r.ok) throw new Error(`${r.error}\n--- browser console ---\n${logs.join("\n")}`);
    return r.value!;
  } finally {
    await context.close();
  }
}

function expectTrained(v: PageResult): void {
  for (const backend of ["js", "wasm"] as const) {
    expect(Number.isFinite(v[backend].first)).toBe(true);
    expect(v[backend].last).toBeLessThan(v[backend].first);
  }
}

describe.each(BUNDLERS)("a production build by %s, in Chromium", (b) => {
  it("trains on js and on wasm with worker threads when cross-origin isolated", async () => {
    const v = await open(b, true);
    expect(v.isolated).toBe(true);
    expect(v.wasm.describe).toMatch(/2 threads/);
    expectTrained(v);
  }, 120_000);

  it("trains on one wasm thread, saying why, when not isolated", async () => {
    const v = await open(b, false);
    expect(v.isolated).toBe(false);
    expect(v.wasm.describe).toMatch(/1 thread; threads unavailable: .*cross-origin isolat/);
    expectTrained(v);
  }, 120_000);
});
