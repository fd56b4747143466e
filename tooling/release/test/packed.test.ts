/**
 * Tessera as a user gets it: every published package packed (and validated by scripts/release-check.mjs),
 * then installed from the tarballs with npm into a fresh project outside the workspace (consumer-setup.ts), and used from
 * Node ESM, CommonJS and TypeScript --strict (no skipLibCheck) under three module resolutions.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, inject, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const consumerSrc = resolve(here, "../consumer");
// Packed and installed once for all test files by consumer-setup.ts.
const { app, check } = inject("consumer");
const examplesDir = join(root, "examples", "node");
const examples = readdirSync(examplesDir).filter((f) => f.endsWith(".mjs"));
const tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");

function node(args: string[], cwd = app) {
  const env = { ...process.env };
  delete env["TESSERA_BACKEND"];
  delete env["NODE_OPTIONS"];
  return spawnSync(process.execPath, args, { cwd, encoding: "utf8", env, timeout: 120_000 });
}

beforeAll(() => {
  for (const f of readdirSync(consumerSrc)) copyFileSync(join(consumerSrc, f), join(app, f));
  // The examples with what they read (models/).
  cpSync(examplesDir, app, { recursive: true });
});

describe("the packed packages", () => {
  it("pass the release check (publint, are-the-types-wrong, our package rules)", () => {
    expect(check.output).toMatch(/5 passed, 0 failed/);
    expect(check.status).toBe(0);
  });

  it("install without Dawn (webgpu is an optional peer dependency)", () => {
    expect(existsSync(join(app, "node_modules", "webgpu"))).toBe(false);
    expect(existsSync(join(app, "node_modules", "@tessera", "backend-webgpu"))).toBe(true);
  });

  it("work from Node ESM: the default backend is quiet, js and wasm train, webgpu names its missing peer", () => {
    const r = node(["esm.mjs"]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout.trim()) as Record<string, unknown>;
    expect(out["default"]).toBe("wasm");
    for (const b of ["js", "wasm"]) {
      const { first, last } = out[b] as { first: number; last: number };
      expect(last).toBeLessThan(first);
    }
    expect(out["webgpu"]).toMatch(/optional peer dependency 'webgpu'.*npm install webgpu/);
  });

  it("work from CommonJS through require()", () => {
    const r = node(["--no-warnings", "cjs.cjs"]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout.trim())).toEqual({ backend: "wasm", sum: 7 + 10 + 15 + 22 });
  });

  for (const example of examples) {
    it(`run examples/node/${example}`, () => {
      const r = node([example]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    });
  }

  for (const [module, moduleResolution] of [["node16", "node16"], ["nodenext", "nodenext"], ["esnext", "bundler"]] as const) {
    it(`type-check with tsc --strict, no skipLibCheck, moduleResolution ${moduleResolution}, lib es2022 + dom`, () => {
      const config = join(app, `tsconfig.${moduleResolution}.json`);
      writeFileSync(config, JSON.stringify({
        compilerOptions: { strict: true, skipLibCheck: false, noEmit: true, target: "es2022", lib: ["es2022", "dom"], module, moduleResolution, types: [] },
        files: ["types.ts"],
      }));
      // A module file for node16/nodenext: the consumer project declares itself ESM for that run.
      writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, version: "0.0.0", type: "module" }));
      const r = spawnSync(process.execPath, [tsc, "-p", config], { cwd: app, encoding: "utf8" });
      expect(`${r.stdout}${r.stderr}`).toBe("");
      expect(r.status).toBe(0);
    });
  }
});
