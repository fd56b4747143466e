/**
 * The MLP both libraries train, written idiomatically in each: a raw-variable model trained with a
 * tape (Tessera's GradientTape, TF.js's optimizer.minimize) and a Keras-style model trained with fit.
 * Both start from the same seeded weights so their first losses agree and the check can compare them.
 */
import type { Tensor as TTensor, Variable as TVariable } from "@tessera/core";
import type { Scalar as FScalar, Tensor as FTensor, Variable as FVariable } from "@tensorflow/tfjs-core";
import { glorot } from "../data.js";
import type { TesseraLib } from "../libs/tessera.js";
import type { keras } from "@tessera/core";
import type { TfjsLib } from "../libs/tfjs.js";

export interface InitWeight {
  shape: number[];
  values: Float32Array;
}

/** [kernel, bias] per layer: Glorot-uniform kernels, zero biases (Keras's defaults). */
export function mlpInit(sizes: readonly number[], seed: number): InitWeight[] {
  const out: InitWeight[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [i, o] = [sizes[l]!, sizes[l + 1]!];
    out.push({ shape: [i, o], values: glorot(i, o, seed + l) }, { shape: [o], values: new Float32Array(o) });
  }
  return out;
}

/** FLOPs of one training step (forward + both backward matmuls), for GFLOP/s. */
export function mlpStepFlops(sizes: readonly number[], batch: number): number {
  let f = 0;
  for (let l = 0; l + 1 < sizes.length; l++) f += 3 * 2 * batch * sizes[l]! * sizes[l + 1]!;
  return f;
}

// ---- Tessera ----------------------------------------------------------------------------------

export class TesseraMlp {
  readonly vars: TVariable[];
  constructor(private readonly lib: TesseraLib, init: readonly InitWeight[]) {
    const { tf } = lib;
    this.vars = init.map((w) => {
      const t = tf.constant(w.values, { shape: w.shape });
      const v = new tf.Variable(t);
      t.dispose();
      return v;
    });
  }
  logits(x: TTensor): TTensor {
    const { tf } = this.lib;
    let h = x;
    for (let l = 0; l < this.vars.length; l += 2) {
      const z = tf.add(tf.matmul(h, this.vars[l]!), this.vars[l + 1]!);
      h = l + 2 < this.vars.length ? tf.relu(z) : z;
    }
    return h;
  }
  /** Mean sparse softmax cross-entropy; labels are int32 class ids. */
  loss(x: TTensor, labels: TTensor): TTensor {
    const { tf } = this.lib;
    return tf.reduceMean(tf.nn.sparseSoftmaxCrossEntropyWithLogits(labels, this.logits(x)));
  }
  dispose(): void {
    this.lib.tf.dispose(this.vars);
  }
}

/** One GradientTape step: record the loss, take gradients, apply them; returns the loss. */
export function tesseraTapeStep(lib: TesseraLib, mlp: TesseraMlp, opt: keras.optimizers.Optimizer | null): (x: TTensor, labels: TTensor) => TTensor {
  const { tf } = lib;
  return (x, labels) =>
    tf.tidy(() => {
      const tape = new tf.GradientTape();
      const loss = tape.record(() => mlp.loss(x, labels));
      const grads = tape.gradient(loss, mlp.vars);
      tape.dispose();
      if (opt) opt.applyGradients(grads.map((g, i) => [g!, mlp.vars[i]!] as [TTensor, TVariable]));
      return loss;
    });
}

/** A compiled Sequential MLP with `init`'s weights; softmax output with sparse cross-entropy. */
export function tesseraKerasMlp(lib: TesseraLib, sizes: readonly number[], init: readonly InitWeight[]): keras.Sequential {
  const { tf } = lib;
  const { keras } = tf;
  const layers = [];
  for (let l = 1; l < sizes.length; l++) {
    const last = l === sizes.length - 1;
    layers.push(new keras.layers.Dense(sizes[l]!, { activation: last ? "softmax" : "relu", ...(l === 1 ? { inputShape: [sizes[0]!] } : {}) }));
  }
  const model = new keras.Sequential(layers);
  model.compile({ optimizer: new keras.optimizers.Adam({ learningRate: 1e-3 }), loss: new keras.losses.SparseCategoricalCrossentropy() });
  if (model.variables.length === 0) {
    // Not built yet: one prediction builds the layers so their weights can be set.
    const probe = tf.zeros([1, sizes[0]!]);
    tf.dispose([model.predict(probe), probe]);
  }
  const ws = init.map((w) => tf.constant(w.values, { shape: w.shape }));
  model.setWeights(ws);
  tf.dispose(ws);
  return model;
}

// ---- TF.js ------------------------------------------------------------------------------------

export class TfjsMlp {
  readonly vars: FVariable[];
  constructor(private readonly lib: TfjsLib, init: readonly InitWeight[]) {
    const { tf } = lib;
    this.vars = init.map((w) => tf.tidy(() => tf.variable(tf.tensor(w.values, w.shape))));
  }
  logits(x: FTensor): FTensor {
    const { tf } = this.lib;
    let h = x;
    for (let l = 0; l < this.vars.length; l += 2) {
      const z = tf.add(tf.matMul(h, this.vars[l]!), this.vars[l + 1]!);
      h = l + 2 < this.vars.length ? tf.relu(z) : z;
    }
    return h;
  }
  /** Mean softmax cross-entropy against one-hot labels (tfjs-core has no sparse form). */
  loss(x: FTensor, oneHot: FTensor): FScalar {
    return this.lib.tf.losses.softmaxCrossEntropy(oneHot, this.logits(x)) as FScalar;
  }
  dispose(): void {
    this.lib.tf.dispose(this.vars);
  }
}

/** One optimizer.minimize step (TF.js's tape-style loop); returns the loss. */
export function tfjsTapeStep(lib: TfjsLib, mlp: TfjsMlp): (x: FTensor, oneHot: FTensor) => FScalar {
  const opt = lib.tf.train.adam(1e-3);
  return (x, oneHot) => opt.minimize(() => mlp.loss(x, oneHot), true, mlp.vars)!;
}

/** The same Sequential MLP in tfjs-layers. */
export async function tfjsLayersMlp(lib: TfjsLib, sizes: readonly number[], init: readonly InitWeight[]) {
  const { tf } = lib;
  const tfl = await lib.layers();
  const model = tfl.sequential();
  for (let l = 1; l < sizes.length; l++) {
    const last = l === sizes.length - 1;
    model.add(tfl.layers.dense({ units: sizes[l]!, activation: last ? "softmax" : "relu", ...(l === 1 ? { inputShape: [sizes[0]!] } : {}) }));
  }
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "sparseCategoricalCrossentropy" });
  const ws = init.map((w) => tf.tensor(w.values, w.shape));
  model.setWeights(ws);
  tf.dispose(ws);
  return model;
}
