/**
 * GPU benchmark of the WebGPU backend's kernels: square matmuls, one MLP 784-128-10 training step
 * (forward, softmax cross-entropy gradient, backward, SGD update: the kernel sequence a training
 * loop runs) and a 3×3 conv2d with its two gradients. Prints GFLOP/s (matmul/conv FLOPs only;
 * elementwise work is not counted).
 *
 *   tsx bench/gpu-bench.ts              # full sizes: matmul 1024²–4096², batch 64, conv [8,32,32,16]
 *   tsx bench/gpu-bench.ts --small      # small sizes for software adapters (lavapipe, SwiftShader)
 *   tsx bench/gpu-bench.ts --json       # one JSON line instead of the table
 *
 * Timing is wall clock from the first dispatch to the GPU reporting the work done, after a warm-up
 * run (pipeline compilation excluded), best of several repetitions.
 */
import type { DataId, DType, TensorInfo } from "@tessera/core/kernel";
import { WebGPUBackend } from "../src/backend.js";
import { rand } from "../test/helpers.js";

export interface BenchResult {
  readonly name: string;
  readonly ms: number;
  readonly gflops: number;
}

export interface BenchOptions {
  readonly small?: boolean;
  readonly reps?: number;
  readonly log?: (line: string) => void;
}

interface Tensor extends TensorInfo {
  readonly size: number;
}

/** n values in [-scale, scale), seeded (the tests' generator). */
function randomValues(n: number, seed: number, scale: number): Float32Array {
  return Float32Array.from(rand(n, seed, -scale, scale));
}

class Ops {
  private readonly live = new Set<DataId>();
  constructor(readonly b: WebGPUBackend) {}

  private make(id: DataId, shape: readonly number[], dtype: DType = "float32"): Tensor {
    this.live.add(id);
    return { dataId: id, shape: [...shape], dtype, size: shape.reduce((a, c) => a * c, 1) };
  }
  upload(values: Float32Array, shape: readonly number[]): Tensor {
    return this.make(this.b.write(values, shape, "float32"), shape);
  }
  view(t: Tensor, shape: readonly number[]): Tensor {
    return { ...t, shape: [...shape] };
  }
  matmul(a: Tensor, c: Tensor, m: number, n: number, tA = false, tB = false): Tensor {
    const out = [1, m, n];
    return this.make(this.b.kernels.BatchMatMul!([this.view(a, [1, ...a.shape.slice(-2)]), this.view(c, [1, ...c.shape.slice(-2)])], { transposeA: tA, transposeB: tB }, { shape: out, dtype: "float32" }), [m, n]);
  }
  binary(op: "Add" | "Sub" | "Mul" | "Div", a: Tensor, c: Tensor): Tensor {
    const shape = a.shape.map((d, i) => Math.max(d, c.shape[i]!));
    return this.make(this.b.kernels[op]!([a, c], {}, { shape, dtype: "float32" }), shape);
  }
  unary(op: "Relu" | "Exp", a: Tensor): Tensor {
    return this.make(this.b.kernels[op]!([a], {}, { shape: a.shape, dtype: "float32" }), a.shape);
  }
  greater0(a: Tensor, zero: Tensor): Tensor {
    return this.make(this.b.kernels.Greater!([a, zero], {}, { shape: a.shape, dtype: "bool" }), a.shape, "bool");
  }
  where(c: Tensor, a: Tensor, z: Tensor): Tensor {
    return this.make(this.b.kernels.Where!([c, a, z], {}, { shape: a.shape, dtype: "float32" }), a.shape);
  }
  /** Reduces [outer, n, inner] → [outer, inner]. */
  reduce(op: "Sum" | "Max", a: Tensor, outer: number, n: number, inner: number): Tensor {
    return this.make(this.b.kernels[op]!([this.view(a, [outer, n, inner])], {}, { shape: [outer, inner], dtype: "float32" }), [outer, inner]);
  }
  conv(op: "Conv2D" | "Conv2DBackpropInput" | "Conv2DBackpropFilter", a: Tensor, c: Tensor, out: number[]): Tensor {
    const attrs = { strides: [1, 1] as [number, number], dilations: [1, 1] as [number, number], padTop: 1, padLeft: 1 };
    return this.make(this.b.kernels[op]!([a, c], attrs, { shape: out, dtype: "float32" }), out);
  }
  /** Frees every tensor made since the last call except `keep`. */
  release(keep: readonly Tensor[] = []): void {
    const kept = new Set(keep.map((t) => t.dataId));
    for (const id of this.live) {
      if (kept.has(id)) continue;
      this.b.disposeData(id);
      this.live.delete(id);
    }
  }
}

async function time(b: WebGPUBackend, reps: number, body: () => void): Promise<number> {
  body();
  await b.sync();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    body();
    await b.sync();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export async function runGpuBench(options: BenchOptions = {}): Promise<{ adapter: string; results: BenchResult[] }> {
  const small = options.small ?? false;
  const reps = options.reps ?? (small ? 2 : 5);
  const log = options.log ?? (() => {});
  const b = await WebGPUBackend.create();
  const ops = new Ops(b);
  const results: BenchResult[] = [];
  const report = (name: string, ms: number, flop: number): void => {
    const r = { name, ms, gflops: flop / (ms * 1e6) };
    results.push(r);
    log(`${name.padEnd(44)} ${ms.toFixed(2).padStart(10)} ms ${r.gflops.toFixed(1).padStart(10)} GFLOP/s`);
  };
  log(`adapter: ${b.describe()}`);
  try {
    // Square matmuls.
    for (const n of small ? [128, 256] : [1024, 2048, 4096]) {
      const a = ops.upload(randomValues(n * n, 1, 1), [n, n]);
      const c = ops.upload(randomValues(n * n, 2, 1), [n, n]);
      const ms = await time(b, reps, () => {
        ops.matmul(a, c, n, n);
        ops.release([a, c]);
      });
      report(`matmul ${n}x${n} · ${n}x${n}`, ms, 2 * n ** 3);
      ops.release();
    }

    // One MLP 784-128-10 training step.
    {
      const B = small ? 16 : 64;
      const [I, H, O] = [784, 128, 10];
      const x = ops.upload(randomValues(B * I, 3, 1), [B, I]);
      const labels = new Float32Array(B * O);
      for (let i = 0; i < B; i++) labels[i * O + (i % O)] = 1;
      const y = ops.upload(labels, [B, O]);
      let w1 = ops.upload(randomValues(I * H, 4, 0.05), [I, H]);
      let b1 = ops.upload(new Float32Array(H), [1, H]);
      let w2 = ops.upload(randomValues(H * O, 5, 0.1), [H, O]);
      let b2 = ops.upload(new Float32Array(O), [1, O]);
      const lr = ops.upload(new Float32Array([0.1]), [1, 1]);
      const invB = ops.upload(new Float32Array([1 / B]), [1, 1]);
      const zero = ops.upload(new Float32Array([0]), [1, 1]);
      const step = (): void => {
        const h = ops.unary("Relu", ops.binary("Add", ops.matmul(x, w1, B, H), b1));
        const logits = ops.binary("Add", ops.matmul(h, w2, B, O), b2);
        const m = ops.view(ops.reduce("Max", logits, B, O, 1), [B, 1]);
        const e = ops.unary("Exp", ops.binary("Sub", logits, m));
        const p = ops.binary("Div", e, ops.view(ops.reduce("Sum", e, B, O, 1), [B, 1]));
        const dlogits = ops.binary("Mul", ops.binary("Sub", p, y), invB);
        const dw2 = ops.matmul(h, dlogits, H, O, true, false);
        const db2 = ops.reduce("Sum", dlogits, 1, B, O);
        const dh = ops.where(ops.greater0(h, zero), ops.matmul(dlogits, w2, B, H, false, true), zero);
        const dw1 = ops.matmul(x, dh, I, H, true, false);
        const db1 = ops.reduce("Sum", dh, 1, B, H);
        w1 = ops.binary("Sub", w1, ops.binary("Mul", lr, dw1));
        b1 = ops.binary("Sub", b1, ops.binary("Mul", lr, db1));
        w2 = ops.binary("Sub", w2, ops.binary("Mul", lr, dw2));
        b2 = ops.binary("Sub", b2, ops.binary("Mul", lr, db2));
        // The new weights are pending fused expressions: computing them is part of the step.
        for (const w of [w1, b1, w2, b2]) b.materializeData(w.dataId);
        ops.release([x, y, w1, b1, w2, b2, lr, invB, zero]);
      };
      const ms = await time(b, reps, step);
      const flop = 2 * B * (I * H + H * O) + 2 * H * B * O + 2 * B * O * H + 2 * I * B * H;
      report(`MLP 784-128-10 training step, batch ${B}`, ms, flop);
      ops.release();
    }

    // conv2d 3×3 SAME and its gradients.
    {
      const [N, S, Ci, Co] = small ? [2, 16, 16, 32] : [8, 32, 16, 32];
      const x = ops.upload(randomValues(N * S * S * Ci, 6, 1), [N, S, S, Ci]);
      const f = ops.upload(randomValues(9 * Ci * Co, 7, 0.1), [3, 3, Ci, Co]);
      const dy = ops.upload(randomValues(N * S * S * Co, 8, 1), [N, S, S, Co]);
      const flop = 2 * N * S * S * Co * 9 * Ci;
      const fwd = await time(b, reps, () => {
        ops.conv("Conv2D", x, f, [N, S, S, Co]);
        ops.release([x, f, dy]);
      });
      report(`conv2d [${N},${S},${S},${Ci}] * [3,3,${Ci},${Co}]`, fwd, flop);
      const dx = await time(b, reps, () => {
        ops.conv("Conv2DBackpropInput", dy, f, [N, S, S, Ci]);
        ops.release([x, f, dy]);
      });
      report("  conv2d backprop input", dx, flop);
      const df = await time(b, reps, () => {
        ops.conv("Conv2DBackpropFilter", x, dy, [3, 3, Ci, Co]);
        ops.release([x, f, dy]);
      });
      report("  conv2d backprop filter", df, flop);
      ops.release();
    }
    return { adapter: b.describe(), results };
  } finally {
    b.dispose();
  }
}

const isMain = typeof process !== "undefined" && process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop()!);
if (isMain) {
  const args = new Set(process.argv.slice(2));
  const json = args.has("--json");
  runGpuBench({ small: args.has("--small"), log: json ? undefined : (l) => console.log(l) })
    .then((r) => {
      if (json) console.log(JSON.stringify(r));
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
