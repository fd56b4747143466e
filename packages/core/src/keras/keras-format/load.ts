/**
 * Reading Keras's own files:
 *
 * - `.keras` (Keras 3, `keras/src/saving/saving_lib.py`): a zip with `config.json` (the model,
 *   `serialize_keras_object`), `metadata.json` and `model.weights.h5`, where `H5IOStore` keeps each
 *   layer's variables at `layers/<snake_case class name>[_n]/vars/<i>` (Keras 2.13–2.15 wrote
 *   `_layer_checkpoint_dependencies/` instead of `layers/`).
 * - `.h5` (Keras 2, `legacy_h5_format.py` / tf-keras `hdf5_format.py`): the model config as the root
 *   attribute `model_config`, weights under `model_weights/<layer name>/` listed by the `weight_names`
 *   attribute and matched to the model's layers in order, as Keras's `load_weights_from_hdf5_group`.
 *
 * The model is built from its config by the same deserializer as the TensorFlow.js format; every
 * weight is read only after its shape was checked against the built model, and all are checked
 * before any is assigned. Any failure frees the half-built model and throws.
 */
import { NotImplementedError, ValueError } from "../../errors.js";
import type { Variable } from "../../tensor/variable.js";
import type { Layer } from "../layer.js";
import type { Model } from "../model.js";
import { modelFromTopology } from "../serialization.js";
import { checkConfigTree } from "../config-check.js";
import { withWeightBudget } from "../weight-budget.js";
import { DEFAULT_MAX_WEIGHT_BYTES } from "../weight-specs.js";
import { isZip, readArchive } from "./archive.js";
import { topologyFromKerasConfig } from "./config.js";
import type { DatasetValues, H5Reader } from "./hdf5.js";
import { readH5 } from "./hdf5.js";
import { kerasContainerNames, kerasWeightLayout } from "./weight-layout.js";

/** Largest `config.json` accepted (real ones are kilobytes; the biggest models' are a few MB). */
export const MAX_CONFIG_BYTES = 64 * 1024 * 1024;
/** Largest `metadata.json` accepted. */
export const MAX_METADATA_BYTES = 1024 * 1024;
/** Largest `model.weights.h5` accepted (it is copied into memory whole). */
export const MAX_WEIGHTS_BYTES = 2 * 1024 * 1024 * 1024 - 1;

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when `bytes` start with HDF5's signature (Keras writes no user block). */
export function isHDF5(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && HDF5_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** A Keras model from the bytes of a `.keras` archive or a Keras 2 `.h5` file; `where` names it in errors. */
export async function loadKerasBytes(bytes: Uint8Array, where: string, maxBytes: number = DEFAULT_MAX_WEIGHT_BYTES): Promise<Model> {
  if (isZip(bytes)) return loadKerasArchive(bytes, where, maxBytes);
  if (isHDF5(bytes)) return loadLegacyH5(bytes, where, maxBytes);
  throw new ValueError(`${where} is neither a Keras .keras archive (zip) nor a Keras .h5 file (HDF5)`);
}

function parseJSON(bytes: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (err) {
    throw new ValueError(`${where} is not valid JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

/** One variable and the values read for it. */
interface Loaded {
  variable: Variable;
  data: DatasetValues;
}

/** Builds the model from `config`, runs `read` to collect every weight, then assigns them all. */
function buildAndFill(config: unknown, where: string, read: (model: Model) => Loaded[], maxBytes: number): Model {
  // Weights are created (and initialised) before the file's are read: bound them by maxWeightBytes.
  // The raw config is checked before it is converted (the conversion copies and recurses).
  checkConfigTree(config, `${where}: the model config`);
  const elements = Math.floor(maxBytes / 4);
  const model = withWeightBudget(elements, `maxWeightBytes (${maxBytes} bytes) allows at most ${elements} float32 elements of weights in all; raise it to load this model`, () => modelFromTopology(topologyFromKerasConfig(config, where)), false);
  try {
    if (!model.built) throw new ValueError(`${where}: the model declares no input shape, so its weights cannot be created before data is seen`);
    const loaded = read(model);
    const byVar = new Map(loaded.map((l) => [l.variable, l.data]));
    const missing = model.weights.filter((v) => !byVar.has(v));
    if (missing.length) throw new ValueError(`${where} lacks ${missing.length} weight(s) of the model: ${missing.map((v) => v.name).join(", ")}`);
    model.setWeights(
      model.weights.map((v) => {
        const { values } = byVar.get(v)!;
        const data = v.dtype === "float64" ? Float64Array.from(values) : values instanceof Float32Array ? values : Float32Array.from(values);
        return { data, shape: v.shape.slice() };
      }),
    );
    return model;
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** The layers whose weights Keras keeps, in the order it names them. */
function kerasLayers(model: Model): Layer[] {
  // Sequential.layers omits the InputLayer, as Keras's does; a functional model's will include it.
  return model.layers;
}

async function loadKerasArchive(bytes: Uint8Array, where: string, maxBytes: number): Promise<Model> {
  const { files: entries, names } = readArchive(bytes, where, [
    { name: "config.json", maxBytes: MAX_CONFIG_BYTES, required: true },
    { name: "metadata.json", maxBytes: MAX_METADATA_BYTES, required: false },
    { name: "model.weights.h5", maxBytes: MAX_WEIGHTS_BYTES, required: false },
  ]);
  const weights = entries.get("model.weights.h5");
  if (!weights) {
    if (names.includes("model.weights.npz")) throw new NotImplementedError(`${where} keeps its weights as model.weights.npz; Tessera reads the default model.weights.h5`);
    throw new ValueError(`${where} has no model.weights.h5: it is not a complete Keras .keras archive`);
  }
  if (entries.has("metadata.json")) parseJSON(entries.get("metadata.json")!, `${where} (metadata.json)`);
  const config = parseJSON(entries.get("config.json")!, `${where} (config.json)`);
  const h5where = `${where} (model.weights.h5)`;
  return readH5(weights, h5where, (r) =>
    buildAndFill(config, where, (model) => {
      const root = r.group("/layers") ? "/layers" : r.group("/_layer_checkpoint_dependencies") ? "/_layer_checkpoint_dependencies" : "/layers";
      const layers = kerasLayers(model);
      const paths = kerasContainerNames(layers.map((l) => l.getClassName()));
      const out: Loaded[] = [];
      layers.forEach((layer, i) => {
        for (const group of kerasWeightLayout(layer).keras3(layer)) {
          const vars = `${root}/${paths[i]}${group.path ? `/${group.path}` : ""}/vars`;
          const keys = r.keys(vars);
          if (keys.length !== group.variables.length) {
            throw new ValueError(
              `${h5where}: Layer '${layer.name}' expected ${group.variables.length} variables, but received ${keys.length} variables during loading (at ${vars}). Expected: [${group.variables.map((v) => v.name).join(", ")}]`,
            );
          }
          group.variables.forEach((v, j) => out.push({ variable: v, data: r.readFloatDataset(`${vars}/${j}`, v.shape, `variable ${j} of layer "${layer.name}"`) }));
        }
      });
      return out;
    }, maxBytes),
  );
}

/** The version and backend a Keras 2 file was written with, refusing what Tessera cannot read right. */
function checkLegacyOrigin(r: H5Reader, where: string): void {
  const version = r.attrString("/model_weights", "keras_version") ?? r.attrString("/", "keras_version");
  if (version === undefined || version.startsWith("1")) {
    throw new NotImplementedError(`${where} was written by Keras 1 (keras_version ${version ?? "absent"}), whose weight layouts Tessera does not convert; re-save it with Keras 2 or 3`);
  }
  const backend = r.attrString("/model_weights", "backend") ?? r.attrString("/", "backend");
  if (backend === "theano" || backend === "cntk") {
    throw new NotImplementedError(`${where} was written with the ${backend} backend, whose convolution kernels Tessera does not convert`);
  }
}

async function loadLegacyH5(bytes: Uint8Array, where: string, maxBytes: number): Promise<Model> {
  return readH5(bytes, where, (r) => {
    const text = r.attrString("/", "model_config");
    if (text === undefined) {
      throw new ValueError(`No model config found in the file at ${where} (a weights-only .h5 from save_weights cannot be loaded as a model)`);
    }
    checkLegacyOrigin(r, where);
    const config = parseJSON(new TextEncoder().encode(text), `${where} (model_config)`);
    return buildAndFill(config, where, (model) => {
      if (!r.group("/model_weights")) throw new ValueError(`${where} has no model_weights group`);
      const saved = r.attrStrings("/model_weights", "layer_names").filter((name) => r.attrStrings(`/model_weights/${name}`, "weight_names").length > 0);
      const layers = kerasLayers(model).filter((l) => kerasWeightLayout(l).legacyH5(l).length > 0);
      if (saved.length !== layers.length) {
        throw new ValueError(`${where}: Layer count mismatch when loading weights from file. Model expected ${layers.length} layers, found ${saved.length} saved layers.`);
      }
      if (r.attrStrings("/model_weights/top_level_model_weights", "weight_names").length > 0) {
        throw new NotImplementedError(`${where} holds model-level weights (top_level_model_weights), which a Sequential model does not have`);
      }
      const out: Loaded[] = [];
      saved.forEach((name, k) => {
        const layer = layers[k]!;
        const vars = kerasWeightLayout(layer).legacyH5(layer);
        const names = r.attrStrings(`/model_weights/${name}`, "weight_names");
        if (names.length !== vars.length) {
          throw new ValueError(
            `${where}: Weight count mismatch for layer #${k} (named ${layer.name} in the current model, ${name} in the save file). Layer expects ${vars.length} weight(s). Received ${names.length} saved weight(s)`,
          );
        }
        vars.forEach((v, j) => out.push({ variable: v, data: r.readFloatDataset(`/model_weights/${name}/${names[j]}`, v.shape, `weight ${names[j]} of layer #${k} (${layer.name})`) }));
      });
      return out;
    }, maxBytes);
  });
}
