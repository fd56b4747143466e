/** `tf.keras.layers.Dense`: `activation(inputs · kernel + bias)` on the last axis. */
import { ValueError } from "../../errors.js";
import { matmul } from "../../ops/matmul.js";
import { reshape } from "../../ops/reshape.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { Activation, ActivationIdentifier } from "../activations.js";
import { biasAndActivate, getActivation, serialize } from "../activations.js";
import type { Initializer, InitializerIdentifier } from "../initializers.js";
import { getInitializer } from "../initializers.js";
import type { ActivityRegularizerArgs, CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import type { WeightRule, WeightRuleArgs } from "./weight-config.js";
import { kernelBiasConfig, weightRuleKeys, weightRules } from "./weight-config.js";
import { optionKeys } from "../../options.js";

/** Options of `Dense` (the units are the first argument). */
export interface DenseArgs extends LayerArgs, ActivityRegularizerArgs, WeightRuleArgs<"kernel" | "bias"> {
  /** Activation by name or function (default linear). */
  activation?: ActivationIdentifier;
  /** Whether to add a bias (default true). */
  useBias?: boolean;
  /** Default "glorotUniform". */
  kernelInitializer?: InitializerIdentifier;
  /** Default "zeros". */
  biasInitializer?: InitializerIdentifier;
}

/** A densely connected layer: `new Dense(128, { activation: "relu", inputShape: [784] })`. */
export class Dense extends Layer {
  static override className = "Dense";
  static override argKeys = optionKeys<DenseArgs>()(...LAYER_ARG_KEYS, "activation", "useBias", "kernelInitializer", "biasInitializer", "activityRegularizer", ...weightRuleKeys("kernel", "bias"));
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  /** The kernel's and the bias's regularizer and constraint. */
  readonly rules: { readonly kernel: WeightRule; readonly bias: WeightRule };
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
    this.rules = weightRules(args, "kernel", "bias");
    this.inputSpec = { minNdim: 2 };
    this.supportsMasking = true;
  }

  override build(inputShape: Shape): void {
    const last = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || last === null || last === undefined) {
      throw new ValueError(`The last dimension of the inputs to a Dense layer should be defined. Found shape ${JSON.stringify(inputShape)} (layer "${this.name}")`);
    }
    this.kernel = this.addWeight("kernel", [last, this.units], { initializer: this.kernelInitializer, ...this.rules.kernel });
    if (this.useBias) this.bias = this.addWeight("bias", [this.units], { initializer: this.biasInitializer, ...this.rules.bias });
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
      ...kernelBiasConfig(this.kernelInitializer, this.biasInitializer, this.rules, this.activityRegularizer),
    };
  }
}
