/** The layer classes of this folder that configs can name, made by their `fromConfig`. */
import type { Layer } from "../layer.js";

/** Config factories by Keras class name (added to by each layer family). */
export const LAYER_CLASSES_EXTRA: Record<string, (config: Record<string, unknown>) => Layer> = {};
