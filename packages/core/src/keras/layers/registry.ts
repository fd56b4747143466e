/** The layer classes of this folder that configs can name, made by their `fromConfig`, by Keras class name. */
import type { Layer } from "../layer.js";
import { ACTIVATION_LAYERS } from "./activation-layers.js";
import { CORE_LAYERS } from "./core.js";
import { MERGING_LAYERS } from "./merging.js";
import { NOISE_LAYERS } from "./noise.js";
import { POOLING_LAYERS } from "./pooling.js";
import { RESHAPING_LAYERS } from "./reshaping.js";

/** Config factories by Keras class name (aliases such as `MaxPool1D` included). */
export const LAYER_CLASSES_EXTRA: Record<string, (config: Record<string, unknown>) => Layer> = {
  ...CORE_LAYERS,
  ...RESHAPING_LAYERS,
  ...POOLING_LAYERS,
  ...ACTIVATION_LAYERS,
  ...NOISE_LAYERS,
  ...MERGING_LAYERS,
};
