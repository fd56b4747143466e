/** Runs the walk-through in-process and checks that it prints TensorFlow's output. */
import { format } from "node:util";
import * as tf from "@tessera/tf";
import { beforeAll, describe, expect, it } from "vitest";
import type { Log } from "../src/log.js";
import { SECTIONS } from "../src/sections/index.js";
import { header, runSections } from "../src/walkthrough.js";

let output = "";
const log: Log = (...args) => {
  output += format(...args) + "\n";
};

beforeAll(async () => {
  await header(log);
  const before = tf.memory().numTensors;
  await runSections(SECTIONS, log);
  // The walk-through frees everything it makes.
  expect(tf.memory().numTensors).toBe(before);
});

/** Checks that `expected` (one or more lines) is printed right after the line `> code`. */
function expectAfter(code: string, expected: string | RegExp): void {
  const lines = output.split("\n");
  const i = lines.indexOf(`> ${code}`);
  expect(i, `the demo prints "> ${code}"`).toBeGreaterThanOrEqual(0);
  if (typeof expected === "string") {
    expect(lines.slice(i + 1, i + 1 + expected.split("\n").length).join("\n")).toBe(expected);
  } else {
    expect(lines[i + 1]).toMatch(expected);
  }
}

describe("demo walk-through", () => {
  it("names the backend and prints section headers", () => {
    expect(output).toMatch(/^Tessera on backend '(js|wasm|webgpu)' \(registered: js, /);
    for (const s of SECTIONS) expect(output).toContain(`======== ${s.title} ===`);
  });

  it("walks through the seed's gradients", () => {
    expectAfter("tape.gradient(y, x)   // dy/dx = 2x", "tf.Tensor(6.0, shape=(), dtype=float32)");
    expect(output).toContain("dw shape: [3,2] db shape: [2]\n");
    expectAfter("tape.gradient(z, x)   // dz/dx = 2y", "tf.Tensor(\n[[8. 8.]\n [8. 8.]], shape=(2, 2), dtype=float32)");
    expectAfter("tape.gradient(z, x)   // 4x³ at x = 3", "tf.Tensor(108.0, shape=(), dtype=float32)");
    expectAfter("tape.gradient(y, x)   // 2x", "tf.Tensor(6.0, shape=(), dtype=float32)");
    expectAfter("dy/dx of y = x³ at x = 1", "tf.Tensor(3.0, shape=(), dtype=float32)");
    expectAfter("d²y/dx² (the gradient of a gradient)", "tf.Tensor(6.0, shape=(), dtype=float32)");
    const fit = /w = (-?[\d.]+), b = (-?[\d.]+)\n/.exec(output);
    expect(fit, "the regression prints w and b").not.toBeNull();
    expect(Number(fit![1])).toBeCloseTo(2, 2);
    expect(Number(fit![2])).toBeCloseTo(-1, 2);
  });

  it("prints tensors as TensorFlow does", () => {
    expectAfter("tf.add(1, 2)", "tf.Tensor(3, shape=(), dtype=int32)");
    expectAfter("tf.add([1, 2], [3, 4])", "tf.Tensor([4 6], shape=(2,), dtype=int32)");
    expectAfter("tf.square(5)", "tf.Tensor(25, shape=(), dtype=int32)");
    expectAfter("tf.reduceSum([1, 2, 3])", "tf.Tensor(6, shape=(), dtype=int32)");
    expectAfter("tf.square(2).add(tf.square(3))", "tf.Tensor(13, shape=(), dtype=int32)");
    expectAfter("const x = tf.matmul([[1]], [[2, 3]])", "tf.Tensor([[2 3]], shape=(1, 2), dtype=int32)");
    expectAfter("new tf.TensorShape(x.shape).toString()", "(1, 2)");
    expectAfter("tf.matmul(a, b)", "tf.Tensor(\n[[3 3]\n [7 7]], shape=(2, 2), dtype=int32)");
    expectAfter("tf.reduceMax(c)", "tf.Tensor(10.0, shape=(), dtype=float32)");
    expectAfter("tf.nn.softmax(c)",
      "tf.Tensor(\n[[2.6894143e-01 7.3105860e-01]\n [9.9987662e-01 1.2339458e-04]], shape=(2, 2), dtype=float32)",
    );
    expect(output).toContain("Total number of elements (3*2*4*5):  120\n");
    expectAfter('tf.cast(tf.cast(f64, "float32"), "int32")', "tf.Tensor([2 3 4], shape=(3,), dtype=int32)");
  });

  it("shows NumPy interop: ndarray-likes in, arrays and .npy out", () => {
    const threes = "tf.Tensor(\n[[3. 3. 3.]\n [3. 3. 3.]\n [3. 3. 3.]], shape=(3, 3), dtype=float64)";
    expectAfter("const tensor = tf.multiply({ data: new Float64Array(9).fill(1), shape: [3, 3] }, 3)", threes);
    expectAfter("tensor.numpy()", "[[3,3,3],[3,3,3],[3,3,3]]");
    expectAfter("tf.io.encodeNpy(tensor)", "Uint8Array(200) with header {'descr': '<f8', 'fortran_order': False, 'shape': (3, 3), }");
    expectAfter("tf.io.decodeNpy(bytes)", threes);
    expectAfter("await tf.io.loadNpy(path)", threes);
  });

  it("broadcasts with NumPy's rules", () => {
    expectAfter("x.mul(y)", "tf.Tensor([2 4 6], shape=(3,), dtype=int32)");
    expectAfter("tf.multiply(col, row)", "tf.Tensor(\n[[ 1  2  3  4]\n [ 2  4  6  8]\n [ 3  6  9 12]], shape=(3, 4), dtype=int32)");
    expectAfter("tf.add([1, 2], [1, 2, 3])", "InvalidArgumentError: Incompatible shapes: [2] vs. [3] [Op:Add]");
  });

  it("shows variables, their pitfalls and assignment", () => {
    expectAfter("new tf.Variable([1, 2])", "<tf.Variable 'Variable:0' shape=(2,) dtype=int32, numpy=array([1, 2], dtype=int32)>");
    expect(output).toContain("A variable: <tf.Variable 'Variable:0' shape=(2, 2) dtype=float32, numpy=\narray([[1., 2.],\n       [3., 4.]], dtype=float32)>\n");
    expectAfter("new tf.Variable([1, 2], tf.float32)",
      `ValueError: tf.Variable's second argument must be an options object, got "float32"; write new tf.Variable(value, { dtype: "float32" })`,
    );
    expectAfter("new tf.Variable([1, 2, 3, 4], { shape: [2, 2] })",
      "ValueError: The initial value's shape ((4,)) is not compatible with the explicitly supplied `shape` argument ((2, 2)).",
    );
    expectAfter("a.assign([1.0, 2.0, 3.0])",
      "ValueError: Cannot assign value to variable ' Variable:0': Shape mismatch.The variable shape (2,), and the assigned value shape (3,) are incompatible.",
    );
    expectAfter("b", "<tf.Variable 'Variable:0' shape=(2,) dtype=float32, numpy=array([1., 2.], dtype=float32)>");
    expectAfter("a.assignAdd([2, 3])", "<tf.Variable 'Variable:0' shape=(2,) dtype=float32, numpy=array([7., 9.], dtype=float32)>");
    expectAfter("a.assignSub([7, 9])", "<tf.Variable 'Variable:0' shape=(2,) dtype=float32, numpy=array([0., 0.], dtype=float32)>");
    expectAfter('const v = new tf.Variable(1.5, { name: "my_var", trainable: false })',
      "<tf.Variable 'my_var:0' shape=() dtype=float32, numpy=1.5>",
    );
    expectAfter("const u = new tf.Variable([1, 2], { shape: null })",
      "<tf.Variable 'Variable:0' shape=<unknown> dtype=int32, numpy=array([1, 2], dtype=int32)>",
    );
    expectAfter("p.assign([[1, 2], [3, 4], [5, 6]]).shape", "[3,2]");
  });

  it("tells the memory story with exact counts", () => {
    expectAfter("const t = tf.ones([1000, 1000])", /^1 new tensor, \d+ bytes in use$/);
    expectAfter("t.dispose()", "0 new tensors");
    expectAfter("const y = tf.tidy(() => tf.matmul(x, x).reduceSum())   // x and x·x are freed",
      "1 new tensor: tf.Tensor(1000.0, shape=(), dtype=float32)",
    );
    expectAfter("for 1000 steps: tf.tidy(() => v.assign(v.add(tf.square(0.5))))",
      "1 new tensor (the variable): <tf.Variable 'Variable:0' shape=() dtype=float32, numpy=250.0>",
    );
    expectAfter("10 × tf.square(i) outside tidy", "10 new tensors until disposed");
    expectAfter("tf.dispose(tensors)", "0 new tensors");
  });
});
