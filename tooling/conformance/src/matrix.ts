/**
 * Merges the per-backend coverage files (`.ci/out/conformance-<backend>.json`, written by each
 * backend's conformance run) into one markdown table, kernel × backend.
 *
 *   pnpm --filter @tessera/conformance matrix [--out <file.md>] [report.json ...]
 *
 * With no files it reads every `conformance-*.json` in `<repo>/.ci/out`. The table goes to stdout and
 * to `<repo>/.ci/out/conformance-matrix.md` (or `--out`).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { KERNEL_NAMES } from "@tessera/core/kernel";
import type { CoverageReport } from "./coverage.js";
import { cell, defaultOutDir } from "./coverage.js";

export function renderMatrix(reports: readonly CoverageReport[]): string {
  const sorted = [...reports].sort((a, b) => a.backend.localeCompare(b.backend));
  const header = ["kernel", ...sorted.map((r) => r.backend)];
  const rows = KERNEL_NAMES.map((k) => [k, ...sorted.map((r) => {
    const c = r.kernels[k];
    return c ? cell(c) : "not in report";
  })]);
  const table = [header, header.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`);
  const summary = sorted.map((r) => {
    const all = Object.values(r.kernels);
    const n = (s: string) => all.filter((c) => c.status === s).length;
    return `- **${r.backend}**: ${n("pass")} passed, ${n("fail")} failed, ${n("missing")} missing, ${n("skipped")} skipped, ${n("untested")} untested` +
      ` (${r.numRuns} runs per property, ${r.generated}; dtypes ${r.dtypes.join(", ")}${r.skippedDtypes.length ? `; not held: ${r.skippedDtypes.join(", ")}` : ""})` +
      r.notes.map((note) => `\n  - ${note}`).join("");
  });
  return [
    "# Kernel conformance",
    "",
    "✓ passed (dtypes tested), ✗ failed (dtypes that failed), missing, skipped (no dtype it takes is held), untested.",
    "",
    ...table,
    "",
    ...summary,
    "",
  ].join("\n");
}

function main(argv: string[]): void {
  let out: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out") out = argv[++i];
    else files.push(argv[i]!);
  }
  const dir = defaultOutDir();
  if (files.length === 0) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      // no reports yet
    }
    for (const name of names) if (/^conformance-.+\.json$/.test(name)) files.push(join(dir, name));
  }
  if (files.length === 0) {
    console.error(`No conformance reports in ${dir}: run a backend's tests first (e.g. pnpm --filter @tessera/backend-js test).`);
    process.exitCode = 1;
    return;
  }
  const reports = files.map((f) => JSON.parse(readFileSync(f, "utf8")) as CoverageReport);
  const md = renderMatrix(reports);
  const target = out ?? join(dir, "conformance-matrix.md");
  writeFileSync(target, md);
  process.stdout.write(md);
  console.error(`written to ${target}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main(process.argv.slice(2));
