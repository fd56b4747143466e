/**
 * `tf.keras.Model`: a layer that trains. Built three ways, as in Keras: functional
 * (`new Model({ inputs, outputs })` over KerasTensors from `tf.keras.Input`), `Sequential`, or
 * subclassed (override `call`). `compile` picks the optimizer, the loss(es) and metrics; `fit` runs
 * the training loop (GradientTape → loss → `applyGradients`) over shuffled batches with callbacks, a
 * progress bar and event-loop yields; `evaluate`, `predict`, `summary`, `save`.
 */
import { NotImplementedError, ValueError } from "../errors.js";
import { tidy } from "../engine/tidy.js";
import { add } from "../ops/binary.js";
import { GradientTape } from "../gradients/gradient-tape.js";
import { cast } from "../ops/cast.js";
import { concat } from "../ops/concat.js";
import { zeros } from "../ops/creation.js";
import { permutation } from "../random/permutation.js";
import { formatShapeTuple } from "../shape.js";
import { Tensor } from "../tensor/tensor.js";
import type { Variable } from "../tensor/variable.js";
import type { CallbackLike, Logs } from "./callbacks.js";
import { CallbackList, ProgbarLogger } from "./callbacks.js";
import type { LossSpec, LossWeightsSpec, MetricsSpec, OutputLayout } from "./compile-utils.js";
import { CompiledLoss, CompiledMetrics } from "./compile-utils.js";
import type { Data, Layout } from "./data-adapter.js";
import { arrange, batchOf, disposeAll } from "./data-adapter.js";
import { FunctionalGraph } from "./functional.js";
import { History } from "./history.js";
import type { KerasTensor, TensorSpec } from "./keras-tensor.js";
import { isKerasTensor } from "./keras-tensor.js";
import type { ApplyInputs, CallOptions, LayerArgs, LayerInputs, LayerOutputs, Mask, OutputsOf, Shape } from "./layer.js";
import { LAYER_ARG_KEYS, Layer, constraintOf, isTensor, maskTensors } from "./layer.js";
import type { Loss } from "./losses.js";
import type { Metric } from "./metrics.js";
import type { Nested } from "./nest.js";
import type { TensorLike } from "../tensor/convert.js";
import { flatten, isDict, packLike } from "./nest.js";
import type { Optimizer, OptimizerIdentifier } from "./optimizers/index.js";
import { get as getOptimizer } from "./optimizers/index.js";
import { checkOptions, optionKeys } from "../options.js";
import { Dataset } from "../data/dataset.js";
import type { Element } from "../data/structure.js";
import { fitDataset, predictDataset, testDataset } from "./dataset-fit.js";
import type { ClassWeight } from "./sample-weights.js";
import { checkClassWeight, checkSampleWeight, classSampleWeights } from "./sample-weights.js";
import type { ProgressSink } from "./progress.js";
import type { SummaryOptions } from "./summary.js";
import { printSummary } from "./summary.js";
import { Yielder } from "./yield.js";
import { zip } from "./zip.js";

/** Options of `model.compile`. */
export interface CompileArgs {
  /** An optimizer instance, or "adam" / "sgd" / "rmsprop" with Keras's defaults. */
  optimizer: OptimizerIdentifier;
  /**
   * A loss instance, name ("sparse_categorical_crossentropy", "mse", …) or per-example function;
   * for a model with several outputs also a list (one per output) or a dict by output name.
   */
  loss: LossSpec;
  /**
   * Metrics reported by fit/evaluate: names ("accuracy", …), instances or functions. With several
   * outputs a flat list applies to every output; a list of lists or a dict by output name picks.
   */
  metrics?: MetricsSpec;
  /** Factors of each output's loss in the total (list or dict by output name; default 1). */
  lossWeights?: LossWeightsSpec;
}

/** Options of `model.fit`. */
export interface FitArgs {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Examples per gradient step (default 32). */
  batchSize?: number;
  /** Held-out `[x, y]` (or a Dataset of `[x, y]` batches) evaluated after each epoch (reported as `val_*`). */
  validationData?: readonly [Data, Data] | Dataset;
  /** Batches per epoch when fitting on a Dataset (the pass then continues across epochs, as Keras). */
  stepsPerEpoch?: number;
  /** Batches of a validation Dataset to evaluate (default: all). */
  validationSteps?: number;
  /** Validate after every `validationFreq`-th epoch (default 1). */
  validationFreq?: number;
  /** Fraction of the data (taken from the end, before shuffling) held out for validation. */
  validationSplit?: number;
  /** Reshuffle the training examples every epoch (default true). */
  shuffle?: boolean;
  /** 0: silent, 1: progress bar (default), 2: one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Callback instances or plain objects of hooks (`{ onEpochEnd(epoch, logs) {…} }`). */
  callbacks?: readonly CallbackLike[];
  /** Epoch to start counting from (for resumed training; default 0). */
  initialEpoch?: number;
  /**
   * A weight for each class index (`{ 0: 1, 1: 5 }`): each example's loss and metrics are weighted by
   * its class's weight (the label, or the arg-max of one-hot targets). Single-output models; every
   * class in the data needs a weight. With a Dataset it applies to each batch.
   */
  classWeight?: ClassWeight;
  /**
   * A weight per training example (shape `(n,)`), multiplying its loss (reduced as Keras:
   * `sum(loss · w) / examples`) and its metric updates; combined with `classWeight` by product. With
   * a Dataset, yield `[x, y, sampleWeight]` instead.
   */
  sampleWeight?: TensorLike;
  /** Where the progress bar goes (default: stdout in Node, console.log in browsers). */
  progressSink?: ProgressSink;
}

/** Options of `model.evaluate`. */
export interface EvaluateArgs {
  /** Default 32. */
  batchSize?: number;
  /** 0: silent, 1: progress bar (default). */
  verbose?: 0 | 1 | 2;
  callbacks?: readonly CallbackLike[];
  /** Return `{ loss, accuracy, … }` instead of a number or an array. */
  returnDict?: boolean;
  /** Batches of a Dataset to evaluate (default: all). */
  steps?: number;
  progressSink?: ProgressSink;
  /** A weight per example (shape `(n,)`) for the loss and the metrics; with a Dataset, yield `[x, y, sampleWeight]`. */
  sampleWeight?: TensorLike;
}

/** Options of `model.predict`. */
export interface PredictArgs {
  /** Default 32. */
  batchSize?: number;
  /** Batches of a Dataset to predict (default: all). */
  steps?: number;
}

const COMPILE_KEYS = optionKeys<CompileArgs>()("optimizer", "loss", "metrics", "lossWeights");
const FIT_KEYS = optionKeys<FitArgs>()(
  "epochs", "batchSize", "validationData", "stepsPerEpoch", "validationSteps", "validationFreq", "validationSplit", "shuffle", "verbose", "callbacks", "initialEpoch", "progressSink", "classWeight", "sampleWeight",
);
const EVALUATE_KEYS = optionKeys<EvaluateArgs>()("batchSize", "verbose", "callbacks", "returnDict", "steps", "progressSink", "sampleWeight");
const PREDICT_KEYS = optionKeys<PredictArgs>()("batchSize", "steps");

/** What a functional model's outputs can be: one KerasTensor, a list, or a dict by name. */
export type SymbolicOutputs = KerasTensor | readonly KerasTensor[] | { readonly [name: string]: KerasTensor };

/** The tensors a model with outputs `O` returns: each KerasTensor of `O` becomes a Tensor. */
export type EagerOf<O> = O extends KerasTensor ? Tensor : O extends readonly KerasTensor[] ? Tensor[] : { [K in keyof O]: Tensor };

/** Options of `new tf.keras.Model(…)`. */
export interface ModelArgs<O extends SymbolicOutputs = KerasTensor> extends LayerArgs {
  /** The model's inputs, from `tf.keras.Input`: one, a list, or a dict by name. */
  inputs?: KerasTensor | readonly KerasTensor[] | { readonly [name: string]: KerasTensor };
  /** The model's outputs: KerasTensors returned by layers called on the inputs (one, a list, or a dict by name). */
  outputs?: O;
}

/** Where `save` writes: a Node directory (`"dir"`, `"file://dir"`), or `localstorage://name`, `downloads://name`. */
export type SaveDestination = string;

/** Options of `model.save` (TensorFlow.js's `SaveConfig`). */
export interface SaveOptions {
  /**
   * Also save the training config (optimizer, loss, metrics) and the optimizer's state (its
   * `getWeights`, in the weights group "optimizer"), so `loadModel` returns a compiled model whose
   * training resumes exactly where it stopped (default false, as TensorFlow.js).
   */
  includeOptimizer?: boolean;
}

/** Saving (model-io.ts) and functional configs (graph-config.ts) are injected to keep this file free of them. */
export const modelSaving: {
  save?: (model: Model<SymbolicOutputs>, destination: unknown, options: SaveOptions) => Promise<unknown>;
  functionalConfig?: (model: Model<SymbolicOutputs>) => Record<string, unknown>;
} = {};

interface Compiled {
  args: CompileArgs;
  optimizer: Optimizer;
  loss: CompiledLoss;
  metrics: CompiledMetrics;
}

function checkInt(v: unknown, what: string, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) throw new ValueError(`${what} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  return v;
}

function checkVerbose(v: unknown): 0 | 1 | 2 {
  if (v !== 0 && v !== 1 && v !== 2) throw new ValueError(`verbose must be 0, 1 or 2, got ${JSON.stringify(v)}`);
  return v;
}

/** The examples of x and y (as tensors arranged like the model's inputs and outputs). */
interface TensorData {
  xs: Nested<Tensor>;
  ys: Nested<Tensor>;
  n: number;
  owned: Tensor[];
}

/**
 * A trainable model: functional (`new tf.keras.Model({ inputs, outputs })`), `Sequential`, or a
 * subclass that overrides `call` (assign layers to fields in the constructor: they are tracked
 * automatically).
 */
export class Model<O extends SymbolicOutputs = KerasTensor> extends Layer {
  static override className = "Model";
  static override argKeys: readonly string[] = optionKeys<ModelArgs>()(...LAYER_ARG_KEYS, "inputs", "outputs");
  /** Set to true (e.g. by a callback) to end `fit` after the current epoch. */
  stopTraining = false;
  private compiled: Compiled | null = null;
  /** @internal The graph of a functional model (null for Sequential and subclassed models). */
  _graph: FunctionalGraph | null = null;
  /** @internal The graph's layers, assigned so that variable tracking finds them. */
  _graphLayers: Layer[] = [];
  declare readonly _outputs?: EagerOf<O>;

  constructor(args: ModelArgs<O> = {}) {
    super(args);
    const { inputs, outputs } = args;
    if (inputs !== undefined || outputs !== undefined) {
      if (inputs === undefined || outputs === undefined) {
        throw new ValueError(`Model "${this.name}": a functional model needs both \`inputs\` and \`outputs\` (got only ${inputs === undefined ? "`outputs`" : "`inputs`"})`);
      }
      const graph = new FunctionalGraph(inputs, outputs, this.name);
      this._graph = graph;
      this._graphLayers = graph.layers.slice();
      this.inputSpec = graph.flatInputs.map((t) => ({ shape: t.shape }));
      this.built = true;
    }
  }

  /** The class name saved in configs: "Functional" for a functional model, as Keras 2 writes it. */
  override getClassName(): string {
    return this._graph && this.constructor === Model ? "Functional" : super.getClassName();
  }

  /** The layers: a functional model's in graph order (InputLayers included, as Keras); else those assigned to the model. */
  get layers(): Layer[] {
    return this._graph ? this._graph.layers.slice() : this.subLayers;
  }

  /** @internal The layers of the model and any other layer assigned to it. */
  override _childLayers(): Layer[] {
    return [...new Set([...this.layers, ...super._childLayers()])];
  }

  /** A layer by name, or by index in `layers`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    if (typeof nameOrIndex === "number") {
      if (!Number.isInteger(nameOrIndex) || nameOrIndex < 0 || nameOrIndex >= layers.length) {
        throw new ValueError(`Was asked to retrieve layer at index ${nameOrIndex} but model only has ${layers.length} layers.`);
      }
      return layers[nameOrIndex]!;
    }
    if (typeof nameOrIndex !== "string") throw new ValueError(`getLayer expects a layer name or index, got ${JSON.stringify(nameOrIndex)}`);
    const found = layers.find((l) => l.name === nameOrIndex);
    if (!found) throw new ValueError(`No such layer: ${nameOrIndex}. Existing layers are: [${layers.map((l) => `'${l.name}'`).join(", ")}].`);
    return found;
  }

  /** The symbolic inputs of a functional model (or of a Sequential whose input shape is known), flattened. */
  get inputs(): KerasTensor[] {
    return this.symbolic("inputs").flatInputs.slice();
  }

  /** The symbolic outputs, flattened. */
  get outputs(): KerasTensor[] {
    return this.symbolic("outputs").flatOutputs.slice();
  }

  /** The names of the inputs (the input layers' names, or the keys of a dict of inputs). */
  get inputNames(): string[] {
    return this.symbolic("inputNames").inputNames.slice();
  }

  /** The names of the outputs (the output layers' names made unique, or the keys of a dict of outputs). */
  get outputNames(): string[] {
    return this._graph ? this._graph.outputNames.slice() : ["output_1"];
  }

  /** @internal The graph behind `inputs`/`outputs` (Sequential provides its own). */
  _symbolicGraph(): FunctionalGraph | null {
    return this._graph;
  }

  private symbolic(what: string): FunctionalGraph {
    const g = this._symbolicGraph();
    if (!g) throw new ValueError(`Model "${this.name}" has no symbolic ${what}: it is a subclassed model (or a Sequential model without an input shape). Build it from tf.keras.Input to have them.`);
    return g;
  }

  /** Every variable, layer by layer (Keras's `Model.weights` order), then the model's own. */
  override get variables(): Variable[] {
    const out: Variable[] = [];
    const layers = this.layers;
    for (const l of layers) for (const v of l.variables) out.push(v);
    // The model's own (and its other sub-layers'): its layers' variables are all listed already.
    const trainable: Variable[] = [], nonTrainable: Variable[] = [];
    this._collectVariables(trainable, nonTrainable, new Set(layers));
    return [...new Set([...out, ...trainable, ...nonTrainable])];
  }

  /** The optimizer given to `compile` (null before). */
  get optimizer(): Optimizer | null {
    return this.compiled?.optimizer ?? null;
  }

  /** @internal The arguments `compile` was last given (null before), for the saved training config. */
  get compileArgs(): CompileArgs | null {
    return this.compiled ? this.compiled.args : null;
  }

  /** The loss of each output as compiled (one Loss for a model with one output; null before compile). */
  get loss(): Loss | (Loss | null)[] | null {
    if (!this.compiled) return null;
    const l = this.compiled.loss;
    if (l.losses.length === 0) this.buildCompiled();
    return l.losses.length === 1 ? l.losses[0]! : l.losses;
  }

  /** The loss trackers and compiled metrics, as `fit` reports them. */
  get metrics(): Metric[] {
    return this.compiled ? [...this.compiled.loss.trackersInOrder, ...this.compiled.metrics.entries.map((e) => e.metric)] : [];
  }

  /** Names of the logs `fit`/`evaluate` report: `["loss", "accuracy", …]` (`<output>_loss`, `<output>_<metric>` with several outputs). */
  get metricsNames(): string[] {
    if (!this.compiled) return [];
    return [...this.compiled.loss.trackersInOrder.map((m) => m.name), ...this.compiled.metrics.entries.map((e) => e.name)];
  }

  /** @internal Output shape of each layer for `summary` (from each layer's last call). */
  layerOutputShapes(): (Shape | Shape[] | null)[] {
    if (this._graph) {
      return this.layers.map((l) => {
        try {
          return l.outputShape;
        } catch {
          return null;
        }
      });
    }
    return this.layers.map((l) => l._lastOutputShape);
  }

  // ------------------------------------------------------------ calling

  /** @internal On first `apply` a subclassed model's layers build themselves in `call`: no probe pass. */
  override _buildForApply(inputShape: Shape | Shape[] | Record<string, Shape>): void {
    if (this._graph) return;
    if (this.build !== Model.prototype.build) this.build(inputShape as Shape);
  }

  /** Builds a subclassed model by calling it once on zeros of `inputShape` (unknown dims as 1). */
  override build(inputShape: Shape | Shape[]): void {
    if (this.built) return;
    this.built = true;
    tidy(() => {
      const shapes = inputShape.length > 0 && inputShape.every(Array.isArray) ? (inputShape as Shape[]) : null;
      const x = shapes ? shapes.map((s) => zeros(s.map((d) => d ?? 1), this.dtype)) : zeros((inputShape as Shape).map((d) => d ?? 1), this.dtype);
      this.call(x, { training: false });
    });
  }

  /** A functional model runs its graph; a subclassed model overrides `call`. */
  override call(inputs: LayerInputs, options: CallOptions): LayerOutputs {
    if (!this._graph) return super.call(inputs, options);
    return this.runGraph(inputs, options.mask ?? null, false).outputs;
  }

  /** @internal A functional model gets outputs and masks from one run of its graph. */
  override _callAndMask(inputs: LayerInputs, options: CallOptions, wantMask: boolean): { outputs: LayerOutputs; mask: Mask } {
    if (!this._graph) return super._callAndMask(inputs, options, wantMask);
    return this.runGraph(inputs, options.mask ?? null, wantMask);
  }

  private runGraph(inputs: LayerInputs, mask: Mask, wantMask: boolean): { outputs: LayerOutputs; mask: Mask } {
    const g = this._graph!;
    const flat = flatten(inputs as Nested<Tensor>, isTensor);
    const masks = mask === null ? null : isTensor(mask) ? [mask] : flatten(mask as Nested<Tensor | null>, (v): v is Tensor | null => v === null || isTensor(v));
    const r = g.run(flat, masks, wantMask);
    const outputs = g.packOutputs(r.outputs) as LayerOutputs;
    const outMask = wantMask && r.masks.some((m) => m !== null) ? (g.packOutputs(r.masks) as Mask) : null;
    return { outputs, mask: outMask };
  }

  override _computesMask(): boolean {
    return this._graph !== null || super._computesMask();
  }

  /** A functional model's output masks for `inputs` and their `mask` (runs the graph). */
  override computeMask(inputs: LayerInputs, mask?: Mask): Mask {
    if (!this._graph) return super.computeMask(inputs, mask);
    const { outputs, mask: m } = this.runGraph(inputs, mask ?? null, true);
    const keep = new Set(maskTensors(m));
    for (const t of flatten(outputs as Nested<Tensor>, isTensor)) if (!keep.has(t)) t.dispose();
    return m;
  }

  /**
   * @internal A functional model takes its inputs as it was built with them (a list, a dict by
   * input name, or one), each cast to its Input's dtype as Keras does.
   */
  override _convertInputs(inputs: ApplyInputs, temps: Tensor[]): LayerInputs {
    const g = this._graph;
    if (!g) return super._convertInputs(inputs, temps);
    const layout = inputLayout(g);
    const { tensors, owned } = arrange(inputs, layout, "x");
    temps.push(...owned);
    const flat = flatten(tensors, isTensor).map((t, i) => {
      const want = g.flatInputs[i]!.dtype;
      if (t.dtype === want) return t;
      const c = cast(t, want);
      temps.push(c);
      return c;
    });
    return packLike(tensors, flat, isTensor) as LayerInputs;
  }

  /** A functional model's output shapes: its outputs' shapes with the batch dimension given. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const g = this._graph;
    if (!g) return super.computeOutputShape(inputShape);
    const first = inputShape.length > 0 && Array.isArray(inputShape[0]) ? (inputShape[0] as Shape) : (inputShape as Shape);
    const shapes = g.flatOutputs.map((t) => [first[0] ?? null, ...t.shape.slice(1)]);
    return shapes.length === 1 && isKerasTensor(g.outputs) ? shapes[0]! : shapes;
  }

  /** @internal A functional model used as a layer returns what its outputs are, in their structure. */
  override _outputSpecs(inputs: Nested<KerasTensor>): Nested<TensorSpec> {
    const g = this._graph;
    if (!g) return super._outputSpecs(inputs);
    const batch = flatten(inputs, isKerasTensor)[0]?.shape[0] ?? null;
    return g.packOutputs(g.flatOutputs.map((t) => ({ shape: [batch, ...t.shape.slice(1)], dtype: t.dtype })));
  }

  // ------------------------------------------------------------ training

  /** Chooses the optimizer, the loss(es) and the metrics for `fit` and `evaluate`. */
  compile(args: CompileArgs): void {
    if (args === null || typeof args !== "object") throw new ValueError("compile expects { optimizer, loss, metrics? }");
    checkOptions("Model.compile", args, COMPILE_KEYS);
    if (args.optimizer === undefined || args.optimizer === null) throw new ValueError("compile: `optimizer` is required (an Optimizer or \"adam\", \"sgd\", \"rmsprop\")");
    if (args.loss === undefined || args.loss === null) throw new ValueError("compile: `loss` is required (a Loss, a loss name or a function)");
    if (args.metrics !== undefined && !Array.isArray(args.metrics) && !isDict(args.metrics)) throw new ValueError(`compile: \`metrics\` must be an array (or a dict by output name), got ${JSON.stringify(args.metrics)}`);
    const optimizer = getOptimizer(args.optimizer);
    const loss = new CompiledLoss(args.loss, args.lossWeights ?? null);
    const metrics = new CompiledMetrics(args.metrics ?? []);
    if (this._graph) {
      // A functional model knows its outputs: fit the spec now, so mismatches fail in compile.
      try {
        const layout = this.outputLayout();
        loss.build(layout);
        metrics.build(layout);
      } catch (err) {
        loss.dispose();
        metrics.dispose();
        throw err;
      }
    }
    this.disposeCompiled(false);
    this.compiled = { args: { ...args }, optimizer, loss, metrics };
  }

  private outputLayout(): OutputLayout {
    const g = this._graph;
    return g ? { names: g.outputNames, isDict: isDict(g.outputs) } : { names: ["output_1"], isDict: false };
  }

  /** Fits the compiled losses and metrics to a model that learns its outputs on the first batch. */
  private buildCompiled(outputs?: number): void {
    const c = this.compiled!;
    const layout = this._graph || outputs === undefined || outputs === 1 ? this.outputLayout() : { names: Array.from({ length: outputs }, (_, i) => `output_${i + 1}`), isDict: false };
    c.loss.build(layout);
    c.metrics.build(layout);
  }

  private requireCompiled(method: string): Compiled {
    if (!this.compiled) throw new ValueError(`You must compile your model before ${method === "fit" ? "training/testing" : "using it"}. Use \`model.compile({ optimizer, loss })\`.`);
    return this.compiled;
  }

  /** Resets the loss trackers and every compiled metric. */
  resetMetrics(): void {
    for (const m of this.metrics) m.resetState();
  }

  /** The targets arranged like the predictions (a dict of targets for a list of outputs is taken by output name). */
  private targetsFor(y: Nested<Tensor>, yPred: Nested<Tensor>): { yTrue: Tensor[]; yPred: Tensor[] } {
    const pred = flatten(yPred, isTensor);
    this.buildCompiled(pred.length);
    if (isDict(y) && !isDict(yPred) && pred.length > 1) {
      const names = this.outputLayout().names;
      return { yTrue: names.map((n) => (y as Record<string, Tensor>)[n]!), yPred: pred };
    }
    return { yTrue: flatten(y, isTensor), yPred: pred };
  }

  /**
   * One gradient step on a batch: forward pass on a GradientTape, compiled loss, `applyGradients`,
   * metric updates, each example weighted by `sampleWeight` when given. Override it for a custom
   * training step (`fit` calls it for every batch).
   */
  trainStep(x: Tensor | LayerInputs, y: Tensor | Nested<Tensor>, sampleWeight: Tensor | null = null): void {
    const c = this.requireCompiled("fit");
    tidy(() => {
      const tape = new GradientTape();
      let parts: (Tensor | null)[] = [];
      let pair: { yTrue: Tensor[]; yPred: Tensor[] } | null = null;
      const loss = tape.record(() => {
        const yPred = this.apply(x as ApplyInputs, { training: true }) as Nested<Tensor>;
        pair = this.targetsFor(y, yPred);
        const r = c.loss.compute(pair.yTrue, pair.yPred, sampleWeight);
        parts = r.parts;
        // Weight regularization penalties join the loss (Keras's `model.losses`).
        return this.losses.reduce((total, p) => add(total, p), r.total);
      });
      // Read after the forward pass: a model without an input shape builds its weights in it.
      const vars = this.trainableVariables;
      const grads = tape.gradient(loss, vars);
      c.optimizer.applyGradients(zip(grads, vars));
      // Constraints project their weights after each update.
      for (const v of vars) {
        const k = constraintOf(v);
        if (k) v.assign(k.apply(v));
      }
      const n = firstDim(x);
      c.loss.update(loss, parts, n);
      c.metrics.update(pair!.yTrue, pair!.yPred, sampleWeight);
    });
  }

  /** Evaluates a batch (no gradients, `training: false`) into the loss trackers and the metrics. */
  testStep(x: Tensor | LayerInputs, y: Tensor | Nested<Tensor>, sampleWeight: Tensor | null = null): void {
    const c = this.requireCompiled("evaluate");
    tidy(() => {
      const yPred = this.apply(x as ApplyInputs, { training: false }) as Nested<Tensor>;
      const pair = this.targetsFor(y, yPred);
      const r = c.loss.compute(pair.yTrue, pair.yPred, sampleWeight);
      // The penalties count in the evaluated loss too, as Keras 2's test step adds `model.losses`.
      const total = this.losses.reduce((sum, p) => add(sum, p), r.total);
      const parts = r.parts;
      c.loss.update(total, parts, firstDim(x));
      c.metrics.update(pair.yTrue, pair.yPred, sampleWeight);
    });
  }

  /** The current values of the loss trackers and the metrics (one read of each). */
  /** @internal The current logs (used by the Dataset loops). */
  _readLogs(prefix = ""): Promise<Logs> {
    return this.readLogs(prefix);
  }

  private async readLogs(prefix = ""): Promise<Logs> {
    const logs: Logs = {};
    const names = this.metricsNames;
    const metrics = this.metrics;
    for (let i = 0; i < metrics.length; i++) {
      const r = metrics[i]!.result();
      try {
        logs[prefix + names[i]!] = (await r.data())[0] as number;
      } finally {
        r.dispose();
      }
    }
    return logs;
  }

  /** How this model's inputs are arranged (data is matched to them). */
  private inputLayout(): Layout {
    return this._graph ? inputLayout(this._graph) : null;
  }

  /** How this model's outputs are arranged. */
  private outputDataLayout(): Layout {
    const g = this._graph;
    if (!g) return null;
    if (isKerasTensor(g.outputs)) return { kind: "single" };
    return { kind: isDict(g.outputs) ? "dict" : "list", names: g.outputNames };
  }

  /**
   * The per-example weights `fit`/`evaluate` use: `sampleWeight` checked against `n` examples, times
   * the weight `classWeight` gives each example's class; null when neither is given. Tensors made
   * here join `owned`.
   */
  private sampleWeightsOf(sampleWeight: TensorLike | undefined, classWeight: Map<number, number> | null, ys: Nested<Tensor>, n: number, owned: Tensor[], method: string): Tensor | null {
    let sw: Tensor | null = null;
    if (sampleWeight !== undefined) {
      const r = checkSampleWeight(sampleWeight, n, method);
      if (r.owned) owned.push(r.tensor);
      sw = r.tensor;
    }
    if (classWeight) {
      const targets = flatten(ys, isTensor);
      if (targets.length !== 1) throw new ValueError(`${method}: \`classWeight\` is only supported for models with a single output (this one has ${targets.length})`);
      sw = classSampleWeights(targets[0]!, classWeight, sw, method);
      owned.push(sw);
    }
    return sw;
  }

  /** x and y as tensors with the same number of examples (Keras's "data cardinality" check). */
  private dataOf(x: Data, y: Data, method: string): TensorData {
    if (x === undefined || x === null || y === undefined || y === null) throw new ValueError(`${method} expects x and y`);
    const ax = arrange(x, this.inputLayout(), "x", this._graph ? undefined : this.dtype);
    let ay;
    try {
      ay = arrange(y, this.outputDataLayout(), "y");
    } catch (err) {
      for (const t of ax.owned) t.dispose();
      throw err;
    }
    const owned = [...ax.owned, ...ay.owned];
    const fail = (msg: string): never => {
      for (const t of owned) t.dispose();
      throw new ValueError(msg);
    };
    const shapes = [...ax.flat, ...ay.flat].map((t) => t.shape);
    if (shapes.some((s) => s.length === 0)) fail(`${method}: x and y need a batch dimension; got shapes ${shapes.map((s) => formatShapeTuple(s)).join(", ")}`);
    const xs = ax.flat.map((t) => t.shape[0]!);
    const ys = ay.flat.map((t) => t.shape[0]!);
    if (new Set([...xs, ...ys]).size > 1) {
      fail(`Data cardinality is ambiguous:\n  x sizes: ${xs.join(", ")}\n  y sizes: ${ys.join(", ")}\nMake sure all arrays contain the same number of samples.`);
    }
    if (xs[0] === 0) fail(`${method}: x and y are empty (0 examples)`);
    return { xs: ax.tensors, ys: ay.tensors, n: xs[0]!, owned };
  }

  /**
   * Trains for `epochs` passes over `x`/`y` in batches of `batchSize` and returns the History of
   * per-epoch logs (`history.history.loss`, `…accuracy`, `…val_loss`). `x` and `y` are one array or
   * tensor each, or lists/dicts of them for models with several inputs or outputs. Yields to the
   * event loop between batches so a browser page stays responsive.
   */
  async fit(x: Dataset, args?: FitArgs): Promise<History>;
  async fit(x: Data, y: Data, args?: FitArgs): Promise<History>;
  async fit(x: Data | Dataset, yOrArgs?: Data | FitArgs, maybeArgs?: FitArgs): Promise<History> {
    this.requireCompiled("fit");
    const onDataset = x instanceof Dataset;
    const args = (onDataset ? (yOrArgs ?? {}) : (maybeArgs ?? {})) as FitArgs;
    const y = onDataset ? undefined : (yOrArgs as Data);
    if (args === null || typeof args !== "object") throw new ValueError(`fit's ${onDataset ? "second" : "third"} argument must be an options object like { epochs: 10, batchSize: 32 }`);
    checkOptions("Model.fit", args, FIT_KEYS);
    const validationFreq = checkInt(args.validationFreq ?? 1, "fit: validationFreq", 1);
    const validationSteps = args.validationSteps === undefined ? null : checkInt(args.validationSteps, "fit: validationSteps", 1);
    const valDataset = args.validationData instanceof Dataset ? args.validationData : null;
    if (onDataset) {
      if (args.batchSize !== undefined) throw new ValueError("fit: do not pass batchSize with a Dataset (batch the dataset with .batch(n))");
      if (args.validationSplit !== undefined) throw new ValueError("fit: validationSplit is not supported with a Dataset; pass validationData");
      let valTensors: { xs: Nested<Tensor>; ys: Nested<Tensor>; n: number; owned: Tensor[] } | null = null;
      if (args.validationData !== undefined && !valDataset) {
        if (!Array.isArray(args.validationData) || args.validationData.length !== 2) throw new ValueError("fit: validationData must be [xVal, yVal] or a Dataset");
        valTensors = this.dataOf(args.validationData[0], args.validationData[1], "fit (validationData)");
      }
      try {
        if (args.sampleWeight !== undefined) throw new ValueError("fit: do not pass sampleWeight with a Dataset; yield [x, y, sampleWeight] elements instead");
        return await fitDataset(this, x, {
          classWeight: args.classWeight === undefined ? null : checkClassWeight(args.classWeight, "fit"),
          epochs: checkInt(args.epochs ?? 1, "fit: epochs", 0),
          initialEpoch: checkInt(args.initialEpoch ?? 0, "fit: initialEpoch", 0),
          verbose: checkVerbose(args.verbose ?? 1),
          stepsPerEpoch: args.stepsPerEpoch === undefined ? null : checkInt(args.stepsPerEpoch, "fit: stepsPerEpoch", 1),
          validation: valDataset,
          validationSteps,
          validationFreq,
          callbacks: args.callbacks ?? [],
          ...(args.progressSink ? { progressSink: args.progressSink } : {}),
          validateTensors: valTensors ? (callbacks, yielder) => this.runTest(valTensors!, 32, callbacks, yielder, "val_") : null,
        });
      } finally {
        for (const t of valTensors?.owned ?? []) t.dispose();
      }
    }
    const epochs = checkInt(args.epochs ?? 1, "fit: epochs", 0);
    const batchSize = checkInt(args.batchSize ?? 32, "fit: batchSize", 1);
    const verbose = checkVerbose(args.verbose ?? 1);
    const initialEpoch = checkInt(args.initialEpoch ?? 0, "fit: initialEpoch", 0);
    const shuffle = args.shuffle ?? true;
    const split = args.validationSplit ?? 0;
    if (typeof split !== "number" || !(split >= 0 && split < 1)) throw new ValueError(`fit: validationSplit must be in [0, 1), got ${JSON.stringify(split)}`);
    if (args.validationData !== undefined && !valDataset && (!Array.isArray(args.validationData) || args.validationData.length !== 2)) {
      throw new ValueError("fit: validationData must be [xVal, yVal] or a Dataset");
    }
    if (args.callbacks !== undefined && !Array.isArray(args.callbacks)) throw new ValueError("fit: callbacks must be an array");

    const classWeight = args.classWeight === undefined ? null : checkClassWeight(args.classWeight, "fit");
    const data = this.dataOf(x as Data, y as Data, "fit");
    const owned = [...data.owned];
    try {
      let { xs, ys, n } = data;
      let sw = this.sampleWeightsOf(args.sampleWeight, classWeight, ys, n, owned, "fit");
      let val: { xs: Nested<Tensor>; ys: Nested<Tensor>; n: number; sw?: Tensor | null } | null = null;
      if (args.validationData && !valDataset) {
        const [vx, vy] = args.validationData as readonly [Data, Data];
        const v = this.dataOf(vx, vy, "fit (validationData)");
        owned.push(...v.owned);
        val = v;
      } else if (split > 0) {
        const nTrain = Math.floor(n * (1 - split));
        if (nTrain === 0 || nTrain === n) throw new ValueError(`fit: validationSplit ${split} leaves no ${nTrain === 0 ? "training" : "validation"} examples out of ${n}`);
        const parts = [batchOf(xs, null, 0, nTrain), batchOf(ys, null, 0, nTrain), batchOf(xs, null, nTrain, n - nTrain), batchOf(ys, null, nTrain, n - nTrain)];
        for (const p of parts) owned.push(...flatten(p, isTensor));
        // The held-out examples keep their weights, as Keras's validation_split does.
        const [swTrain, swVal] = sw ? [batchOf(sw, null, 0, nTrain) as Tensor, batchOf(sw, null, nTrain, n - nTrain) as Tensor] : [null, null];
        if (swTrain && swVal) owned.push(swTrain, swVal);
        val = { xs: parts[2]!, ys: parts[3]!, n: n - nTrain, sw: swVal };
        [xs, ys, n, sw] = [parts[0]!, parts[1]!, nTrain, swTrain];
      }
      const steps = Math.ceil(n / batchSize);
      const history = new History();
      const callbacks = new CallbackList(
        [...(verbose > 0 ? [new ProgbarLogger(verbose as 1 | 2, args.progressSink)] : []), ...(args.callbacks ?? []), history],
        this,
        { epochs, steps, verbose, mode: "train" },
      );
      const perBatchLogs = verbose === 1 || callbacks.has("onTrainBatchEnd");
      const yielder = new Yielder();
      this.stopTraining = false;
      await callbacks.call("onTrainBegin", {});
      let logs: Logs = {};
      for (let epoch = initialEpoch; epoch < epochs; epoch++) {
        this.resetMetrics();
        await callbacks.call("onEpochBegin", epoch, {});
        const perm = shuffle ? permutation(n) : null;
        try {
          await this.runBatches({ xs, ys, n, sw }, perm, batchSize, true, callbacks, yielder, perBatchLogs);
        } finally {
          perm?.dispose();
        }
        logs = await this.readLogs();
        if ((epoch + 1) % validationFreq === 0) {
          if (val) logs = { ...logs, ...(await this.runTest(val, batchSize, callbacks, yielder, "val_")) };
          else if (valDataset) logs = { ...logs, ...(await testDataset(this, valDataset, validationSteps, callbacks, yielder, "val_")) };
        }
        await callbacks.call("onEpochEnd", epoch, logs);
        if (this.stopTraining) break;
      }
      await callbacks.call("onTrainEnd", logs);
      return history;
    } finally {
      for (const t of owned) t.dispose();
    }
  }

  /**
   * One pass over `data` in batches of `batchSize` (in `perm`'s order when given): `trainStep` with
   * the Train batch hooks when `train`, else `testStep` with the Test ones. Training stops after the
   * batch that sets `stopTraining` (e.g. TerminateOnNaN), as Keras does.
   */
  private async runBatches(data: { xs: Nested<Tensor>; ys: Nested<Tensor>; n: number; sw?: Tensor | null }, perm: Tensor | null, batchSize: number, train: boolean, callbacks: CallbackList, yielder: Yielder, perBatchLogs: boolean): Promise<void> {
    const steps = Math.ceil(data.n / batchSize);
    for (let step = 0; step < steps; step++) {
      await callbacks.call(train ? "onTrainBatchBegin" : "onTestBatchBegin", step, {});
      const start = step * batchSize;
      const size = Math.min(batchSize, data.n - start);
      const bx = batchOf(data.xs, perm, start, size);
      const by = batchOf(data.ys, perm, start, size);
      const bw = data.sw ? (batchOf(data.sw, perm, start, size) as Tensor) : null;
      try {
        if (train) this.trainStep(bx as LayerInputs, by, bw);
        else this.testStep(bx as LayerInputs, by, bw);
      } finally {
        disposeAll(bx);
        disposeAll(by);
        bw?.dispose();
      }
      if (perBatchLogs) await callbacks.call(train ? "onTrainBatchEnd" : "onTestBatchEnd", step, await this.readLogs());
      await yielder.maybeYield();
      if (train && this.stopTraining) break;
    }
  }

  private async runTest(data: { xs: Nested<Tensor>; ys: Nested<Tensor>; n: number; sw?: Tensor | null }, batchSize: number, callbacks: CallbackList, yielder: Yielder, prefix = ""): Promise<Logs> {
    this.resetMetrics();
    await callbacks.call("onTestBegin", {});
    await this.runBatches(data, null, batchSize, false, callbacks, yielder, callbacks.has("onTestBatchEnd"));
    const logs = await this.readLogs();
    await callbacks.call("onTestEnd", logs);
    return prefix ? Object.fromEntries(Object.entries(logs).map(([k, v]) => [prefix + k, v])) : logs;
  }

  /**
   * The loss (and metrics) on `x`/`y`: a number when no metrics were compiled, else
   * `[loss, ...metrics]`; `{ returnDict: true }` gives `{ loss, accuracy, … }`.
   */
  async evaluate(x: Dataset, args: EvaluateArgs & { returnDict: true }): Promise<Logs>;
  async evaluate(x: Dataset, args?: EvaluateArgs): Promise<number | number[]>;
  async evaluate(x: Data, y: Data, args: EvaluateArgs & { returnDict: true }): Promise<Logs>;
  async evaluate(x: Data, y: Data, args?: EvaluateArgs): Promise<number | number[]>;
  async evaluate(x: Data | Dataset, yOrArgs?: Data | EvaluateArgs, maybeArgs?: EvaluateArgs): Promise<number | number[] | Logs> {
    this.requireCompiled("evaluate");
    const onDataset = x instanceof Dataset;
    const args = (onDataset ? (yOrArgs ?? {}) : (maybeArgs ?? {})) as EvaluateArgs;
    checkOptions("Model.evaluate", args, EVALUATE_KEYS);
    const verbose = checkVerbose(args.verbose ?? 1);
    const finish = (logs: Logs): number | number[] | Logs => {
      if (args.returnDict) return logs;
      const values = this.metricsNames.map((k) => logs[k]!);
      return values.length === 1 ? values[0]! : values;
    };
    if (onDataset) {
      if (args.batchSize !== undefined) throw new ValueError("evaluate: do not pass batchSize with a Dataset (batch the dataset with .batch(n))");
      if (args.sampleWeight !== undefined) throw new ValueError("evaluate: do not pass sampleWeight with a Dataset; yield [x, y, sampleWeight] elements instead");
      const limit = args.steps === undefined ? null : checkInt(args.steps, "evaluate: steps", 1);
      const callbacks = new CallbackList(
        [...(verbose > 0 ? [new ProgbarLogger(verbose as 1 | 2, args.progressSink)] : []), ...(args.callbacks ?? [])],
        this,
        { steps: limit ?? (x.cardinality() >= 0 ? x.cardinality() : undefined), verbose, mode: "test" },
      );
      return finish(await testDataset(this, x, limit, callbacks, new Yielder()));
    }
    const batchSize = checkInt(args.batchSize ?? 32, "evaluate: batchSize", 1);
    const data = this.dataOf(x as Data, yOrArgs as Data, "evaluate");
    try {
      const sw = this.sampleWeightsOf(args.sampleWeight, null, data.ys, data.n, data.owned, "evaluate");
      const steps = Math.ceil(data.n / batchSize);
      const callbacks = new CallbackList(
        [...(verbose > 0 ? [new ProgbarLogger(verbose as 1 | 2, args.progressSink)] : []), ...(args.callbacks ?? [])],
        this,
        { steps, verbose, mode: "test" },
      );
      return finish(await this.runTest({ ...data, sw }, batchSize, callbacks, new Yielder()));
    } finally {
      for (const t of data.owned) t.dispose();
    }
  }

  /**
   * The model's outputs for `x` (`training: false`), computed in batches of `batchSize`: one tensor,
   * or a list/dict of them for a model with several outputs.
   */
  predict<M extends Model<SymbolicOutputs>>(this: M, x: Dataset, args?: PredictArgs): Promise<OutputsOf<M>>;
  predict<M extends Model<SymbolicOutputs>>(this: M, x: Data, args?: PredictArgs): OutputsOf<M>;
  predict<M extends Model<SymbolicOutputs>>(this: M, x: Data | Dataset, args: PredictArgs = {}): OutputsOf<M> | Promise<OutputsOf<M>> {
    checkOptions("Model.predict", args, PREDICT_KEYS);
    if (x instanceof Dataset) {
      if (args.batchSize !== undefined) throw new ValueError("predict: do not pass batchSize with a Dataset (batch the dataset with .batch(n))");
      const limit = args.steps === undefined ? null : checkInt(args.steps, "predict: steps", 1);
      return predictDataset(this, x, limit) as Promise<Element> as Promise<OutputsOf<M>>;
    }
    const batchSize = checkInt(args.batchSize ?? 32, "predict: batchSize", 1);
    const { tensors: xs, flat, owned } = arrange(x, this.inputLayout(), "x", this._graph ? undefined : this.dtype);
    try {
      const n = flat[0]?.shape[0];
      if (n === undefined) throw new ValueError(`predict: x needs a batch dimension, got shape ${formatShapeTuple(flat[0]?.shape ?? [])}`);
      if (n <= batchSize) return tidy(() => this.apply(xs as ApplyInputs, { training: false }) as never) as OutputsOf<M>;
      return tidy(() => {
        const batches: Nested<Tensor>[] = [];
        for (let start = 0; start < n; start += batchSize) {
          batches.push(this.apply(batchOf(xs, null, start, Math.min(batchSize, n - start)) as ApplyInputs, { training: false }) as Nested<Tensor>);
        }
        const columns = flatten(batches[0]!, isTensor).map((_, i) => concat(batches.map((b) => flatten(b, isTensor)[i]!), 0));
        return packLike(batches[0]!, columns, isTensor) as never;
      }) as OutputsOf<M>;
    } finally {
      for (const t of owned) t.dispose();
    }
  }

  /** The model's outputs for one batch (no batching). */
  predictOnBatch<M extends Model<SymbolicOutputs>>(this: M, x: Data): OutputsOf<M> {
    return tidy(() => this.apply(x as ApplyInputs, { training: false }) as never) as OutputsOf<M>;
  }

  /** One gradient step on one batch; resolves to the logs after it. */
  async trainOnBatch(x: Data, y: Data): Promise<Logs> {
    return this.stepOnBatch(x, y, "trainOnBatch");
  }

  /** The loss and metrics on one batch (no gradient step, `training: false`); resolves to the logs. */
  async testOnBatch(x: Data, y: Data): Promise<Logs> {
    this.requireCompiled("evaluate");
    return this.stepOnBatch(x, y, "testOnBatch");
  }

  /** One train or test step on one batch, the metrics reset first; resolves to the logs after it. */
  private async stepOnBatch(x: Data, y: Data, method: "trainOnBatch" | "testOnBatch"): Promise<Logs> {
    const { xs, ys, owned } = this.dataOf(x, y, method);
    try {
      this.resetMetrics();
      if (method === "trainOnBatch") this.trainStep(xs as LayerInputs, ys);
      else this.testStep(xs as LayerInputs, ys);
      return await this.readLogs();
    } finally {
      for (const t of owned) t.dispose();
    }
  }

  /** Prints Keras's summary table (layers, output shapes, parameter counts; "Connected to" for graphs that are not a chain). */
  summary(options: SummaryOptions = {}): void {
    printSummary(this as Model<SymbolicOutputs>, options);
  }

  /**
   * Saves architecture and weights in the TensorFlow.js layers format (`model.json` + binary weight
   * shards): a Node directory (`"path"` or `"file://path"`), `localstorage://name`, `downloads://name`,
   * or an IOHandler object with a `save(artifacts)` method. `{ includeOptimizer: true }` also saves
   * the optimizer and its state (TensorFlow.js's layout: `trainingConfig` and weights in group "optimizer").
   */
  async save(destination: SaveDestination | { save(artifacts: never): Promise<unknown> }, options: SaveOptions = {}): Promise<unknown> {
    if (!modelSaving.save) throw new NotImplementedError("Model saving is not available (keras/model-io.js was not loaded)");
    return modelSaving.save(this as Model<SymbolicOutputs>, destination, options);
  }

  /** The Keras config: a functional model's graph (layers, their calls, inputs and outputs); subclassed models have none. */
  override getConfig(): Record<string, unknown> {
    if (this._graph && modelSaving.functionalConfig) return modelSaving.functionalConfig(this as Model<SymbolicOutputs>);
    throw new NotImplementedError(
      `Model "${this.name}" is a subclassed Model: its architecture is code, so it has no config and cannot be saved in the TensorFlow.js layers format. Save its weights with getWeights(), or build it as a Sequential or functional model.`,
    );
  }

  private disposeCompiled(optimizerToo: boolean): void {
    if (!this.compiled) return;
    this.compiled.loss.dispose();
    this.compiled.metrics.dispose();
    if (optimizerToo) this.compiled.optimizer.dispose();
    this.compiled = null;
  }

  /** Frees the model's variables and its compiled metrics and optimizer state. */
  override dispose(): void {
    super.dispose();
    this.disposeCompiled(true);
  }
}

/** How a functional model's inputs are arranged. */
function inputLayout(g: FunctionalGraph): Layout {
  if (isKerasTensor(g.inputs)) return { kind: "single" };
  return { kind: isDict(g.inputs) ? "dict" : "list", names: g.inputNames };
}

/** The number of examples in a batch (its first tensor's first dimension). */
function firstDim(x: Tensor | LayerInputs): number {
  return flatten(x as Nested<Tensor>, isTensor)[0]?.shape[0] ?? 1;
}

