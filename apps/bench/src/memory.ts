/**
 * Memory over a long training run: N steps of the MLP 784-128-10 (batch 64) in one library alone, in
 * its own process so peak RSS belongs to that library. Reports RSS at start, end and peak, and the
 * library's own tensor accounting (tf.memory()) after the first step and after the last: growth there
 * is a leak.
 */
import type { Tensor as TTensor } from "@tessera/core";
import { randomFloats, randomInts } from "./data.js";
import { firstLine, loadTessera } from "./libs/tessera.js";
import { loadTfjs } from "./libs/tfjs.js";
import { TesseraMlp, TfjsMlp, mlpInit, tesseraTapeStep, tfjsTapeStep } from "./cases/mlp.js";
import type { MemoryResult } from "./protocol.js";
import type { PairSpec } from "./pairs.js";
import { Unavailable } from "./types.js";

const MLP = [784, 128, 10];
const BATCH = 64;
const BATCHES = 8;
const MiB = 1024 * 1024;

const rss = () => process.memoryUsage.rss() / MiB;

export async function memoryRun(pair: PairSpec, library: "tessera" | "tfjs", steps: number): Promise<MemoryResult> {
  const base = { pair: pair.id, library, steps };
  const label = library === "tessera" ? `Tessera ${pair.backend}` : `TF.js ${pair.tfjsBackend}`;
  try {
    return library === "tessera" ? await tesseraRun(pair, steps, base) : await tfjsRun(pair, steps, base);
  } catch (e) {
    const status = e instanceof Unavailable ? "unavailable" : "error";
    return { ...base, label, status, reason: `${label}: ${firstLine(e)}` };
  }
}

type Base = Pick<MemoryResult, "pair" | "library" | "steps">;

async function tesseraRun(pair: PairSpec, steps: number, base: Base): Promise<MemoryResult> {
  const lib = await loadTessera(pair);
  const { tf } = lib;
  const { keras } = tf;
  const mlp = new TesseraMlp(lib, mlpInit(MLP, 3));
  const step = tesseraTapeStep(lib, mlp, new keras.optimizers.Adam({ learningRate: 1e-3 }));
  const xs: TTensor[] = [];
  const ys: TTensor[] = [];
  for (let i = 0; i < BATCHES; i++) {
    xs.push(tf.constant(randomFloats(BATCH * MLP[0]!, 100 + i, 1), { shape: [BATCH, MLP[0]!] }));
    ys.push(tf.constant(randomInts(BATCH, 200 + i, 10), { shape: [BATCH], dtype: "int32" }));
  }
  return measureSteps(() => tf.memory(), lib.label, step, xs, ys, steps, base);
}

async function tfjsRun(pair: PairSpec, steps: number, base: Base): Promise<MemoryResult> {
  const lib = await loadTfjs(pair);
  const { tf } = lib;
  const mlp = new TfjsMlp(lib, mlpInit(MLP, 3));
  const step = tfjsTapeStep(lib, mlp);
  const xs = Array.from({ length: BATCHES }, (_, i) => tf.tensor2d(randomFloats(BATCH * MLP[0]!, 100 + i, 1), [BATCH, MLP[0]!]));
  const ys = Array.from({ length: BATCHES }, (_, i) => tf.tidy(() => tf.oneHot(tf.tensor1d(randomInts(BATCH, 200 + i, 10), "int32"), 10)));
  return measureSteps(() => tf.memory(), lib.label, step, xs, ys, steps, base);
}

type Memory = { numTensors: number; numBytes: number };

/**
 * One step first (the optimizer's slots exist from then on and are not growth), then `steps` timed
 * steps over the cycled batches, with the library's tensor accounting `memory()` before and after.
 */
async function measureSteps<X extends { data(): Promise<unknown>; dispose(): void }>(
  memory: () => Memory,
  label: string,
  step: (x: X, y: X) => X,
  xs: readonly X[],
  ys: readonly X[],
  steps: number,
  base: Base,
): Promise<MemoryResult> {
  step(xs[0]!, ys[0]!).dispose();
  const before = memory();
  const rssStart = rss();
  const t0 = performance.now();
  let loss = NaN;
  for (let i = 1; i <= steps; i++) {
    const l = step(xs[i % BATCHES]!, ys[i % BATCHES]!);
    loss = ((await l.data()) as ArrayLike<number>)[0]!;
    l.dispose();
  }
  const ms = performance.now() - t0;
  const after = memory();
  return finish(base, label, ms, rssStart, before, after, loss);
}

function finish(
  base: Base,
  label: string,
  ms: number,
  rssStart: number,
  before: Memory,
  after: Memory,
  finalLoss: number,
): MemoryResult {
  return {
    ...base,
    label,
    status: "ok",
    msPerStep: ms / base.steps,
    rssStartMiB: rssStart,
    rssEndMiB: rss(),
    // maxRSS is in KiB and covers the whole process, which runs this library alone.
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    tensorsStart: before.numTensors,
    tensorsEnd: after.numTensors,
    bytesStart: before.numBytes,
    bytesEnd: after.numBytes,
    finalLoss,
  };
}
