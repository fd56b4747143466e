/**
 * API.md "Ops" on the js backend: every op in its list with hand-checked values (TensorFlow 2's
 * results), broadcasting, the dtype rules for JS numbers and mixed dtypes, method chaining, and the
 * error classes and messages.
 */
import "@tessera/backend-js";
import * as tf from "@tessera/core";
import { describe, expect, it } from "vitest";
import { onJsFreeingEverything } from "./helpers/js-backend.js";

const { ValueError, DtypeError, InvalidArgumentError } = tf.errors;

onJsFreeingEverything("ops free the tensors they make from JS values");

type Nested = number | boolean | string | Nested[];

/** Runs `f` in tidy and returns the result's shape, dtype and value; nothing is left allocated. */
function run(f: () => tf.Tensor): { shape: number[]; dtype: string; value: unknown } {
  const t = tf.tidy(f);
  const r = { shape: t.shape.slice(), dtype: t.dtype, value: t.numpy() };
  t.dispose();
  return r;
}

function flat(v: unknown): unknown[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v];
}

/** Checks dtype, shape and values (floats to `digits` decimals; NaN equals NaN). */
function expectOp(f: () => tf.Tensor, dtype: string, shape: number[], value: Nested, digits?: number): void {
  const r = run(f);
  expect(r.dtype).toBe(dtype);
  expect(r.shape).toEqual(shape);
  if (digits === undefined) {
    expect(r.value).toEqual(value);
    return;
  }
  const got = flat(r.value) as number[];
  const want = flat(value) as number[];
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    if (Number.isNaN(want[i])) expect(g).toBeNaN();
    else expect(g, `element ${i}`).toBeCloseTo(want[i]!, digits);
  });
}

const f32 = (v: Nested) => tf.constant(v as number[], "float32");

describe("elementwise binary ops", () => {
  it("arithmetic", () => {
    expectOp(() => tf.add([1, 2], [3, 4]), "int32", [2], [4, 6]);
    expectOp(() => tf.subtract([1, 2], [3, 5]), "int32", [2], [-2, -3]);
    expectOp(() => tf.multiply(f32([1.5, 2]), f32([2, -1])), "float32", [2], [3, -2]);
    expectOp(() => tf.divide(f32([1, 3]), 1.5), "float32", [2], [0.6666667, 2], 6);
    expectOp(() => tf.pow([2, 3], [3, 2]), "int32", [2], [8, 9]);
    expectOp(() => tf.pow(f32([4, 2]), 0.5), "float32", [2], [2, Math.SQRT2], 6);
    expectOp(() => tf.squaredDifference([1, 5], [3, 2]), "int32", [2], [4, 9]);
  });

  it("floorDiv and mod follow Python for negative operands", () => {
    expectOp(() => tf.floorDiv([-7, 7, -7, 7], [2, 2, -2, -2]), "int32", [4], [-4, 3, 3, -4]);
    expectOp(() => tf.mod([-7, 7, -7, 7], [2, 2, -2, -2]), "int32", [4], [1, 1, -1, -1]);
    expectOp(() => tf.floorDiv(f32([-7.5, 7.5]), 2), "float32", [2], [-4, 3]);
    expectOp(() => tf.mod(f32([-7.5, 7.5]), 2), "float32", [2], [0.5, 1.5]);
  });

  it("maximum and minimum propagate NaN", () => {
    expectOp(() => tf.maximum([1, 5], [3, 2]), "int32", [2], [3, 5]);
    expectOp(() => tf.minimum([1, 5], [3, 2]), "int32", [2], [1, 2]);
    expectOp(() => tf.maximum(f32([NaN, 1]), f32([0, NaN])), "float32", [2], [NaN, NaN], 6);
  });

  it("comparisons and logic give bool", () => {
    expectOp(() => tf.equal([1, 2, 3], [1, 0, 3]), "bool", [3], [true, false, true]);
    expectOp(() => tf.notEqual([1, 2, 3], [1, 0, 3]), "bool", [3], [false, true, false]);
    expectOp(() => tf.less([1, 2, 3], 2), "bool", [3], [true, false, false]);
    expectOp(() => tf.lessEqual([1, 2, 3], 2), "bool", [3], [true, true, false]);
    expectOp(() => tf.greater([1, 2, 3], 2), "bool", [3], [false, false, true]);
    expectOp(() => tf.greaterEqual([1, 2, 3], 2), "bool", [3], [false, true, true]);
    expectOp(() => tf.equal(f32([NaN]), f32([NaN])), "bool", [1], [false]);
    expectOp(() => tf.equal(["a", "b"], "a"), "bool", [2], [true, false]);
    expectOp(() => tf.logicalAnd([true, true, false], [true, false, false]), "bool", [3], [true, false, false]);
    expectOp(() => tf.logicalOr([true, true, false], [true, false, false]), "bool", [3], [true, true, false]);
  });

  it("where picks from a or b, broadcasting all three", () => {
    expectOp(() => tf.where([true, false], [1, 2], [3, 4]), "int32", [2], [1, 4]);
    expectOp(() => tf.where([[true], [false]], [1, 2], 0), "int32", [2, 2], [[1, 2], [0, 0]]);
    expectOp(() => tf.where([true, false], f32([1.5, 2]), 9), "float32", [2], [1.5, 9]);
    expect(() => tf.where([1, 0], [1, 2], [3, 4])).toThrow(DtypeError);
  });

  it("broadcast with NumPy's rules", () => {
    expectOp(() => tf.add([[1], [2]], [10, 20, 30]), "int32", [2, 3], [[11, 21, 31], [12, 22, 32]]);
    expectOp(() => tf.multiply(tf.ones([2, 1, 3]), tf.fill([4, 1], 2, "float32")), "float32", [2, 4, 3], [[[2, 2, 2], [2, 2, 2], [2, 2, 2], [2, 2, 2]], [[2, 2, 2], [2, 2, 2], [2, 2, 2], [2, 2, 2]]]);
    expectOp(() => tf.add(tf.zeros([0, 3]), tf.ones([3])), "float32", [0, 3], []);
    expectOp(() => tf.add(tf.zeros([2, 0]), tf.ones([2, 1])), "float32", [2, 0], [[], []]);
    expectOp(() => tf.add(5, tf.ones([1, 1, 1, 1, 1, 2], "int32")), "int32", [1, 1, 1, 1, 1, 2], [[[[[[6, 6]]]]]]);
  });
});

describe("elementwise unary ops", () => {
  it("values as TensorFlow computes them", () => {
    expectOp(() => tf.neg([1, -2]), "int32", [2], [-1, 2]);
    expectOp(() => tf.abs([-1, 2]), "int32", [2], [1, 2]);
    expectOp(() => tf.sign(f32([-2, 0, 3, NaN])), "float32", [4], [-1, 0, 1, NaN], 6);
    expectOp(() => tf.square([3, -4]), "int32", [2], [9, 16]);
    expectOp(() => tf.sqrt(f32([4, 9, -1])), "float32", [3], [2, 3, NaN], 6);
    expectOp(() => tf.rsqrt(f32([4, 0])), "float32", [2], [0.5, Infinity]);
    expectOp(() => tf.exp(f32([0, 1])), "float32", [2], [1, Math.E], 5);
    expectOp(() => tf.log(f32([1, Math.E, 0])), "float32", [3], [0, 1, -Infinity], 6);
    expectOp(() => tf.log1p(f32([0, 1e-7])), "float32", [2], [0, 1e-7], 12);
    expectOp(() => tf.sin(f32([0, Math.PI / 2])), "float32", [2], [0, 1], 6);
    expectOp(() => tf.cos(f32([0, Math.PI])), "float32", [2], [1, -1], 6);
    expectOp(() => tf.tanh(f32([0, 100])), "float32", [2], [0, 1], 6);
    expectOp(() => tf.sigmoid(f32([0, -100, 100])), "float32", [3], [0.5, 0, 1], 6);
    expectOp(() => tf.relu([-1, 2]), "int32", [2], [0, 2]);
    expectOp(() => tf.elu(f32([-1, 2])), "float32", [2], [Math.exp(-1) - 1, 2], 6);
    expectOp(() => tf.softplus(f32([0, 100, -100])), "float32", [3], [Math.LN2, 100, 0], 5);
    expectOp(() => tf.floor(f32([1.5, -1.5])), "float32", [2], [1, -2]);
    expectOp(() => tf.ceil(f32([1.5, -1.5])), "float32", [2], [2, -1]);
    expectOp(() => tf.round(f32([0.5, 1.5, 2.5, -2.5, 2.6])), "float32", [5], [0, 2, 2, -2, 3]);
    expectOp(() => tf.reciprocal(f32([2, 4, 0])), "float32", [3], [0.5, 0.25, Infinity]);
    expectOp(() => tf.logicalNot([true, false]), "bool", [2], [false, true]);
  });

  it("float-only ops refuse int32, as TensorFlow does", () => {
    expect(() => tf.sqrt([4])).toThrow(DtypeError);
    expect(() => tf.sqrt([4])).toThrow("Sqrt does not support dtype int32 (allowed: float32, float64, complex64) [Op:Sqrt]");
    expect(() => tf.exp([1])).toThrow(DtypeError);
    expect(() => tf.logicalNot([1, 0])).toThrow(DtypeError);
  });

  it("cast converts as TensorFlow (truncation toward zero, x != 0 for bool)", () => {
    expectOp(() => tf.cast(f32([1.7, -1.7, 0.5]), "int32"), "int32", [3], [1, -1, 0]);
    expectOp(() => tf.cast([0, 2, -3], "bool"), "bool", [3], [false, true, true]);
    expectOp(() => tf.cast([true, false], "float32"), "float32", [2], [1, 0]);
    expectOp(() => tf.cast([1, 2], "complex64"), "complex64", [2], [{ re: 1, im: 0 }, { re: 2, im: 0 }] as unknown as Nested);
    expectOp(() => tf.cast(tf.constant({ re: 1.5, im: 2 }), "float32"), "float32", [], 1.5);
    expect(() => tf.cast([1], "string")).toThrow(DtypeError);
  });

  it("real and imag", () => {
    const z = () => tf.constant([{ re: 1, im: 2 }, { re: -3, im: 0.5 }]);
    expectOp(() => tf.real(z()), "float32", [2], [1, -3]);
    expectOp(() => tf.imag(z()), "float32", [2], [2, 0.5]);
    expectOp(() => tf.real(f32([1.5])), "float32", [1], [1.5]);
    expectOp(() => tf.imag(f32([1.5])), "float32", [1], [0]);
  });
});

describe("reductions", () => {
  const x = () => tf.constant([[1, 2, 3], [4, 5, 6]]);
  it("over all, one or several axes, with keepdims", () => {
    expectOp(() => tf.reduceSum(x()), "int32", [], 21);
    expectOp(() => tf.reduceSum(x(), { axis: 0 }), "int32", [3], [5, 7, 9]);
    expectOp(() => tf.reduceSum(x(), { axis: 1, keepdims: true }), "int32", [2, 1], [[6], [15]]);
    expectOp(() => tf.reduceSum(x(), { axis: [-1, 0] }), "int32", [], 21);
    expectOp(() => tf.reduceSum(x(), { axis: [], keepdims: true }), "int32", [2, 3], [[1, 2, 3], [4, 5, 6]]);
    expectOp(() => tf.reduceMax(x(), { axis: 1 }), "int32", [2], [3, 6]);
    expectOp(() => tf.reduceMin(x(), { axis: 0 }), "int32", [3], [1, 2, 3]);
    expectOp(() => tf.reduceProd(x()), "int32", [], 720);
    expectOp(() => tf.reduceMean(f32([[1, 2], [3, 4]]), { axis: 0 }), "float32", [2], [2, 3]);
    // An integer mean truncates, as TensorFlow's.
    expectOp(() => tf.reduceMean([1, 2]), "int32", [], 1);
    expectOp(() => tf.reduceMean([[-7, 0, 0], [7, 0, 0]], { axis: 1 }), "int32", [2], [-2, 2]);
    expectOp(() => tf.reduceAll([[true, false], [true, true]], { axis: 1 }), "bool", [2], [false, true]);
    expectOp(() => tf.reduceAny([[true, false], [false, false]], { axis: 1 }), "bool", [2], [true, false]);
    expectOp(() => tf.reduceLogSumExp(f32([0, 0])), "float32", [], Math.LN2, 6);
    expectOp(() => tf.reduceLogSumExp(f32([1000, 1000])), "float32", [], 1000 + Math.LN2, 3);
    expectOp(() => tf.reduceSum(tf.zeros([0, 2]), { axis: 0 }), "float32", [2], [0, 0]);
    expectOp(() => tf.reduceMax(tf.zeros([0])), "float32", [], -Infinity);
  });

  it("argmax and argmin (first extreme, default axis 0)", () => {
    expectOp(() => tf.argmax([[1, 3], [4, 2]]), "int32", [2], [1, 0]);
    expectOp(() => tf.argmax([[1, 3], [4, 2]], 1), "int32", [2], [1, 0]);
    expectOp(() => tf.argmin([[1, 3], [4, 2]], -1), "int32", [2], [0, 1]);
    expectOp(() => tf.argmax([2, 5, 5]), "int32", [], 1);
  });

  it("bad axes are InvalidArgumentError", () => {
    expect(() => tf.reduceSum([1, 2], { axis: 1 })).toThrow(InvalidArgumentError);
    expect(() => tf.argmax([1, 2], 2)).toThrow(InvalidArgumentError);
    expect(() => tf.reduceSum([true])).toThrow(DtypeError);
  });
});

describe("shape ops", () => {
  it("reshape (one -1), expandDims, squeeze", () => {
    expectOp(() => tf.reshape(tf.range(6), [2, -1]), "int32", [2, 3], [[0, 1, 2], [3, 4, 5]]);
    expect(() => tf.tidy(() => tf.reshape(tf.range(6), [-1, -1]))).toThrow(InvalidArgumentError);
    expect(() => tf.tidy(() => tf.reshape(tf.range(6), [4]))).toThrow("Input to reshape is a tensor with 6 values, but the requested shape has 4 (from [6] to [4]) [Op:Reshape]");
    expectOp(() => tf.expandDims([1, 2]), "int32", [1, 2], [[1, 2]]);
    expectOp(() => tf.expandDims([1, 2], -1), "int32", [2, 1], [[1], [2]]);
    expectOp(() => tf.squeeze([[[1], [2]]]), "int32", [2], [1, 2]);
    expectOp(() => tf.squeeze([[[1], [2]]], 2), "int32", [1, 2], [[1, 2]]);
    expect(() => tf.squeeze([[1, 2]], 1)).toThrow(InvalidArgumentError);
  });

  it("transpose (default reverses the axes)", () => {
    expectOp(() => tf.transpose([[1, 2, 3]]), "int32", [3, 1], [[1], [2], [3]]);
    expect(run(() => tf.transpose(tf.zeros([2, 3, 4]), [1, 0, 2])).shape).toEqual([3, 2, 4]);
    expect(run(() => tf.transpose(tf.zeros([2, 3, 4]))).shape).toEqual([4, 3, 2]);
    expect(() => tf.transpose([[1]], [0])).toThrow(InvalidArgumentError);
  });

  it("concat, stack, unstack, split", () => {
    expectOp(() => tf.concat([[1, 2], [3]]), "int32", [3], [1, 2, 3]);
    expectOp(() => tf.concat([[[1], [2]], [[3], [4]]], 1), "int32", [2, 2], [[1, 3], [2, 4]]);
    expectOp(() => tf.concat([[[1], [2]], [[3], [4]]], -1), "int32", [2, 2], [[1, 3], [2, 4]]);
    expect(() => tf.concat([[[1, 2]], [[3]]], 0)).toThrow("ConcatOp : Dimensions of inputs should match: shape[0] = [1,2] vs. shape[1] = [1,1] [Op:ConcatV2]");
    expectOp(() => tf.stack([[1, 2], [3, 4]]), "int32", [2, 2], [[1, 2], [3, 4]]);
    expectOp(() => tf.stack([[1, 2], [3, 4]], 1), "int32", [2, 2], [[1, 3], [2, 4]]);
    expectOp(() => tf.stack([1, 2]), "int32", [2], [1, 2]);
    const parts = (f: () => tf.Tensor[]) => {
      const ts = tf.tidy(f);
      const r = ts.map((t) => t.numpy());
      tf.dispose(ts);
      return r;
    };
    expect(parts(() => tf.unstack(tf.constant([[1, 2], [3, 4]])))).toEqual([[1, 2], [3, 4]]);
    expect(parts(() => tf.unstack(tf.constant([[1, 2], [3, 4]]), 1))).toEqual([[1, 3], [2, 4]]);
    // As TensorFlow: an axis of size 0 unstacks into no tensors; the other axis into empty ones.
    expect(parts(() => tf.unstack(tf.zeros([0, 3])))).toEqual([]);
    expect(parts(() => tf.unstack(tf.zeros([0, 3]), 1))).toEqual([[], [], []]);
    expect(parts(() => tf.split(tf.range(6), 3))).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(parts(() => tf.split(tf.range(6), [1, -1, 2]))).toEqual([[0], [1, 2, 3], [4, 5]]);
    expect(parts(() => tf.split(tf.reshape(tf.range(4), [2, 2]), 2, 1))).toEqual([[[0], [2]], [[1], [3]]]);
    expect(() => tf.tidy(() => tf.split(tf.range(5), 2))).toThrow(InvalidArgumentError);
  });

  it("slice (size -1 runs to the end), gather, tile, pad, broadcastTo", () => {
    expectOp(() => tf.slice([[1, 2, 3], [4, 5, 6]], [0, 1], [-1, 1]), "int32", [2, 1], [[2], [5]]);
    expectOp(() => tf.slice([1, 2, 3, 4], 1, 2), "int32", [2], [2, 3]);
    expectOp(() => tf.slice([1, 2, 3, 4], [2]), "int32", [2], [3, 4]);
    expect(() => tf.slice([1, 2], [1], [2])).toThrow(InvalidArgumentError);
    expectOp(() => tf.gather([[1, 2], [3, 4]], [1, 0]), "int32", [2, 2], [[3, 4], [1, 2]]);
    expectOp(() => tf.gather([[1, 2], [3, 4]], [1, 0], 1), "int32", [2, 2], [[2, 1], [4, 3]]);
    expectOp(() => tf.gather([10, 20, 30], [[2, 0], [1, 1]]), "int32", [2, 2], [[30, 10], [20, 20]]);
    expect(() => tf.gather([1, 2], [5])).toThrow("indices[0] = 5 is not in [0, 2) [Op:GatherV2]");
    expectOp(() => tf.tile([1, 2], [2]), "int32", [4], [1, 2, 1, 2]);
    expectOp(() => tf.tile([[1], [2]], [1, 2]), "int32", [2, 2], [[1, 1], [2, 2]]);
    expectOp(() => tf.pad([[1]], [[1, 1], [0, 1]], 9), "int32", [3, 2], [[9, 9], [1, 9], [9, 9]]);
    expectOp(() => tf.pad(f32([1, 2]), [[1, 0]]), "float32", [3], [0, 1, 2]);
    expectOp(() => tf.broadcastTo([1, 2], [2, 2]), "int32", [2, 2], [[1, 2], [1, 2]]);
    expect(() => tf.broadcastTo([1, 2], [3])).toThrow("Unable to broadcast tensor of shape [2] to tensor of shape [3] [Op:BroadcastTo]");
  });

  it("oneHot is float32, and index -1 gives a zero row", () => {
    expectOp(() => tf.oneHot([0, -1, 2], 3), "float32", [3, 3], [[1, 0, 0], [0, 0, 0], [0, 0, 1]]);
    expectOp(() => tf.oneHot([[1]], 2), "float32", [1, 1, 2], [[[0, 1]]]);
  });
});

describe("linear algebra and networks", () => {
  it("matmul with transposes and broadcast batch dims", () => {
    expectOp(() => tf.matmul([[1, 2]], [[3], [4]]), "int32", [1, 1], [[11]]);
    expectOp(() => tf.matmul([[1, 2], [3, 4]], [[1, 2], [3, 4]], { transposeA: true }), "int32", [2, 2], [[10, 14], [14, 20]]);
    expectOp(() => tf.matmul([[1, 2], [3, 4]], [[1, 2], [3, 4]], { transposeB: true }), "int32", [2, 2], [[5, 11], [11, 25]]);
    expectOp(() => tf.matmul(tf.ones([2, 1, 3, 2]), tf.ones([4, 2, 1])), "float32", [2, 4, 3, 1], Array.from({ length: 2 }, () => Array.from({ length: 4 }, () => [[2], [2], [2]])));
    expect(() => tf.matmul([[1, 2]], [[1, 2]])).toThrow("Matrix size-incompatible: In[0]: [1,2], In[1]: [1,2] [Op:MatMul]");
  });

  it("softmax, logSoftmax, relu", () => {
    const e = [1, 2, 3].map(Math.exp);
    const s = e.reduce((a, b) => a + b);
    expectOp(() => tf.nn.softmax(f32([1, 2, 3])), "float32", [3], e.map((v) => v / s), 6);
    expectOp(() => tf.nn.softmax(f32([[1, 1], [3, 3]]), 0), "float32", [2, 2], [[1 / (1 + Math.exp(2)), 1 / (1 + Math.exp(2))], [1 / (1 + Math.exp(-2)), 1 / (1 + Math.exp(-2))]], 6);
    expectOp(() => tf.nn.softmax(f32([1000, 0])), "float32", [2], [1, 0], 6);
    expectOp(() => tf.nn.logSoftmax(f32([1, 2, 3])), "float32", [3], e.map((v) => Math.log(v / s)), 5);
    expectOp(() => tf.nn.relu(f32([-1, 0.5])), "float32", [2], [0, 0.5]);
  });

  it("conv2d (NHWC, HWIO, SAME/VALID, strides)", () => {
    const x = () => tf.ones([1, 3, 3, 1]);
    const w = () => tf.ones([2, 2, 1, 1]);
    expectOp(() => tf.nn.conv2d(x(), w(), 1, "SAME"), "float32", [1, 3, 3, 1], [[[[4], [4], [2]], [[4], [4], [2]], [[2], [2], [1]]]]);
    expectOp(() => tf.nn.conv2d(x(), w(), 1, "VALID"), "float32", [1, 2, 2, 1], [[[[4], [4]], [[4], [4]]]]);
    expectOp(() => tf.nn.conv2d(x(), w(), [2, 2], "SAME"), "float32", [1, 2, 2, 1], [[[[4], [2]], [[2], [1]]]]);
    // Two output channels, cross-correlation (no kernel flip).
    const img = () => tf.reshape(f32([1, 2, 3, 4]), [1, 2, 2, 1]);
    const k = () => tf.reshape(f32([1, 0, 0, 0, 0, 0, 0, 1]), [2, 2, 1, 2]);
    expectOp(() => tf.nn.conv2d(img(), k(), 1, "VALID"), "float32", [1, 1, 1, 2], [[[[1, 4]]]]);
  });

  it("VALID windows larger than the input: empty when one short, TensorFlow's error beyond", () => {
    const big = tf.ones([3, 3, 1, 1]);
    const small = tf.ones([1, 2, 2, 1]);
    const tiny = tf.ones([1, 1, 1, 1]);
    const empty = tf.nn.conv2d(small, big, 1, "VALID");
    expect(empty.shape).toEqual([1, 0, 0, 1]);
    expect(() => tf.nn.conv2d(tiny, big, 1, "VALID")).toThrow(
      new tf.errors.InvalidArgumentError("Computed output size would be negative: -1 [input_size: 1, effective_filter_size: 3, stride: 1] [Op:Conv2D]"),
    );
    expect(() => tf.nn.maxPool2d(tiny, 3, 1, "VALID")).toThrow(/Computed output size would be negative: -1.*\[Op:MaxPool\]/);
    tf.dispose([big, small, tiny, empty]);
  });

  it("maxPool2d and avgPool2d (padding never counted)", () => {
    const x = () => tf.reshape(tf.range(16, undefined, undefined, "float32"), [1, 4, 4, 1]);
    expectOp(() => tf.nn.maxPool2d(x(), 2, 2, "VALID"), "float32", [1, 2, 2, 1], [[[[5], [7]], [[13], [15]]]]);
    expectOp(() => tf.nn.avgPool2d(x(), 2, 2, "VALID"), "float32", [1, 2, 2, 1], [[[[2.5], [4.5]], [[10.5], [12.5]]]]);
    const y = () => tf.reshape(f32([1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 3, 3, 1]);
    expectOp(() => tf.nn.avgPool2d(y(), 2, 2, "SAME"), "float32", [1, 2, 2, 1], [[[[3], [4.5]], [[7.5], [9]]]]);
    expectOp(() => tf.nn.maxPool2d(tf.neg(y()), [2, 2], [2, 2], "SAME"), "float32", [1, 2, 2, 1], [[[[-1], [-3]], [[-7], [-9]]]]);
  });

  it("sparseSoftmaxCrossEntropyWithLogits gives per-example losses", () => {
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    expectOp(() => tf.nn.sparseSoftmaxCrossEntropyWithLogits([0, 2], f32([[1, 2, 3], [1, 2, 3]])), "float32", [2], [lse - 1, lse - 3], 5);
    expect(() => tf.tidy(() => tf.nn.sparseSoftmaxCrossEntropyWithLogits([0], f32([[1, 2], [3, 4]])))).toThrow(InvalidArgumentError);
  });
});

describe("dtype rules", () => {
  it("a JS number takes the dtype of the tensor it meets", () => {
    expect(run(() => tf.add(f32([1.5]), 1)).dtype).toBe("float32");
    expect(run(() => tf.add(tf.constant([1]), 1)).dtype).toBe("int32");
    expect(run(() => tf.multiply(tf.constant(new Float64Array([1, 2])), 3)).dtype).toBe("float64");
    expectOp(() => tf.multiply(new Float64Array([1, 2]), 3), "float64", [2], [3, 6]);
    expectOp(() => tf.add(new Float64Array([1]), [2]), "float64", [1], [3]);
    expectOp(() => tf.subtract(5, f32([1])), "float32", [1], [4]);
    // An int32 tensor cannot hold a fractional JS number.
    expect(() => tf.tidy(() => tf.add(tf.constant([1, 2]), 1.5))).toThrow("Cannot convert 1.5 to EagerTensor of dtype int32 [Op:Add]");
  });

  it("plain JS values alone are inferred together", () => {
    expectOp(() => tf.add([1, 2], [1.5, 2]), "float32", [2], [2.5, 4]);
    expectOp(() => tf.add(1, 2), "int32", [], 3);
  });

  it("two tensors of different dtypes are a DtypeError, as in TensorFlow", () => {
    const a = tf.constant([1, 2]);
    const b = f32([1, 2]);
    expect(() => tf.add(a, b)).toThrow(DtypeError);
    expect(() => tf.add(a, b)).toThrow("cannot compute Add as input #1(zero-based) was expected to be a int32 tensor (like input #0) but is a float32 tensor [Op:Add]");
    expect(() => tf.tidy(() => tf.matmul(tf.reshape(b, [1, 2]), tf.reshape(a, [2, 1])))).toThrow(DtypeError);
    expect(() => tf.add(new Float64Array([1]), new Float32Array([2]))).toThrow(DtypeError);
    expectOp(() => tf.add(tf.cast(a, "float32"), b), "float32", [2], [2, 4]);
    tf.dispose([a, b]);
  });

  it("int32 true division gives float64", () => {
    expectOp(() => tf.divide(5, 2), "float64", [], 2.5);
    expectOp(() => tf.divide([1, 2], [4, 8]), "float64", [2], [0.25, 0.25]);
    expectOp(() => tf.divide([1], 0), "float64", [1], [Infinity]);
  });

  it("int32 arithmetic wraps around", () => {
    expectOp(() => tf.add([2147483647], 1), "int32", [1], [-2147483648]);
    expectOp(() => tf.multiply([65536], [65536]), "int32", [1], [0]);
  });

  it("ndarray-likes are accepted by ops", () => {
    expectOp(() => tf.add({ data: [1, 2, 3, 4], shape: [2, 2] }, 1), "int32", [2, 2], [[2, 3], [4, 5]]);
    expectOp(() => tf.matmul({ data: new Float32Array([1, 2, 3, 4]), shape: [2, 2], stride: [1, 2] }, f32([[1], [1]])), "float32", [2, 1], [[4], [6]]);
  });
});

describe("method chaining", () => {
  it("tf.square(2).add(tf.square(3)) is 13", () => {
    expectOp(() => tf.square(2).add(tf.square(3)), "int32", [], 13);
  });

  it("long chains", () => {
    expectOp(() => f32([[1, 2], [3, 4]]).transpose().matmul(f32([[1], [1]])).reshape([2]).relu().softmax().reduceSum(), "float32", [], 1, 6);
    expectOp(() => tf.range(6).reshape([2, 3]).cast("float32").mul(0.5).reduceMax({ axis: 1 }).expandDims(0), "float32", [1, 2], [[1, 2.5]]);
  });

  it("every op of API.md whose first argument is a tensor is also a method", () => {
    const methods = [
      "add", "subtract", "multiply", "divide", "floorDiv", "mod", "pow", "maximum", "minimum", "squaredDifference", "equal", "notEqual",
      "less", "lessEqual", "greater", "greaterEqual", "logicalAnd", "logicalOr", "neg", "abs", "sign", "square", "sqrt", "rsqrt", "exp",
      "log", "log1p", "sin", "cos", "tanh", "sigmoid", "relu", "elu", "softplus", "floor", "ceil", "round", "reciprocal", "logicalNot",
      "cast", "real", "imag", "reduceSum", "reduceMean", "reduceMax", "reduceMin", "reduceProd", "reduceAll", "reduceAny",
      "reduceLogSumExp", "argmax", "argmin", "reshape", "transpose", "expandDims", "squeeze", "unstack", "split", "slice", "gather",
      "tile", "pad", "broadcastTo", "oneHot", "matmul", "softmax", "logSoftmax", "conv2d", "maxPool2d", "avgPool2d", "concat", "dispose",
    ];
    const t = tf.zeros([1]);
    const missing = methods.filter((m) => typeof (t as unknown as Record<string, unknown>)[m] !== "function");
    t.dispose();
    expect(missing).toEqual([]);
    // A method gives what the function gives.
    expectOp(() => f32([1, 4]).sqrt().pow(3).sub(1), "float32", [2], [0, 7]);
    expectOp(() => tf.constant([[1, 2]]).concat([tf.constant([[3, 4]])], 0), "int32", [2, 2], [[1, 2], [3, 4]]);
  });
});

describe("error classes", () => {
  it("are exported, extend Error, and name the op, shapes and dtypes", () => {
    for (const C of [InvalidArgumentError, ValueError, DtypeError]) expect(new C("x")).toBeInstanceOf(Error);
    let err: unknown;
    try {
      tf.tidy(() => tf.add(tf.zeros([2]), tf.zeros([3])));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toBe("Incompatible shapes: [2] vs. [3] [Op:Add]");
    expect((err as Error).name).toBe("InvalidArgumentError");
  });

  it("a failed op leaves its inputs and tf.memory() unchanged", () => {
    const a = tf.constant([1, 2]);
    const b = tf.constant([1, 2, 3]);
    const m = tf.memory();
    expect(() => tf.add(a, b)).toThrow(InvalidArgumentError);
    expect(() => tf.add(a, [1, 2, 3])).toThrow(InvalidArgumentError);
    expect(() => tf.matmul(a, b)).toThrow(InvalidArgumentError);
    expect(() => tf.add(a, [[1], [2, 3]])).toThrow(ValueError);
    // A later argument failing to convert frees the temporaries made from earlier ones.
    expect(() => tf.add([1, 2], [1e10])).toThrow(DtypeError);
    expect(() => tf.concat([[1], [2], [1e10]])).toThrow(DtypeError);
    expect(() => tf.where([true], [1], [1e10])).toThrow(DtypeError);
    expect(() => tf.gather([1, 2], [1.5])).toThrow(DtypeError);
    expect(() => tf.nn.sparseSoftmaxCrossEntropyWithLogits([0], [[1e10]])).toThrow(DtypeError);
    expect(tf.memory()).toEqual(m);
    expect(a.numpy()).toEqual([1, 2]);
    expect(b.numpy()).toEqual([1, 2, 3]);
    tf.dispose([a, b]);
  });
});
