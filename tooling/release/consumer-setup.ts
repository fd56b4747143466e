/**
 * Vitest global setup: packs every published package once (validated by scripts/release-check.mjs) and
 * installs the tarballs with npm into a fresh project outside the workspace. The test files share that
 * project (`inject("consumer")`) instead of packing once each.
 */
import { spawnSync, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

/** What the setup hands to the tests. */
export interface Consumer {
  /** Scratch directory holding everything below (removed after the run). */
  work: string;
  /** The consumer project: package.json + node_modules installed from the tarballs. */
  app: string;
  /** Exit status and output of the release check that packed the tarballs. */
  check: { status: number | null; output: string };
}

declare module "vitest" {
  export interface ProvidedContext {
    consumer: Consumer;
  }
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export default function setup(project: TestProject): () => void {
  const work = mkdtempSync(join(tmpdir(), "tessera-consumer-"));
  const tarballs = join(work, "tarballs");
  const app = join(work, "app");
  const r = spawnSync(process.execPath, [join(root, "scripts/release-check.mjs"), "--keep", tarballs], { cwd: root, encoding: "utf8" });
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "0.0.0" }));
  const tgz = readdirSync(tarballs).filter((f) => f.endsWith(".tgz")).map((f) => join(tarballs, f));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...tgz], { cwd: app, stdio: "pipe" });
  project.provide("consumer", { work, app, check: { status: r.status, output: `${r.stdout}${r.stderr}` } });
  return () => rmSync(work, { recursive: true, force: true });
}
