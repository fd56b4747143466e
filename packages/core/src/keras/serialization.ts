/**
 * The TensorFlow.js layers format, in memory: a Keras model config (`modelTopology`), weight specs
 * `[{ name, shape, dtype }]` and one little-endian buffer of weight values, in spec order. The files
 * (`model.json` + binary shards) are written and read in model-io.ts.
 */
import { NotImplementedError, ValueError } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { cast } from "../ops/cast.js";
import { formatShapeTuple, sizeFromShape } from "../shape.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Variable } from "../tensor/variable.js";
import type { InitializerIdentifier, SerializedObject } from "./initializers.js";
import type { Layer, LayerArgs } from "./layer.js";
import { Conv2D } from "./layers/conv2d.js";
import type { PaddingMode } from "./layers/conv-utils.js";
import { Dense } from "./layers/dense.js";
import { Dropout } from "./layers/dropout.js";
import { Flatten } from "./layers/flatten.js";
import { InputLayer } from "./layers/input-layer.js";
import type { KerasTensor } from "./keras-tensor.js";
import type { Model, SymbolicOutputs } from "./model.js";
import { Sequential } from "./sequential.js";
import { closestKey } from "../options.js";
import { dtypeOf } from "./config.js";
import { functionalFromConfig } from "./graph-config.js";
import { LAYER_CLASSES_EXTRA } from "./layers/registry.js";
import { getRegisteredObject, serializedClassName, withCustomObjects } from "./utils.js";
import { checkConfigTree } from "./config-check.js";
import { withWeightBudget } from "./weight-budget.js";
import type { TrainingConfig } from "./training-config.js";
import { compileArgsFrom, trainingConfigOf } from "./training-config.js";
import { checkWeightSpecs, DEFAULT_MAX_WEIGHT_BYTES, maxWeightBytesOption } from "./weight-specs.js";
import type { SerializableLayerClass } from "./utils.js";
import type { ActivationName } from "./activations.js";

/** Written as `keras_version` and `generatedBy`. */
export const TESSERA_VERSION = "0.1.0";

/** One weight in a manifest. */
export interface WeightSpec {
  /** `<layer>/<weight>`, e.g. `dense/kernel`. */
  name: string;
  shape: number[];
  dtype: "float32" | "int32" | "bool" | "float64";
  /** Converter quantization: stored as uint8/uint16 (`value = q * scale + min`) or float16. */
  quantization?: { dtype: "uint8" | "uint16" | "float16"; scale?: number; min?: number; original_dtype?: string };
  group?: string;
}

/** A saved model in memory (TensorFlow.js's `ModelArtifacts`). */
export interface ModelArtifacts {
  /** The Keras model config: `{ class_name, config, keras_version, backend }`. */
  modelTopology: Record<string, unknown>;
  weightSpecs: WeightSpec[];
  /** The values of every weight, in `weightSpecs` order. */
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  userDefinedMetadata?: Record<string, unknown>;
  /** The optimizer, loss and metrics of a model saved with `includeOptimizer` (snake_case keys). */
  trainingConfig?: TrainingConfig;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function bytesPer(dtype: string): number {
  switch (dtype) {
    case "float32": case "int32": return 4;
    case "float64": return 8;
    case "bool": case "uint8": return 1;
    case "uint16": case "float16": return 2;
    default: throw new ValueError(`Unsupported weight dtype ${JSON.stringify(dtype)} in the weights manifest (supported: float32, int32, bool, float64; quantized uint8, uint16, float16)`);
  }
}

/** Reads every tensor (awaiting the backend) and packs them into one little-endian buffer. */
export async function encodeWeights(named: readonly { name: string; tensor: Tensor }[]): Promise<{ specs: WeightSpec[]; data: ArrayBuffer }> {
  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  for (const { name, tensor } of named) {
    const dtype = tensor.dtype;
    if (dtype !== "float32" && dtype !== "int32" && dtype !== "bool" && dtype !== "float64") {
      throw new ValueError(`Cannot save weight ${name} of dtype ${dtype}: the layers format holds float32, int32, bool (and float64 for Tessera)`);
    }
    const values = (await tensor.data()) as Float32Array | Int32Array | Uint8Array | Float64Array;
    const bytes = new Uint8Array(values.length * bytesPer(dtype));
    if (LITTLE_ENDIAN || dtype === "bool") {
      bytes.set(new Uint8Array(values.buffer, values.byteOffset, bytes.length));
    } else {
      const dv = new DataView(bytes.buffer);
      for (let i = 0; i < values.length; i++) {
        if (dtype === "float32") dv.setFloat32(4 * i, values[i]!, true);
        else if (dtype === "int32") dv.setInt32(4 * i, values[i]!, true);
        else dv.setFloat64(8 * i, values[i]!, true);
      }
    }
    specs.push({ name, shape: tensor.shape.slice(), dtype });
    chunks.push(bytes);
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const data = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    data.set(c, off);
    off += c.length;
  }
  return { specs, data: data.buffer };
}

/** IEEE half → float. */
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** A decoded weight: host values ready for upload. */
export interface DecodedWeight {
  name: string;
  shape: number[];
  dtype: "float32" | "int32" | "bool" | "float64";
  values: Float32Array | Int32Array | Uint8Array | Float64Array;
  /** The spec's `group` ("optimizer" for optimizer state), when it has one. */
  group?: string;
}

/**
 * Splits `data` into the weights `specs` describe, after checking every spec and that the sizes add
 * up exactly; `maxBytes` bounds what the specs may declare.
 */
export function decodeWeights(data: ArrayBuffer, specs: readonly WeightSpec[], maxBytes: number = DEFAULT_MAX_WEIGHT_BYTES): DecodedWeight[] {
  // Realm-safe (an ArrayBuffer from another frame or vm context is not an instance of this one's).
  if (Object.prototype.toString.call(data) !== "[object ArrayBuffer]") throw new ValueError(`The weight data must be an ArrayBuffer, got ${data === null ? "null" : typeof data}`);
  const { bytes: need } = checkWeightSpecs(specs, "The model artifacts", maxBytes);
  if (data.byteLength !== need) {
    throw new ValueError(`The weight data has ${data.byteLength} bytes, but the manifest describes ${need} bytes (${specs.length} weights): the weight files are truncated, corrupt or do not belong to this model.json`);
  }
  const dv = new DataView(data);
  const out: DecodedWeight[] = [];
  let off = 0;
  for (const s of specs) {
    const n = sizeFromShape(s.shape);
    const q = s.quantization;
    const dtype = s.dtype;
    if (dtype !== "float32" && dtype !== "int32" && dtype !== "bool" && dtype !== "float64") {
      throw new ValueError(`Weight "${s.name}" has unsupported dtype ${JSON.stringify(dtype)} (supported: float32, int32, bool, float64)`);
    }
    let values: DecodedWeight["values"];
    if (q) {
      const f = dtype === "int32" ? new Int32Array(n) : new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const raw = q.dtype === "uint8" ? dv.getUint8(off + i) : dv.getUint16(off + 2 * i, true);
        const v = q.dtype === "float16" ? halfToFloat(raw) : raw * (q.scale ?? 1) + (q.min ?? 0);
        f[i] = dtype === "int32" ? Math.round(v) : v;
      }
      values = f;
      off += n * bytesPer(q.dtype);
    } else {
      if (dtype === "bool") values = new Uint8Array(data.slice(off, off + n));
      else if (dtype === "float32") values = new Float32Array(n);
      else if (dtype === "int32") values = new Int32Array(n);
      else values = new Float64Array(n);
      if (dtype !== "bool") {
        for (let i = 0; i < n; i++) {
          if (dtype === "float32") values[i] = dv.getFloat32(off + 4 * i, true);
          else if (dtype === "int32") values[i] = dv.getInt32(off + 4 * i, true);
          else values[i] = dv.getFloat64(off + 8 * i, true);
        }
      }
      off += n * bytesPer(dtype);
    }
    out.push({ name: s.name, shape: s.shape.slice(), dtype, values, ...(typeof s.group === "string" ? { group: s.group } : {}) });
  }
  return out;
}

// ---------------------------------------------------------------- model config → layers

type Config = Record<string, unknown>;

function baseArgs(c: Config): LayerArgs {
  const args: LayerArgs = {};
  if (typeof c["name"] === "string") args.name = c["name"];
  if (typeof c["trainable"] === "boolean") args.trainable = c["trainable"];
  const dtype = dtypeOf(c["dtype"]);
  if (dtype) args.dtype = dtype;
  const shape = c["batch_input_shape"] ?? c["batch_shape"];
  if (Array.isArray(shape)) args.batchInputShape = shape as (number | null)[];
  return args;
}

/** Regularizers and constraints change training; refusing them beats silently dropping them. */
function rejectUnsupported(c: Config, className: string, keys: string[]): void {
  for (const k of keys) {
    if (c[k] !== undefined && c[k] !== null) {
      throw new NotImplementedError(`${className} layer "${String(c["name"])}": \`${k}\` is not supported by Tessera (got ${JSON.stringify(c[k])})`);
    }
  }
  const groups = c["groups"];
  if (groups !== undefined && groups !== 1) throw new NotImplementedError(`${className} layer "${String(c["name"])}": grouped convolutions (groups=${String(groups)}) are not supported`);
}

const REG_KEYS = ["kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"];

const init = (v: unknown): InitializerIdentifier | undefined => (v && typeof v === "object" ? (v as SerializedObject) : typeof v === "string" ? v : undefined);
const act = (v: unknown): ActivationName | undefined => (typeof v === "string" ? (v as ActivationName) : undefined);
const size2 = (v: unknown): number | [number, number] | undefined => (typeof v === "number" || Array.isArray(v) ? (v as number | [number, number]) : undefined);
const opt = <T>(k: string, v: T | undefined): { [key: string]: T } => (v === undefined || v === null ? {} : { [k]: v });

const LAYER_CLASSES: Record<string, (c: Config) => Layer> = {
  Dense: (c) => {
    return new Dense(c["units"] as number, {
      ...baseArgs(c),
      ...opt("activation", act(c["activation"])),
      ...opt("useBias", c["use_bias"] as boolean | undefined),
      ...opt("kernelInitializer", init(c["kernel_initializer"])),
      ...opt("biasInitializer", init(c["bias_initializer"])),
      ...opt("kernelRegularizer", c["kernel_regularizer"] as SerializedObject | undefined),
      ...opt("biasRegularizer", c["bias_regularizer"] as SerializedObject | undefined),
      ...opt("kernelConstraint", c["kernel_constraint"] as SerializedObject | undefined),
      ...opt("biasConstraint", c["bias_constraint"] as SerializedObject | undefined),
      ...opt("activityRegularizer", c["activity_regularizer"] as SerializedObject | undefined),
    });
  },
  Conv2D: (c) => {
    rejectUnsupported(c, "Conv2D", REG_KEYS);
    return new Conv2D(c["filters"] as number, size2(c["kernel_size"]) as [number, number], {
      ...baseArgs(c),
      ...opt("strides", size2(c["strides"])),
      ...opt("padding", c["padding"] as PaddingMode | undefined),
      ...opt("dataFormat", c["data_format"] as "channels_last" | undefined),
      ...opt("dilationRate", size2(c["dilation_rate"])),
      ...opt("activation", act(c["activation"])),
      ...opt("useBias", c["use_bias"] as boolean | undefined),
      ...opt("kernelInitializer", init(c["kernel_initializer"])),
      ...opt("biasInitializer", init(c["bias_initializer"])),
    });
  },
  Flatten: (c) => Flatten.fromConfig(c),
  Dropout: (c) =>
    new Dropout(c["rate"] as number, {
      ...baseArgs(c),
      ...opt("noiseShape", c["noise_shape"] as (number | null)[] | undefined),
      ...opt("seed", c["seed"] as number | undefined),
    }),
  InputLayer: (c) => InputLayer.fromConfig(c),
  Sequential: (c) => sequentialFromConfig(c),
  Functional: (c) => functionalFromConfig(c, layerFromConfig),
  // TensorFlow.js and Keras before 2.4 call a functional model "Model".
  Model: (c) => functionalFromConfig(c, layerFromConfig),
  ...LAYER_CLASSES_EXTRA,
};

/** Layer classes a saved model may contain. */
export const SUPPORTED_LAYER_CLASSES = Object.keys(LAYER_CLASSES);

/**
 * A layer from its Keras config `{ class_name, config }`: a custom class (loadModel's
 * `customObjects`, or registered with `tf.keras.utils.registerKerasSerializable`), else a built-in.
 */
export function layerFromConfig(entry: unknown): Layer {
  if (nesting >= MAX_MODEL_NESTING) {
    throw new ValueError(`The model config nests models more than ${MAX_MODEL_NESTING} deep; refusing it (a real model nests a few levels)`);
  }
  nesting++;
  try {
    return layerFromEntry(entry);
  } finally {
    nesting--;
  }
}

/** Deepest nesting of models inside models a config may have. */
export const MAX_MODEL_NESTING = 64;
let nesting = 0;

function layerFromEntry(entry: unknown): Layer {
  if (!entry || typeof entry !== "object" || typeof (entry as SerializedObject).class_name !== "string") {
    throw new ValueError(`A layer entry in the model config must be { class_name, config }, got ${JSON.stringify(entry)?.slice(0, 200)}`);
  }
  const { class_name: cls, config } = entry as SerializedObject;
  const custom = getRegisteredObject(cls);
  if (custom) return custom.fromConfig(config ?? {});
  const make = Object.hasOwn(LAYER_CLASSES, cls) ? LAYER_CLASSES[cls] : undefined;
  if (!make) {
    const plain = cls.slice(cls.indexOf(">") + 1);
    throw new NotImplementedError(
      `Unknown layer class "${cls}" in the model config. If it is a custom layer, register its class with tf.keras.utils.registerKerasSerializable()(${plain}) before loading (models are then saved with class_name "Custom>${plain}"), or pass it to loadModel(source, { customObjects: { "${cls}": ${plain} } }). Tessera can load: ${SUPPORTED_LAYER_CLASSES.join(", ")}.`,
    );
  }
  const layer = make(config ?? {});
  // Containers' configs carry bookkeeping of their own (build_input_shape…); their layers are checked one by one.
  if (cls === "Sequential" || cls === "Functional" || cls === "Model") return layer;
  try {
    checkConfigKeys(cls, config ?? {}, layer);
  } catch (err) {
    layer.dispose();
    throw err;
  }
  return layer;
}

/**
 * Keys Keras and TensorFlow.js write into layer configs that a Tessera layer reads but does not write
 * back (input specs and Keras 3's bookkeeping).
 */
const CONFIG_KEYS_READ_ONLY = new Set(["batch_input_shape", "batch_shape", "input_shape", "input_dim", "input_dtype", "dtype", "sparse", "ragged", "name", "trainable", "autocast"]);

/**
 * Keras's rule for saved configs: `cls(**config)` rejects a key the class does not take. A built-in
 * layer's keys are those its own `getConfig()` writes, so a key it neither writes nor reads is a
 * misspelling or a feature Tessera would otherwise drop silently. Container configs are not checked here.
 */
function checkConfigKeys(cls: string, config: unknown, layer: Layer): void {
  if (!config || typeof config !== "object" || Array.isArray(config)) return;
  const known = Object.keys(layer.getConfig());
  for (const key of Object.keys(config)) {
    // A null is a default other writers spell out (TensorFlow.js's noise_shape of SpatialDropout1D).
    if (known.includes(key) || CONFIG_KEYS_READ_ONLY.has(key) || (config as Config)[key] === null) continue;
    const near = closestKey(key, known);
    throw new ValueError(
      `${cls} layer "${String((config as Config)["name"])}": unrecognized key '${key}' in its saved config${near === undefined ? "" : ` — did you mean '${near}'?`} (keys it takes: ${known.join(", ")})`,
    );
  }
}

/** A Sequential model from its config (`{ name, layers }`, or the bare list of old Keras configs). */
function sequentialFromConfig(config: unknown): Sequential {
  const layers = Array.isArray(config) ? config : (config as Config | undefined)?.["layers"];
  if (!Array.isArray(layers)) throw new ValueError("The Sequential config has no `layers` list");
  const name = !Array.isArray(config) && typeof (config as Config)["name"] === "string" ? ((config as Config)["name"] as string) : undefined;
  const built: Layer[] = [];
  try {
    for (const l of layers) built.push(layerFromConfig(l));
    return new Sequential(built, name ? { name } : {});
  } catch (err) {
    for (const l of built) l.dispose();
    throw err;
  }
}

/** Options of `loadModel` and `modelFromTopology`. */
export interface LoadOptions {
  /** Custom layer classes by the `class_name` the config gives them (Keras's `custom_objects`). */
  customObjects?: Readonly<Record<string, SerializableLayerClass>>;
  /**
   * Most bytes of weights a model may declare (default `DEFAULT_MAX_WEIGHT_BYTES`, 2 GiB − 1): a
   * manifest declaring more is refused before any file is read or any buffer allocated.
   */
  maxWeightBytes?: number;
  /**
   * Compile the model from the training config a model saved with `includeOptimizer` carries, and
   * restore its optimizer state (default true, as Keras's `compile=True`); false loads it uncompiled.
   */
  compile?: boolean;
}

/**
 * Compiles a loaded model from its training config and restores the optimizer's saved state (built
 * on the model's trainable variables first, as the optimizer saw them when training).
 */
function restoreTraining(model: Model<SymbolicOutputs>, config: unknown, state: readonly DecodedWeight[]): void {
  model.compile(compileArgsFrom(config));
  if (state.length === 0) return;
  const optimizer = model.optimizer!;
  if (state.length > 1) optimizer.build(model.trainableVariables);
  const tensors = state.map((w) => ENGINE.upload(w.values, w.shape, w.dtype === "bool" ? "bool" : w.dtype));
  try {
    optimizer.setWeights(tensors);
  } finally {
    for (const t of tensors) t.dispose();
  }
}

/** A model (weights freshly initialised) from a Keras/TensorFlow.js model topology: Sequential or functional. */
export function modelFromTopology<O extends SymbolicOutputs = KerasTensor>(topology: unknown, options: LoadOptions = {}): Model<O> {
  if (!topology || typeof topology !== "object") throw new ValueError("modelTopology must be a Keras model config object");
  checkConfigTree(topology, "The model config");
  // The Keras→TF.js converter nests the config under model_config.
  const t = (topology as Config)["model_config"] && typeof (topology as Config)["model_config"] === "object" ? ((topology as Config)["model_config"] as Config) : (topology as Config);
  const cls = t["class_name"];
  if (cls !== "Sequential" && cls !== "Functional" && cls !== "Model" && !(typeof cls === "string" && getRegisteredObject(cls))) {
    throw new NotImplementedError(`Tessera loads Sequential and functional models; this model is a ${JSON.stringify(cls)} (a subclassed model's architecture is code: rebuild it and load its weights)`);
  }
  const model = withCustomObjects(options.customObjects, () => layerFromConfig({ class_name: cls, config: t["config"] }));
  return model as Model<O>;
}

/** The TF.js model topology of a Sequential or functional model. */
export function modelToTopology(model: Model<SymbolicOutputs>): Record<string, unknown> {
  return { class_name: serializedClassName(model), config: model.getConfig(), keras_version: `tessera ${TESSERA_VERSION}`, backend: "tessera" };
}

/** The weight name a variable is saved under: `dense/kernel:0` → `dense/kernel`. */
export function savedWeightName(v: Variable): string {
  return v.name.replace(/:\d+$/, "");
}

/**
 * Everything `save` writes, read from the model's variables; with `includeOptimizer`, also the
 * training config and the optimizer's state (TensorFlow.js's layout: weights in group "optimizer").
 */
export async function modelToArtifacts(model: Model<SymbolicOutputs>, includeOptimizer = false): Promise<ModelArtifacts> {
  const modelTopology = modelToTopology(model);
  if (!model.built) throw new ValueError(`Model "${model.name}" has not been built yet (no weights to save): give the first layer an inputShape or call the model on data first`);
  const vars = model.weights;
  const names = vars.map(savedWeightName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new ValueError(`Two weights of model "${model.name}" share the name ${dup}; weight names must be unique to be saved`);
  const { specs, data } = await encodeWeights(vars.map((v, i) => ({ name: names[i]!, tensor: v })));
  const base = { modelTopology, format: "layers-model", generatedBy: `Tessera v${TESSERA_VERSION}`, convertedBy: null };
  if (!includeOptimizer) return { ...base, weightSpecs: specs, weightData: data };
  const trainingConfig = trainingConfigOf(model);
  const state = model.optimizer!.namedWeights();
  try {
    const opt = await encodeWeights(state);
    const joined = new Uint8Array(data.byteLength + opt.data.byteLength);
    joined.set(new Uint8Array(data), 0);
    joined.set(new Uint8Array(opt.data), data.byteLength);
    return { ...base, trainingConfig, weightSpecs: [...specs, ...opt.specs.map((sp) => ({ ...sp, group: "optimizer" }))], weightData: joined.buffer };
  } finally {
    for (const w of state) w.tensor.dispose();
  }
}

/**
 * A model from artifacts: builds it from the topology, then sets every weight by name. Any problem
 * (unknown layer, missing/extra/mis-shaped weight, bad data) throws before a model is returned, and
 * the half-made model is freed.
 */
export function modelFromArtifacts<O extends SymbolicOutputs = KerasTensor>(artifacts: ModelArtifacts, options: LoadOptions = {}): Model<O> {
  if (!artifacts || typeof artifacts !== "object" || !artifacts.modelTopology) throw new ValueError("The model artifacts have no modelTopology");
  const maxBytes = maxWeightBytesOption(options.maxWeightBytes, "modelFromArtifacts");
  const all = decodeWeights(artifacts.weightData ?? new ArrayBuffer(0), artifacts.weightSpecs ?? [], maxBytes);
  const decoded = all.filter((w) => w.group !== "optimizer");
  const optimizerState = all.filter((w) => w.group === "optimizer");
  const elements = decoded.reduce((n, w) => n + sizeFromShape(w.shape), 0);
  const model = withWeightBudget(elements, `the weight files declare only ${elements} weight elements in all: the config does not match its weights`, () => modelFromTopology<O>(artifacts.modelTopology, options));
  try {
    if (!model.built) throw new ValueError(`The saved model "${model.name}" declares no input shape, so its weights cannot be created before data is seen`);
    const vars = model.weights;
    const byName = new Map(vars.map((v) => [savedWeightName(v), v]));
    const values = new Map<Variable, DecodedWeight>();
    for (const w of decoded) {
      let v = byName.get(w.name);
      const parts = w.name.split("/");
      // TF 2.2 put an RNN cell name inside weight names: layer/cell/weight → layer/weight.
      if (!v) v = byName.get([...parts.slice(0, -2), parts[parts.length - 1]].join("/"));
      // Weights created inside an enclosing model's scope carry its name first: model/dense/kernel.
      for (let i = 1; !v && i < parts.length - 1; i++) v = byName.get(parts.slice(i).join("/"));
      if (!v) throw new ValueError(`The weight "${w.name}" in the weight files matches no weight of the model (its weights: ${[...byName.keys()].join(", ")})`);
      if (w.shape.length !== v.shape.length || w.shape.some((d, i) => d !== v!.shape[i])) {
        throw new ValueError(`Weight "${w.name}" has shape ${formatShapeTuple(w.shape)} in the weight files, but the model expects ${formatShapeTuple(v.shape)}`);
      }
      if (values.has(v)) throw new ValueError(`The weight files hold two values for weight "${savedWeightName(v)}" ("${values.get(v)!.name}" and "${w.name}")`);
      values.set(v, w);
    }
    const missing = vars.filter((v) => !values.has(v)).map(savedWeightName);
    if (missing.length) throw new ValueError(`The weight files lack ${missing.length} weight(s) of the model: ${missing.join(", ")}`);
    for (const [v, w] of values) {
      let t = ENGINE.upload(w.values, w.shape, w.dtype === "bool" ? "bool" : w.dtype);
      try {
        if (t.dtype !== v.dtype) {
          const c = cast(t, v.dtype);
          t.dispose();
          t = c;
        }
        v.assign(t);
      } finally {
        t.dispose();
      }
    }
    if (artifacts.trainingConfig !== undefined && artifacts.trainingConfig !== null && options.compile !== false) restoreTraining(model, artifacts.trainingConfig, optimizerState);
    return model;
  } catch (err) {
    model.dispose();
    throw err;
  }
}
