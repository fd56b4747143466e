/**
 * Symbolic tensors (Keras's `KerasTensor`): a shape whose batch dimension is usually unknown, a
 * dtype, and the layer call (node) that produced it. Calling a layer on them records the call
 * instead of computing anything; `new tf.keras.Model({ inputs, outputs })` then walks those records.
 */
import type { DType } from "../dtypes.js";
import { formatShapeTuple } from "../shape.js";
import { SYMBOLIC } from "../tensor/convert.js";
import type { Layer, Shape } from "./layer.js";
import type { Node } from "./node.js";

/** Which layer call made a KerasTensor: the layer, the index of the call (node), and which output. */
export interface KerasHistory {
  readonly layer: Layer;
  readonly nodeIndex: number;
  readonly tensorIndex: number;
}

/** A shape and dtype to make a KerasTensor from. */
export interface TensorSpec {
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * A symbolic tensor: the input of a functional model (`tf.keras.Input`) or the output of a layer
 * called on one. It has a `shape` (`null` where unknown, usually the batch) and a `dtype` but no
 * values; ops refuse it. Pass it to layers, then to `new tf.keras.Model({ inputs, outputs })`.
 */
export class KerasTensor {
  /** The shape, `null` where unknown (the batch dimension unless a batch size was given). */
  readonly shape: Shape;
  readonly dtype: DType;
  /** Whether `tf.keras.Input({ sparse: true })` declared it sparse. */
  readonly sparse: boolean;
  /** `<layer name>` for a layer's only output, `<layer name>:<i>` for one of several. */
  readonly name: string;
  /** @internal The node and output index that produced this tensor. */
  readonly _kerasHistory: KerasHistory;
  readonly [SYMBOLIC] = true;

  /** @internal Made by `Node` only. */
  constructor(spec: TensorSpec, history: KerasHistory, name: string, sparse = false) {
    this.shape = spec.shape.slice();
    this.dtype = spec.dtype;
    this.sparse = sparse;
    this.name = name;
    this._kerasHistory = history;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** The node (layer call) that produced this tensor. */
  get node(): Node {
    const h = this._kerasHistory;
    return h.layer.inboundNodes[h.nodeIndex]!;
  }

  /** `<KerasTensor: shape=(None, 3) dtype=float32 (created by layer 'dense')>`, as Keras 2 prints it. */
  toString(): string {
    return `<KerasTensor: shape=${formatShapeTuple(this.shape)} dtype=${this.dtype}${this.sparse ? " sparse=True" : ""} (created by layer '${this._kerasHistory.layer.name}')>`;
  }

  /** Node's console.log prints the same as toString(). */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** Whether `x` is a KerasTensor. */
export function isKerasTensor(x: unknown): x is KerasTensor {
  return x instanceof KerasTensor;
}
