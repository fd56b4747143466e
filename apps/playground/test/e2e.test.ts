/**
 * End to end, in a real browser: Debian's Chromium (headless, driven by playwright-core) opens the
 * built playground from Vite's preview server (with its COOP/COEP headers), and for each backend
 * picks it, trains the MNIST MLP, checks the page answers while training, checks the test accuracy,
 * draws a digit and checks a prediction appears. Screenshots go to <repo>/.ci/out/playground-<backend>.png.
 *
 * WebGPU runs on Chromium's SwiftShader adapter: `--enable-unsafe-webgpu` is the only flag it needs
 * (headless Chromium on Linux has no WebGPU without it); the page must come from http://127.0.0.1
 * (a secure context), not about:blank.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import type { BrowserContext, Page } from "playwright-core";
import { build, preview } from "vite";
import type { PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoDir = resolve(appDir, "../..");
const outDir = join(repoDir, ".ci", "out");
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
/** Two epochs reach about 0.93 on the 2,000 test digits; the full demo trains ten. */
const EPOCHS = 2;

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--enable-unsafe-webgpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let server: PreviewServer | null = null;
let context: BrowserContext | null = null;
let profile = "";
let origin = "";

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's (apt-get install chromium, as scripts/setup.sh does) or set CHROMIUM_PATH`);
  }
  mkdirSync(outDir, { recursive: true });
  await build({ root: appDir, configFile: join(appDir, "vite.config.ts"), logLevel: "warn" });
  server = await preview({
    root: appDir,
    configFile: join(appDir, "vite.config.ts"),
    logLevel: "warn",
    preview: { port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error("Vite's preview server did not report its address");
  origin = url.replace(/\/$/, "");
  profile = mkdtempSync(join(tmpdir(), "tessera-playground-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 1500 },
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Collects what the page logs as errors, for failure messages. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  return errors;
}

async function state(page: Page): Promise<string> {
  return page.evaluate(() => document.body.dataset["state"] ?? "");
}

/** Draws a "1": one stroke down the middle of the canvas, with mouse events. */
async function drawOne(page: Page): Promise<void> {
  const box = await page.getByTestId("canvas").boundingBox();
  if (!box) throw new Error("the canvas is not visible");
  const x = box.x + box.width * 0.5;
  await page.mouse.move(x + box.width * 0.04, box.y + box.height * 0.18);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(x + box.width * (0.04 - 0.06 * (i / 12)), box.y + box.height * (0.18 + 0.64 * (i / 12)));
  }
  await page.mouse.up();
}

describe("playground in headless Chromium", () => {
  it("serves the page cross-origin isolated, with every backend listed", async () => {
    const page = await context!.newPage();
    try {
      const response = await page.goto(`${origin}/`);
      expect(response?.headers()["cross-origin-opener-policy"]).toBe("same-origin");
      expect(response?.headers()["cross-origin-embedder-policy"]).toBe("require-corp");
      await page.waitForFunction(() => ["ready", "error"].includes(document.body.dataset["state"] ?? ""), null, { timeout: 60_000 });
      expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
      const listed = await page.locator("[data-testid=backend-list] li").evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset["backend"]));
      expect(listed).toEqual(["webgpu", "wasm", "wasm-single", "js"]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it("shows backends that cannot start with their reason, and a training error on the page", async () => {
    // A browser without WebGPU (no --enable-unsafe-webgpu) on a page that is not cross-origin
    // isolated (COOP/COEP stripped), where one digit file fails to load.
    const bareProfile = mkdtempSync(join(tmpdir(), "tessera-playground-bare-"));
    const bare = await chromium.launchPersistentContext(bareProfile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS.filter((a) => a !== "--enable-unsafe-webgpu"),
    });
    const page = await bare.newPage();
    try {
      await page.route("**/*", async (route) => {
        if (/\/assets\/3-[^/]*\.json$/.test(route.request().url())) return route.fulfill({ status: 404, body: "not here" });
        const response = await route.fetch();
        const headers = { ...response.headers() };
        delete headers["cross-origin-opener-policy"];
        delete headers["cross-origin-embedder-policy"];
        return route.fulfill({ response, headers });
      });
      await page.goto(`${origin}/?epochs=1`);
      await page.waitForFunction(() => ["ready", "error"].includes(document.body.dataset["state"] ?? ""), null, { timeout: 60_000 });
      expect(await state(page)).toBe("ready");

      const entry = (b: string) => page.locator(`[data-testid=backend-list] li[data-backend="${b}"]`);
      expect(await entry("webgpu").getAttribute("class")).toBe("unavailable");
      expect(await entry("webgpu").textContent()).toMatch(/adapter/i);
      expect(await entry("wasm").getAttribute("class")).toBe("unavailable");
      expect(await entry("wasm").textContent()).toMatch(/cross-origin isolation/);
      expect(await entry("wasm-single").getAttribute("class")).toBe("available");
      const select = page.getByTestId("backend-select");
      expect(await select.locator('option[value="webgpu"]').isDisabled()).toBe(true);
      expect(await select.locator('option[value="wasm"]').isDisabled()).toBe(true);

      await select.selectOption("js");
      await page.getByTestId("train").click();
      await page.waitForFunction(() => document.body.dataset["state"] !== "training", null, { timeout: 60_000 });
      expect(await state(page)).toBe("error");
      const error = page.getByTestId("error");
      expect(await error.isVisible()).toBe(true);
      expect(await error.textContent()).toMatch(/Training on js failed: Could not load the MNIST digits of class 3 .*HTTP 404/);
      expect(await page.getByTestId("train").isEnabled(), "the user can try again").toBe(true);
      await page.screenshot({ path: join(outDir, "playground-unavailable.png"), fullPage: true });
    } finally {
      // The page keeps loading the other digit files after the 404: stop intercepting (and let
      // in-flight handlers finish quietly) before the context goes, or their fetches reject.
      await page.unrouteAll({ behavior: "ignoreErrors" });
      await bare.close();
      rmSync(bareProfile, { recursive: true, force: true });
    }
  }, 120_000);

  for (const backend of ["js", "wasm", "webgpu"] as const) {
    it(`trains on ${backend}, reaches > 0.9 test accuracy, and predicts a drawn digit`, async () => {
      const page = await context!.newPage();
      const errors = watchErrors(page);
      const context_ = (): string => (errors.length ? `\n${errors.join("\n")}` : "");
      try {
        await page.goto(`${origin}/?epochs=${EPOCHS}`);
        await page.waitForFunction(() => ["ready", "error"].includes(document.body.dataset["state"] ?? ""), null, { timeout: 60_000 });
        const entry = page.locator(`[data-testid=backend-list] li[data-backend="${backend}"]`);
        const entryText = (await entry.textContent()) ?? "";
        expect(await entry.getAttribute("class"), `${backend} is listed as: ${entryText}${context_()}`).toBe("available");

        await page.getByTestId("backend-select").selectOption(backend);
        await page.getByTestId("train").click();

        // While it trains the page must keep answering: time round trips into the page.
        const latencies: number[] = [];
        const deadline = Date.now() + 15 * 60_000;
        while (Date.now() < deadline) {
          const t0 = Date.now();
          const s = await state(page);
          if (s !== "training") break;
          latencies.push(Date.now() - t0);
          await new Promise((r) => setTimeout(r, 250));
        }
        const final = await state(page);
        const errorText = (await page.getByTestId("error").textContent()) ?? "";
        expect(final, `training on ${backend} ended in state ${final}: ${errorText}${context_()}`).toBe("done");
        expect(latencies.length, "training finished before the page could be probed").toBeGreaterThan(0);
        // A page that did not yield would not answer until training ends (seconds to minutes); the
        // bound is loose because CI runs other test files on the same two cores.
        const slowest = Math.max(...latencies);
        expect(slowest, `the page took ${slowest} ms to answer during training`).toBeLessThan(5000);

        const accuracyText = (await page.getByTestId("accuracy").textContent()) ?? "";
        const accuracy = Number(/(\d\.\d+)/.exec(accuracyText)?.[1] ?? NaN);
        expect(accuracy, accuracyText).toBeGreaterThan(0.9);

        await drawOne(page);
        const prediction = page.getByTestId("prediction");
        await expect.poll(async () => (await prediction.textContent()) ?? "", { timeout: 30_000 }).toMatch(/Prediction: \d/);
        const predicted = Number(/Prediction: (\d)/.exec((await prediction.textContent()) ?? "")?.[1]);
        expect(predicted, "a vertical stroke should read as 1").toBe(1);

        await page.screenshot({ path: join(outDir, `playground-${backend}.png`), fullPage: true });
        console.log(`[playground ${backend}] ${accuracyText}; slowest answer while training ${slowest} ms over ${latencies.length} probes; ${(await page.getByTestId("status").textContent()) ?? ""}`);
      } catch (err) {
        await page.screenshot({ path: join(outDir, `playground-${backend}.png`), fullPage: true }).catch(() => undefined);
        throw err;
      } finally {
        await page.close();
      }
    }, 20 * 60_000);
  }
});
