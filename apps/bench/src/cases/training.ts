/**
 * Training: the gradient of a small MLP, and one MLP 784-128-10 training step (batch 64) written as a
 * GradientTape loop and with Keras fit. Inputs are seeded random batches; MNIST itself is in mnist.ts.
 */
import type { Tensor as TTensor } from "@tessera/core";
import { randomFloats, randomInts } from "../data.js";
import type { TesseraCore } from "../libs/tessera.js";
import type { BenchCase, Output, Runner } from "../types.js";
import { TesseraMlp, TfjsMlp, mlpInit, mlpStepFlops, tesseraKerasMlp, tesseraTapeStep, tfjsLayersMlp, tfjsTapeStep } from "./mlp.js";

const SMALL = [64, 64, 10];
const SMALL_BATCH = 32;
const MLP = [784, 128, 10];
const BATCH = 64;
/** Distinct batches cycled through, so a step never sees the same data twice in a row. */
const BATCHES = 8;

function concat(parts: readonly Output[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const batchX = (i: number, features: number, batch: number) => randomFloats(batch * features, 100 + i);
const batchY = (i: number, batch: number) => randomInts(batch, 200 + i, 10);

/** The MLP cases' BATCHES input batches and int32 labels, as Tessera tensors. */
function tesseraBatches(tf: TesseraCore): { xs: TTensor[]; ys: TTensor[] } {
  const xs: TTensor[] = [];
  const ys: TTensor[] = [];
  for (let i = 0; i < BATCHES; i++) {
    xs.push(tf.constant(batchX(i, MLP[0]!, BATCH), { shape: [BATCH, MLP[0]!] }));
    ys.push(tf.constant(batchY(i, BATCH), { shape: [BATCH], dtype: "int32" }));
  }
  return { xs, ys };
}

/** A tensor of either library, as far as a step runner uses it. */
interface Readable {
  data(): Promise<unknown>;
  dispose(): void;
}

/**
 * Runs `step` on the next of the cycled batches, reads the loss back and waits for the update too
 * (it matters on GPUs) by reading `lastVar`, the last bias.
 */
function stepRunner<X extends Readable>(step: (x: X, y: X) => X, xs: readonly X[], ys: readonly X[], lastVar: Pick<Readable, "data">, dispose: () => void): Runner {
  let i = 0;
  return {
    async run() {
      const loss = step(xs[i % BATCHES]!, ys[i % BATCHES]!);
      i++;
      const value = (await loss.data()) as Output;
      loss.dispose();
      await lastVar.data();
      return value;
    },
    dispose,
  };
}

const gradCase: BenchCase = {
  id: "grad-small-mlp",
  family: "training",
  title: `gradient of MLP ${SMALL.join("-")} (batch ${SMALL_BATCH})`,
  // Forward and backward without the update: 3 matmuls per layer.
  work: { flops: mlpStepFlops(SMALL, SMALL_BATCH) },
  tessera(lib) {
    const { tf } = lib;
    const mlp = new TesseraMlp(lib, mlpInit(SMALL, 7));
    const x = tf.constant(batchX(0, SMALL[0]!, SMALL_BATCH), { shape: [SMALL_BATCH, SMALL[0]!] });
    const y = tf.constant(batchY(0, SMALL_BATCH), { shape: [SMALL_BATCH], dtype: "int32" });
    return {
      async run() {
        const ts = tf.tidy(() => {
          const tape = new tf.GradientTape();
          const loss = tape.record(() => mlp.loss(x, y));
          const grads = tape.gradient(loss, mlp.vars);
          tape.dispose();
          return [loss, ...grads.map((g) => g!)];
        });
        const parts = await Promise.all(ts.map((t) => t.data() as Promise<Output>));
        tf.dispose(ts);
        return concat(parts);
      },
      dispose: () => {
        mlp.dispose();
        tf.dispose([x, y]);
      },
    };
  },
  tfjs(lib) {
    const { tf } = lib;
    const mlp = new TfjsMlp(lib, mlpInit(SMALL, 7));
    const x = tf.tensor2d(batchX(0, SMALL[0]!, SMALL_BATCH), [SMALL_BATCH, SMALL[0]!]);
    const y = tf.oneHot(tf.tensor1d(batchY(0, SMALL_BATCH), "int32"), 10);
    return {
      async run() {
        const { value, grads } = tf.variableGrads(() => mlp.loss(x, y), mlp.vars);
        const ts = [value, ...mlp.vars.map((v) => grads[v.name]!)];
        const parts = await Promise.all(ts.map((t) => t.data()));
        tf.dispose(ts);
        return concat(parts);
      },
      dispose: () => {
        mlp.dispose();
        tf.dispose([x, y]);
      },
    };
  },
};

const tapeStepCase: BenchCase = {
  id: "train-step-tape",
  family: "training",
  title: `MLP ${MLP.join("-")} step, batch ${BATCH}: tape + Adam`,
  work: { flops: mlpStepFlops(MLP, BATCH) },
  threaded: true,
  tessera(lib) {
    const { tf } = lib;
    const { keras } = tf;
    const mlp = new TesseraMlp(lib, mlpInit(MLP, 3));
    const step = tesseraTapeStep(lib, mlp, new keras.optimizers.Adam({ learningRate: 1e-3 }));
    const { xs, ys } = tesseraBatches(tf);
    return stepRunner(step, xs, ys, mlp.vars[mlp.vars.length - 1]!, () => {
      mlp.dispose();
      tf.dispose([...xs, ...ys]);
    });
  },
  tfjs(lib) {
    const { tf } = lib;
    const mlp = new TfjsMlp(lib, mlpInit(MLP, 3));
    const step = tfjsTapeStep(lib, mlp);
    const xs = Array.from({ length: BATCHES }, (_, i) => tf.tensor2d(batchX(i, MLP[0]!, BATCH), [BATCH, MLP[0]!]));
    const ys = Array.from({ length: BATCHES }, (_, i) => tf.tidy(() => tf.oneHot(tf.tensor1d(batchY(i, BATCH), "int32"), 10)));
    return stepRunner(step, xs, ys, mlp.vars[mlp.vars.length - 1]!, () => {
      mlp.dispose();
      tf.dispose([...xs, ...ys]);
    });
  },
};

const fitStepCase: BenchCase = {
  id: "train-step-fit",
  family: "training",
  title: `MLP ${MLP.join("-")} step, batch ${BATCH}: fit`,
  work: { flops: mlpStepFlops(MLP, BATCH) },
  tessera(lib) {
    const { tf } = lib;
    const model = tesseraKerasMlp(lib, MLP, mlpInit(MLP, 3));
    const { xs, ys } = tesseraBatches(tf);
    let i = 0;
    return {
      async run() {
        const h = await model.fit(xs[i % BATCHES]!, ys[i % BATCHES]!, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
        i++;
        return historyLoss(h.history);
      },
      dispose: () => {
        tf.dispose(model.variables);
        tf.dispose([...xs, ...ys]);
      },
    };
  },
  async tfjs(lib) {
    const { tf } = lib;
    const model = await tfjsLayersMlp(lib, MLP, mlpInit(MLP, 3));
    const xs = Array.from({ length: BATCHES }, (_, i) => tf.tensor2d(batchX(i, MLP[0]!, BATCH), [BATCH, MLP[0]!]));
    const ys = Array.from({ length: BATCHES }, (_, i) => tf.tensor1d(Float32Array.from(batchY(i, BATCH))));
    let i = 0;
    return {
      async run() {
        const h = await model.fit(xs[i % BATCHES]!, ys[i % BATCHES]!, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
        i++;
        return historyLoss(h.history as Record<string, number[]>);
      },
      dispose: () => {
        model.dispose();
        tf.dispose([...xs, ...ys]);
      },
    };
  },
};

/** The epoch's loss from a Keras History (`history.loss`, one entry per epoch). */
export function historyLoss(history: Record<string, unknown[]>): number[] {
  const loss = history["loss"];
  if (!Array.isArray(loss) || typeof loss[loss.length - 1] !== "number") {
    throw new Error(`fit's History has no numeric history.loss (keys: ${Object.keys(history).join(", ")})`);
  }
  return [loss[loss.length - 1] as number];
}

export const trainingCases: BenchCase[] = [gradCase, tapeStepCase, fitStepCase];
