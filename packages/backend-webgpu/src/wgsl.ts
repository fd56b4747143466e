/**
 * Shared WGSL: storage types per dtype, binding declarations, the linear thread index, and a
 * library of helper functions that kernels pull in by name (with their dependencies).
 *
 * WGSL lets an implementation assume there are no NaNs or infinities, and its builtins are only
 * loosely specified for them (and some, like `log` near 1 or `sin`, are allowed to be quite
 * inaccurate). Helpers here therefore test NaN/Inf on the bits and spell out the IEEE/TensorFlow
 * edge cases, and `f_log`, `f_sin`, `f_cos`, `f_tanh` use range reduction plus minimax
 * polynomials (the classic Cephes single-precision scheme) rather than the builtins.
 */
import type { DType } from "@tessera/core/kernel";
import { DtypeError, kernelDtypeError } from "@tessera/core/kernel";
import { ERX, PA, PP, QA, QQ, RA, RB, SA, SB, hornerWgsl } from "./erf-coefficients.js";
import { twoOverPiWords } from "./two-over-pi.js";
import { F64_HELPERS } from "./wgsl-f64.js";
import { F64_MATH_HELPERS } from "./wgsl-f64-math.js";
import type { UniformBuilder } from "./uniforms.js";

export type StorageType = "f32" | "i32" | "u32" | "vec2<f32>" | "vec2<u32>";

/**
 * The element type of a storage buffer holding `dtype`: bool as u32 0/1, complex64 as (re, im),
 * float64 as its IEEE bits (lo, hi) for the soft-float code of wgsl-f64.ts.
 */
export function storageType(dtype: DType, op = "(storage)"): StorageType {
  switch (dtype) {
    case "float32": return "f32";
    case "int32": return "i32";
    case "bool": return "u32";
    case "complex64": return "vec2<f32>";
    case "float64": return "vec2<u32>";
    default: throw new DtypeError(`dtype ${dtype} is not supported on backend 'webgpu' [Op:${op}]`);
  }
}

/** The WGSL type of a value of `dtype` inside an expression. */
export function valueType(dtype: DType): "f32" | "i32" | "bool" | "vec2<f32>" | "vec2<u32>" {
  return dtype === "bool" ? "bool" : (storageType(dtype) as "f32" | "i32" | "vec2<f32>" | "vec2<u32>");
}

/** The raw word type data-movement kernels copy for `dtype` (8-byte elements move as two words). */
export function wordType(dtype: DType): "u32" | "vec2<u32>" {
  return elementBytes(dtype) === 8 ? "vec2<u32>" : "u32";
}

/** Bytes per element on the GPU. */
export function elementBytes(dtype: DType): number {
  return dtype === "complex64" || dtype === "float64" ? 8 : 4;
}

/** The DtypeError of a kernel that has no case for `dtype` here. */
export function unsupported(op: string, dtype: DType): DtypeError {
  return kernelDtypeError(op, dtype, "webgpu");
}

/** Declarations of the inputs, the output and the uniforms (see program-cache.ts for the layout). */
export function bindings(inputs: readonly string[], output: string, uniforms: UniformBuilder): string {
  const lines = inputs.map((t, i) => `@group(0) @binding(${i}) var<storage, read> in${i}: array<${t}>;`);
  lines.push(`@group(0) @binding(${inputs.length}) var<storage, read_write> out: array<${output}>;`);
  lines.push(uniforms.wgslStruct());
  lines.push(`@group(0) @binding(${inputs.length + 1}) var<uniform> u: Uniforms;`);
  return lines.join("\n");
}

/** Threads per workgroup of the one-thread-per-element programs. */
export const LINEAR_WG = 64;

/** Entry point of a one-thread-per-element program over `u.size` elements; `body` sees `i: u32`. */
export function linearMain(body: string, wg = LINEAR_WG): string {
  return `@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * ${wg}u + lid;
  if (i >= u.size) { return; }
${body}
}`;
}

/**
 * WGSL lines that split the flat row-major index `index` (default `i`) into named coordinates, innermost first: with
 * names [c, w, h, n] and uniform dims [C, W, H], `c = i % u.C`, `w = (i / u.C) % u.W`, … and the
 * outermost `n` takes the rest (names has one more entry than dims).
 */
export function splitIndex(names: readonly string[], dims: readonly string[], index = "i"): string {
  return names
    .map((name, k) => {
      const below = dims.slice(0, k).map((d) => `u.${d}`);
      const quotient = below.length === 0 ? index : below.length === 1 ? `${index} / ${below[0]}` : `${index} / (${below.join(" * ")})`;
      if (k === names.length - 1) return `  let ${name} = ${quotient};`;
      return `  let ${name} = ${below.length === 0 ? quotient : `(${quotient})`} % u.${dims[k]};`;
    })
    .join("\n");
}

/** Workgroup counts for `threads` threads in groups of `wg`, spread over x and y past the per-dimension limit. */
export function linearGrid(threads: number, wg: number, maxPerDim: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(threads / wg));
  if (groups <= maxPerDim) return [groups, 1, 1];
  const y = Math.ceil(groups / maxPerDim);
  return [Math.ceil(groups / y), y, 1];
}

/** WGSL that computes the coordinates `c0..c{rank-1}` of flat index `idx` from uniform dims `prefix0..`. */
export function coordsFromIndex(idx: string, rank: number, prefix: string, coord = "c"): string {
  if (rank === 0) return "";
  const lines = [`var rest_${coord} = ${idx};`];
  for (let d = rank - 1; d >= 1; d--) {
    lines.push(`let ${coord}${d} = rest_${coord} % u.${prefix}${d};`);
    lines.push(`rest_${coord} = rest_${coord} / u.${prefix}${d};`);
  }
  lines.push(`let ${coord}0 = rest_${coord};`);
  return lines.join("\n  ");
}

/** Enough bits of 2/π for every finite float32 (window start ≤ bit 103, 96 bits wide). */
const TWO_OVER_PI = twoOverPiWords(8);

interface Helper {
  readonly deps: readonly string[];
  readonly code: string;
}

const HELPERS: Record<string, Helper> = {
  ...F64_HELPERS,
  ...F64_MATH_HELPERS,
  f_special: {
    deps: [],
    // Private variables, not constants: a constant expression must not evaluate to NaN or Inf.
    code: `var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
fn f_nan() -> f32 { return bitcast<f32>(NAN_BITS); }
fn f_inf() -> f32 { return bitcast<f32>(INF_BITS); }
fn f_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn f_isinf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }`,
  },
  f_exp: {
    deps: ["f_special"],
    code: `fn f_exp(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  if (x > 88.72283) { return f_inf(); }
  if (x < -103.97208) { return 0.0; }
  return exp(x);
}`,
  },
  f_log: {
    deps: ["f_special"],
    // x = m·2^e with m in [sqrt(1/2), sqrt(2)); log(m) = f - f²/2 + f³·P(f), f = m - 1. The exponent
    // and mantissa come from the bits (subnormals are normalized by hand: GPUs may flush them).
    code: `fn f_log(x: f32) -> f32 {
  var bits = bitcast<u32>(x);
  let mag = bits & 0x7fffffffu;
  if (mag > 0x7f800000u) { return x; }
  if (mag == 0u) { return -f_inf(); }
  if ((bits >> 31u) != 0u) { return f_nan(); }
  if (mag == 0x7f800000u) { return x; }
  var e = 0.0;
  if ((bits & 0x7f800000u) == 0u) {
    bits = bitcast<u32>(f32(bits & 0x7fffffu));
    e = -149.0;
  }
  e = e + f32(i32((bits >> 23u) & 0xffu) - 126);
  var m = bitcast<f32>((bits & 0x007fffffu) | 0x3f000000u);
  if (m < 0.70710678) { e = e - 1.0; m = m + m - 1.0; } else { m = m - 1.0; }
  let z = m * m;
  var y = ((((((((7.0376836292e-2 * m - 1.1514610310e-1) * m + 1.1676998740e-1) * m - 1.2420140846e-1) * m
    + 1.4249322787e-1) * m - 1.6668057665e-1) * m + 2.0000714765e-1) * m - 2.4999993993e-1) * m + 3.3333331174e-1) * m * z;
  y = y - 2.12194440e-4 * e;
  y = y - 0.5 * z;
  return (m + y) + 0.693359375 * e;
}`,
  },
  f_log1p: {
    deps: ["f_log", "f_special"],
    // Near 0: log(1+x) = 2·atanh(s), s = x/(2+x), as an odd series in s (|s| ≤ 0.172). Nothing here
    // relies on the rounding of 1+x, which GPU compilers may "simplify" away.
    code: `fn f_log1p(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  if (x == -1.0) { return -f_inf(); }
  if (x < -1.0) { return f_nan(); }
  if (f_isinf(x)) { return x; }
  if (abs(x) > 0.4142) { return f_log(1.0 + x); }
  let s = x / (2.0 + x);
  let z = s * s;
  return 2.0 * s * (1.0 + z * (0.33333333 + z * (0.2 + z * (0.14285714 + z * (0.11111111 + z * (0.09090909 + z * 0.07692308))))));
}`,
  },
  f_expm1: {
    deps: ["f_exp", "f_special"],
    // Near 0 a Taylor polynomial (no cancellation); elsewhere exp(x) - 1 loses nothing.
    code: `fn f_expm1(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  if (abs(x) < 0.5) {
    return x * (1.0 + x * (0.5 + x * (0.16666667 + x * (0.041666668 + x * (0.008333334 + x * (0.0013888889 + x * (0.0001984127 + x * 0.0000248016)))))));
  }
  if (x < -17.0) { return -1.0; }
  return f_exp(x) - 1.0;
}`,
  },
  f_sincos_reduce: {
    deps: [],
    // Cody-Waite reduction by pi/4 in three parts; octant in j.
    code: `struct Reduced { z: f32, j: u32 }
fn f_reduce(ax: f32) -> Reduced {
  var j = u32(ax * 1.27323954473516);
  var y = f32(j);
  if ((j & 1u) == 1u) { j = j + 1u; y = y + 1.0; }
  j = j & 7u;
  let z = ((ax - y * 0.78515625) - y * 2.4187564849853515625e-4) - y * 3.77489497744594108e-8;
  return Reduced(z, j);
}
fn f_sinpoly(z: f32) -> f32 {
  let zz = z * z;
  return ((-1.9515295891e-4 * zz + 8.3321608736e-3) * zz - 1.6666654611e-1) * zz * z + z;
}
fn f_cospoly(z: f32) -> f32 {
  let zz = z * z;
  return ((2.443315711809948e-5 * zz - 1.388731625493765e-3) * zz + 4.166664568298827e-2) * zz * zz - 0.5 * zz + 1.0;
}`,
  },
  f_reduce_huge: {
    deps: [],
    // Payne–Hanek: |x|·2/π mod 4 from a 96-bit window of 2/π's bits and exact integer products, for
    // |x| ≥ 8192 where the three-part π/4 reduction runs out of bits. Returns r in [−π/4, π/4] and
    // the quadrant.
    code: `const TWO_OVER_PI = array<u32, ${TWO_OVER_PI.length + 1}>(0u, ${TWO_OVER_PI.map((w) => `0x${w.toString(16)}u`).join(", ")});
fn mul_u32(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu; let a1 = a >> 16u; let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0; let p11 = a1 * b1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return vec2<u32>(p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u), (p00 & 0xffffu) | (mid << 16u));
}
fn two_over_pi_word(p: u32) -> u32 {
  // 32 bits of the table starting at bit p (bit 0 = first bit of the leading zero word).
  let w = p >> 5u; let sh = p & 31u;
  if (sh == 0u) { return TWO_OVER_PI[w]; }
  return (TWO_OVER_PI[w] << sh) | (TWO_OVER_PI[w + 1u] >> (32u - sh));
}
struct Quadrant { r: f32, q: u32 }
fn f_reduce_huge(ax: f32) -> Quadrant {
  let bits = bitcast<u32>(ax);
  let e = i32((bits >> 23u) & 0xffu) - 150;
  let m = (bits & 0x7fffffu) | 0x800000u;
  // ax·2/π = m·2^e·Σ b_i 2^-i; bits i ≤ e − 2 only add multiples of 4. Window: bits e−1 .. e+94.
  let p = u32(e - 1 + 31);
  let w0 = two_over_pi_word(p);
  let w1 = two_over_pi_word(p + 32u);
  let w2 = two_over_pi_word(p + 64u);
  let t2 = mul_u32(m, w2);
  let t1 = mul_u32(m, w1);
  let t0 = mul_u32(m, w0);
  let lo = t2.y;
  let mid = t1.y + t2.x;
  let carry = select(0u, 1u, mid < t1.y);
  let hi = t0.y + t1.x + carry;
  // hi has 2 integer bits (the quadrant) above the point; the fraction is (hi & 0x3fffffff, mid, lo).
  var q = hi >> 30u;
  var fh = hi & 0x3fffffffu;
  var fm = mid;
  var sgn = 1.0;
  if ((fh & 0x20000000u) != 0u) {
    // fraction ≥ 1/2: use fraction − 1 (exactly, in integers) and the next quadrant.
    q = q + 1u;
    sgn = -1.0;
    fm = ~fm + select(0u, 1u, lo == 0u);
    fh = (~fh & 0x3fffffffu) + select(0u, 1u, fm == 0u && lo == 0u);
  }
  let f = ldexp(f32(fh), -30) + ldexp(f32(fm >> 8u), -54);
  return Quadrant(sgn * f * 1.5707963267948966, q & 3u);
}`,
  },
  f_sin: {
    deps: ["f_sincos_reduce", "f_reduce_huge", "f_special"],
    code: `fn f_sin(x: f32) -> f32 {
  if (f_isnan(x) || f_isinf(x)) { return f_nan(); }
  let ax = abs(x);
  let s = select(1.0, -1.0, x < 0.0);
  if (ax > 8192.0) {
    let h = f_reduce_huge(ax);
    let v = select(f_sinpoly(h.r), f_cospoly(h.r), (h.q & 1u) == 1u);
    return select(s, -s, h.q >= 2u) * v;
  }
  let r = f_reduce(ax);
  var j = r.j;
  var sg = s;
  if (j > 3u) { sg = -sg; j = j - 4u; }
  let v = select(f_sinpoly(r.z), f_cospoly(r.z), j == 1u || j == 2u);
  return sg * v;
}`,
  },
  f_cos: {
    deps: ["f_sincos_reduce", "f_reduce_huge", "f_special"],
    code: `fn f_cos(x: f32) -> f32 {
  if (f_isnan(x) || f_isinf(x)) { return f_nan(); }
  let ax = abs(x);
  if (ax > 8192.0) {
    let h = f_reduce_huge(ax);
    let v = select(f_cospoly(h.r), f_sinpoly(h.r), (h.q & 1u) == 1u);
    return select(1.0, -1.0, h.q == 1u || h.q == 2u) * v;
  }
  let r = f_reduce(ax);
  var j = r.j;
  var s = 1.0;
  if (j > 3u) { s = -s; j = j - 4u; }
  if (j > 1u) { s = -s; }
  let v = select(f_cospoly(r.z), f_sinpoly(r.z), j == 1u || j == 2u);
  return s * v;
}`,
  },
  f_tanh: {
    deps: ["f_exp", "f_special"],
    code: `fn f_tanh(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  let ax = abs(x);
  if (ax < 0.625) {
    let z = x * x;
    return x + x * z * ((((-5.70498872745e-3 * z + 2.06390887954e-2) * z - 5.37397155531e-2) * z + 1.33314422036e-1) * z - 3.33332819422e-1);
  }
  if (ax > 9.0) { return select(1.0, -1.0, x < 0.0); }
  let r = 1.0 - 2.0 / (f_exp(2.0 * ax) + 1.0);
  return select(r, -r, x < 0.0);
}`,
  },
  f_sigmoid: {
    deps: ["f_exp", "f_special"],
    code: `fn f_sigmoid(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  let e = f_exp(-abs(x));
  let s = 1.0 / (1.0 + e);
  return select(s, e * s, x < 0.0);
}`,
  },
  f_softplus: {
    deps: ["f_exp", "f_log1p", "f_special"],
    code: `fn f_softplus(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  return select(x, 0.0, x < 0.0) + f_log1p(f_exp(-abs(x)));
}`,
  },
  f_sqrt: {
    deps: ["f_special"],
    code: `fn f_sqrt(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  if (x < 0.0) { return f_nan(); }
  if (x == 0.0 || f_isinf(x)) { return x; }
  return sqrt(x);
}`,
  },
  f_rsqrt: {
    deps: ["f_special"],
    code: `fn f_rsqrt(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  if (x < 0.0) { return f_nan(); }
  if (x == 0.0) { return select(f_inf(), -f_inf(), bitcast<u32>(x) != 0u); }
  if (f_isinf(x)) { return 0.0; }
  return 1.0 / sqrt(x);
}`,
  },
  f_sign: {
    deps: ["f_special"],
    code: `fn f_sign(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  return select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0);
}`,
  },
  f_round: {
    deps: [],
    // Round half to even, spelled out (the builtin's tie rule is not trusted on every driver).
    code: `fn f_round(x: f32) -> f32 {
  let fl = floor(x);
  let d = x - fl;
  if (d > 0.5) { return fl + 1.0; }
  if (d < 0.5) { return fl; }
  return select(fl + 1.0, fl, fract(fl * 0.5) == 0.0);
}`,
  },
  f_recip: {
    deps: ["f_special"],
    code: `fn f_recip(x: f32) -> f32 {
  if (x == 0.0) { return select(f_inf(), -f_inf(), bitcast<u32>(x) != 0u); }
  if (f_isinf(x)) { return select(0.0, -0.0, x < 0.0); }
  return 1.0 / x;
}`,
  },
  f_div: {
    deps: ["f_special"],
    // x/0 and x/Inf spelled out: drivers need not follow IEEE at the edges.
    code: `fn f_div(a: f32, b: f32) -> f32 {
  if (f_isnan(a) || f_isnan(b)) { return f_nan(); }
  if (b == 0.0) {
    if (a == 0.0) { return f_nan(); }
    let neg = (a < 0.0) != (bitcast<u32>(b) != 0u);
    return select(f_inf(), -f_inf(), neg);
  }
  if (f_isinf(b)) {
    if (f_isinf(a)) { return f_nan(); }
    return select(0.0, -0.0, (a < 0.0) != (b < 0.0));
  }
  return a / b;
}`,
  },
  f_floordiv: {
    deps: ["f_div"],
    code: `fn f_floordiv(a: f32, b: f32) -> f32 { return floor(f_div(a, b)); }`,
  },
  f_fmod: {
    deps: [],
    // C's fmod, exactly, in integer arithmetic on the bits (subnormals included, which GPUs may
    // flush in float arithmetic): with |a| = ma·2^ea and |b| = mb·2^eb (24-bit integer mantissas),
    // the remainder is (ma·2^(ea−eb) mod mb)·2^eb, built by modular doubling.
    code: `fn f_fmod(a: f32, b: f32) -> f32 {
  let ba = bitcast<u32>(a);
  let bb = bitcast<u32>(b);
  let xa = (ba >> 23u) & 0xffu;
  let xb = (bb >> 23u) & 0xffu;
  let ma = select((ba & 0x7fffffu) | 0x800000u, ba & 0x7fffffu, xa == 0u);
  let mb = select((bb & 0x7fffffu) | 0x800000u, bb & 0x7fffffu, xb == 0u);
  let ea = select(i32(xa) - 150, -149, xa == 0u);
  var e = select(i32(xb) - 150, -149, xb == 0u);
  if (ea < e) { return a; }
  var r = ma % mb;
  for (var k = ea; k > e; k = k - 1) { r = (r << 1u) % mb; }
  let sign = ba & 0x80000000u;
  if (r == 0u) { return bitcast<f32>(sign); }
  while (r < 0x800000u && e > -149) { r = r << 1u; e = e - 1; }
  if (r < 0x800000u) { return bitcast<f32>(sign | r); }
  return bitcast<f32>(sign | (u32(e + 150) << 23u) | (r & 0x7fffffu));
}`,
  },
  f_floormod: {
    deps: ["f_special", "f_fmod"],
    // Python's a % b: the remainder has the divisor's sign.
    code: `fn f_floormod(a: f32, b: f32) -> f32 {
  if (f_isnan(a) || f_isnan(b) || f_isinf(a) || b == 0.0) { return f_nan(); }
  if (f_isinf(b)) { return select(b, a, a == 0.0 || (a < 0.0) == (b < 0.0)); }
  var r = f_fmod(a, b);
  if (r != 0.0 && ((r < 0.0) != (b < 0.0))) { r = r + b; }
  return r;
}`,
  },
  f_pow: {
    deps: ["f_special", "f_exp", "f_log"],
    code: `fn f_pow(x: f32, y: f32) -> f32 {
  if (y == 0.0 || x == 1.0) { return 1.0; }
  if (f_isnan(x) || f_isnan(y)) { return f_nan(); }
  let ax = abs(x);
  if (f_isinf(y)) {
    if (ax == 1.0) { return 1.0; }
    return select(0.0, f_inf(), (ax > 1.0) == (y > 0.0));
  }
  let ay = abs(y);
  let yInt = floor(y) == y;
  if (x < 0.0 && !yInt && !f_isinf(x)) { return f_nan(); }
  var r: f32;
  if (ax == 0.0) {
    r = select(f_inf(), 0.0, y > 0.0);
  } else if (f_isinf(ax)) {
    r = select(0.0, f_inf(), y > 0.0);
  } else if (yInt && ay <= 64.0) {
    var n = u32(ay);
    var base = ax;
    r = 1.0;
    loop {
      if ((n & 1u) == 1u) { r = r * base; }
      n = n >> 1u;
      if (n == 0u) { break; }
      base = base * base;
    }
    if (y < 0.0) { r = select(1.0 / r, f_inf(), r == 0.0); }
  } else {
    r = f_exp(y * f_log(ax));
  }
  let odd = yInt && ay < 16777216.0 && fract(ay * 0.5) != 0.0;
  if (odd && (x < 0.0 || bitcast<u32>(x) == 0x80000000u)) { r = -r; }
  return r;
}`,
  },
  f_atan: {
    deps: [],
    // Cephes atanf: reduce to |z| ≤ tan(π/8), then an odd polynomial.
    code: `fn f_atan(x: f32) -> f32 {
  let ax = abs(x);
  var y0 = 0.0;
  var z = ax;
  if (ax > 2.414213562373095) { y0 = 1.5707963267948966; z = -1.0 / ax; }
  else if (ax > 0.41421356237309503) { y0 = 0.7853981633974483; z = (ax - 1.0) / (ax + 1.0); }
  let zz = z * z;
  let y = y0 + ((((8.05374449538e-2 * zz - 1.38776856032e-1) * zz + 1.99777106478e-1) * zz - 3.33329491539e-1) * zz * z + z);
  return select(y, -y, x < 0.0);
}`,
  },
  f_atan2: {
    deps: ["f_atan", "f_special"],
    code: `fn f_atan2(y: f32, x: f32) -> f32 {
  if (f_isnan(x) || f_isnan(y)) { return f_nan(); }
  let yneg = (bitcast<u32>(y) >> 31u) != 0u;
  let xneg = (bitcast<u32>(x) >> 31u) != 0u;
  var r: f32;
  if (y == 0.0) {
    r = select(0.0, 3.1415927, xneg);
  } else if (x == 0.0) {
    r = 1.5707964;
  } else if (f_isinf(x) && f_isinf(y)) {
    r = select(0.7853982, 2.3561945, xneg);
  } else {
    r = f_atan(abs(y) / abs(x));
    if (xneg) { r = 3.1415927 - r; }
  }
  return select(r, -r, yneg);
}`,
  },
  f_asin: {
    deps: ["f_atan2", "f_special"],
    // atan2(x, √((1 − x)(1 + x))): the factored form has no cancellation near ±1; NaN outside [−1, 1].
    code: `fn f_asin(x: f32) -> f32 {
  if (f_isnan(x) || abs(x) > 1.0) { return f_nan(); }
  return f_atan2(x, sqrt((1.0 - x) * (1.0 + x)));
}`,
  },
  f_acos: {
    deps: ["f_atan2", "f_special"],
    code: `fn f_acos(x: f32) -> f32 {
  if (f_isnan(x) || abs(x) > 1.0) { return f_nan(); }
  return f_atan2(sqrt((1.0 - x) * (1.0 + x)), x);
}`,
  },
  f_sinh: {
    deps: ["f_exp", "f_expm1", "f_special"],
    // Below 22: t = expm1(|x|), sinh = (t + t/(t + 1))/2 (no cancellation near 0); above,
    // (e^(|x|/2)/2)·e^(|x|/2), which reaches float32's largest values before overflowing.
    code: `fn f_sinh(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  let ax = abs(x);
  if (ax < 1e-4) { return x; }
  var r: f32;
  if (ax < 22.0) {
    let t = f_expm1(ax);
    r = 0.5 * (t + t / (t + 1.0));
  } else {
    let w = f_exp(0.5 * ax);
    r = (0.5 * w) * w;
  }
  return select(r, -r, x < 0.0);
}`,
  },
  f_cosh: {
    deps: ["f_exp", "f_special"],
    code: `fn f_cosh(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  let ax = abs(x);
  if (ax < 22.0) {
    let t = f_exp(ax);
    return 0.5 * t + 0.5 / t;
  }
  let w = f_exp(0.5 * ax);
  return (0.5 * w) * w;
}`,
  },
  f_asinh: {
    deps: ["f_log", "f_log1p", "f_special"],
    // log1p(|x| + x²/(1 + √(x² + 1))); beyond 4096, where x² + 1 rounds to x², log(2|x|) = log|x| + ln 2.
    code: `fn f_asinh(x: f32) -> f32 {
  if (f_isnan(x) || f_isinf(x)) { return x; }
  let ax = abs(x);
  if (ax < 1e-4) { return x; }
  var r: f32;
  if (ax > 4096.0) { r = f_log(ax) + 0.6931472; }
  else {
    let x2 = ax * ax;
    r = f_log1p(ax + x2 / (1.0 + sqrt(x2 + 1.0)));
  }
  return select(r, -r, x < 0.0);
}`,
  },
  f_acosh: {
    deps: ["f_log", "f_log1p", "f_special"],
    // log1p(t + √(t(t + 2))) with t = x − 1 (exact below 2^24); beyond 4096, log(2x).
    code: `fn f_acosh(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  if (x < 1.0) { return f_nan(); }
  if (f_isinf(x)) { return x; }
  if (x > 4096.0) { return f_log(x) + 0.6931472; }
  let t = x - 1.0;
  return f_log1p(t + sqrt(t * (t + 2.0)));
}`,
  },
  f_atanh: {
    deps: ["f_log1p", "f_special"],
    // log1p(2|x|/(1 − |x|))/2: ±Inf at ±1, NaN beyond.
    code: `fn f_atanh(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  let ax = abs(x);
  if (ax > 1.0) { return f_nan(); }
  if (ax < 1e-4) { return x; }
  var r: f32;
  if (ax == 1.0) { r = f_inf(); } else { r = 0.5 * f_log1p((ax + ax) / (1.0 - ax)); }
  return select(r, -r, x < 0.0);
}`,
  },
  f_erf_tail: {
    deps: ["f_exp"],
    // erfc(a) for 1.25 ≤ a (fdlibm's form): exp(−a² − 0.5625 + R/S)/a, with a² = z² − (z − a)(z + a)
    // where z keeps a's top 11 significand bits, so z² is exact.
    code: `fn f_erf_tail(a: f32) -> f32 {
  let t = 1.0 / (a * a);
  var rs: f32;
  if (a < 2.857142857) { rs = ${hornerWgsl(RA, "t")} / ${hornerWgsl(SA, "t")}; }
  else { rs = ${hornerWgsl(RB, "t")} / ${hornerWgsl(SB, "t")}; }
  let z = bitcast<f32>(bitcast<u32>(a) & 0xfffff000u);
  return f_exp(-z * z - 0.5625) * f_exp((z - a) * (z + a) + rs) / a;
}`,
  },
  f_erf: {
    deps: ["f_erf_tail", "f_special"],
    code: `fn f_erf(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  let a = abs(x);
  if (a < 0.84375) {
    let z = x * x;
    return x + x * (${hornerWgsl(PP, "z")} / ${hornerWgsl(QQ, "z")});
  }
  var r = 1.0;
  if (a < 1.25) {
    let s = a - 1.0;
    r = ${ERX} + ${hornerWgsl(PA, "s")} / ${hornerWgsl(QA, "s")};
  } else if (a < 6.0) {
    r = 1.0 - f_erf_tail(a);
  }
  return select(r, -r, x < 0.0);
}`,
  },
  f_erfc: {
    deps: ["f_erf_tail", "f_special"],
    code: `fn f_erfc(x: f32) -> f32 {
  if (f_isnan(x)) { return x; }
  let a = abs(x);
  if (a < 0.84375) {
    let z = x * x;
    let y = ${hornerWgsl(PP, "z")} / ${hornerWgsl(QQ, "z")};
    if (x < 0.25) { return 1.0 - (x + x * y); }
    return 0.5 - (x * y + (x - 0.5));
  }
  if (a < 1.25) {
    let s = a - 1.0;
    let p = ${hornerWgsl(PA, "s")} / ${hornerWgsl(QA, "s")};
    if (x >= 0.0) { return ${1 - ERX} - p; }
    return 1.0 + (${ERX} + p);
  }
  if (x <= -6.0) { return 2.0; }
  if (a >= 28.0) { return 0.0; }
  let r = f_erf_tail(a);
  return select(2.0 - r, r, x > 0.0);
}`,
  },
  f_hypot: {
    deps: ["f_special"],
    code: `fn f_hypot(a: f32, b: f32) -> f32 {
  let x = abs(a);
  let y = abs(b);
  if (f_isinf(x) || f_isinf(y)) { return f_inf(); }
  if (f_isnan(x) || f_isnan(y)) { return f_nan(); }
  let m = max(x, y);
  if (m == 0.0) { return 0.0; }
  let r = min(x, y) / m;
  return m * sqrt(1.0 + r * r);
}`,
  },
  c_mul: {
    deps: [],
    code: `fn c_mul(p: vec2<f32>, q: vec2<f32>) -> vec2<f32> { return vec2<f32>(p.x * q.x - p.y * q.y, p.x * q.y + p.y * q.x); }`,
  },
  c_div: {
    deps: ["f_div"],
    // Smith's algorithm (no overflow in |q|²).
    code: `fn c_div(p: vec2<f32>, q: vec2<f32>) -> vec2<f32> {
  if (q.x == 0.0 && q.y == 0.0) { return vec2<f32>(f_div(p.x, q.x), f_div(p.y, q.x)); }
  if (abs(q.x) >= abs(q.y)) {
    let r = q.y / q.x;
    let d = q.x + q.y * r;
    return vec2<f32>((p.x + p.y * r) / d, (p.y - p.x * r) / d);
  }
  let r = q.x / q.y;
  let d = q.x * r + q.y;
  return vec2<f32>((p.x * r + p.y) / d, (p.y * r - p.x) / d);
}`,
  },
  f_up64: {
    deps: [],
    // x·2^64, with subnormal x rebuilt from its bits (GPUs may flush subnormal operands).
    code: `fn f_up64(x: f32) -> f32 {
  let bits = bitcast<u32>(x);
  if ((bits & 0x7f800000u) == 0u) {
    let v = ldexp(f32(bits & 0x7fffffu), -85);
    return select(v, -v, (bits >> 31u) != 0u);
  }
  return ldexp(x, 64);
}`,
  },
  c_sqrt: {
    deps: ["f_hypot", "f_up64"],
    // Principal root (real part ≥ 0), without cancellation. Tiny inputs are scaled by 2^64 first
    // (and the root by 2^-32) so that no intermediate is subnormal.
    code: `fn c_sqrt_scaled(z: vec2<f32>) -> vec2<f32> {
  let m = f_hypot(z.x, z.y);
  if (m == 0.0) { return vec2<f32>(0.0, z.y); }
  if (z.x >= 0.0) {
    let t = sqrt((m + z.x) * 0.5);
    return vec2<f32>(t, z.y / (2.0 * t));
  }
  let t = sqrt((m - z.x) * 0.5);
  return vec2<f32>(abs(z.y) / (2.0 * t), select(t, -t, z.y < 0.0));
}
fn c_sqrt(z: vec2<f32>) -> vec2<f32> {
  if (max(abs(z.x), abs(z.y)) < 1e-30 && (z.x != 0.0 || z.y != 0.0)) {
    let r = c_sqrt_scaled(vec2<f32>(f_up64(z.x), f_up64(z.y)));
    return vec2<f32>(ldexp(r.x, -32), ldexp(r.y, -32));
  }
  return c_sqrt_scaled(z);
}`,
  },
  c_exp: {
    deps: ["f_exp", "f_sin", "f_cos"],
    code: `fn c_exp(z: vec2<f32>) -> vec2<f32> {
  let e = f_exp(z.x);
  if (z.y == 0.0) { return vec2<f32>(e, z.y); }
  return vec2<f32>(e * f_cos(z.y), e * f_sin(z.y));
}`,
  },
  c_log: {
    deps: ["f_log", "f_log1p", "f_atan2", "f_special", "f_up64"],
    // log|z| = log(m) + log1p((s/m)²)/2 with m, s the larger and smaller part: no overflow; tiny
    // inputs are scaled by 2^64 (the angle does not change).
    code: `fn c_log(z: vec2<f32>) -> vec2<f32> {
  var x = abs(z.x);
  var y = abs(z.y);
  var shift = 0.0;
  if (max(x, y) < 1e-30 && (x != 0.0 || y != 0.0)) { x = f_up64(x); y = f_up64(y); shift = -44.3614195558365; }
  let m = max(x, y);
  let s = min(x, y);
  var re: f32;
  if (f_isinf(x) || f_isinf(y)) { re = f_inf(); }
  else if (m == 0.0 || f_isnan(m)) { re = f_log(m); }
  else { let r = s / m; re = f_log(m) + 0.5 * f_log1p(r * r) + shift; }
  return vec2<f32>(re, f_atan2(select(y, -y, z.y < 0.0 || bitcast<u32>(z.y) == 0x80000000u), select(x, -x, z.x < 0.0 || bitcast<u32>(z.x) == 0x80000000u)));
}`,
  },
  c_recip: {
    deps: ["c_div"],
    code: `fn c_recip(z: vec2<f32>) -> vec2<f32> { return c_div(vec2<f32>(1.0, 0.0), z); }`,
  },
  f_max: {
    deps: ["f_special"],
    code: `fn f_max(a: f32, b: f32) -> f32 { if (f_isnan(a) || f_isnan(b)) { return f_nan(); } return max(a, b); }`,
  },
  f_min: {
    deps: ["f_special"],
    code: `fn f_min(a: f32, b: f32) -> f32 { if (f_isnan(a) || f_isnan(b)) { return f_nan(); } return min(a, b); }`,
  },
  i_floordiv: {
    deps: [],
    // Python semantics; division by zero gives 0 (documented in the README).
    code: `fn i_floordiv(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  if (b == -1) { return -a; }
  let q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) { return q - 1; }
  return q;
}`,
  },
  i_floormod: {
    deps: [],
    code: `fn i_floormod(a: i32, b: i32) -> i32 {
  if (b == 0 || b == -1) { return 0; }
  let r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) { return r + b; }
  return r;
}`,
  },
  i_pow: {
    deps: [],
    // Wrapping integer power; a negative exponent gives 1/a^|b| truncated (0 unless a is ±1).
    code: `fn i_pow(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) != 0); }
    return 0;
  }
  var r = 1;
  var base = a;
  var n = u32(b);
  loop {
    if (n == 0u) { break; }
    if ((n & 1u) == 1u) { r = r * base; }
    n = n >> 1u;
    base = base * base;
  }
  return r;
}`,
  },
};

/** The helper functions a program uses, emitted once each with their dependencies first. */
export class HelperSet {
  private readonly names: string[] = [];

  use(name: string): void {
    if (this.names.includes(name)) return;
    const h = HELPERS[name];
    if (!h) throw new Error(`unknown WGSL helper ${name}`);
    for (const d of h.deps) this.use(d);
    this.names.push(name);
  }

  /** Marks `name` used and returns it (for inline use in expressions). */
  call(name: string): string {
    this.use(name);
    return name;
  }

  /** One of the float64 basics that live in "d_core". */
  special64(name: "d_neg" | "d_abs"): string {
    this.use("d_core");
    return name;
  }

  /** One of the NaN/Inf helpers (they live together in "f_special"). */
  special(name: "f_isnan" | "f_isinf" | "f_nan" | "f_inf"): string {
    this.use("f_special");
    return name;
  }

  code(): string {
    return this.names.map((n) => HELPERS[n]!.code).join("\n");
  }
}
