/**
 * What a tape keeps of the forward pass. Users dispose intermediates and ops dispose their
 * temporaries right after the kernel, so a tape holds its own reference to each buffer a gradient
 * needs: a "saved" tensor with the *same id* as the forward tensor (so that, in higher-order use, ops
 * on it connect to what outer tapes recorded) over the same buffer (its DataHandle reference count is
 * raised, so the buffer outlives every user-visible tensor). Saved tensors are not user-visible and
 * are not counted in `tf.memory().numTensors`; their buffers are counted in `numDataBuffers`/`numBytes`.
 */
import type { DataHandle } from "../engine/engine.js";
import { ENGINE } from "../engine/engine.js";
import type { Tensor } from "../tensor/tensor.js";
import { Variable } from "../tensor/variable.js";

const SAVED = new WeakSet<Tensor>();

/** Whether `t` is a tape's saved tensor (never handed to users as is). */
export function isSaved(t: Tensor): boolean {
  return SAVED.has(t);
}

/** Saved tensors of one tape, by id; shared with the tape's finalizer so nothing leaks if it is dropped. */
export class SavedStore {
  private readonly byId = new Map<number, Tensor>();

  /** The saved tensor for forward tensor `t` under `id` (its own id, or a Variable's read id). */
  hold(t: Tensor, id: number): Tensor {
    const existing = this.byId.get(id);
    if (existing) return existing;
    const s = ENGINE.tensorFactory!(t.handle, t.shape.slice(), t.dtype);
    (s as { id: number }).id = id;
    t.handle.refs++;
    SAVED.add(s);
    this.byId.set(id, s);
    return s;
  }

  get size(): number {
    return this.byId.size;
  }

  /** Releases every buffer held (idempotent). */
  release(): void {
    for (const s of this.byId.values()) {
      if (s.isDisposed) continue;
      s.isDisposed = true;
      ENGINE.releaseHandle(s.handle);
    }
    this.byId.clear();
  }
}

/** Releases the saved tensors of tapes that became unreachable without `dispose()`. */
export const storeFinalizer = new FinalizationRegistry<SavedStore>((store) => store.release());

/**
 * A Variable read is modelled as TensorFlow's ReadVariableOp: each value a Variable takes (each
 * buffer it points at) has a "read id", the same for every tape, so the tensor an inner tape saves for
 * a Variable input has the id under which outer tapes recorded the read.
 */
const READ_IDS = new WeakMap<DataHandle, Map<number, number>>();

export function readIdOf(v: Variable): number {
  let byVar = READ_IDS.get(v.handle);
  if (!byVar) READ_IDS.set(v.handle, (byVar = new Map()));
  let id = byVar.get(v.id);
  if (id === undefined) byVar.set(v.id, (id = ENGINE.newTensorId()));
  return id;
}

export function isVariable(t: Tensor): t is Variable {
  return t instanceof Variable;
}
