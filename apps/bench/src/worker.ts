/**
 * A worker process: runs one backend pair's cases (or one memory run) and reports to the CLI over IPC.
 * Each pair gets a fresh process so thread counts are set before the backends start, heaps do not
 * carry over between pairs, and a crashing backend takes down only its own pair.
 */
import { allCases } from "./cases/index.js";
import { DEFAULT_PLANS, measure } from "./harness.js";
import type { PairTiming } from "./harness.js";
import { firstLine, loadTessera } from "./libs/tessera.js";
import type { TesseraLib } from "./libs/tessera.js";
import { loadTfjs } from "./libs/tfjs.js";
import type { TfjsLib } from "./libs/tfjs.js";
import { nodeAdapter } from "./libs/webgpu-node.js";
import { memoryRun } from "./memory.js";
import type { Job, Message, PairInfo } from "./protocol.js";
import { makeRow } from "./report.js";
import type { BenchCase, CaseContext, IterPlan, Runner, Side } from "./types.js";
import { Unavailable } from "./types.js";

function send(m: Message): Promise<void> {
  return new Promise((resolve, reject) => process.send!(m, undefined, undefined, (e) => (e ? reject(e) : resolve())));
}

type Loaded<L> = { lib: L } | { side: Side };

function failure(who: string, e: unknown): Side {
  const reason = `${who}: ${firstLine(e)}`;
  return e instanceof Unavailable ? { status: "unavailable", reason } : { status: "error", reason };
}

async function setUp<L>(loaded: Loaded<L>, who: string, c: BenchCase, make: (lib: L) => Runner | Promise<Runner>): Promise<Runner | Side> {
  if ("side" in loaded) return loaded.side;
  try {
    return await make(loaded.lib);
  } catch (e) {
    return failure(who, e);
  }
}

async function runPair(job: Extract<Job, { kind: "pair" }>): Promise<void> {
  const { pair, quick } = job;
  const info: PairInfo = { pair: pair.id, tessera: `Tessera ${pair.backend}`, tfjs: `TF.js ${pair.tfjsBackend}` };
  if (pair.backend === "webgpu") {
    const adapter = await nodeAdapter().catch(() => null);
    if (!adapter) {
      await send({ type: "info", info: { ...info, skipped: "no WebGPU adapter in this environment (see README: webgpu package + a Vulkan driver)" } });
      return;
    }
    if (adapter.emulated && !job.explicit) {
      await send({ type: "info", info: { ...info, skipped: `only a CPU-emulated adapter (${adapter.name}); pass --backends webgpu to run it anyway` } });
      return;
    }
    if (adapter.emulated) info.caveat = "a software adapter: CPU emulation, not GPU numbers";
  }
  let tessera: Loaded<TesseraLib>;
  let tfjs: Loaded<TfjsLib>;
  try {
    const lib = await loadTessera(pair);
    tessera = { lib };
    info.tessera = lib.label;
  } catch (e) {
    tessera = { side: failure(`Tessera ${pair.backend}`, e) };
  }
  try {
    const lib = await loadTfjs(pair);
    tfjs = { lib };
    info.tfjs = lib.label;
  } catch (e) {
    tfjs = { side: failure(`TF.js ${pair.tfjsBackend}`, e) };
  }
  await send({ type: "info", info });

  const ctx: CaseContext = { quick, pair };
  const cases = allCases(quick).filter((c) => job.caseIds.includes(c.id));
  for (const c of cases) {
    const started = performance.now();
    (globalThis as { gc?: () => void }).gc?.();
    const a = await setUp(tessera, "Tessera", c, (lib) => c.tessera(lib, ctx));
    const b = await setUp(tfjs, "TF.js", c, (lib) => c.tfjs(lib, ctx));
    const isRunner = (x: Runner | Side): x is Runner => "run" in x;
    const plan: IterPlan = { ...DEFAULT_PLANS[quick ? "quick" : "full"], ...c.plan?.[quick ? "quick" : "full"] };
    const timing: PairTiming = await measure(isRunner(a) ? a : null, isRunner(b) ? b : null, plan);
    if (!isRunner(a)) timing.tessera = a;
    else if (timing.tessera.status === "error") timing.tessera.reason = `Tessera: ${timing.tessera.reason}`;
    if (!isRunner(b)) timing.tfjs = b;
    else if (timing.tfjs.status === "error") timing.tfjs.reason = `TF.js: ${timing.tfjs.reason}`;
    const notes: string[] = [];
    for (const r of [a, b]) {
      if (!isRunner(r)) continue;
      try {
        if (r.note) notes.push(await r.note());
      } catch (e) {
        notes.push(`note failed: ${firstLine(e)}`);
      }
      try {
        r.dispose();
      } catch (e) {
        notes.push(`dispose failed: ${firstLine(e)}`);
      }
    }
    const row = makeRow(c, pair, `${info.tessera} vs ${info.tfjs}`, timing, notes);
    await send({ type: "row", row });
    await send({ type: "progress", text: `${pair.id} ${c.id}: ${((performance.now() - started) / 1000).toFixed(1)} s` });
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? "null") as Job | null;
  if (!job || !process.send) throw new Error("worker.ts is started by main.ts, not directly");
  if (job.kind === "pair") await runPair(job);
  else await send({ type: "memory", result: await memoryRun(job.pair, job.library, job.steps) });
}

main().then(
  // Exit explicitly: backends may hold handles (thread pools, GPU devices) that keep Node alive.
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
