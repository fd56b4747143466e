/**
 * Attention layers: `Attention` (dot-product, Luong style), `AdditiveAttention` (Bahdanau style) and
 * `MultiHeadAttention`, over `[batch, time, features]` inputs. Called on `[query, value]` or
 * `[query, value, key]`; masks (per input, from `Embedding`/`Masking` or `mask`) hide value steps
 * and zero masked query steps as in Keras.
 */
import { tidy } from "../../engine/tidy.js";
import { ValueError } from "../../errors.js";
import { add, multiply, subtract } from "../../ops/binary.js";
import { cast } from "../../ops/cast.js";
import { greaterEqual, logicalAnd } from "../../ops/compare.js";
import { range } from "../../ops/creation.js";
import { matmul } from "../../ops/matmul.js";
import { softmax } from "../../ops/nn.js";
import { reduceSum } from "../../ops/reduce.js";
import { expandDims, reshape } from "../../ops/reshape.js";
import { transpose } from "../../ops/transpose.js";
import { tanh } from "../../ops/unary.js";
import { optionKeys } from "../../options.js";
import { uniform } from "../../random/uniform.js";
import { Tensor } from "../../tensor/tensor.js";
import type { Variable } from "../../tensor/variable.js";
import { argsFromConfig, required } from "../config.js";
import type { Initializer, InitializerIdentifier } from "../initializers.js";
import { getInitializer } from "../initializers.js";
import type { WeightRule, WeightRuleArgs } from "./weight-config.js";
import { kernelBiasConfig, weightRuleKeys, weightRules } from "./weight-config.js";
import type { ActivityRegularizerArgs, CallOptions, LayerArgs, Mask, Shape } from "../layer.js";
import { CALL_ARG_KEYS, LAYER_ARG_KEYS, Layer } from "../layer.js";

/** Options of an attention layer's `apply`. */
export interface AttentionCallOptions extends CallOptions {
  /** Also return the attention weights: `[output, scores]` (default false). */
  returnAttentionScores?: boolean;
  /** Hide future steps: query step i attends to value steps ≤ i (default false). */
  useCausalMask?: boolean;
}

/** Options of `MultiHeadAttention`'s `apply`. */
export interface MultiHeadAttentionCallOptions extends AttentionCallOptions {
  /** `[batch, queryTime, valueTime]` booleans: which value steps each query step may attend to. */
  attentionMask?: Tensor;
}

/** The masks of `[query, value, (key)]`, each `[batch, time]` or null. */
function inputMasks(mask: Mask | undefined): [Tensor | null, Tensor | null] {
  if (mask === null || mask === undefined) return [null, null];
  if (mask instanceof Tensor) return [mask, null];
  if (!Array.isArray(mask)) return [null, null];
  const list = mask as readonly (Tensor | null)[];
  return [list[0] ?? null, list[1] ?? null];
}

/** Splits `[query, value, key?]`, checking the list. */
function qvk(inputs: Tensor | Tensor[], cls: string, layer: string): [Tensor, Tensor, Tensor] {
  if (!Array.isArray(inputs) || inputs.length < 2 || inputs.length > 3) {
    throw new ValueError(`${cls} layer "${layer}" must be called on a list of inputs, namely [query, value] or [query, value, key]. Received: ${Array.isArray(inputs) ? `${inputs.length} inputs` : "one tensor"}.`);
  }
  return [inputs[0]!, inputs[1]!, inputs[2] ?? inputs[1]!];
}

/** `[tq, tv]` booleans true where query step i may see value step j ≤ i. */
function causalMask(tq: number, tv: number): Tensor {
  return tidy(() => greaterEqual(expandDims(range(0, tq, 1, "int32"), 1), expandDims(range(0, tv, 1, "int32"), 0)));
}

/** Softmax of `scores` with hidden positions (`keep` false) given weight ~0, as Keras does (−1e9 added). */
function maskedSoftmax(scores: Tensor, keep: Tensor | null): Tensor {
  if (!keep) return softmax(scores, -1);
  return tidy(() => softmax(subtract(scores, multiply(subtract(1, cast(keep, scores.dtype)), 1e9)), -1));
}

/** Inverted dropout of attention weights while training. */
function dropoutOf(x: Tensor, rate: number, training: boolean): Tensor {
  if (!training || rate <= 0) return x;
  return tidy(() => {
    const keep = cast(greaterEqual(uniform(x.shape, { dtype: x.dtype as "float32" | "float64" }), rate), x.dtype);
    return multiply(x, multiply(keep, 1 / (1 - rate)));
  });
}

/** Options of `Attention` and `AdditiveAttention`. */
export interface BaseAttentionArgs extends LayerArgs {
  /** Fraction of the attention weights dropped while training (default 0). */
  dropout?: number;
  /** Keras < 2.10's way to ask for a causal mask (default false); prefer `useCausalMask` at call time. */
  causal?: boolean;
}

/** Options of `Attention`. */
export interface AttentionArgs extends BaseAttentionArgs {
  /** Learn a scalar that scales the scores (default false). */
  useScale?: boolean;
  /** "dot" (default): q · kᵀ; "concat": Σ tanh(q + k), scaled by a learned scalar. */
  scoreMode?: "dot" | "concat";
}

abstract class BaseAttention extends Layer {
  static override callArgKeys = [...CALL_ARG_KEYS, "returnAttentionScores", "useCausalMask"];
  declare readonly _outputs?: Tensor | Tensor[];
  readonly dropout: number;
  readonly causal: boolean;

  constructor(args: BaseAttentionArgs) {
    super(args);
    const d = args.dropout ?? 0;
    if (typeof d !== "number" || !(d >= 0 && d < 1)) throw new ValueError(`Layer "${this.name}": dropout must be a number in [0, 1), got ${JSON.stringify(args.dropout)}`);
    this.dropout = d;
    this.causal = args.causal ?? false;
    this.supportsMasking = true;
  }

  /** The scores `[batch, tq, tv]`. */
  protected abstract scores(q: Tensor, k: Tensor): Tensor;

  override call(inputs: Tensor | Tensor[], options: AttentionCallOptions): Tensor | Tensor[] {
    const [q, v, k] = qvk(inputs, this.getClassName(), this.name);
    const [qMask, vMask] = inputMasks(options.mask);
    return tidy(() => {
      const s = this.scores(q, k);
      let keep: Tensor | null = vMask ? expandDims(vMask, 1) : null;
      if (options.useCausalMask || this.causal) {
        const c = expandDims(causalMask(q.shape[1]!, v.shape[1]!), 0);
        keep = keep ? logicalAnd(keep, c) : c;
      }
      const w = maskedSoftmax(s, keep);
      let out = matmul(dropoutOf(w, this.dropout, options.training ?? false), v);
      if (qMask) out = multiply(out, expandDims(cast(qMask, out.dtype), -1));
      return options.returnAttentionScores ? [out, w] : out;
    });
  }

  override computeMask(_inputs: Tensor | Tensor[], mask?: Mask): Mask {
    return inputMasks(mask)[0];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = inputShape as Shape[];
    const q = shapes[0]!;
    const v = shapes[1]!;
    return [...q.slice(0, -1), v[v.length - 1] ?? null];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dropout: this.dropout, ...(this.causal ? { causal: true } : {}) };
  }
}

/**
 * Dot-product attention (Keras's `Attention`): `softmax(q · kᵀ) · v` on `[query, value, (key)]`,
 * `[batch, tq, dim]` and `[batch, tv, dim]`, giving `[batch, tq, dim]`.
 */
export class Attention extends BaseAttention {
  static override className = "Attention";
  static override argKeys = optionKeys<AttentionArgs>()(...LAYER_ARG_KEYS, "dropout", "causal", "useScale", "scoreMode");
  readonly useScale: boolean;
  readonly scoreMode: "dot" | "concat";
  /** Learned scalar (when `useScale`). */
  scale: Variable | null = null;
  /** Learned scalar of the "concat" scores. */
  concatScoreWeight: Variable | null = null;

  constructor(args: AttentionArgs = {}) {
    super(args);
    this.useScale = args.useScale ?? false;
    this.scoreMode = args.scoreMode ?? "dot";
    if (this.scoreMode !== "dot" && this.scoreMode !== "concat") throw new ValueError(`Invalid value for argument score_mode. Expected one of {"dot", "concat"}. Received: score_mode=${JSON.stringify(args.scoreMode)}`);
  }

  override build(_inputShape: Shape | Shape[]): void {
    if (this.useScale) this.scale = this.addWeight("scale", [], { initializer: "ones" });
    if (this.scoreMode === "concat") this.concatScoreWeight = this.addWeight("concat_score_weight", [], { initializer: "ones" });
    this.built = true;
  }

  protected scores(q: Tensor, k: Tensor): Tensor {
    if (this.scoreMode === "dot") {
      const s = matmul(q, k, { transposeB: true });
      return this.scale ? multiply(s, this.scale) : s;
    }
    let sum = add(expandDims(q, 2), expandDims(k, 1));
    if (this.scale) sum = multiply(sum, this.scale);
    return multiply(reduceSum(tanh(sum), { axis: -1 }), this.concatScoreWeight!);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), use_scale: this.useScale, score_mode: this.scoreMode };
  }
}

/** Options of `AdditiveAttention`. */
export interface AdditiveAttentionArgs extends BaseAttentionArgs {
  /** Learn a per-feature scale of the scores (default true). */
  useScale?: boolean;
}

/** Additive attention (Keras's `AdditiveAttention`): scores `Σ scale ⊙ tanh(q + k)` over features. */
export class AdditiveAttention extends BaseAttention {
  static override className = "AdditiveAttention";
  static override argKeys = optionKeys<AdditiveAttentionArgs>()(...LAYER_ARG_KEYS, "dropout", "causal", "useScale");
  readonly useScale: boolean;
  /** `[dim]`, learned (when `useScale`). */
  scale: Variable | null = null;

  constructor(args: AdditiveAttentionArgs = {}) {
    super(args);
    this.useScale = args.useScale ?? true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const v = (inputShape as Shape[])[1];
    const dim = v?.[v.length - 1];
    if (this.useScale) {
      if (dim === null || dim === undefined) throw new ValueError(`AdditiveAttention "${this.name}": the value's last dimension must be defined`);
      this.scale = this.addWeight("scale", [dim], { initializer: "glorotUniform" });
    }
    this.built = true;
  }

  protected scores(q: Tensor, k: Tensor): Tensor {
    const t = tanh(add(expandDims(q, 2), expandDims(k, 1)));
    return reduceSum(this.scale ? multiply(t, this.scale) : t, { axis: -1 });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), use_scale: this.useScale };
  }
}

/** Options of `MultiHeadAttention` (heads and key size are the first arguments). */
export interface MultiHeadAttentionArgs extends LayerArgs, ActivityRegularizerArgs, WeightRuleArgs<"kernel" | "bias"> {
  /** Size of each head's values (default: `keyDim`). */
  valueDim?: number | null;
  /** Fraction of the attention weights dropped while training (default 0). */
  dropout?: number;
  /** Whether the projections have biases (default true). */
  useBias?: boolean;
  /** Size of the output's last axis (default: the query's). */
  outputShape?: number | number[] | null;
  /** Only `null` or the time axis (`[1]`) of 3-D inputs is supported. */
  attentionAxes?: number | number[] | null;
  /** Default "glorotUniform". */
  kernelInitializer?: InitializerIdentifier;
  /** Default "zeros". */
  biasInitializer?: InitializerIdentifier;
  /** Written by Keras 3 configs; the shapes come from the first call. */
  queryShape?: unknown;
  /** Written by Keras 3 configs; the shapes come from the first call. */
  keyShape?: unknown;
  /** Written by Keras 3 configs; the shapes come from the first call. */
  valueShape?: unknown;
}

/**
 * Multi-head attention (Keras's `MultiHeadAttention`): `new MultiHeadAttention(4, 16).apply([query,
 * value])` projects query, key and value to `numHeads` heads, attends per head with scores scaled by
 * 1/√keyDim, and projects the heads back to the query's size. Weights: `query/kernel`
 * `[dim, heads, keyDim]`, `key/…`, `value/…`, `attention_output/kernel` `[heads, valueDim, out]`, and biases.
 */
export class MultiHeadAttention extends Layer {
  static override className = "MultiHeadAttention";
  static override argKeys = optionKeys<MultiHeadAttentionArgs>()(
    ...LAYER_ARG_KEYS, "valueDim", "dropout", "useBias", "outputShape", "attentionAxes", "kernelInitializer", "biasInitializer", ...weightRuleKeys("kernel", "bias"), "activityRegularizer", "queryShape", "keyShape", "valueShape",
  );
  static override callArgKeys = [...CALL_ARG_KEYS, "returnAttentionScores", "useCausalMask", "attentionMask"];
  declare readonly _outputs?: Tensor | Tensor[];
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputShapeArg: number | number[] | null;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  /** The regularizer and constraint of every projection's kernel and bias. */
  readonly rules: { readonly kernel: WeightRule; readonly bias: WeightRule };
  /** The projections' weights, created by `build`, by name (`query/kernel`, …). */
  projections: Record<string, Variable> = {};

  constructor(numHeads: number, keyDim: number, args: MultiHeadAttentionArgs = {}) {
    super(args);
    const pos = (v: unknown, what: string) => {
      if (!Number.isInteger(v) || (v as number) <= 0) throw new ValueError(`Layer "${this.name}": \`${what}\` must be a positive integer, got ${JSON.stringify(v)}`);
      return v as number;
    };
    this.numHeads = pos(numHeads, "num_heads");
    this.keyDim = pos(keyDim, "key_dim");
    this.valueDim = args.valueDim === undefined || args.valueDim === null ? this.keyDim : pos(args.valueDim, "value_dim");
    const d = args.dropout ?? 0;
    if (typeof d !== "number" || !(d >= 0 && d < 1)) throw new ValueError(`Layer "${this.name}": dropout must be a number in [0, 1), got ${JSON.stringify(args.dropout)}`);
    this.dropout = d;
    this.useBias = args.useBias ?? true;
    const o = args.outputShape ?? null;
    if (o !== null && !(Number.isInteger(o) || (Array.isArray(o) && o.length === 1 && Number.isInteger(o[0])))) {
      throw new ValueError(`Layer "${this.name}": outputShape must be a positive integer (or a list of one) for 3-D inputs, got ${JSON.stringify(o)}`);
    }
    this.outputShapeArg = o;
    const axes = args.attentionAxes ?? null;
    if (axes !== null && !(axes === 1 || axes === -2 || (Array.isArray(axes) && axes.length === 1 && (axes[0] === 1 || axes[0] === -2)))) {
      throw new ValueError(`Layer "${this.name}": attentionAxes ${JSON.stringify(axes)} is not supported; Tessera attends over the time axis of 3-D inputs (attentionAxes null or [1])`);
    }
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? "glorotUniform");
    this.biasInitializer = getInitializer(args.biasInitializer ?? "zeros");
    this.rules = weightRules(args, "kernel", "bias");
    this.inputSpec = [{ ndim: 3 }, { ndim: 3 }, { ndim: 3 }];
    this.supportsMasking = true;
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new MultiHeadAttention(
      required(config, "num_heads", "MultiHeadAttention") as number,
      required(config, "key_dim", "MultiHeadAttention") as number,
      argsFromConfig(config, ["num_heads", "key_dim"]),
    );
  }

  private outDim(queryDim: number): number {
    const o = this.outputShapeArg;
    return o === null ? queryDim : Array.isArray(o) ? o[0]! : o;
  }

  override _assertInputsCompatible(shapes: readonly (readonly (number | null)[])[]): void {
    if (shapes.length < 2 || shapes.length > 3) {
      throw new ValueError(`MultiHeadAttention layer "${this.name}" must be called on [query, value] or [query, value, key]; received ${shapes.length} input(s).`);
    }
    shapes.forEach((s, i) => this.assertInputCompatible(s, i));
  }

  override build(inputShape: Shape | Shape[]): void {
    const shapes = inputShape as Shape[];
    const dims = [shapes[0], shapes[1], shapes[2] ?? shapes[1]].map((s, i) => {
      const d = s?.[s.length - 1];
      if (d === null || d === undefined) throw new ValueError(`MultiHeadAttention "${this.name}": the last dimension of input ${i} must be defined`);
      return d;
    }) as [number, number, number];
    const [qd, vd, kd] = dims;
    const h = this.numHeads;
    const w = (name: string, shape: number[], bias: boolean) =>
      (this.projections[name] = this.addWeight(name, shape, { initializer: bias ? this.biasInitializer : this.kernelInitializer, ...(bias ? this.rules.bias : this.rules.kernel) }));
    // Keras's order: query, key, value, attention_output (kernel then bias each).
    w("query/kernel", [qd, h, this.keyDim], false);
    if (this.useBias) w("query/bias", [h, this.keyDim], true);
    w("key/kernel", [kd, h, this.keyDim], false);
    if (this.useBias) w("key/bias", [h, this.keyDim], true);
    w("value/kernel", [vd, h, this.valueDim], false);
    if (this.useBias) w("value/bias", [h, this.valueDim], true);
    const out = this.outDim(qd);
    w("attention_output/kernel", [h, this.valueDim, out], false);
    if (this.useBias) w("attention_output/bias", [out], true);
    this.built = true;
  }

  /** `[b, t, d]` → `[b, heads, t, size]` through `name/kernel` (and bias). */
  private project(x: Tensor, name: string, size: number): Tensor {
    const [b, t, d] = x.shape as [number, number, number];
    const k = reshape(this.projections[`${name}/kernel`]!, [d, this.numHeads * size]);
    let y = reshape(matmul(reshape(x, [b * t, d]), k), [b, t, this.numHeads, size]);
    const bias = this.projections[`${name}/bias`];
    if (bias) y = add(y, bias);
    return transpose(y, [0, 2, 1, 3]);
  }

  override call(inputs: Tensor | Tensor[], options: MultiHeadAttentionCallOptions): Tensor | Tensor[] {
    const [query, value, key] = qvk(inputs, "MultiHeadAttention", this.name);
    const [qMask, vMask] = inputMasks(options.mask);
    const [b, tq] = query.shape as [number, number];
    const tv = value.shape[1]!;
    if (options.attentionMask !== undefined) {
      const m = options.attentionMask;
      if (!(m instanceof Tensor) || m.rank !== 3 || m.shape[0] !== b || m.shape[1] !== tq || m.shape[2] !== tv) {
        throw new ValueError(`MultiHeadAttention "${this.name}": attentionMask must have shape (${b}, ${tq}, ${tv}), got ${m instanceof Tensor ? `(${m.shape.join(", ")})` : String(m)}`);
      }
    }
    return tidy(() => {
      const q = multiply(this.project(query, "query", this.keyDim), 1 / Math.sqrt(this.keyDim));
      const k = this.project(key, "key", this.keyDim);
      const v = this.project(value, "value", this.valueDim);
      const scores = matmul(q, k, { transposeB: true }); // [b, h, tq, tv]
      let keep: Tensor | null = options.attentionMask ? cast(options.attentionMask, "bool") : null;
      const and = (m: Tensor) => (keep = keep ? logicalAnd(keep, m) : m);
      if (qMask) and(expandDims(qMask, 2));
      if (vMask) and(expandDims(vMask, 1));
      if (options.useCausalMask) and(expandDims(causalMask(tq, tv), 0));
      const weights = maskedSoftmax(scores, keep ? expandDims(keep, 1) : null);
      const ctx = matmul(dropoutOf(weights, this.dropout, options.training ?? false), v); // [b, h, tq, vd]
      const flat = reshape(transpose(ctx, [0, 2, 1, 3]), [b * tq, this.numHeads * this.valueDim]);
      const ok = this.projections["attention_output/kernel"]!;
      const outDim = ok.shape[2]!;
      let out = reshape(matmul(flat, reshape(ok, [this.numHeads * this.valueDim, outDim])), [b, tq, outDim]);
      const ob = this.projections["attention_output/bias"];
      if (ob) out = add(out, ob);
      return options.returnAttentionScores ? [out, weights] : out;
    });
  }

  override computeMask(_inputs: Tensor | Tensor[], mask?: Mask): Mask {
    return inputMasks(mask)[0];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const q = (inputShape as Shape[])[0]!;
    const d = q[q.length - 1];
    return [...q.slice(0, -1), this.outputShapeArg === null ? (d ?? null) : this.outDim(0)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      num_heads: this.numHeads,
      key_dim: this.keyDim,
      value_dim: this.valueDim,
      dropout: this.dropout,
      use_bias: this.useBias,
      output_shape: this.outputShapeArg,
      attention_axes: null,
      ...kernelBiasConfig(this.kernelInitializer, this.biasInitializer, this.rules, this.activityRegularizer),
    };
  }
}
