/**
 * The one size check in core (issue 16): every tensor an op makes — on the device or on the host —
 * is checked against the backend's `maxElements(dtype)` and JavaScript's array limit before anything
 * is allocated, and refused with `ResourceExhaustedError` naming the op, shape and dtype. A backend
 * with a tiny limit shows that each host-made path (random numbers, range, eye, oneHot…) goes through
 * the check; the JavaScript engine's own allocation failures become the same error. The conformance
 * suite ("tensors too large for the backend") runs the huge-shape cases on js, wasm and webgpu.
 */
import { JsBackend } from "@tessera/backend-js";
import * as tf from "@tessera/core";
import type { DType, KernelBackend } from "@tessera/core/kernel";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

const { ResourceExhaustedError } = tf.errors;

/** A js backend whose buffers hold at most 1,000 elements. */
function smallJs(): KernelBackend {
  const b = new JsBackend();
  Object.defineProperty(b, "name", { value: "small-js" });
  return Object.assign(b, { maxElements: (dtype: DType) => (dtype === "string" ? Infinity : 1000) });
}

/** A js backend whose Fill kernel fails the way V8 does when memory runs out, or with another RangeError. */
function failingJs(name: string, message: string): KernelBackend {
  const b = new JsBackend();
  Object.defineProperty(b, "name", { value: name });
  (b.kernels as Record<string, unknown>)["Fill"] = () => {
    throw new RangeError(message);
  };
  return b;
}

function register(name: string, create: () => KernelBackend): void {
  if (!tf.listBackends().includes(name)) tf.registerBackend(name, { priority: -1, create });
}

register("small-js", smallJs);
register("oom-js", () => failingJs("oom-js", "Array buffer allocation failed"));
register("bug-js", () => failingJs("bug-js", "Maximum call stack size exceeded"));

let before = { numTensors: 0, numBytes: 0 };
beforeAll(async () => {
  await tf.setBackend("js");
});
beforeEach(() => {
  before = { numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes };
});
afterEach(async () => {
  await tf.setBackend("js");
  expect(tf.memory().numTensors, "a refused op left tensors behind").toBe(before.numTensors);
  expect(tf.memory().numBytes, "a refused op left bytes counted").toBe(before.numBytes);
});
afterAll(async () => {
  await tf.setBackend("js");
});

/** The error `fn` throws (inside tidy, so its own inputs are freed). */
function errorOf(fn: () => unknown): Error {
  let err: unknown;
  tf.tidy(() => {
    try {
      fn();
    } catch (e) {
      err = e;
    }
  });
  expect(err, "expected an error").toBeInstanceOf(Error);
  return err as Error;
}

describe("every host-made and device-made tensor goes through the check", () => {
  const cases: [string, string, () => unknown][] = [
    ["zeros", "Fill", () => tf.zeros([1001])],
    ["fill", "Fill", () => tf.fill([11, 91], 2.5)],
    ["constant filling a shape", "Const", () => tf.constant(1, { shape: [1001] })],
    ["constant from a long array", "Const", () => tf.constant(new Float32Array(1001))],
    ["range", "Range", () => tf.range(1001)],
    ["eye", "Eye", () => tf.eye(32)],
    ["oneHot", "OneHot", () => tf.oneHot([1, 2], 501)],
    ["random.normal", "RandomStandardNormal", () => tf.random.normal([1001])],
    ["random.truncatedNormal", "TruncatedNormal", () => tf.random.truncatedNormal([1001])],
    ["random.uniform", "RandomUniform", () => tf.random.uniform([1001])],
    ["random.uniform (int32)", "RandomUniformInt", () => tf.random.uniform([1001], { dtype: "int32", maxval: 3 })],
    ["random.gamma", "RandomGamma", () => tf.random.gamma([1001], 1)],
    ["random.gamma (broadcast parameters)", "RandomGamma", () => tf.random.gamma([1], tf.ones([40, 1]), { beta: tf.ones([1, 40]) })],
    ["random.poisson", "RandomPoisson", () => tf.random.poisson([1001], 1)],
    ["random.categorical", "Multinomial", () => tf.random.categorical([[0, 0]], 1001)],
    ["random.permutation", "RandomPermutation", () => tf.random.permutation(1001)],
    ["random.statelessNormal", "StatelessRandomNormal", () => tf.random.statelessNormal([1001], [1, 2])],
    ["tile (a kernel output)", "Tile", () => tf.tile(tf.ones([10]), [101])],
    ["matmul (a kernel output)", "BatchMatMul", () => tf.matmul(tf.ones([40, 1]), tf.ones([1, 40]))],
  ];
  for (const [what, op, fn] of cases) {
    it(`${what} is refused by a backend that holds 1,000 elements, naming ${op}`, async () => {
      await tf.setBackend("small-js");
      const err = errorOf(fn);
      expect(err).toBeInstanceOf(ResourceExhaustedError);
      expect(err.message).toMatch(new RegExp(`^OOM when allocating tensor with shape \\[[0-9, ]+\\] and type \\w+ .*on backend 'small-js': one buffer of the backend holds at most 1000 \\w+ elements \\[Op:${op}\\]$`));
    });
  }

  it("leaves the backend usable, and the same ops run when they fit", async () => {
    await tf.setBackend("small-js");
    expect(() => tf.zeros([1001])).toThrow(ResourceExhaustedError);
    const t = tf.random.normal([1000], { seed: 1 });
    expect(t.shape).toEqual([1000]);
    t.dispose();
  });

  it("does not move an input to a backend that cannot hold the output", async () => {
    const x = tf.ones([10]);
    await tf.setBackend("small-js");
    expect(() => tf.tile(x, [101])).toThrow(/\[Op:Tile\]$/);
    expect(x.handle.backend.name).toBe("js");
    x.dispose();
  });

  it("names a size beyond 2^53 - 1 and a dimension beyond it", () => {
    expect(() => tf.zeros([2 ** 30, 2 ** 30, 2 ** 30])).toThrow(/its size is beyond 2\^53 - 1 elements \[Op:Fill\]$/);
    expect(() => tf.zeros([0, 2 ** 53])).toThrow(/a dimension is beyond 2\^53 - 1 \[Op:Fill\]$/);
    expect(() => tf.zeros([2 ** 32 + 1])).toThrow(/it has more than 4294967296 elements, the most one JavaScript array holds \[Op:Fill\]$/);
  });
});

describe("the JavaScript engine's allocation failures", () => {
  it("become ResourceExhaustedError naming the op, with the RangeError as cause", async () => {
    await tf.setBackend("oom-js");
    const err = errorOf(() => tf.zeros([3, 4]));
    expect(err).toBeInstanceOf(ResourceExhaustedError);
    expect(err.message).toBe("OOM when allocating tensor with shape [3, 4] and type float32 (48 bytes) on backend 'oom-js': the JavaScript engine could not allocate it (Array buffer allocation failed) [Op:Fill]");
    expect((err as Error & { cause?: unknown }).cause).toBeInstanceOf(RangeError);
  });

  it("other RangeErrors from a kernel pass through unchanged", async () => {
    await tf.setBackend("bug-js");
    const err = errorOf(() => tf.zeros([3, 4]));
    expect(err.constructor).toBe(RangeError);
    expect(err.message).toBe("Maximum call stack size exceeded");
  });
});

describe("Keras", () => {
  it("a layer traced on a huge declared batch shape is refused with ResourceExhaustedError, leaving nothing", () => {
    class Twice extends tf.keras.layers.Layer {
      static override className = "Twice";
      override call(x: tf.Tensor): tf.Tensor {
        return tf.multiply(x, 2);
      }
    }
    const input = tf.keras.Input({ batchShape: [1e6, 1e6] });
    expect(() => new Twice().apply(input)).toThrow(/^OOM when allocating tensor with shape \[1000000, 1000000\] and type float32 .*\[Op:Fill\]$/);
  });
});
