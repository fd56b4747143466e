/**
 * `tf.keras.layers.Layer`: the base of every layer and model.
 *
 * Variable tracking works like Keras's `__setattr__`: the constructor returns a Proxy whose
 * `defineProperty` trap sees every attribute a subclass assigns (class fields included, since they
 * are defined on the constructed `this`), in assignment order. Attribute values are walked when
 * `variables` is read, so arrays and plain objects filled after assignment are seen too.
 */
import { ValueError } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { tidy } from "../engine/tidy.js";
import { cast } from "../ops/cast.js";
import { zeros } from "../ops/creation.js";
import { formatShapeTuple } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import { Tensor } from "../tensor/tensor.js";
import { Variable } from "../tensor/variable.js";
import type { FloatDType, InitializerIdentifier } from "./initializers.js";
import { getInitializer } from "./initializers.js";
import { toSnakeCase, uniqueName } from "./naming.js";
import { checkOptions, optionKeys } from "../options.js";

/** A shape in which the batch (and other) dimensions may be unknown (`null`). */
export type Shape = (number | null)[];

/** Options every layer accepts. */
export interface LayerArgs {
  /** Unique layer name (default: the snake_case class name made unique, `dense_1`). */
  name?: string;
  /** Whether the layer's weights are trained (default true). */
  trainable?: boolean;
  /** dtype of the weights and computations (default float32). */
  dtype?: FloatDType;
  /** Shape of one example, without the batch dimension (on the first layer of a Sequential). */
  inputShape?: readonly (number | null)[];
  /** Full input shape including the batch dimension, e.g. `[null, 784]`. */
  batchInputShape?: readonly (number | null)[];
  /** Fixed batch size, combined with `inputShape`. */
  batchSize?: number;
}

/** The keys of `LayerArgs`, for subclasses' `argKeys`. */
export const LAYER_ARG_KEYS = optionKeys<LayerArgs>()("name", "trainable", "dtype", "inputShape", "batchInputShape", "batchSize");

/** Options of `layer.apply(inputs, options)` and `call`. */
export interface CallOptions {
  /** Training mode (Dropout is active only when true). Nested layers inherit it when not given. */
  training?: boolean;
}

/** What a layer expects of its input (Keras's `InputSpec`); checked before `call`. */
export interface InputSpec {
  ndim?: number;
  minNdim?: number;
  maxNdim?: number;
  /** Required sizes of some axes (negative counts from the end). */
  axes?: Record<number, number>;
}

/** Options of `addWeight`. */
export interface AddWeightOptions {
  /** Default: glorotUniform for floats. */
  initializer?: InitializerIdentifier;
  /** Whether optimizers train it (default true). */
  trainable?: boolean;
  dtype?: FloatDType;
}

/** One attribute or weight, in the order it was assigned/created. */
type TrackEntry = { readonly key: string } | { readonly weight: Variable };

// The base class's own fields never hold variables or layers: not worth tracking.
const BASE_FIELDS = new Set(["name", "trainable", "dtype", "built", "batchInputShape", "inputSpec", "_tracked", "_lastOutputShape"]);

// The `training` flag of the layer calls in progress: nested layers inherit it (as Keras's call context).
const trainingStack: boolean[] = [];

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

/** Values worth tracking: variables, layers, and arrays/plain objects that may hold them. */
function isTrackable(x: unknown): boolean {
  return x instanceof Variable || x instanceof Layer || Array.isArray(x) || isPlainObject(x);
}

const trackingHandler: ProxyHandler<Layer> = {
  defineProperty(target, key, desc) {
    const ok = Reflect.defineProperty(target, key, desc);
    if (ok && typeof key === "string" && "value" in desc) target._trackAttribute(key, desc.value);
    return ok;
  },
  deleteProperty(target, key) {
    if (typeof key === "string") target._trackAttribute(key, undefined);
    return Reflect.deleteProperty(target, key);
  },
};

/**
 * The base class of layers. Subclass it and override `build(inputShape)` (create weights with
 * `addWeight`) and `call(inputs, { training })`; use it through `apply(inputs, options)`.
 */
export class Layer {
  /** The Keras class name written in configs; subclasses set their own. */
  static className = "Layer";
  /**
   * Every key the constructor's options object may hold (its own and `LayerArgs`'). Built-in layers
   * declare it, so a misspelt option raises `TypeError` as a Keras keyword argument does; a subclass
   * that does not declare its own is not checked (it may pass its own options on to `super`).
   */
  static argKeys?: readonly string[];

  /** Unique name (`dense`, `dense_1`, …); weights are named `<name>/<weight>:0`. */
  readonly name: string;
  /** Whether optimizers train this layer's weights. */
  trainable: boolean;
  /** dtype of weights and computations. */
  readonly dtype: FloatDType;
  /** Whether `build` has run. */
  built = false;
  /** The input shape given at construction (`inputShape` with a `null` batch), if any. */
  batchInputShape: Shape | null;
  /** Checked against inputs before `call`. */
  inputSpec: InputSpec | null = null;
  /** @internal Attribute keys and addWeight variables in assignment order. */
  _tracked: TrackEntry[] = [];
  /** @internal Output shape of the last call, batch dimension as `null` (for summaries). */
  _lastOutputShape: Shape | null = null;

  constructor(args: LayerArgs = {}) {
    if (args === null || typeof args !== "object" || Array.isArray(args)) {
      throw new ValueError(`${new.target.name}: the layer options must be an object, got ${JSON.stringify(args)}`);
    }
    // Only classes that declare their own keys are checked (a user subclass may pass its own options on).
    const keys = Object.hasOwn(new.target, "argKeys") ? new.target.argKeys : undefined;
    if (keys) checkOptions(`keras.layers.${classNameOf(new.target)}`, args, keys);
    this.name = args.name ?? uniqueName(toSnakeCase(classNameOf(new.target)));
    if (typeof this.name !== "string" || this.name === "") throw new ValueError(`Layer name must be a non-empty string, got ${JSON.stringify(args.name)}`);
    this.trainable = args.trainable ?? true;
    this.dtype = args.dtype ?? "float32";
    if (this.dtype !== "float32" && this.dtype !== "float64") {
      throw new ValueError(`Layer "${this.name}": dtype must be "float32" or "float64", got ${JSON.stringify(args.dtype)}`);
    }
    this.batchInputShape = resolveBatchInputShape(args, this.name);
    return new Proxy(this, trackingHandler);
  }

  /** The Keras class name of this layer (`Dense`). */
  getClassName(): string {
    return classNameOf(this.constructor as typeof Layer);
  }

  // ------------------------------------------------------------ building and calling

  /** Creates the layer's weights for inputs of `inputShape` (batch dimension included). */
  build(inputShape: Shape): void {
    void inputShape;
    this.built = true;
  }

  /** @internal How `apply` builds on first use (models override it). */
  _buildForApply(inputShape: Shape): void {
    this.build(inputShape);
  }

  /** The layer's computation. The base layer returns its input. */
  call(inputs: Tensor, options: CallOptions): Tensor {
    void options;
    return inputs;
  }

  /**
   * Runs the layer: converts `inputs` to a tensor of the layer's dtype (float inputs are cast, as
   * Keras's autocast does), builds the layer on first use, checks the input against `inputSpec`, then
   * calls `call`. `training` defaults to the enclosing layer call's, else false.
   */
  apply(inputs: TensorLike, options: CallOptions = {}): Tensor {
    if (options === null || typeof options !== "object") {
      throw new ValueError(`Layer "${this.name}": apply's second argument must be an options object like { training: true }, got ${JSON.stringify(options)}`);
    }
    let x = inputs instanceof Tensor ? inputs : toTensor(inputs, this.name, this.dtype);
    if (inputs instanceof Tensor) inputs.throwIfDisposed(this.name);
    const temps: Tensor[] = x !== inputs ? [x] : [];
    try {
      if ((x.dtype === "float32" || x.dtype === "float64") && x.dtype !== this.dtype) {
        x = cast(x, this.dtype);
        temps.push(x);
      }
      this.assertInputCompatible(x.shape);
      if (!this.built) {
        this._buildForApply(x.shape.slice());
        this.built = true;
      }
      const training = options.training ?? trainingStack[trainingStack.length - 1] ?? false;
      trainingStack.push(training);
      let out: Tensor;
      try {
        out = this.call(x, { training });
      } finally {
        trainingStack.pop();
      }
      this._lastOutputShape = [null, ...out.shape.slice(1)];
      // A layer that returns its input (Dropout at inference) must not lose it to the cleanup below.
      const i = temps.indexOf(out);
      if (i >= 0) temps.splice(i, 1);
      return out;
    } finally {
      for (const t of temps) t.dispose();
    }
  }

  /** Throws Keras's message when `shape` does not satisfy `inputSpec` or the declared input shape. */
  assertInputCompatible(shape: readonly number[]): void {
    const spec = this.inputSpec;
    const head = `Input 0 of layer "${this.name}" is incompatible with the layer:`;
    const full = `Full shape received: ${formatShapeTuple(shape)}`;
    if (spec) {
      if (spec.ndim !== undefined && shape.length !== spec.ndim) {
        throw new ValueError(`${head} expected ndim=${spec.ndim}, found ndim=${shape.length}. ${full}`);
      }
      if (spec.minNdim !== undefined && shape.length < spec.minNdim) {
        throw new ValueError(`${head} expected min_ndim=${spec.minNdim}, found ndim=${shape.length}. ${full}`);
      }
      if (spec.maxNdim !== undefined && shape.length > spec.maxNdim) {
        throw new ValueError(`${head} expected max_ndim=${spec.maxNdim}, found ndim=${shape.length}. ${full}`);
      }
      for (const [k, v] of Object.entries(spec.axes ?? {})) {
        const axis = Number(k);
        const d = shape[axis < 0 ? shape.length + axis : axis];
        if (d !== v) {
          throw new ValueError(`${head} expected axis ${axis} of input shape to have value ${v}, but received input with shape ${formatShapeTuple(shape)}`);
        }
      }
    }
  }

  /**
   * The output shape for inputs of `inputShape` (batch dimension included, possibly `null`).
   * Built-in layers compute it; the default runs the layer once on zeros (batch 1).
   */
  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.slice(1).some((d) => d === null)) {
      throw new ValueError(`Layer "${this.name}": cannot infer the output shape for input shape ${formatShapeTuple(inputShape)}; override computeOutputShape`);
    }
    const probe = [1, ...(inputShape.slice(1) as number[])];
    const out = tidy(() => ENGINE.untaped(() => this.apply(zeros(probe, this.dtype))).shape.slice());
    return [inputShape[0] ?? null, ...out.slice(1)];
  }

  // ------------------------------------------------------------ weights

  /**
   * Creates a weight `<layer name>/<name>:0` of `shape`, initialised by `initializer`
   * (default glorotUniform), and tracks it.
   */
  addWeight(name: string, shape: readonly number[], options: AddWeightOptions = {}): Variable {
    const dtype = options.dtype ?? this.dtype;
    const init = getInitializer(options.initializer ?? "glorotUniform");
    const value = init.call(shape, dtype);
    try {
      const v = new Variable(value, { name: `${this.name}/${name}`, trainable: options.trainable ?? true });
      this._tracked.push({ weight: v });
      return v;
    } finally {
      value.dispose();
    }
  }

  /** @internal Called by the tracking Proxy for every attribute assignment. */
  _trackAttribute(key: string, value: unknown): void {
    if (BASE_FIELDS.has(key)) return;
    const i = this._tracked.findIndex((e) => "key" in e && e.key === key);
    if (i >= 0) this._tracked.splice(i, 1);
    if (isTrackable(value)) this._tracked.push({ key });
  }

  /** Own variables (direct, in arrays/objects, from addWeight) and direct sub-layers, in assignment order. */
  private gather(): { own: Variable[]; children: Layer[] } {
    const own: Variable[] = [];
    const children: Layer[] = [];
    const seen = new Set<unknown>([this]);
    const walk = (x: unknown): void => {
      if (typeof x !== "object" || x === null || seen.has(x)) return;
      seen.add(x);
      if (x instanceof Variable) own.push(x);
      else if (x instanceof Layer) children.push(x);
      else if (Array.isArray(x)) for (const v of x) walk(v);
      else if (isPlainObject(x)) for (const v of Object.values(x)) walk(v);
    };
    const self = this as unknown as Record<string, unknown>;
    for (const e of this._tracked) walk("weight" in e ? e.weight : self[e.key]);
    return { own, children };
  }

  /** The layers this layer holds directly (attributes, arrays, objects), in assignment order. */
  get subLayers(): Layer[] {
    return this.gather().children;
  }

  /** Trainable variables: this layer's own (in assignment order), then its sub-layers' (as tf.keras). */
  get trainableVariables(): Variable[] {
    if (!this.trainable) return [];
    const { own, children } = this.gather();
    return dedup([...own.filter((v) => v.trainable), ...children.flatMap((c) => c.trainableVariables)]);
  }

  /** Variables that optimizers do not train (all of them when `trainable` is false). */
  get nonTrainableVariables(): Variable[] {
    const { own, children } = this.gather();
    if (!this.trainable) return dedup([...own, ...children.flatMap((c) => c.variables)]);
    return dedup([...own.filter((v) => !v.trainable), ...children.flatMap((c) => c.nonTrainableVariables)]);
  }

  /** Every variable: trainable ones first, then non-trainable ones (Keras's `weights` order). */
  get variables(): Variable[] {
    return dedup([...this.trainableVariables, ...this.nonTrainableVariables]);
  }

  /** Same as `variables`. */
  get weights(): Variable[] {
    return this.variables;
  }
  /** Same as `trainableVariables`. */
  get trainableWeights(): Variable[] {
    return this.trainableVariables;
  }
  /** Same as `nonTrainableVariables`. */
  get nonTrainableWeights(): Variable[] {
    return this.nonTrainableVariables;
  }

  /** Number of scalars in the weights. */
  countParams(): number {
    if (!this.built) {
      throw new ValueError(`You tried to call countParams on layer "${this.name}", but the layer isn't built. Build it first by calling it on data (layer.apply(x)) or layer.build(inputShape).`);
    }
    return this.variables.reduce((n, v) => n + v.size, 0);
  }

  /** Snapshots of the weights' values, in `weights` order (dispose them when done). */
  getWeights(): Tensor[] {
    return this.weights.map((v) => v.readValue());
  }

  /**
   * Sets every weight from `weights` (same order and shapes as `getWeights`). Everything is checked
   * before anything is assigned: on error no weight changes.
   */
  setWeights(weights: readonly TensorLike[]): void {
    const vars = this.weights;
    if (!Array.isArray(weights)) throw new ValueError(`setWeights expects an array of ${vars.length} tensors, got ${typeof weights}`);
    if (weights.length !== vars.length) {
      throw new ValueError(
        `Layer "${this.name}" expects ${vars.length} weights (${vars.map((v) => `${v.name} ${formatShapeTuple(v.shape)}`).join(", ")}), but setWeights received ${weights.length}.`,
      );
    }
    const values = weights.map((w, i) => (w instanceof Tensor ? w : toTensor(w, "setWeights", vars[i]!.dtype)));
    try {
      values.forEach((t, i) => {
        const v = vars[i]!;
        t.throwIfDisposed("setWeights");
        if (t.shape.length !== v.shape.length || t.shape.some((d, j) => d !== v.shape[j])) {
          throw new ValueError(
            `Layer "${this.name}" weight shape ${formatShapeTuple(v.shape)} (${v.name}) is not compatible with provided weight shape ${formatShapeTuple(t.shape)} (weight ${i}). No weights were changed.`,
          );
        }
        if (t.dtype !== v.dtype) {
          throw new ValueError(`Layer "${this.name}" weight ${v.name} has dtype ${v.dtype}, but weight ${i} passed to setWeights has dtype ${t.dtype}. No weights were changed.`);
        }
      });
      values.forEach((t, i) => vars[i]!.assign(t));
    } finally {
      values.forEach((t, i) => {
        if (t !== weights[i]) t.dispose();
      });
    }
  }

  /** Frees the layer's variables (and its sub-layers'). The layer cannot be used afterwards. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
  }

  // ------------------------------------------------------------ config

  /** The Keras config of this layer (snake_case keys), as saved in `model.json`. */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape) config["batch_input_shape"] = this.batchInputShape.slice();
    return config;
  }

  /** A short description: `<Dense name=dense, built=true>`. */
  toString(): string {
    return `<${this.getClassName()} name=${this.name}, built=${this.built}>`;
  }
}

function classNameOf(cls: { className?: string; name: string }): string {
  // A user subclass that did not set `className` is named after its constructor.
  return Object.hasOwn(cls, "className") ? cls.className! : cls.name;
}

function dedup<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function checkDims(dims: readonly (number | null)[], what: string, layer: string): void {
  if (!Array.isArray(dims) || dims.some((d) => d !== null && (!Number.isInteger(d) || d < 0))) {
    throw new ValueError(`Layer "${layer}": ${what} must be an array of non-negative integers or null, got ${JSON.stringify(dims)}`);
  }
}

function resolveBatchInputShape(args: LayerArgs, name: string): Shape | null {
  if (args.batchInputShape) {
    checkDims(args.batchInputShape, "batchInputShape", name);
    return args.batchInputShape.slice();
  }
  if (args.inputShape) {
    checkDims(args.inputShape, "inputShape", name);
    return [args.batchSize ?? null, ...args.inputShape];
  }
  return null;
}
