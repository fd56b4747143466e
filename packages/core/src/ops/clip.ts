/** Clipping: `tf.clipByValue`, `tf.clipByNorm`, `tf.clipByGlobalNorm`, written from primitives. */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { tidy } from "../engine/tidy.js";
import { optionKeys } from "../options.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { add, divide, maximum, minimum, multiply } from "./binary.js";
import { greater, where } from "./compare.js";
import { composite } from "./composite-utils.js";
import { FLOAT, NUMERIC_REAL, checkDtype } from "./op-utils.js";
import { reduceSum, reductionAxes } from "./reduce.js";
import { sqrt, square } from "./unary.js";
import { defineOp } from "./table/define.js";

/**
 * Clips `t` to `[clipValueMin, clipValueMax]` elementwise (TensorFlow's `tf.clip_by_value`); the
 * bounds broadcast against `t`. The gradient passes where `t` is inside the bounds.
 * int32, float32, float64.
 */
export const clipByValue = defineOp("clipByValue", function clipByValue(t: TensorLike, clipValueMin: TensorLike, clipValueMax: TensorLike): Tensor {
  return composite([t, clipValueMin, clipValueMax], "ClipByValue", ([x, lo, hi]) => {
    checkDtype("ClipByValue", x!.dtype, NUMERIC_REAL);
    return minimum(maximum(x!, lo!), hi!);
  });
});

/** Options of `tf.clipByNorm`. */
export interface ClipByNormOptions {
  /** Axes to compute the L2 norm over (default: all). */
  axes?: number | readonly number[];
}
const CLIP_NORM_KEYS = optionKeys<ClipByNormOptions>()("axes");

/**
 * Rescales `t` so that its L2 norm over `axes` is at most `clipNorm` (TensorFlow's
 * `tf.clip_by_norm`): `t · clipNorm / max(‖t‖, clipNorm)`. float32, float64.
 */
export const clipByNorm = defineOp("clipByNorm", function clipByNorm(t: TensorLike, clipNorm: TensorLike, options: ClipByNormOptions = {}): Tensor {
  return composite([t, clipNorm], "ClipByNorm", ([x, c]) => {
    checkDtype("ClipByNorm", x!.dtype, FLOAT);
    if (c!.rank !== 0) throw new InvalidArgumentError(opMessage("ClipByNorm", `clipNorm must be a scalar, got shape [${c!.shape.join(",")}]`));
    const axis = reductionAxes(options.axes, x!.rank, "ClipByNorm");
    const ss = reduceSum(square(x!), { axis, keepdims: true });
    // sqrt only where the sum is positive, so a zero tensor has a zero (not NaN) gradient.
    const pos = greater(ss, 0);
    const norm = where(pos, sqrt(where(pos, ss, 1)), 0);
    return divide(multiply(x!, c!), maximum(norm, c!));
  });
}, { args: 3, options: CLIP_NORM_KEYS });

/** Options of `tf.clipByGlobalNorm`. */
export interface ClipByGlobalNormOptions {
  /** The global norm, if already computed (default: computed from `tList`). */
  useNorm?: TensorLike;
}
const CLIP_GLOBAL_KEYS = optionKeys<ClipByGlobalNormOptions>()("useNorm");

/**
 * Rescales every tensor of `tList` by `clipNorm / max(globalNorm, clipNorm)`, where `globalNorm` is the
 * L2 norm of all of them together (TensorFlow's `tf.clip_by_global_norm`). Returns
 * `[clipped, globalNorm]` as TensorFlow's tuple; `null` entries stay `null`. float32, float64.
 */
export const clipByGlobalNorm = defineOp("clipByGlobalNorm", function clipByGlobalNorm(
  tList: readonly (TensorLike | null)[],
  clipNorm: number,
  options: ClipByGlobalNormOptions = {},
): [(Tensor | null)[], Tensor] {
  if (!Array.isArray(tList)) throw new InvalidArgumentError(opMessage("ClipByGlobalNorm", "tList must be an array of tensors"));
  const ts = tList.map((x) => (x === null ? null : toTensor(x, "ClipByGlobalNorm")));
  try {
    const present = ts.filter((x): x is Tensor => x !== null);
    if (present.length === 0) throw new InvalidArgumentError(opMessage("ClipByGlobalNorm", "tList holds no tensor"));
    const dtype = present[0]!.dtype;
    for (const x of present) {
      checkDtype("ClipByGlobalNorm", x.dtype, FLOAT);
      if (x.dtype !== dtype) throw new InvalidArgumentError(opMessage("ClipByGlobalNorm", `every tensor must have the same dtype, got ${dtype} and ${x.dtype}`));
    }
    return tidy(() => {
      const norm = options.useNorm !== undefined
        ? toTensor(options.useNorm, "ClipByGlobalNorm", dtype)
        : sqrt(present.map((x) => reduceSum(square(x))).reduce((a, b) => add(a, b)));
      const scale = divide(clipNorm, maximum(norm, clipNorm));
      return [ts.map((x) => (x === null ? null : multiply(x, scale))), norm === options.useNorm ? add(norm, 0) : norm];
    }) as [(Tensor | null)[], Tensor];
  } finally {
    ts.forEach((x, i) => { if (x !== null && x !== tList[i]) x.dispose(); });
  }
}, { args: 3, method: false, options: CLIP_GLOBAL_KEYS });
