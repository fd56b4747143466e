/**
 * `tf.keras.layers.InputLayer` and `tf.keras.Input`: the entry point of a functional model (and the
 * declared input of a Sequential one). An InputLayer owns one node with no inputs whose output is
 * the KerasTensor that `Input` returns.
 */
import type { DType } from "../../dtypes.js";
import { isDType } from "../../dtypes.js";
import { NotImplementedError, ValueError } from "../../errors.js";
import { identity } from "../../ops/identity.js";
import { checkOptions, optionKeys } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { KerasTensor } from "../keras-tensor.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import { uniqueName } from "../naming.js";
import { Node } from "../node.js";

/** Options of `new InputLayer(…)`: a shape and any dtype (an Embedding's input is int32). */
export interface InputLayerArgs extends Omit<LayerArgs, "dtype"> {
  /** dtype of the input (default float32); any dtype, unlike other layers. */
  dtype?: DType;
  /** Sparse inputs need tf.sparse, which Tessera does not have yet: only false. */
  sparse?: boolean;
  /** Ragged inputs are not supported: only false. */
  ragged?: boolean;
}

/** Options of `tf.keras.Input`. */
export interface InputArgs {
  /** Shape of one example, without the batch dimension; `null` for unknown sizes (`[null, 16]`). */
  shape?: readonly (number | null)[];
  /** A fixed batch size (default: unknown). */
  batchSize?: number;
  /** The full shape, batch dimension included (instead of `shape` and `batchSize`). */
  batchShape?: readonly (number | null)[];
  /** dtype of the input (default float32). */
  dtype?: DType;
  /** Name of the InputLayer (default `input_1`, `input_2`, …). */
  name?: string;
  /** Sparse inputs need tf.sparse, which Tessera does not have yet: only false. */
  sparse?: boolean;
}
const INPUT_KEYS = optionKeys<InputArgs>()("shape", "batchSize", "batchShape", "dtype", "name", "sparse");

/** Keras 2 numbers input layers from 1: `input_1`, `input_2`, … */
function inputName(): string {
  const raw = uniqueName("input");
  return raw === "input" ? "input_1" : `input_${Number(raw.slice("input_".length)) + 1}`;
}

/**
 * `new InputLayer({ inputShape: [784] })`: passes inputs through. Its `output` is a KerasTensor to
 * build a functional model from; in a Sequential model it declares the input shape.
 */
export class InputLayer extends Layer {
  static override className = "InputLayer";
  static override argKeys = optionKeys<InputLayerArgs>()(...LAYER_ARG_KEYS, "sparse", "ragged");
  /** The dtype of the input (any dtype: an Embedding's input is int32). */
  readonly inputDtype: DType;

  constructor(args: InputLayerArgs = {}) {
    const dtype = args.dtype ?? "float32";
    if (!isDType(dtype)) throw new ValueError(`InputLayer: unknown dtype ${JSON.stringify(args.dtype)}`);
    if (args.sparse) throw new NotImplementedError("InputLayer: sparse inputs need tf.sparse.SparseTensor, which Tessera does not have yet; use sparse: false");
    if (args.ragged) throw new NotImplementedError("InputLayer: ragged inputs are not supported; use ragged: false");
    const { dtype: _dtype, sparse: _sparse, ragged: _ragged, ...rest } = args;
    super({ ...rest, ...(dtype === "float64" ? { dtype } : {}), name: args.name ?? inputName() });
    if (!this.batchInputShape) throw new ValueError(`InputLayer "${this.name}" needs \`inputShape\` or \`batchInputShape\``);
    this.inputDtype = dtype;
    this.built = true;
    new Node(this, [], {}, { shape: this.batchInputShape, dtype });
  }

  /** Makes an InputLayer from its config (which may hold any dtype). */
  static override fromConfig(config: Record<string, unknown>): InputLayer {
    const shape = (config["batch_input_shape"] ?? config["batch_shape"]) as (number | null)[] | undefined;
    const dtypeEntry = config["dtype"];
    const dtype = (dtypeEntry && typeof dtypeEntry === "object" ? (dtypeEntry as { config?: { name?: unknown } }).config?.name : dtypeEntry) ?? "float32";
    if (!isDType(dtype as DType)) throw new ValueError(`InputLayer config: unknown dtype ${JSON.stringify(dtypeEntry)}`);
    const known = ["batch_input_shape", "batch_shape", "dtype", "sparse", "ragged", "name"];
    const extra = Object.keys(config).filter((k) => !known.includes(k));
    if (extra.length) throw new ValueError(`InputLayer config has unknown key(s): ${extra.join(", ")}`);
    return new InputLayer({
      ...(shape ? { batchInputShape: shape } : {}),
      dtype: dtype as DType,
      ...(typeof config["name"] === "string" ? { name: config["name"] } : {}),
      ...(config["sparse"] ? { sparse: true } : {}),
      ...(config["ragged"] ? { ragged: true } : {}),
    });
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return identity(inputs);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  override getConfig(): Record<string, unknown> {
    return { batch_input_shape: this.batchInputShape!.slice(), dtype: this.inputDtype, sparse: false, ragged: false, name: this.name };
  }
}

/**
 * A symbolic input to build a functional model from (Keras's `tf.keras.Input`):
 * ```ts
 * const x = tf.keras.Input({ shape: [784] });
 * const y = new tf.keras.layers.Dense(10).apply(x);
 * const model = new tf.keras.Model({ inputs: x, outputs: y });
 * ```
 */
export function Input(args: InputArgs): KerasTensor {
  checkOptions("keras.Input", args, INPUT_KEYS);
  if (!args || (args.shape === undefined && args.batchShape === undefined)) {
    throw new ValueError("Please provide to Input a `shape` or a `batchShape` argument. Note that `shape` does not include the batch dimension.");
  }
  if (args.shape !== undefined && args.batchShape !== undefined) throw new ValueError("Input: pass `shape` (with `batchSize`) or `batchShape`, not both");
  if (args.batchSize !== undefined && (!Number.isInteger(args.batchSize) || args.batchSize < 1)) throw new ValueError(`Input: batchSize must be a positive integer, got ${JSON.stringify(args.batchSize)}`);
  const layer = new InputLayer({
    ...(args.batchShape !== undefined ? { batchInputShape: args.batchShape } : { inputShape: args.shape!, ...(args.batchSize !== undefined ? { batchSize: args.batchSize } : {}) }),
    ...(args.dtype !== undefined ? { dtype: args.dtype } : {}),
    ...(args.name !== undefined ? { name: args.name } : {}),
    ...(args.sparse !== undefined ? { sparse: args.sparse } : {}),
  });
  return layer.output as KerasTensor;
}
