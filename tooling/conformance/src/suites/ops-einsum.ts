/** `tf.einsum` against a brute-force float64 reference over a set of equations (matmul, batch, outer, traces of products, reductions, ellipsis, three operands). */
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { valuesFor } from "../arbitraries.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { FLOATS, describeOpCases, fc, num, opCase, ravel, store } from "./ops-harness.js";

/** Equations in explicit form (letters only, so the reference can read them) and the size of each letter. */
const EQUATIONS: { eq: string; call?: string }[] = [
  { eq: "ij,jk->ik" }, { eq: "bij,bjk->bik" }, { eq: "i,j->ij" }, { eq: "ij,ij->" }, { eq: "ij->ji" }, { eq: "ijk->j" },
  { eq: "ij,jk,kl->il" }, { eq: "bi,bj->bij" }, { eq: "abc,cd->dba" }, { eq: "ij,kj->ik", call: "ij,kj" }, { eq: "ij,i->j" },
  { eq: "bij,bjk->bik", call: "...ij,...jk->...ik" },
];

const SIZES: Record<string, number> = { a: 2, b: 2, c: 3, d: 2, i: 3, j: 4, k: 2, l: 3 };

function reference(eq: string, xs: HostTensor[], dtype: DType) {
  const [lhs, rhs] = eq.split("->") as [string, string];
  const terms = lhs.split(",");
  const letters = [...new Set([...lhs.replace(/,/g, "")])];
  const shape = [...rhs].map((l) => SIZES[l]!);
  const n = shape.reduce((a, b) => a * b, 1);
  const data: number[] = [], scale: number[] = [];
  for (let f = 0; f < n; f++) {
    const fixed = new Map<string, number>();
    let r = f;
    for (let q = rhs.length - 1; q >= 0; q--) { fixed.set(rhs[q]!, r % shape[q]!); r = Math.floor(r / shape[q]!); }
    const free = letters.filter((l) => !fixed.has(l));
    const total = free.reduce((a, l) => a * SIZES[l]!, 1);
    let s = 0, m = 0;
    for (let g = 0; g < total; g++) {
      const val = new Map(fixed);
      let rr = g;
      for (let q = free.length - 1; q >= 0; q--) { val.set(free[q]!, rr % SIZES[free[q]!]!); rr = Math.floor(rr / SIZES[free[q]!]!); }
      let p = 1;
      terms.forEach((t, k) => { p *= num(xs[k]!)[ravel([...t].map((l) => val.get(l)!), xs[k]!.shape)]!; });
      s += p;
      m += Math.abs(p);
    }
    data.push(store(dtype, s));
    scale.push(m);
  }
  return { dtype, shape, data, scale };
}

const einsum = opCase<{ eq: string; call: string }>({
  name: "einsum", dtypes: [...FLOATS, "int32"], kernels: ["BatchMatMul"], tolOf: "BatchMatMul",
  arb: (d) => fc.constantFrom(...EQUATIONS).chain(({ eq, call }) => {
    const terms = eq.split("->")[0]!.split(",");
    const dom = { min: -5, max: 5, special: false, integer: d === "int32" };
    return fc.record({ xs: fc.tuple(...terms.map((t) => valuesFor(d, [...t].map((l) => SIZES[l]!), dom))), p: fc.constant({ eq, call: call ?? eq }) });
  }),
  run: (xs, p) => tf.einsum(p.call, ...xs),
  ref: (xs, p) => reference(p.eq, xs, xs[0]!.dtype),
  show: (p) => `'${p.call}'`,
});

export function describeOpsEinsum(ctx: ConformanceContext): void {
  describeOpCases(ctx, "einsum", [einsum]);
}
