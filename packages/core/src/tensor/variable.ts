import type { DType } from "../dtypes.js";
import { isDType } from "../dtypes.js";
import { DtypeError, ValueError } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { formatTensor, numpyStr } from "../format/format.js";
import { TensorShape, formatShapeTuple } from "../shape.js";
import type { TensorLike } from "./convert.js";
import { toTensor } from "./convert.js";
import { Tensor } from "./tensor.js";
import { checkOptions, optionKeys } from "../options.js";

/** Options of `new tf.Variable(value, options)`. */
export interface VariableOptions {
  /** Converts the initial value to this dtype (JS numbers and arrays only; a tensor must already have it). */
  dtype?: DType;
  /** The declared shape; `null` (or `new TensorShape(null)`) for an unknown shape, `null` entries for unknown dimensions. */
  shape?: readonly (number | null)[] | null | TensorShape;
  /** Whether gradient tapes watch it automatically and optimizers train it (default true). */
  trainable?: boolean;
  /** Printed as `<name>:0` (default "Variable"). */
  name?: string;
}

/** Arithmetic for assignAdd/assignSub, installed by the ops module (avoids an import cycle). */
export const variableArith: { add?: (a: Tensor, b: Tensor) => Tensor; sub?: (a: Tensor, b: Tensor) => Tensor } = {};

/**
 * A mutable tensor, as `tf.Variable`: `assign` swaps the buffer it holds, so snapshots taken with
 * `readValue()` keep the old value. A Variable is a Tensor and can be passed to every op.
 */
const VARIABLE_KEYS = optionKeys<VariableOptions>()("dtype", "shape", "trainable", "name");

export class Variable extends Tensor {
  /** `"<name>:0"`. */
  readonly name: string;
  readonly trainable: boolean;
  /** The declared (possibly partially unknown) shape; `shape` is the current value's shape. */
  readonly declaredShape: TensorShape;

  constructor(initialValue: TensorLike, options: VariableOptions = {}) {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      const hint = isDType(options) ? `{ dtype: "${options}" }` : "{ dtype, shape, trainable, name }";
      throw new ValueError(
        `tf.Variable's second argument must be an options object, got ${JSON.stringify(options)}; write new tf.Variable(value, ${hint})`,
      );
    }
    checkOptions("Variable", options, VARIABLE_KEYS);
    const { dtype, shape, trainable = true, name = "Variable" } = options;
    if (dtype !== undefined && !isDType(dtype)) throw new DtypeError(`Unknown dtype ${JSON.stringify(dtype)} for tf.Variable`);
    const init = toTensor(initialValue, "VarHandleOp", dtype);
    if (dtype !== undefined && init.dtype !== dtype) {
      throw new DtypeError(`Tensor conversion requested dtype ${dtype} for Tensor with dtype ${init.dtype}: ${init.toString()}`);
    }
    const declared = shape === undefined ? new TensorShape(init.shape) : new TensorShape(shape);
    if (!declared.isCompatibleWith(init.shape)) {
      const fresh = init !== initialValue;
      if (fresh) init.dispose();
      throw new ValueError(
        `The initial value's shape (${formatShapeTuple(init.shape)}) is not compatible with the explicitly supplied \`shape\` argument (${declared.toString()}).`,
      );
    }
    super(init.handle, init.shape.slice(), init.dtype);
    this.name = `${name}:0`;
    this.trainable = trainable;
    this.declaredShape = declared;
    ENGINE.trackVariable(this);
    if (init !== initialValue) init.dispose();
  }

  /** Replaces the value (same dtype, a shape compatible with the declared one) and returns this Variable. */
  assign(value: TensorLike): this {
    this.throwIfDisposed("AssignVariableOp");
    const t = toTensor(value, "AssignVariableOp", this.dtype);
    try {
      if (t.dtype !== this.dtype) {
        throw new DtypeError(`Cannot assign a ${t.dtype} tensor to variable '${this.name}' of dtype ${this.dtype}`);
      }
      if (!this.declaredShape.isCompatibleWith(t.shape)) {
        throw new ValueError(
          `Cannot assign value to variable ' ${this.name}': Shape mismatch.The variable shape ${this.declaredShape.toString()}, and the assigned value shape ${formatShapeTuple(t.shape)} are incompatible.`,
        );
      }
      this.adopt(t);
    } finally {
      if (t !== value) t.dispose();
    }
    return this;
  }

  /** `v.assign(v + x)`, without recording on gradient tapes. */
  assignAdd(x: TensorLike): this {
    return this.update(x, variableArith.add!);
  }

  /** `v.assign(v - x)`, without recording on gradient tapes. */
  assignSub(x: TensorLike): this {
    return this.update(x, variableArith.sub!);
  }

  private update(x: TensorLike, f: (a: Tensor, b: Tensor) => Tensor): this {
    this.throwIfDisposed("AssignAddVariableOp");
    const t = toTensor(x, "AssignAddVariableOp", this.dtype);
    try {
      const r = ENGINE.untaped(() => f(this, t));
      try {
        return this.assign(r);
      } finally {
        r.dispose();
      }
    } finally {
      if (t !== x) t.dispose();
    }
  }

  /** Points this Variable at `t`'s buffer (shared, reference-counted). */
  private adopt(t: Tensor): void {
    const old = this.handle;
    if (t.handle === old) return;
    t.handle.refs++;
    this.handle = t.handle;
    this.shape = t.shape.slice();
    ENGINE.retargetTensor(this, old, t.handle);
  }

  /** A Tensor snapshot of the current value (later assigns do not change it). */
  readValue(): Tensor {
    this.throwIfDisposed("ReadVariableOp");
    // A view recorded on tapes, so gradients flow from the snapshot to the Variable (ReadVariableOp).
    return ENGINE.runView("Identity", this, this.shape.slice(), {});
  }

  /** Same as `readValue()`. */
  value(): Tensor {
    return this.readValue();
  }

  /** `<tf.Variable 'Variable:0' shape=(2,) dtype=int32, numpy=array([1, 2], dtype=int32)>` */
  override toString(): string {
    const head = `<tf.Variable '${this.name}' shape=${this.declaredShape.toString()} dtype=${this.dtype}`;
    if (this.isDisposed) return `${head}, numpy=<disposed>>`;
    // As TensorFlow's numpy_text: a scalar shows as a NumPy scalar (`numpy=1.0`), an array as its repr,
    // starting on a new line when it spans several.
    const values = this.dataSync();
    const text = this.shape.length === 0 ? numpyStr(values, this.shape, this.dtype) : formatTensor(values, this.shape, this.dtype, "repr");
    return `${head}, numpy=${text.includes("\n") ? `\n${text}` : text}>`;
  }
}
