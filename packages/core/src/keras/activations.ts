/** Activation functions, by the names Keras serialises them under. */
import { ValueError } from "../errors.js";
import { add, divide, maximum, minimum, multiply } from "../ops/binary.js";
import { greater, where } from "../ops/compare.js";
import { gelu as nnGelu } from "../ops/activations.js";
import { logSoftmax as nnLogSoftmax, softmax as nnSoftmax } from "../ops/nn.js";
import { tidy } from "../engine/tidy.js";
import { abs, elu as eluOp, exp, relu as reluOp, sigmoid as sigmoidOp, softplus as softplusOp, tanh as tanhOp } from "../ops/unary.js";
import type { Tensor } from "../tensor/tensor.js";
import { identity } from "../ops/identity.js";

/** An activation: a function of one tensor. */
export type ActivationFn = (x: Tensor) => Tensor;

/** An activation by name (`"relu"`), a function, or `null`/`undefined` for linear. */
export type ActivationIdentifier = ActivationName | ActivationFn | null | undefined;

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Names accepted wherever an activation is (the names Keras writes in configs). */
const ACTIVATIONS = {
  linear: (x: Tensor) => identity(x),
  relu: (x: Tensor) => reluOp(x),
  relu6: (x: Tensor) => {
    const r = reluOp(x);
    try {
      return minimum(r, 6);
    } finally {
      r.dispose();
    }
  },
  sigmoid: (x: Tensor) => sigmoidOp(x),
  tanh: (x: Tensor) => tanhOp(x),
  softmax: (x: Tensor) => nnSoftmax(x, -1),
  elu: (x: Tensor) => eluOp(x),
  selu: (x: Tensor) => {
    const e = eluOp(x);
    const neg = multiply(e, SELU_ALPHA);
    const pos = greater(x, 0);
    const sel = where(pos, x, neg);
    try {
      return multiply(sel, SELU_SCALE);
    } finally {
      for (const t of [e, neg, pos, sel]) t.dispose();
    }
  },
  softplus: (x: Tensor) => softplusOp(x),
  softsign: (x: Tensor) => {
    const a = abs(x);
    const d = add(a, 1);
    try {
      return divide(x, d);
    } finally {
      a.dispose();
      d.dispose();
    }
  },
  swish: (x: Tensor) => {
    const s = sigmoidOp(x);
    try {
      return multiply(x, s);
    } finally {
      s.dispose();
    }
  },
  exponential: (x: Tensor) => exp(x),
  hard_sigmoid: (x: Tensor) => {
    // Keras 2's piecewise-linear sigmoid: clip(0.2·x + 0.5, 0, 1).
    const a = multiply(x, 0.2);
    const b = add(a, 0.5);
    const c = maximum(b, 0);
    try {
      return minimum(c, 1);
    } finally {
      for (const t of [a, b, c]) t.dispose();
    }
  },
  log_softmax: (x: Tensor) => nnLogSoftmax(x, -1),
  /** x · tanh(softplus(x)). */
  mish: (x: Tensor) => tidy(() => multiply(x, tanhOp(softplusOp(x)))),
  /** Keras's `gelu` (approximate=False, its default): x·Φ(x) = 0.5·x·(1 + erf(x/√2)), TF.js's `gelu`. */
  gelu: (x: Tensor) => nnGelu(x),
  /** GELU's tanh approximation: 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³))) (TF.js's `gelu_new`, Keras's `gelu(approximate=True)`). */
  gelu_new: (x: Tensor) => tidy(() => multiply(multiply(x, 0.5), add(1, tanhOp(multiply(add(x, multiply(multiply(multiply(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI)))))),
  /** x · relu6(x + 3) / 6 (Keras's `hard_swish`, also `hard_silu`). */
  hard_swish: (x: Tensor) => tidy(() => multiply(x, divide(minimum(reluOp(add(x, 3)), 6), 6))),
} satisfies Record<string, ActivationFn>;

/** The activation names Tessera knows. */
export type ActivationName = keyof typeof ACTIVATIONS;

/** Every activation name, in the order error messages list them. */
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationName[];

/** TensorFlow.js spells a few names in camelCase; configs from it may carry either spelling. */
const ALIASES: Record<string, ActivationName> = { hardSigmoid: "hard_sigmoid", silu: "swish", logSoftmax: "log_softmax", hard_silu: "hard_swish", hardSwish: "hard_swish" };

/** A resolved activation: its function and the name it is saved under (null for a custom function). */
export interface Activation {
  readonly name: string | null;
  readonly fn: ActivationFn;
}

/** Looks up an activation by name or wraps a function; throws listing the valid names when unknown. */
export function getActivation(identifier: ActivationIdentifier | string): Activation {
  if (identifier === null || identifier === undefined) return { name: "linear", fn: ACTIVATIONS.linear };
  if (typeof identifier === "function") return { name: null, fn: identifier };
  if (typeof identifier === "string") {
    const name = (Object.hasOwn(ACTIVATIONS, identifier) ? identifier : Object.hasOwn(ALIASES, identifier) ? ALIASES[identifier] : undefined) as ActivationName | undefined;
    if (name !== undefined) return { name, fn: ACTIVATIONS[name] };
  }
  throw new ValueError(
    `Unknown activation: ${JSON.stringify(identifier)}. Valid activations are: ${ACTIVATION_NAMES.map((n) => `"${n}"`).join(", ")} (or a function of one tensor).`,
  );
}

/** The activation functions by name, as `tf.keras.activations.relu(x)`. */
export const { linear, relu, relu6, sigmoid, tanh, softmax, elu, selu, softplus, softsign, swish, exponential } = ACTIVATIONS;
/** `silu` in Keras: x · sigmoid(x), the same function as `swish` (saved as "swish"). */
export const silu = ACTIVATIONS.swish;
/** `hard_sigmoid` in Keras. */
export const hardSigmoid = ACTIVATIONS.hard_sigmoid;
/** `log_softmax` in Keras: log of the softmax over the last axis. */
export const logSoftmax = ACTIVATIONS.log_softmax;
/** `mish` in Keras: x · tanh(softplus(x)). */
export const mish = ACTIVATIONS.mish;
/** `hard_swish` in Keras: x · relu6(x + 3) / 6. */
export const hardSwish = ACTIVATIONS.hard_swish;
/** `gelu` in Keras: the exact GELU, x·Φ(x) (`tf.nn.gelu`). */
export const gelu = ACTIVATIONS.gelu;
/** GELU's tanh approximation (TensorFlow.js's `gelu_new`). */
export const geluNew = ACTIVATIONS.gelu_new;

/** Looks up an activation function by name (`tf.keras.activations.get("relu")`). */
export function get(identifier: ActivationIdentifier | string): ActivationFn {
  return getActivation(identifier).fn;
}

/** The name an activation is saved under (`tf.keras.activations.serialize`). */
export function serialize(a: Activation): string {
  if (a.name === null) throw new ValueError("A custom activation function cannot be saved; use one of the named activations (" + ACTIVATION_NAMES.join(", ") + ")");
  return a.name;
}

/**
 * The epilogue of Dense and Conv2D: `activation(y + bias)`. Disposes the intermediates (and `y`,
 * which the caller made for this purpose) and returns a new tensor unless nothing was applied.
 */
export function biasAndActivate(y: Tensor, bias: Tensor | null | undefined, activation: Activation): Tensor {
  let out = y;
  if (bias) {
    out = add(y, bias);
    y.dispose();
  }
  if (activation.name === "linear") return out;
  const result = activation.fn(out);
  if (result !== out) out.dispose();
  return result;
}
