/** Gradients of the elementwise unary ops (complex ones follow TensorFlow: dy · conj(f'(z))). */
import { conjIfComplex } from "../gradients/grad-utils.js";
import { registerGradient, registerNonDifferentiable } from "../gradients/registry.js";
import { add, divide, multiply, subtract } from "./binary.js";
import { equal, greater, where } from "./compare.js";
import { complex } from "./complex.js";
import { zerosLike } from "./creation.js";
import { abs, cos, neg, sigmoid, sign, sin, square } from "./unary.js";

registerGradient("Neg", { grad: (dy) => [neg(dy)] });

registerGradient("Abs", {
  saveInputs: [0],
  grad: (dy, { inputs: [x] }) => {
    if (x!.dtype !== "complex64") return [multiply(dy, sign(x!))];
    // d|z| = z / |z| (TensorFlow's convention), 0 at z = 0.
    const r = abs(x!);
    const zero = zerosLike(dy);
    const g = divide(multiply(complex(dy, zero), x!), complex(r, zero));
    return [where(equal(r, 0), 0, g)];
  },
});

// TensorFlow's Sign gradient is zeros (connected, but flat).
registerGradient("Sign", { grad: (dy) => [zerosLike(dy)] });
registerGradient("Square", { saveInputs: [0], grad: (dy, { inputs: [x] }) => [multiply(dy, multiply(conjIfComplex(x!), 2))] });
registerGradient("Sqrt", { saveOutput: true, grad: (dy, { output: y }) => [divide(dy, multiply(conjIfComplex(y!), 2))] });
registerGradient("Rsqrt", { saveOutput: true, grad: (dy, { output: y }) => [multiply(dy, multiply(multiply(square(y!), y!), -0.5))] });
registerGradient("Exp", { saveOutput: true, grad: (dy, { output: y }) => [multiply(dy, conjIfComplex(y!))] });
registerGradient("Log", { saveInputs: [0], grad: (dy, { inputs: [x] }) => [divide(dy, conjIfComplex(x!))] });
registerGradient("Log1p", { saveInputs: [0], grad: (dy, { inputs: [x] }) => [divide(dy, add(x!, 1))] });
registerGradient("Sin", { saveInputs: [0], grad: (dy, { inputs: [x] }) => [multiply(dy, cos(x!))] });
registerGradient("Cos", { saveInputs: [0], grad: (dy, { inputs: [x] }) => [neg(multiply(dy, sin(x!)))] });
// Written on the saved output y, so the second derivative flows through y (the bug of tfjs issue 3252 was not doing so).
registerGradient("Tanh", { saveOutput: true, grad: (dy, { output: y }) => [multiply(dy, subtract(1, square(y!)))] });
registerGradient("Sigmoid", { saveOutput: true, grad: (dy, { output: y }) => [multiply(dy, multiply(y!, subtract(1, y!)))] });
registerGradient("Relu", { saveOutput: true, grad: (dy, { output: y }) => [where(greater(y!, 0), dy, 0)] });
// elu'(x) = 1 for x > 0, eˣ = y + 1 otherwise.
registerGradient("Elu", { saveOutput: true, grad: (dy, { output: y }) => [where(greater(y!, 0), dy, multiply(dy, add(y!, 1)))] });
registerGradient("Softplus", { saveInputs: [0], grad: (dy, { inputs: [x] }) => [multiply(dy, sigmoid(x!))] });
registerGradient("Reciprocal", { saveOutput: true, grad: (dy, { output: y }) => [neg(multiply(dy, square(conjIfComplex(y!))))] });

registerNonDifferentiable("Floor", "Ceil", "Round", "LogicalNot");
