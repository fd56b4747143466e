/**
 * Sorting and searching — sort, argsort, topK, searchsorted, lowerBound, upperBound — against host
 * references: a stable sort with NaN above +Inf, and std::lower_bound / std::upper_bound bisection.
 * Values mix NaN, ±Inf, -0 and small integers (so ties are common); shapes include empty rows.
 */
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { shapeArb, valuesFor } from "../arbitraries.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { sizeOf } from "../host.js";
import type { Expected } from "../compare.js";
import { FLOATS, describeOpCases, fc, linesAlong, num, opCase } from "./ops-harness.js";

const NUM: DType[] = [...FLOATS, "int32"];

/** Whether a comes strictly before b: NaN above +Inf, -0 equal to +0. */
function before(a: number, b: number, descending: boolean): boolean {
  const an = a !== a, bn = b !== b;
  if (an || bn) return descending ? an && !bn : bn && !an;
  return descending ? a > b : a < b;
}

/** Positions of `vals` in stable sort order. */
function order(vals: readonly number[], descending: boolean): number[] {
  return vals.map((_, i) => i).sort((i, j) => (before(vals[i]!, vals[j]!, descending) ? -1 : before(vals[j]!, vals[i]!, descending) ? 1 : i - j));
}

/** Values with many ties and special values half the time, ordinary ones otherwise. */
const sortValues = (d: DType, shape: number[]): fc.Arbitrary<HostTensor> =>
  fc.oneof(valuesFor(d, shape, { min: -4, max: 4, integer: true }), valuesFor(d, shape));

/** Small shapes of rank 1 to 3 (empty ones included), or a few long rows (past the js/wasm insertion buffer's k ≤ 16). */
const rowsArb = (maxDim: number): fc.Arbitrary<number[]> => fc.oneof(
  { arbitrary: shapeArb({ minRank: 1, maxRank: 3, maxDim }), weight: 3 },
  { arbitrary: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 17, max: 70 })).map(([r, n]) => [r, n]), weight: 1 },
);

interface AxisP { axis: number; descending: boolean }
const axisArb = (d: DType) => rowsArb(6).chain((shape) => fc.record({
  xs: fc.tuple(sortValues(d, shape)),
  p: fc.record({ axis: fc.integer({ min: -shape.length, max: shape.length - 1 }), descending: fc.boolean() }),
}));

function sortRef(x: HostTensor, p: AxisP, indices: boolean): Expected {
  const ax = p.axis < 0 ? p.axis + x.shape.length : p.axis;
  const data = new Array<number>(sizeOf(x.shape)).fill(0);
  const v = num(x);
  for (const line of linesAlong(x.shape, ax)) {
    const ord = order(line.map((f) => v[f]!), p.descending);
    ord.forEach((o, r) => { data[line[r]!] = indices ? o : v[line[o]!]!; });
  }
  return { dtype: indices ? "int32" : x.dtype, shape: [...x.shape], data };
}

const dir = (p: AxisP) => (p.descending ? "DESCENDING" : "ASCENDING");

const sort = opCase<AxisP>({
  name: "sort", dtypes: NUM, kernels: ["TopK", "Gather"], tolOf: "Gather",
  arb: axisArb,
  run: ([x], p) => tf.sort(x!, { axis: p.axis, direction: dir(p) }),
  ref: ([x], p) => sortRef(x!, p, false),
  show: (p) => `axis ${p.axis}, ${dir(p)}`,
});

const argsort = opCase<AxisP>({
  name: "argsort", dtypes: NUM, kernels: ["TopK"], tolOf: "TopK",
  arb: axisArb,
  run: ([x], p) => tf.argsort(x!, { axis: p.axis, direction: dir(p), stable: true }),
  ref: ([x], p) => sortRef(x!, p, true),
  show: (p) => `axis ${p.axis}, ${dir(p)}`,
});

interface TopKP { k: number }
const topK = opCase<TopKP>({
  name: "topK", dtypes: NUM, kernels: ["TopK", "Gather"], tolOf: "Gather",
  arb: (d) => rowsArb(7).chain((shape) => fc.record({
    xs: fc.tuple(sortValues(d, shape)),
    p: fc.record({ k: fc.integer({ min: 0, max: shape[shape.length - 1]! }) }),
  })),
  run: ([x], p) => { const r = tf.math.topK(x!, { k: p.k }); return [r.values, r.indices]; },
  ref: ([x], { k }) => {
    const n = x!.shape[x!.shape.length - 1]!;
    const rows = n === 0 ? sizeOf(x!.shape.slice(0, -1)) : sizeOf(x!.shape) / n;
    const v = num(x!);
    const values: number[] = [], indices: number[] = [];
    for (let r = 0; r < rows; r++) {
      const ord = order(v.slice(r * n, (r + 1) * n), true).slice(0, k);
      for (const o of ord) { values.push(v[r * n + o]!); indices.push(o); }
    }
    const shape = [...x!.shape.slice(0, -1), k];
    return [{ dtype: x!.dtype, shape, data: values }, { dtype: "int32", shape, data: indices }];
  },
  show: (p) => `k ${p.k}`,
});

/** std::lower_bound (right = false) / std::upper_bound (right = true) with IEEE comparisons. */
function bound(seq: readonly number[], v: number, right: boolean): number {
  let first = 0, count = seq.length;
  while (count > 0) {
    const step = count >> 1;
    const s = seq[first + step]!;
    if (right ? !(v < s) : s < v) { first += step + 1; count -= step + 1; } else count = step;
  }
  return first;
}

type Side = "left" | "right";
interface SearchP { side: Side; how: "searchsorted" | "bound" }
/** Sorted rows (NaN last, as tf.sort leaves them) and values that hit, miss and tie with them. */
const searchArb = (d: DType) => fc.tuple(shapeArb({ minRank: 0, maxRank: 2, maxDim: 3 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 5 }))
  .chain(([lead, n, m]) => fc.record({
    xs: fc.tuple(sortValues(d, [...lead, n]), sortValues(d, [...lead, m])).map(([s, v]) => {
      const data = num(s).slice();
      for (let r = 0; r * n < data.length; r++) {
        const row = data.slice(r * n, (r + 1) * n);
        order(row, false).forEach((o, i) => { data[r * n + i] = row[o]!; });
      }
      return [{ ...s, data }, v];
    }),
    p: fc.record({ side: fc.constantFrom<Side>("left", "right"), how: fc.constantFrom<SearchP["how"]>("searchsorted", "bound") }),
  }));

const searchsorted = opCase<SearchP>({
  name: "searchsorted / lowerBound / upperBound", dtypes: NUM, kernels: ["SearchSorted"], tolOf: "SearchSorted",
  arb: searchArb,
  run: ([s, v], p) => p.how === "searchsorted" ? tf.searchsorted(s!, v!, { side: p.side })
    : p.side === "left" ? tf.math.lowerBound(s!, v!) : tf.math.upperBound(s!, v!),
  ref: ([s, v], p) => {
    const n = s!.shape[s!.shape.length - 1]!, m = v!.shape[v!.shape.length - 1]!;
    const seq = num(s!), vals = num(v!);
    const data = vals.map((x, i) => { const r = Math.floor(i / m); return bound(seq.slice(r * n, (r + 1) * n), x, p.side === "right"); });
    return { dtype: "int32", shape: [...v!.shape], data };
  },
  show: (p) => `${p.how}, side ${p.side}`,
});

export function describeOpsSort(ctx: ConformanceContext): void {
  describeOpCases(ctx, "sort and search ops", [sort, argsort, topK, searchsorted]);
}
