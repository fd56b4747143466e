/** Core layers: `Activation`, `Masking`, `Lambda` and `Embedding`. */
import type { DType } from "../../dtypes.js";
import { NotImplementedError, ValueError } from "../../errors.js";
import { multiply } from "../../ops/binary.js";
import { cast } from "../../ops/cast.js";
import { notEqual } from "../../ops/compare.js";
import { gather } from "../../ops/gather.js";
import { reduceAny } from "../../ops/reduce.js";
import { squeeze } from "../../ops/reshape.js";
import { optionKeys } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { Activation as ActivationFunction, ActivationIdentifier } from "../activations.js";
import { getActivation, serialize } from "../activations.js";
import { argsFromConfig, required } from "../config.js";
import type { Initializer, InitializerIdentifier } from "../initializers.js";
import { getInitializer, serializeInitializer } from "../initializers.js";
import type { TensorSpec } from "../keras-tensor.js";
import type { KerasTensor } from "../keras-tensor.js";
import type { ActivityRegularizerArgs, CallOptions, LayerArgs, LayerInputs, LayerOutputs, Mask, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import { serializeConstraint } from "../constraints.js";
import { serializeRegularizer } from "../regularizers.js";
import type { WeightRule, WeightRuleArgs } from "./weight-config.js";
import { weightRuleKeys, weightRules } from "./weight-config.js";
import type { Nested } from "../nest.js";
import { flatten, mapStructure } from "../nest.js";
import { isKerasTensor } from "../keras-tensor.js";

/** `new Activation("relu")`: applies an activation function (by name, or a function of one tensor). */
export class Activation extends Layer {
  static override className = "Activation";
  static override argKeys = LAYER_ARG_KEYS;
  readonly activation: ActivationFunction;

  constructor(activation: ActivationIdentifier, args: LayerArgs = {}) {
    super(args);
    this.activation = getActivation(activation);
    this.supportsMasking = true;
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new Activation(required(config, "activation", "Activation") as ActivationIdentifier, argsFromConfig(config, ["activation"]));
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return this.activation.fn(inputs);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: serialize(this.activation) };
  }
}

/** Options of `Masking`. */
export interface MaskingArgs extends LayerArgs {
  /** Time steps whose features all equal it are masked (default 0). */
  maskValue?: number;
}

/**
 * `new Masking({ maskValue: 0 })`: masks the time steps of `[batch, steps, features]` inputs whose
 * features all equal `maskValue` (and zeroes them); layers after it that use masks skip those steps.
 */
export class Masking extends Layer {
  static override className = "Masking";
  static override argKeys = optionKeys<MaskingArgs>()(...LAYER_ARG_KEYS, "maskValue");
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    super(args);
    const v = args.maskValue ?? 0;
    if (typeof v !== "number") throw new ValueError(`Layer "${this.name}": \`maskValue\` must be a number, got ${JSON.stringify(args.maskValue)}`);
    this.maskValue = v;
    this.supportsMasking = true;
  }

  private keep(inputs: Tensor): Tensor {
    const ne = notEqual(inputs, this.maskValue);
    try {
      return reduceAny(ne, { axis: -1, keepdims: true });
    } finally {
      ne.dispose();
    }
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const k = this.keep(inputs);
    const f = cast(k, inputs.dtype);
    try {
      return multiply(inputs, f);
    } finally {
      k.dispose();
      f.dispose();
    }
  }

  override computeMask(inputs: Tensor, _mask?: Mask): Mask {
    const k = this.keep(inputs);
    try {
      return squeeze(k, -1);
    } finally {
      k.dispose();
    }
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mask_value: this.maskValue };
  }
}

/** A Lambda layer's function: called with the inputs and `{ ...arguments, training, mask }`. */
export type LambdaFunction = (inputs: never, options: never) => LayerOutputs;

/** Options of `Lambda`. */
export interface LambdaArgs extends LayerArgs {
  /** The output shape without the batch dimension, or a function of the input shape (default: found by running the function). */
  outputShape?: readonly (number | null)[] | ((inputShape: Shape | Shape[]) => Shape | Shape[]);
  /** The output mask: a function of the inputs and their mask (default: no mask). */
  mask?: (inputs: LayerInputs, mask: Mask) => Mask;
  /** Extra values passed to the function in its second argument. */
  arguments?: Readonly<Record<string, unknown>>;
}

/**
 * `new Lambda((x) => tf.square(x))`: wraps a function as a layer (Keras's Lambda), e.g. to use ops in
 * a functional model. Like Keras 3 in safe mode, a model with a Lambda cannot be saved: its function
 * is code. Write a custom layer class and register it with `tf.keras.utils.registerKerasSerializable`
 * to save one.
 */
export class Lambda extends Layer {
  static override className = "Lambda";
  static override argKeys = optionKeys<LambdaArgs>()(...LAYER_ARG_KEYS, "outputShape", "mask", "arguments");
  readonly fn: LambdaFunction;
  readonly outputShapeSpec: LambdaArgs["outputShape"] | null;
  private readonly maskFn: LambdaArgs["mask"] | null;
  readonly arguments: Readonly<Record<string, unknown>>;

  constructor(fn: LambdaFunction, args: LambdaArgs = {}) {
    super(args);
    if (typeof fn !== "function") throw new ValueError(`Lambda expects a function as its first argument, got ${typeof fn}`);
    this.fn = fn;
    this.outputShapeSpec = args.outputShape ?? null;
    this.maskFn = args.mask ?? null;
    this.arguments = { ...(args.arguments ?? {}) };
    this.supportsMasking = this.maskFn !== null;
  }

  /** Lambda layers are not loaded from configs: their function is code. */
  static override fromConfig(_config: Record<string, unknown>): Layer {
    throw new NotImplementedError("A Lambda layer cannot be loaded from a config: its function is code. Replace it by a custom layer class registered with tf.keras.utils.registerKerasSerializable.");
  }

  override call(inputs: LayerInputs, options: CallOptions): LayerOutputs {
    return (this.fn as (x: LayerInputs, o: Record<string, unknown>) => LayerOutputs)(inputs, { ...this.arguments, training: options.training ?? false, mask: options.mask ?? null });
  }

  override computeMask(inputs: LayerInputs, mask?: Mask): Mask {
    return this.maskFn ? this.maskFn(inputs, mask ?? null) : null;
  }

  /** @internal The declared output shape, else the shapes and dtypes found by running the function. */
  override _outputSpecs(inputs: Nested<KerasTensor>): Nested<TensorSpec> {
    const spec = this.outputShapeSpec;
    const specs = mapStructure(inputs, isKerasTensor, (t) => ({ shape: t.shape, dtype: t.dtype }));
    if (spec === null) return this._probeOutputSpecs(specs);
    const flat = flatten(inputs, isKerasTensor);
    const dtype = this.computeOutputDtype(flat.map((t) => t.dtype));
    const batch = flat[0]?.shape[0] ?? null;
    if (typeof spec === "function") {
      const out = spec(Array.isArray(inputs) ? flat.map((t) => t.shape.slice()) : flat[0]!.shape.slice());
      return out.length > 0 && out.every(Array.isArray) ? (out as Shape[]).map((shape) => ({ shape, dtype })) : { shape: out as Shape, dtype };
    }
    return { shape: [batch, ...(spec as readonly (number | null)[])], dtype };
  }

  override getConfig(): Record<string, unknown> {
    throw new NotImplementedError(
      `Lambda layer "${this.name}" cannot be saved: its function is code (Keras 3 refuses to load Lambda layers in safe mode for the same reason). Write a custom layer class with getConfig and register it with tf.keras.utils.registerKerasSerializable instead.`,
    );
  }
}

/** Options of `Embedding` (the vocabulary size and the vector size are the first two arguments). */
export interface EmbeddingArgs extends LayerArgs, ActivityRegularizerArgs, WeightRuleArgs<"embeddings"> {
  /** Initializer of the vectors (default uniform in [-0.05, 0.05], Keras's "uniform"). */
  embeddingsInitializer?: InitializerIdentifier;
  /** Treat index 0 as padding: the output mask is false there (default false). */
  maskZero?: boolean;
  /** The length of input sequences, when fixed (Keras 2's `input_length`; informs the output shape). */
  inputLength?: number | null;
}

/**
 * `new Embedding(10000, 64, { maskZero: true })`: maps integer indices in `[0, inputDim)` to learned
 * vectors of `outputDim`; `[batch, steps]` → `[batch, steps, outputDim]`.
 */
export class Embedding extends Layer {
  static override className = "Embedding";
  static override argKeys = optionKeys<EmbeddingArgs>()(
    ...LAYER_ARG_KEYS, "embeddingsInitializer", ...weightRuleKeys("embeddings"), "activityRegularizer", "maskZero", "inputLength",
  );
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  /** The vectors' regularizer and constraint. */
  readonly rules: { readonly embeddings: WeightRule };
  readonly maskZero: boolean;
  readonly inputLength: number | null;
  /** `[inputDim, outputDim]`, created by `build`. */
  embeddings: Variable | null = null;

  constructor(inputDim: number, outputDim: number, args: EmbeddingArgs = {}) {
    super(args.inputLength !== undefined && args.inputLength !== null && !args.inputShape && !args.batchInputShape ? { ...args, inputShape: [args.inputLength] } : args);
    if (!Number.isInteger(inputDim) || !Number.isInteger(outputDim) || inputDim <= 0 || outputDim <= 0) {
      throw new ValueError(`Both \`input_dim\` and \`output_dim\` should be positive, Received input_dim = ${JSON.stringify(inputDim)} and output_dim = ${JSON.stringify(outputDim)}`);
    }
    this.rules = weightRules(args, "embeddings");
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.embeddingsInitializer = getInitializer(args.embeddingsInitializer ?? { class_name: "RandomUniform", config: { minval: -0.05, maxval: 0.05 } });
    this.maskZero = args.maskZero ?? false;
    this.inputLength = args.inputLength ?? null;
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new Embedding(required(config, "input_dim", "Embedding") as number, required(config, "output_dim", "Embedding") as number, argsFromConfig(config, ["input_dim", "output_dim"]));
  }

  override build(_inputShape: Shape): void {
    this.embeddings = this.addWeight("embeddings", [this.inputDim, this.outputDim], { initializer: this.embeddingsInitializer, ...this.rules.embeddings });
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    if (inputs.dtype === "int32") return gather(this.embeddings!, inputs);
    const idx = cast(inputs, "int32");
    try {
      return gather(this.embeddings!, idx);
    } finally {
      idx.dispose();
    }
  }

  /** With `maskZero`, false where the index is 0. */
  override computeMask(inputs: Tensor, _mask?: Mask): Mask {
    return this.maskZero ? notEqual(inputs, 0) : null;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape, this.outputDim];
  }

  /** Vectors are the layer's dtype whatever the (integer) input's. */
  override computeOutputDtype(_inputDtypes: readonly DType[]): DType {
    return this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: serializeInitializer(this.embeddingsInitializer),
      embeddings_regularizer: serializeRegularizer(this.rules.embeddings.regularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      embeddings_constraint: serializeConstraint(this.rules.embeddings.constraint),
      mask_zero: this.maskZero,
      input_length: this.inputLength,
    };
  }
}
