/**
 * A `Node` records one call of a layer on symbolic tensors (Keras's `Node`): what it was called on,
 * with which other arguments, and the KerasTensors it returned. A layer called twice (a shared
 * layer) has two inbound nodes; a functional model is the graph of nodes between its inputs and
 * outputs.
 */
import type { KerasTensor, TensorSpec } from "./keras-tensor.js";
import { KerasTensor as KT, isKerasTensor } from "./keras-tensor.js";
import type { Layer } from "./layer.js";
import type { Nested } from "./nest.js";
import { flatten, mapStructure } from "./nest.js";

/** The KerasTensors among a call's keyword arguments (a value, or a list of them). */
function kwargTensors(kwargs: Readonly<Record<string, unknown>>): KerasTensor[] {
  const out: KerasTensor[] = [];
  for (const v of Object.values(kwargs)) {
    if (isKerasTensor(v)) out.push(v);
    else if (Array.isArray(v)) out.push(...v.filter(isKerasTensor));
  }
  return out;
}

const isSpec = (v: unknown): v is TensorSpec => typeof v === "object" && v !== null && !Array.isArray(v) && "dtype" in v && "shape" in v;

/** One call of `layer` on symbolic inputs. */
export class Node {
  /** The layer that was called. */
  readonly layer: Layer;
  /** The first argument of the call, as passed: one tensor, a list or a dict (empty list for an InputLayer). */
  readonly callArgs: Nested<KerasTensor>;
  /** The other arguments given explicitly (`training`, `mask`, a layer's own); tensors among them are inputs too. */
  readonly callKwargs: Readonly<Record<string, unknown>>;
  /** What the call returned, in the structure it returned it. */
  readonly outputs: Nested<KerasTensor>;
  /** The tensors of `callArgs`, in order. */
  readonly inputTensors: readonly KerasTensor[];
  /** The tensors of `outputs`, in order. */
  readonly outputTensors: readonly KerasTensor[];
  /** Every tensor the call depends on: `inputTensors`, then tensors passed as keyword arguments. */
  readonly dependencies: readonly KerasTensor[];
  /** This node's index in `layer.inboundNodes`. */
  readonly index: number;

  /** Records the call on `layer` and creates its output tensors from `outputSpecs`. */
  constructor(layer: Layer, callArgs: Nested<KerasTensor>, callKwargs: Readonly<Record<string, unknown>>, outputSpecs: Nested<TensorSpec>, sparse = false) {
    this.layer = layer;
    this.callArgs = callArgs;
    this.callKwargs = callKwargs;
    this.inputTensors = flatten(callArgs, isKerasTensor);
    this.dependencies = [...this.inputTensors, ...kwargTensors(callKwargs)];
    this.index = layer._inboundNodes.length;
    const count = flatten(outputSpecs, isSpec).length;
    this.outputs = mapStructure(outputSpecs, isSpec, (spec, i) => new KT(spec, { layer, nodeIndex: this.index, tensorIndex: i }, count === 1 ? layer.name : `${layer.name}:${i}`, sparse));
    this.outputTensors = flatten(this.outputs, isKerasTensor);
    layer._inboundNodes.push(this);
    for (const t of this.dependencies) {
      const outbound = t._kerasHistory.layer._outboundNodes;
      if (!outbound.includes(this)) outbound.push(this);
    }
  }

  /** Whether this is the node of an InputLayer (no inputs). */
  get isInput(): boolean {
    return this.dependencies.length === 0;
  }

  /** The nodes that produced this node's inputs. */
  get parentNodes(): Node[] {
    return [...new Set(this.dependencies.map((t) => t.node))];
  }

  /** The layers that produced `inputTensors`, in order. */
  get inboundLayers(): Layer[] {
    return this.inputTensors.map((t) => t._kerasHistory.layer);
  }
}
