/**
 * `tf.data`: input pipelines. `tf.data.Dataset.fromTensorSlices([x, y]).shuffle(1000).batch(32)`
 * feeds `model.fit` directly.
 */
export { AUTOTUNE, Dataset, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY } from "./dataset.js";
export type { BatchOptions, ElementFn, EnumerateOptions, MapOptions, PaddedBatchOptions, RangeOptions, RebatchOptions, ShuffleOptions } from "./dataset.js";
export type { Element, ElementLike } from "./structure.js";
import { AUTOTUNE as AUTOTUNE_VALUE } from "./dataset.js";

/** `tf.data.experimental`: `AUTOTUNE` (also at `tf.data.AUTOTUNE`). */
export const experimental = { AUTOTUNE: AUTOTUNE_VALUE } as const;
