/**
 * The real `ndarray` package's objects (including strided views) are accepted wherever a tensor is,
 * and `t.numpy()` / `t.dataSync()` feed back into it. (`@stdlib/ndarray` cannot be installed here — one
 * of its dependencies is fetched from GitHub — so its layout is checked with a hand-made object.)
 */
import ndarray from "ndarray";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as tf from "../src/index.js";

let before = 0;
beforeEach(async () => {
  await tf.setBackend("js");
  before = tf.memory().numTensors;
});
afterEach(() => {
  // Conversions made for op arguments are freed by the op.
  expect(tf.memory().numTensors).toBe(before);
});

/** Reads a tensor and frees it. */
function read(t: tf.Tensor) {
  const v = { shape: t.shape, dtype: t.dtype, value: t.numpy() };
  t.dispose();
  return v;
}

describe("ndarray objects as tensors", () => {
  const a = ndarray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);

  it("tf.constant takes a contiguous ndarray, with its typed array's dtype", () => {
    expect(read(tf.constant(a))).toEqual({ shape: [2, 3], dtype: "float32", value: [[1, 2, 3], [4, 5, 6]] });
    expect(read(tf.constant(ndarray(new Float64Array([0.5, 1.5]), [2, 1])))).toEqual({ shape: [2, 1], dtype: "float64", value: [[0.5], [1.5]] });
    expect(read(tf.constant(ndarray(new Int32Array([7, -8]), [2])))).toEqual({ shape: [2], dtype: "int32", value: [7, -8] });
    expect(read(tf.constant(ndarray(new Uint8Array([255, 0]), [1, 2])))).toEqual({ shape: [1, 2], dtype: "int32", value: [[255, 0]] });
    expect(read(tf.constant(ndarray([1, 2, 3, 4], [2, 2])))).toEqual({ shape: [2, 2], dtype: "int32", value: [[1, 2], [3, 4]] });
    expect(read(tf.constant(a, "float64"))).toEqual({ shape: [2, 3], dtype: "float64", value: [[1, 2, 3], [4, 5, 6]] });
  });

  it("honours strides and offsets: transposed, sliced, stepped and picked views", () => {
    const t = a.transpose(1, 0);
    expect(t.stride).toEqual([1, 3]);
    expect(read(tf.constant(t)).value).toEqual([[1, 4], [2, 5], [3, 6]]);
    const sliced = a.lo(0, 1).hi(2, 2); // columns 1..2, offset 1
    expect(sliced.offset).toBe(1);
    expect(read(tf.constant(sliced)).value).toEqual([[2, 3], [5, 6]]);
    const reversed = a.step(-1, 2); // rows reversed, every other column: negative stride
    expect(read(tf.constant(reversed)).value).toEqual([[4, 6], [1, 3]]);
    const column = a.pick(null, 2);
    expect(read(tf.constant(column))).toEqual({ shape: [2], dtype: "float32", value: [3, 6] });
    const big = ndarray(new Float32Array(60).map((_, i) => i), [3, 4, 5]);
    const view = big.transpose(2, 0, 1).lo(1, 1, 2).step(2, 1, -1);
    const expected = [];
    for (let i = 0; i < view.shape[0]!; i++) {
      const row = [];
      for (let j = 0; j < view.shape[1]!; j++) {
        const col = [];
        for (let k = 0; k < view.shape[2]!; k++) col.push(view.get(i, j, k));
        row.push(col);
      }
      expected.push(row);
    }
    expect(read(tf.constant(view))).toEqual({ shape: view.shape, dtype: "float32", value: expected });
  });

  it("every op accepts them", () => {
    expect(read(tf.add(a, 1)).value).toEqual([[2, 3, 4], [5, 6, 7]]);
    expect(read(tf.reduceSum(a.transpose(1, 0), { axis: 1 })).value).toEqual([5, 7, 9]);
    const b = ndarray(new Float32Array([1, 0, 0, 1, 1, 1]), [3, 2]);
    expect(read(tf.matmul(a, b))).toEqual({ shape: [2, 2], dtype: "float32", value: [[4, 5], [10, 11]] });
    expect(read(tf.matmul(a, a.transpose(1, 0))).value).toEqual([[14, 32], [32, 77]]);
    const x = tf.constant([[10, 20, 30]], "float32");
    expect(read(tf.multiply(x, a.pick(1, null))).value).toEqual([[40, 100, 180]]);
    expect(read(x.sub(a)).value).toEqual([[9, 18, 27], [6, 15, 24]]);
    x.dispose();
    expect(read(tf.square(ndarray(new Float64Array([3]), [])))).toEqual({ shape: [], dtype: "float64", value: 9 });
  });

  it("meeting a tensor, an ndarray takes its dtype (as TensorFlow converts a NumPy array)", () => {
    const f32 = tf.constant([1.5, 2.5]);
    expect(read(tf.add(f32, ndarray(new Float64Array([1, 2]), [2])))).toEqual({ shape: [2], dtype: "float32", value: [2.5, 4.5] });
    f32.dispose();
  });
});

describe("numpy() and dataSync() feed ndarray", () => {
  it("round-trips through nested arrays and typed arrays", () => {
    const t = tf.tidy(() => tf.matmul(tf.constant([[1, 2], [3, 4]], "float32"), tf.constant([[0, 1], [1, 0]], "float32")));
    const nested = t.numpy() as number[][];
    const fromNested = ndarray(Float32Array.from(nested.flat()), t.shape);
    expect(fromNested.get(0, 0)).toBe(2);
    expect(fromNested.get(1, 1)).toBe(3);
    const fromData = ndarray(Float32Array.from(t.dataSync() as Float32Array), t.shape);
    expect(fromData.transpose(1, 0).get(0, 1)).toBe(4);
    // ...and back into Tessera again, transposed.
    const back = tf.constant(fromData.transpose(1, 0));
    expect(back.numpy()).toEqual([[2, 4], [1, 3]]);
    back.dispose();
    t.dispose();
  });
});

describe("@stdlib/ndarray's layout", () => {
  it("honours `strides`, `offset` and column-major order", () => {
    // What `new ndarray("float64", buf, [2, 3], [1, 2], 0, "column-major")` exposes.
    const columnMajor = { dtype: "float64", data: new Float64Array([1, 4, 2, 5, 3, 6]), shape: [2, 3], strides: [1, 2], offset: 0, order: "column-major" };
    expect(read(tf.constant(columnMajor))).toEqual({ shape: [2, 3], dtype: "float64", value: [[1, 2, 3], [4, 5, 6]] });
    const negative = { data: new Float64Array([1, 2, 3, 4]), shape: [2, 2], strides: [-2, 1], offset: 2 };
    expect(read(tf.constant(negative)).value).toEqual([[3, 4], [1, 2]]);
  });
});
