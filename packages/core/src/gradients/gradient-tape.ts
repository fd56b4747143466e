/** `tf.GradientTape`: TensorFlow 2's tape, spelled the TypeScript way. */
import type { DType } from "../dtypes.js";
import { ValueError } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { describeDims, shapesEqual } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import { Tensor } from "../tensor/tensor.js";
import type { Variable } from "../tensor/variable.js";
import { ones, zeros } from "../ops/creation.js";
import { isDifferentiableDtype } from "./grad-utils.js";
import { jacobianOf } from "./jacobian.js";
import { storeFinalizer } from "./saved-tensors.js";
import { Tape } from "./tape.js";
import { checkOptions, optionKeys } from "../options.js";

/** Options of `new tf.GradientTape(options)`. */
export interface GradientTapeOptions {
  /** Allow several `gradient`/`jacobian` calls; the tape then keeps its tensors until `dispose()` (default false). */
  persistent?: boolean;
  /** Watch trainable Variables automatically when ops read them inside `record` (default true). */
  watchAccessedVariables?: boolean;
}

/** What a source that the target does not depend on gets: `"none"` → null (default), `"zero"` → zeros. */
export type UnconnectedGradients = "none" | "zero";

/** Options of `tape.gradient`. */
export interface GradientOptions {
  /**
   * The gradient flowing into the target (one per target), default ones: the result is then the
   * gradient of the sum of the target's elements.
   */
  outputGradients?: TensorLike | readonly TensorLike[];
  unconnectedGradients?: UnconnectedGradients;
}

/** Options of `tape.jacobian`. */
export interface JacobianOptions {
  unconnectedGradients?: UnconnectedGradients;
}

/** Sources of a gradient: one tensor or Variable, an array of them, or an object of them. */
export type GradientSources = Tensor | readonly Tensor[] | { readonly [key: string]: Tensor };

/** The result of `gradient`/`jacobian`: the sources' structure with `G` in place of each source. */
export type GradientResult<S, G> = S extends Tensor ? G : { -readonly [K in keyof S]: G };

const warnedDtypes = new Set<DType>();

/** TensorFlow warns (once) when a non-floating tensor is watched or used as a source; so do we. */
function warnNonFloat(dtype: DType, where: string): void {
  if (warnedDtypes.has(dtype)) return;
  warnedDtypes.add(dtype);
  console.warn(
    `GradientTape.${where}: the dtype of a watched tensor or gradient source must be floating or complex (float32, float64, complex64), got ${dtype}; its gradient is null. Cast it with tf.cast(x, "float32") first.`,
  );
}

function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === "function" && (fn as { constructor?: { name?: string } }).constructor?.name === "AsyncFunction";
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === "object" && x !== null && typeof (x as { then?: unknown }).then === "function";
}

const asyncMessage =
  "GradientTape.record records synchronously: pass a function that is not async and returns no Promise (ops after an await would run outside the tape). Await your data before record(), or call record() inside the async code.";

/** Flattens a structure of tensors, naming the bad entry. */
function flatten(x: unknown, what: string, method: string): { list: Tensor[]; rebuild: <G>(values: G[]) => unknown } {
  const bad = (where: string, v: unknown): ValueError =>
    new ValueError(
      `GradientTape.${method}: ${what} must be tensors or Variables (one, an array, or an object of them); ${where} is ${v === null ? "null" : Array.isArray(v) ? "an array" : typeof v}`,
    );
  if (x instanceof Tensor) return { list: [x], rebuild: (values) => values[0] };
  if (Array.isArray(x)) {
    x.forEach((v, i) => {
      if (!(v instanceof Tensor)) throw bad(`${what}[${i}]`, v);
    });
    return { list: x.slice() as Tensor[], rebuild: (values) => values };
  }
  if (typeof x === "object" && x !== null && Object.getPrototypeOf(x) === Object.prototype) {
    const keys = Object.keys(x);
    const list = keys.map((k) => {
      const v = (x as Record<string, unknown>)[k];
      if (!(v instanceof Tensor)) throw bad(`${what}.${k}`, v);
      return v;
    });
    return {
      list,
      rebuild: (values) => Object.fromEntries(keys.map((k, i) => [k, values[i]])),
    };
  }
  throw bad(what, x);
}

const TAPE_KEYS = optionKeys<GradientTapeOptions>()("persistent", "watchAccessedVariables");
const GRADIENT_KEYS = optionKeys<GradientOptions>()("outputGradients", "unconnectedGradients");
const JACOBIAN_KEYS = optionKeys<JacobianOptions>()("unconnectedGradients");

/**
 * Records operations for automatic differentiation, as TensorFlow 2's `tf.GradientTape`:
 *
 * ```ts
 * const x = tf.constant(3.0);
 * const tape = new tf.GradientTape();
 * const y = tape.record(() => {
 *   tape.watch(x);
 *   return x.mul(x);
 * });
 * tape.gradient(y, x); // 6
 * ```
 *
 * Trainable Variables read inside `record` are watched automatically; other tensors need `watch`.
 * Tapes nest, and a gradient computed inside an outer tape's `record` is recorded there, so gradients
 * of gradients work to any order. A non-persistent tape answers one `gradient` (or `jacobian`) call
 * and then frees what it kept; a persistent one keeps it until `dispose()`.
 */
export class GradientTape {
  readonly persistent: boolean;
  readonly watchAccessedVariables: boolean;
  private tape: Tape;
  private recording = 0;
  private used = false;
  private disposed = false;
  /** Tensor ids made during `record` calls: (first, last) per call. */
  private readonly intervals: [number, number][] = [];
  /** The first id of the `record` call in progress (ids above it were made inside it). */
  private openedAt = -1;

  constructor(options: GradientTapeOptions = {}) {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw new ValueError(`tf.GradientTape expects an options object { persistent?, watchAccessedVariables? }, got ${JSON.stringify(options)}`);
    }
    checkOptions("GradientTape", options, TAPE_KEYS);
    this.persistent = options.persistent ?? false;
    this.watchAccessedVariables = options.watchAccessedVariables ?? true;
    this.tape = new Tape(this.watchAccessedVariables);
    storeFinalizer.register(this, this.tape.store, this);
  }

  private checkUsable(method: string): void {
    if (this.disposed) throw new ValueError(`GradientTape.${method}: this tape has been disposed; create a new tf.GradientTape`);
    if (this.used) {
      throw new ValueError(
        `GradientTape.${method}: a non-persistent GradientTape can only be used to compute one set of gradients (or jacobians); create it with { persistent: true } to call gradient() more than once`,
      );
    }
  }

  /**
   * Runs `fn` (synchronously) with this tape recording, and returns what `fn` returns. May be called
   * several times; ops in each call are recorded on the same tape.
   */
  record<T>(fn: () => T): T {
    this.checkUsable("record");
    if (typeof fn !== "function") throw new ValueError(`GradientTape.record expects a function, got ${typeof fn}`);
    if (isAsyncFunction(fn)) throw new ValueError(asyncMessage);
    let result: T;
    if (this.recording > 0) {
      result = fn();
    } else {
      const tape = this.tape;
      const start = ENGINE.newTensorId();
      ENGINE.recorders.push(tape);
      this.recording++;
      this.openedAt = start;
      try {
        result = fn();
      } finally {
        this.recording--;
        this.openedAt = -1;
        const i = ENGINE.recorders.lastIndexOf(tape);
        if (i >= 0) ENGINE.recorders.splice(i, 1);
        this.intervals.push([start, ENGINE.newTensorId()]);
      }
    }
    if (isThenable(result)) {
      // The rejection (if any) would go unobserved; the error below tells the caller what happened.
      Promise.resolve(result).catch(() => {});
      throw new ValueError(asyncMessage);
    }
    return result;
  }

  /** Runs `fn` with this tape paused (TensorFlow's `stop_recording`). */
  stopRecording<T>(fn: () => T): T {
    const i = ENGINE.recorders.lastIndexOf(this.tape);
    if (i < 0) return fn();
    ENGINE.recorders.splice(i, 1);
    try {
      return fn();
    } finally {
      ENGINE.recorders.splice(Math.min(i, ENGINE.recorders.length), 0, this.tape);
    }
  }

  /** Makes the tape track `x` (a tensor, or an array/object of tensors). Call it inside `record`. */
  watch(x: GradientSources): void {
    this.checkUsable("watch");
    if (this.recording === 0) {
      throw new ValueError("GradientTape.watch must be called inside tape.record(() => { ... }), before the ops that use the tensor");
    }
    const { list } = flatten(x, "watched values", "watch");
    for (const t of list) {
      t.throwIfDisposed("GradientTape.watch");
      if (!isDifferentiableDtype(t.dtype)) warnNonFloat(t.dtype, "watch");
      this.tape.watchTensor(t);
    }
  }

  /** The Variables this tape watches (explicitly or because they were read), in watch order. */
  watchedVariables(): Variable[] {
    return this.tape.watchedVariables.slice();
  }

  private targetsOf(target: unknown): Tensor[] {
    const targets = target instanceof Tensor ? [target] : Array.isArray(target) ? (target as unknown[]) : null;
    if (!targets || targets.length === 0 || targets.some((t) => !(t instanceof Tensor))) {
      throw new ValueError(`GradientTape.gradient: the target must be a tensor computed inside record() (or an array of them), got ${describe(target)}`);
    }
    for (const t of targets as Tensor[]) {
      const id = t.id;
      const inRecord = (this.openedAt >= 0 && id > this.openedAt) || this.intervals.some(([a, b]) => id > a && id < b);
      if (!inRecord && !this.tape.tracked.has(id)) {
        throw new ValueError(
          `GradientTape.gradient: the target (a tensor of shape ${describeDims(t.shape)}, dtype ${t.dtype}) was not computed on this tape: compute it inside tape.record(() => ...), or watch it`,
        );
      }
    }
    return targets as Tensor[];
  }

  /** The seeds (dy) for each target, converted and checked; `made` collects those to dispose. */
  private seedsOf(targets: Tensor[], asArray: boolean, given: GradientOptions["outputGradients"], made: Tensor[]): Tensor[] {
    if (given === undefined || given === null) {
      return targets.map((t) => {
        const s = ones(t.shape, t.dtype === "string" ? "float32" : t.dtype);
        made.push(s);
        return s;
      });
    }
    const list = asArray ? given : [given];
    if (!Array.isArray(list) || list.length !== targets.length) {
      throw new ValueError(`GradientTape.gradient: outputGradients must have one entry per target (${targets.length}), got ${describe(given)}`);
    }
    return targets.map((t, i) => {
      const s = toTensor(list[i] as TensorLike, "GradientTape.gradient", t.dtype);
      if (s !== list[i]) made.push(s);
      if (!shapesEqual(s.shape, t.shape) || s.dtype !== t.dtype) {
        throw new ValueError(
          `GradientTape.gradient: outputGradients${asArray ? `[${i}]` : ""} has shape ${describeDims(s.shape)} and dtype ${s.dtype}, but the target has shape ${describeDims(t.shape)} and dtype ${t.dtype}`,
        );
      }
      return s;
    });
  }

  /**
   * Source ids for the backward pass; -1 for sources that cannot have a gradient: non-floating ones,
   * and (as TensorFlow) tensors the tape neither watched nor computed.
   */
  private sourceIds(sources: Tensor[], method: string): number[] {
    return sources.map((s) => {
      s.throwIfDisposed(`GradientTape.${method}`);
      if (!isDifferentiableDtype(s.dtype)) {
        warnNonFloat(s.dtype, method);
        return -1;
      }
      return this.tape.tracked.has(s.id) ? s.id : -1;
    });
  }

  /**
   * The gradient of `target` (the sum of its elements, or its inner product with `outputGradients`)
   * with respect to `sources`, in the same structure as `sources`. A source the target does not
   * depend on gives null, or zeros with `{ unconnectedGradients: "zero" }`.
   */
  gradient<S extends GradientSources>(
    target: Tensor | readonly Tensor[], sources: S, options: GradientOptions & { unconnectedGradients: "zero" },
  ): GradientResult<S, Tensor>;
  gradient<S extends GradientSources>(target: Tensor | readonly Tensor[], sources: S, options?: GradientOptions): GradientResult<S, Tensor | null>;
  gradient(target: Tensor | readonly Tensor[], sources: GradientSources, options: GradientOptions = {}): unknown {
    this.checkUsable("gradient");
    checkOptions("GradientTape.gradient", options, GRADIENT_KEYS);
    const unconnected = checkUnconnected(options?.unconnectedGradients, "gradient");
    const targets = this.targetsOf(target);
    const src = flatten(sources, "sources", "gradient");
    const made: Tensor[] = [];
    try {
      const seeds = this.seedsOf(targets, Array.isArray(target), options?.outputGradients, made);
      const ids = this.sourceIds(src.list, "gradient");
      const grads = this.consume(() => this.tape.backward(targets.map((t, i) => ({ id: t.id, seed: seeds[i]! })), ids));
      return src.rebuild(grads.map((g, i) => g ?? this.unconnected(src.list[i]!, unconnected)));
    } finally {
      for (const t of made) t.dispose();
    }
  }

  /**
   * The Jacobian of `target` with respect to each source: shape `[...target.shape, ...source.shape]`,
   * in the structure of `sources`.
   */
  jacobian<S extends GradientSources>(target: Tensor, sources: S, options: JacobianOptions & { unconnectedGradients: "zero" }): GradientResult<S, Tensor>;
  jacobian<S extends GradientSources>(target: Tensor, sources: S, options?: JacobianOptions): GradientResult<S, Tensor | null>;
  jacobian(target: Tensor, sources: GradientSources, options: JacobianOptions = {}): unknown {
    this.checkUsable("jacobian");
    checkOptions("GradientTape.jacobian", options, JACOBIAN_KEYS);
    const unconnected = checkUnconnected(options?.unconnectedGradients, "jacobian");
    if (!(target instanceof Tensor)) throw new ValueError(`GradientTape.jacobian: the target must be one tensor, got ${describe(target)}`);
    const [t] = this.targetsOf(target);
    const src = flatten(sources, "sources", "jacobian");
    const ids = this.sourceIds(src.list, "jacobian");
    const jac = this.consume(() => jacobianOf(this.tape, t!, src.list, ids, unconnected === "zero"));
    return src.rebuild(jac);
  }

  /** Runs a backward computation; a non-persistent tape stops recording first and is freed after. */
  private consume<R>(fn: () => R): R {
    if (this.persistent) return fn();
    this.used = true;
    this.tape.closed = true;
    try {
      return fn();
    } finally {
      this.releaseTape();
    }
  }

  private unconnected(source: Tensor, mode: UnconnectedGradients): Tensor | null {
    if (mode === "zero" && isDifferentiableDtype(source.dtype)) return zeros(source.shape, source.dtype);
    return null;
  }

  private releaseTape(): void {
    storeFinalizer.unregister(this);
    this.tape.release();
  }

  /** Frees everything the tape keeps. Idempotent; the tape cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.releaseTape();
  }
}

function checkUnconnected(mode: unknown, method: string): UnconnectedGradients {
  if (mode === undefined || mode === null) return "none";
  if (mode !== "none" && mode !== "zero") {
    throw new ValueError(`GradientTape.${method}: unconnectedGradients must be "none" or "zero", got ${JSON.stringify(mode)}`);
  }
  return mode;
}

function describe(x: unknown): string {
  if (x instanceof Tensor) return `a tensor of shape ${describeDims(x.shape)}`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (x === null) return "null";
  return typeof x;
}

