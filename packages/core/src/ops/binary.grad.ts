/** Gradients of the broadcasting binary ops: each input's gradient is summed back to its shape. */
import { conjIfComplex, reduceToShape } from "../gradients/grad-utils.js";
import type { GradContext } from "../gradients/registry.js";
import { registerGradient, registerNonDifferentiable } from "../gradients/registry.js";
import type { Tensor } from "../tensor/tensor.js";
import { divide, floorDiv, multiply, pow, subtract } from "./binary.js";
import { greater, greaterEqual, lessEqual, where } from "./compare.js";
import { log, neg } from "./unary.js";

/** Computes input i's gradient only when it is wanted, reduced to the input's shape. */
function each(ctx: GradContext, ...fns: (() => Tensor)[]): (Tensor | null)[] {
  return fns.map((fn, i) => (ctx.needs[i] ? reduceToShape(fn(), ctx.inputShapes[i]!) : null));
}

registerGradient("Add", { grad: (dy, c) => each(c, () => dy, () => dy) });
registerGradient("Sub", { grad: (dy, c) => each(c, () => dy, () => neg(dy)) });
registerGradient("Mul", {
  saveInputs: [0, 1],
  grad: (dy, c) => {
    const [a, b] = c.inputs;
    return each(c, () => multiply(dy, conjIfComplex(b!)), () => multiply(conjIfComplex(a!), dy));
  },
});
registerGradient("Div", {
  saveInputs: [0, 1],
  grad: (dy, c) => {
    const [a, b] = c.inputs;
    return each(c, () => divide(dy, conjIfComplex(b!)), () => multiply(dy, conjIfComplex(divide(divide(neg(a!), b!), b!))));
  },
});
// a mod b = a − ⌊a/b⌋·b, and ⌊a/b⌋ is locally constant.
registerGradient("FloorMod", {
  saveInputs: [0, 1],
  grad: (dy, c) => {
    const [a, b] = c.inputs;
    return each(c, () => dy, () => multiply(dy, neg(floorDiv(a!, b!))));
  },
});
registerGradient("Pow", {
  saveInputs: [0, 1],
  saveOutput: true,
  grad: (dy, c) => {
    const [a, b] = c.inputs;
    return each(
      c,
      () => multiply(dy, multiply(b!, pow(a!, subtract(b!, 1)))),
      () => {
        // d(aᵇ)/db = aᵇ·log a, taken as 0 where a ≤ 0 (the double where keeps NaN out of higher orders).
        const positive = greater(a!, 0);
        const logA = where(positive, log(where(positive, a!, 1)), 0);
        return multiply(dy, multiply(c.output!, logA));
      },
    );
  },
});
// Ties go to the first input, as TensorFlow.
registerGradient("Maximum", {
  saveInputs: [0, 1],
  grad: (dy, c) => {
    const first = greaterEqual(c.inputs[0]!, c.inputs[1]!);
    return each(c, () => where(first, dy, 0), () => where(first, 0, dy));
  },
});
registerGradient("Minimum", {
  saveInputs: [0, 1],
  grad: (dy, c) => {
    const first = lessEqual(c.inputs[0]!, c.inputs[1]!);
    return each(c, () => where(first, dy, 0), () => where(first, 0, dy));
  },
});

registerNonDifferentiable("FloorDiv");
