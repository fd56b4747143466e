/**
 * TopK and SearchSorted.
 *
 * Both compare values through integer keys, so NaN, -0 and float64 (stored as its bits) behave the
 * same on every GPU: a float's bits map to an unsigned key in the value order (-0 taken as +0),
 * int32 flips its sign bit, and the keys are (hi, lo) word pairs (lo is 0 for 4-byte dtypes).
 *
 * TopK sorts each row by (key, position) with a bitonic sort in global memory: one pass writes the
 * keys of each row, padded to a power of two p with keys that sort last; log₂p·(log₂p + 1)/2
 * compare-exchange passes sort every row at once; a last pass copies the first k positions. NaN's key
 * is the largest (descending inverts every key, so NaN comes first there); positions break ties, so
 * equal values keep their order.
 *
 * SearchSorted runs std::lower_bound / std::upper_bound per value, one thread each, with IEEE `<`
 * (false when either side is NaN) built from the same keys.
 */
import type { DType, Kernels } from "@tessera/core/kernel";
import { kernelDtypeError } from "@tessera/core/kernel";
import type { WebGPUBackend } from "../backend.js";
import { UniformBuilder } from "../uniforms.js";
import { bindings, linearMain } from "../wgsl.js";

type SortDType = "float32" | "float64" | "int32";

/** Storage word type of one element, read as raw bits. */
const wordOf = (d: SortDType): string => (d === "float64" ? "vec2<u32>" : "u32");

/** WGSL: `is_nan(v)`, `okey(v)` (the order key as vec2(hi, lo)), `lt(a, b)` (IEEE a < b) and `sort_key(v)` (NaN largest). */
function keyHelpers(d: SortDType): string {
  const w = wordOf(d);
  const perType =
    d === "float32"
      ? `fn is_nan(b: u32) -> bool { return (b & 0x7fffffffu) > 0x7f800000u; }
fn okey(b: u32) -> vec2<u32> {
  let c = select(b, 0u, b == 0x80000000u);
  return vec2<u32>(select(c ^ 0x80000000u, ~c, (c >> 31u) == 1u), 0u);
}`
      : d === "int32"
        ? `fn is_nan(b: u32) -> bool { return false; }
fn okey(b: u32) -> vec2<u32> { return vec2<u32>(b ^ 0x80000000u, 0u); }`
        : `fn is_nan(v: vec2<u32>) -> bool {
  let ah = v.y & 0x7fffffffu;
  return ah > 0x7ff00000u || (ah == 0x7ff00000u && v.x != 0u);
}
fn okey(v: vec2<u32>) -> vec2<u32> {
  var h = v.y;
  if (((h & 0x7fffffffu) | v.x) == 0u) { h = 0u; }
  if ((h >> 31u) == 1u) { return vec2<u32>(~h, ~v.x); }
  return vec2<u32>(h ^ 0x80000000u, v.x);
}`;
  return `${perType}
fn key_lt(a: vec2<u32>, b: vec2<u32>) -> bool { return a.x < b.x || (a.x == b.x && a.y < b.y); }
fn lt(a: ${w}, b: ${w}) -> bool { return !is_nan(a) && !is_nan(b) && key_lt(okey(a), okey(b)); }
fn sort_key(v: ${w}) -> vec2<u32> {
  if (is_nan(v)) { return vec2<u32>(0xffffffffu, 0xffffffffu); }
  return okey(v);
}`;
}

function sortDType(op: string, d: DType): SortDType {
  if (d !== "float32" && d !== "float64" && d !== "int32") throw kernelDtypeError(op, d, "webgpu");
  return d;
}

export function sortKernels(b: WebGPUBackend): Pick<Kernels, "TopK" | "SearchSorted"> {
  return {
    TopK: ([xi], { k, descending }, out) =>
      b.runOp("TopK", () => {
        const op = "TopK";
        const d = sortDType(op, xi.dtype);
        const x = b.input(xi, op);
        const y = b.output(out, op);
        const [outer, n] = xi.shape as [number, number];
        if (outer * k === 0) return y;
        let p = 1;
        while (p < n) p *= 2;
        // Three words per element: key hi, key lo, position.
        const keys = b.temp("int32", outer * p * 3, op);
        try {
          const init = new UniformBuilder().u32("size", outer * p).u32("n", n).u32("p", p).u32("desc", descending ? 1 : 0);
          b.dispatch({
            op, key: `topk-keys|${d}`, numInputs: 1,
            wgsl: () => `${bindings([wordOf(d)], "u32", init)}
${keyHelpers(d)}
${linearMain(`  let row = i / u.p;
  let j = i % u.p;
  var kv = vec2<u32>(0xffffffffu, 0xffffffffu);
  var pos = 0xffffffffu;
  if (j < u.n) {
    kv = sort_key(in0[row * u.n + j]);
    if (u.desc == 1u) { kv = ~kv; }
    pos = j;
  }
  out[3u * i] = kv.x;
  out[3u * i + 1u] = kv.y;
  out[3u * i + 2u] = pos;`)}
`,
          }, [x], keys, init, b.grid(outer * p));
          const half = p / 2;
          for (let blk = 2; blk <= p; blk *= 2) {
            for (let stride = blk / 2; stride >= 1; stride /= 2) {
              const u = new UniformBuilder().u32("size", outer * half).u32("half", half).u32("p", p).u32("blk", blk).u32("stride", stride);
              b.dispatch({
                op, key: "topk-bitonic", numInputs: 0,
                wgsl: () => `${bindings([], "u32", u)}
fn after(a: u32, c: u32) -> bool {
  if (out[a] != out[c]) { return out[a] > out[c]; }
  if (out[a + 1u] != out[c + 1u]) { return out[a + 1u] > out[c + 1u]; }
  return out[a + 2u] > out[c + 2u];
}
${linearMain(`  let row = i / u.half;
  let t = i % u.half;
  let j = 2u * u.stride * (t / u.stride) + t % u.stride;
  let a = 3u * (row * u.p + j);
  let c = a + 3u * u.stride;
  let up = (j & u.blk) == 0u;
  if (after(a, c) == up) {
    for (var w = 0u; w < 3u; w = w + 1u) {
      let s = out[a + w];
      out[a + w] = out[c + w];
      out[c + w] = s;
    }
  }`)}
`,
              }, [], keys, u, b.grid(outer * half));
            }
          }
          const fin = new UniformBuilder().u32("size", outer * k).u32("k", k).u32("p", p);
          b.dispatch({
            op, key: "topk-take", numInputs: 1,
            wgsl: () => `${bindings(["u32"], "i32", fin)}
${linearMain(`  let row = i / u.k;
  let j = i % u.k;
  out[i] = i32(in0[3u * (row * u.p + j) + 2u]);`)}
`,
          }, [keys], y, fin, b.grid(outer * k));
        } finally {
          b.releaseTemp(keys);
        }
        return y;
      }),

    SearchSorted: ([si, vi], { side }, out) =>
      b.runOp("SearchSorted", () => {
        const op = "SearchSorted";
        const d = sortDType(op, si.dtype);
        const s = b.input(si, op);
        const v = b.input(vi, op);
        const y = b.output(out, op);
        const [outer, n] = si.shape as [number, number];
        const m = vi.shape[1]!;
        if (outer * m === 0) return y;
        const right = side === "right";
        const u = new UniformBuilder().u32("size", outer * m).u32("n", n).u32("m", m);
        // lower_bound moves right while seq[mid] < v; upper_bound while !(v < seq[mid]).
        const test = right ? "!lt(val, in0[base + first + step])" : "lt(in0[base + first + step], val)";
        b.dispatch({
          op, key: `searchsorted|${d}|${side}`, numInputs: 2,
          wgsl: () => `${bindings([wordOf(d), wordOf(d)], "i32", u)}
${keyHelpers(d)}
${linearMain(`  let row = i / u.m;
  let base = row * u.n;
  let val = in1[i];
  var first = 0u;
  var count = u.n;
  loop {
    if (count == 0u) { break; }
    let step = count / 2u;
    if (${test}) {
      first = first + step + 1u;
      count = count - step - 1u;
    } else {
      count = step;
    }
  }
  out[i] = i32(first);`)}
`,
        }, [s, v], y, u, b.grid(outer * m));
        return y;
      }),
  };
}
