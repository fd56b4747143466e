/** Float64 reference implementations of the kernels (the tests compare the GPU with these). */
import type { BinaryKernelName, UnaryKernelName } from "@tessera/core/kernel";

const f32 = Math.fround;

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function unaryRef(op: UnaryKernelName, x: number, dtype: "float32" | "int32" | "bool"): number {
  if (dtype === "int32") {
    switch (op) {
      case "Neg": return -x | 0;
      case "Abs": return Math.abs(x) | 0;
      case "Sign": return Math.sign(x);
      case "Square": return Math.imul(x, x);
      case "Relu": return Math.max(x, 0);
      default: throw new Error(op);
    }
  }
  if (dtype === "bool") return x ? 0 : 1;
  switch (op) {
    case "Neg": return -x;
    case "Abs": return Math.abs(x);
    case "Sign": return Number.isNaN(x) ? NaN : Math.sign(x);
    case "Square": return x * x;
    case "Sqrt": return Math.sqrt(x);
    case "Rsqrt": return 1 / Math.sqrt(x);
    case "Exp": return Math.exp(x);
    case "Log": return Math.log(x);
    case "Log1p": return Math.log1p(x);
    case "Sin": return Math.sin(x);
    case "Cos": return Math.cos(x);
    case "Tanh": return Math.tanh(x);
    case "Sigmoid": return 1 / (1 + Math.exp(-x));
    case "Relu": return Number.isNaN(x) ? NaN : Math.max(x, 0);
    case "Elu": return x > 0 ? x : Math.expm1(x);
    case "Softplus": return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    case "Floor": return Math.floor(x);
    case "Ceil": return Math.ceil(x);
    case "Round": return roundHalfEven(x);
    case "Reciprocal": return 1 / x;
    case "LogicalNot": return x ? 0 : 1;
  }
}

function pyFloorMod(a: number, b: number): number {
  if (b === 0 || !Number.isFinite(a) || Number.isNaN(b)) return NaN;
  if (!Number.isFinite(b)) return a === 0 || (a < 0) === (b < 0) ? a : b;
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

function intPow(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b & 1 ? -1 : 1) : 0;
  let r = 1;
  let base = a | 0;
  let n = b;
  while (n > 0) {
    if (n & 1) r = Math.imul(r, base);
    base = Math.imul(base, base);
    n >>>= 1;
  }
  return r;
}

export function binaryRef(op: BinaryKernelName, a: number, b: number, dtype: "float32" | "int32" | "bool"): number {
  if (dtype === "int32") {
    switch (op) {
      case "Add": return (a + b) | 0;
      case "Sub": return (a - b) | 0;
      case "Mul": return Math.imul(a, b);
      case "FloorDiv": return b === 0 ? 0 : Math.floor(a / b) | 0;
      case "FloorMod": return b === 0 ? 0 : ((a % b) + b) % b | 0;
      case "Pow": return intPow(a, b);
      case "Maximum": return Math.max(a, b);
      case "Minimum": return Math.min(a, b);
      default: break;
    }
  }
  switch (op) {
    case "Add": return a + b;
    case "Sub": return a - b;
    case "Mul": return a * b;
    case "Div": return a / b;
    case "FloorDiv": return Math.floor(a / b);
    case "FloorMod": return pyFloorMod(a, b);
    // C's pow (TensorFlow, NumPy): 1^y = 1 and (±1)^±Inf = 1, where JavaScript gives NaN.
    case "Pow": return a === 1 || b === 0 || (Math.abs(a) === 1 && !Number.isFinite(b) && !Number.isNaN(b)) ? 1 : Math.pow(a, b);
    case "Maximum": return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b);
    case "Minimum": return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b);
    case "Equal": return a === b ? 1 : 0;
    case "NotEqual": return a !== b ? 1 : 0;
    case "Less": return a < b ? 1 : 0;
    case "LessEqual": return a <= b ? 1 : 0;
    case "Greater": return a > b ? 1 : 0;
    case "GreaterEqual": return a >= b ? 1 : 0;
    case "LogicalAnd": return a && b ? 1 : 0;
    case "LogicalOr": return a || b ? 1 : 0;
  }
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

export function conv2dRef(x: readonly number[], f: readonly number[], g: ConvGeom): number[] {
  const out = new Array<number>(g.NB * g.OH * g.OW * g.Co).fill(0);
  for (let n = 0; n < g.NB; n++) for (let oh = 0; oh < g.OH; oh++) for (let ow = 0; ow < g.OW; ow++) for (let co = 0; co < g.Co; co++) {
    let acc = 0;
    for (let kh = 0; kh < g.KH; kh++) for (let kw = 0; kw < g.KW; kw++) {
      const ih = oh * g.sh - g.padTop + kh * g.dh;
      const iw = ow * g.sw - g.padLeft + kw * g.dw;
      if (ih < 0 || iw < 0 || ih >= g.H || iw >= g.W) continue;
      for (let ci = 0; ci < g.Ci; ci++) acc += x[((n * g.H + ih) * g.W + iw) * g.Ci + ci]! * f[((kh * g.KW + kw) * g.Ci + ci) * g.Co + co]!;
    }
    out[((n * g.OH + oh) * g.OW + ow) * g.Co + co] = acc;
  }
  return out;
}

export function conv2dBackpropInputRef(dy: readonly number[], f: readonly number[], g: ConvGeom): number[] {
  const dx = new Array<number>(g.NB * g.H * g.W * g.Ci).fill(0);
  for (let n = 0; n < g.NB; n++) for (let oh = 0; oh < g.OH; oh++) for (let ow = 0; ow < g.OW; ow++) for (let co = 0; co < g.Co; co++) {
    const d = dy[((n * g.OH + oh) * g.OW + ow) * g.Co + co]!;
    for (let kh = 0; kh < g.KH; kh++) for (let kw = 0; kw < g.KW; kw++) {
      const ih = oh * g.sh - g.padTop + kh * g.dh;
      const iw = ow * g.sw - g.padLeft + kw * g.dw;
      if (ih < 0 || iw < 0 || ih >= g.H || iw >= g.W) continue;
      for (let ci = 0; ci < g.Ci; ci++) dx[((n * g.H + ih) * g.W + iw) * g.Ci + ci]! += d * f[((kh * g.KW + kw) * g.Ci + ci) * g.Co + co]!;
    }
  }
  return dx;
}

export function conv2dBackpropFilterRef(x: readonly number[], dy: readonly number[], g: ConvGeom): number[] {
  const df = new Array<number>(g.KH * g.KW * g.Ci * g.Co).fill(0);
  for (let n = 0; n < g.NB; n++) for (let oh = 0; oh < g.OH; oh++) for (let ow = 0; ow < g.OW; ow++) for (let co = 0; co < g.Co; co++) {
    const d = dy[((n * g.OH + oh) * g.OW + ow) * g.Co + co]!;
    for (let kh = 0; kh < g.KH; kh++) for (let kw = 0; kw < g.KW; kw++) {
      const ih = oh * g.sh - g.padTop + kh * g.dh;
      const iw = ow * g.sw - g.padLeft + kw * g.dw;
      if (ih < 0 || iw < 0 || ih >= g.H || iw >= g.W) continue;
      for (let ci = 0; ci < g.Ci; ci++) df[((kh * g.KW + kw) * g.Ci + ci) * g.Co + co]! += d * x[((n * g.H + ih) * g.W + iw) * g.Ci + ci]!;
    }
  }
  return df;
}

export { f32 };
