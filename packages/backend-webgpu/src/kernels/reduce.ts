/**
 * Reductions over the middle axis of core's canonical [outer, n, inner] → [outer, inner].
 *
 * Two schedules: one workgroup per output (256 threads stride over n, then a tree in workgroup
 * memory) when the reduced rows are contiguous (inner = 1) or there are few outputs and long rows;
 * otherwise one thread per output looping over n, neighbouring threads reading neighbouring words.
 * The tree also sums in a better order than a serial loop.
 *
 * Max/Min propagate NaN; ArgMax/ArgMin return the first extreme, NaN counting as the extreme.
 * Empty reductions give the identity (0, 1, ∓Inf or INT32_MIN/MAX, true, false).
 */
import type { DType, Kernels, ReduceKernelName } from "@tessera/core/kernel";
import { kernelDtypeError, REDUCE_KERNELS } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import type { Program } from "../program-cache.js";
import { UniformBuilder } from "../uniforms.js";
import { HelperSet, bindings, storageType } from "../wgsl.js";
import type { StorageType } from "../wgsl.js";

const WG = 256;

interface ReduceSpec {
  /** Storage type of the input. */
  readonly t: StorageType;
  /** Type of the accumulator (the storage type, or a struct for float products). */
  readonly acc: string;
  /** Identity (WGSL expression of type acc). */
  readonly init: string;
  /** An input element as an accumulator. */
  readonly load: (v: string) => string;
  /** Combines two accumulators. */
  readonly combine: (a: string, b: string) => string;
  /** The output value of an accumulator. */
  readonly finish: (a: string) => string;
  /** Extra WGSL (types, functions). */
  readonly preamble: string;
  /** Arg reductions track an index and prefer `better(v, best)`. */
  readonly arg?: (v: string, best: string) => string;
}

/**
 * float32 products keep mantissa and exponent apart (m in [0.5, 1), e unbounded) plus NaN / zero /
 * Inf / sign flags, so that intermediate products neither underflow nor overflow: only the final
 * result is rounded to float32, as a float64 product would be. Subnormal inputs are decoded from
 * their bits.
 */
const PROD_F32 = `struct Prod { m: f32, e: i32, f: u32 }
fn prod_of(v: f32) -> Prod {
  let bits = bitcast<u32>(v);
  let s = (bits >> 28u) & 8u;
  let mag = bits & 0x7fffffffu;
  if (mag > 0x7f800000u) { return Prod(1.0, 0, 1u); }
  if (mag == 0x7f800000u) { return Prod(1.0, 0, 4u | s); }
  if (mag == 0u) { return Prod(1.0, 0, 2u | s); }
  var b = mag;
  var e = 0;
  if ((mag & 0x7f800000u) == 0u) { b = bitcast<u32>(f32(mag)); e = -149; }
  e = e + i32((b >> 23u) & 0xffu) - 126;
  return Prod(bitcast<f32>((b & 0x7fffffu) | 0x3f000000u), e, s);
}
fn prod_mul(a: Prod, b: Prod) -> Prod {
  let fr = frexp(a.m * b.m);
  return Prod(fr.fract, a.e + b.e + fr.exp, ((a.f | b.f) & 7u) | ((a.f ^ b.f) & 8u));
}
fn prod_final(p: Prod) -> f32 {
  if ((p.f & 1u) != 0u || (p.f & 6u) == 6u) { return f_nan(); }
  var r: f32;
  if ((p.f & 2u) != 0u) { r = 0.0; }
  else if ((p.f & 4u) != 0u || p.e > 128) { r = f_inf(); }
  else if (p.e < -150) { r = 0.0; }
  else { r = ldexp(p.m, p.e); }
  return select(r, -r, (p.f & 8u) != 0u);
}`;

function spec(op: ReduceKernelName, dtype: DType, h: HelperSet): ReduceSpec {
  const t = storageType(dtype, op);
  const bad = (): never => {
    throw kernelDtypeError(op, dtype, "webgpu");
  };
  if (t === "vec2<f32>" && op !== "Sum") bad();
  if (t === "vec2<u32>") {
    // float64: exact soft-float (wgsl-f64.ts).
    const plain64 = { t, acc: t, load: (v: string) => v, finish: (a: string) => a, preamble: "" };
    h.use("d_add");
    h.use("d_mul");
    h.use("d_cmp");
    switch (op) {
      case "Sum": return { ...plain64, init: "D_ZERO", combine: (a, b) => `d_add(${a}, ${b})` };
      case "Prod": return { ...plain64, init: "D_ONE", combine: (a, b) => `d_mul(${a}, ${b})` };
      case "Max": return { ...plain64, init: "vec2<u32>(0u, 0xfff00000u)", combine: (a, b) => `d_max(${a}, ${b})` };
      case "Min": return { ...plain64, init: "vec2<u32>(0u, 0x7ff00000u)", combine: (a, b) => `d_min(${a}, ${b})` };
      case "ArgMax":
      case "ArgMin":
        return {
          ...plain64,
          init: "D_ZERO",
          combine: (a) => a,
          arg: (v, best) => `((d_isnan(${v}) && !d_isnan(${best})) || ${op === "ArgMax" ? `d_lt(${best}, ${v})` : `d_lt(${v}, ${best})`})`,
        };
      default: bad();
    }
  }
  const isF = t === "f32";
  if (isF) h.use("f_special");
  const plain = { t, acc: t, load: (v: string) => v, finish: (a: string) => a, preamble: "" };
  switch (op) {
    case "Sum":
      if (t === "u32") bad();
      return { ...plain, init: t === "vec2<f32>" ? "vec2<f32>(0.0)" : isF ? "0.0" : "0", combine: (a, b) => `${a} + ${b}` };
    case "Prod":
      if (t === "u32") bad();
      if (isF) {
        return { t, acc: "Prod", init: "Prod(1.0, 0, 0u)", load: (v) => `prod_of(${v})`, combine: (a, b) => `prod_mul(${a}, ${b})`, finish: (a) => `prod_final(${a})`, preamble: PROD_F32 };
      }
      return { ...plain, init: "1", combine: (a, b) => `${a} * ${b}` };
    case "Max":
      if (t === "u32") bad();
      return isF
        ? { ...plain, init: "-f_inf()", combine: (a, b) => `select(select(max(${a}, ${b}), ${b}, f_isnan(${b})), ${a}, f_isnan(${a}))` }
        : { ...plain, init: "i32(-2147483647 - 1)", combine: (a, b) => `max(${a}, ${b})` };
    case "Min":
      if (t === "u32") bad();
      return isF
        ? { ...plain, init: "f_inf()", combine: (a, b) => `select(select(min(${a}, ${b}), ${b}, f_isnan(${b})), ${a}, f_isnan(${a}))` }
        : { ...plain, init: "2147483647", combine: (a, b) => `min(${a}, ${b})` };
    case "All":
      if (t !== "u32") bad();
      return { ...plain, init: "1u", combine: (a, b) => `(${a} & ${b})` };
    case "Any":
      if (t !== "u32") bad();
      return { ...plain, init: "0u", combine: (a, b) => `(${a} | ${b})` };
    case "ArgMax":
    case "ArgMin": {
      if (t === "u32") bad();
      const cmp = op === "ArgMax" ? ">" : "<";
      return {
        ...plain,
        init: isF ? "0.0" : "0",
        combine: (a) => a,
        arg: isF ? (v, best) => `((f_isnan(${v}) && !f_isnan(${best})) || (${v} ${cmp} ${best}))` : (v, best) => `(${v} ${cmp} ${best})`,
      };
    }
  }
}

/** One workgroup per output: threads stride over the row, then reduce in workgroup memory. */
function workgroupProgram(op: ReduceKernelName, dtype: DType, u: UniformBuilder): Program {
  return {
    op,
    key: `reduce-wg|${op}|${dtype}`,
    numInputs: 1,
    wgsl: () => {
      const h = new HelperSet();
      const s = spec(op, dtype, h);
      const outT = s.arg ? "i32" : s.t;
      const load = (j: string): string => `in0[(o * u.n + ${j}) * u.inner + k]`;
      const loadAcc = (j: string): string => s.load(load(j));
      let body: string;
      if (s.arg) {
        // Index u.n means "none yet"; ties keep the lower index.
        body = `
  var best: ${s.t} = ${s.init};
  var bi = u.n;
  for (var j = lid; j < u.n; j = j + ${WG}u) {
    let v = ${load("j")};
    if (bi == u.n || ${s.arg("v", "best")}) { best = v; bi = j; }
  }
  sv[lid] = best;
  si[lid] = bi;
  workgroupBarrier();
  for (var w = ${WG / 2}u; w > 0u; w = w >> 1u) {
    if (lid < w) {
      let v = sv[lid + w];
      let vi = si[lid + w];
      let b = sv[lid];
      let bix = si[lid];
      if (vi != u.n && (bix == u.n || ${s.arg("v", "b")} || (!(${s.arg("b", "v")}) && vi < bix))) { sv[lid] = v; si[lid] = vi; }
    }
    workgroupBarrier();
  }
  if (lid == 0u) { out[row] = i32(si[0]); }`;
      } else {
        body = `
  var acc: ${s.acc} = ${s.init};
  for (var j = lid; j < u.n; j = j + ${WG}u) {
    acc = ${s.combine("acc", loadAcc("j"))};
  }
  sv[lid] = acc;
  workgroupBarrier();
  for (var w = ${WG / 2}u; w > 0u; w = w >> 1u) {
    if (lid < w) { sv[lid] = ${s.combine("sv[lid]", "sv[lid + w]")}; }
    workgroupBarrier();
  }
  if (lid == 0u) { out[row] = ${s.finish("sv[0]")}; }`;
      }
      return `${bindings([s.t], outT, u)}
${h.code()}
${s.preamble}
var<workgroup> sv: array<${s.arg ? s.t : s.acc}, ${WG}>;
${s.arg ? `var<workgroup> si: array<u32, ${WG}>;` : ""}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= u.rows) { return; }
  let o = row / u.inner;
  let k = row % u.inner;
${body}
}
`;
    },
  };
}

/** One thread per output, looping over the row. */
function threadProgram(op: ReduceKernelName, dtype: DType, u: UniformBuilder): Program {
  return {
    op,
    key: `reduce-thread|${op}|${dtype}`,
    numInputs: 1,
    wgsl: () => {
      const h = new HelperSet();
      const s = spec(op, dtype, h);
      const outT = s.arg ? "i32" : s.t;
      const load = "in0[(o * u.n + j) * u.inner + k]";
      const body = s.arg
        ? `  var best: ${s.t} = ${load.replace("+ j)", "+ 0u)")};
  var bi = 0u;
  for (var j = 1u; j < u.n; j = j + 1u) {
    let v = ${load};
    if (${s.arg("v", "best")}) { best = v; bi = j; }
  }
  out[row] = i32(bi);`
        : `  var acc: ${s.acc} = ${s.init};
  for (var j = 0u; j < u.n; j = j + 1u) { acc = ${s.combine("acc", s.load(load))}; }
  out[row] = ${s.finish("acc")};`;
      return `${bindings([s.t], outT, u)}
${h.code()}
${s.preamble}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = (wid.y * nwg.x + wid.x) * 64u + lid;
  if (row >= u.rows) { return; }
  let o = row / u.inner;
  let k = row % u.inner;
${body}
}
`;
    },
  };
}

export function reduceKernels(b: WebGPUBackend): Partial<Kernels> {
  const kernels: Partial<Kernels> = {};
  for (const op of REDUCE_KERNELS) {
    kernels[op] = (inputs, _attrs, out) =>
      b.runOp(op, () => {
        const xi = inputs[0];
        const [outer, n, inner] = xi.shape as [number, number, number];
        const x = b.input(xi, op);
        const y = b.output(out, op);
        const rows = outer * inner;
        if (rows === 0) return y;
        const u = new UniformBuilder().u32("rows", rows).u32("n", n).u32("inner", inner);
        // float64 products run serially in index order: IEEE products are order-dependent at the
        // edges (an intermediate underflow), and this order is the one a CPU loop uses.
        const serial = op === "Prod" && xi.dtype === "float64";
        const perWorkgroup = !serial && n > 0 && (inner === 1 || (rows <= 4096 && n >= 256));
        if (perWorkgroup) b.dispatch(workgroupProgram(op, xi.dtype, u), [x], y, u, b.grid(rows, 1));
        else b.dispatch(threadProgram(op, xi.dtype, u), [x], y, u, b.grid(rows, 64));
        return y;
      });
  }
  return kernels;
}
