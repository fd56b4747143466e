/**
 * Data for `fit`/`evaluate`/`predict` arranged like a model's inputs or outputs: one tensor, a list
 * (one per input/output) or a dict by name, converted to tensors and sliced into batches together.
 */
import type { DType } from "../dtypes.js";
import { ValueError } from "../errors.js";
import { tidy } from "../engine/tidy.js";
import { gather } from "../ops/gather.js";
import { slice } from "../ops/slice.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import { Tensor } from "../tensor/tensor.js";
import type { Nested } from "./nest.js";
import { flatten, isDict, mapStructure } from "./nest.js";

/** How a model's inputs (or outputs) are arranged; `null` when the model does not say (Sequential, subclassed). */
export type Layout = { kind: "single" } | { kind: "list"; names: readonly string[] } | { kind: "dict"; names: readonly string[] } | null;

/** Data a model is fitted on or predicts from: one array or tensor, a list of them, or a dict by input/output name. */
export type Data = TensorLike | readonly TensorLike[] | { readonly [name: string]: TensorLike };

const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;
const isNdArrayLike = (v: Record<string, unknown>): boolean => "data" in v && "shape" in v;

/** Tensors arranged as `layout` asks, plus those conversion made (the caller frees them). */
export interface Arranged {
  tensors: Nested<Tensor>;
  flat: Tensor[];
  owned: Tensor[];
}

/** Converts `value` to tensors arranged as `layout`; `what` names the data in errors ("x", "y"). */
export function arrange(value: unknown, layout: Layout, what: string, dtype?: DType): Arranged {
  const owned: Tensor[] = [];
  const one = (v: unknown): Tensor => {
    if (v instanceof Tensor) {
      v.throwIfDisposed(what);
      return v;
    }
    const t = toTensor(v as TensorLike, what, dtype);
    owned.push(t);
    return t;
  };
  try {
    let tensors: Nested<Tensor>;
    const kind = layout?.kind ?? guess(value);
    if (kind === "single") {
      // `[x]` for a model with one input, as Keras accepts.
      const v = Array.isArray(value) && value.length === 1 && value[0] instanceof Tensor ? value[0] : value;
      tensors = one(v);
    } else {
      const names: readonly string[] = layout && layout.kind !== "single" ? layout.names : Array.isArray(value) ? value.map((_, i) => String(i)) : Object.keys(value as object).sort();
      const count = `${names.length} ${what === "x" ? "inputs" : "outputs"}`;
      if (Array.isArray(value)) {
        if (value.length !== names.length) throw new ValueError(`${what}: the model has ${count} (${names.join(", ")}), but ${value.length} arrays were given`);
        const list = value.map(one);
        tensors = kind === "dict" && layout ? Object.fromEntries(names.map((n, i) => [n, list[i]!])) : list;
      } else if (isDict(value) && !isNdArrayLike(value)) {
        const keys = Object.keys(value);
        for (const n of names) {
          if (!Object.hasOwn(value, n)) throw new ValueError(`Missing data for ${what === "x" ? "input" : "output"} "${n}". You passed a data dictionary with keys [${keys.join(", ")}]. Expected the following keys: [${names.join(", ")}]`);
        }
        const extra = keys.filter((k) => !names.includes(k));
        if (extra.length) throw new ValueError(`${what}: unknown key(s) [${extra.join(", ")}] in the data dictionary. Expected the following keys: [${names.join(", ")}]`);
        const list = names.map((n) => one(value[n]));
        tensors = kind === "dict" ? Object.fromEntries(names.map((n, i) => [n, list[i]!])) : list;
      } else {
        throw new ValueError(`${what}: the model has ${count} (${names.join(", ")}); pass a list of ${names.length} arrays or a dict by name, got ${value instanceof Tensor ? "one tensor" : typeof value}`);
      }
    }
    return { tensors, flat: flatten(tensors, isTensor), owned };
  } catch (err) {
    for (const t of owned) t.dispose();
    throw err;
  }
}

/** The layout data has when the model does not say: a list or dict of tensors is several; anything else one. */
function guess(value: unknown): "single" | "list" | "dict" {
  if (Array.isArray(value) && value.length > 1 && value.every(isTensor)) return "list";
  if (isDict(value) && !isNdArrayLike(value) && Object.values(value).length > 0 && Object.values(value).every(isTensor)) return "dict";
  return "single";
}

/** Rows `[start, start + size)` of every tensor, or rows `perm[start …]` when shuffling. */
export function batchOf(t: Nested<Tensor>, perm: Tensor | null, start: number, size: number): Nested<Tensor> {
  return mapStructure(t, isTensor, (x) => {
    if (!perm) return slice(x, [start, ...x.shape.slice(1).map(() => 0)], [size, ...x.shape.slice(1).map(() => -1)]);
    return tidy(() => gather(x, slice(perm, [start], [size]), 0));
  });
}

/** Frees every tensor of a batch. */
export function disposeAll(t: Nested<Tensor>): void {
  for (const x of flatten(t, isTensor)) x.dispose();
}
