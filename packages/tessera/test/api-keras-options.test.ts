/**
 * Every Keras class that takes an options object rejects a key it does not know with a TypeError
 * naming the class (Python's "unexpected keyword argument"). The walk covers every exported class of
 * the Keras namespaces, so a new class is checked as soon as it is exported: one whose constructor
 * needs positional arguments gets them from `POSITIONAL`, and the few that take no options object are
 * listed with the reason.
 */
import * as tf from "@tessera/tf";
import { describe, expect, it } from "vitest";

const { layers } = tf.keras;

/** Required positional arguments, by class name. */
const POSITIONAL: Record<string, () => unknown[]> = {
  Activation: () => ["relu"],
  AlphaDropout: () => [0.5],
  Bidirectional: () => [new layers.LSTM(2)],
  CenterCrop: () => [2, 2],
  Conv1D: () => [2, 3],
  Conv1DTranspose: () => [2, 3],
  Conv2D: () => [2, 3],
  Conv2DTranspose: () => [2, 3],
  DepthwiseConv2D: () => [3],
  Dense: () => [2],
  Dot: () => [1],
  Dropout: () => [0.5],
  Embedding: () => [10, 3],
  GRU: () => [2],
  GRUCell: () => [2],
  GaussianDropout: () => [0.5],
  GaussianNoise: () => [0.1],
  LSTM: () => [2],
  LSTMCell: () => [2],
  Lambda: () => [(x: tf.Tensor) => x],
  MultiHeadAttention: () => [2, 4],
  Permute: () => [[2, 1]],
  RNN: () => [new layers.SimpleRNNCell(2)],
  RepeatVector: () => [2],
  Rescaling: () => [0.5],
  Resizing: () => [2, 2],
  Reshape: () => [[4]],
  SeparableConv1D: () => [2, 3],
  SeparableConv2D: () => [2, 3],
  SimpleRNN: () => [2],
  SimpleRNNCell: () => [2],
  SpatialDropout1D: () => [0.5],
  SpatialDropout2D: () => [0.5],
  SpatialDropout3D: () => [0.5],
  StackedRNNCells: () => [[new layers.SimpleRNNCell(2), new layers.SimpleRNNCell(2)]],
  TimeDistributed: () => [new layers.Dense(2)],
  CSVLogger: () => [() => undefined],
  LearningRateScheduler: () => [(_epoch: number, lr: number) => lr],
  ModelCheckpoint: () => ["/tmp/tessera-never-written/model"],
  CosineDecay: () => [0.1, 100],
  CosineDecayRestarts: () => [0.1, 100],
  ExponentialDecay: () => [0.1, 100, 0.9],
  InverseTimeDecay: () => [0.1, 100, 0.5],
  PolynomialDecay: () => [0.1, 100],
};

/** Classes with no options object to check, and why. */
const NO_OPTIONS: Record<string, string> = {
  Layer: "base class: passes options on to subclasses",
  RNNCell: "base class",
  Optimizer: "base class",
  Loss: "base class",
  LossFunctionWrapper: "wraps a function with a positional name",
  Metric: "base class",
  MeanMetricWrapper: "wraps a function with a positional name",
  Mean: "positional name, as TensorFlow.js",
  Accuracy: "positional name, as TensorFlow.js",
  BinaryAccuracy: "positional name and threshold, as TensorFlow.js",
  CategoricalAccuracy: "positional name, as TensorFlow.js",
  SparseCategoricalAccuracy: "positional name, as TensorFlow.js",
  Callback: "base class",
  CallbackList: "internal list of callbacks",
  History: "takes nothing",
  ProgbarLogger: "internal progress bar",
  TerminateOnNaN: "takes nothing",
  LambdaCallback: "its options are hooks; Keras also takes any keyword",
  LearningRateSchedule: "base class",
  PiecewiseConstantDecay: "takes only its boundaries and values",
  Regularizer: "base class",
  Constraint: "base class",
  NonNeg: "takes nothing",
  Initializer: "base class",
  Zeros: "takes nothing",
  Ones: "takes nothing",
};

const NAMESPACES: Record<string, object> = {
  "keras.layers": tf.keras.layers,
  "keras.optimizers": tf.keras.optimizers,
  "keras.optimizers.schedules": tf.keras.optimizers.schedules,
  "keras.losses": tf.keras.losses,
  "keras.metrics": tf.keras.metrics,
  "keras.callbacks": tf.keras.callbacks,
  "keras.regularizers": tf.keras.regularizers,
  "keras.constraints": tf.keras.constraints,
  "keras.initializers": tf.keras.initializers,
};

type Ctor = new (...args: unknown[]) => unknown;
const isClass = (name: string, v: unknown): v is Ctor => typeof v === "function" && /^[A-Z]/.test(name) && /^class\b/.test(Function.prototype.toString.call(v));

describe("Keras classes reject unknown option keys", () => {
  for (const [ns, members] of Object.entries(NAMESPACES)) {
    it(`every class of tf.${ns}`, () => {
      let checked = 0;
      for (const [name, cls] of Object.entries(members)) {
        if (!isClass(name, cls) || Object.hasOwn(NO_OPTIONS, name)) continue;
        const args = POSITIONAL[name]?.() ?? [];
        expect(() => new cls(...args, { bogusOption: 1 }), `${ns}.${name}`).toThrow(TypeError);
        expect(() => new cls(...args, { bogusOption: 1 }), `${ns}.${name}`).toThrow(/unexpected option 'bogusOption'/);
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
    });
  }

  it("hint the closest key", () => {
    expect(() => new tf.keras.initializers.RandomNormal({ stdev: 1 } as never)).toThrow("keras.initializers.RandomNormal() got an unexpected option 'stdev' — did you mean 'stddev'?");
    expect(() => new tf.keras.initializers.GlorotUniform({ mode: "fan_in" } as never)).toThrow(/GlorotUniform\(\) got an unexpected option 'mode'/);
    expect(() => new tf.keras.constraints.MaxNorm({ max_value: 2 } as never)).toThrow(/did you mean 'maxValue'/);
    expect(() => new tf.keras.regularizers.L1L2({ L2: 0.1 } as never)).toThrow(/did you mean 'l2'/);
  });
});
