/**
 * Recurrent cells: one time step of `SimpleRNNCell`, `LSTMCell` and `GRUCell` (Keras's gate order and
 * weight layout, so weights load from Keras and TensorFlow.js), and `StackedRNNCells`. A cell's `call`
 * takes `[input, ...states]` and returns `[output, ...newStates]`; the `RNN` layer runs it over time.
 */
import { ValueError } from "../../errors.js";
import { add, divide, multiply, subtract } from "../../ops/binary.js";
import { cast } from "../../ops/cast.js";
import { greaterEqual } from "../../ops/compare.js";
import { concat, split } from "../../ops/concat.js";
import { matmul } from "../../ops/matmul.js";
import { optionKeys } from "../../options.js";
import { uniform } from "../../random/uniform.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import type { Activation, ActivationIdentifier } from "../activations.js";
import { getActivation, serialize } from "../activations.js";
import { argsFromConfig, required } from "../config.js";
import type { FloatDType, InitializerIdentifier } from "../initializers.js";
import { Initializer, Ones, getInitializer, serializeInitializer } from "../initializers.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import type { WeightRule, WeightRuleArgs } from "./weight-config.js";
import { weightRuleKeys, weightRules, weightRulesConfig } from "./weight-config.js";

/** Options every cell takes. */
export interface RNNCellArgs extends LayerArgs, WeightRuleArgs<"kernel" | "recurrent" | "bias"> {
  /** Activation of the output / candidate (default "tanh"). */
  activation?: ActivationIdentifier;
  /** Whether to add biases (default true). */
  useBias?: boolean;
  /** Default "glorotUniform". */
  kernelInitializer?: InitializerIdentifier;
  /** Default "orthogonal". */
  recurrentInitializer?: InitializerIdentifier;
  /** Default "zeros". */
  biasInitializer?: InitializerIdentifier;
  /** Fraction of the inputs dropped while training (default 0), one mask per sequence. */
  dropout?: number;
  /** Fraction of the recurrent state dropped while training (default 0), one mask per sequence. */
  recurrentDropout?: number;
}

/** Options of `LSTMCell` and `GRUCell`. */
export interface GatedCellArgs extends RNNCellArgs {
  /** Activation of the gates (default "sigmoid", Keras 2's; TensorFlow.js's default is "hard_sigmoid"). */
  recurrentActivation?: ActivationIdentifier;
  /** Kept for Keras configs; Tessera computes all gates with one matmul whatever its value. */
  implementation?: number;
}

/** Options of `LSTMCell`. */
export interface LSTMCellArgs extends GatedCellArgs {
  /** Initialise the forget gate's bias to 1 (default true). */
  unitForgetBias?: boolean;
}

/** Options of `GRUCell`. */
export interface GRUCellArgs extends GatedCellArgs {
  /**
   * Apply the reset gate after the recurrent matmul, with separate input and recurrent biases
   * (default true, Keras 2's and cuDNN's variant); false is the original GRU (TensorFlow.js has only that one).
   */
  resetAfter?: boolean;
}

/** The keys every cell takes. */
export const CELL_ARG_KEYS = [
  ...LAYER_ARG_KEYS, "activation", "useBias", "kernelInitializer", "recurrentInitializer", "biasInitializer", "dropout", "recurrentDropout", ...weightRuleKeys("kernel", "recurrent", "bias"),
] as const;
const GATED_KEYS = [...CELL_ARG_KEYS, "recurrentActivation", "implementation"] as const;

function checkUnits(units: unknown): number {
  if (!Number.isInteger(units) || (units as number) <= 0) {
    throw new ValueError(`Received an invalid value for argument \`units\`, expected a positive integer, got ${JSON.stringify(units)}.`);
  }
  return units as number;
}

function checkRate(rate: number | undefined, what: string, layer: string): number {
  const r = rate ?? 0;
  if (typeof r !== "number" || !(r >= 0 && r < 1)) throw new ValueError(`Layer "${layer}": \`${what}\` must be a number in [0, 1), got ${JSON.stringify(rate)}`);
  return r;
}

/** The parts of a cell: what a layer needs to run it over time. */
export abstract class RNNCell extends Layer {
  /** The size of each state (`[units]` for SimpleRNN and GRU, `[units, units]` for LSTM). */
  abstract readonly stateSize: number[];
  /** The size of the output at each step. */
  abstract readonly outputSize: number;

  /** One step: the output and the new states. */
  abstract step(inputs: Tensor, states: Tensor[], training: boolean): [Tensor, Tensor[]];

  /** Forgets per-sequence state (dropout masks); the RNN layer calls it after each sequence. */
  resetDropoutMasks(): void {}

  override call(inputs: Tensor | Tensor[], options: CallOptions): Tensor[] {
    if (!Array.isArray(inputs) || inputs.length !== 1 + this.stateSize.length) {
      throw new ValueError(`${this.getClassName()} "${this.name}" expects [inputs, ...states] (${1 + this.stateSize.length} tensors), got ${Array.isArray(inputs) ? inputs.length : 1}`);
    }
    const [out, states] = this.step(inputs[0]!, inputs.slice(1), options.training ?? false);
    return [out, ...states];
  }

  override _buildForApply(inputShape: Shape | Shape[] | Record<string, Shape>): void {
    const shapes = inputShape as Shape | Shape[];
    this.build(Array.isArray(shapes[0]) ? (shapes as Shape[])[0]! : (shapes as Shape));
  }
}

/** A cell with a kernel, a recurrent kernel and a bias (the three built-in cells). */
abstract class KernelCell extends RNNCell {
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly dropout: number;
  readonly recurrentDropout: number;
  /** The regularizer and constraint of the kernel, the recurrent kernel (`recurrent`) and the bias. */
  readonly rules: { readonly kernel: WeightRule; readonly recurrent: WeightRule; readonly bias: WeightRule };
  /** `[inputDim, gates · units]`, created by `build`. */
  kernel: Variable | null = null;
  /** `[units, gates · units]`, created by `build`. */
  recurrentKernel: Variable | null = null;
  /** Created by `build` when `useBias`. */
  bias: Variable | null = null;
  private masks: { input: Tensor | null; state: Tensor | null } = { input: null, state: null };

  constructor(units: number, args: RNNCellArgs) {
    super(args);
    this.units = checkUnits(units);
    this.rules = weightRules(args, "kernel", "recurrent", "bias");
    this.activation = getActivation(args.activation === undefined ? "tanh" : args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? "glorotUniform");
    this.recurrentInitializer = getInitializer(args.recurrentInitializer ?? "orthogonal");
    this.biasInitializer = getInitializer(args.biasInitializer ?? "zeros");
    this.dropout = checkRate(args.dropout, "dropout", this.name);
    this.recurrentDropout = checkRate(args.recurrentDropout, "recurrentDropout", this.name);
  }

  /** How many blocks of `units` the kernels hold (1, 3 or 4). */
  protected abstract get gates(): number;

  get outputSize(): number {
    return this.units;
  }

  override build(inputShape: Shape): void {
    const dim = inputShape[inputShape.length - 1];
    if (dim === null || dim === undefined) throw new ValueError(`The last dimension of the inputs to ${this.getClassName()} "${this.name}" should be defined. Found shape ${JSON.stringify(inputShape)}`);
    this.kernel = this.addWeight("kernel", [dim, this.units * this.gates], { initializer: this.kernelInitializer, ...this.rules.kernel });
    this.recurrentKernel = this.addWeight("recurrent_kernel", [this.units, this.units * this.gates], { initializer: this.recurrentInitializer, ...this.rules.recurrent });
    if (this.useBias) this.bias = this.addWeight("bias", this.biasShape(), { initializer: this.biasInitializerFor(), ...this.rules.bias });
    this.built = true;
  }

  protected biasShape(): number[] {
    return [this.units * this.gates];
  }

  protected biasInitializerFor(): Initializer {
    return this.biasInitializer;
  }

  /** The inputs and previous state with this sequence's dropout masks applied (while training). */
  protected dropped(x: Tensor, h: Tensor, training: boolean): [Tensor, Tensor] {
    if (!training) return [x, h];
    const mask = (t: Tensor, rate: number): Tensor => {
      const u = uniform(t.shape, { dtype: t.dtype as FloatDType });
      const keep = greaterEqual(u, rate);
      const f = cast(keep, t.dtype);
      const m = divide(f, 1 - rate);
      for (const z of [u, keep, f]) z.dispose();
      return m;
    };
    if (this.dropout > 0 && !this.masks.input) this.masks.input = mask(x, this.dropout);
    if (this.recurrentDropout > 0 && !this.masks.state) this.masks.state = mask(h, this.recurrentDropout);
    return [this.masks.input ? multiply(x, this.masks.input) : x, this.masks.state ? multiply(h, this.masks.state) : h];
  }

  override resetDropoutMasks(): void {
    this.masks.input?.dispose();
    this.masks.state?.dispose();
    this.masks = { input: null, state: null };
  }

  /** `x · kernel (+ bias)`. */
  protected inputProjection(x: Tensor): Tensor {
    const m = matmul(x, this.kernel!);
    return this.bias && this.bias.rank === 1 ? add(m, this.bias) : m;
  }

  protected cellConfig(): Record<string, unknown> {
    return {
      units: this.units,
      activation: serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      recurrent_initializer: serializeInitializer(this.recurrentInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      ...weightRulesConfig(this.rules),
      dropout: this.dropout,
      recurrent_dropout: this.recurrentDropout,
    };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...this.cellConfig() };
  }
}

/** `h = activation(x · kernel + h₋₁ · recurrentKernel + bias)` (Keras's `SimpleRNNCell`). */
export class SimpleRNNCell extends KernelCell {
  static override className = "SimpleRNNCell";
  static override argKeys = optionKeys<RNNCellArgs>()(...CELL_ARG_KEYS);

  constructor(units: number, args: RNNCellArgs = {}) {
    super(units, args);
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new this(required(config, "units", this.className) as number, argsFromConfig(config, ["units"]));
  }

  protected get gates(): number {
    return 1;
  }

  get stateSize(): number[] {
    return [this.units];
  }

  step(inputs: Tensor, states: Tensor[], training: boolean): [Tensor, Tensor[]] {
    const [x, h] = this.dropped(inputs, states[0]!, training);
    const a = this.inputProjection(x);
    const b = matmul(h, this.recurrentKernel!);
    const s = add(a, b);
    const out = this.activation.fn(s);
    for (const t of [a, b, s]) if (t !== out) t.dispose();
    if (x !== inputs) x.dispose();
    if (h !== states[0]) h.dispose();
    return [out, [out]];
  }
}

/** Gated cells: a recurrent activation besides the activation. */
abstract class GatedCell extends KernelCell {
  readonly recurrentActivation: Activation;
  readonly implementation: number;
  constructor(units: number, args: GatedCellArgs) {
    super(units, args);
    this.recurrentActivation = getActivation(args.recurrentActivation === undefined ? "sigmoid" : args.recurrentActivation);
    this.implementation = args.implementation ?? 2;
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new (this as unknown as new (u: number, a: Record<string, unknown>) => Layer)(required(config, "units", this.className) as number, argsFromConfig(config, ["units"]));
  }

  protected override cellConfig(): Record<string, unknown> {
    return { ...super.cellConfig(), recurrent_activation: serialize(this.recurrentActivation), implementation: this.implementation };
  }
}

/** LSTM's unit-forget bias: the bias initializer's values, with ones for the forget gate (used only to build, never saved). */
class ForgetBiasInitializer extends Initializer {
  readonly className: string = "UnitForgetBias";
  constructor(private readonly base: Initializer, private readonly units: number) {
    super();
  }
  call(_shape: readonly number[], dtype: FloatDType = "float32"): Tensor {
    const parts = [this.base.call([this.units], dtype), new Ones().call([this.units], dtype), this.base.call([this.units * 2], dtype)];
    try {
      return concat(parts, 0);
    } finally {
      for (const p of parts) p.dispose();
    }
  }
}

/**
 * Long short-term memory (Keras's `LSTMCell`): gates `i, f, c, o` in that order along the kernels'
 * last axis; `c = f ⊙ c₋₁ + i ⊙ activation(c̃)`, `h = o ⊙ activation(c)`. States `[h, c]`.
 */
export class LSTMCell extends GatedCell {
  static override className = "LSTMCell";
  static override argKeys = optionKeys<LSTMCellArgs>()(...GATED_KEYS, "unitForgetBias");
  readonly unitForgetBias: boolean;

  constructor(units: number, args: LSTMCellArgs = {}) {
    super(units, args);
    this.unitForgetBias = args.unitForgetBias ?? true;
  }

  protected get gates(): number {
    return 4;
  }

  get stateSize(): number[] {
    return [this.units, this.units];
  }

  protected override biasInitializerFor(): Initializer {
    return this.unitForgetBias ? new ForgetBiasInitializer(this.biasInitializer, this.units) : this.biasInitializer;
  }

  step(inputs: Tensor, states: Tensor[], training: boolean): [Tensor, Tensor[]] {
    const tmp: Tensor[] = [];
    const k = <T extends Tensor>(t: T): T => (tmp.push(t), t);
    try {
      const [x, h] = this.dropped(inputs, states[0]!, training);
      if (x !== inputs) tmp.push(x);
      if (h !== states[0]) tmp.push(h);
      const z = k(add(k(this.inputProjection(x)), k(matmul(h, this.recurrentKernel!))));
      const [zi, zf, zc, zo] = split(z, 4, 1).map(k) as [Tensor, Tensor, Tensor, Tensor];
      const i = k(this.recurrentActivation.fn(zi));
      const f = k(this.recurrentActivation.fn(zf));
      const o = k(this.recurrentActivation.fn(zo));
      const c = add(k(multiply(f, states[1]!)), k(multiply(i, k(this.activation.fn(zc)))));
      const hNew = multiply(o, k(this.activation.fn(c)));
      return [hNew, [hNew, c]];
    } finally {
      for (const t of tmp) t.dispose();
    }
  }

  protected override cellConfig(): Record<string, unknown> {
    return { ...super.cellConfig(), unit_forget_bias: this.unitForgetBias };
  }
}

/**
 * Gated recurrent unit (Keras's `GRUCell`): gates `z, r, h` in that order. With `resetAfter` (Keras
 * 2's default) the bias is `[2, 3 · units]` (input and recurrent biases) and the reset gate multiplies
 * the recurrent projection; without it, the reset gate multiplies the state before its projection
 * (TensorFlow.js's only variant). `h = z ⊙ h₋₁ + (1 − z) ⊙ h̃`.
 */
export class GRUCell extends GatedCell {
  static override className = "GRUCell";
  static override argKeys = optionKeys<GRUCellArgs>()(...GATED_KEYS, "resetAfter");
  readonly resetAfter: boolean;

  constructor(units: number, args: GRUCellArgs = {}) {
    super(units, args);
    this.resetAfter = args.resetAfter ?? true;
  }

  protected get gates(): number {
    return 3;
  }

  get stateSize(): number[] {
    return [this.units];
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, this.units * 3] : [this.units * 3];
  }

  step(inputs: Tensor, states: Tensor[], training: boolean): [Tensor, Tensor[]] {
    const tmp: Tensor[] = [];
    const k = <T extends Tensor>(t: T): T => (tmp.push(t), t);
    const u = this.units;
    try {
      const hPrev = states[0]!;
      const [x, h] = this.dropped(inputs, hPrev, training);
      if (x !== inputs) tmp.push(x);
      if (h !== hPrev) tmp.push(h);
      let mx = k(this.inputProjection(x));
      let biasRec: Tensor | null = null;
      if (this.bias && this.resetAfter) {
        const [b0, b1] = split(this.bias, 2, 0).map(k) as [Tensor, Tensor];
        mx = k(add(mx, b0));
        biasRec = b1;
      }
      const [xz, xr, xh] = split(mx, 3, 1).map(k) as [Tensor, Tensor, Tensor];
      let hh: Tensor;
      let zGate: Tensor;
      if (this.resetAfter) {
        let mh = k(matmul(h, this.recurrentKernel!));
        if (biasRec) mh = k(add(mh, biasRec));
        const [rz, rr, rh] = split(mh, 3, 1).map(k) as [Tensor, Tensor, Tensor];
        zGate = k(this.recurrentActivation.fn(k(add(xz, rz))));
        const r = k(this.recurrentActivation.fn(k(add(xr, rr))));
        hh = k(this.activation.fn(k(add(xh, k(multiply(r, rh))))));
      } else {
        const [rk1, rk2] = split(this.recurrentKernel!, [2 * u, u], 1).map(k) as [Tensor, Tensor];
        const [rz, rr] = split(k(matmul(h, rk1)), 2, 1).map(k) as [Tensor, Tensor];
        zGate = k(this.recurrentActivation.fn(k(add(xz, rz))));
        const r = k(this.recurrentActivation.fn(k(add(xr, rr))));
        hh = k(this.activation.fn(k(add(xh, k(matmul(k(multiply(r, h)), rk2))))));
      }
      // z ⊙ h₋₁ + (1 − z) ⊙ h̃ (the previous state undropped, as Keras).
      const out = add(k(multiply(zGate, hPrev)), k(multiply(k(subtract(1, zGate)), hh)));
      return [out, [out]];
    } finally {
      for (const t of tmp) t.dispose();
    }
  }

  protected override cellConfig(): Record<string, unknown> {
    return { ...super.cellConfig(), reset_after: this.resetAfter };
  }
}
