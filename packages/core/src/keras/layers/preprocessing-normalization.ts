/** `tf.keras.layers.Normalization`: `(x − mean) / √variance` per feature, the statistics given or adapted to data. */
import { tidy } from "../../engine/tidy.js";
import { ValueError } from "../../errors.js";
import { add, divide, maximum, multiply, subtract } from "../../ops/binary.js";
import { cast } from "../../ops/cast.js";
import { constant } from "../../ops/creation.js";
import { moments } from "../../ops/moments.js";
import { reshape } from "../../ops/reshape.js";
import { sqrt, square } from "../../ops/unary.js";
import { optionKeys } from "../../options.js";
import { Tensor } from "../../tensor/tensor.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Variable } from "../../tensor/variable.js";
import type { Dataset } from "../../data/dataset.js";
import type { DType } from "../../dtypes.js";
import type { CallOptions, LayerArgs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import type { AdaptOptions } from "./preprocessing-encoding.js";
import { forEachBatch } from "./preprocessing-encoding.js";

/** Keras's fuzz factor: the smallest standard deviation divided by. */
const EPSILON = 1e-7;

/** Options of `Normalization`. */
export interface NormalizationLayerArgs extends LayerArgs {
  /** The axis (or axes) with one mean and variance each (default -1: per feature); null for one over everything. */
  axis?: number | readonly number[] | null;
  /** The mean (a number, or one per feature); given with `variance` instead of calling `adapt`. */
  mean?: number | readonly number[] | null;
  /** The variance (a number, or one per feature). */
  variance?: number | readonly number[] | null;
  /** Undo the normalization instead: `mean + x · √variance` (default false). */
  invert?: boolean;
}

/**
 * `new Normalization()` then `await layer.adapt(data)`, or `new Normalization({ mean: 2, variance: 4 })`:
 * outputs `(x − mean) / max(√variance, 1e-7)` with one mean and variance per index along `axis`.
 * `adapt` reads a tensor, nested arrays or a `Dataset` of batches and sets the statistics (kept in the
 * non-trainable weights `mean`, `variance` and `count`, so they are saved with the model).
 */
export class Normalization extends Layer {
  static override className = "Normalization";
  static override argKeys = optionKeys<NormalizationLayerArgs>()(...LAYER_ARG_KEYS, "axis", "mean", "variance", "invert");
  readonly axis: number[];
  readonly inputMean: number | number[] | null;
  readonly inputVariance: number | number[] | null;
  readonly invert: boolean;
  /** Adapted statistics (non-trainable weights), created by `build` when `mean`/`variance` are not given. */
  adaptMean: Variable | null = null;
  adaptVariance: Variable | null = null;
  count: Variable | null = null;
  private keep: number[] = [];
  private broadcast: number[] = [];

  constructor(args: NormalizationLayerArgs = {}) {
    super(args);
    const axis = args.axis === undefined ? [-1] : args.axis === null ? [] : typeof args.axis === "number" ? [args.axis] : args.axis.slice();
    if (axis.some((a) => !Number.isInteger(a))) throw new ValueError(`Layer "${this.name}": \`axis\` must be an integer, a list of integers or null, got ${JSON.stringify(args.axis)}`);
    if (axis.includes(0)) throw new ValueError(`Layer "${this.name}": The argument 'axis' may not be 0.`);
    this.axis = axis;
    const m = args.mean ?? null, v = args.variance ?? null;
    if ((m === null) !== (v === null)) throw new ValueError(`Layer "${this.name}": When setting values directly, both \`mean\` and \`variance\` must be set. Got mean: ${JSON.stringify(m)} and variance: ${JSON.stringify(v)}`);
    const stat = (x: number | readonly number[] | null, what: string) => {
      if (x === null) return null;
      if (typeof x === "number" ? !Number.isFinite(x) : !Array.isArray(x) || x.some((e) => typeof e !== "number" || !Number.isFinite(e))) {
        throw new ValueError(`Layer "${this.name}": \`${what}\` must be a number or a list of numbers, got ${JSON.stringify(x)}`);
      }
      return typeof x === "number" ? x : x.slice();
    };
    this.inputMean = stat(m, "mean");
    this.inputVariance = stat(v, "variance");
    this.invert = args.invert ?? false;
  }

  override build(inputShape: Shape): void {
    const rank = inputShape.length;
    const keep = this.axis.map((a) => (a < 0 ? a + rank : a));
    for (const [i, a] of keep.entries()) {
      if (a < 1 || a >= rank) throw new ValueError(`Layer "${this.name}": All \`axis\` values must be in the range [-ndim, ndim). Received inputs with ndim=${rank}, while axis=${JSON.stringify(this.axis)} (${this.axis[i]})`);
      if (inputShape[a] === null || inputShape[a] === undefined) throw new ValueError(`Layer "${this.name}": All \`axis\` values to be kept must have a known shape. Received axis=${JSON.stringify(this.axis)}, inputs.shape=${JSON.stringify(inputShape)}, with unknown axis at index ${a}`);
    }
    this.keep = keep;
    const statShape = keep.map((a) => inputShape[a]!);
    this.broadcast = inputShape.map((d, i) => (keep.includes(i) ? d! : 1));
    if (this.inputMean === null) {
      this.adaptMean = this.addWeight("mean", statShape, { initializer: "zeros", trainable: false });
      this.adaptVariance = this.addWeight("variance", statShape, { initializer: "ones", trainable: false });
      this.count = this.addWeight("count", [], { initializer: "zeros", trainable: false });
    } else {
      for (const [what, x] of [["mean", this.inputMean], ["variance", this.inputVariance!]] as const) {
        const n = statShape.reduce((a, b) => a * b, 1);
        if (Array.isArray(x) && x.length !== n && x.length !== 1) throw new ValueError(`Layer "${this.name}": \`${what}\` has ${x.length} values, but the inputs have ${n} features along axis ${JSON.stringify(this.axis)}`);
      }
    }
    this.built = true;
  }

  /** The mean and variance broadcastable against the inputs. */
  private stats(dtype: DType): [Tensor, Tensor] {
    if (this.adaptMean) return [reshape(cast(this.adaptMean, dtype), this.broadcast), reshape(cast(this.adaptVariance!, dtype), this.broadcast)];
    const n = this.broadcast.reduce((a, b) => a * b, 1);
    const full = (x: number | number[]) => constant(typeof x === "number" || x.length === 1 ? new Array<number>(n).fill(typeof x === "number" ? x : x[0]!) : x, { shape: this.broadcast, dtype });
    return [full(this.inputMean!), full(this.inputVariance!)];
  }

  /**
   * Sets the mean and variance (over every axis but `axis`) to those of `data`: a tensor, nested
   * arrays, or a `Dataset` of batches (combined as Keras does, weighted by their sizes).
   */
  async adapt(data: TensorLike | Dataset, options: AdaptOptions = {}): Promise<void> {
    if (this.inputMean !== null) throw new ValueError(`Layer "${this.name}": Cannot adapt a Normalization layer with statically set \`mean\` and \`variance\`.`);
    let started = false;
    await forEachBatch(data, options, this.name, (batch) => {
      const x = batch instanceof Tensor ? batch : toTensor(batch, this.name, this.dtype);
      try {
        if (!this.built) {
          this.build(x.shape.map((d, i) => (i === 0 ? null : d)));
        }
        this.assertInputCompatible(x.shape);
        if (x.rank !== this.broadcast.length || x.shape.some((d, i) => this.keep.includes(i) && d !== this.broadcast[i])) {
          throw new ValueError(`Layer "${this.name}": adapt data of shape [${x.shape.join(", ")}] does not match the layer's features [${this.broadcast.join(", ")}] (1 = reduced axis)`);
        }
        tidy(() => {
          const xf = cast(x, this.dtype);
          const reduce = x.shape.map((_, i) => i).filter((i) => !this.keep.includes(i));
          const { mean, variance } = moments(xf, reduce);
          const n = reduce.reduce((a, i) => a * x.shape[i]!, 1);
          const seen = started ? (this.count!.dataSync()[0] as number) : 0;
          const total = n + seen;
          const wb = n / total, we = 1 - wb;
          const oldMean = started ? this.adaptMean! : mean;
          const oldVar = started ? this.adaptVariance! : variance;
          const m = add(multiply(oldMean, we), multiply(mean, wb));
          const v = add(multiply(add(oldVar, square(subtract(oldMean, m))), we), multiply(add(variance, square(subtract(mean, m))), wb));
          this.adaptMean!.assign(m);
          this.adaptVariance!.assign(v);
          this.count!.assign(constant(total, this.dtype));
        });
        started = true;
      } finally {
        if (x !== batch) x.dispose();
      }
    });
    if (!started) throw new ValueError(`Layer "${this.name}": adapt received no data`);
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return tidy(() => {
      const x = inputs.dtype === this.dtype ? inputs : cast(inputs, this.dtype);
      const [mean, variance] = this.stats(this.dtype);
      const std = maximum(sqrt(variance), EPSILON);
      return this.invert ? add(mean, multiply(x, std)) : divide(subtract(x, mean), std);
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  override computeOutputDtype(_inputDtypes: readonly DType[]): DType {
    return this.dtype;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis.slice(), mean: this.inputMean, variance: this.inputVariance, invert: this.invert };
  }
}
