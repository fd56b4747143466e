/**
 * Where Keras keeps each layer's weights, per layer class. Which layers exist comes from the layer
 * registry that builds layers from configs (serialization.ts, shared with the TensorFlow.js format);
 * this table only says how a layer's variables line up with Keras's files, and most layers need no
 * entry:
 *
 * - Keras 3 (`model.weights.h5` in a `.keras`): `Layer.save_own_variables` writes the layer's own
 *   variables as `<layer path>/vars/0, 1, …`, trainable ones first, then non-trainable ones, in
 *   creation order; variables of a layer held inside another layer (an RNN's cell, a wrapper's
 *   inner layer) go under that attribute's path (`layers/lstm/cell/vars/0`).
 * - Keras 2 (`.h5`): `model_weights/<layer>` lists `weight_names` in the order of
 *   `layer.trainable_weights + layer.non_trainable_weights`, and loading goes by that order.
 *
 * Tessera's `layer.weights` is in that same order (trainable, then non-trainable, creation order),
 * so the default serves every layer without sub-layers. A layer whose variables are created in a
 * different order than Keras's, or that holds sub-layers, registers its layout here.
 */
import { NotImplementedError } from "../../errors.js";
import type { Variable } from "../../tensor/variable.js";
import type { Layer } from "../layer.js";

/** Some of a layer's variables and where Keras 3 stores them, relative to the layer's own path. */
export interface KerasVariableGroup {
  /** `""` for the layer's own `vars`; an attribute path such as `"cell"` for a held sub-layer's. */
  path: string;
  /** In `vars/0, 1, …` order. */
  variables: Variable[];
}

/** How one layer class lines up with Keras's weight files. */
export interface KerasWeightLayout {
  /** Keras 3: the groups of variables under the layer's path. */
  keras3(layer: Layer): KerasVariableGroup[];
  /** Keras 2 `.h5`: the variables in the order of the layer's `weight_names`. */
  legacyH5(layer: Layer): Variable[];
}

/** A layer without sub-layers: its weights in Tessera's (= Keras's) order. */
const LEAF: KerasWeightLayout = {
  keras3: (layer) => [{ path: "", variables: layer.weights }],
  legacyH5: (layer) => layer.weights,
};

const LAYOUTS = new Map<string, KerasWeightLayout>();

/** Declares how a layer class's variables are laid out in Keras's files (for layers the default does not fit). */
export function registerKerasWeightLayout(className: string, layout: KerasWeightLayout): void {
  LAYOUTS.set(className, layout);
}

/** The layout of `layer`'s class: registered, or the default for a layer without sub-layers. */
export function kerasWeightLayout(layer: Layer): KerasWeightLayout {
  const registered = LAYOUTS.get(layer.getClassName());
  if (registered) return registered;
  if (layer.subLayers.length > 0) {
    throw new NotImplementedError(
      `Layer "${layer.name}" (${layer.getClassName()}) holds other layers, and no Keras weight layout is registered for ${layer.getClassName()}: its weights cannot be matched with a Keras file`,
    );
  }
  return LEAF;
}

/**
 * Keras 3's name for an object in a list of layers (`saving_lib._save_container_state`): the
 * snake_case class name, then `_1`, `_2`, … for repeats of the same class — not the layer's name,
 * which Keras does not consider reproducible.
 */
export function kerasContainerNames(classNames: readonly string[]): string[] {
  const used = new Map<string, number>();
  return classNames.map((cls) => {
    const base = kerasSnakeCase(cls);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    return n === undefined ? base : `${base}_${n + 1}`;
  });
}

/** Keras 3's `naming.to_snake_case`: `MaxPooling2D` → `max_pooling2d`, `Conv2DTranspose` → `conv2d_transpose`. */
export function kerasSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, "")
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}
