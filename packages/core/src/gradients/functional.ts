/** Functional forms over GradientTape: `tf.grad`, `tf.grads`, `tf.valueAndGrad(s)`, and `tf.customGradient`. */
import { DtypeError, ValueError } from "../errors.js";
import { ENGINE } from "../engine/engine.js";
import { tidy } from "../engine/tidy.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import { Tensor } from "../tensor/tensor.js";
import { cast } from "../ops/cast.js";
import { identity } from "../ops/identity.js";
import { isDifferentiableDtype } from "./grad-utils.js";
import { GradientTape } from "./gradient-tape.js";
import type { CustomGradFn } from "./tape.js";
import { Tape } from "./tape.js";

function checkFn(f: unknown, name: string): void {
  if (typeof f !== "function") throw new ValueError(`tf.${name} expects a function, got ${typeof f}`);
}

/** An argument as a differentiable tensor: JS numbers and arrays become float32 (not int32). */
function toSource(x: TensorLike, name: string): Tensor {
  let t = toTensor(x, name);
  if (t !== x && t.dtype === "int32") {
    const f = cast(t, "float32");
    t.dispose();
    t = f;
  }
  if (!isDifferentiableDtype(t.dtype)) {
    if (t !== x) t.dispose();
    throw new DtypeError(`tf.${name}: cannot differentiate with respect to a ${t.dtype} tensor; use float32, float64 or complex64 (tf.cast it first)`);
  }
  return t;
}

function run(
  f: (...xs: Tensor[]) => Tensor, args: readonly TensorLike[], dy: TensorLike | undefined, name: string, keepValue: boolean,
): { value: Tensor | null; grads: Tensor[] } {
  checkFn(f, name);
  const xs: Tensor[] = [];
  try {
    for (const a of args) xs.push(toSource(a, name));
    return tidy(() => {
      const tape = new GradientTape();
      try {
        const value = tape.record(() => {
          tape.watch(xs);
          return f(...xs);
        });
        if (!(value instanceof Tensor)) throw new ValueError(`tf.${name}: the function must return a tensor, got ${typeof value}`);
        const grads = tape.gradient(value, xs, { outputGradients: dy, unconnectedGradients: "zero" });
        const kept = keepValue ? (xs.includes(value) ? identity(value) : value) : null;
        return { value: kept, grads };
      } finally {
        tape.dispose();
      }
    });
  } finally {
    xs.forEach((t, i) => {
      if (t !== args[i]) t.dispose();
    });
  }
}

/**
 * `tf.grad(f)`: a function returning the gradient of `f` at `x` (of the sum of `f(x)`'s elements, or
 * its inner product with `dy`). Nest it for higher derivatives: `tf.grad(tf.grad(f))`.
 */
export function grad(f: (x: Tensor) => Tensor): (x: TensorLike, dy?: TensorLike) => Tensor {
  checkFn(f, "grad");
  return (x, dy) => run(f, [x], dy, "grad", false).grads[0]!;
}

/** `tf.grads(f)`: gradients of `f` with respect to each of its arguments. */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: readonly TensorLike[], dy?: TensorLike) => Tensor[] {
  checkFn(f, "grads");
  return (xs, dy) => {
    if (!Array.isArray(xs)) throw new ValueError("tf.grads(f) returns a function that takes an array of arguments");
    return run(f, xs, dy, "grads", false).grads;
  };
}

/** `tf.valueAndGrad(f)`: `{ value: f(x), grad }` from one forward pass. */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: TensorLike, dy?: TensorLike) => { value: Tensor; grad: Tensor } {
  checkFn(f, "valueAndGrad");
  return (x, dy) => {
    const r = run(f, [x], dy, "valueAndGrad", true);
    return { value: r.value!, grad: r.grads[0]! };
  };
}

/** `tf.valueAndGrads(f)`: `{ value: f(...xs), grads }` from one forward pass. */
export function valueAndGrads(f: (...xs: Tensor[]) => Tensor): (xs: readonly TensorLike[], dy?: TensorLike) => { value: Tensor; grads: Tensor[] } {
  checkFn(f, "valueAndGrads");
  return (xs, dy) => {
    if (!Array.isArray(xs)) throw new ValueError("tf.valueAndGrads(f) returns a function that takes an array of arguments");
    const r = run(f, xs, dy, "valueAndGrads", true);
    return { value: r.value!, grads: r.grads };
  };
}

/** What the forward function of `tf.customGradient` returns. */
export interface CustomGradientResult {
  /** The forward value. */
  value: Tensor;
  /**
   * The gradient: given `dy` (the gradient of the value) and the `save`d tensors, one gradient per
   * input (null for none); a single tensor for a one-input function. Written with tf ops, it is
   * itself differentiable, so higher-order gradients go through it.
   */
  gradFunc: CustomGradFn;
  /** Tensors `gradFunc` needs (tapes keep them alive even if the forward code disposes them). */
  save?: Tensor[];
}

/**
 * `tf.customGradient(f)`: a function computing `f`'s value whose gradient is `f`'s own `gradFunc`
 * (TensorFlow's `@tf.custom_gradient`). The ops inside `f` are not recorded, so gradients flow only
 * to `f`'s tensor arguments: pass Variables `f` needs gradients for as arguments.
 *
 * ```ts
 * const clipGrad = tf.customGradient((x) => ({
 *   value: tf.identity(x),
 *   gradFunc: (dy) => tf.minimum(tf.maximum(dy, -1), 1),
 * }));
 * ```
 */
export function customGradient(f: (...inputs: Tensor[]) => CustomGradientResult): (...inputs: TensorLike[]) => Tensor {
  checkFn(f, "customGradient");
  return (...args) => {
    const inputs: Tensor[] = [];
    try {
      for (const a of args) inputs.push(toTensor(a, "CustomGradient"));
      const res = ENGINE.untaped(() => f(...inputs));
      if (typeof res !== "object" || res === null || !(res.value instanceof Tensor) || typeof res.gradFunc !== "function") {
        throw new ValueError("tf.customGradient: the function must return { value: Tensor, gradFunc: (dy, saved) => gradients, save?: Tensor[] }");
      }
      const save = res.save ?? [];
      if (!Array.isArray(save) || save.some((t) => !(t instanceof Tensor))) {
        throw new ValueError("tf.customGradient: `save` must be an array of tensors");
      }
      const value = inputs.includes(res.value) ? ENGINE.untaped(() => identity(res.value)) : res.value;
      for (const r of ENGINE.recorders) if (r instanceof Tape) r.recordCustom(inputs, value, save, res.gradFunc);
      return value;
    } finally {
      inputs.forEach((t, i) => {
        if (t !== args[i]) t.dispose();
      });
    }
  };
}
