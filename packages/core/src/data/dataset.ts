/**
 * `tf.data.Dataset`: a lazy, re-iterable pipeline of elements (tensors, tuples or dicts of them).
 * Each `for await` over a dataset starts a fresh pass. Memory: every element a pass yields belongs
 * to whoever receives it (dispose it, or let `fit` do it); transformations dispose what they drop
 * (filtered-out elements, the inputs of `map` and `batch`, buffered elements when a pass ends
 * early), so a pipeline run many times keeps `tf.memory().numTensors` flat.
 */
import { ValueError } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { tidy } from "../engine/tidy.js";
import { identity } from "../ops/identity.js";
import { reshape } from "../ops/reshape.js";
import { slice } from "../ops/slice.js";
import { gather } from "../ops/gather.js";
import { constant } from "../ops/creation.js";
import { optionKeys, checkOptions, checkArity } from "../options.js";
import { checkSeed, withRandomStream } from "../random/seed.js";
import { PhiloxStream } from "../random/philox.js";
import { permutationFrom } from "../random/permutation.js";
import { Tensor } from "../tensor/tensor.js";
import type { DType } from "../dtypes.js";
import { stackElements, unstackElement } from "./batching.js";
import type { Element, ElementLike } from "./structure.js";
import { describeElement, disposeElement, disposeExcept, flattenElement, packElement, structureKey, toElement } from "./structure.js";

/** `tf.data.AUTOTUNE`: let the pipeline pick a buffer size or parallelism. */
export const AUTOTUNE = -1;
/** `tf.data.INFINITE_CARDINALITY`: what `cardinality()` returns for a dataset that never ends. */
export const INFINITE_CARDINALITY = -1;
/** `tf.data.UNKNOWN_CARDINALITY`: what `cardinality()` returns when the length cannot be known without iterating. */
export const UNKNOWN_CARDINALITY = -2;

/** A transformation function: a tuple element is spread into positional arguments, as TF2's `map` does. */
export type ElementFn<T extends Element, R> = T extends readonly Element[] ? (...args: T) => R : (element: T) => R;

/** Options of `map`. */
export interface MapOptions {
  /** Accepted for TF2 compatibility (`tf.data.AUTOTUNE` or a count); elements are mapped in order. */
  numParallelCalls?: number;
  /** Accepted for TF2 compatibility; the order is always deterministic. */
  deterministic?: boolean;
}
const MAP_KEYS = optionKeys<MapOptions>()("numParallelCalls", "deterministic");

/** Options of `batch`. */
export interface BatchOptions extends RebatchOptions {
  /** Accepted for TF2 compatibility. */
  numParallelCalls?: number;
  /** Accepted for TF2 compatibility. */
  deterministic?: boolean;
}
const BATCH_KEYS = optionKeys<BatchOptions>()("dropRemainder", "numParallelCalls", "deterministic");

/** Options of `paddedBatch`. */
export interface PaddedBatchOptions extends RebatchOptions {
  /** The value shorter elements are padded with (default 0). */
  paddingValues?: number;
}
const PADDED_BATCH_KEYS = optionKeys<PaddedBatchOptions>()("paddingValues", "dropRemainder");

/** Options of `rebatch` (and, with more, of `batch` and `paddedBatch`). */
export interface RebatchOptions {
  /** Drop the last batch when it has fewer than `batchSize` elements (default false). */
  dropRemainder?: boolean;
}
const REBATCH_KEYS = optionKeys<RebatchOptions>()("dropRemainder");

/** Options of `shuffle`. */
export interface ShuffleOptions {
  /** Makes the order reproducible (combined with `tf.random.setSeed` as op seeds are). */
  seed?: number;
  /** A different order on every pass (default true); false repeats the first pass's order. */
  reshuffleEachIteration?: boolean;
}
const SHUFFLE_KEYS = optionKeys<ShuffleOptions>()("seed", "reshuffleEachIteration");

/** Options of `Dataset.range`. */
export interface RangeOptions {
  /** Default "int32". */
  dtype?: DType;
}
const RANGE_KEYS = optionKeys<RangeOptions>()("dtype");

/** Options of `enumerate`. */
export interface EnumerateOptions {
  /** The first index (default 0). */
  start?: number;
}
const ENUMERATE_KEYS = optionKeys<EnumerateOptions>()("start");

type Pass<T> = () => AsyncGenerator<T, void, undefined>;

/**
 * A dataset that is still the rows of in-memory tensors (`fromTensorSlices`, maybe then `shuffle` with a
 * buffer as large as the dataset): `batch` then cuts whole batches with one slice or gather per
 * component instead of slicing rows one by one and stacking them.
 */
interface Slices {
  source: Element;
  leaves: Tensor[];
  count: number;
  /** Shuffled with this seed (one permutation per pass), or in order. */
  shuffle: { seed: number; reshuffle: boolean; passes: number } | null;
}

function checkCount(v: unknown, what: string, allowMinusOne: boolean): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < (allowMinusOne ? -1 : 0)) {
    throw new ValueError(`${what} must be an integer ≥ ${allowMinusOne ? "-1 (-1: all)" : "0"}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function checkPositiveCount(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new ValueError(`${what} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

/** The tensors a transformation function returned, owned by the pipeline: fresh ones and inputs pass, others are copied. */
function adopt(out: unknown, input: Element, mark: number, op: string): Element {
  const made: Tensor[] = [];
  let e: Element;
  try {
    e = toElement(out, op, made);
  } catch (err) {
    throw new ValueError(`${op}: the function must return tensors (or tuples/dicts of them): ${(err as Error).message}`);
  }
  const inputs = new Set(flattenElement(input));
  const leaves = flattenElement(e);
  const seen = new Set<Tensor>();
  // A tensor the pipeline does not own (a constant captured from outside) or one returned twice is copied, so
  // disposing the element never frees someone else's tensor.
  const owned = leaves.map((t) => {
    const fresh = (t.id > mark || inputs.has(t)) && !seen.has(t);
    seen.add(t);
    return fresh ? t : identity(t);
  });
  return packElement(e, owned);
}

function isAsyncFunction(f: unknown): boolean {
  return typeof f === "function" && f.constructor?.name === "AsyncFunction";
}

/** Calls `fn` on an element (spreading a tuple) inside a tidy; an async function runs outside one. */
async function callOn<R>(fn: (...args: never[]) => R, e: Element): Promise<{ value: Awaited<R>; mark: number }> {
  const args = (Array.isArray(e) ? e : [e]) as never[];
  const mark = ENGINE.newTensorId();
  if (isAsyncFunction(fn)) return { value: await fn(...args), mark };
  const value = tidy(() => fn(...args) as never) as Awaited<R>;
  return { value, mark };
}

/** A seeded stream of random words for one pass of `shuffle`. */
function passStream(seed: number, pass: number): PhiloxStream {
  const u = BigInt.asUintN(64, BigInt(seed));
  return new PhiloxStream([Number(u & 0xffffffffn), Number(u >> 32n)], [pass >>> 0, 0x5d5f_0001]);
}

/**
 * A dataset: build one with `Dataset.fromTensorSlices`, `fromTensors`, `range`, `fromGenerator` or
 * `zip`, chain transformations, and iterate with `for await (const x of ds)` (or `toArray()`), or
 * pass it to `model.fit`/`evaluate`/`predict`.
 */
export class Dataset<T extends Element = Element> implements AsyncIterable<T> {
  /** @internal Use the static constructors. */
  constructor(
    private readonly pass: Pass<T>,
    private readonly size: number,
    private readonly slices: Slices | null = null,
  ) {}

  /** A fresh pass over the elements; each yielded element belongs to the caller. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.pass();
  }

  /**
   * The number of elements, or `tf.data.INFINITE_CARDINALITY` (-1) / `UNKNOWN_CARDINALITY` (-2)
   * (after `filter`, `fromGenerator`, `flatMap`).
   */
  cardinality(): number {
    return this.size;
  }

  // ------------------------------------------------------------------ sources

  /**
   * One element per row of the given tensors (sliced along their first axis): one tensor, a tuple
   * `[x, y]` or a dict `{ image, label }`, nested to any depth. Arrays of numbers are tensors;
   * an array holding tensors or dicts is a tuple. Tensors you pass stay yours; the rows are new.
   */
  static fromTensorSlices(tensors: ElementLike): Dataset {
    checkArity("data.Dataset.fromTensorSlices", arguments.length, 1);
    const made: Tensor[] = [];
    const source = toElement(tensors, "Dataset.fromTensorSlices", made);
    const leaves = flattenElement(source);
    const n = leaves[0]?.shape[0];
    if (leaves.some((t) => t.rank === 0) || leaves.some((t) => t.shape[0] !== n)) {
      for (const t of made) t.dispose();
      throw new ValueError(`Dataset.fromTensorSlices: every component needs the same first dimension (the number of elements), got ${describeElement(source)}`);
    }
    const count = n ?? 0;
    return new Dataset(async function* () {
      for (let i = 0; i < count; i++) {
        const row = tidy(() => leaves.map((t) => reshape(slice(t, [i, ...t.shape.slice(1).map(() => 0)], [1, ...t.shape.slice(1)]), t.shape.slice(1))));
        yield packElement(source, row);
      }
    }, count, { source, leaves, count, shuffle: null });
  }

  /** A dataset of one element: the given tensors, whole. */
  static fromTensors(tensors: ElementLike): Dataset {
    checkArity("data.Dataset.fromTensors", arguments.length, 1);
    const source = toElement(tensors, "Dataset.fromTensors", []);
    return new Dataset(async function* () {
      yield packElement(source, flattenElement(source).map((t) => identity(t)));
    }, 1);
  }

  /** Scalars `start, start + step, …` below `stop` (`range(stop)` starts at 0), as TF2's `Dataset.range`. */
  static range(start: number, stop?: number | RangeOptions, step?: number | RangeOptions, options?: RangeOptions): Dataset<Tensor> {
    const args = [start, stop, step, options];
    const optIndex = args.findIndex((a, i) => i > 0 && typeof a === "object" && a !== null);
    const opts = optIndex > 0 ? (args[optIndex] as RangeOptions) : undefined;
    const nums = (optIndex > 0 ? args.slice(0, optIndex) : args).filter((a) => a !== undefined) as unknown[];
    checkOptions("data.Dataset.range", opts, RANGE_KEYS);
    for (const a of nums) if (typeof a !== "number" || !Number.isFinite(a)) throw new ValueError(`Dataset.range: start, stop and step must be numbers, got ${JSON.stringify(a)}`);
    const [lo, hi, st] = nums.length === 1 ? [0, nums[0] as number, 1] : [nums[0] as number, nums[1] as number, (nums[2] as number | undefined) ?? 1];
    if (st === 0) throw new ValueError("Dataset.range: step must not be 0");
    const dtype = opts?.dtype ?? "int32";
    const count = Math.max(0, Math.ceil((hi - lo) / st));
    return new Dataset<Tensor>(async function* () {
      for (let i = 0; i < count; i++) yield constant(lo + i * st, dtype);
    }, count);
  }

  /**
   * Elements from a generator function (sync or async), called afresh for every pass. Each value it
   * yields is converted like `fromTensorSlices`'s argument; tensors it yields become the
   * pipeline's (yield a new tensor each time). Elements must keep one structure.
   */
  static fromGenerator(generator: () => Iterable<ElementLike> | AsyncIterable<ElementLike>): Dataset {
    checkArity("data.Dataset.fromGenerator", arguments.length, 1);
    if (typeof generator !== "function") throw new ValueError(`Dataset.fromGenerator expects a function that returns an iterator (a generator function), got ${typeof generator}`);
    return new Dataset(async function* () {
      const it = generator() as Iterable<ElementLike> | AsyncIterable<ElementLike>;
      if (it === null || typeof it !== "object" || (typeof (it as AsyncIterable<unknown>)[Symbol.asyncIterator] !== "function" && typeof (it as Iterable<unknown>)[Symbol.iterator] !== "function")) {
        throw new ValueError(`Dataset.fromGenerator: the generator function must return an iterator, got ${it === null ? "null" : typeof it}`);
      }
      let key: string | null = null;
      let i = 0;
      for await (const value of it as AsyncIterable<ElementLike>) {
        const made: Tensor[] = [];
        const e = toElement(value, "Dataset.fromGenerator", made);
        const k = structureKey(e);
        if (key === null) key = k;
        else if (k !== key) {
          disposeElement(e);
          throw new ValueError(`Dataset.fromGenerator: element ${i} has structure ${describeElement(e)}, unlike the elements before it`);
        }
        i++;
        yield e;
      }
    }, UNKNOWN_CARDINALITY);
  }

  /** Elements of several datasets side by side (a tuple, or a dict by name); ends with the shortest. */
  static zip(datasets: readonly Dataset[] | { readonly [key: string]: Dataset }): Dataset {
    checkArity("data.Dataset.zip", arguments.length, 1);
    const list = Array.isArray(datasets) ? (datasets as readonly Dataset[]) : Object.keys(datasets).sort().map((k) => (datasets as Record<string, Dataset>)[k]!);
    if (list.length === 0 || list.some((d) => !(d instanceof Dataset))) throw new ValueError("Dataset.zip expects a non-empty array (or dict) of datasets");
    const keys = Array.isArray(datasets) ? null : Object.keys(datasets).sort();
    const sizes = list.map((d) => d.size);
    const size = sizes.includes(UNKNOWN_CARDINALITY) ? UNKNOWN_CARDINALITY : sizes.every((s) => s === INFINITE_CARDINALITY) ? INFINITE_CARDINALITY : Math.min(...sizes.filter((s) => s >= 0));
    return new Dataset(async function* () {
      const its = list.map((d) => d[Symbol.asyncIterator]());
      try {
        for (;;) {
          const rs = await Promise.all(its.map((it) => it.next()));
          if (rs.some((r) => r.done)) {
            for (const r of rs) if (!r.done) disposeElement(r.value);
            return;
          }
          const parts = rs.map((r) => r.value as Element);
          yield keys ? Object.fromEntries(keys.map((k, i) => [k, parts[i]!])) : parts;
        }
      } finally {
        await Promise.all(its.map((it) => it.return?.()));
      }
    }, size);
  }

  // ------------------------------------------------------------------ transformations

  /** This dataset's elements, then `other`'s (they should have the same structure). */
  concatenate(other: Dataset<T>): Dataset<T> {
    if (!(other instanceof Dataset)) throw new ValueError("concatenate expects a Dataset");
    const [a, b] = [this.size, other.size];
    const size = a === INFINITE_CARDINALITY || b === INFINITE_CARDINALITY ? INFINITE_CARDINALITY : a < 0 || b < 0 ? UNKNOWN_CARDINALITY : a + b;
    const first = this.pass, second = other.pass;
    return new Dataset<T>(async function* () {
      yield* first();
      yield* second();
    }, size);
  }

  /**
   * `fn` applied to every element (a tuple is spread into arguments: `ds.map((x, y) => [f(x), y])`).
   * It runs inside a `tidy` (an async function runs as is; tidy its temporaries yourself); inputs
   * it does not return are disposed.
   */
  map<R extends ElementLike>(fn: ElementFn<T, R | Promise<R>>, options?: MapOptions): Dataset {
    checkOptions("data.Dataset.map", options, MAP_KEYS);
    if (typeof fn !== "function") throw new ValueError(`map expects a function, got ${typeof fn}`);
    const src = this.pass;
    return new Dataset(async function* () {
      for await (const e of src()) {
        let out: Element;
        try {
          const { value, mark } = await callOn(fn as (...a: never[]) => unknown, e);
          out = adopt(value, e, mark, "Dataset.map");
        } catch (err) {
          disposeElement(e);
          throw err;
        }
        disposeExcept(e, out);
        yield out;
      }
    }, this.size);
  }

  /** The elements for which `predicate` is true (a boolean, or a scalar bool/number tensor). */
  filter(predicate: ElementFn<T, boolean | Tensor | Promise<boolean | Tensor>>): Dataset<T> {
    if (typeof predicate !== "function") throw new ValueError(`filter expects a function, got ${typeof predicate}`);
    const src = this.pass;
    return new Dataset<T>(async function* () {
      for await (const e of src()) {
        let keepIt: boolean;
        try {
          const { value } = await callOn(predicate as (...a: never[]) => unknown, e);
          keepIt = await truth(value, e);
        } catch (err) {
          disposeElement(e);
          throw err;
        }
        if (keepIt) yield e;
        else disposeElement(e);
      }
    }, this.size === INFINITE_CARDINALITY ? INFINITE_CARDINALITY : UNKNOWN_CARDINALITY);
  }

  /** Consecutive elements stacked into batches of `batchSize` (the last one smaller unless `dropRemainder`). */
  batch(batchSize: number, options?: BatchOptions): Dataset {
    checkOptions("data.Dataset.batch", options, BATCH_KEYS);
    const n = checkPositiveCount(batchSize, "batch: batchSize");
    const drop = options?.dropRemainder ?? false;
    if (this.slices) return Dataset.batchSlices(this.slices, n, drop);
    return this.batchWith(n, drop, null, "Dataset.batch");
  }

  /** Whole batches cut from in-memory tensors: the same elements `batch` would stack, one op per component. */
  private static batchSlices(s: Slices, n: number, drop: boolean): Dataset {
    const size = drop ? Math.floor(s.count / n) : Math.ceil(s.count / n);
    const shuffle = s.shuffle;
    return new Dataset(async function* () {
      const perm = shuffle ? permutationFrom(s.count, passStream(shuffle.seed, shuffle.reshuffle ? shuffle.passes++ : 0)) : null;
      for (let start = 0; start < s.count; start += n) {
        const m = Math.min(n, s.count - start);
        if (drop && m < n) return;
        const parts = tidy(() => {
          const idx = perm ? constant(perm.subarray(start, start + m), "int32") : null;
          return s.leaves.map((t) => (idx ? gather(t, idx, 0) : slice(t, [start, ...t.shape.slice(1).map(() => 0)], [m, ...t.shape.slice(1)])));
        });
        yield packElement(s.source, parts);
      }
    }, size);
  }

  /** Like `batch`, padding each component at the end of its axes to the largest shape in the batch. */
  paddedBatch(batchSize: number, options?: PaddedBatchOptions): Dataset {
    checkOptions("data.Dataset.paddedBatch", options, PADDED_BATCH_KEYS);
    const value = options?.paddingValues ?? 0;
    if (typeof value !== "number") throw new ValueError(`paddedBatch: paddingValues must be a number, got ${JSON.stringify(value)}`);
    return this.batchWith(checkPositiveCount(batchSize, "paddedBatch: batchSize"), options?.dropRemainder ?? false, value, "Dataset.paddedBatch");
  }

  private batchWith(n: number, drop: boolean, padding: number | null, op: string): Dataset {
    const src = this.pass;
    const size = this.size < 0 ? this.size : drop ? Math.floor(this.size / n) : Math.ceil(this.size / n);
    return new Dataset(async function* () {
      let buf: Element[] = [];
      try {
        for await (const e of src()) {
          buf.push(e);
          if (buf.length === n) {
            const b = stackElements(buf, op, padding);
            for (const x of buf) disposeElement(x);
            buf = [];
            yield b;
          }
        }
        if (buf.length > 0 && !drop) {
          const b = stackElements(buf, op, padding);
          for (const x of buf) disposeElement(x);
          buf = [];
          yield b;
        }
      } finally {
        for (const x of buf) disposeElement(x);
      }
    }, size);
  }

  /** Splits each element along its first axis into that many elements (the inverse of `batch`). */
  unbatch(): Dataset {
    const src = this.pass;
    return new Dataset(async function* () {
      for await (const e of src()) {
        let rows: Element[];
        try {
          rows = unstackElement(e, "Dataset.unbatch");
        } finally {
          disposeElement(e);
        }
        let i = 0;
        try {
          for (; i < rows.length; i++) yield rows[i]!;
        } finally {
          for (let j = i + 1; j < rows.length; j++) disposeElement(rows[j]);
        }
      }
    }, this.size === INFINITE_CARDINALITY ? INFINITE_CARDINALITY : UNKNOWN_CARDINALITY);
  }

  /** The same elements in batches of `batchSize` (`unbatch().batch(batchSize)`). */
  rebatch(batchSize: number, options?: RebatchOptions): Dataset {
    checkOptions("data.Dataset.rebatch", options, REBATCH_KEYS);
    return this.unbatch().batch(batchSize, options?.dropRemainder === undefined ? undefined : { dropRemainder: options.dropRemainder });
  }

  /**
   * Elements in random order from a buffer of `bufferSize` (TF2's algorithm: a buffer as large as the
   * dataset gives a uniform shuffle). Seeded with `seed`; a new order each pass unless
   * `reshuffleEachIteration: false`.
   */
  shuffle(bufferSize: number, options?: ShuffleOptions): Dataset<T> {
    checkOptions("data.Dataset.shuffle", options, SHUFFLE_KEYS);
    const n = checkPositiveCount(bufferSize, "shuffle: bufferSize");
    const given = checkSeed(options?.seed, "Dataset.shuffle");
    // Without a seed, one is drawn now (reproducible under tf.random.setSeed).
    const seed = given ?? withRandomStream(undefined, "Dataset.shuffle", (s) => s.nextUint32() * 0x200000 + (s.nextUint32() & 0x1fffff));
    const reshuffle = options?.reshuffleEachIteration ?? true;
    const src = this.pass;
    let passes = 0;
    // A buffer holding the whole dataset is a uniform shuffle: in-memory rows keep their fast batching.
    const slices: Slices | null = this.slices && !this.slices.shuffle && n >= this.slices.count ? { ...this.slices, shuffle: { seed, reshuffle, passes: 0 } } : null;
    return new Dataset<T>(async function* () {
      const rng = passStream(seed, reshuffle ? passes++ : 0);
      const buf: T[] = [];
      try {
        for await (const e of src()) {
          if (buf.length < n) {
            buf.push(e);
            continue;
          }
          const j = rng.nextBelow(n);
          const out = buf[j]!;
          buf[j] = e;
          yield out;
        }
        while (buf.length > 0) {
          const j = rng.nextBelow(buf.length);
          const out = buf[j]!;
          buf[j] = buf[buf.length - 1]!;
          buf.pop();
          yield out;
        }
      } finally {
        for (const x of buf) disposeElement(x);
      }
    }, this.size, slices);
  }

  /** The dataset `count` times over (forever when `count` is left out or -1). */
  repeat(count = -1): Dataset<T> {
    checkCount(count, "repeat: count", true);
    const src = this.pass;
    const size = count === -1 ? (this.size === 0 ? 0 : INFINITE_CARDINALITY) : this.size < 0 ? this.size : this.size * count;
    return new Dataset<T>(async function* () {
      for (let k = 0; count === -1 || k < count; k++) {
        let any = false;
        for await (const e of src()) {
          any = true;
          yield e;
        }
        if (!any) return; // an empty dataset repeated forever is empty, not a hang
      }
    }, size);
  }

  /** The first `count` elements (all for -1). */
  take(count: number): Dataset<T> {
    checkCount(count, "take: count", true);
    const src = this.pass;
    const size = count === -1 ? this.size : this.size === UNKNOWN_CARDINALITY ? UNKNOWN_CARDINALITY : this.size === INFINITE_CARDINALITY ? count : Math.min(count, this.size);
    return new Dataset<T>(async function* () {
      if (count === 0) return;
      let i = 0;
      for await (const e of src()) {
        yield e;
        if (++i === count) return;
      }
    }, size);
  }

  /** All but the first `count` elements (-1 skips all). */
  skip(count: number): Dataset<T> {
    checkCount(count, "skip: count", true);
    const src = this.pass;
    const size = this.size < 0 ? this.size : count === -1 ? 0 : Math.max(0, this.size - count);
    return new Dataset<T>(async function* () {
      let i = 0;
      for await (const e of src()) {
        if (count === -1 || i++ < count) disposeElement(e);
        else yield e;
      }
    }, size);
  }

  /**
   * Keeps the elements of the first complete pass in memory and replays them afterwards (the dataset
   * holds those tensors from then on). A pass that stops early caches nothing.
   */
  cache(): Dataset<T> {
    const src = this.pass;
    let cached: T[] | null = null;
    return new Dataset<T>(async function* () {
      if (cached) {
        for (const e of cached) yield packElement(e, flattenElement(e).map((t) => identity(t))) as T;
        return;
      }
      const filling: T[] = [];
      let complete = false;
      try {
        for await (const e of src()) {
          filling.push(packElement(e, flattenElement(e).map((t) => identity(t))) as T);
          yield e;
        }
        complete = true;
      } finally {
        if (complete && !cached) cached = filling;
        else for (const e of filling) disposeElement(e);
      }
    }, this.size);
  }

  /** Pulls up to `bufferSize` elements ahead of the consumer (`tf.data.AUTOTUNE` picks 2). */
  prefetch(bufferSize: number): Dataset<T> {
    if (bufferSize !== AUTOTUNE) checkCount(bufferSize, "prefetch: bufferSize", false);
    const ahead = bufferSize === AUTOTUNE ? 2 : Math.max(1, bufferSize);
    const src = this.pass;
    return new Dataset<T>(async function* () {
      const it = src();
      const queue: Promise<IteratorResult<T, void>>[] = [];
      try {
        for (;;) {
          while (queue.length < ahead) queue.push(it.next());
          const r = await queue.shift()!;
          if (r.done) return;
          yield r.value;
        }
      } finally {
        for (const p of queue) {
          const r = await p.catch(() => ({ done: true, value: undefined }) as const);
          if (!r.done) disposeElement(r.value as T);
        }
        await it.return(undefined);
      }
    }, this.size);
  }

  /** Pairs `[index, element]` with an int32 scalar index counting from `start`. */
  enumerate(options?: EnumerateOptions): Dataset<[Tensor, T]> {
    checkOptions("data.Dataset.enumerate", options, ENUMERATE_KEYS);
    const start = options?.start ?? 0;
    if (!Number.isInteger(start)) throw new ValueError(`enumerate: start must be an integer, got ${JSON.stringify(start)}`);
    const src = this.pass;
    return new Dataset<[Tensor, T]>(async function* () {
      let i = start;
      for await (const e of src()) yield [constant(i++, "int32"), e];
    }, this.size);
  }

  /** The elements of the datasets `fn` returns for each element, one after another. */
  flatMap(fn: ElementFn<T, Dataset>): Dataset {
    if (typeof fn !== "function") throw new ValueError(`flatMap expects a function that returns a Dataset, got ${typeof fn}`);
    const src = this.pass;
    return new Dataset(async function* () {
      for await (const e of src()) {
        try {
          const { value } = await callOn(fn as (...a: never[]) => unknown, e);
          if (!(value instanceof Dataset)) throw new ValueError(`flatMap: the function must return a Dataset, got ${typeof value}`);
          yield* value.pass();
        } finally {
          disposeElement(e);
        }
      }
    }, this.size === INFINITE_CARDINALITY ? INFINITE_CARDINALITY : UNKNOWN_CARDINALITY);
  }

  /** Every element of one pass, in order (they are yours to dispose). Never ends on an infinite dataset. */
  async toArray(): Promise<T[]> {
    if (this.size === INFINITE_CARDINALITY) throw new ValueError("toArray: the dataset is infinite (use take(n) first)");
    const out: T[] = [];
    try {
      for await (const e of this) out.push(e);
    } catch (err) {
      for (const e of out) disposeElement(e);
      throw err;
    }
    return out;
  }

  /** Calls `fn` on every element of one pass, disposing each afterwards. */
  async forEach(fn: (element: T) => void | Promise<void>): Promise<void> {
    if (typeof fn !== "function") throw new ValueError(`forEach expects a function, got ${typeof fn}`);
    for await (const e of this) {
      try {
        await fn(e);
      } finally {
        disposeElement(e);
      }
    }
  }
}

async function truth(v: unknown, e: Element): Promise<boolean> {
  if (typeof v === "boolean") return v;
  if (v instanceof Tensor) {
    if (flattenElement(e).includes(v)) {
      if (v.size !== 1) throw new ValueError(`filter: the predicate must return a boolean or a scalar tensor, got a tensor of shape [${v.shape.join(", ")}]`);
      return Boolean((await v.data())[0]);
    }
    try {
      if (v.size !== 1) throw new ValueError(`filter: the predicate must return a boolean or a scalar tensor, got a tensor of shape [${v.shape.join(", ")}]`);
      return Boolean((await v.data())[0]);
    } finally {
      v.dispose();
    }
  }
  throw new ValueError(`filter: the predicate must return a boolean or a scalar tensor, got ${typeof v}`);
}
