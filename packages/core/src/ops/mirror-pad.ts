/**
 * Mirror padding (TensorFlow's MirrorPad: `tf.pad` modes REFLECT and SYMMETRIC, and TensorFlow.js's
 * `tf.mirrorPad`), written as one gather per padded axis. Its gradient (TensorFlow's MirrorPadGrad:
 * the padding folded back onto the edge it mirrors) is the gather's, an UnsortedSegmentSum.
 */
import { tidy } from "../engine/tidy.js";
import { InvalidArgumentError, ValueError, opMessage } from "../errors.js";
import { describeDims } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import type { Tensor } from "../tensor/tensor.js";
import { constant } from "./creation.js";
import { gather } from "./gather.js";
import { identity } from "./identity.js";
import { defineOp } from "./table/define.js";

/** How `tf.mirrorPad` mirrors: REFLECT leaves the edge out of the mirror image, SYMMETRIC repeats it. */
export type MirrorPadMode = "REFLECT" | "SYMMETRIC" | "reflect" | "symmetric";

/** Checks that `paddings` holds `rank` pairs of non-negative integers (the message of `op`). */
export function checkPaddings(op: string, paddings: unknown, shape: readonly number[]): asserts paddings is readonly (readonly [number, number])[] {
  if (!Array.isArray(paddings) || paddings.length !== shape.length || paddings.some((p) => !Array.isArray(p) || p.length !== 2 || p.some((v: unknown) => typeof v !== "number" || !Number.isInteger(v) || v < 0))) {
    throw new InvalidArgumentError(
      opMessage(op, `paddings must be ${shape.length} pairs of non-negative integers [before, after] for input shape ${describeDims(shape)}, got ${JSON.stringify(paddings)}`),
    );
  }
}

/** The upper-case mirror mode, or a `ValueError` naming the accepted ones. */
export function mirrorMode(op: string, mode: unknown): "REFLECT" | "SYMMETRIC" {
  const m = typeof mode === "string" ? mode.toUpperCase() : mode;
  if (m !== "REFLECT" && m !== "SYMMETRIC") {
    throw new ValueError(opMessage(op, `mode must be "REFLECT" or "SYMMETRIC" (in any case), got ${JSON.stringify(mode)}`));
  }
  return m;
}

/**
 * `t` mirror-padded (mode already checked). TensorFlow's limits: REFLECT needs each padding below the
 * axis's size, SYMMETRIC at most the axis's size.
 */
export function mirrorPadTensor(t: Tensor, paddings: readonly (readonly [number, number])[], mode: "REFLECT" | "SYMMETRIC"): Tensor {
  const op = "MirrorPad";
  checkPaddings(op, paddings, t.shape);
  const offset = mode === "REFLECT" ? 1 : 0;
  paddings.forEach(([before, after], i) => {
    const dim = t.shape[i]!;
    if (offset === 1 && (before >= dim || after >= dim) && (before > 0 || after > 0)) {
      throw new InvalidArgumentError(opMessage(op, `paddings must be less than the dimension size: ${before}, ${after} not less than ${dim} (axis ${i} of input shape ${describeDims(t.shape)}, mode REFLECT)`));
    }
    if (offset === 0 && (before > dim || after > dim)) {
      throw new InvalidArgumentError(opMessage(op, `paddings must be no greater than the dimension size: ${before}, ${after} greater than ${dim} (axis ${i} of input shape ${describeDims(t.shape)}, mode SYMMETRIC)`));
    }
  });
  return tidy(() => {
    let y = t;
    paddings.forEach(([before, after], axis) => {
      if (before === 0 && after === 0) return;
      const dim = t.shape[axis]!;
      const idx = new Int32Array(before + dim + after);
      for (let k = 0; k < idx.length; k++) {
        const j = k - before;
        idx[k] = j < 0 ? -j - 1 + offset : j >= dim ? 2 * dim - 1 - j - offset : j;
      }
      y = gather(y, constant(idx), axis);
    });
    return y === t ? identity(t) : y;
  });
}

/**
 * Pads `x` with mirror images of itself (TensorFlow.js's `tf.mirrorPad`; TensorFlow's
 * `tf.pad(x, paddings, { mode })` with mode REFLECT or SYMMETRIC): `paddings[i] = [before, after]`
 * for axis i. `"reflect"` leaves the edge out of the image (each padding must be less than the
 * axis's size), `"symmetric"` repeats it (at most the axis's size); the mode is case-insensitive.
 * Any dtype. `tf.mirrorPad([1, 2, 3], [[2, 2]], "reflect")` → `[3, 2, 1, 2, 3, 2, 1]`.
 */
export const mirrorPad = defineOp("mirrorPad", function mirrorPad(x: TensorLike, paddings: readonly (readonly [number, number])[], mode: MirrorPadMode): Tensor {
  const m = mirrorMode("MirrorPad", mode);
  const t = toTensor(x, "MirrorPad");
  try {
    return mirrorPadTensor(t, paddings, m);
  } finally {
    if (t !== x) t.dispose();
  }
});
