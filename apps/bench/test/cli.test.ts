import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MEMORY_ID, allCaseIds, allCases } from "../src/cases/index.js";
import { UsageError, parseArgs, selected } from "../src/cli.js";
import { pairsFor } from "../src/pairs.js";

const cases = allCases(false);

function usageError(argv: string[]): UsageError {
  try {
    parseArgs(argv, cases);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error(`parseArgs(${JSON.stringify(argv)}) did not throw`);
}

describe("parseArgs", () => {
  it("defaults to every backend, 1 and 2 wasm threads, 1,000 memory steps", () => {
    const o = parseArgs([], cases);
    expect(o).toMatchObject({ quick: false, json: null, filter: null, backends: ["js", "wasm", "webgpu"], threads: [1, 2], steps: 1000 });
    expect(o.explicitBackends).toBe(false);
  });

  it("skips the -- that pnpm forwards and reads --quick, --json, --threads, --steps", () => {
    const o = parseArgs(["--", "--quick", "--json=out.json", "--threads", "2", "--steps=50"], cases);
    expect(o).toMatchObject({ quick: true, json: "out.json", threads: [2], steps: 50 });
    expect(parseArgs(["--json"], cases).json).toBe("-");
    expect(parseArgs(["--quick"], cases).steps).toBe(50);
  });

  it("selects backends in canonical order and marks them explicit", () => {
    const o = parseArgs(["--backends", "webgpu,js"], cases);
    expect(o.backends).toEqual(["js", "webgpu"]);
    expect(o.explicitBackends).toBe(true);
  });

  it("rejects unknown backends, listing the valid ones", () => {
    const e = usageError(["--backends", "js,cuda"]);
    expect(e.message).toContain('"cuda"');
    expect(e.message).toContain("Valid backends: js, wasm, webgpu");
  });

  it("rejects a filter that matches no case, listing every case id", () => {
    const e = usageError(["--filter", "no-such-case"]);
    expect(e.message).toContain("no-such-case");
    for (const c of cases) expect(e.message).toContain(c.id);
  });

  it("filters by substring or regular expression on id and title", () => {
    const byId = parseArgs(["--filter", "matmul-512"], cases);
    expect(cases.filter((c) => selected(byId, c)).map((c) => c.id)).toEqual(["matmul-512", "matmul-512-ta", "matmul-512-tb"]);
    const byRe = parseArgs(["--filter=^(add-1m|sum-16m)$"], cases);
    expect(cases.filter((c) => selected(byRe, c)).map((c) => c.id)).toEqual(["add-1m", "sum-16m"]);
    const byTitle = parseArgs(["--filter", "conv2d \\["], cases);
    expect(cases.filter((c) => selected(byTitle, c)).map((c) => c.id)).toEqual(["conv2d"]);
  });

  it("treats an invalid regular expression as a literal substring", () => {
    expect(usageError(["--filter", "matmul("]).message).toContain("No case matches");
  });

  it("rejects unknown flags, missing values and bad thread counts", () => {
    expect(usageError(["--fast"]).message).toContain('Unknown argument "--fast"');
    expect(usageError(["--filter"]).message).toContain("--filter needs a value");
    expect(usageError(["--threads", "0"]).message).toContain("positive integers");
    expect(usageError(["--threads", "1,,2"]).message).toContain("positive integers");
  });

  it("passes everything after --gpu on", () => {
    expect(parseArgs(["--gpu", "--size", "256"], cases).gpu).toEqual(["--size", "256"]);
  });
});

describe("cases and pairs", () => {
  it("has unique case ids, including the memory pseudo-case", () => {
    const ids = allCaseIds();
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(MEMORY_ID);
    for (const family of ["matmul", "elementwise", "reduce", "sort", "overhead", "training", "conv", "mnist"]) {
      expect(cases.some((c) => c.family === family)).toBe(true);
    }
  });

  it("makes one wasm pair per thread count", () => {
    expect(pairsFor(["js", "wasm"], [1, 2]).map((p) => p.id)).toEqual(["js", "wasm-1t", "wasm-2t"]);
    expect(pairsFor(["webgpu"], [1]).map((p) => p.tfjsBackend)).toEqual(["webgpu"]);
  });
});

describe("the CLI process", () => {
  it("exits non-zero on an unknown backend and names the valid ones", () => {
    const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
    const r = spawnSync(process.execPath, ["--import", "tsx", main, "--backends", "tpu"], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Valid backends: js, wasm, webgpu");
  }, 30_000);
});
