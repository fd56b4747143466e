/**
 * Categorical preprocessing layers: `CategoryEncoding` (integer ids → one-hot, multi-hot or count
 * vectors) and `Discretization` (numbers → bucket ids, with bucket boundaries given or adapted to
 * data as Keras's quantile summary finds them).
 */
import { tidy } from "../../engine/tidy.js";
import { InvalidArgumentError, ValueError } from "../../errors.js";
import { multiply } from "../../ops/binary.js";
import { cast } from "../../ops/cast.js";
import { greaterEqual } from "../../ops/compare.js";
import { constant } from "../../ops/creation.js";
import { oneHot } from "../../ops/gather.js";
import { reduceMax, reduceSum } from "../../ops/reduce.js";
import { expandDims } from "../../ops/reshape.js";
import { optionKeys } from "../../options.js";
import { Tensor } from "../../tensor/tensor.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { DType } from "../../dtypes.js";
import { Dataset } from "../../data/dataset.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { CALL_ARG_KEYS, LAYER_ARG_KEYS, Layer } from "../layer.js";

/** How categorical layers encode ids: Keras's names (TensorFlow.js's camelCase ones are read too). */
export type CategoryOutputMode = "one_hot" | "multi_hot" | "count";

const MODES: Record<string, CategoryOutputMode> = { one_hot: "one_hot", multi_hot: "multi_hot", count: "count", oneHot: "one_hot", multiHot: "multi_hot" };

/** @internal A validated output mode (Keras's or TensorFlow.js's spelling). */
export function outputModeOf(v: unknown, allowInt: boolean, layer: string): CategoryOutputMode | "int" {
  if (allowInt && v === "int") return "int";
  const m = typeof v === "string" && Object.hasOwn(MODES, v) ? MODES[v] : undefined;
  if (m) return m;
  const valid = [...(allowInt ? ["int"] : []), "one_hot", "multi_hot", "count"].map((s) => JSON.stringify(s)).join(", ");
  throw new ValueError(`Layer "${layer}": Unknown value for \`output_mode\`. Expected one of ${valid}. Received: output_mode=${JSON.stringify(v)}`);
}

/** The output shape of ids of `shape` encoded into `depth` slots (Keras's rules: rank ≤ 2 after one-hot's extra axis). */
function encodedShape(shape: Shape, mode: CategoryOutputMode, depth: number): Shape {
  let s = shape.length === 0 ? [1] : shape.slice();
  if (mode === "one_hot" && s[s.length - 1] !== 1) s = [...s, 1];
  return [...s.slice(0, -1), depth];
}

/**
 * One-hot, multi-hot or count vectors of int32 `ids` over `depth` slots (`weights`, in count mode,
 * weigh each id). Ids must lie in `[0, depth)`.
 */
export function encodeIds(ids: Tensor, mode: CategoryOutputMode, depth: number, dtype: DType, layer: string, weights?: Tensor): Tensor {
  return tidy(() => {
    let x = ids;
    if (x.rank === 0) x = expandDims(x, -1);
    if (mode === "one_hot" && x.shape[x.rank - 1] !== 1) x = expandDims(x, -1);
    if (x.rank > 2) {
      throw new ValueError(
        `Layer "${layer}": When output_mode is not \`'int'\`, maximum supported output rank is 2. Received output_mode ${mode} and input shape [${ids.shape.join(", ")}], which would result in output rank ${x.rank}.`,
      );
    }
    let hot = oneHot(x, depth);
    if (mode === "count") {
      if (weights) hot = multiply(hot, expandDims(cast(weights, "float32"), -1));
      return cast(reduceSum(hot, { axis: -2 }), dtype);
    }
    return cast(reduceMax(hot, { axis: -2 }), dtype);
  });
}

/** Options of `CategoryEncoding`. */
export interface CategoryEncodingArgs extends LayerArgs {
  /** The number of ids: inputs must lie in `[0, numTokens)` (required). */
  numTokens?: number;
  /** "multi_hot" (default), "one_hot" or "count". */
  outputMode?: CategoryOutputMode | "oneHot" | "multiHot";
  /** Only false: Tessera has no sparse tensors here. */
  sparse?: boolean;
}

/** Options of `CategoryEncoding`'s `apply`. */
export interface CategoryEncodingCallOptions extends CallOptions {
  /** Weights of each input id, summed instead of counting 1 (count mode only); the inputs' shape. */
  countWeights?: TensorLike;
}

/**
 * `new CategoryEncoding({ numTokens: 4, outputMode: "one_hot" })`: integer ids → vectors of
 * `numTokens` slots. "multi_hot": 1 in the slot of each id of a sample; "count": how many times each
 * id occurs; "one_hot": one vector per id. Inputs of shape `[batch, n]` give `[batch, numTokens]`
 * (`[batch, n, numTokens]` is not supported, as in Keras: one-hot needs `n == 1`).
 */
export class CategoryEncoding extends Layer {
  static override className = "CategoryEncoding";
  static override argKeys = optionKeys<CategoryEncodingArgs>()(...LAYER_ARG_KEYS, "numTokens", "outputMode", "sparse");
  static override callArgKeys = [...CALL_ARG_KEYS, "countWeights"];
  readonly numTokens: number;
  readonly outputMode: CategoryOutputMode;
  readonly sparse: boolean;

  constructor(args: CategoryEncodingArgs = {}) {
    super(args);
    if (args.numTokens === undefined || args.numTokens === null) throw new ValueError(`Layer "${this.name}": \`num_tokens\` must be set to use this layer. If the number of tokens is not known beforehand, use the IntegerLookup layer instead.`);
    if (!Number.isInteger(args.numTokens) || args.numTokens < 1) throw new ValueError(`Layer "${this.name}": \`num_tokens\` must be >= 1. Received: num_tokens=${JSON.stringify(args.numTokens)}.`);
    this.numTokens = args.numTokens;
    this.outputMode = outputModeOf(args.outputMode ?? "multi_hot", false, this.name) as CategoryOutputMode;
    if (args.sparse) throw new ValueError(`Layer "${this.name}": \`sparse: true\` is not supported by Tessera (outputs are dense)`);
    this.sparse = false;
  }

  override call(inputs: Tensor, options: CategoryEncodingCallOptions): Tensor {
    const weights = options.countWeights;
    if (weights !== undefined && this.outputMode !== "count") {
      throw new ValueError(`Layer "${this.name}": \`count_weights\` is not used when \`output_mode\` is not \`'count'\`. Received output_mode=${this.outputMode}.`);
    }
    return tidy(() => {
      const ids = checkIds(inputs, this.numTokens, this.name);
      const w = weights === undefined ? undefined : weights instanceof Tensor ? weights : toTensor(weights, this.name, "float32");
      return encodeIds(ids, this.outputMode, this.numTokens, this.dtype, this.name, w);
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return encodedShape(inputShape, this.outputMode, this.numTokens);
  }

  override computeOutputDtype(_inputDtypes: readonly DType[]): DType {
    return this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), num_tokens: this.numTokens, output_mode: this.outputMode, sparse: this.sparse };
  }
}

/** `inputs` as int32 ids, checked to lie in `[0, depth)` (Keras's message otherwise). */
function checkIds(inputs: Tensor, depth: number, layer: string): Tensor {
  const ids = inputs.dtype === "int32" ? inputs : cast(inputs, "int32");
  const v = ids.dataSync() as Int32Array;
  for (let i = 0; i < v.length; i++) {
    if (v[i]! < 0 || v[i]! >= depth) {
      throw new InvalidArgumentError(`Layer "${layer}": Input values must be in the range 0 <= values < num_tokens with num_tokens=${depth}. Received: ${v[i]}`);
    }
  }
  return ids;
}

// ---------------------------------------------------------------- Discretization

/** Keras's quantile summary: `[values, weights]`, sorted by value. */
type Summary = [number[], number[]];

/** The summary of a batch of values (Keras's `summarize`). */
function summarize(values: Float32Array, epsilon: number): Summary {
  const sorted = Float32Array.from(values).sort();
  const increment = sorted.length / (1 / epsilon);
  const step = Math.max(increment, 1);
  const out: Summary = [[], []];
  for (let i = Math.trunc(increment); i < sorted.length; i += Math.trunc(step)) {
    out[0].push(sorted[i]!);
    out[1].push(step);
  }
  return out;
}

/** `np.interp`: `fp` at `x` linearly interpolated over increasing `xp`, clamped at the ends. */
function interp(x: number, xp: readonly number[], fp: readonly number[]): number {
  if (x <= xp[0]!) return fp[0]!;
  if (x >= xp[xp.length - 1]!) return fp[fp.length - 1]!;
  let i = 1;
  while (xp[i]! < x) i++;
  const t = (x - xp[i - 1]!) / (xp[i]! - xp[i - 1]!);
  return fp[i - 1]! + t * (fp[i]! - fp[i - 1]!);
}

/** Keras's `compress_summary`: at most 1/epsilon points, found by interpolating cumulative weights. */
function compress(s: Summary, epsilon: number): Summary {
  if (s[0].length * epsilon < 1) return s;
  const percents: number[] = [];
  // NumPy's arange(0, 1, epsilon) has ⌈1/epsilon⌉ points.
  for (let k = 0; k < Math.ceil(1 / epsilon); k++) percents.push(epsilon + k * epsilon);
  const cum: number[] = [];
  s[1].reduce((a, w, i) => (cum[i] = a + w), 0);
  const total = cum[cum.length - 1]!;
  const pct = cum.map((c) => c / total);
  const bins = percents.map((p) => Math.fround(interp(p, pct, s[0])));
  const cw = percents.map((p) => interp(p, pct, cum));
  return [bins, cw.map((c, i) => Math.fround(c - (i === 0 ? 0 : cw[i - 1]!)))];
}

function merge(a: Summary, b: Summary, epsilon: number): Summary {
  const idx = [...a[0].map((v, i) => [v, a[1][i]!] as const), ...b[0].map((v, i) => [v, b[1][i]!] as const)].sort((p, q) => p[0] - q[0]);
  return compress([idx.map((p) => p[0]), idx.map((p) => p[1])], epsilon);
}

/** Options of `Discretization`. */
export interface DiscretizationArgs extends LayerArgs {
  /** Sorted bucket boundaries: bucket i holds `boundaries[i-1] <= x < boundaries[i]`. */
  binBoundaries?: readonly number[] | null;
  /** The number of buckets `adapt` finds boundaries for (instead of `binBoundaries`). */
  numBins?: number | null;
  /** The error tolerance of `adapt`'s quantiles (default 0.01). */
  epsilon?: number;
  /** "int" (default: bucket ids), "one_hot", "multi_hot" or "count". */
  outputMode?: CategoryOutputMode | "int" | "oneHot" | "multiHot";
  /** Only false. */
  sparse?: boolean;
}

/** Options of `Discretization.adapt`. */
export interface AdaptOptions {
  /** Batches of a dataset to read (default: all of it). */
  steps?: number;
}

/**
 * `new Discretization({ binBoundaries: [0, 1, 2] })`: each number → the id of its bucket (values below
 * 0 → 0, in [0, 1) → 1, …, at least 2 → 3), as int32, or encoded as one-hot/multi-hot/count vectors of
 * `boundaries.length + 1` slots. With `numBins`, `await layer.adapt(data)` sets the boundaries to
 * quantiles of `data` (Keras's approximate quantile summary, to within `epsilon`).
 */
export class Discretization extends Layer {
  static override className = "Discretization";
  static override argKeys = optionKeys<DiscretizationArgs>()(...LAYER_ARG_KEYS, "binBoundaries", "numBins", "epsilon", "outputMode", "sparse");
  /** The boundaries (null until adapted when built with `numBins`). */
  binBoundaries: number[] | null;
  readonly numBins: number | null;
  readonly epsilon: number;
  readonly outputMode: CategoryOutputMode | "int";
  readonly sparse: boolean;

  constructor(args: DiscretizationArgs = {}) {
    super(args);
    const b = args.binBoundaries ?? null;
    const n = args.numBins ?? null;
    if (n !== null && (!Number.isInteger(n) || n < 0)) throw new ValueError(`Layer "${this.name}": \`num_bins\` must be greater than or equal to 0. Received: \`num_bins=${JSON.stringify(n)}\``);
    if (n === null && b === null) throw new ValueError(`Layer "${this.name}": You need to set either \`num_bins\` or \`bin_boundaries\`.`);
    if (n !== null && b !== null && b.length !== n - 1) {
      throw new ValueError(`Layer "${this.name}": Both \`num_bins\` and \`bin_boundaries\` should not be set. Received: \`num_bins=${n}\` and \`bin_boundaries=${JSON.stringify(b)}\``);
    }
    if (b !== null) {
      if (!Array.isArray(b) || b.some((v, i) => typeof v !== "number" || Number.isNaN(v) || (i > 0 && v < b[i - 1]!))) {
        throw new ValueError(`Layer "${this.name}": \`bin_boundaries\` must be a sorted list of numbers, got ${JSON.stringify(b)}`);
      }
    }
    this.binBoundaries = b === null ? null : b.slice();
    this.numBins = n;
    const eps = args.epsilon ?? 0.01;
    if (typeof eps !== "number" || !(eps > 0 && eps < 1)) throw new ValueError(`Layer "${this.name}": \`epsilon\` must be a number in (0, 1), got ${JSON.stringify(args.epsilon)}`);
    this.epsilon = eps;
    this.outputMode = outputModeOf(args.outputMode ?? "int", true, this.name);
    if (args.sparse) throw new ValueError(`Layer "${this.name}": \`sparse: true\` is not supported by Tessera (outputs are dense)`);
    this.sparse = false;
  }

  /**
   * Sets the boundaries to `numBins` quantiles of `data` (a tensor, nested arrays, or a `Dataset` of
   * batches, whose elements are read up to `steps`).
   */
  async adapt(data: TensorLike | Dataset, options: AdaptOptions = {}): Promise<void> {
    if (this.numBins === null) throw new ValueError(`Layer "${this.name}": Cannot adapt a Discretization layer that has been initialized with \`bin_boundaries\`, use \`num_bins\` instead.`);
    let summary: Summary = [[], []];
    const add = (t: TensorLike) => {
      const x = t instanceof Tensor ? t : toTensor(t, this.name, "float32");
      try {
        const v = x.dtype === "float32" ? (x.dataSync() as Float32Array) : Float32Array.from(x.dataSync() as ArrayLike<number>);
        summary = merge(summarize(v, this.epsilon), summary, this.epsilon);
      } finally {
        if (x !== t) x.dispose();
      }
    };
    await forEachBatch(data, options, this.name, add);
    if (summary[0].length === 0) throw new ValueError(`Layer "${this.name}": adapt received no data`);
    this.binBoundaries = compress(summary, 1 / this.numBins)[0].slice(0, -1);
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    const b = this.binBoundaries;
    if (b === null) throw new ValueError(`Layer "${this.name}": You need to either pass the \`bin_boundaries\` argument at construction time or call \`adapt(dataset)\` before you can start using the \`Discretization\` layer.`);
    return tidy(() => {
      const x = inputs.dtype === "float32" || inputs.dtype === "float64" ? inputs : cast(inputs, "float32");
      const bounds = constant(b.length === 0 ? [Infinity] : b, x.dtype);
      const ids = reduceSum(cast(greaterEqual(expandDims(x, -1), bounds), "int32"), { axis: -1 });
      return this.outputMode === "int" ? ids : encodeIds(ids, this.outputMode, b.length + 1, this.dtype, this.name);
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    if (this.outputMode === "int") return inputShape.slice();
    return encodedShape(inputShape, this.outputMode, (this.binBoundaries?.length ?? this.numBins! - 1) + 1);
  }

  override computeOutputDtype(_inputDtypes: readonly DType[]): DType {
    return this.outputMode === "int" ? "int32" : this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      bin_boundaries: this.binBoundaries === null ? null : this.binBoundaries.slice(),
      num_bins: this.numBins,
      epsilon: this.epsilon,
      output_mode: this.outputMode,
      sparse: this.sparse,
    };
  }
}

/** Calls `fn` on `data` (one tensor or array) or on each element of a dataset, up to `steps` of them. */
export async function forEachBatch(data: TensorLike | Dataset, options: AdaptOptions, layer: string, fn: (batch: Tensor | TensorLike) => void): Promise<void> {
  const steps = options.steps;
  if (steps !== undefined && (!Number.isInteger(steps) || steps < 1)) throw new ValueError(`Layer "${layer}": adapt's \`steps\` must be a positive integer, got ${JSON.stringify(steps)}`);
  if (!(data instanceof Dataset)) {
    if (steps !== undefined) throw new ValueError(`Layer "${layer}": adapt's \`steps\` is only for a Dataset`);
    fn(data);
    return;
  }
  let n = 0;
  for await (const e of data) {
    try {
      if (!(e instanceof Tensor)) throw new ValueError(`Layer "${layer}": adapt expects a Dataset of tensors, got an element of type ${Array.isArray(e) ? "array" : typeof e}`);
      fn(e);
    } finally {
      if (e instanceof Tensor) e.dispose();
    }
    if (steps !== undefined && ++n >= steps) break;
  }
}
