/**
 * Transpose. Axes that stay adjacent are merged and size-1 axes dropped first, so most permutations
 * become a plain copy, a (batched) 2-D transpose — done through a 16×16 tile in workgroup memory so
 * that both the reads and the writes are coalesced — or a low-rank strided gather.
 * Data is moved as raw words (one u32, or two for complex64), so one program serves every dtype.
 */
import type { Kernels } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import type { Program } from "../program-cache.js";
import { UniformBuilder } from "../uniforms.js";
import { bindings, wordType } from "../wgsl.js";
import { dot, strides } from "./common.js";
import { gatherKernel, gatherProgram, outputCoords } from "./word-gather.js";

/** Drops size-1 axes and merges runs of axes that stay adjacent. */
export function collapseTranspose(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const keep = shape.map((d, i) => (d !== 1 ? i : -1)).filter((i) => i >= 0);
  const sh = keep.map((i) => shape[i]!);
  const index = new Map(keep.map((ax, j) => [ax, j]));
  const p = perm.filter((ax) => shape[ax] !== 1).map((ax) => index.get(ax)!);
  const groups: number[][] = [];
  for (const ax of p) {
    const g = groups[groups.length - 1];
    if (g && g[g.length - 1]! + 1 === ax) g.push(ax);
    else groups.push([ax]);
  }
  const order = groups.map((g, i) => ({ first: g[0]!, i })).sort((a, b) => a.first - b.first);
  return {
    shape: order.map((o) => groups[o.i]!.reduce((acc, ax) => acc * sh[ax]!, 1)),
    perm: groups.map((_, i) => order.findIndex((o) => o.i === i)),
  };
}

const TILE = 16;

function tiledProgram(w: string): Program {
  const u = new UniformBuilder().u32("rows", 0).u32("cols", 0);
  return {
    op: "Transpose",
    key: `transpose2d|${w}`,
    numInputs: 1,
    wgsl: () => `${bindings([w], w, u)}
var<workgroup> tile: array<${w}, ${TILE * (TILE + 1)}>;
@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let base = wid.z * u.rows * u.cols;
  let r = wid.y * ${TILE}u + lid.y;
  let c = wid.x * ${TILE}u + lid.x;
  if (r < u.rows && c < u.cols) { tile[lid.y * ${TILE + 1}u + lid.x] = in0[base + r * u.cols + c]; }
  workgroupBarrier();
  let orow = wid.x * ${TILE}u + lid.y;
  let ocol = wid.y * ${TILE}u + lid.x;
  if (orow < u.cols && ocol < u.rows) { out[base + orow * u.rows + ocol] = tile[lid.x * ${TILE + 1}u + lid.y]; }
}
`,
  };
}

function genericProgram(rank: number, w: string, u: UniformBuilder): Program {
  const cs = Array.from({ length: rank }, (_, d) => `c${d}`);
  const body = [...outputCoords(rank, (d, c) => [`let c${d} = ${c};`]), `out[i] = in0[${dot(cs, cs.map((_, d) => `u.ps${d}`))}];`];
  return gatherProgram("Transpose", `transpose|${rank}|${w}`, w, u, body);
}

export function transposeKernels(b: WebGPUBackend): Partial<Kernels> {
  return {
    Transpose: (inputs, attrs, out) =>
      gatherKernel(b, "Transpose", inputs[0], out, (x, y, size) => {
        const w = wordType(out.dtype);
        const c = collapseTranspose(inputs[0].shape, attrs.perm);
        const rank = c.shape.length;
        if (rank <= 1 || c.perm.every((p, i) => p === i)) {
          b.recorder.copy(x.buffer!, 0, y.buffer!, 0, y.byteLength);
          return;
        }
        const maxZ = b.gpu.limits.maxComputeWorkgroupsPerDimension;
        const batched = rank === 3 && c.perm[0] === 0 && c.perm[1] === 2 && c.perm[2] === 1;
        if ((rank === 2 || batched) && (batched ? c.shape[0]! : 1) <= maxZ) {
          const [batch, rows, cols] = rank === 2 ? [1, c.shape[0]!, c.shape[1]!] : (c.shape as [number, number, number]);
          const u = new UniformBuilder().u32("rows", rows).u32("cols", cols);
          const gx = Math.ceil(cols / TILE);
          const gy = Math.ceil(rows / TILE);
          if (gx <= maxZ && gy <= maxZ) {
            b.dispatch(tiledProgram(w), [x], y, u, [gx, gy, batch]);
            return;
          }
        }
        const inStrides = strides(c.shape);
        const outShape = c.perm.map((p) => c.shape[p]!);
        const u = new UniformBuilder().u32("size", size).u32s("od", outShape).u32s("ps", c.perm.map((p) => inStrides[p]!));
        b.dispatch(genericProgram(rank, w, u), [x], y, u, b.grid(size));
      }),
  };
}
