/**
 * Strided slicing (`tf.stridedSlice` and `t.get("...")`) and mirror padding (`tf.pad` modes
 * REFLECT/SYMMETRIC, `tf.mirrorPad`) against host references written the way Python indexes lists.
 */
import * as tf from "@tessera/core";
import type { DType } from "@tessera/core/kernel";
import { shapeArb, valuesFor } from "../arbitraries.js";
import type { ConformanceContext } from "../context.js";
import type { HostTensor } from "../host.js";
import { sizeOf } from "../host.js";
import { FLOATS, describeOpCases, fc, opCase, ravel, unravel } from "./ops-harness.js";

const ALL: DType[] = [...FLOATS, "int32", "bool", "complex64", "string"];

/** One item of a Python subscript. */
type Item =
  | { kind: "int"; v: number }
  | { kind: "slice"; start?: number; stop?: number; step?: number }
  | { kind: "ellipsis" }
  | { kind: "newaxis" };

const text = (it: Item): string => {
  switch (it.kind) {
    case "int": return String(it.v);
    case "ellipsis": return "...";
    case "newaxis": return "newaxis";
    case "slice": return `${it.start ?? ""}:${it.stop ?? ""}${it.step === undefined ? "" : `:${it.step}`}`;
  }
};

/** An item that consumes an axis of size n. */
const axisItem = (n: number): fc.Arbitrary<Item> => {
  // Left-out bounds and steps other than 1 are common, so that most cases stride or reverse something.
  const bound = fc.option(fc.integer({ min: -n - 2, max: n + 2 }), { nil: undefined, freq: 2 });
  const slice = fc.record({ start: bound, stop: bound, step: fc.option(fc.constantFrom(-3, -2, -1, 1, 2, 3), { nil: undefined, freq: 3 }) })
    .map((s): Item => ({ kind: "slice", ...s }));
  return n > 0 ? fc.oneof({ arbitrary: slice, weight: 3 }, { arbitrary: fc.integer({ min: -n, max: n - 1 }).map((v): Item => ({ kind: "int", v })), weight: 1 }) : slice;
};

/**
 * A shape and a valid subscript for it: leading items (at least one), maybe an ellipsis, trailing
 * items, new axes anywhere. Half of the time the first item reverses axis 0 (of size ≥ 2), so that
 * every run of the property gathers.
 */
const subscriptArb = (shape: number[]): fc.Arbitrary<Item[]> =>
  fc.tuple(fc.integer({ min: 1, max: shape.length }), fc.boolean()).chain(([k, ellipsis]) =>
    fc.integer({ min: 0, max: ellipsis ? k - 1 : 0 }).chain((after) => {
      const reverse = fc.constant<Item>({ kind: "slice", step: -1 });
      const lead = shape.slice(0, k - after).map((n, i) => (i === 0 ? fc.oneof(axisItem(n), reverse) : axisItem(n)));
      const trail = shape.slice(shape.length - after).map(axisItem);
      return fc.tuple(fc.tuple(...lead), fc.tuple(...trail), fc.array(fc.integer({ min: 0, max: k + 1 }), { maxLength: 2 })).map(([l, t, nas]) => {
        const items: Item[] = [...l, ...(ellipsis ? [{ kind: "ellipsis" } as Item] : []), ...t];
        for (const at of nas) items.splice(Math.min(at, items.length), 0, { kind: "newaxis" });
        return items;
      });
    }));

/** The indices Python's `range(*slice(start, stop, step).indices(n))` walks. */
function pyRange(n: number, it: { start?: number; stop?: number; step?: number }): number[] {
  const step = it.step ?? 1;
  const clampIdx = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  const start = it.start === undefined ? (step > 0 ? 0 : n - 1) : step > 0 ? clampIdx(it.start, 0, n) : clampIdx(it.start, -1, n - 1);
  const stop = it.stop === undefined ? (step > 0 ? n : -1) : step > 0 ? clampIdx(it.stop, 0, n) : clampIdx(it.stop, -1, n - 1);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

/** `x[items]` as Python indexes nested lists. */
function indexRef(x: HostTensor, items: Item[]): HostTensor {
  const consumed = items.filter((i) => i.kind === "int" || i.kind === "slice").length;
  const full = items.some((i) => i.kind === "ellipsis") ? items : [...items, { kind: "ellipsis" } as Item];
  // Per input axis: the indices taken, and whether the axis stays in the output.
  const picks: number[][] = [];
  const outShape: number[] = [];
  const outAxisOf: (number | null)[] = []; // output axis → input axis (null: a new axis)
  let axis = 0;
  for (const it of full) {
    if (it.kind === "newaxis") { outShape.push(1); outAxisOf.push(null); }
    else if (it.kind === "ellipsis") {
      for (let k = 0; k < x.shape.length - consumed; k++, axis++) {
        picks.push([...Array(x.shape[axis]!).keys()]);
        outShape.push(x.shape[axis]!); outAxisOf.push(axis);
      }
    } else if (it.kind === "int") { picks.push([it.v < 0 ? it.v + x.shape[axis]! : it.v]); axis++; }
    else { const r = pyRange(x.shape[axis]!, it); picks.push(r); outShape.push(r.length); outAxisOf.push(axis); axis++; }
  }
  const per = x.dtype === "complex64" ? 2 : 1;
  const data: (number | string)[] = [];
  for (let f = 0; f < sizeOf(outShape); f++) {
    const o = unravel(f, outShape);
    const src = picks.map((p, a) => {
      const at = outAxisOf.indexOf(a);
      return at < 0 ? p[0]! : p[o[at]!]!;
    });
    const s = ravel(src, x.shape);
    for (let k = 0; k < per; k++) data.push(x.data[s * per + k]!);
  }
  return { dtype: x.dtype, shape: outShape, data: data as number[] | string[] };
}

/** stridedSlice's arguments for `items`, spelled out here independently of the parser. */
function stridedArgs(items: Item[]): { begin: number[]; end: number[]; strides: number[]; o: Required<tf.StridedSliceOptions> } {
  const o = { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 };
  const begin: number[] = [], end: number[] = [], strides: number[] = [];
  items.forEach((it, i) => {
    const b = 1 << i;
    if (it.kind === "int") { begin.push(it.v); end.push(it.v + 1); strides.push(1); o.shrinkAxisMask |= b; return; }
    if (it.kind === "slice") {
      begin.push(it.start ?? 0); end.push(it.stop ?? 0); strides.push(it.step ?? 1);
      if (it.start === undefined) o.beginMask |= b;
      if (it.stop === undefined) o.endMask |= b;
      return;
    }
    begin.push(0); end.push(0); strides.push(1);
    if (it.kind === "ellipsis") o.ellipsisMask |= b; else o.newAxisMask |= b;
  });
  return { begin, end, strides, o };
}

const stridedSlice = opCase<{ items: Item[] }>({
  name: "stridedSlice and Tensor.get", dtypes: ALL, kernels: ["Slice", "Gather"], tolOf: "Gather",
  arb: (d) => shapeArb({ minRank: 1, maxRank: 4, maxDim: 5, maxSize: 256 }).map((s) => [Math.max(2, s[0]!), ...s.slice(1)]).chain((shape) => fc.record({
    xs: fc.tuple(valuesFor(d, shape, { special: false })),
    p: fc.record({ items: subscriptArb(shape) }),
  })),
  run: ([x], p) => {
    const a = stridedArgs(p.items);
    return [x!.get(p.items.map(text).join(", ")), tf.stridedSlice(x!, a.begin, a.end, a.strides, a.o)];
  },
  ref: ([x], p) => { const r = indexRef(x!, p.items); return [r, r]; },
  show: (p) => `"${p.items.map(text).join(", ")}"`,
});

/** Indices of the mirrored line of length n padded by [before, after]: built by concatenation. */
function mirrorLine(n: number, before: number, after: number, reflect: boolean): number[] {
  const line = [...Array(n).keys()];
  const e = reflect ? 1 : 0;
  const head = line.slice(e, e + before).reverse();
  const tail = line.slice(n - e - after, n - e).reverse();
  return [...head, ...line, ...tail];
}

function mirrorRef(x: HostTensor, paddings: [number, number][], reflect: boolean): HostTensor {
  const lines = x.shape.map((n, i) => mirrorLine(n, paddings[i]![0], paddings[i]![1], reflect));
  const outShape = lines.map((l) => l.length);
  const per = x.dtype === "complex64" ? 2 : 1;
  const data: (number | string)[] = [];
  for (let f = 0; f < sizeOf(outShape); f++) {
    const s = ravel(unravel(f, outShape).map((v, a) => lines[a]![v]!), x.shape);
    for (let k = 0; k < per; k++) data.push(x.data[s * per + k]!);
  }
  return { dtype: x.dtype, shape: outShape, data: data as number[] | string[] };
}

const mirrorPad = opCase<{ paddings: [number, number][]; mode: "REFLECT" | "SYMMETRIC" }>({
  name: "pad REFLECT/SYMMETRIC and mirrorPad", dtypes: ALL, kernels: ["Gather"], tolOf: "Gather",
  // Axis 0 has size ≥ 2 and is padded before, so that every case gathers.
  arb: (d) => fc.tuple(shapeArb({ minRank: 1, maxRank: 3, maxDim: 4, zero: false }).map((s) => [Math.max(2, s[0]!), ...s.slice(1)]), fc.constantFrom<"REFLECT" | "SYMMETRIC">("REFLECT", "SYMMETRIC"))
    .chain(([shape, mode]) => fc.record({
      xs: fc.tuple(valuesFor(d, shape, { special: false })),
      p: fc.record({
        paddings: fc.tuple(...shape.map((n, i) => {
          const most = mode === "REFLECT" ? n - 1 : n;
          return fc.tuple(fc.integer({ min: i === 0 ? 1 : 0, max: most }), fc.integer({ min: 0, max: most }));
        })),
        mode: fc.constant(mode),
      }),
    })),
  run: ([x], p) => [tf.pad(x!, p.paddings, { mode: p.mode }), tf.mirrorPad(x!, p.paddings, p.mode === "REFLECT" ? "reflect" : "symmetric")],
  ref: ([x], p) => { const r = mirrorRef(x!, p.paddings, p.mode === "REFLECT"); return [r, r]; },
  show: (p) => `paddings ${JSON.stringify(p.paddings)}, mode ${p.mode}`,
});

export function describeOpsSlicing(ctx: ConformanceContext): void {
  describeOpCases(ctx, "strided slicing and mirror padding", [stridedSlice, mirrorPad]);
}
