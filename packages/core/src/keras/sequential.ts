/** `tf.keras.Sequential`: a linear stack of layers. */
import { ValueError } from "../errors.js";
import { formatShapeTuple } from "../shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { CallOptions, Shape } from "./layer.js";
import { Layer } from "./layer.js";
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
 * With an `inputShape` on the first layer every layer is built (weights created) as it is added;
 * otherwise on the first call.
 */
export class Sequential extends Model {
  static override className = "Sequential";
  private stack: Layer[] = [];
  /** The model's input shape (batch dimension `null`), once known. */
  private inputShape: Shape | null = null;
  /** Whether `inputShape` was declared (checked on every call) rather than inferred from data. */
  private declaredInput = false;
  private outputShapes: Shape[] = [];

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
      if (this.stack.length > 0 || this.inputShape) throw new ValueError("An InputLayer can only be the first layer of a Sequential model");
      this.setInputShape(layer.batchInputShape!);
      return;
    }
    if (this.stack.some((l) => l.name === layer.name)) {
      throw new ValueError(`All layers added to a Sequential model should have unique names. Name "${layer.name}" is already the name of a layer in this model. Update the \`name\` argument to pass a unique name.`);
    }
    if (this.stack.length === 0 && layer.batchInputShape && !this.inputShape) this.setInputShape(layer.batchInputShape);
    if (this.inputShape) {
      const inShape = this.outputShapes[this.outputShapes.length - 1] ?? this.inputShape;
      this.outputShapes.push(buildLayer(layer, inShape));
      this.built = true;
    }
    this.stack.push(layer);
  }

  /** Removes the last layer. */
  pop(): Layer {
    const l = this.stack.pop();
    if (!l) throw new ValueError("There are no layers in the model.");
    this.outputShapes = this.outputShapes.slice(0, this.stack.length);
    return l;
  }

  private setInputShape(shape: Shape): void {
    this.inputShape = shape.slice();
    this.declaredInput = true;
    this.batchInputShape = shape.slice();
  }

  /** Builds every layer for inputs of `inputShape` (batch dimension included, may be null). */
  override build(inputShape: Shape): void {
    if (!this.inputShape) this.inputShape = [null, ...inputShape.slice(1)];
    const shapes: Shape[] = [];
    let s = this.inputShape;
    for (const l of this.stack) {
      s = buildLayer(l, s);
      shapes.push(s);
    }
    this.outputShapes = shapes;
    this.built = true;
  }

  override assertInputCompatible(shape: readonly number[]): void {
    const expected = this.inputShape;
    if (!expected || !this.declaredInput) return;
    if (expected.length !== shape.length || expected.some((d, i) => d !== null && d !== shape[i])) {
      const first = this.stack[0];
      throw new ValueError(
        `Input 0 of layer "${this.name}" is incompatible with the layer: expected shape=${formatShapeTuple(expected)}, found shape=${formatShapeTuple(shape)}` +
          (first ? `. The first layer, "${first.name}" (${first.getClassName()}), expects inputs of shape ${formatShapeTuple(expected)}.` : ""),
      );
    }
  }

  /** Applies the layers in order; intermediate outputs are freed as soon as the next layer has run. */
  override call(inputs: Tensor, options: CallOptions): Tensor {
    if (this.stack.length === 0) throw new ValueError(`Sequential model "${this.name}" has no layers; add some first`);
    let x = inputs;
    for (const layer of this.stack) {
      const y = layer.apply(x, options);
      if (x !== inputs && x !== y) x.dispose();
      x = y;
    }
    return x;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    let s = inputShape;
    for (const l of this.stack) s = l.computeOutputShape(s);
    return s;
  }

  /** @internal */
  override layerOutputShapes(): (Shape | null)[] {
    return this.stack.map((l, i) => this.outputShapes[i] ?? l._lastOutputShape);
  }

  /** Keras's Sequential config: `{ name, layers: [{ class_name, config }] }`; the first layer carries `batch_input_shape`. */
  override getConfig(): Record<string, unknown> {
    const layers = this.stack.map((l, i) => {
      const config = l.getConfig();
      if (i === 0 && this.inputShape) config["batch_input_shape"] = this.inputShape.slice();
      return { class_name: l.getClassName(), config };
    });
    return { name: this.name, layers };
  }
}

/** Builds `layer` for inputs of `shape` (checking them first) and returns its output shape. */
function buildLayer(layer: Layer, shape: Shape): Shape {
  checkSpec(layer, shape);
  if (!layer.built) {
    layer.build(shape.slice());
    layer.built = true;
  }
  return layer.computeOutputShape(shape.slice());
}

function checkSpec(layer: Layer, shape: Shape): void {
  // Unknown dimensions cannot violate a spec: check with them standing in as the expected sizes.
  const spec = layer.inputSpec;
  if (!spec) return;
  const probe = shape.map((d, i) => {
    if (d !== null) return d;
    const axes = spec.axes ?? {};
    return axes[i] ?? axes[i - shape.length] ?? 1;
  });
  layer.assertInputCompatible(probe);
}
