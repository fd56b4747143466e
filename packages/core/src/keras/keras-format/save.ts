/**
 * Writing a `.keras` archive as Keras 3's `saving_lib.save_model` lays it out (Keras 3.8's
 * `keras/src/saving/saving_lib.py`): a zip, stored uncompressed, holding in this order
 *
 * - `metadata.json`: `{ keras_version, date_saved }`;
 * - `config.json`: the model as `serialize_keras_object` writes it (config.ts);
 * - `model.weights.h5`: an empty root group `vars` (the model's own variables), then for each layer
 *   `layers/<snake_case class name>[_n]/vars/<i>` (`H5IOStore`), every layer getting its `vars`
 *   group even when it has no variables, as `_save_state` makes it.
 *
 * No `compile_config` is written, so Keras loads the model uncompiled (as for a model never compiled).
 */
import type { Model, SymbolicOutputs } from "../model.js";
import { TESSERA_VERSION } from "../serialization.js";
import { writeArchive } from "./archive.js";
import { keras3ModelConfig } from "./config.js";
import { writeH5 } from "./hdf5.js";
import { kerasContainerNames, kerasWeightLayout } from "./weight-layout.js";

/** The Keras version whose layout is written, recorded as `keras_version` in metadata.json. */
export const KERAS_LAYOUT_VERSION = "3.8.0";

/** Python's `datetime.now().strftime("%Y-%m-%d@%H:%M:%S")`, as Keras records `date_saved`. */
function dateSaved(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The bytes of a `.keras` archive of `model` (architecture and weights). */
export async function kerasArchive(model: Model<SymbolicOutputs>): Promise<Uint8Array> {
  const config = keras3ModelConfig(model);
  const layers = model.layers;
  const paths = kerasContainerNames(layers.map((l) => l.getClassName()));
  const groups: { path: string; values: { data: Float32Array | Float64Array; shape: number[] }[] }[] = [];
  for (const [i, layer] of layers.entries()) {
    for (const g of kerasWeightLayout(layer).keras3(layer)) {
      const values = [];
      for (const v of g.variables) {
        const data = await v.data();
        values.push({ data: data instanceof Float64Array ? data.slice() : Float32Array.from(data as ArrayLike<number>), shape: v.shape.slice() });
      }
      groups.push({ path: `/layers/${paths[i]}${g.path ? `/${g.path}` : ""}/vars`, values });
    }
  }
  const weights = await writeH5((w) => {
    w.group("/vars");
    for (const g of groups) {
      w.group(g.path);
      g.values.forEach((v, j) => w.dataset(g.path, String(j), v.data, v.shape));
    }
  });
  const utf8 = new TextEncoder();
  const metadata = { keras_version: KERAS_LAYOUT_VERSION, date_saved: dateSaved(new Date()), generated_by: `Tessera ${TESSERA_VERSION}` };
  return writeArchive([
    ["metadata.json", utf8.encode(JSON.stringify(metadata))],
    ["config.json", utf8.encode(JSON.stringify(config))],
    ["model.weights.h5", weights],
  ]);
}
