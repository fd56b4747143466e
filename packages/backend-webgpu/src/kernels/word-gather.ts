/**
 * Raw-word gathers (Pad, Slice, Tile, Transpose): one thread per output element walks its output
 * coordinates and reads one word (u32, or vec2<u32> for two-word dtypes) of the input, so one
 * program serves every dtype.
 */
import type { OutSpec, TensorInfo } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import type { GpuData } from "../data.js";
import type { Program } from "../program-cache.js";
import type { UniformBuilder } from "../uniforms.js";
import { bindings, linearMain } from "../wgsl.js";
import { sizeOf } from "./common.js";

/**
 * Runs the one-input kernel `op` into `out`; `run` records its work for a non-empty output
 * (an empty one is returned as allocated).
 */
export function gatherKernel(
  b: WebGPUBackend,
  op: string,
  input: TensorInfo,
  out: OutSpec,
  run: (x: GpuData, y: GpuData, size: number) => void,
): GpuData {
  return b.runOp(op, () => {
    const x = b.input(input, op);
    const y = b.output(out, op);
    const size = sizeOf(out.shape);
    if (size > 0) run(x, y, size);
    return y;
  });
}

/**
 * WGSL lines that split the flat output index `i` into coordinates, last axis first, over the
 * output shape in the uniforms `u.od0…`; `perAxis(d, coord)` gives the lines that use the
 * coordinate expression `coord` of axis `d`.
 */
export function outputCoords(rank: number, perAxis: (d: number, coord: string) => string[]): string[] {
  const lines = ["var rest = i;"];
  for (let d = rank - 1; d >= 0; d--) {
    lines.push(...perAxis(d, `(rest % u.od${d})`));
    if (d > 0) lines.push(`rest = rest / u.od${d};`);
  }
  return lines;
}

/** A one-thread-per-element program moving words of type `w` from `in0` to `out` by the WGSL `body` (which sees `i`). */
export function gatherProgram(op: string, key: string, w: string, u: UniformBuilder, body: readonly string[]): Program {
  return {
    op,
    key,
    numInputs: 1,
    wgsl: () => `${bindings([w], w, u)}\n${linearMain(body.map((l) => `  ${l}`).join("\n"))}\n`,
  };
}
