/**
 * The tiled GEMM shader shared by BatchMatMul and the three convolutions (as implicit GEMMs).
 *
 * A workgroup of 16×16 threads computes a 64×64 block of C; each thread owns a 4×4 sub-block held
 * in four vec4 accumulators. K advances 16 at a time: the workgroup stages a 64×16 slice of A and a
 * 16×64 slice of B in workgroup memory (each thread loads 4 elements, as one vec4 when the operand
 * is contiguous and 4-aligned), then every thread does 16 rank-1 updates reading vec4s from
 * workgroup memory. Out-of-range rows/columns load zeros, so any M, N, K works.
 *
 * What differs between users is how an element of A or B is fetched (plain strided matrix, or an
 * im2col-style window read for convolutions) and where C goes; those are WGSL snippets in the spec.
 *
 * Split-K: when C has few tiles but K is long (a convolution's filter gradient: C is KH·KW·Ci × Co,
 * K is N·OH·OW), one workgroup per tile would leave the GPU idle. `splitK` programs give each
 * z-slice of the grid a chunk of K and write partial products to [splits, M, N]; `splitKSum` adds
 * them up.
 */
import type { WebGPUBackend } from "../backend.js";
import type { GpuData } from "../data.js";
import type { Program } from "../program-cache.js";
import { UniformBuilder } from "../uniforms.js";
import { bindings } from "../wgsl.js";

export const TILE_M = 64;
export const TILE_N = 64;
const TILE_K = 16;
const THREADS = 256;

export interface GemmSpec {
  readonly op: string;
  /** Everything below that changes the WGSL must be reflected in the key. */
  readonly key: string;
  readonly type: "f32" | "i32";
  /** Types of the two input bindings as declared (e.g. "f32" or "vec4<f32>"). */
  readonly inputTypes: readonly [string, string];
  /**
   * Scalar fetch of A[row, k] (row < u.M, k < u.K already checked); `batch` is C's batch index.
   * Returns a WGSL expression of `type`.
   */
  readonly loadA?: (batch: string, row: string, k: string) => string;
  /** vec4 fetch of A[row, k..k+3] (k multiple of 4, K multiple of 4). */
  readonly loadA4?: (batch: string, row: string, k: string) => string;
  /** True when A's consecutive words run along k (then scalar loads walk k across threads). */
  readonly aContiguousK: boolean;
  readonly loadB?: (batch: string, k: string, col: string) => string;
  /** vec4 fetch of B[k, col..col+3] (col multiple of 4, N multiple of 4). */
  readonly loadB4?: (batch: string, k: string, col: string) => string;
  /** True when B's consecutive words run along the column. */
  readonly bContiguousN: boolean;
  /** Extra WGSL (helper functions) placed before main. */
  readonly preamble?: string;
  /** Uniforms; must contain u32 fields M, N, K (and kChunk when splitK). */
  readonly uniforms: UniformBuilder;
  /** wid.z selects a chunk of K (batch 0) instead of a batch. */
  readonly splitK?: boolean;
}

/** How to split K for an M×N×K product with `batch` = 1, or null when one pass keeps the GPU busy. */
export function splitKPlan(m: number, n: number, k: number): { splits: number; chunk: number } | null {
  const tiles = Math.ceil(m / TILE_M) * Math.ceil(n / TILE_N);
  if (tiles >= 32 || k < 2048) return null;
  const splits = Math.min(Math.floor(64 / tiles), Math.ceil(k / 512));
  if (splits < 2) return null;
  const chunk = Math.ceil(k / splits / TILE_K) * TILE_K;
  return { splits: Math.ceil(k / chunk), chunk };
}

/** Sums `splits` partial products [splits, size] into out [size]. */
export function splitKSumProgram(type: "f32" | "i32", u: UniformBuilder): Program {
  const zero = type === "f32" ? "0.0" : "0";
  return {
    op: "BatchMatMul",
    key: `splitk-sum|${type}`,
    numInputs: 1,
    wgsl: () => `${bindings([type], type, u)}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * 64u + lid;
  if (i >= u.size) { return; }
  var acc: ${type} = ${zero};
  for (var s = 0u; s < u.splits; s = s + 1u) { acc = acc + in0[s * u.size + i]; }
  out[i] = acc;
}
`,
  };
}

/** Workgroup grid of a GEMM with `batch` independent products. */
export function gemmGrid(m: number, n: number, batch: number): [number, number, number] {
  return [Math.ceil(n / TILE_N), Math.ceil(m / TILE_M), batch];
}

export function gemmProgram(s: GemmSpec): Program {
  return {
    op: s.op,
    key: `gemm|${s.key}|${s.splitK ? "splitk" : ""}`,
    numInputs: 2,
    wgsl: () => {
      const T = s.type;
      const zero = T === "f32" ? "0.0" : "0";
      const V = `vec4<${T}>`;
      // A scalar staging loop: each thread loads 4 of the tile's elements; `map` names the tile
      // coordinates of element idx, `g1`/`g2` the global ones, `load` reads them where `inBounds`.
      const stagingLoop = (map: string, g1: string, g2: string, inBounds: string, load: string, store: string): string => `  for (var e = 0u; e < 4u; e = e + 1u) {
    let idx = t + e * ${THREADS}u;
    ${map}
    ${g1}
    ${g2}
    var v: ${T} = ${zero};
    if (${inBounds}) { v = ${load}; }
    ${store}
  }`;
      // Staging A: 64 rows × 16 k, stored as [k][row/4] vec4 (four rows per vec4).
      let loadATile: string;
      if (s.loadA4) {
        loadATile = `  {
    let row = t / 4u;
    let kk = (t % 4u) * 4u;
    let gr = m0 + row;
    let gk = k0 + kk;
    var v = ${V}(${zero});
    if (gr < u.M && gk < kEnd) { v = ${s.loadA4("batch", "gr", "gk")}; }
    As[(kk + 0u) * 16u + row / 4u][row % 4u] = v.x;
    As[(kk + 1u) * 16u + row / 4u][row % 4u] = v.y;
    As[(kk + 2u) * 16u + row / 4u][row % 4u] = v.z;
    As[(kk + 3u) * 16u + row / 4u][row % 4u] = v.w;
  }`;
      } else {
        const map = s.aContiguousK ? "let row = idx / 16u; let kk = idx % 16u;" : "let kk = idx / 64u; let row = idx % 64u;";
        loadATile = stagingLoop(map, "let gr = m0 + row;", "let gk = k0 + kk;", "gr < u.M && gk < kEnd", s.loadA!("batch", "gr", "gk"), "As[kk * 16u + row / 4u][row % 4u] = v;");
      }
      // Staging B: 16 k × 64 columns, stored as [k][col/4] vec4.
      let loadBTile: string;
      if (s.loadB4) {
        loadBTile = `  {
    let kk = t / 16u;
    let cv = t % 16u;
    let gk = k0 + kk;
    let gc = n0 + cv * 4u;
    var v = ${V}(${zero});
    if (gk < kEnd && gc < u.N) { v = ${s.loadB4("batch", "gk", "gc")}; }
    Bs[kk * 16u + cv] = v;
  }`;
      } else {
        const map = s.bContiguousN ? "let kk = idx / 64u; let col = idx % 64u;" : "let col = idx / 16u; let kk = idx % 16u;";
        loadBTile = stagingLoop(map, "let gk = k0 + kk;", "let gc = n0 + col;", "gk < kEnd && gc < u.N", s.loadB!("batch", "gk", "gc"), "Bs[kk * 16u + col / 4u][col % 4u] = v;");
      }
      return `${bindings(s.inputTypes, T, s.uniforms)}
${s.preamble ?? ""}
var<workgroup> As: array<${V}, ${TILE_K * (TILE_M / 4)}>;
var<workgroup> Bs: array<${V}, ${TILE_K * (TILE_N / 4)}>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let batch = ${s.splitK ? "0u" : "wid.z"};
  let kStart = ${s.splitK ? "wid.z * u.kChunk" : "0u"};
  let kEnd = ${s.splitK ? "min(u.K, kStart + u.kChunk)" : "u.K"};
  let m0 = wid.y * ${TILE_M}u;
  let n0 = wid.x * ${TILE_N}u;
  let tx = lid.x;
  let ty = lid.y;
  let t = ty * 16u + tx;
  var acc0 = ${V}(${zero});
  var acc1 = ${V}(${zero});
  var acc2 = ${V}(${zero});
  var acc3 = ${V}(${zero});
  for (var k0 = kStart; k0 < kEnd; k0 = k0 + ${TILE_K}u) {
${loadATile}
${loadBTile}
    workgroupBarrier();
    for (var k = 0u; k < ${TILE_K}u; k = k + 1u) {
      let a = As[k * 16u + ty];
      let b = Bs[k * 16u + tx];
      acc0 = acc0 + a.x * b;
      acc1 = acc1 + a.y * b;
      acc2 = acc2 + a.z * b;
      acc3 = acc3 + a.w * b;
    }
    workgroupBarrier();
  }
  let col = n0 + tx * 4u;
  var accs = array<${V}, 4>(acc0, acc1, acc2, acc3);
  for (var i = 0u; i < 4u; i = i + 1u) {
    let row = m0 + ty * 4u + i;
    if (row >= u.M) { break; }
    let base = (wid.z * u.M + row) * u.N;
    for (var j = 0u; j < 4u; j = j + 1u) {
      if (col + j < u.N) { out[base + col + j] = accs[i][j]; }
    }
  }
}
`;
    },
  };
}

/** Runs the GEMM `s` (C: [batch, M, N] into `out`), splitting K when that keeps more of the GPU busy. */
export function runGemm(b: WebGPUBackend, s: GemmSpec, inputs: readonly GpuData[], out: GpuData, m: number, n: number, k: number, batch: number): void {
  const plan = batch === 1 ? splitKPlan(m, n, k) : null;
  if (!plan) {
    b.dispatch(gemmProgram(s), inputs, out, s.uniforms, gemmGrid(m, n, batch));
    return;
  }
  s.uniforms.u32("kChunk", plan.chunk);
  const partial = b.temp(out.dtype, plan.splits * m * n, s.op);
  b.dispatch(gemmProgram({ ...s, splitK: true }), inputs, partial, s.uniforms, gemmGrid(m, n, plan.splits));
  const u = new UniformBuilder().u32("size", m * n).u32("splits", plan.splits);
  b.dispatch(splitKSumProgram(s.type, u), [partial], out, u, b.grid(m * n));
  b.releaseTemp(partial);
}
