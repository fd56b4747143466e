/**
 * The coverage record of one backend: for every kernel of the interface, whether the backend has it,
 * how often the suite ran it, and which dtypes' tests passed, failed or were skipped. Printed at the
 * end of the suite and written to `<repo>/.ci/out/conformance-<backend>.json` for `matrix.ts`.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { KernelName } from "@tessera/core/kernel";
import { KERNEL_NAMES } from "@tessera/core/kernel";

export type Outcome = "pass" | "fail" | "skip";

/** A kernel's status in the matrix. */
export type KernelStatus = "pass" | "fail" | "missing" | "skipped" | "untested";

export interface KernelCoverage {
  implemented: boolean;
  expectedMissing: boolean;
  status: KernelStatus;
  /** Times the kernel ran during the suite (null when the backend's kernel table could not be instrumented). */
  calls: number | null;
  /** Outcome per dtype ("-" for tests that are not about one dtype). */
  dtypes: Record<string, Outcome>;
  /** Titles of failed tests. */
  failures: string[];
}

/** The JSON document written per backend. */
export interface CoverageReport {
  backend: string;
  generated: string;
  numRuns: number;
  seed: number | null;
  /** Dtypes tested, and those skipped because the backend cannot hold them. */
  dtypes: string[];
  skippedDtypes: string[];
  kernels: Record<string, KernelCoverage>;
  notes: string[];
}

const RANK: Record<Outcome, number> = { skip: 0, pass: 1, fail: 2 };

export class Coverage {
  private readonly kernels = new Map<KernelName, KernelCoverage>();
  readonly notes: string[] = [];
  instrumented = false;
  /** Public ops (by name) that ran in a passing test. */
  readonly ops = new Set<string>();

  constructor(implemented: (k: KernelName) => boolean, expectMissing: readonly KernelName[]) {
    for (const k of KERNEL_NAMES) {
      this.kernels.set(k, {
        implemented: implemented(k),
        expectedMissing: expectMissing.includes(k),
        status: "untested",
        calls: 0,
        dtypes: {},
        failures: [],
      });
    }
  }

  record(kernels: readonly KernelName[], dtype: string | undefined, outcome: Outcome, title: string): void {
    const key = dtype ?? "-";
    for (const k of kernels) {
      const c = this.kernels.get(k);
      if (!c) continue;
      const prev = c.dtypes[key];
      if (prev === undefined || RANK[outcome] > RANK[prev]) c.dtypes[key] = outcome;
      if (outcome === "fail") c.failures.push(title);
    }
  }

  opsPassed(names: Iterable<string>): void {
    for (const n of names) this.ops.add(n);
  }

  called(k: KernelName): void {
    const c = this.kernels.get(k);
    if (c && c.calls !== null) c.calls++;
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** Final statuses: missing, fail (any failed test), pass (a passing test that really ran it), untested. */
  finish(): Map<KernelName, KernelCoverage> {
    for (const c of this.kernels.values()) {
      if (!this.instrumented) c.calls = null;
      const outcomes = Object.values(c.dtypes);
      if (!c.implemented) c.status = "missing";
      else if (outcomes.includes("fail")) c.status = "fail";
      else if (outcomes.includes("pass") && (c.calls === null || c.calls > 0)) c.status = "pass";
      // Every test of it was skipped (a dtype the backend does not hold or that was not asked for).
      else if (outcomes.length > 0 && outcomes.every((o) => o === "skip")) c.status = "skipped";
      else c.status = "untested";
    }
    return this.kernels;
  }

  report(backend: string, numRuns: number, seed: number | undefined, dtypes: string[], skippedDtypes: string[]): CoverageReport {
    return {
      backend,
      generated: new Date().toISOString(),
      numRuns,
      seed: seed ?? null,
      dtypes,
      skippedDtypes,
      kernels: Object.fromEntries(this.finish()),
      notes: this.notes,
    };
  }
}

const SHORT: Record<string, string> = { bool: "b", int32: "i32", float32: "f32", float64: "f64", complex64: "c64", string: "str", "-": "" };

/** A cell of the matrix: `✓ f32 f64 i32`, `✗ f32`, `missing`, `untested`. */
export function cell(c: KernelCoverage): string {
  const list = (o: Outcome) => Object.entries(c.dtypes).filter(([, v]) => v === o).map(([d]) => SHORT[d] ?? d).filter(Boolean).join(" ");
  switch (c.status) {
    case "missing": return c.expectedMissing ? "missing (expected)" : "**missing**";
    case "fail": return `✗ ${list("fail")}`.trim();
    case "pass": return `✓ ${list("pass")}`.trim();
    case "skipped": return "skipped";
    case "untested": return "untested";
  }
}

/** The one-backend table printed at the end of a suite. */
export function formatReport(r: CoverageReport): string {
  const rows = Object.entries(r.kernels).map(([k, c]) => [k, cell(c), c.calls === null ? "?" : String(c.calls)] as const);
  const w0 = Math.max(6, ...rows.map((x) => x[0].length));
  const w1 = Math.max(6, ...rows.map((x) => x[1].length));
  const line = (a: string, b: string, c: string) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`;
  const counts = { pass: 0, fail: 0, missing: 0, skipped: 0, untested: 0 };
  for (const c of Object.values(r.kernels)) counts[c.status]++;
  return [
    `Conformance of backend '${r.backend}' (${r.numRuns} runs per property${r.seed === null ? "" : `, seed ${r.seed}`}; dtypes ${r.dtypes.join(", ")}${r.skippedDtypes.length ? `; not held: ${r.skippedDtypes.join(", ")}` : ""})`,
    line("kernel", "result", "calls"),
    line("-".repeat(w0), "-".repeat(w1), "-----"),
    ...rows.map(([a, b, c]) => line(a, b, c)),
    `${counts.pass} passed, ${counts.fail} failed, ${counts.missing} missing, ${counts.skipped} skipped, ${counts.untested} untested of ${rows.length} kernels`,
    ...r.notes.map((n) => `note: ${n}`),
  ].join("\n");
}

/** The workspace root (the folder holding pnpm-workspace.yaml), else the current directory. */
export function repoRoot(from = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(from);
    dir = up;
  }
}

export function defaultOutDir(): string {
  return join(repoRoot(), ".ci", "out");
}

export function writeReport(r: CoverageReport, outDir = defaultOutDir()): string {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `conformance-${r.backend}.json`);
  writeFileSync(file, JSON.stringify(r, null, 2) + "\n");
  return file;
}
