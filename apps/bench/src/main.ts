/**
 * `pnpm bench`: Tessera against TensorFlow.js, backend pair by backend pair, in one table of ratios.
 * This process parses arguments, starts one worker per pair (and per memory run), and prints.
 */
import { fork, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MEMORY_ID, allCases } from "./cases/index.js";
import { USAGE, UsageError, parseArgs, selected } from "./cli.js";
import type { Options } from "./cli.js";
import { describeMachine, machineLine } from "./machine.js";
import type { PairSpec } from "./pairs.js";
import { pairsFor } from "./pairs.js";
import type { Job, MemoryResult, Message, PairInfo } from "./protocol.js";
import { formatReport, jsonReport } from "./report.js";
import type { Report } from "./report.js";
import type { Row } from "./types.js";

const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
const workerPath = fileURLToPath(new URL(`./worker${ext}`, import.meta.url));
const gpuBenchPath = fileURLToPath(new URL("../../../packages/backend-webgpu/bench/gpu-bench.ts", import.meta.url));

const log = (s: string) => process.stderr.write(`${s}\n`);

/** Runs a worker; resolves with its messages, plus an error message if it died. */
function runWorker(job: Job, onMessage: (m: Message) => void): Promise<string | null> {
  return new Promise((resolve) => {
    const child = fork(workerPath, [JSON.stringify(job)], {
      // Keep the loader flags (tsx) and allow gc() between cases.
      execArgv: [...process.execArgv, "--expose-gc"],
      // Backends print warnings on stdout; keep stdout clean for --json.
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    child.stdout!.pipe(process.stderr);
    child.stderr!.pipe(process.stderr);
    child.on("message", (m) => onMessage(m as Message));
    child.on("exit", (code, signal) => resolve(code === 0 ? null : `worker exited with ${signal ?? `code ${code}`}`));
  });
}

async function runPairs(opts: Options, caseIds: string[]): Promise<{ infos: PairInfo[]; rows: Row[]; errors: string[] }> {
  const infos: PairInfo[] = [];
  const rows: Row[] = [];
  const errors: string[] = [];
  const cases = allCases(opts.quick);
  for (const pair of pairsFor(opts.backends, opts.threads)) {
    // More than one wasm thread only helps compute-bound cases; the rest run single-threaded.
    const ids = caseIds.filter((id) => pair.threads === undefined || pair.threads === 1 || cases.find((c) => c.id === id)?.threaded);
    if (ids.length === 0) continue;
    log(`[${pair.id}] starting (${ids.length} cases)`);
    const job: Job = { kind: "pair", pair, caseIds: ids, quick: opts.quick, explicit: opts.explicitBackends };
    let info: PairInfo | undefined;
    const died = await runWorker(job, (m) => {
      if (m.type === "info") {
        info = m.info;
        log(`[${pair.id}] ${m.info.skipped ? `skipped: ${m.info.skipped}` : `${m.info.tessera} vs ${m.info.tfjs}`}`);
      } else if (m.type === "row") rows.push(m.row);
      else if (m.type === "progress") log(`[${pair.id}] ${m.text}`);
    });
    infos.push(info ?? { pair: pair.id, tessera: "Tessera", tfjs: "TF.js", skipped: died ?? "worker sent nothing" });
    if (died) errors.push(`${pair.id}: ${died}`);
  }
  return { infos, rows, errors };
}

async function runMemory(opts: Options, pairs: PairSpec[]): Promise<{ results: MemoryResult[]; errors: string[] }> {
  const results: MemoryResult[] = [];
  const errors: string[] = [];
  for (const pair of pairs) {
    for (const library of ["tessera", "tfjs"] as const) {
      log(`[memory] ${pair.id} ${library}: ${opts.steps} steps`);
      const died = await runWorker({ kind: "memory", pair, library, steps: opts.steps }, (m) => {
        if (m.type === "memory") results.push(m.result);
      });
      if (died) {
        errors.push(`memory ${pair.id} ${library}: ${died}`);
        results.push({ pair: pair.id, library, label: library, steps: opts.steps, status: "error", reason: died });
      }
    }
  }
  return { results, errors };
}

async function main(): Promise<number> {
  const started = performance.now();
  const cases = allCases(false);
  const selectable = [...cases, { id: MEMORY_ID, title: "memory after training steps" }];
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2), selectable);
  } catch (e) {
    if (e instanceof UsageError) {
      log(e.message);
      return 2;
    }
    throw e;
  }
  if (opts.help) {
    log(USAGE);
    return 0;
  }
  if (opts.list) {
    for (const c of allCases(opts.quick)) process.stdout.write(`${c.id.padEnd(22)} ${c.title}${c.threaded ? "  [also 2+ wasm threads]" : ""}\n`);
    process.stdout.write(`${MEMORY_ID.padEnd(22)} memory after ${opts.steps} training steps, each library alone\n`);
    return 0;
  }
  if (opts.gpu) {
    const child = spawn(process.execPath, [...process.execArgv, gpuBenchPath, ...opts.gpu], { stdio: "inherit" });
    return new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
  }

  const machine = describeMachine();
  log(`Machine: ${machineLine(machine)}`);
  const caseIds = allCases(opts.quick)
    .filter((c) => selected(opts, c))
    .filter((c) => !(opts.quick && c.skipInQuick))
    .map((c) => c.id);
  const { infos, rows, errors } = await runPairs(opts, caseIds);

  let memory: MemoryResult[] = [];
  if (selected(opts, { id: MEMORY_ID, title: "memory after training steps" })) {
    // One memory run per backend that ran: wasm with its first thread count, webgpu only if it was not skipped.
    const ran = new Set(infos.filter((i) => !i.skipped).map((i) => i.pair));
    const firstPerBackend = pairsFor(opts.backends, opts.threads).filter((p, i, all) => all.findIndex((q) => q.backend === p.backend) === i);
    const pairs = firstPerBackend.filter((p) => (p.backend === "webgpu" || caseIds.length > 0 ? ran.has(p.id) : true));
    const m = await runMemory(opts, pairs);
    memory = m.results;
    errors.push(...m.errors);
  }

  const notes: string[] = [];
  if (opts.quick) {
    notes.push(
      `--quick: few runs per case, one MNIST epoch of 2,000 digits per library, 1024² transposed matmuls skipped, memory after ${opts.steps} steps; run without it for figures to quote.`,
    );
  }
  notes.push(...errors.map((e) => `error: ${e}`));
  const report: Report = { machine, quick: opts.quick, pairs: infos, rows, memory, notes, wallSeconds: (performance.now() - started) / 1000 };
  if (opts.json === "-") process.stdout.write(`${jsonReport(report)}\n`);
  else {
    process.stdout.write(`${formatReport(report)}\n`);
    if (opts.json) writeFileSync(opts.json, `${jsonReport(report)}\n`);
  }
  const failed =
    errors.length > 0 ||
    rows.some((r) => r.tessera.status === "error" || r.tfjs.status === "error" || r.check?.ok === false) ||
    memory.some((m) => m.status === "error");
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
