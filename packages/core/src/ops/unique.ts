/**
 * `tf.unique`, `tf.uniqueWithCounts` and `tf.setdiff1d`, with `…Async` forms. Their outputs' sizes
 * depend on the values, which are read to the host (as TensorFlow's CPU kernels work); the values
 * themselves are then gathered on the backend. Equality is TensorFlow's: `-0` equals `0`, and NaN
 * equals nothing (each NaN is its own value). No gradient, as in TensorFlow.
 */
import type { BackendValues, DType } from "../dtypes.js";
import { ENGINE } from "../engine/engine.js";
import { tidy } from "../engine/tidy.js";
import { InvalidArgumentError, opMessage } from "../errors.js";
import { optionKeys } from "../options.js";
import { describeDims } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { constant } from "./creation.js";
import { gather } from "./gather.js";
import { identity } from "./identity.js";
import { withTensors } from "./op-utils.js";
import { defineOp } from "./table/define.js";

/** Options of `tf.unique` and `tf.uniqueWithCounts`. */
export interface UniqueOptions {
  /** dtype of `idx` (and `count`): int32, the only integer dtype Tessera has (TensorFlow's `out_idx`). */
  outIdx?: "int32";
}
const UNIQUE_KEYS = optionKeys<UniqueOptions>()("outIdx");

/** Options of `tf.setdiff1d`. */
export interface Setdiff1dOptions {
  /** dtype of `idx`: int32 (TensorFlow's `index_dtype`). */
  indexDtype?: "int32";
}
const SETDIFF_KEYS = optionKeys<Setdiff1dOptions>()("indexDtype");

/** `tf.unique`'s result: the distinct values in order of first appearance, and each input's position among them. */
export interface UniqueResult {
  /** The distinct values, in order of first appearance. */
  y: Tensor;
  /** For each element of `x`, the position of its value in `y` (int32). */
  idx: Tensor;
}

/** `tf.uniqueWithCounts`'s result: `tf.unique`'s, and how often each distinct value appears. */
export interface UniqueWithCountsResult extends UniqueResult {
  /** How many elements of `x` have each value of `y` (int32). */
  count: Tensor;
}

/** `tf.setdiff1d`'s result: the values of `x` not in `y`, and their positions in `x`. */
export interface Setdiff1dResult {
  /** The values of `x` not in `y`, in their order in `x`. */
  out: Tensor;
  /** Their positions in `x` (int32). */
  idx: Tensor;
}

function checkIndexDtype(op: string, name: string, d: unknown): void {
  if (d !== undefined && d !== "int32") throw new InvalidArgumentError(opMessage(op, `${name} must be "int32", got ${JSON.stringify(d)}`));
}

function checkVector(op: string, name: string, t: Tensor): void {
  if (t.rank !== 1) throw new InvalidArgumentError(opMessage(op, `${name} should be a 1D vector, got shape ${describeDims(t.shape)}`));
}

/** A hash key per element, equal exactly when TensorFlow's equality holds. */
function keysOf(v: BackendValues, dtype: DType, n: number): unknown[] {
  const keys = new Array<unknown>(n);
  const num = (x: number): unknown => (Number.isNaN(x) ? Symbol("NaN") : x === 0 ? 0 : x);
  for (let i = 0; i < n; i++) {
    if (dtype === "string") keys[i] = (v as string[])[i];
    else if (dtype === "complex64") {
      const re = num((v as Float32Array)[2 * i]!), im = num((v as Float32Array)[2 * i + 1]!);
      keys[i] = typeof re === "symbol" || typeof im === "symbol" ? Symbol("NaN") : `${String(re)},${String(im)}`;
    } else keys[i] = num((v as ArrayLike<number>)[i]!);
  }
  return keys;
}

interface UniqueHost { first: number[]; idx: Int32Array; count: Int32Array }

function uniqueOnHost(v: BackendValues, dtype: DType, n: number): UniqueHost {
  const keys = keysOf(v, dtype, n);
  const pos = new Map<unknown, number>();
  const first: number[] = [];
  const counts: number[] = [];
  const idx = new Int32Array(n);
  keys.forEach((k, i) => {
    let p = pos.get(k);
    if (p === undefined) {
      p = first.length;
      pos.set(k, p);
      first.push(i);
      counts.push(0);
    }
    idx[i] = p;
    counts[p]!++;
  });
  return { first, idx, count: Int32Array.from(counts) };
}

/** The elements of `x` at `positions`, off every tape (these ops have no gradient). */
function pick(x: Tensor, positions: readonly number[]): Tensor {
  return ENGINE.untaped(() => tidy(() => gather(x, constant(Int32Array.from(positions)))));
}

function withVector<R>(x: TensorLike, op: string, options: UniqueOptions, fn: (t: Tensor) => R): R {
  checkIndexDtype(op, "outIdx", options.outIdx);
  const t = toTensor(x, op);
  const done = (): void => { if (t !== x) t.dispose(); };
  let r: R;
  try {
    checkVector(op, "x", t);
    r = fn(t);
  } catch (err) {
    done();
    throw err;
  }
  if (r instanceof Promise) return r.finally(done) as R;
  done();
  return r;
}

function uniqueResult(t: Tensor, h: UniqueHost, withCounts: boolean): UniqueWithCountsResult | UniqueResult {
  const y = pick(t, h.first);
  const idx = ENGINE.upload(h.idx, [h.idx.length], "int32");
  if (!withCounts) return { y, idx };
  return { y, idx, count: ENGINE.upload(h.count, [h.count.length], "int32") };
}

/**
 * The distinct values of the 1-D `x` in order of first appearance, and for each element of `x` the
 * position of its value among them (TensorFlow's `tf.unique`): `x = gather(y, idx)`. Any dtype;
 * `-0` equals `0`, each NaN is distinct. The output's size depends on the values, which are read
 * synchronously (on WebGPU in a browser use `tf.uniqueAsync`). No gradient.
 * `tf.unique([1, 1, 2, 4, 4, 4, 7, 8, 8])` → `{ y: [1, 2, 4, 7, 8], idx: [0, 0, 1, 2, 2, 2, 3, 4, 4] }`.
 */
export const unique = defineOp("unique", function unique(x: TensorLike, options: UniqueOptions = {}): UniqueResult {
  return withVector(x, "Unique", options, (t) => uniqueResult(t, uniqueOnHost(t.dataSync() as BackendValues, t.dtype, t.size), false));
}, { args: 2, options: UNIQUE_KEYS });

/** `tf.unique` that reads `x` with `await` (works on every backend, WebGPU in a browser included). */
export const uniqueAsync = defineOp("uniqueAsync", function uniqueAsync(x: TensorLike, options: UniqueOptions = {}): Promise<UniqueResult> {
  return withVector(x, "Unique", options, async (t) => uniqueResult(t, uniqueOnHost((await t.data()) as BackendValues, t.dtype, t.size), false));
}, { args: 2, options: UNIQUE_KEYS });

/**
 * `tf.unique`, plus `count`: how many elements of `x` have each distinct value (TensorFlow's
 * `tf.unique_with_counts`). The output's size depends on the values (read synchronously; see
 * `tf.uniqueWithCountsAsync`). No gradient.
 */
export const uniqueWithCounts = defineOp("uniqueWithCounts", function uniqueWithCounts(x: TensorLike, options: UniqueOptions = {}): UniqueWithCountsResult {
  return withVector(x, "UniqueWithCounts", options, (t) => uniqueResult(t, uniqueOnHost(t.dataSync() as BackendValues, t.dtype, t.size), true) as UniqueWithCountsResult);
}, { args: 2, options: UNIQUE_KEYS });

/** `tf.uniqueWithCounts` that reads `x` with `await` (works on every backend, WebGPU in a browser included). */
export const uniqueWithCountsAsync = defineOp("uniqueWithCountsAsync", function uniqueWithCountsAsync(x: TensorLike, options: UniqueOptions = {}): Promise<UniqueWithCountsResult> {
  return withVector(x, "UniqueWithCounts", options, async (t) => uniqueResult(t, uniqueOnHost((await t.data()) as BackendValues, t.dtype, t.size), true) as UniqueWithCountsResult);
}, { args: 2, options: UNIQUE_KEYS });

function setdiffOnHost(xv: BackendValues, yv: BackendValues, dtype: DType, nx: number, ny: number): number[] {
  const drop = new Set(keysOf(yv, dtype, ny));
  const keep: number[] = [];
  keysOf(xv, dtype, nx).forEach((k, i) => { if (!drop.has(k)) keep.push(i); });
  return keep;
}

function setdiffResult(x: Tensor, keep: number[]): Setdiff1dResult {
  return { out: pick(x, keep), idx: ENGINE.upload(Int32Array.from(keep), [keep.length], "int32") };
}

function checkSetdiff(x: Tensor, y: Tensor, options: Setdiff1dOptions): void {
  checkIndexDtype("ListDiff", "indexDtype", options.indexDtype);
  checkVector("ListDiff", "x", x);
  checkVector("ListDiff", "y", y);
}

/**
 * The values of the 1-D `x` that are not in the 1-D `y`, in their order in `x` and with their
 * repeats, and their positions in `x` (TensorFlow's `tf.compat.v1.setdiff1d`, TensorFlow.js's
 * `tf.setdiff1dAsync`): `out = gather(x, idx)`. `x` and `y` share a dtype (any). The output's size
 * depends on the values, which are read synchronously (on WebGPU in a browser use
 * `tf.setdiff1dAsync`). No gradient. `tf.setdiff1d([1, 2, 3, 4, 5, 6], [1, 3, 5])` →
 * `{ out: [2, 4, 6], idx: [1, 3, 5] }`.
 */
export const setdiff1d = defineOp("setdiff1d", function setdiff1d(x: TensorLike, y: TensorLike, options: Setdiff1dOptions = {}): Setdiff1dResult {
  return withTensors([x, y], "ListDiff", ([a, b]) => {
    checkSetdiff(a!, b!, options);
    return setdiffResult(a!, setdiffOnHost(a!.dataSync() as BackendValues, b!.dataSync() as BackendValues, a!.dtype, a!.size, b!.size));
  });
}, { args: 3, options: SETDIFF_KEYS });

/** `tf.setdiff1d` that reads its inputs with `await` (works on every backend, WebGPU in a browser included). */
export const setdiff1dAsync = defineOp("setdiff1dAsync", async function setdiff1dAsync(x: TensorLike, y: TensorLike, options: Setdiff1dOptions = {}): Promise<Setdiff1dResult> {
  // Convert both (a shared dtype), read, and release what conversion made.
  const made: Tensor[] = [];
  const [a, b] = withTensors([x, y], "ListDiff", ([p, q]) => {
    checkSetdiff(p!, q!, options);
    const keep = (t: Tensor, given: TensorLike): Tensor => {
      if (t === given) return t;
      const v = identity(t);
      made.push(v);
      return v;
    };
    return [keep(p!, x), keep(q!, y)] as const;
  });
  try {
    const [xv, yv] = await Promise.all([a.data(), b.data()]);
    return setdiffResult(a, setdiffOnHost(xv as BackendValues, yv as BackendValues, a.dtype, a.size, b.size));
  } finally {
    for (const t of made) t.dispose();
  }
}, { args: 3, options: SETDIFF_KEYS });
