/**
 * The tape proper: records the ops that depend on watched tensors while installed in the engine, and
 * runs the backward pass. `GradientTape` (gradient-tape.ts) is the public face over it.
 *
 * Recording. An op is recorded when one of its inputs is *tracked* (watched, or the output of a
 * recorded op) and its output can carry a gradient (float or complex). Only what the op's gradient
 * declares (inputs, output) is kept, as saved tensors (saved-tensors.ts). A Variable input is recorded
 * as a read (TensorFlow's ReadVariableOp): the op consumes the Variable's current value under a read
 * id, and a "ReadVariable" entry carries the gradient from that id to the Variable.
 *
 * Backward. The entries are in execution order, so walking them backwards visits every consumer of a
 * tensor before its producer; gradients are accumulated per id and handed to each op's gradient
 * function. The gradient functions run with core ops while outer tapes are installed, so they are
 * recorded there: that is all higher-order gradients need.
 */
import type { DType } from "../dtypes.js";
import { NotImplementedError, ValueError } from "../errors.js";
import type { KernelRecorder, RecordedOp } from "../engine/engine.js";
import { tidy } from "../engine/tidy.js";
import { shapesEqual } from "../shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Variable } from "../tensor/variable.js";
import { add } from "../ops/binary.js";
import { identity } from "../ops/identity.js";
import { isDifferentiableDtype } from "./grad-utils.js";
import type { GradContext, GradFn } from "./registry.js";
import { gradientEntry } from "./registry.js";
import { SavedStore, isSaved, isVariable, readIdOf } from "./saved-tensors.js";

/** One recorded op. */
interface Entry {
  readonly op: string;
  readonly inputIds: readonly number[];
  readonly inputShapes: readonly (readonly number[])[];
  readonly inputDtypes: readonly DType[];
  readonly outputId: number;
  readonly outputShape: readonly number[];
  readonly outputDtype: DType;
  readonly attrs: object;
  readonly views: readonly (readonly number[] | undefined)[];
  readonly saved: readonly (Tensor | undefined)[];
  readonly savedOutput: Tensor | undefined;
  /** null: no gradient is registered for this op (an error if the backward pass needs it). */
  readonly grad: GradFn | null;
}

/** The gradient function of a `tf.customGradient`: one gradient per input, given dy and the saved tensors. */
export type CustomGradFn = (dy: Tensor, saved: Tensor[]) => Tensor | null | readonly (Tensor | null)[];

const NO_VIEWS: readonly (readonly number[] | undefined)[] = [];
const passThrough: GradFn = (dy) => [dy];

export class Tape implements KernelRecorder {
  private entries: Entry[] = [];
  /** Watched ids and the outputs of recorded ops. */
  readonly tracked = new Set<number>();
  /** Variables watched (explicitly or by access), in the order they were first watched. */
  readonly watchedVariables: Variable[] = [];
  readonly store = new SavedStore();
  /** Set once the tape has released everything: it records nothing more. */
  closed = false;

  constructor(private readonly watchAccessed: boolean) {}

  get numEntries(): number {
    return this.entries.length;
  }

  watchTensor(t: Tensor): void {
    if (isVariable(t)) this.watchVariable(t);
    else this.tracked.add(t.id);
  }

  private watchVariable(v: Variable): void {
    if (this.tracked.has(v.id)) return;
    this.tracked.add(v.id);
    this.watchedVariables.push(v);
  }

  /** The id an op input goes under: its own, or (Variables) the id of the value read. */
  private inputId(t: Tensor): number {
    if (!isVariable(t)) return t.id;
    if (this.watchAccessed && t.trainable && isDifferentiableDtype(t.dtype)) this.watchVariable(t);
    const r = readIdOf(t);
    if (this.tracked.has(t.id) && !this.tracked.has(r)) {
      this.entries.push({
        op: "ReadVariable", inputIds: [t.id], inputShapes: [t.shape.slice()], inputDtypes: [t.dtype], outputId: r,
        outputShape: t.shape.slice(), outputDtype: t.dtype, attrs: {}, views: NO_VIEWS, saved: [], savedOutput: undefined, grad: passThrough,
      });
      this.tracked.add(r);
    }
    return r;
  }

  recordKernel(op: RecordedOp, inputs: readonly Tensor[], output: Tensor, attrs: object, views?: readonly (readonly number[] | undefined)[]): void {
    if (this.closed) return;
    const ids = this.trackedIds(inputs);
    if (!ids || !isDifferentiableDtype(output.dtype)) return;
    const entry = gradientEntry(op);
    if (entry?.kind === "none") return;
    const spec = entry?.spec;
    const saved: (Tensor | undefined)[] = new Array(inputs.length);
    if (spec?.saveInputs) for (const i of spec.saveInputs) saved[i] = this.store.hold(inputs[i]!, ids[i]!);
    const savedOutput = spec?.saveOutput ? this.store.hold(output, output.id) : undefined;
    this.push(op, inputs, ids, output, attrs, views ?? NO_VIEWS, saved, savedOutput, spec ? spec.grad : null);
  }

  /** Records a `tf.customGradient` call: `grad` receives dy and the tensors the forward function saved. */
  recordCustom(inputs: readonly Tensor[], output: Tensor, saved: readonly Tensor[], grad: CustomGradFn): void {
    if (this.closed) return;
    const ids = this.trackedIds(inputs);
    if (!ids || !isDifferentiableDtype(output.dtype)) return;
    const kept = saved.map((t) => this.store.hold(t, isVariable(t) ? readIdOf(t) : t.id));
    const n = inputs.length;
    const fn: GradFn = (dy) => {
      const r = grad(dy, kept.slice());
      const list = Array.isArray(r) ? r : [r as Tensor | null];
      if (list.length !== n) {
        throw new ValueError(`The gradient function of a tf.customGradient returned ${list.length} gradients for ${n} inputs; return one per input (null for none)`);
      }
      return list;
    };
    this.push("CustomGradient", inputs, ids, output, {}, NO_VIEWS, [], undefined, fn);
  }

  /** Input ids when at least one input is tracked, else null (the op is not recorded). */
  private trackedIds(inputs: readonly Tensor[]): number[] | null {
    let any = false;
    const ids = new Array<number>(inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const id = this.inputId(inputs[i]!);
      ids[i] = id;
      if (!any && this.tracked.has(id)) any = true;
    }
    return any ? ids : null;
  }

  private push(
    op: string, inputs: readonly Tensor[], ids: number[], output: Tensor, attrs: object,
    views: readonly (readonly number[] | undefined)[], saved: (Tensor | undefined)[], savedOutput: Tensor | undefined, grad: GradFn | null,
  ): void {
    this.entries.push({
      op, inputIds: ids, inputShapes: inputs.map((t) => t.shape.slice()), inputDtypes: inputs.map((t) => t.dtype),
      outputId: output.id, outputShape: output.shape.slice(), outputDtype: output.dtype, attrs, views, saved, savedOutput, grad,
    });
    this.tracked.add(output.id);
  }

  /** Drops everything the tape holds; it records nothing more. */
  release(): void {
    this.closed = true;
    this.entries = [];
    this.tracked.clear();
    this.watchedVariables.length = 0;
    this.store.release();
  }

  /**
   * The backward pass: gradients of `Σ_t <seed_t, target_t>` with respect to each source id (null where
   * unconnected). Seeds are not disposed (the caller owns them); results are new tensors the caller owns.
   */
  backward(targets: readonly { id: number; seed: Tensor }[], sourceIds: readonly number[]): (Tensor | null)[] {
    const entries = this.entries;
    const count = entries.length;
    // Ids that depend on a source: only these need gradients.
    const reach = new Set<number>(sourceIds);
    for (let e = 0; e < count; e++) {
      const entry = entries[e]!;
      for (const id of entry.inputIds) {
        if (reach.has(id)) {
          reach.add(entry.outputId);
          break;
        }
      }
    }
    const sources = new Set(sourceIds);
    const acc = new Accumulator(targets.map((t) => t.seed));
    try {
      for (const t of targets) if (reach.has(t.id)) acc.add(t.id, t.seed);
      for (let e = count - 1; e >= 0; e--) {
        const entry = entries[e]!;
        const dy = acc.get(entry.outputId);
        if (!dy) continue;
        const needs = entry.inputIds.map((id, i) => reach.has(id) && isDifferentiableDtype(entry.inputDtypes[i]!));
        if (needs.some(Boolean)) {
          const grads = runGradient(entry, dy, needs);
          for (let i = 0; i < grads.length; i++) if (grads[i] && needs[i]) acc.add(entry.inputIds[i]!, grads[i]!);
          for (let i = 0; i < grads.length; i++) if (grads[i] && !needs[i]) acc.discard(grads[i]!);
        }
        // Every consumer has been visited: the gradient of this output is final.
        if (!sources.has(entry.outputId)) acc.drop(entry.outputId);
      }
      return acc.results(sourceIds);
    } finally {
      acc.releaseAll();
    }
  }
}

/** Runs one op's gradient function, disposing its temporaries, and checks what it returned. */
function runGradient(entry: Entry, dy: Tensor, needs: boolean[]): (Tensor | null)[] {
  if (!entry.grad) {
    throw new NotImplementedError(
      `No gradient is registered for op '${entry.op}', which lies between the target and a source (add one with registerGradient in packages/core/src/ops/<family>.grad.ts), or stop the gradient there with tf.stopGradient.`,
    );
  }
  const ctx: GradContext = {
    inputs: entry.saved, output: entry.savedOutput, inputShapes: entry.inputShapes, inputDtypes: entry.inputDtypes,
    outputShape: entry.outputShape, outputDtype: entry.outputDtype, attrs: entry.attrs, views: entry.views, needs,
  };
  const fn = entry.grad;
  const out = tidy(() => {
    const r = fn(dy, ctx);
    // A saved tensor must never escape as a gradient: give the caller its own view.
    return r.map((g) => (g && isSaved(g) ? identity(g) : (g ?? null)));
  });
  for (let i = 0; i < out.length; i++) {
    const g = out[i];
    if (!g || !needs[i]) continue;
    if (!shapesEqual(g.shape, entry.inputShapes[i]!) || g.dtype !== entry.inputDtypes[i]) {
      throw new ValueError(
        `The gradient of op '${entry.op}' for input ${i} has shape [${g.shape.join(",")}] and dtype ${g.dtype}, but the input has shape [${entry.inputShapes[i]!.join(",")}] and dtype ${entry.inputDtypes[i]} (a gradient must match its input)`,
      );
    }
  }
  return out;
}

/**
 * Gradients by id during one backward pass, with reference counts: gradient functions may pass a
 * tensor through unchanged (identity, add), so one tensor can sit under several ids.
 */
class Accumulator {
  private readonly grads = new Map<number, Tensor>();
  private readonly refs = new Map<Tensor, number>();
  /** Tensors the caller owns (seeds): never disposed here. */
  private readonly foreign: Set<Tensor>;

  constructor(foreign: readonly Tensor[]) {
    this.foreign = new Set(foreign);
  }

  get(id: number): Tensor | undefined {
    return this.grads.get(id);
  }

  private ref(t: Tensor): void {
    this.refs.set(t, (this.refs.get(t) ?? 0) + 1);
  }

  private unref(t: Tensor): void {
    const n = (this.refs.get(t) ?? 1) - 1;
    if (n > 0) {
      this.refs.set(t, n);
      return;
    }
    this.refs.delete(t);
    if (!this.foreign.has(t)) t.dispose();
  }

  /** Adds `g` (which this accumulator now owns, unless foreign) to the gradient of `id`. */
  add(id: number, g: Tensor): void {
    this.ref(g);
    const prev = this.grads.get(id);
    if (!prev) {
      this.grads.set(id, g);
      return;
    }
    const sum = add(prev, g);
    this.ref(sum);
    this.grads.set(id, sum);
    this.unref(prev);
    this.unref(g);
  }

  /** Disposes a gradient nobody asked for (an input that needs none). */
  discard(g: Tensor): void {
    if (!this.refs.has(g) && !this.foreign.has(g)) g.dispose();
  }

  drop(id: number): void {
    const g = this.grads.get(id);
    if (!g) return;
    this.grads.delete(id);
    this.unref(g);
  }

  /** The final gradient of each source, as new tensors the caller owns. */
  results(sourceIds: readonly number[]): (Tensor | null)[] {
    const found = sourceIds.map((id) => this.grads.get(id) ?? null);
    const given = new Set<Tensor>();
    const out = found.map((g) => {
      if (!g) return null;
      if (given.has(g) || this.foreign.has(g)) return identity(g);
      given.add(g);
      return g;
    });
    // Ownership of what is handed out passes to the caller: forget every reference to it here.
    for (const g of given) this.refs.delete(g);
    for (const [k, v] of this.grads) if (given.has(v)) this.grads.delete(k);
    return out;
  }

  releaseAll(): void {
    for (const g of this.grads.values()) this.unref(g);
    this.grads.clear();
  }
}
