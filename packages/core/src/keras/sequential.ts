/** `tf.keras.Sequential`: a linear stack of layers. */
import type { DType } from "../dtypes.js";
import { ValueError } from "../errors.js";
import { optionKeys } from "../options.js";
import { formatShapeTuple } from "../shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { FunctionalGraph } from "./functional.js";
import type { KerasTensor } from "./keras-tensor.js";
import { isKerasTensor } from "./keras-tensor.js";
import type { CallOptions, LayerInputs, LayerOutputs, Mask, Shape } from "./layer.js";
import { Layer, maskTensors } from "./layer.js";
import { InputLayer } from "./layers/input-layer.js";
import { Model } from "./model.js";

/** Options of `new Sequential(layers, options)`. */
export interface SequentialArgs {
  /** Default `sequential`, `sequential_1`, … */
  name?: string;
}

/**
 * Layers applied one after the other:
 * ```ts
 * const model = new tf.keras.Sequential([
 *   new tf.keras.layers.Dense(128, { activation: "relu", inputShape: [784] }),
 *   new tf.keras.layers.Dense(10),
 * ]);
 * ```
 * With an input shape (an `inputShape` on the first layer, or an InputLayer first) every layer is
 * built (weights created) as it is added, and the model has symbolic `inputs` and `outputs` (each
 * layer's `output` too, to build feature extractors from); otherwise on the first call.
 */
export class Sequential extends Model {
  static override className = "Sequential";
  static override argKeys: readonly string[] = optionKeys<SequentialArgs>()("name");
  private stack: Layer[] = [];
  /** The names in `stack`, so that adding a layer stays O(1) (loading a 20,000-layer config is linear). */
  private stackNames = new Set<string>();
  /** The InputLayer (declared, or made when the input shape became known). */
  private inputLayer: InputLayer | null = null;
  /** Whether the input shape was declared (checked on every call) rather than inferred from data. */
  private declaredInput = false;
  /** Each layer's symbolic output in this model. */
  private symbolicOutputs: KerasTensor[] = [];
  private graphCache: FunctionalGraph | null = null;

  constructor(layers: readonly Layer[] = [], args: SequentialArgs = {}) {
    if (!Array.isArray(layers)) throw new ValueError(`Sequential expects an array of layers, got ${JSON.stringify(layers)}`);
    super(args);
    for (const l of layers) this.add(l);
  }

  /** The layers, in order (an InputLayer is not listed, as in Keras). */
  override get layers(): Layer[] {
    return this.stack.slice();
  }

  /** Appends a layer, building it right away when the input shape is known. */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) {
      throw new ValueError(`The added layer must be an instance of class Layer. Received: layer=${String(layer)} of type ${typeof layer}.`);
    }
    if (layer instanceof InputLayer) {
      if (this.stack.length > 0 || this.inputLayer) throw new ValueError("An InputLayer can only be the first layer of a Sequential model");
      this.setInput(layer, true);
      return;
    }
    if (this.stackNames.has(layer.name)) {
      throw new ValueError(`All layers added to a Sequential model should have unique names. Name "${layer.name}" is already the name of a layer in this model. Update the \`name\` argument to pass a unique name.`);
    }
    if (this.stack.length === 0 && layer.batchInputShape && !this.inputLayer) {
      // As Keras 2: the declared shape becomes an InputLayer named after the layer.
      this.setInput(new InputLayer({ batchInputShape: layer.batchInputShape, name: `${layer.name}_input`, dtype: layer.dtype }), true);
    }
    if (this.inputLayer) {
      const last = this.symbolicOutputs[this.symbolicOutputs.length - 1] ?? (this.inputLayer.output as KerasTensor);
      this.symbolicOutputs.push(this.applySymbolic(layer, last));
      this.built = true;
    }
    this.stack.push(layer);
    this.stackNames.add(layer.name);
    this.graphCache = null;
  }

  private applySymbolic(layer: Layer, x: KerasTensor): KerasTensor {
    const out = layer.apply(x);
    if (!isKerasTensor(out)) {
      throw new ValueError("All layers in a Sequential model should have a single output tensor. For multi-output layers, use the functional API.");
    }
    return out;
  }

  /** Removes the last layer. */
  pop(): Layer {
    const l = this.stack.pop();
    if (!l) throw new ValueError("There are no layers in the model.");
    this.stackNames.delete(l.name);
    this.symbolicOutputs = this.symbolicOutputs.slice(0, this.stack.length);
    this.graphCache = null;
    return l;
  }

  private setInput(layer: InputLayer, declared: boolean): void {
    this.inputLayer = layer;
    this.declaredInput = declared;
    this.batchInputShape = layer.batchInputShape!.slice();
  }

  /** The declared or inferred input shape (batch dimension included), once known. */
  private get modelInputShape(): Shape | null {
    return this.inputLayer?.batchInputShape ?? null;
  }

  /** @internal Builds from the shape (and dtype) of the first data it is called on. */
  override _buildForApply(inputShape: Shape | Shape[] | Record<string, Shape>, dtypes?: readonly DType[]): void {
    if (Array.isArray(inputShape) && inputShape.some(Array.isArray)) throw new ValueError(`Sequential model "${this.name}" takes one input, got ${inputShape.length}`);
    this.buildFor(inputShape as Shape, dtypes?.[0] ?? this.dtype);
  }

  /** Builds every layer for inputs of `inputShape` (batch dimension included, may be null). */
  override build(inputShape: Shape | Shape[]): void {
    this.buildFor(inputShape as Shape, this.dtype);
  }

  private buildFor(inputShape: Shape, dtype: DType): void {
    if (!this.inputLayer) {
      const name = `${this.stack[0]?.name ?? this.name}_input`;
      this.setInput(new InputLayer({ batchInputShape: [null, ...inputShape.slice(1)], name, dtype }), false);
    }
    const outs: KerasTensor[] = [];
    let x = this.inputLayer!.output as KerasTensor;
    for (const l of this.stack) {
      x = this.applySymbolic(l, x);
      outs.push(x);
    }
    this.symbolicOutputs = outs;
    this.graphCache = null;
    this.built = true;
  }

  override assertInputCompatible(shape: readonly (number | null)[], index = 0): void {
    const expected = this.modelInputShape;
    if (index !== 0 || !expected || !this.declaredInput) return;
    if (expected.length !== shape.length || expected.some((d, i) => d !== null && shape[i] !== null && d !== shape[i])) {
      const first = this.stack[0];
      throw new ValueError(
        `Input 0 of layer "${this.name}" is incompatible with the layer: expected shape=${formatShapeTuple(expected)}, found shape=${formatShapeTuple(shape)}` +
          (first ? `. The first layer, "${first.name}" (${first.getClassName()}), expects inputs of shape ${formatShapeTuple(expected)}.` : ""),
      );
    }
  }

  override _assertInputsCompatible(shapes: readonly (readonly (number | null)[])[]): void {
    if (shapes.length !== 1) throw new ValueError(`Layer "${this.name}" expects 1 input(s), but it received ${shapes.length} input tensors.`);
    this.assertInputCompatible(shapes[0]!, 0);
  }

  /** Applies the layers in order; intermediate outputs are freed as soon as the next layer has run. */
  override call(inputs: LayerInputs, options: CallOptions): LayerOutputs {
    return this.run(inputs as Tensor, options, false).outputs;
  }

  /** @internal Masks pass from layer to layer, as in Keras. */
  override _callAndMask(inputs: LayerInputs, options: CallOptions, wantMask: boolean): { outputs: LayerOutputs; mask: Mask } {
    return this.run(inputs as Tensor, options, wantMask);
  }

  private run(inputs: Tensor, options: CallOptions, wantMask: boolean): { outputs: Tensor; mask: Mask } {
    if (this.stack.length === 0) throw new ValueError(`Sequential model "${this.name}" has no layers; add some first`);
    const given = new Set(maskTensors(options.mask ?? null));
    const made: Tensor[] = [];
    let x = inputs;
    let mask: Mask = options.mask ?? null;
    try {
      for (const layer of this.stack) {
        const r = layer._applyEager(x, { training: options.training ?? false, mask }, true);
        const y = r.outputs as Tensor;
        if (x !== inputs && x !== y) x.dispose();
        x = y;
        mask = r.mask;
        for (const m of maskTensors(mask)) if (!given.has(m) && !made.includes(m)) made.push(m);
      }
    } catch (err) {
      if (x !== inputs) x.dispose();
      for (const m of made) m.dispose();
      throw err;
    }
    const keep = wantMask ? new Set(maskTensors(mask)) : new Set<Tensor>();
    for (const m of made) if (!keep.has(m)) m.dispose();
    return { outputs: x, mask: wantMask ? mask : null };
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    let s = inputShape as Shape;
    for (const l of this.stack) s = l.computeOutputShape(s) as Shape;
    return s;
  }

  override computeOutputDtype(inputDtypes: readonly DType[]): DType {
    return this.symbolicOutputs[this.symbolicOutputs.length - 1]?.dtype ?? super.computeOutputDtype(inputDtypes);
  }

  /** @internal */
  override layerOutputShapes(): (Shape | null)[] {
    return this.stack.map((l, i) => this.symbolicOutputs[i]?.shape.slice() ?? l._lastOutputShape);
  }

  /** @internal The chain from the InputLayer to the last layer, for `inputs`, `outputs` and configs. */
  override _symbolicGraph(): FunctionalGraph | null {
    if (!this.inputLayer || this.symbolicOutputs.length !== this.stack.length || this.stack.length === 0) return null;
    this.graphCache ??= new FunctionalGraph(this.inputLayer.output, this.symbolicOutputs[this.symbolicOutputs.length - 1]!, this.name);
    return this.graphCache;
  }

  /** @internal Whether saved configs must count this model's first node as its own (Keras's skip-first-node rule). */
  get _hasInput(): boolean {
    return this.inputLayer !== null;
  }

  /**
   * Keras's Sequential config: `{ name, layers: [{ class_name, config }] }`. The first layer carries
   * `batch_input_shape` (as TensorFlow.js writes it); an input that is not float is written as an
   * InputLayer entry so its dtype survives.
   */
  override getConfig(): Record<string, unknown> {
    const input = this.inputLayer;
    const layers = this.stack.map((l, i) => {
      const config = l.getConfig();
      if (i === 0 && input && (input.inputDtype === "float32" || input.inputDtype === "float64")) config["batch_input_shape"] = input.batchInputShape!.slice();
      return { class_name: l.getClassName(), config };
    });
    if (input && input.inputDtype !== "float32" && input.inputDtype !== "float64") layers.unshift({ class_name: "InputLayer", config: input.getConfig() });
    return { name: this.name, layers };
  }
}
