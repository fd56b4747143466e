/**
 * Layer wrappers: `TimeDistributed` (a layer applied to every time step) and `Bidirectional` (a
 * recurrent layer run forwards and backwards, outputs merged). Wrapped layers' weights are named
 * after the wrapper, as Keras and TensorFlow.js name them.
 */
import { tidy } from "../../engine/tidy.js";
import { ValueError } from "../../errors.js";
import { add, multiply } from "../../ops/binary.js";
import { concat } from "../../ops/concat.js";
import { range } from "../../ops/creation.js";
import { gather } from "../../ops/gather.js";
import { reshape } from "../../ops/reshape.js";
import { optionKeys } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import { argsFromConfig, required } from "../config.js";
import type { CallOptions, LayerArgs, Mask, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer, maskTensors } from "../layer.js";
// A cycle (serialization → registry → wrappers → serialization), used only at call time.
import { layerFromConfig } from "../serialization.js";
import { RNN } from "./recurrent.js";

function innerFromConfig(c: unknown, cls: string): Layer {
  const spec = c as { class_name?: unknown; config?: unknown } | null;
  if (!spec || typeof spec.class_name !== "string" || !spec.config || typeof spec.config !== "object") {
    throw new ValueError(`The ${cls} config has no valid \`layer\` ({ class_name, config }), got ${JSON.stringify(c)}`);
  }
  return layerFromConfig({ class_name: spec.class_name, config: spec.config as Record<string, unknown> });
}

/** Names a layer's weights (and its RNN cell's) `<prefix>/<weight>`. */
function prefixWeights(layer: Layer, prefix: string): void {
  layer._weightPrefix = prefix;
  if (layer instanceof RNN) layer.cell._weightPrefix = prefix;
}

/** Options of `TimeDistributed` (the layer is the first argument). */
export type TimeDistributedArgs = LayerArgs;

/**
 * Applies a layer to every time step (axis 1) of its input: `new TimeDistributed(new Dense(8))` on
 * `[batch, time, features]` gives `[batch, time, 8]`. The steps run as one batch of `batch · time`.
 */
export class TimeDistributed extends Layer {
  static override className = "TimeDistributed";
  static override argKeys = optionKeys<TimeDistributedArgs>()(...LAYER_ARG_KEYS);
  readonly layer: Layer;

  constructor(layer: Layer, args: TimeDistributedArgs = {}) {
    super(args);
    if (!(layer instanceof Layer)) throw new ValueError(`Please initialize \`TimeDistributed\` layer with a \`tf.keras.layers.Layer\` instance. Received: ${String(layer)}`);
    if (layer.built) throw new ValueError(`TimeDistributed "${this.name}": the wrapped layer "${layer.name}" is already built; wrap a new layer`);
    this.layer = layer;
    prefixWeights(layer, this.name);
    this.inputSpec = { minNdim: 3 };
    this.supportsMasking = true;
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new TimeDistributed(innerFromConfig(required(config, "layer", "TimeDistributed"), "TimeDistributed"), argsFromConfig(config, ["layer"]));
  }

  override build(inputShape: Shape): void {
    if (inputShape.length < 3) throw new ValueError(`\`TimeDistributed\` Layer should be passed an \`input_shape\` with at least 3 dimensions, received: ${JSON.stringify(inputShape)}`);
    const inner = [inputShape[0] === null || inputShape[1] === null ? null : inputShape[0]! * inputShape[1]!, ...inputShape.slice(2)];
    this.layer.build(inner);
    this.layer.built = true;
    this.built = true;
  }

  override call(inputs: Tensor, options: CallOptions): Tensor {
    const [b, t, ...rest] = inputs.shape as number[];
    return tidy(() => {
      const flat = reshape(inputs, [b! * t!, ...rest]);
      const y = this.layer.apply(flat, { training: options.training }) as Tensor;
      return reshape(y, [b!, t!, ...y.shape.slice(1)]);
    });
  }

  override computeMask(_inputs: Tensor, mask?: Mask): Mask {
    return maskTensors(mask)[0] ?? null;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const inner = this.layer.computeOutputShape([null, ...inputShape.slice(2)]) as Shape;
    return [inputShape[0] ?? null, inputShape[1] ?? null, ...inner.slice(1)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: { class_name: this.layer.getClassName(), config: this.layer.getConfig() } };
  }
}

/** How `Bidirectional` combines the two directions. */
export type MergeMode = "concat" | "sum" | "mul" | "ave" | null;

/** Options of `Bidirectional` (the recurrent layer is the first argument). */
export interface BidirectionalArgs extends LayerArgs {
  /** How the outputs are combined (default "concat"); null returns both, `[forward, backward]`. */
  mergeMode?: MergeMode;
}

const MERGE_MODES = ["concat", "sum", "mul", "ave", null];

/**
 * Runs a recurrent layer forwards and a copy backwards over the sequence and merges their outputs
 * (Keras's `Bidirectional`). The backward sequence output is put back in forward time order before
 * merging. With `returnState`, returns `[output, ...forwardStates, ...backwardStates]`.
 */
export class Bidirectional extends Layer {
  static override className = "Bidirectional";
  static override argKeys = optionKeys<BidirectionalArgs>()(...LAYER_ARG_KEYS, "mergeMode");
  declare readonly _outputs?: Tensor | Tensor[];
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: MergeMode;
  /** The wrapped layer's config, saved as `layer`. */
  private readonly layerSpec: { class_name: string; config: Record<string, unknown> };

  constructor(layer: RNN, args: BidirectionalArgs = {}) {
    super(args);
    if (!(layer instanceof RNN)) throw new ValueError(`Please initialize \`Bidirectional\` layer with a recurrent layer (SimpleRNN, LSTM, GRU, RNN). Received: ${String(layer)}`);
    const mode = args.mergeMode === undefined ? "concat" : args.mergeMode;
    if (!MERGE_MODES.includes(mode)) throw new ValueError(`Invalid merge mode. Received: ${JSON.stringify(mode)}. Merge mode should be one of {"sum", "mul", "ave", "concat", null}`);
    this.mergeMode = mode;
    const config = layer.getConfig();
    this.layerSpec = { class_name: layer.getClassName(), config };
    const make = (dir: "forward" | "backward"): RNN => {
      const name = `${dir}_${layer.name}`;
      const l = layerFromConfig({ class_name: layer.getClassName(), config: { ...config, name, go_backwards: dir === "forward" ? layer.goBackwards : !layer.goBackwards } }) as RNN;
      prefixWeights(l, `${this.name}/${name}`);
      return l;
    };
    this.forwardLayer = make("forward");
    this.backwardLayer = make("backward");
    this.inputSpec = { ndim: 3 };
    this.supportsMasking = true;
  }

  /** From a config; a Keras `backward_layer` entry is not needed (the backward layer is the forward one's copy). */
  static override fromConfig(config: Record<string, unknown>): Layer {
    const inner = innerFromConfig(required(config, "layer", "Bidirectional"), "Bidirectional");
    if (!(inner instanceof RNN)) throw new ValueError(`Bidirectional wraps recurrent layers; the config's layer is a ${inner.getClassName()}`);
    try {
      // A null merge_mode means "return both", not the default.
      const args: BidirectionalArgs = argsFromConfig(config, ["layer", "backward_layer"]);
      if (config["merge_mode"] === null) args.mergeMode = null;
      return new Bidirectional(inner, args);
    } finally {
      inner.dispose();
    }
  }

  override build(inputShape: Shape): void {
    this.forwardLayer.build(inputShape);
    this.forwardLayer.built = true;
    this.backwardLayer.build(inputShape);
    this.backwardLayer.built = true;
    this.built = true;
  }

  override call(inputs: Tensor, options: CallOptions): Tensor | Tensor[] {
    const opts = { training: options.training, mask: options.mask ?? null };
    return tidy(() => {
      const f = this.forwardLayer.apply(inputs, opts) as Tensor | Tensor[];
      const b = this.backwardLayer.apply(inputs, opts) as Tensor | Tensor[];
      const fs = Array.isArray(f) ? f : [f];
      const bs = Array.isArray(b) ? b : [b];
      let y = fs[0]!;
      let yb = bs[0]!;
      if (this.forwardLayer.returnSequences) {
        const t = yb.shape[1]!;
        yb = gather(yb, range(t - 1, -1, -1, "int32"), 1);
      }
      let merged: Tensor[];
      switch (this.mergeMode) {
        case "concat": merged = [concat([y, yb], -1)]; break;
        case "sum": merged = [add(y, yb)]; break;
        case "mul": merged = [multiply(y, yb)]; break;
        case "ave": merged = [multiply(add(y, yb), 0.5)]; break;
        default: merged = [y, yb];
      }
      y = merged[0]!;
      const states = [...fs.slice(1), ...bs.slice(1)];
      if (!this.forwardLayer.returnState && merged.length === 1) return y;
      return [...merged, ...states];
    });
  }

  override computeMask(_inputs: Tensor, mask?: Mask): Mask {
    const m = this.forwardLayer.returnSequences ? (maskTensors(mask)[0] ?? null) : null;
    const n = (this.mergeMode === null ? 2 : 1) + (this.forwardLayer.returnState ? 2 * this.forwardLayer.cell.stateSize.length : 0);
    return n === 1 ? m : Array.from({ length: n }, (_, i) => (i < (this.mergeMode === null ? 2 : 1) ? m : null));
  }

  override computeOutputShape(inputShape: Shape): Shape | Shape[] {
    const f = this.forwardLayer.computeOutputShape(inputShape);
    const shapes = (Array.isArray(f[0]) ? f : [f]) as Shape[];
    const out = shapes[0]!;
    const last = out[out.length - 1];
    const mergedShape: Shape = this.mergeMode === "concat" ? [...out.slice(0, -1), last === null || last === undefined ? null : last * 2] : out;
    const outs = this.mergeMode === null ? [out, out] : [mergedShape];
    const states = [...shapes.slice(1), ...shapes.slice(1)];
    return outs.length === 1 && states.length === 0 ? mergedShape : [...outs, ...states];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: { class_name: this.layerSpec.class_name, config: { ...this.layerSpec.config } }, merge_mode: this.mergeMode };
  }
}
