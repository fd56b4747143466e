/** API.md "Variables" on the js backend: construction, both pitfalls, unknown shapes, updates, snapshots, printing. */
import "@tessera/backend-js";
import * as tf from "@tessera/core";
import { inspect } from "node:util";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

const { ValueError, DtypeError } = tf.errors;

let before = 0;
const made: tf.Tensor[] = [];
/** Registers a variable (or tensor) to free after the test. */
const own = <T extends tf.Tensor>(t: T): T => {
  made.push(t);
  return t;
};

beforeAll(async () => {
  await tf.setBackend("js");
});
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  tf.dispose(made.splice(0));
  expect(tf.memory().numTensors, "every test frees what it makes").toBe(before);
});

describe("tf.Variable", () => {
  it("prints as TensorFlow does", () => {
    const v = own(new tf.Variable([1, 2]));
    expect(v.toString()).toBe("<tf.Variable 'Variable:0' shape=(2,) dtype=int32, numpy=array([1, 2], dtype=int32)>");
    expect(inspect(v)).toBe(v.toString());
    expect(own(new tf.Variable(1.5)).toString()).toBe("<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=1.5>");
    expect(own(new tf.Variable(new Float64Array([1.5, 2]))).toString()).toBe("<tf.Variable 'Variable:0' shape=(2,) dtype=float64, numpy=array([1.5, 2. ])>");
    expect(own(new tf.Variable([[1.5, 2], [3, 4]])).toString()).toBe(
      "<tf.Variable 'Variable:0' shape=(2, 2) dtype=float32, numpy=\narray([[1.5, 2. ],\n       [3. , 4. ]], dtype=float32)>",
    );
  });

  it("takes { dtype, shape, trainable, name }", () => {
    const v = own(new tf.Variable([1, 2], { dtype: "float32", name: "w", trainable: false }));
    expect([v.dtype, v.name, v.trainable, v.shape]).toEqual(["float32", "w:0", false, [2]]);
    const d = own(new tf.Variable(3));
    expect([d.name, d.trainable]).toEqual(["Variable:0", true]);
    expect(v).toBeInstanceOf(tf.Tensor);
  });

  it("pitfall 1: a dtype as second argument throws, saying what to write", () => {
    const bad = () => new tf.Variable([1, 2], "float32" as unknown as tf.VariableOptions);
    expect(bad).toThrow(ValueError);
    expect(bad).toThrow(`tf.Variable's second argument must be an options object, got "float32"; write new tf.Variable(value, { dtype: "float32" })`);
  });

  it("pitfall 2: an explicit shape must match the value", () => {
    const bad = () => new tf.Variable([1, 2, 3, 4], { shape: [2, 2] });
    expect(bad).toThrow(ValueError);
    expect(bad).toThrow("The initial value's shape ((4,)) is not compatible with the explicitly supplied `shape` argument ((2, 2)).");
  });

  it("rejects values its dtype cannot hold", () => {
    expect(() => new tf.Variable([1.5], { dtype: "int32" })).toThrow(DtypeError);
    const t = tf.constant([1, 2]);
    expect(() => new tf.Variable(t, { dtype: "float32" })).toThrow(/requested dtype float32 for Tensor with dtype int32/);
    t.dispose();
  });

  it("shape: null is unknown: printed <unknown>, and assigns may change the shape", () => {
    const v = own(new tf.Variable([1, 2], { shape: null }));
    expect(v.toString()).toBe("<tf.Variable 'Variable:0' shape=<unknown> dtype=int32, numpy=array([1, 2], dtype=int32)>");
    v.assign([[1, 2, 3]]);
    expect(v.shape).toEqual([1, 3]);
    expect(v.numpy()).toEqual([[1, 2, 3]]);
    expect(v.toString()).toContain("shape=<unknown>");
    const w = own(new tf.Variable([1], { shape: new tf.TensorShape(null) }));
    expect(w.toString()).toContain("shape=<unknown>");
  });

  it("null inside a shape is an unknown dimension", () => {
    const v = own(new tf.Variable([[1, 2]], { shape: [null, 2] }));
    expect(v.toString()).toBe("<tf.Variable 'Variable:0' shape=(None, 2) dtype=int32, numpy=array([[1, 2]], dtype=int32)>");
    v.assign([[1, 2], [3, 4]]);
    expect(v.shape).toEqual([2, 2]);
    expect(() => v.assign([[1, 2, 3]])).toThrow(
      "Cannot assign value to variable ' Variable:0': Shape mismatch.The variable shape (None, 2), and the assigned value shape (1, 3) are incompatible.",
    );
  });

  it("assign, assignAdd and assignSub update in place and return the variable", () => {
    const v = own(new tf.Variable([1, 2]));
    const id = v.id;
    expect(v.assign([5, 6])).toBe(v);
    expect(v.numpy()).toEqual([5, 6]);
    expect(v.assignAdd([1, 1])).toBe(v);
    expect(v.numpy()).toEqual([6, 7]);
    expect(v.assignSub(own(tf.constant([2, 2])))).toBe(v);
    expect(v.numpy()).toEqual([4, 5]);
    expect(v.id).toBe(id);
    // A JS number takes the variable's dtype.
    const f = own(new tf.Variable(new Float64Array([1])));
    f.assignAdd(0.5);
    expect([f.dtype, f.numpy()]).toEqual(["float64", [1.5]]);
  });

  it("a failed assign leaves the variable unchanged", () => {
    const v = own(new tf.Variable([1, 2]));
    expect(() => v.assign([1, 2, 3])).toThrow(ValueError);
    expect(() => v.assign([1.5, 2])).toThrow(DtypeError);
    const f = tf.constant([1.5, 2]);
    expect(() => v.assign(f)).toThrow(DtypeError);
    expect(() => v.assignAdd([1, 2, 3])).toThrow(tf.errors.InvalidArgumentError);
    f.dispose();
    expect(v.numpy()).toEqual([1, 2]);
    expect(v.toString()).toBe("<tf.Variable 'Variable:0' shape=(2,) dtype=int32, numpy=array([1, 2], dtype=int32)>");
  });

  it("readValue() and value() are snapshots", () => {
    const v = own(new tf.Variable([1, 2]));
    const snap = own(v.readValue());
    const snap2 = own(v.value());
    v.assign([3, 4]);
    expect(snap.numpy()).toEqual([1, 2]);
    expect(snap2.numpy()).toEqual([1, 2]);
    expect(snap).not.toBeInstanceOf(tf.Variable);
    expect(v.numpy()).toEqual([3, 4]);
  });

  it("is accepted wherever a tensor is, with the same methods", () => {
    const v = own(new tf.Variable([1, 2]));
    const value = (f: () => tf.Tensor) => {
      const t = tf.tidy(f);
      const r = t.numpy();
      t.dispose();
      return r;
    };
    expect(value(() => tf.add(v, v))).toEqual([2, 4]);
    expect(value(() => v.mul(3))).toEqual([3, 6]);
    expect(value(() => tf.matmul(tf.reshape(v, [1, 2]), tf.reshape(v, [2, 1])))).toEqual([[5]]);
  });

  it("is counted in tf.memory(), never disposed by tidy, freed by dispose()", () => {
    const start = tf.memory().numTensors;
    const v = tf.tidy(() => new tf.Variable([1, 2, 3]));
    expect(v.isDisposed).toBe(false);
    expect(tf.memory().numTensors).toBe(start + 1);
    tf.tidy(() => {
      v.assign([4, 5, 6]);
    });
    expect(tf.memory().numTensors).toBe(start + 1);
    v.dispose();
    expect(tf.memory().numTensors).toBe(start);
    expect(() => v.assign([1, 2, 3])).toThrow(/disposed/);
    expect(v.toString()).toContain("numpy=<disposed>");
  });
});
