/**
 * API.md "Dtypes and tensors" on the js backend: dtype constants and inference, tf.constant's
 * options, the creation functions, properties, reading, printing, and what bad values do.
 */
import "@tessera/backend-js";
import * as tf from "@tessera/core";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { onJsFreeingEverything } from "./helpers/js-backend.js";

const { ValueError, DtypeError, InvalidArgumentError } = tf.errors;

onJsFreeingEverything("every test frees what it makes");

/** Shape, dtype and value of a tensor, which is then freed. */
function read(t: tf.Tensor): { shape: number[]; dtype: string; value: unknown } {
  const r = { shape: t.shape.slice(), dtype: t.dtype, value: t.numpy() };
  t.dispose();
  return r;
}

describe("dtypes", () => {
  it("are strings, also exported as constants", () => {
    expect([tf.bool, tf.int32, tf.float32, tf.float64, tf.complex64, tf.string]).toEqual(["bool", "int32", "float32", "float64", "complex64", "string"]);
    expect(tf.float32 === "float32").toBe(true);
  });

  it("are inferred as API.md says", () => {
    expect(read(tf.constant([1, 2])).dtype).toBe("int32");
    expect(read(tf.constant(7)).dtype).toBe("int32");
    expect(read(tf.constant([1, 2.5])).dtype).toBe("float32");
    expect(read(tf.constant(-1.5)).dtype).toBe("float32");
    expect(read(tf.constant(new Float64Array([1, 2]))).dtype).toBe("float64");
    expect(read(tf.constant(new Float32Array([1, 2]))).dtype).toBe("float32");
    for (const ta of [new Int32Array(2), new Uint8Array(2), new Int8Array(2), new Int16Array(2), new Uint16Array(2), new Uint8ClampedArray(2), new Uint32Array(2)]) {
      expect(read(tf.constant(ta)).dtype, ta.constructor.name).toBe("int32");
    }
    expect(read(tf.constant([true, false])).dtype).toBe("bool");
    expect(read(tf.constant(["a", "b"])).dtype).toBe("string");
    expect(read(tf.constant({ re: 1, im: 2 })).dtype).toBe("complex64");
    expect(read(tf.constant([[{ re: 1, im: 0 }], [{ re: 0, im: 1 }]]))).toEqual({ shape: [2, 1], dtype: "complex64", value: [[{ re: 1, im: 0 }], [{ re: 0, im: 1 }]] });
    // Typed-array rows inside a plain array keep their float dtype.
    expect(read(tf.constant([new Float64Array([1, 2]), new Float64Array([3, 4])]))).toEqual({ shape: [2, 2], dtype: "float64", value: [[1, 2], [3, 4]] });
    // An empty array is float32, as tf.constant([]) is in TensorFlow.
    expect(read(tf.constant([]))).toEqual({ shape: [0], dtype: "float32", value: [] });
  });

  it("an integer outside int32 is not silently wrapped", () => {
    expect(() => tf.constant([2147483648])).toThrow(DtypeError);
    expect(() => tf.constant([3e9])).toThrow(/Cannot convert 3000000000 to EagerTensor of dtype int32/);
    expect(() => tf.constant(new Uint32Array([4294967295]))).toThrow(DtypeError);
    expect(read(tf.constant([3e9], "float32")).value).toEqual([3e9]);
  });
});

describe("tf.constant", () => {
  it("takes a dtype or { dtype, shape }", () => {
    expect(read(tf.constant([1, 2], "float64"))).toEqual({ shape: [2], dtype: "float64", value: [1, 2] });
    expect(read(tf.constant([1, 2], { dtype: "float32" }))).toEqual({ shape: [2], dtype: "float32", value: [1, 2] });
    expect(read(tf.constant([1, 2, 3, 4, 5, 6], { shape: [2, 3] })).value).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(read(tf.constant([1, 2, 3, 4], { dtype: "float64", shape: [2, 2] }))).toEqual({ shape: [2, 2], dtype: "float64", value: [[1, 2], [3, 4]] });
  });

  it("fills a shape from a scalar", () => {
    expect(read(tf.constant(-1.5, { shape: [2, 3] }))).toEqual({ shape: [2, 3], dtype: "float32", value: [[-1.5, -1.5, -1.5], [-1.5, -1.5, -1.5]] });
    // A JS number cannot say "-1.0": an integer is int32 unless a dtype is given.
    expect(read(tf.constant(-1.0, { shape: [2, 3] })).dtype).toBe("int32");
    expect(read(tf.constant(-1.0, { shape: [2, 3], dtype: "float32" })).value).toEqual([[-1, -1, -1], [-1, -1, -1]]);
    expect(read(tf.constant(true, { shape: [2] }))).toEqual({ shape: [2], dtype: "bool", value: [true, true] });
    expect(read(tf.constant({ re: 1, im: -1 }, { shape: [2] })).value).toEqual([{ re: 1, im: -1 }, { re: 1, im: -1 }]);
    expect(read(tf.constant(5, { shape: [0, 3] }))).toEqual({ shape: [0, 3], dtype: "int32", value: [] });
  });

  it("rejects a shape with another element count, naming both", () => {
    expect(() => tf.constant([1, 2, 3], { shape: [2, 2] })).toThrow(ValueError);
    expect(() => tf.constant([1, 2, 3], { shape: [2, 2] })).toThrow("Tensor has 3 elements, but got `shape` (2, 2) with 4 elements");
  });

  it("copies another tensor (same dtype) and may reshape it", () => {
    const a = tf.constant([1, 2, 3, 4]);
    expect(read(tf.constant(a, { shape: [2, 2] })).value).toEqual([[1, 2], [3, 4]]);
    expect(() => tf.constant(a, "float32")).toThrow(DtypeError);
    a.dispose();
  });

  it("rejects values the dtype cannot hold", () => {
    expect(() => tf.constant([1.5], "int32")).toThrow("Cannot convert 1.5 to EagerTensor of dtype int32 [Op:Const]");
    expect(() => tf.constant([NaN], "int32")).toThrow(DtypeError);
    expect(() => tf.constant([Infinity], "int32")).toThrow(DtypeError);
    expect(() => tf.constant([1], "bool")).toThrow(DtypeError);
    expect(() => tf.constant(["1"], "float32")).toThrow(DtypeError);
    expect(() => tf.constant([1, 2], "float16" as tf.DType)).toThrow(/Unknown dtype "float16"/);
  });

  it("rejects ragged and mixed nested arrays", () => {
    expect(() => tf.constant([[1, 2], [3]])).toThrow(ValueError);
    expect(() => tf.constant([[1, 2], [3]])).toThrow(/non-rectangular.*\[2, 2\]/);
    expect(() => tf.constant([[1], 2] as unknown as number[][])).toThrow(/non-rectangular/);
    expect(() => tf.constant([1, true] as unknown as number[])).toThrow(/mixing number and boolean/);
    expect(() => tf.constant([null] as unknown as number[])).toThrow(ValueError);
    expect(() => tf.constant(10n as unknown as number)).toThrow(DtypeError);
  });

  it("rejects NaN, negative and fractional dimensions", () => {
    expect(() => tf.constant([1, 2], { shape: [NaN] })).toThrow(/shape must contain non-negative integers, got \[NaN\]/);
    expect(() => tf.zeros([NaN, 2])).toThrow(ValueError);
    expect(() => tf.ones([-1])).toThrow(ValueError);
    expect(() => tf.fill([1.5], 0)).toThrow(ValueError);
    expect(() => tf.constant({ data: [1, 2], shape: [NaN] })).toThrow(ValueError);
  });

  it("takes ndarray-likes: { data, shape } with stride/strides and offset", () => {
    expect(read(tf.constant({ data: [1, 2, 3, 4, 5, 6], shape: [2, 3] }))).toEqual({ shape: [2, 3], dtype: "int32", value: [[1, 2, 3], [4, 5, 6]] });
    // `ndarray` spells it stride, @stdlib/ndarray strides.
    expect(read(tf.constant({ data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [3, 2], stride: [1, 3] }))).toEqual({ shape: [3, 2], dtype: "float32", value: [[1, 4], [2, 5], [3, 6]] });
    expect(read(tf.constant({ data: new Float64Array([0, 1, 2, 3, 4, 5, 6]), shape: [3], strides: [2], offset: 1 }))).toEqual({ shape: [3], dtype: "float64", value: [1, 3, 5] });
    expect(read(tf.constant({ data: [1, 2, 3], shape: [3], stride: [-1], offset: 2 })).value).toEqual([3, 2, 1]);
    expect(() => tf.constant({ data: [1, 2, 3], shape: [2, 2] })).toThrow(/3 elements but shape \[2, 2\] needs 4/);
  });
});

describe("creation functions", () => {
  it("zeros, ones, fill", () => {
    expect(read(tf.zeros([2, 2]))).toEqual({ shape: [2, 2], dtype: "float32", value: [[0, 0], [0, 0]] });
    expect(read(tf.ones([3], "int32"))).toEqual({ shape: [3], dtype: "int32", value: [1, 1, 1] });
    expect(read(tf.ones([2], "bool")).value).toEqual([true, true]);
    expect(read(tf.zeros([2], "string")).value).toEqual(["", ""]);
    expect(read(tf.ones([1], "complex64")).value).toEqual([{ re: 1, im: 0 }]);
    expect(read(tf.zeros([]))).toEqual({ shape: [], dtype: "float32", value: 0 });
    expect(read(tf.fill([2], 7))).toEqual({ shape: [2], dtype: "int32", value: [7, 7] });
    expect(read(tf.fill([2], 7.5))).toEqual({ shape: [2], dtype: "float32", value: [7.5, 7.5] });
    expect(read(tf.fill([2], 7, "float64")).dtype).toBe("float64");
    expect(read(tf.fill([1, 2], "x")).value).toEqual([["x", "x"]]);
    expect(read(tf.fill([2], false)).value).toEqual([false, false]);
    expect(() => tf.fill([2], 1.5, "int32")).toThrow(DtypeError);
    expect(() => tf.ones([2], "string")).toThrow(DtypeError);
  });

  it("zerosLike and onesLike keep shape and dtype", () => {
    const a = tf.constant([[1.5, 2]], "float64");
    expect(read(tf.zerosLike(a))).toEqual({ shape: [1, 2], dtype: "float64", value: [[0, 0]] });
    expect(read(tf.onesLike(a))).toEqual({ shape: [1, 2], dtype: "float64", value: [[1, 1]] });
    expect(read(tf.onesLike([true, false]))).toEqual({ shape: [2], dtype: "bool", value: [true, true] });
    a.dispose();
  });

  it("range counts like Python's range, int32 for integers", () => {
    expect(read(tf.range(5))).toEqual({ shape: [5], dtype: "int32", value: [0, 1, 2, 3, 4] });
    expect(read(tf.range(2, 5))).toEqual({ shape: [3], dtype: "int32", value: [2, 3, 4] });
    expect(read(tf.range(5, 0, -2)).value).toEqual([5, 3, 1]);
    expect(read(tf.range(0, 1, 0.25))).toEqual({ shape: [4], dtype: "float32", value: [0, 0.25, 0.5, 0.75] });
    expect(read(tf.range(0, 3, 1, "float64")).dtype).toBe("float64");
    expect(read(tf.range(3, 0)).value).toEqual([]);
    expect(() => tf.range(0, 3, 0)).toThrow(InvalidArgumentError);
    expect(() => tf.range(0, NaN)).toThrow(InvalidArgumentError);
  });

  it("eye", () => {
    expect(read(tf.eye(2))).toEqual({ shape: [2, 2], dtype: "float32", value: [[1, 0], [0, 1]] });
    expect(read(tf.eye(2, 3)).value).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(read(tf.eye(2, 2, "int32")).dtype).toBe("int32");
    expect(() => tf.eye(-1)).toThrow(InvalidArgumentError);
  });

  it("complex from float32 parts, broadcast", () => {
    expect(read(tf.tidy(() => tf.complex(tf.constant([1.5, 2]), tf.constant([0.5, -1]))))).toEqual({ shape: [2], dtype: "complex64", value: [{ re: 1.5, im: 0.5 }, { re: 2, im: -1 }] });
    expect(read(tf.complex(1.5, [1.5, 2.5])).value).toEqual([{ re: 1.5, im: 1.5 }, { re: 1.5, im: 2.5 }]);
    // As in TensorFlow, integer parts are an error.
    expect(() => tf.complex([1, 2], [3, 4])).toThrow(DtypeError);
  });
});

describe("properties and reading", () => {
  it("shape, dtype, rank, size", () => {
    const t = tf.zeros([2, 3, 0]);
    expect([t.shape, t.dtype, t.rank, t.size]).toEqual([[2, 3, 0], "float32", 3, 0]);
    const s = tf.constant(1.5);
    expect([s.shape, s.rank, s.size]).toEqual([[], 0, 1]);
    tf.dispose([t, s]);
  });

  it("data/dataSync give typed arrays, array/arraySync/numpy nested arrays (fresh copies)", async () => {
    const t = tf.constant([[1, 2], [3, 4]]);
    const d = await t.data();
    expect(d).toBeInstanceOf(Int32Array);
    expect(Array.from(d as Int32Array)).toEqual([1, 2, 3, 4]);
    expect(Array.from(t.dataSync() as Int32Array)).toEqual([1, 2, 3, 4]);
    // (data() may be the tensor's own storage on js — read-only, as documented — but nested arrays are the caller's.)
    const nested = t.arraySync() as number[][];
    nested[0]![0] = 99;
    expect(await t.array()).toEqual([[1, 2], [3, 4]]);
    expect(t.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(t.numpy()).toEqual([[1, 2], [3, 4]]);
    t.dispose();
    const f = tf.constant(new Float64Array([0.1]));
    expect(f.dataSync()).toBeInstanceOf(Float64Array);
    f.dispose();
  });

  it("numpy() of a scalar is a bare number, boolean, string or {re, im}", () => {
    expect(read(tf.constant(25)).value).toBe(25);
    expect(read(tf.constant(2.5)).value).toBe(2.5);
    expect(read(tf.constant(true)).value).toBe(true);
    expect(read(tf.constant("abc")).value).toBe("abc");
    expect(read(tf.constant({ re: 1, im: 2 })).value).toEqual({ re: 1, im: 2 });
  });

  it("strings read back as string[], bool as 0/1 bytes, complex64 interleaved", async () => {
    const s = tf.constant(["a", "bc"]);
    expect(await s.data()).toEqual(["a", "bc"]);
    const b = tf.constant([true, false]);
    expect(Array.from(b.dataSync() as Uint8Array)).toEqual([1, 0]);
    const c = tf.constant([{ re: 1, im: 2 }, { re: 3, im: 4 }]);
    expect(Array.from(c.dataSync() as Float32Array)).toEqual([1, 2, 3, 4]);
    tf.dispose([s, b, c]);
  });
});

describe("printing (TensorFlow's format with NumPy's numbers)", () => {
  const text = (t: tf.Tensor) => {
    const s = t.toString();
    t.dispose();
    return s;
  };

  it("toString as API.md shows", () => {
    expect(text(tf.constant([4, 6]))).toBe("tf.Tensor([4 6], shape=(2,), dtype=int32)");
    expect(text(tf.constant(25))).toBe("tf.Tensor(25, shape=(), dtype=int32)");
    expect(text(tf.tidy(() => tf.ones([3, 3], "float64").mul(3)))).toBe("tf.Tensor(\n[[3. 3. 3.]\n [3. 3. 3.]\n [3. 3. 3.]], shape=(3, 3), dtype=float64)");
    expect(text(tf.constant([1.5, 2, 3.25]))).toBe("tf.Tensor([1.5  2.   3.25], shape=(3,), dtype=float32)");
    expect(text(tf.constant([NaN, Infinity, -Infinity, 1.5]))).toBe("tf.Tensor([ nan  inf -inf  1.5], shape=(4,), dtype=float32)");
    expect(text(tf.constant([[true, false]]))).toBe("tf.Tensor([[ True False]], shape=(1, 2), dtype=bool)");
    expect(text(tf.constant(["a", "bc"]))).toBe("tf.Tensor([b'a' b'bc'], shape=(2,), dtype=string)");
    expect(text(tf.constant([{ re: 1, im: -2 }]))).toBe("tf.Tensor([1.-2.j], shape=(1,), dtype=complex64)");
    expect(text(tf.zeros([0, 2]))).toBe("tf.Tensor([], shape=(0, 2), dtype=float32)");
  });

  it("summarises large tensors with ...", () => {
    expect(text(tf.range(2000))).toBe("tf.Tensor([   0    1    2 ... 1997 1998 1999], shape=(2000,), dtype=int32)");
  });

  it("util.inspect and console.log print the same", () => {
    const t = tf.constant([4, 6]);
    expect(inspect(t)).toBe("tf.Tensor([4 6], shape=(2,), dtype=int32)");
    expect(inspect({ t })).toBe("{ t: tf.Tensor([4 6], shape=(2,), dtype=int32) }");
    t.dispose();
    expect(t.toString()).toBe("tf.Tensor(<disposed>, shape=(2,), dtype=int32)");
  });
});

describe("disposed tensors", () => {
  it("cannot be read or used, with a clear ValueError", async () => {
    const t = tf.constant([1, 2]);
    t.dispose();
    t.dispose(); // idempotent
    expect(() => t.dataSync()).toThrow(ValueError);
    expect(() => t.dataSync()).toThrow(/is disposed and can no longer be used \[Op:dataSync\]/);
    await expect(t.data()).rejects.toThrow(/disposed/);
    expect(() => t.arraySync()).toThrow(/disposed/);
    expect(() => tf.add(t, 1)).toThrow(/disposed and can no longer be used \[Op:Add\]/);
    expect(() => t.add(1)).toThrow(ValueError);
    expect(() => tf.reshape(t, [2, 1])).toThrow(/\[Op:Reshape\]/);
    expect(() => tf.constant(t)).toThrow(/disposed/);
  });
});
