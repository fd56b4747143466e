/** `tf.sequenceMask`, written from range and a comparison. */
import type { DType } from "../dtypes.js";
import { optionKeys } from "../options.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { cast } from "./cast.js";
import { less } from "./compare.js";
import { checkInt, composite } from "./composite-utils.js";
import { range } from "./creation.js";
import { checkDtype } from "./op-utils.js";
import { expandDims } from "./reshape.js";
import { defineOp } from "./table/define.js";

/** Options of `tf.sequenceMask`. */
export interface SequenceMaskOptions {
  /**
   * Length of the mask's last axis. Default: the largest length, which reads `lengths` synchronously
   * (so in a browser on webgpu, where that is not possible, pass `maxlen`).
   */
  maxlen?: number;
  /** Output dtype (default bool). */
  dtype?: DType;
}
const SEQUENCE_MASK_KEYS = optionKeys<SequenceMaskOptions>()("maxlen", "dtype");

/**
 * `mask[..., j] = j < lengths[...]` (TensorFlow's `tf.sequence_mask`): `lengths` (int32) of shape S
 * gives a mask of shape `[...S, maxlen]`. `tf.sequenceMask([1, 3], { maxlen: 4 })` →
 * `[[true, false, false, false], [true, true, true, false]]`.
 */
export const sequenceMask = defineOp("sequenceMask", function sequenceMask(lengths: TensorLike, options: SequenceMaskOptions = {}): Tensor {
  return composite([lengths], "SequenceMask", ([l]) => {
    checkDtype("SequenceMask", l!.dtype, ["int32"]);
    let maxlen = options.maxlen;
    if (maxlen === undefined) {
      const v = l!.dataSync() as Int32Array;
      maxlen = 0;
      for (const x of v) if (x > maxlen) maxlen = x;
    }
    checkInt("SequenceMask", "maxlen", maxlen, 0);
    const mask = less(range(0, maxlen, 1, "int32"), expandDims(l!, -1));
    return options.dtype === undefined || options.dtype === "bool" ? mask : cast(mask, options.dtype);
  });
}, { args: 2, options: SEQUENCE_MASK_KEYS });
