/**
 * The public surface that the op table derives: exported names (snapshot), TF2 namespaces, methods,
 * and the argument checks every op gets — so a new op cannot forget one of them.
 */
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { describe, expect, it } from "vitest";
import { onJsFreeingEverything } from "./helpers/js-backend.js";

onJsFreeingEverything("an op-table test leaked tensors");

type Op = ((...args: unknown[]) => unknown) & { info: { name: string; paths: string[]; method: boolean; args: number; options: string[] | null } };
const isOp = (v: unknown): v is Op => typeof v === "function" && "info" in v;
const ops = Object.entries(tf).filter(([, v]) => isOp(v)) as [string, Op][];
/** Namespaces whose ops live only there, under `<path>.<name>`. */
const OWN_NAMESPACES: [string, object][] = [
  ["random", tf.random], ["image", tf.image], ["signal", tf.signal], ["compat.v1.losses", tf.compat.v1.losses], ["compat.v1.image", tf.compat.v1.image],
];
/** Every op reachable from `tf`: the top level and the namespaces that hold functions of their own. */
const everyOp: [string, Op][] = [
  ...ops,
  ...OWN_NAMESPACES.flatMap(([path, ns]) => Object.entries(ns).filter(([, v]) => isOp(v)).map(([k, v]) => [`${path}.${k}`, v as Op] as [string, Op])),
];

/** Exports that are functions but not ops (classes, scope and backend management, gradient transforms). */
const NOT_OPS = new Set([
  "GradientTape", "Tensor", "TensorShape", "Variable", "constant", "customGradient", "dispose", "findBackend", "getBackend",
  "grad", "grads", "keep", "listBackends", "memory", "ready", "registerBackend", "setBackend", "tidy", "valueAndGrad",
  "valueAndGrads", "zip",
]);

describe("the exported names", () => {
  it("are exactly the snapshot (internal dispatchers such as tf.arith and tf.unary are not exported)", () => {
    expect(Object.keys(tf).sort()).toMatchSnapshot();
  });

  it("make every exported function an op entry, unless it is one of the known non-ops", () => {
    const plain = Object.entries(tf).filter(([k, v]) => typeof v === "function" && !("info" in v) && !NOT_OPS.has(k)).map(([k]) => k);
    expect(plain, "write new ops with defineOp/unaryOp/binaryOp (ops/table/define.ts)").toEqual([]);
  });

  it("give each op the name it is exported under", () => {
    for (const [name, op] of everyOp) expect(op.info.name, name).toBe(name);
  });

  it("make every function of tf.random, tf.image, tf.signal and tf.compat.v1's namespaces an op entry (so its options are checked)", () => {
    for (const [path, ns] of OWN_NAMESPACES) {
      const plain = Object.entries(ns).filter(([k, v]) => typeof v === "function" && !isOp(v) && k !== "setSeed").map(([k]) => k);
      expect(plain, path).toEqual([]);
    }
  });
});

describe("TF2 namespaces", () => {
  it("hold every op under each of its TF2 paths, and nothing else", () => {
    const namespaces = { math: tf.math, nn: tf.nn, linalg: tf.linalg } as Record<string, Record<string, unknown>>;
    const expected = new Map<string, unknown>();
    for (const [, op] of ops) {
      for (const p of op.info.paths) {
        expect(expected.has(p), `path ${p} is claimed twice`).toBe(false);
        expected.set(p, op);
      }
    }
    const actual = new Map<string, unknown>();
    for (const [ns, obj] of Object.entries(namespaces)) for (const [k, v] of Object.entries(obj)) actual.set(`${ns}.${k}`, v);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [p, op] of expected) expect(actual.get(p), p).toBe(op);
  });

  it("spell TF2's names (tf.math.floordiv, tf.math.isNan, tf.nn.relu, tf.linalg.matmul)", () => {
    expect(tf.math.floordiv).toBe(tf.floorDiv);
    expect(tf.math.floormod).toBe(tf.mod);
    expect(tf.math.isNan).toBe(tf.isNan);
    expect(tf.math.atan2).toBe(tf.atan2);
    expect(tf.math.reduceLogsumexp).toBe(tf.reduceLogSumExp);
    expect(tf.nn.relu).toBe(tf.relu);
    expect(tf.linalg.matmul).toBe(tf.matmul);
  });
});

describe("Tensor methods", () => {
  it("exist for every op declared with a method, and call it with the tensor first", () => {
    for (const [name, op] of ops) {
      const method = (tf.Tensor.prototype as unknown as Record<string, unknown>)[name];
      if (op.info.method) expect(typeof method, name).toBe("function");
    }
    tf.tidy(() => {
      const x = tf.constant([0.5, -1.5]);
      expect(Array.from(x.tan().dataSync() as Float32Array)).toEqual(Array.from(tf.tan(x).dataSync() as Float32Array));
      expect(Array.from(x.atan2(2).dataSync() as Float32Array)).toEqual(Array.from(tf.atan2(x, 2).dataSync() as Float32Array));
      expect(x.isNan().dtype).toBe("bool");
    });
  });
});

describe("argument checks", () => {
  it("reject unknown option keys of every op that takes options, naming the op and the closest key", () => {
    const withOptions = everyOp.filter(([, op]) => op.info.options);
    expect(withOptions.length).toBeGreaterThan(5);
    for (const [name, op] of withOptions) {
      const args = Array.from({ length: op.info.args }, () => undefined as unknown);
      const near = op.info.options![0]!;
      args[op.info.args - 1] = { [`${near}x`]: 1 };
      expect(() => op(...args), name).toThrow(TypeError);
      expect(() => op(...args), name).toThrow(`${name}() got an unexpected option '${near}x' — did you mean '${near}'?`);
    }
  });

  it("reject extra positional arguments of every op", () => {
    for (const [name, op] of everyOp) {
      const args = Array.from({ length: op.info.args + 1 }, () => 1);
      expect(() => op(...args), name).toThrow(new TypeError(
        `${name}() takes at most ${op.info.args} positional argument${op.info.args === 1 ? "" : "s"} but ${op.info.args + 1} were given`));
    }
  });

  it("catch TensorFlow.js spellings with a hint", () => {
    const x = tf.ones([2, 3]);
    try {
      expect(() => tf.reduceSum(x, { axis: 1, keepDims: true } as never)).toThrow("reduceSum() got an unexpected option 'keepDims' — did you mean 'keepdims'?");
      expect(() => tf.matmul(x, x, { transposeb: true } as never)).toThrow("matmul() got an unexpected option 'transposeb' — did you mean 'transposeB'?");
      expect(() => x.reduceMean({ axes: 0 } as never)).toThrow("reduceMean() got an unexpected option 'axes' — did you mean 'axis'?");
      expect(() => (x.add as (...a: unknown[]) => unknown).call(x, 1, 2)).toThrow(TypeError);
    } finally {
      x.dispose();
    }
  });
});
