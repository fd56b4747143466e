/** `tf.keras.layers.Dense`: `activation(inputs · kernel + bias)` on the last axis. */
import { ValueError } from "../../errors.js";
import { matmul } from "../../ops/matmul.js";
import { reshape } from "../../ops/reshape.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { Activation, ActivationIdentifier } from "../activations.js";
import { biasAndActivate, getActivation, serialize } from "../activations.js";
import type { Initializer, InitializerIdentifier } from "../initializers.js";
import { getInitializer, serializeInitializer } from "../initializers.js";
import type { Constraint, ConstraintIdentifier } from "../constraints.js";
import { getConstraint, serializeConstraint } from "../constraints.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import type { Regularizer, RegularizerIdentifier } from "../regularizers.js";
import { getRegularizer, serializeRegularizer } from "../regularizers.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import { optionKeys } from "../../options.js";

/** Options of `Dense` (the units are the first argument). */
export interface DenseArgs extends LayerArgs {
  /** Activation by name or function (default linear). */
  activation?: ActivationIdentifier;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Default "glorotUniform". */
  kernelInitializer?: InitializerIdentifier;
  /** Default "zeros". */
  biasInitializer?: InitializerIdentifier;
  /** Penalty on the kernel added to the loss (`tf.keras.regularizers.l2(0.01)`, `"l2"`). */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the bias added to the loss. */
  biasRegularizer?: RegularizerIdentifier | null;
  /** Projection of the kernel after each update (`tf.keras.constraints.maxNorm()`, `"non_neg"`). */
  kernelConstraint?: ConstraintIdentifier | null;
  /** Projection of the bias after each update. */
  biasConstraint?: ConstraintIdentifier | null;
}

/** A densely connected layer: `new Dense(128, { activation: "relu", inputShape: [784] })`. */
export class Dense extends Layer {
  static override className = "Dense";
  static override argKeys = optionKeys<DenseArgs>()(...LAYER_ARG_KEYS, "activation", "useBias", "kernelInitializer", "biasInitializer", "kernelRegularizer", "biasRegularizer", "kernelConstraint", "biasConstraint");
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  /** `[inputDim, units]`, created by `build`. */
  kernel: Variable | null = null;
  /** `[units]`, created by `build` when `useBias`. */
  bias: Variable | null = null;

  constructor(units: number, args: DenseArgs = {}) {
    super(args);
    if (!Number.isInteger(units) || units <= 0) {
      throw new ValueError(`Received an invalid value for \`units\`, expected a positive integer. Received: units=${JSON.stringify(units)}`);
    }
    this.units = units;
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? "glorotUniform");
    this.biasInitializer = getInitializer(args.biasInitializer ?? "zeros");
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer);
    this.biasRegularizer = getRegularizer(args.biasRegularizer);
    this.kernelConstraint = getConstraint(args.kernelConstraint);
    this.biasConstraint = getConstraint(args.biasConstraint);
    this.inputSpec = { minNdim: 2 };
    this.supportsMasking = true;
  }

  override build(inputShape: Shape): void {
    const last = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || last === null || last === undefined) {
      throw new ValueError(`The last dimension of the inputs to a Dense layer should be defined. Found shape ${JSON.stringify(inputShape)} (layer "${this.name}")`);
    }
    this.kernel = this.addWeight("kernel", [last, this.units], { initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    if (this.useBias) this.bias = this.addWeight("bias", [this.units], { initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    this.inputSpec = { minNdim: 2, axes: { [-1]: last } };
    this.built = true;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const kernel = this.kernel!;
    const temps: Tensor[] = [];
    try {
      let y: Tensor;
      if (inputs.rank === 2) {
        y = matmul(inputs, kernel);
      } else {
        // Higher-rank inputs: contract the last axis (Keras's tensordot) through a 2-D matmul.
        const flat = reshape(inputs, [-1, kernel.shape[0]!]);
        temps.push(flat);
        const m = matmul(flat, kernel);
        temps.push(m);
        y = reshape(m, [...inputs.shape.slice(0, -1), this.units]);
      }
      return biasAndActivate(y, this.bias, this.activation);
    } finally {
      for (const t of temps) t.dispose();
    }
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      kernel_regularizer: serializeRegularizer(this.kernelRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      activity_regularizer: null,
      kernel_constraint: serializeConstraint(this.kernelConstraint),
      bias_constraint: serializeConstraint(this.biasConstraint),
    };
  }
}
