/** Float64 reference implementations of the kernels (the tests compare the GPU with these). */
import type { BinaryKernelName, UnaryKernelName } from "@tessera/core/kernel";
import { BINARY_SPECS, UNARY_SPECS } from "@tessera/core/kernel";

const f32 = Math.fround;

const wrap32 = (v: number | bigint): number => Number(BigInt.asIntN(32, BigInt(v)));

/** The op table's reference for a unary kernel on one value. */
export function unaryRef(op: UnaryKernelName, x: number, dtype: "float32" | "int32" | "bool"): number {
  const t = UNARY_SPECS[op].test;
  if (dtype === "int32") return wrap32((t.int ?? t.real!)(x));
  return (dtype === "bool" ? t.bool ?? t.real! : t.real!)(x);
}

/**
 * The op table's reference for a binary kernel on one pair, with WebGPU's documented departures from
 * TensorFlow's CPU kernels (a GPU kernel cannot raise): int32 division or modulo by zero gives 0, and
 * int32 pow with a negative exponent gives 0 (1 or ±1 for bases 1 and −1).
 */
export function binaryRef(op: BinaryKernelName, a: number, b: number, dtype: "float32" | "int32" | "bool"): number {
  const t = BINARY_SPECS[op].test;
  if (dtype === "int32") {
    if ((op === "FloorDiv" || op === "FloorMod") && b === 0) return 0;
    if (op === "Pow" && b < 0) return a === 1 ? 1 : a === -1 ? (b & 1 ? -1 : 1) : 0;
    return wrap32((t.int ?? t.real!)(a, b));
  }
  return (dtype === "bool" ? t.bool ?? t.real! : t.real!)(a, b);
}

/** Reference matmul in float64 (int32: wrapping). */
export function matmulRef(
  a: readonly number[], b: readonly number[], Ba: number, Bb: number, M: number, N: number, K: number, tA: boolean, tB: boolean, int = false,
): number[] {
  const batch = Math.max(Ba, Bb);
  const out = new Array<number>(batch * M * N).fill(0);
  for (let t = 0; t < batch; t++) {
    const ao = (Ba === 1 ? 0 : t) * M * K;
    const bo = (Bb === 1 ? 0 : t) * K * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let acc = 0;
        for (let k = 0; k < K; k++) {
          const av = a[ao + (tA ? k * M + i : i * K + k)]!;
          const bv = b[bo + (tB ? j * K + k : k * N + j)]!;
          acc = int ? (acc + Math.imul(av, bv)) | 0 : acc + av * bv;
        }
        out[(t * M + i) * N + j] = acc;
      }
    }
  }
  return out;
}

export interface ConvGeom {
  NB: number; H: number; W: number; Ci: number; KH: number; KW: number; Co: number;
  sh: number; sw: number; dh: number; dw: number; padTop: number; padLeft: number; OH: number; OW: number;
}

/**
 * Visits every (output element, kernel tap) pair whose input pixel lies inside the image: `x0` is the
 * flat input index of channel 0, `f0` the filter index of channel 0 for the output channel (channel
 * ci adds ci·Co) and `y` the flat output index.
 */
function forEachTap(g: ConvGeom, visit: (x0: number, f0: number, y: number) => void): void {
  for (let n = 0; n < g.NB; n++) for (let oh = 0; oh < g.OH; oh++) for (let ow = 0; ow < g.OW; ow++) for (let co = 0; co < g.Co; co++) {
    const y = ((n * g.OH + oh) * g.OW + ow) * g.Co + co;
    for (let kh = 0; kh < g.KH; kh++) for (let kw = 0; kw < g.KW; kw++) {
      const ih = oh * g.sh - g.padTop + kh * g.dh;
      const iw = ow * g.sw - g.padLeft + kw * g.dw;
      if (ih < 0 || iw < 0 || ih >= g.H || iw >= g.W) continue;
      visit(((n * g.H + ih) * g.W + iw) * g.Ci, (kh * g.KW + kw) * g.Ci * g.Co + co, y);
    }
  }
}

export function conv2dRef(x: readonly number[], f: readonly number[], g: ConvGeom): number[] {
  const out = new Array<number>(g.NB * g.OH * g.OW * g.Co).fill(0);
  forEachTap(g, (x0, f0, y) => {
    for (let ci = 0; ci < g.Ci; ci++) out[y]! += x[x0 + ci]! * f[f0 + ci * g.Co]!;
  });
  return out;
}

export function conv2dBackpropInputRef(dy: readonly number[], f: readonly number[], g: ConvGeom): number[] {
  const dx = new Array<number>(g.NB * g.H * g.W * g.Ci).fill(0);
  forEachTap(g, (x0, f0, y) => {
    for (let ci = 0; ci < g.Ci; ci++) dx[x0 + ci]! += dy[y]! * f[f0 + ci * g.Co]!;
  });
  return dx;
}

export function conv2dBackpropFilterRef(x: readonly number[], dy: readonly number[], g: ConvGeom): number[] {
  const df = new Array<number>(g.KH * g.KW * g.Ci * g.Co).fill(0);
  forEachTap(g, (x0, f0, y) => {
    for (let ci = 0; ci < g.Ci; ci++) df[f0 + ci * g.Co]! += dy[y]! * x[x0 + ci]!;
  });
  return df;
}

export { f32 };
