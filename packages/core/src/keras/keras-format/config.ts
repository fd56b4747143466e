/**
 * Keras model configs ↔ the model topology Tessera's shared deserializer reads (serialization.ts,
 * the same code that reads TensorFlow.js's model.json). Keras 2 configs (in `.h5` files) already
 * have that shape; Keras 3 configs (`config.json` in a `.keras`) differ in three ways, undone here:
 *
 * 1. every object is `{ module, class_name, config, registered_name, build_config?, ... }`;
 * 2. a Sequential without an InputLayer keeps its input shape in `build_input_shape` or the first
 *    layer's `build_config` rather than in `batch_input_shape`;
 * 3. functional models write `inbound_nodes` as call records
 *    (`[{ args: [{ class_name: "__keras_tensor__", config: { keras_history: [layer, node, tensor] } }], kwargs }]`)
 *    instead of Keras 2's `[[[layer, node, tensor, kwargs], ...]]`, and a single input/output as a
 *    flat `[layer, node, tensor]`.
 *
 * Saving goes the other way: Tessera's config, rewritten as Keras 3's `serialize_keras_object` writes it.
 */
import { ValueError } from "../../errors.js";
import type { Shape } from "../layer.js";
import type { Model, SymbolicOutputs } from "../model.js";
import { modelToTopology } from "../serialization.js";
import { Sequential } from "../sequential.js";

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A Keras 3 serialized object (`module`/`registered_name` beside `class_name`/`config`). */
function isKeras3Object(x: Json): boolean {
  return typeof x["class_name"] === "string" && "config" in x && ("module" in x || "registered_name" in x);
}

const KERAS_TENSOR = "__keras_tensor__";

/** Keras 2's `[layer, node, tensor]` of a Keras 3 KerasTensor record, or null for anything else. */
function kerasHistory(x: unknown): [string, number, number] | null {
  if (!isObject(x) || x["class_name"] !== KERAS_TENSOR || !isObject(x["config"])) return null;
  const h = x["config"]["keras_history"];
  if (!Array.isArray(h) || h.length !== 3 || typeof h[0] !== "string" || typeof h[1] !== "number" || typeof h[2] !== "number") {
    throw new ValueError(`A Keras tensor in the model config has an invalid keras_history: ${JSON.stringify(h)}`);
  }
  return [h[0], h[1], h[2]];
}

/** Every KerasTensor in a call's arguments, in order (Keras flattens nested structures the same way). */
function tensorsIn(x: unknown, out: [string, number, number][]): void {
  const h = kerasHistory(x);
  if (h) out.push(h);
  else if (Array.isArray(x)) for (const v of x) tensorsIn(v, out);
  else if (isObject(x)) for (const v of Object.values(x)) tensorsIn(v, out);
}

/** Keras 3 `inbound_nodes` → Keras 2's; Keras 2 nodes (lists) pass through. */
function inboundNodes(nodes: unknown, layer: string): unknown {
  if (!Array.isArray(nodes)) return nodes;
  return nodes.map((node) => {
    if (Array.isArray(node)) return node;
    if (!isObject(node)) throw new ValueError(`Layer "${layer}": an inbound node in the model config is neither a Keras 2 list nor a Keras 3 call record`);
    const tensors: [string, number, number][] = [];
    tensorsIn(node["args"], tensors);
    const kwargs = isObject(node["kwargs"]) ? node["kwargs"] : {};
    const plainKwargs: Json = {};
    for (const [k, v] of Object.entries(kwargs)) {
      const inKw: [string, number, number][] = [];
      tensorsIn(v, inKw);
      if (inKw.length) tensors.push(...inKw);
      else plainKwargs[k] = v;
    }
    return tensors.map(([l, n, t], i) => [l, n, t, i === 0 ? plainKwargs : {}]);
  });
}

/** `["input", 0, 0]` → `[["input", 0, 0]]` (Keras 3 writes one input or output flat). */
function tensorList(x: unknown): unknown {
  return Array.isArray(x) && typeof x[0] === "string" ? [x] : x;
}

/** Drops Keras 3's wrapper keys and unwraps function objects, recursively. */
function strip(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(strip);
  if (!isObject(x)) return x;
  if (isKeras3Object(x)) {
    // A function (an activation) serializes as { class_name: "function", config: "relu" }.
    if (x["class_name"] === "function" && typeof x["config"] === "string") return x["config"];
    if (x["class_name"] === KERAS_TENSOR) return x;
    return { class_name: x["class_name"], config: strip(x["config"]) };
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(x)) out[k] = strip(v);
  return out;
}

/** The input shape a Keras 3 layer entry was built with (`build_config.input_shape`), if any. */
function builtShape(entry: unknown): Shape | undefined {
  const bc = isObject(entry) ? entry["build_config"] : undefined;
  const s = isObject(bc) ? bc["input_shape"] : undefined;
  return Array.isArray(s) && s.every((d) => d === null || typeof d === "number") ? (s as Shape) : undefined;
}

/**
 * A Keras 2 or Keras 3 model config as the topology the shared deserializer reads
 * (`{ class_name, config }`, Keras 2 conventions). `where` names the file in errors.
 */
export function topologyFromKerasConfig(raw: unknown, where: string): Json {
  if (!isObject(raw) || typeof raw["class_name"] !== "string") {
    throw new ValueError(`${where}: the model config is not a Keras model config ({ class_name, config })`);
  }
  const cls = raw["class_name"];
  const config = raw["config"];
  if (cls === "Sequential" && isObject(config) && Array.isArray(config["layers"])) {
    const entries = config["layers"] as unknown[];
    const layers = entries.map((e) => strip(e)) as Json[];
    const first = layers[0];
    if (first && first["class_name"] !== "InputLayer" && isObject(first["config"]) && first["config"]["batch_input_shape"] === undefined) {
      const shape = (Array.isArray(config["build_input_shape"]) ? (config["build_input_shape"] as Shape) : undefined) ?? builtShape(entries[0]) ?? builtShape(raw);
      if (shape) first["config"]["batch_input_shape"] = shape;
    }
    return { class_name: cls, config: { ...(strip(config) as Json), layers } };
  }
  if ((cls === "Functional" || cls === "Model") && isObject(config) && Array.isArray(config["layers"])) {
    const layers = (config["layers"] as unknown[]).map((e) => {
      if (!isObject(e)) return e;
      const inner = isObject(e["config"]) ? e["config"] : {};
      const name = typeof e["name"] === "string" ? e["name"] : String(inner["name"]);
      return { class_name: e["class_name"], config: strip(inner), name, inbound_nodes: inboundNodes(e["inbound_nodes"], name) };
    });
    return {
      class_name: cls,
      config: { ...(strip(config) as Json), layers, input_layers: tensorList(config["input_layers"]), output_layers: tensorList(config["output_layers"]) },
    };
  }
  return strip(raw) as Json;
}

// ---------------------------------------------------------------- saving (Keras 3's layout)

const POLICY = (name: string): Json => ({ module: "keras", class_name: "DTypePolicy", config: { name }, registered_name: null });

/** The Keras 3 module of the object a config key holds. */
function moduleFor(key: string): string | null {
  if (key.endsWith("_initializer")) return "keras.initializers";
  if (key.endsWith("_regularizer")) return "keras.regularizers";
  if (key.endsWith("_constraint")) return "keras.constraints";
  return null;
}

/** A Tessera layer config (Keras 2 conventions) rewritten as Keras 3's `get_config` writes it. */
function keras3LayerConfig(config: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === "batch_input_shape") continue; // Keras 3 keeps the input shape in an InputLayer.
    if (k === "dtype" && typeof v === "string") out[k] = POLICY(v);
    else if (isObject(v) && typeof v["class_name"] === "string" && moduleFor(k)) out[k] = { module: moduleFor(k), class_name: v["class_name"], config: v["config"] ?? {}, registered_name: null };
    else out[k] = v;
  }
  return out;
}

/**
 * The `config.json` of a `.keras` archive for `model`, as Keras 3's `serialize_keras_object` writes a
 * Sequential: an InputLayer first (`batch_shape`), each layer as `{ module: "keras.layers", class_name,
 * config, registered_name, build_config }`, dtypes as DTypePolicy objects, `build_input_shape`.
 */
export function keras3ModelConfig(model: Model<SymbolicOutputs>): Json {
  if (!(model instanceof Sequential)) {
    modelToTopology(model); // throws the explanation for subclassed models
    throw new ValueError(`Model "${model.name}" cannot be saved as a .keras archive yet: only Sequential models are supported`);
  }
  const topology = modelToTopology(model);
  const config = topology["config"] as { name: string; layers: { class_name: string; config: Json }[] };
  const layers = model.layers;
  // Sequential.getConfig puts the input shape (declared or built from data) on the first layer.
  const declared = config.layers[0]?.config["batch_input_shape"];
  const input = Array.isArray(declared) ? (declared as Shape) : null;
  if (!input) throw new ValueError(`Model "${model.name}" has no known input shape; build it (give the first layer an inputShape, or call it on data) before saving`);
  const dtype = layers[0]?.dtype ?? "float32";
  const names = new Set(layers.map((l) => l.name));
  let inputName = "input_layer";
  for (let i = 1; names.has(inputName); i++) inputName = `input_layer_${i}`;
  const entries: Json[] = [
    { module: "keras.layers", class_name: "InputLayer", config: { batch_shape: input.slice(), dtype, sparse: false, name: inputName }, registered_name: null },
  ];
  let shape: Shape = input.slice();
  config.layers.forEach((entry, i) => {
    entries.push({ module: "keras.layers", class_name: entry.class_name, config: keras3LayerConfig(entry.config), registered_name: null, build_config: { input_shape: shape.slice() } });
    shape = layers[i]!.computeOutputShape(shape.slice()) as Shape; // a Sequential's layers have one output
  });
  return {
    module: "keras",
    class_name: "Sequential",
    config: { name: config.name, trainable: model.trainable, dtype: POLICY(dtype), layers: entries, build_input_shape: input.slice() },
    registered_name: null,
    build_config: { input_shape: input.slice() },
  };
}
