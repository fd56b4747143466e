import { expect, it } from "vitest";
import { runGpuBench } from "../bench/gpu-bench.js";

// The benchmark script must keep working (it is run on real GPUs by apps/bench); no timing is asserted.
it("the GPU benchmark runs end to end with small sizes", async () => {
  const lines: string[] = [];
  const { adapter, results } = await runGpuBench({ small: true, reps: 1, log: (l) => lines.push(l) });
  expect(adapter).toMatch(/^WebGPU on /);
  expect(results.map((r) => r.name.trim().split(" ")[0])).toEqual(["matmul", "matmul", "MLP", "conv2d", "conv2d", "conv2d"]);
  for (const r of results) {
    expect(r.ms).toBeGreaterThan(0);
    expect(Number.isFinite(r.gflops) && r.gflops > 0).toBe(true);
  }
  expect(lines.some((l) => /GFLOP\/s/.test(l))).toBe(true);
});
