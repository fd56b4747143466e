/** tf.keras layers on backend-js: tracking, naming, building, each layer's math, activations, initializers. */
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";

const { Dense, Conv2D, MaxPooling2D, Flatten, Dropout, Layer } = tf.keras.layers;

beforeAll(async () => {
  await tf.setBackend("js");
});
beforeEach(() => {
  tf.keras.backend.clearSession();
  tf.random.setSeed(1234);
});

function close(a: tf.Tensor, b: number[] | number[][], tol = 1e-5): void {
  const got = (a.dataSync() as Float32Array).slice();
  const want = (b as number[]).flat(4) as number[];
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, -Math.log10(tol)));
}

describe("names", () => {
  it("snake_case class names made unique per process", () => {
    expect(new Dense(2).name).toBe("dense");
    expect(new Dense(2).name).toBe("dense_1");
    expect(new Conv2D(2, 3).name).toBe("conv2d");
    expect(new MaxPooling2D().name).toBe("max_pooling2d");
    expect(new Flatten().name).toBe("flatten");
    expect(new Dropout(0.5).name).toBe("dropout");
    expect(new Dense(2, { name: "custom" }).name).toBe("custom");
    class MyBlock extends Layer {}
    expect(new MyBlock().name).toBe("my_block");
  });

  it("names variables <layer>/<weight>:0 and matches the API example", () => {
    const model = new tf.keras.Sequential([new Dense(128, { activation: "relu", inputShape: [784] }), new Dense(10)]);
    expect(model.variables.map((v) => [v.name, v.shape])).toEqual([
      ["dense/kernel:0", [784, 128]],
      ["dense/bias:0", [128]],
      ["dense_1/kernel:0", [128, 10]],
      ["dense_1/bias:0", [10]],
    ]);
    expect(model.name).toBe("sequential");
    model.dispose();
  });
});

describe("variable tracking", () => {
  it("finds variables assigned directly, in arrays, in objects and in nested layers, in assignment order", () => {
    class Block extends Layer {
      readonly inner = new Dense(3, { name: "inner" });
      w = new tf.Variable(1.0, { name: "w" });
      list: tf.Variable[] = [new tf.Variable(2.0, { name: "l0" })];
      dict = { a: new tf.Variable(3.0, { name: "a" }), nested: [new tf.Variable(4.0, { name: "deep" })] };
      frozen = new tf.Variable(5.0, { name: "frozen", trainable: false });
      constructor() {
        super();
        this.list.push(new tf.Variable(6.0, { name: "l1" })); // filled after assignment: still found
      }
    }
    const b = new Block();
    b.inner.apply(tf.zeros([1, 2]));
    // Own variables first (assignment order), then nested layers' (as tf.keras), non-trainable last.
    expect(b.trainableVariables.map((v) => v.name)).toEqual(["w:0", "l0:0", "l1:0", "a:0", "deep:0", "inner/kernel:0", "inner/bias:0"]);
    expect(b.nonTrainableVariables.map((v) => v.name)).toEqual(["frozen:0"]);
    expect(b.variables.map((v) => v.name)).toEqual([...b.trainableVariables, ...b.nonTrainableVariables].map((v) => v.name));
    expect(b.subLayers).toEqual([b.inner]);
    b.dispose();
  });

  it("follows reassignment and deletion, and counts a variable once", () => {
    class L extends Layer {
      a: tf.Variable | null = new tf.Variable(1, { name: "a" });
      b = new tf.Variable(2, { name: "b" });
      alias: tf.Variable | null = null;
    }
    const l = new L();
    l.alias = l.b;
    expect(l.variables.map((v) => v.name)).toEqual(["a:0", "b:0"]);
    l.a = new tf.Variable(3, { name: "a2" }); // reassigned: moves to the end, as Keras's __setattr__
    expect(l.variables.map((v) => v.name)).toEqual(["b:0", "a2:0"]);
    delete (l as { alias?: unknown }).alias;
    l.a = null;
    expect(l.variables.map((v) => v.name)).toEqual(["b:0"]);
  });

  it("trainable = false moves a layer's weights to nonTrainableVariables", () => {
    const d = new Dense(2);
    d.apply(tf.ones([1, 3]));
    d.trainable = false;
    expect(d.trainableVariables).toEqual([]);
    expect(d.nonTrainableVariables.map((v) => v.name)).toEqual(["dense/kernel:0", "dense/bias:0"]);
  });

  it("addWeight creates tracked weights with an initializer and trainability", () => {
    class Scale extends Layer {
      scale: tf.Variable | null = null;
      override build(inputShape: tf.keras.Shape) {
        this.scale = this.addWeight("scale", [inputShape[inputShape.length - 1]!], { initializer: "ones" });
        this.addWeight("count", [], { initializer: "zeros", trainable: false });
      }
      override call(x: tf.Tensor) {
        return tf.multiply(x, this.scale!);
      }
    }
    const s = new Scale();
    const y = s.apply([[1, 2, 3]]);
    close(y, [[1, 2, 3]]);
    expect(s.built).toBe(true);
    expect(s.trainableVariables.map((v) => v.name)).toEqual(["scale/scale:0"]);
    expect(s.nonTrainableVariables.map((v) => v.name)).toEqual(["scale/count:0"]);
    expect(s.countParams()).toBe(4);
  });
});

describe("Dense", () => {
  it("computes activation(x · kernel + bias), building on first call", () => {
    const d = new Dense(2, { activation: "relu", kernelInitializer: "ones", biasInitializer: "zeros" });
    expect(d.built).toBe(false);
    const y = d.apply([[1, -2, 0.5], [-1, -1, -1]]);
    close(y, [[0, 0], [0, 0]]);
    d.kernel!.assign([[1, 0], [0, 1], [2, -1]]);
    d.bias!.assign([0.5, -0.5]);
    close(d.apply([[1, -2, 0.5], [3, 1, 0]]), [[2.5, 0], [3.5, 0.5]]);
    expect(d.kernel!.shape).toEqual([3, 2]);
  });

  it("contracts the last axis of higher-rank inputs", () => {
    const d = new Dense(1, { kernelInitializer: "ones", useBias: false });
    const y = d.apply(tf.reshape(tf.range(0, 12, 1, "float32"), [2, 2, 3]));
    expect(y.shape).toEqual([2, 2, 1]);
    close(y, [3, 12, 21, 30]);
    expect(d.bias).toBeNull();
    expect(d.variables).toHaveLength(1);
  });

  it("rejects inputs of the wrong shape with Keras's message", () => {
    const d = new Dense(4);
    d.apply(tf.zeros([2, 3]));
    expect(() => d.apply(tf.zeros([2, 5]))).toThrow(
      'Input 0 of layer "dense" is incompatible with the layer: expected axis -1 of input shape to have value 3, but received input with shape (2, 5)',
    );
    expect(() => new Dense(4).apply(tf.zeros([3]))).toThrow(/expected min_ndim=2, found ndim=1/);
    expect(() => new Dense(0)).toThrow(/positive integer/);
  });
});

describe("Conv2D and MaxPooling2D", () => {
  it("Conv2D: valid and same padding, strides, bias, output shapes", () => {
    const x = tf.reshape(tf.range(1, 17, 1, "float32"), [1, 4, 4, 1]);
    const c = new Conv2D(1, 2, { kernelInitializer: "ones", biasInitializer: { class_name: "Constant", config: { value: 1 } } });
    const y = c.apply(x);
    expect(y.shape).toEqual([1, 3, 3, 1]);
    // Each output is the sum of a 2x2 window plus the bias.
    close(y, [15, 19, 23, 31, 35, 39, 47, 51, 55]);
    expect(c.kernel!.shape).toEqual([2, 2, 1, 1]);
    const s = new Conv2D(3, [3, 3], { padding: "same", strides: 2 });
    expect(s.apply(tf.zeros([2, 5, 5, 2])).shape).toEqual([2, 3, 3, 3]);
    expect(s.computeOutputShape([null, 5, 5, 2])).toEqual([null, 3, 3, 3]);
    expect(() => s.apply(tf.zeros([2, 5, 5]))).toThrow(/expected ndim=4, found ndim=3/);
    expect(() => s.apply(tf.zeros([2, 5, 5, 3]))).toThrow(/expected axis -1 of input shape to have value 2/);
  });

  it("MaxPooling2D takes window maxima", () => {
    const x = tf.reshape(tf.constant([1, 5, 2, 0, 3, 4, 8, 1, 0, 0, 9, 9, 7, 6, 9, 2], "float32"), [1, 4, 4, 1]);
    const p = new MaxPooling2D(2);
    close(p.apply(x), [5, 8, 7, 9]);
    expect(new MaxPooling2D({ poolSize: 3, strides: 1, padding: "same" }).apply(x).shape).toEqual([1, 4, 4, 1]);
    expect(p.computeOutputShape([null, 28, 28, 8])).toEqual([null, 14, 14, 8]);
    expect(p.variables).toEqual([]);
  });

  it("Flatten keeps the batch axis", () => {
    const f = new Flatten();
    expect(f.apply(tf.zeros([2, 3, 4, 5])).shape).toEqual([2, 60]);
    expect(f.computeOutputShape([null, 13, 13, 8])).toEqual([null, 1352]);
  });
});

describe("Dropout", () => {
  it("is the identity unless training, then keeps ~(1 - rate) of values scaled by 1/(1 - rate)", () => {
    const d = new Dropout(0.25, { seed: 7 });
    const x = tf.ones([100, 100]);
    close(d.apply(x), Array(10000).fill(1));
    close(d.apply(x, { training: false }), Array(10000).fill(1));
    const y = d.apply(x, { training: true }).dataSync() as Float32Array;
    const kept = y.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.75)]));
    expect(kept.length / y.length).toBeGreaterThan(0.72);
    expect(kept.length / y.length).toBeLessThan(0.78);
  });

  it("nested layers inherit `training` from the enclosing call", () => {
    class Net extends Layer {
      drop = new Dropout(0.5);
      override call(x: tf.Tensor) {
        return this.drop.apply(x);
      }
    }
    const n = new Net();
    const x = tf.ones([50, 50]);
    expect(tf.reduceMin(n.apply(x)).numpy()).toBe(1);
    expect(tf.reduceMin(n.apply(x, { training: true })).numpy()).toBe(0);
  });

  it("rejects a rate outside [0, 1]", () => {
    expect(() => new Dropout(1.5)).toThrow(/between 0 and 1/);
  });
});

describe("activations", () => {
  const x = tf.constant([-2, -0.5, 0, 1.5], "float32");
  it("by name", () => {
    const a = tf.keras.activations;
    close(a.relu(x), [0, 0, 0, 1.5]);
    close(a.sigmoid(x), [-2, -0.5, 0, 1.5].map((v) => 1 / (1 + Math.exp(-v))));
    close(a.tanh(x), [-2, -0.5, 0, 1.5].map(Math.tanh));
    close(a.linear(x), [-2, -0.5, 0, 1.5]);
    const e = [-2, -0.5, 0, 1.5].map(Math.exp);
    const s = e.reduce((p, q) => p + q);
    close(a.softmax(x), e.map((v) => v / s));
    close(a.get("elu")(x), [Math.exp(-2) - 1, Math.exp(-0.5) - 1, 0, 1.5]);
    close(tf.reduceSum(new Dense(4, { activation: "softmax" }).apply([[1, 2, 3]])), [1]);
  });

  it("unknown names list the valid ones", () => {
    expect(() => new Dense(2, { activation: "relu7" as "relu" })).toThrow(
      /Unknown activation: "relu7". Valid activations are: "linear", "relu", .*"sigmoid", "tanh", "softmax"/,
    );
  });
});

describe("initializers", () => {
  it("glorotUniform is the default kernel initializer, bounded by √(6 / (in + out))", () => {
    const d = new Dense(50);
    d.apply(tf.zeros([1, 30]));
    const limit = Math.sqrt(6 / 80);
    const k = d.kernel!.dataSync() as Float32Array;
    expect(Math.max(...k)).toBeLessThanOrEqual(limit);
    expect(Math.min(...k)).toBeGreaterThanOrEqual(-limit);
    expect(Math.max(...k)).toBeGreaterThan(limit * 0.9);
    expect(Array.from(d.bias!.dataSync() as Float32Array)).toEqual(Array(50).fill(0));
  });

  it("heNormal has stddev ≈ √(2 / fan_in) (truncated, rescaled)", () => {
    const v = tf.keras.initializers.getInitializer("heNormal").call([400, 300]).dataSync() as Float32Array;
    const mean = v.reduce((a, b) => a + b) / v.length;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(std).toBeCloseTo(Math.sqrt(2 / 400), 2);
    const conv = new tf.keras.initializers.HeNormal();
    expect(tf.keras.initializers.computeFans([3, 3, 8, 16])).toEqual([72, 144]);
    expect(conv.getConfig()).toEqual({ seed: null });
  });

  it("follow tf.random seeds: same global seed, same weights", () => {
    tf.random.setSeed(99);
    const a = new Dense(5);
    a.apply(tf.zeros([1, 4]));
    tf.random.setSeed(99);
    const b = new Dense(5);
    b.apply(tf.zeros([1, 4]));
    expect(Array.from(a.kernel!.dataSync() as Float32Array)).toEqual(Array.from(b.kernel!.dataSync() as Float32Array));
    const s1 = new tf.keras.initializers.GlorotUniform({ seed: 3 }).call([4, 4]).dataSync();
    tf.random.setSeed(5);
    const s2 = new tf.keras.initializers.GlorotUniform({ seed: 3 }).call([4, 4]).dataSync();
    // A seeded initializer gives the same values at every call, whatever the global seed (Keras 2's stateless initializers, and TF.js's).
    expect(Array.from(s1 as Float32Array)).toEqual(Array.from(s2 as Float32Array));
  });

  it("unknown initializers list the valid names", () => {
    expect(() => new Dense(2, { kernelInitializer: "glorot_uniformm" })).toThrow(/Unknown initializer: "glorot_uniformm". Valid initializers are: .*"glorot_uniform"/);
  });
});

describe("Sequential", () => {
  it("builds layers as they are added when the first layer has an inputShape", () => {
    const m = new tf.keras.Sequential([new Conv2D(4, 3, { inputShape: [8, 8, 1] }), new MaxPooling2D(), new Flatten()]);
    m.add(new Dense(3));
    expect(m.built).toBe(true);
    expect(m.layers.map((l) => l.name)).toEqual(["conv2d", "max_pooling2d", "flatten", "dense"]);
    expect(m.variables.map((v) => v.shape)).toEqual([[3, 3, 1, 4], [4], [36, 3], [3]]);
    expect(m.apply(tf.zeros([2, 8, 8, 1])).shape).toEqual([2, 3]);
    m.dispose();
  });

  it("builds on the first call without an inputShape", () => {
    const m = new tf.keras.Sequential([new Dense(3), new Dense(1)]);
    expect(m.variables).toEqual([]);
    expect(m.apply(tf.zeros([4, 7])).shape).toEqual([4, 1]);
    expect(m.variables.map((v) => v.shape)).toEqual([[7, 3], [3], [3, 1], [1]]);
  });

  it("says what shape the first layer expects when called on the wrong shape", () => {
    const m = new tf.keras.Sequential([new Dense(8, { inputShape: [784] }), new Dense(10)]);
    expect(() => m.apply(tf.zeros([2, 10]))).toThrow(
      'Input 0 of layer "sequential" is incompatible with the layer: expected shape=(None, 784), found shape=(2, 10). The first layer, "dense" (Dense), expects inputs of shape (None, 784).',
    );
    expect(() => m.apply(tf.zeros([784]))).toThrow(/expected shape=\(None, 784\), found shape=\(784,\)/);
    expect(() => m.predict(tf.zeros([3, 28, 28]))).toThrow(/expects inputs of shape \(None, 784\)/);
    expect(() => new tf.keras.Sequential([new Dense(2, { name: "x" }), new Dense(2, { name: "x" })])).toThrow(/unique names/);
  });

  it("frees intermediate tensors and leaves no tensor behind inside tidy", () => {
    const m = new tf.keras.Sequential([new Dense(8, { activation: "relu", inputShape: [4] }), new Dropout(0.5), new Dense(2, { activation: "softmax" })]);
    const x = tf.ones([3, 4]);
    const before = tf.memory().numTensors;
    const y = m.apply(x, { training: true });
    expect(tf.memory().numTensors).toBe(before + 1);
    y.dispose();
    tf.tidy(() => {
      m.apply(x, { training: true });
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
