/**
 * Cumulative ops along an axis — `tf.math.cumsum`, `tf.math.cumprod`, `tf.math.cumulativeLogsumexp` —
 * written as a Hillis–Steele scan of slices and concats (⌈log₂ n⌉ elementwise steps), so every backend
 * runs them and their gradients come from the ops they are made of.
 */
import { InvalidArgumentError, opMessage } from "../errors.js";
import { optionKeys } from "../options.js";
import { normalizeAxis } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { add, multiply, maximum, subtract } from "./binary.js";
import { equal, where } from "./compare.js";
import { composite, reverseAxis, scan, sliceAxis } from "./composite-utils.js";
import { concat } from "./concat.js";
import { fill } from "./creation.js";
import { identity, stopGradient } from "./identity.js";
import { FLOAT, NUMERIC, checkDtype } from "./op-utils.js";
import { exp, log } from "./unary.js";
import { defineOp } from "./table/define.js";

/** Options of the cumulative ops. */
export interface CumulativeOptions {
  /** Axis to accumulate along (default 0). */
  axis?: number;
  /** Leave each element out of its own result: the first result is the identity (0, 1 or -∞). Default false. */
  exclusive?: boolean;
  /** Accumulate from the end of the axis. Default false. */
  reverse?: boolean;
}
const CUMULATIVE_KEYS = optionKeys<CumulativeOptions>()("axis", "exclusive", "reverse");

function cumulative(
  op: string,
  x: TensorLike,
  options: CumulativeOptions,
  dtypes: typeof NUMERIC,
  unit: number,
  combine: (a: Tensor, b: Tensor) => Tensor,
): Tensor {
  return composite([x], op, ([t]) => {
    checkDtype(op, t!.dtype, dtypes);
    if (t!.rank === 0) throw new InvalidArgumentError(opMessage(op, `the input must have rank >= 1 (a scan needs an axis), got a scalar`));
    const axis = normalizeAxis(options.axis ?? 0, t!.rank, op);
    const n = t!.shape[axis]!;
    let y = options.reverse ? reverseAxis(t!, axis) : t!;
    y = scan(y, axis, combine);
    if (options.exclusive && n > 0) {
      const first = fill(t!.shape.map((d, i) => (i === axis ? 1 : d)), unit, t!.dtype);
      y = concat([first, sliceAxis(y, axis, 0, n - 1)], axis);
    }
    if (options.reverse) y = reverseAxis(y, axis);
    return y === t ? identity(t!) : y;
  });
}

/**
 * Cumulative sum along `axis` (TensorFlow's `tf.math.cumsum`, also `tf.cumsum`):
 * `tf.math.cumsum([a, b, c])` → `[a, a + b, a + b + c]`; `exclusive` → `[0, a, a + b]`;
 * `reverse` → `[a + b + c, b + c, c]`. int32, float32, float64, complex64.
 */
export const cumsum = defineOp("cumsum", function cumsum(x: TensorLike, options: CumulativeOptions = {}): Tensor {
  return cumulative("Cumsum", x, options, NUMERIC, 0, add);
}, { paths: ["math.cumsum"], args: 2, options: CUMULATIVE_KEYS });

/**
 * Cumulative product along `axis` (TensorFlow's `tf.math.cumprod`, also `tf.cumprod`):
 * `[a, b, c]` → `[a, a·b, a·b·c]`; `exclusive` starts from 1. int32, float32, float64, complex64.
 */
export const cumprod = defineOp("cumprod", function cumprod(x: TensorLike, options: CumulativeOptions = {}): Tensor {
  return cumulative("Cumprod", x, options, NUMERIC, 1, multiply);
}, { paths: ["math.cumprod"], args: 2, options: CUMULATIVE_KEYS });

/** log(eᵃ + eᵇ) without overflow; -∞ where both are -∞. */
function logAddExp(a: Tensor, b: Tensor): Tensor {
  const m = stopGradient(maximum(a, b));
  const safe = where(equal(m, -Infinity), 0, m);
  const s = add(safe, log(add(exp(subtract(a, safe)), exp(subtract(b, safe)))));
  return s;
}

/**
 * log of the cumulative sum of exponentials along `axis`, computed stably (TensorFlow's
 * `tf.math.cumulative_logsumexp`); `exclusive` starts from -∞. float32, float64.
 */
export const cumulativeLogsumexp = defineOp("cumulativeLogsumexp", function cumulativeLogsumexp(x: TensorLike, options: CumulativeOptions = {}): Tensor {
  return cumulative("CumulativeLogsumexp", x, options, FLOAT, -Infinity, logAddExp);
}, { paths: ["math.cumulativeLogsumexp"], args: 2, options: CUMULATIVE_KEYS });
