/**
 * Generated compute programs and their pipelines. A kernel describes a program by a key that names
 * everything its WGSL depends on (op, dtypes, ranks, broadcast pattern, tile shape, ...); sizes,
 * shapes and strides travel in uniforms, so one pipeline serves every tensor of that kind. The WGSL
 * is generated and compiled once per key.
 *
 * Binding layout of every program: inputs at @binding(0..n-1) (read-only storage), the output at
 * @binding(n) (read-write storage), the uniforms at @binding(n+1), all in @group(0).
 */
import type { GpuDevice } from "./device.js";
import { ShaderStage } from "./gpu-constants.js";
import { WebGPUError } from "./errors.js";

export interface Program {
  /** The kernel that asked for it (named in errors). */
  readonly op: string;
  /** Unique per generated WGSL. */
  readonly key: string;
  readonly numInputs: number;
  /** The whole WGSL module, entry point `main`. */
  wgsl(): string;
}

export interface CompiledProgram {
  readonly key: string;
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

export class ProgramCache {
  private readonly programs = new Map<string, CompiledProgram>();
  private readonly layouts = new Map<number, GPUBindGroupLayout>();

  constructor(private readonly gpu: GpuDevice) {}

  get size(): number {
    return this.programs.size;
  }

  has(key: string): boolean {
    return this.programs.has(key);
  }

  /** The compiled program for `p`, compiling it on first use; shader errors name the op. */
  get(p: Program): CompiledProgram {
    const hit = this.programs.get(p.key);
    if (hit) return hit;
    const code = p.wgsl();
    const device = this.gpu.device;
    const layout = this.layout(p.numInputs);
    const browser = this.gpu.platform === "browser";
    const before = this.gpu.errors.length;
    if (browser) device.pushErrorScope("validation");
    const module = device.createShaderModule({ code, label: p.key });
    const pipeline = device.createComputePipeline({
      layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: "main" },
      label: p.key,
    });
    if (browser) {
      // Browsers report errors asynchronously: the next kernel call or read throws it.
      void device.popErrorScope().then((err) => {
        if (err) this.gpu.errors.push({ kind: "validation", op: p.op, message: `${err.message}\n${code}` });
      });
    } else if (this.gpu.errors.length > before) {
      // dawn.node reports errors synchronously: fail right here, naming the op.
      const errs = this.gpu.errors.splice(before);
      throw new WebGPUError(
        p.op,
        `could not compile its WebGPU shader (program ${p.key}): ${errs.map((e) => e.message).join("\n")}\n--- WGSL ---\n${code}`,
      );
    }
    const compiled: CompiledProgram = { key: p.key, pipeline, layout };
    this.programs.set(p.key, compiled);
    return compiled;
  }

  private layout(numInputs: number): GPUBindGroupLayout {
    let l = this.layouts.get(numInputs);
    if (!l) {
      const entries: GPUBindGroupLayoutEntry[] = [];
      for (let i = 0; i < numInputs; i++) {
        entries.push({ binding: i, visibility: ShaderStage.COMPUTE, buffer: { type: "read-only-storage" } });
      }
      entries.push({ binding: numInputs, visibility: ShaderStage.COMPUTE, buffer: { type: "storage" } });
      entries.push({ binding: numInputs + 1, visibility: ShaderStage.COMPUTE, buffer: { type: "uniform" } });
      l = this.gpu.device.createBindGroupLayout({ entries, label: `tessera-${numInputs}-in` });
      this.layouts.set(numInputs, l);
    }
    return l;
  }
}
