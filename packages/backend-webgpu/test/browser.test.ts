/**
 * Browser smoke test: headless Chromium (Debian's, driven by playwright-core) with WebGPU on its
 * SwiftShader adapter runs a few ops and a gradient on the webgpu backend, loading the built ES
 * modules of @tessera/core and this package from a local server (WebGPU needs a secure context,
 * and http://127.0.0.1 is one). Needs `pnpm build` first (the root `pnpm test` does it).
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import * as esbuild from "esbuild";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = resolve(here, "..");
const coreDist = resolve(pkgDir, "../core/dist");
const ownDist = resolve(pkgDir, "dist");
// Core's own dependencies, as a browser gets them from a CDN: fflate's ESM browser build as it is; the
// image codecs (fast-png with its dependencies, and jpeg-js, which is CommonJS) bundled to one ES module
// each, as ESM CDNs serve them.
const coreRequire = createRequire(join(pkgDir, "../core/package.json"));
const fflateEsm = join(dirname(coreRequire.resolve("fflate/package.json")), "esm");
const CODECS = ["fast-png", "jpeg-js"] as const;
const codecModules = new Map<string, Buffer>();
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8">
<script type="importmap">
{ "imports": {
  "@tessera/core": "/core/index.js",
  "@tessera/core/kernel": "/core/kernel/index.js",
  "@tessera/backend-webgpu": "/webgpu/index.js",
  "fflate": "/fflate/browser.js",
  "fast-png": "/deps/fast-png.js",
  "jpeg-js": "/deps/jpeg-js.js"
} }
</script>
<script type="module" src="/smoke.js"></script>
</head><body>tessera webgpu smoke test</body></html>`;

const TYPES: Record<string, string> = { ".js": "text/javascript", ".html": "text/html", ".map": "application/json" };

function serve(root: string, urlPath: string): { body: Buffer; type: string } | null {
  const file = normalize(join(root, urlPath));
  if (!file.startsWith(root) || !existsSync(file)) return null;
  return { body: readFileSync(file), type: TYPES[extname(file)] ?? "application/octet-stream" };
}

let server: Server;
let origin = "";
beforeAll(async () => {
  for (const [what, dir] of [["@tessera/core", coreDist], ["@tessera/backend-webgpu", ownDist]] as const) {
    if (!existsSync(join(dir, "index.js"))) throw new Error(`${what} is not built (${dir}); run \`pnpm build\` first`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`);
  for (const name of CODECS) {
    const r = await esbuild.build({ entryPoints: [coreRequire.resolve(name)], bundle: true, format: "esm", platform: "browser", write: false, logLevel: "error" });
    codecModules.set(`/deps/${name}.js`, Buffer.from(r.outputFiles[0]!.contents));
  }
  server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]!);
    let hit: { body: Buffer; type: string } | null = null;
    if (path === "/") hit = { body: Buffer.from(PAGE), type: "text/html" };
    else if (path === "/smoke.js") hit = serve(join(here, "browser"), "smoke.js");
    else if (path.startsWith("/core/")) hit = serve(coreDist, path.slice("/core/".length));
    else if (path.startsWith("/webgpu/")) hit = serve(ownDist, path.slice("/webgpu/".length));
    else if (path.startsWith("/fflate/")) hit = serve(fflateEsm, path.slice("/fflate/".length));
    else if (codecModules.has(path)) hit = { body: codecModules.get(path)!, type: "text/javascript" };
    if (!hit) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": hit.type }).end(hit.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

interface SmokeResult {
  ok: boolean;
  error?: string;
  value?: {
    backend: string; adapter: string; matmul: number[]; relu: number[]; sum: number[]; int: number[]; greater: number[];
    grad: number[]; syncError: string | null; memory: number;
  };
}

it("runs ops and a gradient on webgpu in headless Chromium (SwiftShader)", async () => {
  const profile = mkdtempSync(join(tmpdir(), "tessera-chromium-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--enable-unsafe-webgpu", "--no-sandbox", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync",
    ],
  });
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const logs: string[] = [];
    page.on("console", (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
    await page.goto(origin);
    await page.waitForFunction(() => "__smoke" in globalThis, undefined, { timeout: 30_000 }).catch((e: Error) => {
      throw new Error(`${e.message}\n--- browser console ---\n${logs.join("\n")}`);
    });
    const result = (await page.evaluate(() => (globalThis as unknown as { __smoke: Promise<unknown> }).__smoke)) as SmokeResult;
    if (!result.ok) throw new Error(`${result.error}\n--- browser console ---\n${logs.join("\n")}`);
    const v = result.value!;
    expect(v.backend).toBe("webgpu");
    expect(v.adapter).toMatch(/^WebGPU on /);
    expect(v.matmul).toEqual([7, 10, 15, 22]);
    expect(v.relu).toEqual([0, 0, 5, 12]);
    expect(v.sum).toEqual([17]);
    expect(v.int).toEqual([6, 7, 8]);
    expect(v.greater).toEqual([0, 1, 1]);
    // d/dx (x² + eˣ) at 3 = 6 + e³
    expect(v.grad[0]).toBeCloseTo(6 + Math.exp(3), 3);
    expect(v.syncError).toMatch(/NotImplementedError: .*await t\.data\(\)/);
    expect(v.memory).toBeGreaterThan(0);
    console.log(`browser adapter: ${v.adapter}`);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
