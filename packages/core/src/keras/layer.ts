/**
 * `tf.keras.layers.Layer`: the base of every layer and model.
 *
 * Variable tracking works like Keras's `__setattr__`: the constructor returns a Proxy whose
 * `defineProperty` trap sees every attribute a subclass assigns (class fields included, since they
 * are defined on the constructed `this`), in assignment order. Attribute values are walked when
 * `variables` is read, so arrays and plain objects filled after assignment are seen too.
 *
 * Calling a layer on KerasTensors (from `tf.keras.Input`) computes nothing: it records a `Node`
 * (the call) and returns KerasTensors of the output shapes, which is how functional models are
 * built. Masks (Keras's `compute_mask`) travel beside the tensors inside models and reach `call` as
 * `options.mask`.
 */
import { chargeWeight } from "./weight-budget.js";
import type { DType } from "../dtypes.js";
import { ValueError } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { keep, tidy } from "../engine/tidy.js";
import { cast } from "../ops/cast.js";
import { zeros } from "../ops/creation.js";
import { formatShapeTuple } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import { Tensor } from "../tensor/tensor.js";
import { Variable } from "../tensor/variable.js";
import { argsFromConfig } from "./config.js";
import type { FloatDType, InitializerIdentifier } from "./initializers.js";
import { getInitializer } from "./initializers.js";
import type { Constraint } from "./constraints.js";
import type { Regularizer, RegularizerIdentifier } from "./regularizers.js";
import { getRegularizer } from "./regularizers.js";
import { identity } from "../ops/identity.js";
import { divide } from "../ops/binary.js";
import type { KerasTensor, TensorSpec } from "./keras-tensor.js";
import { isKerasTensor } from "./keras-tensor.js";
import type { Nested } from "./nest.js";
import { flatten, isDict, mapStructure, packLike } from "./nest.js";
import { Node } from "./node.js";
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

/** The option of layers whose outputs Keras can penalise (`Dense`, `Embedding`, the RNNs…). */
export interface ActivityRegularizerArgs {
  /**
   * A penalty on the layer's outputs, divided by the batch size and added to `layer.losses` at each
   * call (`tf.keras.regularizers.l2(0.01)`, `"l1"`).
   */
  activityRegularizer?: RegularizerIdentifier | null;
}

/** The keys of `LayerArgs`, for subclasses' `argKeys`. */
export const LAYER_ARG_KEYS = optionKeys<LayerArgs>()("name", "trainable", "dtype", "inputShape", "batchInputShape", "batchSize");

/** What `call` receives: one tensor, a list (merge layers, models with several inputs) or a dict (models with named inputs). */
export type LayerInputs = Tensor | Tensor[] | { [name: string]: Tensor };

/** What `call` returns: one tensor, or a list or dict of them (models with several outputs). */
export type LayerOutputs = Tensor | Tensor[] | { [name: string]: Tensor };

/** A mask (boolean, one value per time step or position) per input tensor, `null` where there is none. */
export type Mask = Tensor | null | readonly (Tensor | null)[] | { readonly [name: string]: Tensor | null };

/** Options `call` receives. */
export interface CallOptions {
  /** Training mode (Dropout is active only when true). Nested layers inherit it when not given. */
  training?: boolean;
  /**
   * The mask of the inputs (from `Embedding({ maskZero: true })`, `Masking`, or given to `apply`),
   * one per input; `null` when there is none. Models pass masks from layer to layer.
   */
  mask?: Mask;
}

/** The keys every `apply` accepts; a layer with more call arguments extends its `callArgKeys`. */
export const CALL_ARG_KEYS = optionKeys<CallOptions>()("training", "mask");

/** Inputs of `apply` on symbolic tensors: one KerasTensor, a list or a dict of them. */
export type SymbolicInputs = KerasTensor | readonly KerasTensor[] | { readonly [name: string]: KerasTensor };

/** Inputs of `apply` on data: a tensor (or anything convertible), a list of tensors, or a dict of them. */
export type ApplyInputs = TensorLike | readonly TensorLike[] | { readonly [name: string]: TensorLike };

/** Options of `layer.apply`. */
export interface ApplyOptions {
  /** Training mode; by default the enclosing layer call's, else false. Recorded in a functional model when given. */
  training?: boolean;
  /** Masks of the inputs (KerasTensors when building a functional model); models pass them on by themselves. */
  mask?: Mask | KerasTensor | readonly (KerasTensor | null)[];
}

/** The structure of what a layer returns, from its `_outputs` type (a single tensor unless a class says otherwise). */
export type OutputsOf<L> = L extends { readonly _outputs?: infer O } ? (unknown extends O ? Tensor : O) : Tensor;

/** The symbolic counterpart of an output structure: each Tensor becomes a KerasTensor. */
export type SymbolicOf<O> = O extends Tensor ? KerasTensor : O extends readonly Tensor[] ? KerasTensor[] : { [K in keyof O]: KerasTensor };

/** What a layer expects of its input (Keras's `InputSpec`); checked before `call`. */
export interface InputSpec {
  ndim?: number;
  minNdim?: number;
  maxNdim?: number;
  /** Required sizes of some axes (negative counts from the end). */
  axes?: Record<number, number>;
  /** The whole shape (`null` dimensions match anything); a model's inputs declare it. */
  shape?: readonly (number | null)[];
}

/** Options of `addWeight`. */
export interface AddWeightOptions {
  /** Default: glorotUniform for floats. */
  initializer?: InitializerIdentifier;
  /** Whether optimizers train it (default true). */
  trainable?: boolean;
  dtype?: FloatDType;
  /** A penalty on the weight added to the loss while training (`layer.losses`). */
  regularizer?: Regularizer | null;
  /** A projection applied to the weight after each optimizer step in `fit`. */
  constraint?: Constraint | null;
}

/** The regularizer and constraint of each weight made by `addWeight` with them. */
const REGULARIZERS = new WeakMap<Variable, Regularizer>();
const CONSTRAINTS = new WeakMap<Variable, Constraint>();

/** The constraint `addWeight` gave a variable, if any (`fit` applies it after each step). */
export function constraintOf(v: Variable): Constraint | null {
  return CONSTRAINTS.get(v) ?? null;
}

/** One attribute or weight, in the order it was assigned/created. */
type TrackEntry = { readonly key: string } | { readonly weight: Variable };

// The base class's own fields never hold variables or layers: not worth tracking.
const BASE_FIELDS = new Set([
  "name", "trainable", "dtype", "built", "batchInputShape", "inputSpec", "supportsMasking", "_tracked", "_lastOutputShape", "_inboundNodes", "_outboundNodes", "_weightPrefix",
  "activityRegularizer", "_activityLosses",
]);

// How many activity penalties layers hold: calls skip clearing them (a walk of the model) when none do.
let activityLossCount = 0;

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

/** Leaf tests for `nest`. */
export const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;
const isMaskLeaf = (v: unknown): v is Tensor | null => v === null || v instanceof Tensor;
const isShapeList = (v: unknown): v is Shape[] => Array.isArray(v) && v.length > 0 && v.every((s) => Array.isArray(s));

/** The masks in `mask`, flattened (nulls dropped). */
export function maskTensors(mask: Mask | undefined): Tensor[] {
  if (mask === null || mask === undefined) return [];
  return flatten(mask as Nested<Tensor | null>, isMaskLeaf).filter((m): m is Tensor => m !== null);
}

/** Whether `inputs` (or a mask given with them) holds KerasTensors: a call that builds a functional model. */
function isSymbolicCall(inputs: unknown, options: ApplyOptions): boolean {
  const has = (x: unknown) => isKerasTensor(x) || (Array.isArray(x) && x.some(isKerasTensor)) || (isDict(x) && Object.values(x).some(isKerasTensor));
  return has(inputs) || has(options.mask);
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
 * `addWeight`) and `call(inputs, { training, mask })`; use it through `apply(inputs, options)`, on
 * tensors (computes) or on KerasTensors (records the call for a functional model).
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
  /** The keys `apply`'s options may hold, checked for classes that declare `argKeys`. */
  static callArgKeys: readonly string[] = CALL_ARG_KEYS;

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
  /** Checked against inputs before `call`: one spec, or one per input (merge layers). */
  inputSpec: InputSpec | (InputSpec | null)[] | null = null;
  /**
   * Whether the layer passes the mask of its input on to its output unchanged (Keras's
   * `supports_masking`). A layer that makes or changes masks overrides `computeMask` instead.
   */
  supportsMasking = false;
  /**
   * A penalty on the outputs added to `losses` at each call (divided by the batch size, as Keras 2
   * does); set from the `activityRegularizer` option of the layers that take it.
   */
  activityRegularizer: Regularizer | null = null;
  /** @internal Attribute keys and addWeight variables in assignment order. */
  _tracked: TrackEntry[] = [];
  /** @internal The activity penalties of the calls since the outermost call began (owned by the layer, kept past tidy). */
  _activityLosses: Tensor[] = [];
  /**
   * @internal What weight names start with when it is not the layer's name: a wrapped layer's weights
   * are named after its wrapper (`time_distributed/kernel`, `bidirectional/forward_lstm/kernel`), as
   * Keras and TensorFlow.js name them.
   */
  _weightPrefix: string | null = null;
  /** @internal Output shape of the last call, batch dimension as `null` (for summaries). */
  _lastOutputShape: Shape | null = null;
  /** @internal The layer's calls on symbolic tensors, in order (Keras's `_inbound_nodes`). */
  _inboundNodes: Node[] = [];
  /** @internal Calls of layers on this layer's symbolic outputs. */
  _outboundNodes: Node[] = [];
  /**
   * @internal Type-level only: what `call` returns. A layer or model that returns several tensors
   * declares it (`declare readonly _outputs?: Tensor[]`), so `apply` is typed to return a list.
   */
  declare readonly _outputs?: unknown;

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
    this.activityRegularizer = getRegularizer((args as ActivityRegularizerArgs).activityRegularizer);
    return new Proxy(this, trackingHandler);
  }

  /**
   * Makes a layer from its Keras config (snake_case keys, as in `model.json`): each key becomes the
   * camelCase option of the constructor. Layers whose constructor takes positional arguments
   * (`Dense(units)`) override it; a custom layer registered with
   * `tf.keras.utils.registerKerasSerializable` gets this one unless it defines its own.
   */
  static fromConfig(config: Record<string, unknown>): Layer {
    return new (this as unknown as new (args: Record<string, unknown>) => Layer)(argsFromConfig(config));
  }

  /** The Keras class name of this layer (`Dense`). */
  getClassName(): string {
    return classNameOf(this.constructor as typeof Layer);
  }

  // ------------------------------------------------------------ building and calling

  /** Creates the layer's weights for inputs of `inputShape` (batch dimension included; a list for several inputs). */
  build(inputShape: Shape | Shape[]): void {
    void inputShape;
    this.built = true;
  }

  /** @internal How `apply` builds on first use (models override it); `dtypes` are the inputs'. */
  _buildForApply(inputShape: Shape | Shape[] | Record<string, Shape>, dtypes?: readonly DType[]): void {
    void dtypes;
    this.build(inputShape as Shape);
  }

  /** The layer's computation. The base layer returns its input. */
  call(inputs: LayerInputs, options: CallOptions): LayerOutputs {
    void options;
    return inputs;
  }

  /**
   * The mask of the outputs, given the inputs and their mask (Keras's `compute_mask`). By default a
   * layer that `supportsMasking` passes the mask on, and any other refuses one.
   */
  computeMask(inputs: LayerInputs, mask?: Mask): Mask {
    void inputs;
    if (!this.supportsMasking) {
      if (maskTensors(mask).length > 0) throw new TypeError(`Layer ${this.name} does not support masking, but was passed an input_mask: ${String(mask)}`);
      return null;
    }
    return mask ?? null;
  }

  /**
   * Runs the layer. On tensors (or values convertible to them): converts the inputs (float inputs
   * are cast to the layer's dtype, as Keras's autocast does), builds the layer on first use, checks
   * the inputs against `inputSpec`, then calls `call`; `training` defaults to the enclosing layer
   * call's, else false. On KerasTensors (`tf.keras.Input` and layers' outputs): checks and builds the
   * same way but only records the call, returning KerasTensors of the output shapes.
   */
  apply<L extends Layer>(this: L, inputs: SymbolicInputs, options?: ApplyOptions): SymbolicOf<OutputsOf<L>>;
  apply<L extends Layer>(this: L, inputs: ApplyInputs, options?: ApplyOptions): OutputsOf<L>;
  apply(this: Layer, inputs: SymbolicInputs | ApplyInputs, options: ApplyOptions = {}): unknown {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw new ValueError(`Layer "${this.name}": apply's second argument must be an options object like { training: true }, got ${JSON.stringify(options)}`);
    }
    const cls = this.constructor as typeof Layer;
    if (Object.hasOwn(cls, "argKeys")) checkOptions(`${this.getClassName()}.apply`, options, cls.callArgKeys);
    if (isSymbolicCall(inputs, options)) return this._applySymbolic(inputs as SymbolicInputs, options);
    return this._applyEager(inputs as ApplyInputs, options, false).outputs;
  }

  /**
   * @internal `apply` on data, returning the output mask too when `wantMask` (models use it to pass
   * masks along). The caller owns the outputs and any mask that is not one of the input masks.
   */
  _applyEager(inputs: ApplyInputs, options: ApplyOptions, wantMask: boolean): { outputs: LayerOutputs; mask: Mask } {
    const temps: Tensor[] = [];
    try {
      const x = this._convertInputs(inputs, temps);
      const flat = flatten(x as Nested<Tensor>, isTensor);
      this._assertInputsCompatible(flat.map((t) => t.shape));
      if (!this.built) {
        this._buildForApply(shapeStructure(x as Nested<Tensor>, (t) => t.shape.slice()), flat.map((t) => t.dtype));
        this.built = true;
      }
      // The outermost call starts a new set of activity penalties (Keras clears `losses` there).
      if (trainingStack.length === 0 && activityLossCount > 0) this._clearActivityLosses();
      const { training: given, mask, ...rest } = options;
      const training = given ?? trainingStack[trainingStack.length - 1] ?? false;
      trainingStack.push(training);
      let result: { outputs: LayerOutputs; mask: Mask };
      try {
        result = this._callAndMask(x, { ...rest, training, mask: (mask ?? null) as Mask }, wantMask);
      } finally {
        trainingStack.pop();
      }
      const outs = flatten(result.outputs as Nested<Tensor>, isTensor);
      if (this.activityRegularizer) this._addActivityLosses(outs);
      this._lastOutputShape = outs.length === 1 ? [null, ...outs[0]!.shape.slice(1)] : null;
      // A layer that returns its input (Dropout at inference) must not lose it to the cleanup below.
      for (const t of [...outs, ...maskTensors(result.mask)]) {
        const i = temps.indexOf(t);
        if (i >= 0) temps.splice(i, 1);
      }
      return result;
    } finally {
      for (const t of temps) t.dispose();
    }
  }

  /**
   * @internal The inputs of an `apply` on data as tensors of the right dtypes (what conversion made
   * goes to `temps`). A list is several inputs when its items are tensors; otherwise one value.
   */
  _convertInputs(inputs: ApplyInputs, temps: Tensor[]): LayerInputs {
    const one = (v: TensorLike): Tensor => {
      let t = v instanceof Tensor ? v : toTensor(v, this.name, this.dtype);
      if (v instanceof Tensor) v.throwIfDisposed(this.name);
      else temps.push(t);
      if ((t.dtype === "float32" || t.dtype === "float64") && t.dtype !== this.dtype) {
        t = cast(t, this.dtype);
        temps.push(t);
      }
      return t;
    };
    if (Array.isArray(inputs) && inputs.length > 0 && inputs.every((v) => v instanceof Tensor)) return (inputs as TensorLike[]).map(one);
    if (isDict(inputs) && !("data" in inputs && "shape" in inputs) && Object.values(inputs).length > 0 && Object.values(inputs).every((v) => v instanceof Tensor)) {
      return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, one(v as TensorLike)]));
    }
    return one(inputs as TensorLike);
  }

  /** @internal Penalties of `outputs` by the activity regularizer, each divided by its batch size (Keras 2's rule). */
  _addActivityLosses(outputs: readonly Tensor[]): void {
    const r = this.activityRegularizer!;
    for (const out of outputs) {
      if (out.dtype !== "float32" && out.dtype !== "float64") continue;
      const penalty = r.call(out);
      // Kept past an enclosing tidy: `losses` reads them after the call; the next outermost call frees them.
      if (out.rank === 0) {
        this._activityLosses.push(keep(penalty));
      } else {
        this._activityLosses.push(keep(divide(penalty, out.shape[0]!)));
        penalty.dispose();
      }
      activityLossCount++;
    }
  }

  /** @internal The layers held by this one (a model's layers included). */
  _childLayers(): Layer[] {
    return this.subLayers;
  }

  /** @internal This layer and every layer beneath it, once each. */
  private descendants(): Layer[] {
    const out = new Set<Layer>();
    const walk = (l: Layer): void => {
      if (out.has(l)) return;
      out.add(l);
      for (const c of l._childLayers()) walk(c);
    };
    walk(this);
    return [...out];
  }

  /** @internal Frees the activity penalties of this layer and the layers beneath it. */
  _clearActivityLosses(): void {
    for (const l of this.descendants()) {
      activityLossCount -= l._activityLosses.length;
      for (const t of l._activityLosses.splice(0)) t.dispose();
    }
  }

  /** @internal `call` and, when asked, `computeMask`; models override it to get both from one run of their graph. */
  _callAndMask(inputs: LayerInputs, options: CallOptions, wantMask: boolean): { outputs: LayerOutputs; mask: Mask } {
    const outputs = this.call(inputs, options);
    const mask = wantMask && this._computesMask() ? this.computeMask(inputs, options.mask ?? null) : null;
    return { outputs, mask };
  }

  /** @internal Whether the layer has an output mask to compute (Keras computes it only then; others drop masks). */
  _computesMask(): boolean {
    return this.supportsMasking || this.computeMask !== Layer.prototype.computeMask;
  }

  /** @internal `apply` on KerasTensors: checks, builds, and records the call as a Node. */
  _applySymbolic(inputs: SymbolicInputs, options: ApplyOptions): Nested<KerasTensor> {
    const flat = flatten(inputs as Nested<KerasTensor>, isKerasTensor);
    const bad = flat.find((t) => !isKerasTensor(t));
    if (bad !== undefined || flat.length === 0) {
      throw new ValueError(
        `Layer "${this.name}" was called on a mix of KerasTensors (symbolic inputs from tf.keras.Input) and other values (${String(bad)}). When building a functional model, pass only KerasTensors; use a Lambda layer or a custom layer for constants.`,
      );
    }
    this._assertInputsCompatible(flat.map((t) => t.shape));
    if (!this.built) {
      this._buildForApply(shapeStructure(inputs as Nested<KerasTensor>, (t) => t.shape.slice()), flat.map((t) => t.dtype));
      this.built = true;
    }
    const specs = this._outputSpecs(inputs as Nested<KerasTensor>);
    const kwargs = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    const node = new Node(this, inputs as Nested<KerasTensor>, kwargs, specs);
    return node.outputs;
  }

  /** @internal Shapes and dtypes of the outputs for symbolic inputs: `computeOutputShape` when the class has one, else a trial run. */
  _outputSpecs(inputs: Nested<KerasTensor>): Nested<TensorSpec> {
    const flat = flatten(inputs, isKerasTensor);
    if (this.computeOutputShape !== Layer.prototype.computeOutputShape) {
      const shapes = this.computeOutputShape(shapeStructure(inputs, (t) => t.shape.slice()) as Shape);
      const dtype = this.computeOutputDtype(flat.map((t) => t.dtype));
      if (isShapeList(shapes)) return shapes.map((shape) => ({ shape, dtype }));
      if (isDict(shapes)) return mapStructure(shapes as Nested<Shape>, isShapeLeaf, (shape) => ({ shape, dtype }));
      return { shape: shapes, dtype };
    }
    return this._probeOutputSpecs(mapStructure(inputs, isKerasTensor, (t) => ({ shape: t.shape, dtype: t.dtype })));
  }

  /**
   * @internal Output shapes and dtypes found by running the layer (untaped, in inference mode) on
   * zeros twice, unknown dimensions set to 2 then 3: output dimensions that differ are unknown.
   */
  _probeOutputSpecs(specs: Nested<TensorSpec>): Nested<TensorSpec> {
    const run = (fill: number): { specs: TensorSpec[]; structure: Nested<number> } => {
      let result: { specs: TensorSpec[]; structure: Nested<number> } | null = null;
      tidy(() => {
        ENGINE.untaped(() => {
          const xs = mapStructure(specs, isSpec, (s) => zeros(s.shape.map((d) => d ?? fill), s.dtype)) as LayerInputs;
          trainingStack.push(false);
          try {
            const out = this._callAndMask(xs, { training: false, mask: null }, false).outputs as Nested<Tensor>;
            result = { specs: flatten(out, isTensor).map((t) => ({ shape: t.shape.slice(), dtype: t.dtype })), structure: mapStructure(out, isTensor, (_, i) => i) };
          } finally {
            trainingStack.pop();
          }
        });
      });
      return result!;
    };
    const a = run(2);
    const b = run(3);
    const merged = a.specs.map((s, i) => ({ shape: s.shape.map((d, j) => (b.specs[i]!.shape[j] === d ? d : null)), dtype: s.dtype }));
    return packLike(a.structure, merged, (v): v is number => typeof v === "number");
  }

  /** The dtype of the outputs for inputs of `inputDtypes`: the layer's dtype for float inputs, else the input's. */
  computeOutputDtype(inputDtypes: readonly DType[]): DType {
    const d = inputDtypes[0];
    return d === undefined || d === "float32" || d === "float64" ? this.dtype : d;
  }

  /** @internal Checks every input shape against `inputSpec` (and their number against a list of specs). */
  _assertInputsCompatible(shapes: readonly (readonly (number | null)[])[]): void {
    const spec = this.inputSpec;
    if (spec !== null && (Array.isArray(spec) ? spec.length : 1) !== shapes.length) {
      const n = Array.isArray(spec) ? spec.length : 1;
      throw new ValueError(`Layer "${this.name}" expects ${n} input(s), but it received ${shapes.length} input tensors. Inputs received: [${shapes.map((s) => formatShapeTuple(s)).join(", ")}]`);
    }
    shapes.forEach((s, i) => this.assertInputCompatible(s, i));
  }

  /** Throws Keras's message when input `index` of shape `shape` does not satisfy the `inputSpec`. */
  assertInputCompatible(shape: readonly (number | null)[], index = 0): void {
    const spec = Array.isArray(this.inputSpec) ? this.inputSpec[index] : index === 0 ? this.inputSpec : null;
    if (!spec) return;
    const head = `Input ${index} of layer "${this.name}" is incompatible with the layer:`;
    const full = `Full shape received: ${formatShapeTuple(shape)}`;
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
      if (d !== null && d !== v) {
        throw new ValueError(`${head} expected axis ${axis} of input shape to have value ${v}, but received input with shape ${formatShapeTuple(shape)}`);
      }
    }
    const want = spec.shape;
    if (want && (want.length !== shape.length || want.some((d, i) => d !== null && shape[i] !== null && d !== shape[i]))) {
      throw new ValueError(`${head} expected shape=${formatShapeTuple(want)}, found shape=${formatShapeTuple(shape)}`);
    }
  }

  /**
   * The output shape for inputs of `inputShape` (batch dimension included, possibly `null`; a list
   * for several inputs). Built-in layers compute it; the default builds the layer if needed and runs
   * it on zeros.
   */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const specs = isShapeList(inputShape) ? inputShape.map((shape) => ({ shape, dtype: this.dtype })) : { shape: inputShape, dtype: this.dtype };
    if (!this.built) {
      this._buildForApply(inputShape);
      this.built = true;
    }
    const out = this._probeOutputSpecs(specs as Nested<TensorSpec>);
    return isSpec(out) ? out.shape : flatten(out, isSpec).map((s) => s.shape);
  }

  // ------------------------------------------------------------ connectivity

  /** The layer's calls on symbolic tensors (one per call: a shared layer has several). */
  get inboundNodes(): readonly Node[] {
    return this._inboundNodes;
  }

  /** Calls of other layers on this layer's symbolic outputs. */
  get outboundNodes(): readonly Node[] {
    return this._outboundNodes;
  }

  private nodeAt(nodeIndex: number, what: string): Node {
    if (this._inboundNodes.length === 0) throw new ValueError(`The layer ${this.name} has never been called and thus has no defined ${what}.`);
    const node = this._inboundNodes[nodeIndex];
    if (!node) throw new ValueError(`Asked to get ${what} at node ${nodeIndex}, but the layer has only ${this._inboundNodes.length} inbound nodes.`);
    return node;
  }

  /** The symbolic input of the layer's first call (Keras's `layer.input`). */
  get input(): Nested<KerasTensor> {
    if (this._inboundNodes.length === 0) throw new ValueError(`Layer ${this.name} is not connected, no input to return.`);
    return this.getInputAt(0);
  }

  /** The symbolic output of the layer's first call (Keras's `layer.output`). */
  get output(): Nested<KerasTensor> {
    if (this._inboundNodes.length === 0) throw new ValueError(`Layer ${this.name} has no inbound nodes.`);
    return this.getOutputAt(0);
  }

  /** The symbolic input of call `nodeIndex` (for a shared layer). */
  getInputAt(nodeIndex: number): Nested<KerasTensor> {
    const node = this.nodeAt(nodeIndex, "input");
    return node.isInput ? node.outputs : node.callArgs;
  }

  /** The symbolic output of call `nodeIndex` (for a shared layer). */
  getOutputAt(nodeIndex: number): Nested<KerasTensor> {
    return this.nodeAt(nodeIndex, "output").outputs;
  }

  /**
   * The output shape (Keras's `output_shape`): the same for every call of the layer, else an error
   * (a shared layer called on inputs of different shapes has none).
   */
  get outputShape(): Shape | Shape[] {
    this.nodeAt(0, "output shape");
    const shapes = this._inboundNodes.map((n) => (isKerasTensor(n.outputs) ? n.outputs.shape : n.outputTensors.map((t) => t.shape)));
    const keys = new Set(shapes.map((s) => JSON.stringify(s)));
    if (keys.size > 1) {
      throw new ValueError(
        `The layer "${this.name}" has multiple inbound nodes, with different output shapes. Hence the notion of "output shape" is ill-defined for the layer. Use \`getOutputAt(nodeIndex)\` instead.`,
      );
    }
    return shapes[0]!;
  }

  // ------------------------------------------------------------ weights

  /**
   * Creates a weight `<layer name>/<name>:0` of `shape`, initialised by `initializer`
   * (default glorotUniform), and tracks it.
   */
  addWeight(name: string, shape: readonly number[], options: AddWeightOptions = {}): Variable {
    const dtype = options.dtype ?? this.dtype;
    const init = getInitializer(options.initializer ?? "glorotUniform");
    chargeWeight(this.name, name, shape);
    const value = init.call(shape, dtype);
    try {
      const v = new Variable(value, { name: `${this._weightPrefix ?? this.name}/${name}`, trainable: options.trainable ?? true });
      this._tracked.push({ weight: v });
      if (options.regularizer) REGULARIZERS.set(v, options.regularizer);
      if (options.constraint) CONSTRAINTS.set(v, options.constraint);
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
    const trainable: Variable[] = [];
    this._collectVariables(trainable, [], null);
    return dedup(trainable);
  }

  /** Variables that optimizers do not train (all of them when `trainable` is false). */
  get nonTrainableVariables(): Variable[] {
    const nonTrainable: Variable[] = [];
    this._collectVariables([], nonTrainable, null);
    return dedup(nonTrainable);
  }

  /** Every variable: trainable ones first, then non-trainable ones (Keras's `weights` order). */
  get variables(): Variable[] {
    const trainable: Variable[] = [], nonTrainable: Variable[] = [];
    this._collectVariables(trainable, nonTrainable, null);
    return dedup([...trainable, ...nonTrainable]);
  }

  /**
   * @internal One walk of the layer tree that appends, in Keras's order, what `trainableVariables`
   * and `nonTrainableVariables` list (duplicates removed by the caller): a trainable layer adds its
   * own trainable variables to `trainable` and its other ones to `nonTrainable`, then each sub-layer
   * adds its own the same way; a frozen layer adds all its own, then each sub-layer's `variables`, to
   * `nonTrainable`. Sub-layers in `skip` are left out (a Model lists its layers' variables first).
   * Each layer is gathered once, so reading `model.weights` is linear in the number of layers.
   */
  _collectVariables(trainable: Variable[], nonTrainable: Variable[], skip: ReadonlySet<Layer> | null): void {
    const { own, children } = this.gather();
    if (!this.trainable) {
      for (const v of own) nonTrainable.push(v);
      for (const c of children) if (!skip?.has(c)) for (const v of c.variables) nonTrainable.push(v);
      return;
    }
    for (const v of own) (v.trainable ? trainable : nonTrainable).push(v);
    for (const c of children) if (!skip?.has(c)) c._collectVariables(trainable, nonTrainable, null);
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

  /**
   * The regularization penalties (Keras's `layer.losses`), its sub-layers' included: one scalar per
   * regularized weight, computed now, then the activity penalties of the last outermost call (those
   * made by layers with an `activityRegularizer`). `fit` adds them to the loss. The caller owns the
   * tensors.
   */
  get losses(): Tensor[] {
    const out: Tensor[] = [];
    for (const v of this.weights) {
      const r = REGULARIZERS.get(v);
      if (r) out.push(r.call(v));
    }
    if (activityLossCount > 0) for (const l of this.descendants()) for (const t of l._activityLosses) if (!t.isDisposed) out.push(identity(t));
    return out;
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
    if (activityLossCount > 0) this._clearActivityLosses();
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

const isSpec = (v: unknown): v is TensorSpec => isDict(v) && Array.isArray(v["shape"]) && typeof v["dtype"] === "string";
const isShapeLeaf = (v: unknown): v is Shape => Array.isArray(v);

/** The shapes of `x` in its structure: one shape, a list or a dict of them. */
function shapeStructure<T>(x: Nested<T>, shapeOf: (t: T) => Shape): Shape | Shape[] | Record<string, Shape> {
  if (Array.isArray(x)) return (x as T[]).map(shapeOf);
  if (isDict(x)) return Object.fromEntries(Object.entries(x as Record<string, T>).map(([k, v]) => [k, shapeOf(v)]));
  return shapeOf(x as T);
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
