/**
 * Local speed check of the wasm kernels (GFLOP/s, GB/s). Not a test and not the benchmark of record
 * (that is apps/bench, against TF.js in the same run). Usage: npx tsx scripts/perf.mts [threads...]
 * Each line gives the median wall time and, in brackets, the rate per CPU-second of the process —
 * on a machine shared with other work the latter is the stable single-thread figure.
 */
import type { DataId, DType, TensorInfo } from "@tessera/core/kernel";
import { WasmBackend } from "../src/backend.js";

const threadCounts = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (threadCounts.length === 0) threadCounts.push(1, 2);

function t(b: WasmBackend, shape: number[], dtype: DType = "float32"): TensorInfo {
  const n = shape.reduce((a, v) => a * v, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.random() - 0.5;
  return { dataId: b.write(v, shape, dtype), shape, dtype };
}

/** Median wall time (ms) and CPU time per call (ms; the whole process, all threads). */
function time(fn: () => DataId, b: WasmBackend, minMs = 400): number {
  for (let i = 0; i < 3; i++) b.disposeData(fn());
  const times: number[] = [];
  const start = performance.now();
  const c0 = process.cpuUsage();
  while (performance.now() - start < minMs || times.length < 5) {
    const t0 = performance.now();
    const id = fn();
    times.push(performance.now() - t0);
    b.disposeData(id);
  }
  const c = process.cpuUsage(c0);
  lastCpuMs = (c.user + c.system) / 1000 / times.length;
  times.sort((a, c2) => a - c2);
  return times[Math.floor(times.length / 2)]!;
}
/** CPU time per call of the last `time` run: on a shared machine, the better single-thread figure. */
let lastCpuMs = 0;
const cpuNote = (work: number, unit: string): string => `  (${(work / lastCpuMs / 1e6).toFixed(1)} ${unit} per CPU-second)`;

for (const threads of threadCounts) {
  const b = await WasmBackend.create({ threads });
  console.log(`\n${b.describe()}`);
  const k = b.kernels;
  const mm = (M: number, N: number, K: number, tA: boolean, tB: boolean, label: string) => {
    const a = t(b, tA ? [1, K, M] : [1, M, K]), c = t(b, tB ? [1, N, K] : [1, K, N]);
    const ms = time(() => k.BatchMatMul!([a, c], { transposeA: tA, transposeB: tB }, { shape: [1, M, N], dtype: "float32" }), b);
    console.log(`${label.padEnd(44)} ${ms.toFixed(3).padStart(8)} ms  ${((2 * M * N * K) / ms / 1e6).toFixed(1).padStart(6)} GFLOP/s${cpuNote(2 * M * N * K, "GFLOP")}`);
    b.disposeData(a.dataId);
    b.disposeData(c.dataId);
  };
  mm(1024, 1024, 1024, false, false, "matmul 1024^3");
  mm(1024, 1024, 1024, true, false, "matmul 1024^3 transposeA");
  mm(1024, 1024, 1024, false, true, "matmul 1024^3 transposeB");
  mm(64, 128, 784, false, false, "MLP fwd [64,784]x[784,128]");
  mm(784, 128, 64, true, false, "MLP dW1 [784,64]^T x[64,128]");
  mm(64, 128, 10, false, true, "MLP dH [64,10]x[128,10]^T");

  const x = t(b, [8, 32, 32, 16]), f = t(b, [3, 3, 16, 32]);
  const attrs = { strides: [1, 1] as [number, number], dilations: [1, 1] as [number, number], padTop: 1, padLeft: 1 };
  const flops = 2 * 8 * 32 * 32 * 32 * 3 * 3 * 16;
  let ms = time(() => k.Conv2D!([x, f], attrs, { shape: [8, 32, 32, 32], dtype: "float32" }), b);
  console.log(`${"conv2d [8,32,32,16]x[3,3,16,32] SAME".padEnd(44)} ${ms.toFixed(3).padStart(8)} ms  ${(flops / ms / 1e6).toFixed(1).padStart(6)} GFLOP/s${cpuNote(flops, "GFLOP")}`);
  const dy = t(b, [8, 32, 32, 32]);
  ms = time(() => k.Conv2DBackpropInput!([dy, f], attrs, { shape: [8, 32, 32, 16], dtype: "float32" }), b);
  console.log(`${"  backprop input".padEnd(44)} ${ms.toFixed(3).padStart(8)} ms  ${(flops / ms / 1e6).toFixed(1).padStart(6)} GFLOP/s${cpuNote(flops, "GFLOP")}`);
  ms = time(() => k.Conv2DBackpropFilter!([x, dy], attrs, { shape: [3, 3, 16, 32], dtype: "float32" }), b);
  console.log(`${"  backprop filter".padEnd(44)} ${ms.toFixed(3).padStart(8)} ms  ${(flops / ms / 1e6).toFixed(1).padStart(6)} GFLOP/s${cpuNote(flops, "GFLOP")}`);

  const n = 1 << 20;
  const a1 = t(b, [n]), a2 = t(b, [n]);
  ms = time(() => k.Add!([a1, a2], {}, { shape: [n], dtype: "float32" }), b);
  console.log(`${"add 1M float32".padEnd(44)} ${ms.toFixed(3).padStart(8)} ms  ${((12 * n) / ms / 1e6).toFixed(1).padStart(6)} GB/s${cpuNote(12 * n, "GB")}`);
  const big = t(b, [1, 16 << 20, 1]);
  ms = time(() => k.Sum!([big], {}, { shape: [1, 1], dtype: "float32" }), b);
  console.log(`${"sum 16M float32".padEnd(44)} ${ms.toFixed(3).padStart(8)} ms  ${((4 * (16 << 20)) / ms / 1e6).toFixed(1).padStart(6)} GB/s${cpuNote(4 * (16 << 20), "GB")}`);
  const r = t(b, [64, 128]);
  ms = time(() => k.Relu!([r], {}, { shape: [64, 128], dtype: "float32" }), b, 200);
  console.log(`${"relu [64,128] (per-op overhead)".padEnd(44)} ${(ms * 1000).toFixed(2).padStart(8)} us`);
  b.dispose();
}
