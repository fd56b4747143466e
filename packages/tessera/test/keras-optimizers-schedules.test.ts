/**
 * The optimizers beyond SGD/Adam/RMSprop, gradient clipping, weight decay, learning-rate schedules and
 * optimizer configs. Updates are checked against TensorFlow.js where it has the optimizer (same start,
 * 10 steps) and against Keras's update formulas worked in float64 elsewhere.
 */
import * as tfc from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tessera/core";
import "@tessera/backend-js";
import { beforeAll, describe, expect, it } from "vitest";

const O = tf.keras.optimizers;
const S = tf.keras.optimizers.schedules;

beforeAll(async () => {
  await tf.setBackend("js");
  await tfc.setBackend("cpu");
});

const W0 = [0.5, -1.5, 2.0, 0.1];
/** Loss Σ w³/3 + w²: gradient w² + 2w. */
const grad = (w: number[]): number[] => w.map((x) => x * x + 2 * x);
const loss = (v: tf.Tensor): tf.Tensor => tf.reduceSum(tf.add(tf.divide(tf.pow(v, 3), 3), tf.square(v)));

/** Runs `steps` minimize steps of `opt` from W0 (gradients from the tape) and returns the weights. */
function runTessera(opt: tf.keras.optimizers.Optimizer, steps = 10): number[] {
  const v = new tf.Variable(W0, { dtype: "float32" });
  for (let i = 0; i < steps; i++) opt.minimize(() => loss(v), [v]);
  const out = Array.from(v.dataSync() as Float32Array);
  v.dispose();
  opt.dispose();
  return out;
}

/** The same steps with gradients computed on the host from the current weights, in Tessera and in TensorFlow.js. */
function runBoth(opt: tf.keras.optimizers.Optimizer, ref: tfc.Optimizer, steps = 10): [number[], number[]] {
  const v = new tf.Variable(W0, { dtype: "float32" });
  const tv = tfc.variable(tfc.tensor1d(W0));
  for (let i = 0; i < steps; i++) {
    const g = grad(Array.from(v.dataSync() as Float32Array));
    const gt = tf.constant(g, "float32");
    opt.applyGradients([[gt, v]]);
    gt.dispose();
    const tg = tfc.tensor1d(grad(Array.from(tv.dataSync())));
    ref.applyGradients({ [tv.name]: tg });
    tg.dispose();
  }
  const out: [number[], number[]] = [Array.from(v.dataSync() as Float32Array), Array.from(tv.dataSync())];
  v.dispose();
  tv.dispose();
  opt.dispose();
  return out;
}

function expectRel(got: number[], want: number[], rtol = 1e-5, atol = 1e-6): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThanOrEqual(atol + rtol * Math.abs(want[i]!)));
}

/** A float64 reference: `update(w, g, t)` mutates `w` for step t (from 1). */
function reference(update: (w: number[], g: number[], t: number) => void, steps = 10): number[] {
  const w = W0.slice();
  for (let t = 1; t <= steps; t++) update(w, grad(w), t);
  return w;
}

describe("optimizers agree with TensorFlow.js where it computes what Keras does (10 steps, rtol 1e-5)", () => {
  it("Adagrad", () => {
    expectRel(...runBoth(new O.Adagrad({ learningRate: 0.1 }), tfc.train.adagrad(0.1, 0.1)));
  });
  it("Adadelta follows Keras/TensorFlow (TensorFlow.js divides by the accumulator before updating it)", () => {
    const [lr, rho, eps] = [1.0, 0.9, 1e-6];
    const eg = W0.map(() => 0), ex = W0.map(() => 0);
    const want = reference((w, g) => {
      w.forEach((_, i) => {
        eg[i] = rho * eg[i]! + (1 - rho) * g[i]! ** 2;
        const d = (-Math.sqrt(ex[i]! + eps) / Math.sqrt(eg[i]! + eps)) * g[i]!;
        ex[i] = rho * ex[i]! + (1 - rho) * d * d;
        w[i] = w[i]! + lr * d;
      });
    });
    expectRel(runTessera(new O.Adadelta({ learningRate: lr, rho, epsilon: eps })), want);
  });
  it("Adamax", () => {
    expectRel(...runBoth(new O.Adamax({ learningRate: 0.05 }), tfc.train.adamax(0.05, 0.9, 0.999, 1e-7)));
  });
  it("SGD with momentum too (Adam is not compared: TensorFlow.js adds ε to √v̂, Keras to √v)", () => {
    expectRel(...runBoth(new O.SGD({ learningRate: 0.05, momentum: 0.9 }), tfc.train.momentum(0.05, 0.9)));
  });
});

describe("optimizers follow Keras's update formulas", () => {
  it("Nadam", () => {
    const [b1, b2, lr, eps] = [0.9, 0.999, 0.05, 1e-7];
    const m = W0.map(() => 0), v = W0.map(() => 0);
    let prod = 1;
    const mu = (t: number) => b1 * (1 - 0.5 * 0.96 ** t);
    const want = reference((w, g, t) => {
      prod *= mu(t);
      const prod1 = prod * mu(t + 1);
      w.forEach((_, i) => {
        m[i] = m[i]! + (g[i]! - m[i]!) * (1 - b1);
        v[i] = v[i]! + (g[i]! ** 2 - v[i]!) * (1 - b2);
        const mHat = (mu(t + 1) * m[i]!) / (1 - prod1) + ((1 - mu(t)) * g[i]!) / (1 - prod);
        const vHat = v[i]! / (1 - b2 ** t);
        w[i] = w[i]! - (lr * mHat) / (Math.sqrt(vHat) + eps);
      });
    });
    expectRel(runTessera(new O.Nadam({ learningRate: lr })), want);
  });

  it("Nadam's first step matches TensorFlow's docstring (10 → 9.8 with lr 0.2)", () => {
    const v = new tf.Variable(10.0, { dtype: "float32" });
    new O.Nadam({ learningRate: 0.2 }).minimize(() => tf.divide(tf.square(v), 2), [v]);
    expect((v.dataSync()[0] as number).toFixed(1)).toBe("9.8");
  });

  it("AdamW decays the weights before the Adam step (default weightDecay 0.004)", () => {
    const [b1, b2, lr, eps, wd] = [0.9, 0.999, 0.05, 1e-7, 0.004];
    const m = W0.map(() => 0), v = W0.map(() => 0);
    const want = reference((w, g, t) => {
      const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
      w.forEach((_, i) => {
        w[i] = w[i]! - w[i]! * wd * lr;
        m[i] = m[i]! + (g[i]! - m[i]!) * (1 - b1);
        v[i] = v[i]! + (g[i]! ** 2 - v[i]!) * (1 - b2);
        w[i] = w[i]! - (alpha * m[i]!) / (Math.sqrt(v[i]!) + eps);
      });
    });
    const opt = new O.AdamW({ learningRate: lr });
    expect(opt.weightDecay).toBe(0.004);
    expectRel(runTessera(opt), want);
  });

  it("Ftrl (with L1, L2, shrinkage and beta)", () => {
    const [lr, p, l1, l2s, l2sh, beta] = [0.1, 0.5, 0.01, 0.02, 0.03, 0.1];
    const l2 = l2s + beta / (2 * lr);
    const acc = W0.map(() => 0.1), lin = W0.map(() => 0);
    const want = reference((w, g) => {
      w.forEach((_, i) => {
        const gu = g[i]! + 2 * l2sh * w[i]!;
        const na = acc[i]! + g[i]! ** 2;
        lin[i] = lin[i]! + gu - ((na ** p - acc[i]! ** p) / lr) * w[i]!;
        const quad = na ** p / lr + 2 * l2;
        const clipped = Math.max(-l1, Math.min(l1, lin[i]!));
        w[i] = (clipped - lin[i]!) / quad;
        acc[i] = na;
      });
    });
    const opt = new O.Ftrl({ learningRate: lr, l1RegularizationStrength: l1, l2RegularizationStrength: l2s, l2ShrinkageRegularizationStrength: l2sh, beta });
    expectRel(runTessera(opt), want, 1e-4, 1e-5);
  });

  it("Lion", () => {
    const [lr, b1, b2] = [0.01, 0.9, 0.99];
    const m = W0.map(() => 0);
    const want = reference((w, g) => {
      w.forEach((_, i) => {
        w[i] = w[i]! - lr * Math.sign(b1 * m[i]! + (1 - b1) * g[i]!);
        m[i] = b2 * m[i]! + (1 - b2) * g[i]!;
      });
    });
    expectRel(runTessera(new O.Lion({ learningRate: lr })), want);
  });
});

describe("clipping and weight decay", () => {
  const step = (opt: tf.keras.optimizers.Optimizer, grads: number[][], start: number[][]): number[][] => {
    const vars = start.map((s) => new tf.Variable(s, { dtype: "float32" }));
    opt.applyGradients(grads.map((g, i) => [tf.constant(g, "float32"), vars[i]!] as const));
    return vars.map((v) => Array.from(v.dataSync() as Float32Array));
  };

  it("clipnorm, clipvalue and globalClipnorm as Keras", () => {
    expectRel(step(new O.SGD({ learningRate: 1, clipnorm: 1 }), [[3, 4], [0.3, 0.4]], [[0, 0], [0, 0]]).flat(), [-0.6, -0.8, -0.3, -0.4]);
    expectRel(step(new O.SGD({ learningRate: 1, clipvalue: 2 }), [[3, -4, 1]], [[0, 0, 0]]).flat(), [-2, 2, -1]);
    expectRel(step(new O.SGD({ learningRate: 1, globalClipnorm: 1 }), [[3], [4]], [[0], [0]]).flat(), [-0.6, -0.8]);
    expectRel(step(new O.SGD({ learningRate: 1, globalClipnorm: 10 }), [[3], [4]], [[0], [0]]).flat(), [-3, -4]);
    expect(() => new O.SGD({ clipnorm: 1, clipvalue: 1 })).toThrow(/only one of `clipnorm`, `clipvalue` and `globalClipnorm`/);
    expect(() => new O.SGD({ clipnorm: -1 })).toThrow(/clipnorm/);
  });

  it("weightDecay shrinks every variable by w·wd·lr before the update", () => {
    expectRel(step(new O.SGD({ learningRate: 0.5, weightDecay: 0.1 }), [[1]], [[2]]).flat(), [2 - 2 * 0.1 * 0.5 - 0.5]);
  });
});

describe("learning-rate schedules", () => {
  it("each schedule's values at hand-checked steps", () => {
    const e = new S.ExponentialDecay(0.1, 10, 0.5);
    expect(e.call(0)).toBeCloseTo(0.1, 12);
    expect(e.call(5)).toBeCloseTo(0.1 * 0.5 ** 0.5, 12);
    expect(new S.ExponentialDecay(0.1, 10, 0.5, { staircase: true }).call(15)).toBeCloseTo(0.05, 12);
    const p = new S.PiecewiseConstantDecay([10, 20], [1, 0.5, 0.1]);
    expect([0, 10, 11, 20, 21, 1000].map((s) => p.call(s))).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
    expect(() => new S.PiecewiseConstantDecay([1, 2], [1, 2])).toThrow(/should be 1 less than the length of `values`/);
    const poly = new S.PolynomialDecay(0.1, 10, { endLearningRate: 0.01, power: 2 });
    expect(poly.call(5)).toBeCloseTo(0.09 * 0.25 + 0.01, 12);
    expect(poly.call(50)).toBeCloseTo(0.01, 12);
    expect(new S.PolynomialDecay(0.1, 10, { endLearningRate: 0, cycle: true }).call(15)).toBeCloseTo(0.1 * (1 - 15 / 20), 12);
    expect(new S.InverseTimeDecay(1, 10, 0.5).call(20)).toBeCloseTo(0.5, 12);
    expect(new S.InverseTimeDecay(1, 10, 0.5, { staircase: true }).call(19)).toBeCloseTo(1 / 1.5, 12);
    const c = new S.CosineDecay(1, 100, { alpha: 0.1 });
    expect(c.call(0)).toBeCloseTo(1, 12);
    expect(c.call(50)).toBeCloseTo(0.9 * 0.5 + 0.1, 12);
    expect(c.call(500)).toBeCloseTo(0.1, 12);
    const w = new S.CosineDecay(0, 100, { warmupTarget: 1, warmupSteps: 10 });
    expect(w.call(5)).toBeCloseTo(0.5, 12);
    expect(w.call(10)).toBeCloseTo(1, 12);
    expect(w.call(60)).toBeCloseTo(0.5, 12);
    const r = new S.CosineDecayRestarts(1, 10, { tMul: 2, mMul: 0.5 });
    expect(r.call(0)).toBeCloseTo(1, 12);
    expect(r.call(5)).toBeCloseTo(0.5, 12);
    expect(r.call(10)).toBeCloseTo(0.5, 12); // the second period starts at 0.5 and lasts 20 steps
    expect(r.call(20)).toBeCloseTo(0.25, 12);
    expect(new S.CosineDecayRestarts(1, 10, { tMul: 1 }).call(15)).toBeCloseTo(0.5, 12);
    expect(() => new S.CosineDecay(1, 10, { warmup_steps: 3 } as never)).toThrow(/unexpected option 'warmup_steps' — did you mean 'warmupSteps'/);
  });

  it("optimizers use a schedule or a function of the step; learningRate reads the current value", () => {
    const opt = new O.SGD({ learningRate: new S.PiecewiseConstantDecay([1], [1, 0.5]) });
    const v = new tf.Variable(0, { dtype: "float32" });
    const g = tf.constant(1, "float32");
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      seen.push(opt.learningRate);
      opt.applyGradients([[g, v]]);
    }
    expect(seen).toEqual([1, 1, 0.5]);
    expect(v.dataSync()[0]).toBeCloseTo(-2.5, 6);
    expect(() => {
      opt.learningRate = 0.1;
    }).toThrow(TypeError);
    const byFn = new O.SGD({ learningRate: (step) => 0.1 * (step + 1) });
    byFn.applyGradients([[g, v]]);
    byFn.applyGradients([[g, v]]);
    expect(v.dataSync()[0]).toBeCloseTo(-2.8, 6);
    const bad = new O.SGD({ learningRate: (step) => (step > 0 ? Number.NaN : 0.1) });
    bad.applyGradients([[g, v]]);
    expect(() => bad.applyGradients([[g, v]])).toThrow(/learning-rate function returned NaN at step 1; it must return a finite number/);
    expect(v.dataSync()[0]).toBeCloseTo(-2.9, 6); // untouched by the failed step
    expect(bad.iterations).toBe(1);
  });
});

describe("configs and options", () => {
  it("getConfig/fromConfig round-trip every optimizer, schedules included", () => {
    const all = [
      new O.SGD({ learningRate: 0.1, momentum: 0.5, nesterov: true, clipnorm: 2 }),
      new O.Adam({ amsgrad: true }),
      new O.AdamW({ learningRate: new S.CosineDecay(0.01, 100, { warmupTarget: 0.1, warmupSteps: 5 }), weightDecay: 0.01 }),
      new O.RMSprop({ centered: true }),
      new O.Adagrad({ initialAccumulatorValue: 0.2 }),
      new O.Adadelta({ rho: 0.9 }),
      new O.Adamax({ beta2: 0.99, globalClipnorm: 1 }),
      new O.Nadam({ epsilon: 1e-6 }),
      new O.Ftrl({ l1RegularizationStrength: 0.1 }),
      new O.Lion({ beta2: 0.98, clipvalue: 0.5 }),
    ];
    for (const opt of all) {
      const config = opt.getConfig();
      const back = (opt.constructor as typeof O.Optimizer & { fromConfig(c: Record<string, unknown>): tf.keras.optimizers.Optimizer }).fromConfig(config);
      expect(back.getConfig()).toEqual(config);
      expect(O.deserialize(O.serialize(opt)).getConfig()).toEqual(config);
    }
    expect(all[2]!.getConfig()["learning_rate"]).toEqual({
      class_name: "CosineDecay",
      config: { initial_learning_rate: 0.01, decay_steps: 100, alpha: 0, warmup_target: 0.1, warmup_steps: 5 },
    });
    // A Keras 3 config with keys Tessera does not use.
    const keras = O.Adam.fromConfig({ name: "adam", learning_rate: 0.01, weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null, use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, loss_scale_factor: null, gradient_accumulation_steps: null, beta_1: 0.8, beta_2: 0.99, epsilon: 1e-7, amsgrad: false });
    expect((keras as tf.keras.optimizers.Adam).beta1).toBe(0.8);
    expect(() => O.Adam.fromConfig({ learning_rate: 0.1, beta_one: 0.9 })).toThrow(/unexpected option 'betaOne'/);
    expect(O.get("nadam")).toBeInstanceOf(O.Nadam);
    expect(() => O.Adam.fromConfig(JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>)).toThrow(/unexpected option '_Proto__'/);
    expect(() => O.get("constructor")).toThrow(/Unknown optimizer/);
    expect(() => O.deserialize({ class_name: "__proto__", config: {} })).toThrow(/Unknown optimizer/);
    expect(O.get({ class_name: "Ftrl", config: { learning_rate: 0.5 } }).learningRate).toBe(0.5);
  });

  it("unknown option keys raise TypeError with a hint", () => {
    expect(() => new O.Adam({ learning_rate: 0.1 } as never)).toThrow(TypeError);
    expect(() => new O.Adam({ learning_rate: 0.1 } as never)).toThrow(/keras.optimizers.Adam\(\) got an unexpected option 'learning_rate' — did you mean 'learningRate'\?/);
    expect(() => new O.AdamW({ beta_1: 0.9 } as never)).toThrow(/keras.optimizers.AdamW\(\) got an unexpected option 'beta_1' — did you mean 'beta1'\?/);
    expect(() => new O.SGD({ nestrov: true } as never)).toThrow(/did you mean 'nesterov'/);
    expect(() => new O.Ftrl({ l1: 0.1 } as never)).toThrow(/unexpected option 'l1'/);
  });
});
