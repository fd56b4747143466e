/**
 * Recurrent layers: `RNN` runs a cell (or a list of stacked cells) over the time axis of
 * `[batch, time, features]` inputs; `SimpleRNN`, `LSTM` and `GRU` are `RNN` with their cell, saved
 * with the cell's options flattened into the layer's config as Keras and TensorFlow.js do.
 * Masked time steps keep the previous states and output (Keras's rule).
 */
import { keep, tidy } from "../../engine/tidy.js";
import { ValueError } from "../../errors.js";
import { where } from "../../ops/compare.js";
import { stack } from "../../ops/concat.js";
import { zeros } from "../../ops/creation.js";
import { identity } from "../../ops/identity.js";
import { reshape } from "../../ops/reshape.js";
import { slice } from "../../ops/slice.js";
import { optionKeys } from "../../options.js";
import { Tensor } from "../../tensor/tensor.js";
import { argsFromConfig, required } from "../config.js";
import type { ActivityRegularizerArgs, CallOptions, LayerArgs, Mask, Shape } from "../layer.js";
import { serializeRegularizer } from "../regularizers.js";
import { CALL_ARG_KEYS, LAYER_ARG_KEYS, Layer, maskTensors } from "../layer.js";
import type { GRUCellArgs, LSTMCellArgs, RNNCellArgs } from "./recurrent-cells.js";
import { CELL_ARG_KEYS, GRUCell, LSTMCell, RNNCell, SimpleRNNCell } from "./recurrent-cells.js";

/** Options of the recurrent layers (besides their cell's). */
export interface RNNArgs extends LayerArgs, ActivityRegularizerArgs {
  /** Return the output of every step, `[batch, time, units]` (default false: the last one). */
  returnSequences?: boolean;
  /** Also return the final states: `[output, ...states]` (default false). */
  returnState?: boolean;
  /** Run over time backwards; sequences come out in that (reversed) order (default false). */
  goBackwards?: boolean;
  /** Carry the final states of a batch over as the initial states of the next (default false); needs a fixed batch size. */
  stateful?: boolean;
  /** Kept for Keras configs: Tessera always runs the steps one after the other. */
  unroll?: boolean;
  /** Only false (batch-major inputs) is supported. */
  timeMajor?: boolean;
  /** Masked steps output zeros instead of the previous output (default false). */
  zeroOutputForMask?: boolean;
}

/** Options of `RNN` itself. */
export type RNNLayerArgs = RNNArgs;

/** Options of a recurrent layer's `apply`. */
export interface RNNCallOptions extends CallOptions {
  /** Initial states, one per state of the cell (default zeros). On data only. */
  initialState?: Tensor | Tensor[];
}

const RNN_KEYS = [...LAYER_ARG_KEYS, "returnSequences", "returnState", "goBackwards", "stateful", "unroll", "timeMajor", "zeroOutputForMask", "activityRegularizer"] as const;

/** A list of cells run one after the other at each step, as one cell (Keras's `StackedRNNCells`). */
export class StackedRNNCells extends RNNCell {
  static override className = "StackedRNNCells";
  static override argKeys: readonly string[] = LAYER_ARG_KEYS;
  readonly cells: RNNCell[];

  constructor(cells: RNNCell[], args: LayerArgs = {}) {
    super(args);
    if (!Array.isArray(cells) || cells.length === 0 || !cells.every((c) => c instanceof RNNCell)) throw new ValueError("StackedRNNCells expects a non-empty list of RNN cells");
    this.cells = cells;
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    const cells = (config["cells"] as { class_name: string; config: Record<string, unknown> }[] | undefined) ?? [];
    return new StackedRNNCells(cells.map(cellFromConfig), argsFromConfig(config, ["cells"]));
  }

  get stateSize(): number[] {
    return this.cells.flatMap((c) => c.stateSize);
  }

  get outputSize(): number {
    return this.cells[this.cells.length - 1]!.outputSize;
  }

  override build(inputShape: Shape): void {
    let shape = inputShape;
    for (const c of this.cells) {
      c.build(shape);
      c.built = true;
      shape = [shape[0] ?? null, c.outputSize];
    }
    this.built = true;
  }

  step(inputs: Tensor, states: Tensor[], training: boolean): [Tensor, Tensor[]] {
    let x = inputs;
    const out: Tensor[] = [];
    let at = 0;
    for (const c of this.cells) {
      const n = c.stateSize.length;
      const [y, s] = c.step(x, states.slice(at, at + n), training);
      at += n;
      out.push(...s);
      x = y;
    }
    return [x, out];
  }

  override resetDropoutMasks(): void {
    for (const c of this.cells) c.resetDropoutMasks();
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cells: this.cells.map((c) => ({ class_name: c.getClassName(), config: c.getConfig() })) };
  }
}

const CELLS: Record<string, { fromConfig(c: Record<string, unknown>): Layer }> = { SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells };

function cellFromConfig(c: { class_name: string; config: Record<string, unknown> }): RNNCell {
  const cls = c && typeof c === "object" && Object.hasOwn(CELLS, c.class_name) ? CELLS[c.class_name] : undefined;
  if (!cls) throw new ValueError(`Unknown RNN cell class ${JSON.stringify(c?.class_name)} (known: ${Object.keys(CELLS).join(", ")})`);
  return cls.fromConfig(c.config ?? {}) as RNNCell;
}

/**
 * Runs a cell over time (Keras's `RNN`): `new RNN(new LSTMCell(8), { returnSequences: true })`, or a
 * list of cells (stacked). Inputs are `[batch, time, features]`; an input mask (from `Embedding` with
 * `maskZero` or `Masking`) makes masked steps keep the previous states and output.
 */
export class RNN extends Layer {
  static override className = "RNN";
  static override argKeys: readonly string[] = optionKeys<RNNLayerArgs>()(...RNN_KEYS);
  static override callArgKeys = [...CALL_ARG_KEYS, "initialState"];
  declare readonly _outputs?: Tensor | Tensor[];
  readonly cell: RNNCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  readonly zeroOutputForMask: boolean;
  /** The carried states of a stateful layer (null until the first call or after `resetStates`). */
  states: Tensor[] | null = null;

  constructor(cell: RNNCell | RNNCell[], args: RNNLayerArgs = {}) {
    super(args);
    // The built-in layers pass a factory, so that their cell takes the layer's (possibly generated) name.
    const made = typeof cell === "function" ? (cell as unknown as (name: string) => RNNCell)(this.name) : cell;
    this.cell = Array.isArray(made) ? new StackedRNNCells(made) : made;
    if (!(this.cell instanceof RNNCell)) throw new ValueError(`RNN "${this.name}": \`cell\` must be an RNN cell (SimpleRNNCell, LSTMCell, GRUCell) or a list of them, got ${String(cell)}`);
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.stateful = args.stateful ?? false;
    this.unroll = args.unroll ?? false;
    this.zeroOutputForMask = args.zeroOutputForMask ?? false;
    if (args.timeMajor) throw new ValueError(`RNN "${this.name}": \`timeMajor: true\` is not supported; pass [batch, time, features] inputs`);
    this.inputSpec = { ndim: 3 };
    this.supportsMasking = true;
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new RNN(cellFromConfig(required(config, "cell", "RNN") as { class_name: string; config: Record<string, unknown> }), argsFromConfig(config, ["cell"]));
  }

  override build(inputShape: Shape): void {
    if (this.stateful && (inputShape[0] === null || inputShape[0] === undefined)) {
      throw new ValueError(
        `If a RNN is stateful, it needs to know its batch size. Specify the batch size of your input tensors: pass \`batchSize\` to tf.keras.Input or \`batchInputShape\` to the first layer (layer "${this.name}")`,
      );
    }
    const f = inputShape[2];
    if (f === null || f === undefined) throw new ValueError(`The last dimension of the inputs to RNN "${this.name}" should be defined. Found shape ${JSON.stringify(inputShape)}`);
    this.cell.build([inputShape[0] ?? null, f]);
    this.cell.built = true;
    this.inputSpec = { ndim: 3, axes: { [-1]: f } };
    this.built = true;
  }

  private initialStates(batch: number, given: Tensor | Tensor[] | undefined, dtype: "float32" | "float64"): Tensor[] {
    const sizes = this.cell.stateSize;
    if (given !== undefined) {
      const list = given instanceof Tensor ? [given] : given;
      if (!Array.isArray(list) || list.length !== sizes.length) {
        throw new ValueError(`Layer ${this.name} expects ${sizes.length} state(s), but it received ${Array.isArray(list) ? list.length : 0} initial state(s).`);
      }
      list.forEach((s, i) => {
        if (!(s instanceof Tensor) || s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== sizes[i]) {
          throw new ValueError(`Layer ${this.name}: initial state ${i} must have shape (${batch}, ${sizes[i]}), got ${s instanceof Tensor ? `(${s.shape.join(", ")})` : String(s)}`);
        }
      });
      return list;
    }
    if (this.stateful && this.states) {
      if (this.states[0]!.shape[0] !== batch) throw new ValueError(`Stateful RNN "${this.name}" was built for batch size ${this.states[0]!.shape[0]}, got a batch of ${batch}`);
      return this.states;
    }
    return sizes.map((s) => zeros([batch, s], dtype));
  }

  override call(inputs: Tensor, options: RNNCallOptions): Tensor | Tensor[] {
    const [batch, time, features] = inputs.shape as [number, number, number];
    const mask = maskTensors(options.mask)[0] ?? null;
    const training = options.training ?? false;
    const dtype = inputs.dtype === "float64" ? "float64" : "float32";
    const { result, finals } = tidy(() => {
      let states = this.initialStates(batch, options.initialState, dtype);
      let last: Tensor | null = null;
      const outs: Tensor[] = [];
      try {
        for (let k = 0; k < time; k++) {
          const t = this.goBackwards ? time - 1 - k : k;
          const xt = reshape(slice(inputs, [0, t, 0], [batch, 1, features]), [batch, features]);
          let [out, next] = this.cell.step(xt, states, training);
          if (mask) {
            const m = reshape(slice(mask, [0, t], [batch, 1]), [batch, 1]);
            next = next.map((s, i) => where(m, s, states[i]!));
            const prev = this.zeroOutputForMask || last === null ? zeros(out.shape, out.dtype) : last;
            out = where(m, out, prev);
          }
          states = next;
          last = out;
          if (this.returnSequences) outs.push(out);
        }
      } finally {
        this.cell.resetDropoutMasks();
      }
      if (last === null) throw new ValueError(`RNN "${this.name}" received inputs with no time steps (shape (${inputs.shape.join(", ")}))`);
      const output = this.returnSequences ? stack(outs, 1) : identity(last);
      const result: Tensor | Tensor[] = this.returnState ? [output, ...states.map((s) => identity(s))] : output;
      // A stateful layer's states outlive any enclosing tidy.
      return { result, finals: this.stateful ? states.map((s) => keep(identity(s))) : [] };
    });
    if (this.stateful) {
      for (const s of this.states ?? []) s.dispose();
      this.states = finals;
    }
    return result;
  }

  /** Forgets the carried states of a stateful layer (the next call starts from zeros), or sets them. */
  resetStates(states?: Tensor[]): void {
    if (!this.stateful) throw new ValueError(`Layer "${this.name}" must be stateful to reset its states`);
    const old = this.states ?? [];
    this.states = states ? states.map((s) => keep(identity(s))) : null;
    for (const s of old) s.dispose();
  }

  override computeMask(_inputs: Tensor, mask?: Mask): Mask {
    const m = maskTensors(mask)[0] ?? null;
    const out = this.returnSequences ? m : null;
    return this.returnState ? [out, ...this.cell.stateSize.map(() => null)] : out;
  }

  override computeOutputShape(inputShape: Shape): Shape | Shape[] {
    const units = this.cell.outputSize;
    const out: Shape = this.returnSequences ? [inputShape[0] ?? null, inputShape[1] ?? null, units] : [inputShape[0] ?? null, units];
    return this.returnState ? [out, ...this.cell.stateSize.map((s) => [inputShape[0] ?? null, s])] : out;
  }

  override dispose(): void {
    for (const s of this.states ?? []) s.dispose();
    this.states = null;
    super.dispose();
  }

  protected rnnConfig(): Record<string, unknown> {
    return {
      return_sequences: this.returnSequences,
      return_state: this.returnState,
      go_backwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
    };
  }

  override getConfig(): Record<string, unknown> {
    const activity = this.activityRegularizer ? { activity_regularizer: serializeRegularizer(this.activityRegularizer) } : {};
    return { ...super.getConfig(), ...this.rnnConfig(), ...activity, cell: { class_name: this.cell.getClassName(), config: this.cell.getConfig() } };
  }
}

// The layer options every layer takes (inputShape…) stay with the layer; name, trainable and dtype go to both.
const CELL_ONLY = new Set<string>([...CELL_ARG_KEYS, "recurrentActivation", "implementation", "unitForgetBias", "resetAfter"].filter((k) => !(LAYER_ARG_KEYS as readonly string[]).includes(k)));

/** Splits a recurrent layer's options into the cell's and the layer's (unknown keys go to the layer, which names them). */
function splitArgs<A extends RNNArgs>(args: A, allowed: readonly string[]): { cell: Record<string, unknown>; layer: RNNArgs } {
  const cell: Record<string, unknown> = {};
  const layer: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (k === "name" || k === "trainable" || k === "dtype") {
      layer[k] = v;
      cell[k] = v;
    } else if (CELL_ONLY.has(k) && allowed.includes(k)) cell[k] = v;
    else layer[k] = v;
  }
  return { cell, layer: layer as RNNArgs };
}

/** A recurrent layer whose config is its cell's options flattened with the layer's (Keras's built-in RNNs). */
abstract class BuiltinRNN extends RNN {
  /** `makeCell` builds the cell from its share of `args` (split by `keys`, the subclass's `argKeys`), named after the layer. */
  protected constructor(units: number, args: RNNArgs, keys: readonly string[], makeCell: (units: number, cellArgs: Record<string, unknown>) => RNNCell) {
    const { cell, layer } = splitArgs(args, keys);
    super(namedCell((name) => makeCell(units, { ...cell, name })), layer);
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    // Keras 2 writes time_major and zero_output_for_mask only for some classes; TF.js none: all are accepted.
    const ctor = this as unknown as (new (units: number, args: Record<string, unknown>) => Layer) & { className: string };
    return new ctor(required(config, "units", ctor.className) as number, argsFromConfig(config, ["units"]));
  }

  override getConfig(): Record<string, unknown> {
    const { name: _n, trainable: _t, dtype: _d, ...cellConfig } = this.cell.getConfig();
    return { ...Layer.prototype.getConfig.call(this), ...cellConfig, activity_regularizer: serializeRegularizer(this.activityRegularizer), ...this.rnnConfig() };
  }
}

/** A factory of the cell named after the layer, so weights are `<layer>/kernel` as Keras and TF.js name them. */
function namedCell(make: (name: string) => RNNCell): RNNCell {
  return make as unknown as RNNCell;
}

/** Options of `SimpleRNN`. */
export interface SimpleRNNArgs extends RNNArgs, RNNCellArgs {}
/** Options of `LSTM`. */
export interface LSTMArgs extends RNNArgs, LSTMCellArgs {}
/** Options of `GRU`. */
export interface GRUArgs extends RNNArgs, GRUCellArgs {}

/** A fully connected recurrent layer: `new SimpleRNN(16, { returnSequences: true })`. */
export class SimpleRNN extends BuiltinRNN {
  static override className = "SimpleRNN";
  static override argKeys = optionKeys<SimpleRNNArgs>()(...RNN_KEYS, ...CELL_ARG_KEYS);
  declare readonly cell: SimpleRNNCell;
  constructor(units: number, args: SimpleRNNArgs = {}) {
    super(units, args, SimpleRNN.argKeys, (u, cellArgs) => new SimpleRNNCell(u, cellArgs));
  }
}

/** Long short-term memory: `new LSTM(32, { returnSequences: true, returnState: true })`. */
export class LSTM extends BuiltinRNN {
  static override className = "LSTM";
  static override argKeys = optionKeys<LSTMArgs>()(...RNN_KEYS, ...CELL_ARG_KEYS, "recurrentActivation", "implementation", "unitForgetBias");
  declare readonly cell: LSTMCell;
  constructor(units: number, args: LSTMArgs = {}) {
    super(units, args, LSTM.argKeys, (u, cellArgs) => new LSTMCell(u, cellArgs));
  }
}

/** Gated recurrent unit: `new GRU(32, { resetAfter: false })` (TensorFlow.js has only `resetAfter: false`). */
export class GRU extends BuiltinRNN {
  static override className = "GRU";
  static override argKeys = optionKeys<GRUArgs>()(...RNN_KEYS, ...CELL_ARG_KEYS, "recurrentActivation", "implementation", "resetAfter");
  declare readonly cell: GRUCell;
  constructor(units: number, args: GRUArgs = {}) {
    super(units, args, GRU.argKeys, (u, cellArgs) => new GRUCell(u, cellArgs));
  }
}
