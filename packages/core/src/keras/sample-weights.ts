/**
 * Per-example weights for `fit` and `evaluate`: Keras's `sampleWeight` (one weight per example) and
 * `classWeight` (a weight per class, looked up from each example's label), combined by product.
 * The loss is reduced as Keras does (`sum(loss · w) / batch elements`), and metrics are weighted.
 */
import { ValueError } from "../errors.js";
import { argmax } from "../ops/reduce.js";
import { cast } from "../ops/cast.js";
import { multiply } from "../ops/binary.js";
import { constant } from "../ops/creation.js";
import { reshape } from "../ops/reshape.js";
import { formatShapeTuple } from "../shape.js";
import type { TensorLike } from "../tensor/convert.js";
import { toTensor } from "../tensor/convert.js";
import { Tensor } from "../tensor/tensor.js";

/** `classWeight`: a weight for each class index (`{ 0: 1, 1: 5 }`), as Keras's `class_weight` dict. */
export type ClassWeight = Readonly<Record<number, number>>;

/** Checks a `classWeight` option and returns it as a Map from class index to weight. */
export function checkClassWeight(cw: unknown, method: string): Map<number, number> {
  if (cw === null || typeof cw !== "object" || Array.isArray(cw) || cw instanceof Tensor) {
    throw new ValueError(`${method}: \`classWeight\` must be an object mapping class indices to weights, like { 0: 1, 1: 5 }; got ${cw instanceof Tensor ? "a Tensor" : JSON.stringify(cw)}`);
  }
  const out = new Map<number, number>();
  for (const [k, v] of Object.entries(cw)) {
    const c = Number(k);
    if (!/^\d+$/.test(k) || !Number.isSafeInteger(c)) throw new ValueError(`${method}: \`classWeight\` keys must be class indices (integers ≥ 0), got ${JSON.stringify(k)}`);
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new ValueError(`${method}: \`classWeight\` for class ${k} must be a finite number ≥ 0, got ${JSON.stringify(v)}`);
    out.set(c, v);
  }
  if (out.size === 0) throw new ValueError(`${method}: \`classWeight\` is empty; give a weight for each class`);
  return out;
}

/**
 * The class of each example of `y`: the label itself for integer labels (shape `(n,)` or `(n, 1)`),
 * the arg-max for one-hot or probability targets (shape `(n, classes)`), as Keras.
 */
function classesOf(y: Tensor, method: string): Int32Array {
  const owned: Tensor[] = [];
  try {
    let labels: Tensor;
    if (y.rank === 1 || (y.rank === 2 && y.shape[1] === 1)) labels = y.dtype === "int32" ? y : cast(y, "int32");
    else if (y.rank === 2) labels = argmax(y, -1);
    else throw new ValueError(`${method}: \`classWeight\` needs targets of shape (n,), (n, 1) or (n, classes); got ${formatShapeTuple(y.shape)}`);
    if (labels !== y) owned.push(labels);
    if (y.rank !== 2 || y.shape[1] === 1) {
      const raw = y.dataSync() as ArrayLike<number>;
      for (let i = 0; i < raw.length; i++) {
        if (!Number.isInteger(raw[i]!)) throw new ValueError(`${method}: \`classWeight\` needs integer class labels, but y holds ${raw[i]}`);
      }
    }
    return Int32Array.from(labels.dataSync() as ArrayLike<number>);
  } finally {
    for (const t of owned) t.dispose();
  }
}

/**
 * Per-example weights (a float32 tensor of shape `(n,)`) from `classWeight` looked up by each
 * example's class, times `sampleWeight` when given. A class that occurs in `y` but has no weight is an
 * error (Keras 2's rule), raised before any step.
 */
export function classSampleWeights(y: Tensor, classWeight: Map<number, number>, sampleWeight: Tensor | null, method: string): Tensor {
  const classes = classesOf(y, method);
  const missing = new Set<number>();
  const w = new Float32Array(classes.length);
  classes.forEach((c, i) => {
    const v = classWeight.get(c);
    if (v === undefined) missing.add(c);
    else w[i] = v;
  });
  if (missing.size) {
    throw new ValueError(`${method}: \`classWeight\` must contain all classes in the data. The classes [${[...missing].sort((a, b) => a - b).join(", ")}] exist in the data but not in \`classWeight\` (which has ${[...classWeight.keys()].join(", ")})`);
  }
  if (sampleWeight && !(sampleWeight.rank === 1 || (sampleWeight.rank === 2 && sampleWeight.shape[1] === 1))) {
    throw new ValueError(`${method}: with \`classWeight\`, \`sampleWeight\` must hold one weight per example (shape (n,)); got ${formatShapeTuple(sampleWeight.shape)}`);
  }
  const cw = constant(w, "float32");
  if (!sampleWeight) return cw;
  try {
    return multiply(cw, sampleWeight.rank === 2 ? reshape(sampleWeight, [-1]) : sampleWeight);
  } finally {
    cw.dispose();
  }
}

/**
 * `sampleWeight` as a float32 tensor with `n` rows (shape `(n,)`, or `(n, 1)`, or `(n, …)` for
 * per-timestep weights); `owned` says whether the caller must free it.
 */
export function checkSampleWeight(sw: TensorLike, n: number, method: string): { tensor: Tensor; owned: boolean } {
  if (sw instanceof Tensor) sw.throwIfDisposed(method);
  let t = sw instanceof Tensor ? sw : toTensor(sw, `${method} (sampleWeight)`, "float32");
  let owned = t !== sw;
  if (t.dtype !== "float32") {
    if (t.dtype !== "int32" && t.dtype !== "float64" && t.dtype !== "bool") {
      if (owned) t.dispose();
      throw new ValueError(`${method}: \`sampleWeight\` must be numeric, got dtype ${t.dtype}`);
    }
    const c = cast(t, "float32");
    if (owned) t.dispose();
    t = c;
    owned = true;
  }
  if (t.rank === 0 || t.shape[0] !== n) {
    const shape = formatShapeTuple(t.shape);
    if (owned) t.dispose();
    throw new ValueError(`${method}: \`sampleWeight\` must have one weight per example (shape (${n},)); got shape ${shape}`);
  }
  return { tensor: t, owned };
}
