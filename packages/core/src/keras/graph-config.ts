/**
 * Functional model configs in the Keras 2 / TensorFlow.js layers format:
 * `{ name, layers: [{ class_name, config, name, inbound_nodes }], input_layers, output_layers }`.
 * Each inbound node lists the tensors a call was made on as `[layer name, node index, tensor index,
 * kwargs]`. Node indices count only the calls inside the model, and a nested model's first call is
 * number 1 (Keras and TensorFlow.js keep node 0 for the model's own inputs → outputs link).
 */
import { ValueError } from "../errors.js";
import { camelToSnake, snakeToCamel } from "./config.js";
import type { KerasTensor } from "./keras-tensor.js";
import { isKerasTensor } from "./keras-tensor.js";
import type { ApplyOptions, Layer, SymbolicInputs } from "./layer.js";
import { InputLayer } from "./layers/input-layer.js";
import type { SymbolicOutputs } from "./model.js";
import { Model, modelSaving } from "./model.js";
import type { Nested } from "./nest.js";
import { flatten, isDict } from "./nest.js";
import type { Node } from "./node.js";
import { Sequential } from "./sequential.js";
import { serializedClassName } from "./utils.js";

type Config = Record<string, unknown>;
type TensorRef = [string, number, number];

/** Keras's rule: a model with its own inputs starts its node list with the inputs → outputs link. */
function skipsFirstNode(layer: Layer): boolean {
  return layer instanceof Model && (layer._graph !== null || (layer instanceof Sequential && layer._hasInput));
}

/** The config of a functional model (what `model.getConfig()` returns). */
export function functionalConfig(model: Model<SymbolicOutputs>): Config {
  const g = model._graph;
  if (!g) throw new ValueError(`Model "${model.name}" is not a functional model`);
  const index = new Map<Node, number>();
  for (const layer of g.layers) {
    let kept = skipsFirstNode(layer) ? 1 : 0;
    for (const node of layer._inboundNodes) if (g.nodes.has(node)) index.set(node, kept++);
  }
  const ref = (t: KerasTensor): TensorRef => [t._kerasHistory.layer.name, index.get(t.node) ?? 0, t._kerasHistory.tensorIndex];
  const layers = g.layers.map((layer) => {
    const inbound = layer._inboundNodes
      .filter((node) => g.nodes.has(node) && !node.isInput)
      .map((node) => {
        const kwargs = serializeKwargs(node, ref);
        const entry = (t: KerasTensor) => [...ref(t), kwargs];
        if (isDict(node.callArgs)) return Object.fromEntries(Object.entries(node.callArgs).map(([k, t]) => [k, entry(t as KerasTensor)]));
        return node.inputTensors.map(entry);
      });
    return { class_name: serializedClassName(layer), config: layer.getConfig(), name: layer.name, inbound_nodes: inbound };
  });
  const io = (ts: Nested<KerasTensor>) => (isDict(ts) ? Object.fromEntries(Object.entries(ts).map(([k, t]) => [k, ref(t as KerasTensor)])) : flatten(ts, isKerasTensor).map(ref));
  return { name: model.name, layers, input_layers: io(g.inputs), output_layers: io(g.outputs) };
}

/** A call's keyword arguments in JSON: tensors as `[layer, node, tensor]`, names in snake_case. */
function serializeKwargs(node: Node, ref: (t: KerasTensor) => TensorRef): Config {
  const out: Config = {};
  for (const [k, v] of Object.entries(node.callKwargs)) {
    const value = isKerasTensor(v) ? ref(v) : Array.isArray(v) ? v.map((e) => (isKerasTensor(e) ? ref(e) : e)) : v;
    try {
      JSON.stringify(value);
    } catch {
      throw new ValueError(`Layer ${node.layer.name} was passed non-JSON-serializable arguments (${k}); the model cannot be saved`);
    }
    if (typeof value === "function" || (typeof value === "object" && value !== null && !Array.isArray(value) && !isDict(value))) {
      throw new ValueError(`Layer ${node.layer.name} was passed non-JSON-serializable arguments (${k}: ${String(value)}); the model cannot be saved`);
    }
    out[camelToSnake(k)] = value;
  }
  return out;
}

/** `[name, node, tensor]` or `[name, node, tensor, kwargs]`. */
function isRef(x: unknown): x is [string, number, number, Config?] {
  return Array.isArray(x) && (x.length === 3 || x.length === 4) && typeof x[0] === "string" && Number.isInteger(x[1]) && Number.isInteger(x[2]);
}

/**
 * A functional model from its config, layers made by `makeLayer`. Layer calls are replayed in the
 * config's order; a call whose inputs do not exist yet (a layer shared at several depths) waits for
 * a later pass, and a pass that makes no progress is an error (a cycle or a dangling reference).
 */
export function functionalFromConfig(config: unknown, makeLayer: (entry: unknown) => Layer): Model<SymbolicOutputs> {
  if (!isDict(config) || !Array.isArray(config["layers"])) throw new ValueError("A functional model config needs a `layers` list");
  const layerData = config["layers"] as unknown[];
  const created = new Map<string, Layer>();
  const made: Layer[] = [];
  try {
    for (const data of layerData) {
      if (!isDict(data)) throw new ValueError(`A layer entry of the functional config must be an object, got ${JSON.stringify(data)?.slice(0, 200)}`);
      const layer = makeLayer(data);
      made.push(layer);
      const name = typeof data["name"] === "string" ? data["name"] : layer.name;
      if (created.has(name)) throw new ValueError(`The functional config names two layers "${name}"; layer names must be unique`);
      created.set(name, layer);
    }
    // The outputs of each layer's replayed calls, by config node index.
    const calls = new Map<Layer, Nested<KerasTensor>[]>();
    const pending = new Map<Layer, unknown[]>();
    layerData.forEach((data, i) => {
      const nodes = (data as Config)["inbound_nodes"] ?? [];
      if (!Array.isArray(nodes)) throw new ValueError(`Layer "${made[i]!.name}": inbound_nodes must be a list`);
      calls.set(made[i]!, []);
      if (nodes.length) pending.set(made[i]!, nodes.slice());
    });
    const resolve = (r: unknown[]): KerasTensor | undefined => {
      const [name, nodeIndex, tensorIndex] = r as TensorRef;
      const layer = created.get(name);
      if (!layer) throw new ValueError(`The functional config refers to an unknown layer "${name}"`);
      let outputs: Nested<KerasTensor> | undefined;
      if (layer instanceof InputLayer) outputs = nodeIndex === 0 ? layer.output : undefined;
      else outputs = calls.get(layer)![nodeIndex - (skipsFirstNode(layer) ? 1 : 0)];
      if (outputs === undefined) return undefined;
      const t = flatten(outputs, isKerasTensor)[tensorIndex];
      if (!t) throw new ValueError(`The functional config refers to output ${tensorIndex} of layer "${name}" (call ${nodeIndex}), which has only ${flatten(outputs, isKerasTensor).length}`);
      return t;
    };
    const replay = (layer: Layer, nodeData: unknown): boolean => {
      const entries = isDict(nodeData) ? Object.values(nodeData) : nodeData;
      if (!Array.isArray(entries) || entries.length === 0 || !entries.every(isRef)) {
        throw new ValueError(`Layer "${layer.name}": an inbound node must be a list of [layer, node, tensor, kwargs], got ${JSON.stringify(nodeData)?.slice(0, 200)}`);
      }
      const tensors = entries.map(resolve);
      if (tensors.some((t) => t === undefined)) return false;
      const kwargs: Config = {};
      for (const [k, v] of Object.entries((entries[0] as unknown[])[3] ?? {})) {
        const value = isRef(v) && created.has(v[0]) ? resolve(v) : Array.isArray(v) && v.every((e) => isRef(e) && created.has(e[0])) && v.length > 0 ? v.map((e) => resolve(e as unknown[])) : v;
        if (value === undefined || (Array.isArray(value) && value.includes(undefined))) return false;
        kwargs[snakeToCamel(k)] = value;
      }
      const ts = tensors as KerasTensor[];
      const args: SymbolicInputs = isDict(nodeData) ? Object.fromEntries(Object.keys(nodeData).map((k, i) => [k, ts[i]!])) : ts.length === 1 ? ts[0]! : ts;
      calls.get(layer)!.push(layer.apply(args, kwargs as ApplyOptions) as Nested<KerasTensor>);
      return true;
    };
    while (pending.size > 0) {
      let progress = false;
      for (const layer of made) {
        const queue = pending.get(layer);
        if (!queue) continue;
        while (queue.length > 0 && replay(layer, queue[0])) {
          queue.shift();
          progress = true;
        }
        if (queue.length === 0) pending.delete(layer);
      }
      if (!progress) {
        throw new ValueError(
          `The functional config cannot be built: the calls of layer(s) ${[...pending.keys()].map((l) => `"${l.name}"`).join(", ")} wait on tensors that no call produces (a cycle in the graph, or a reference to a call that does not exist)`,
        );
      }
    }
    const io = (spec: unknown, what: string): Nested<KerasTensor> => {
      const get = (r: unknown): KerasTensor => {
        if (!isRef(r)) throw new ValueError(`${what} entries must be [layer, node, tensor], got ${JSON.stringify(r)}`);
        const t = resolve(r);
        if (!t) throw new ValueError(`${what} refers to call ${r[1]} of layer "${r[0]}", which the config does not make`);
        return t;
      };
      if (isDict(spec)) return Object.fromEntries(Object.entries(spec).map(([k, r]) => [k, get(r)]));
      // A single [layer, node, tensor] (Keras 3 writes one for one input) or a list of them.
      if (isRef(spec)) return get(spec);
      if (!Array.isArray(spec) || spec.length === 0) throw new ValueError(`The functional config's ${what} must be a non-empty list of [layer, node, tensor]`);
      const list = spec.map(get);
      return list.length === 1 ? list[0]! : list;
    };
    const inputs = io(config["input_layers"], "input_layers");
    const outputs = io(config["output_layers"], "output_layers");
    const name = typeof config["name"] === "string" ? config["name"] : undefined;
    const model = new Model({ inputs, outputs, ...(name ? { name } : {}) });
    if (config["trainable"] === false) model.trainable = false;
    return model as Model<SymbolicOutputs>;
  } catch (err) {
    for (const l of made) l.dispose();
    throw err;
  }
}

modelSaving.functionalConfig = functionalConfig;
