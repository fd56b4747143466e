/**
 * The API reference (TypeDoc, typedoc.json at the root) builds with warnings as errors: every public
 * export documented, no broken {@link}s.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

it("the API reference builds without warnings", { timeout: 600_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), "tessera-api-"));
  try {
    const typedoc = join(dirname(createRequire(join(root, "package.json")).resolve("typedoc/package.json")), "bin", "typedoc");
    const r = spawnSync(process.execPath, [typedoc, "--out", out, "--logLevel", "Warn"], { cwd: root, encoding: "utf8" });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe("");
    expect(r.status).toBe(0);
    expect(existsSync(join(out, "index.html"))).toBe(true);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
