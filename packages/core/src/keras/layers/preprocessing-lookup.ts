/**
 * Vocabulary lookups: `StringLookup` and `IntegerLookup` map tokens to indices (or back with `invert`)
 * through a vocabulary given or adapted to data, as Keras's `IndexLookup` does: index 0 is the mask
 * token when there is one, then the out-of-vocabulary index, then the vocabulary in order.
 */
import { tidy } from "../../engine/tidy.js";
import { InvalidArgumentError, ValueError } from "../../errors.js";
import { constant } from "../../ops/creation.js";
import { optionKeys } from "../../options.js";
import { Tensor } from "../../tensor/tensor.js";
import type { TensorLike } from "../../tensor/convert.js";
import { toTensor } from "../../tensor/convert.js";
import type { Dataset } from "../../data/dataset.js";
import type { DType } from "../../dtypes.js";
import type { ApplyInputs, CallOptions, LayerArgs, LayerInputs, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";
import type { AdaptOptions, CategoryOutputMode } from "./preprocessing-encoding.js";
import { encodeIds, forEachBatch, outputModeOf } from "./preprocessing-encoding.js";

/** Options `StringLookup` and `IntegerLookup` share (`T` is the token type). */
export interface IndexLookupArgs<T> extends LayerArgs {
  /** The largest vocabulary, special tokens included (default: no limit). */
  maxTokens?: number | null;
  /** Indices for out-of-vocabulary tokens: 1 (default) or 0 (unknown tokens are then an error). */
  numOovIndices?: number;
  /** The token standing for padding, at index 0 (default none). */
  maskToken?: T | null;
  /** The token that unknown indices become with `invert`. */
  oovToken?: T;
  /** The vocabulary (without the OOV token), instead of `adapt`. */
  vocabulary?: readonly T[] | null;
  /** Map indices back to tokens (default false). */
  invert?: boolean;
  /** "int" (default), "one_hot", "multi_hot" or "count". */
  outputMode?: CategoryOutputMode | "int" | "oneHot" | "multiHot";
  /** Only false. */
  sparse?: boolean;
  /** Encoded outputs have `maxTokens` slots whatever the vocabulary's size (default false). */
  padToMaxTokens?: boolean;
}

const LOOKUP_KEYS = [...LAYER_ARG_KEYS, "maxTokens", "numOovIndices", "maskToken", "oovToken", "vocabulary", "invert", "outputMode", "sparse", "padToMaxTokens"] as const;

/** The shared lookup machinery; `T` is string or number. */
abstract class IndexLookup<T extends string | number> extends Layer {
  readonly maxTokens: number | null;
  readonly numOovIndices: number;
  readonly maskToken: T | null;
  readonly oovToken: T;
  readonly invert: boolean;
  readonly outputMode: CategoryOutputMode | "int";
  readonly sparse: boolean;
  readonly padToMaxTokens: boolean;
  private vocab: T[] = [];
  private index = new Map<T, number>();

  protected constructor(args: IndexLookupArgs<T>, defaultOov: T) {
    super(args);
    const max = args.maxTokens ?? null;
    if (max !== null && (!Number.isInteger(max) || max <= 1)) throw new ValueError(`Layer "${this.name}": If set, \`max_tokens\` must be greater than 1. Received: max_tokens=${JSON.stringify(max)}`);
    const nOov = args.numOovIndices ?? 1;
    if (!Number.isInteger(nOov) || nOov < 0) throw new ValueError(`Layer "${this.name}": \`num_oov_indices\` must be greater than or equal to 0. Received: num_oov_indices=${JSON.stringify(nOov)}`);
    if (nOov > 1) throw new ValueError(`Layer "${this.name}": \`num_oov_indices\` > 1 (hashing unknown tokens into several buckets) is not supported by Tessera; use 0 or 1`);
    this.maxTokens = max;
    this.numOovIndices = nOov;
    this.maskToken = args.maskToken ?? null;
    this.oovToken = args.oovToken ?? defaultOov;
    this.checkToken(this.oovToken, "oov_token");
    if (this.maskToken !== null) this.checkToken(this.maskToken, "mask_token");
    this.invert = args.invert ?? false;
    this.outputMode = outputModeOf(args.outputMode ?? "int", true, this.name);
    if (this.invert && this.outputMode !== "int") throw new ValueError(`Layer "${this.name}": \`output_mode\` must be \`'int'\` when \`invert\` is true. Received: output_mode=${this.outputMode}`);
    if (args.sparse) throw new ValueError(`Layer "${this.name}": \`sparse: true\` is not supported by Tessera (outputs are dense)`);
    this.sparse = false;
    this.padToMaxTokens = args.padToMaxTokens ?? false;
    if (this.padToMaxTokens && max === null) throw new ValueError(`Layer "${this.name}": If \`pad_to_max_tokens\` is true, \`max_tokens\` must be set.`);
    if (args.vocabulary !== undefined && args.vocabulary !== null) this.setVocabulary(args.vocabulary);
  }

  /** Throws unless `t` is a token of this layer's type. */
  protected abstract checkToken(t: unknown, what: string): asserts t is T;

  /** The dtype of tokens as tensors. */
  protected abstract get tokenDtype(): DType;

  /** Where the vocabulary starts: after the mask and the OOV indices. */
  private get tokenStart(): number {
    return (this.maskToken === null ? 0 : 1) + this.numOovIndices;
  }

  /** Sets the vocabulary (tokens in index order, without the mask and OOV tokens). */
  setVocabulary(vocabulary: readonly T[]): void {
    if (!Array.isArray(vocabulary)) throw new ValueError(`Layer "${this.name}": the vocabulary must be a list of tokens, got ${JSON.stringify(vocabulary)}`);
    const seen = new Set<T>();
    for (const t of vocabulary) {
      this.checkToken(t, "vocabulary");
      if (seen.has(t)) throw new ValueError(`Layer "${this.name}": The passed vocabulary has at least one repeated term. Please uniquify your dataset. The repeated term is ${JSON.stringify(t)}.`);
      if (t === this.maskToken || (this.numOovIndices > 0 && t === this.oovToken)) {
        throw new ValueError(`Layer "${this.name}": Found reserved token ${JSON.stringify(t)} (the ${t === this.maskToken ? "mask" : "OOV"} token) in the vocabulary; leave the special tokens out of it.`);
      }
      seen.add(t);
    }
    if (this.maxTokens !== null && vocabulary.length + this.tokenStart > this.maxTokens) {
      throw new ValueError(`Layer "${this.name}": Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary size is ${vocabulary.length + this.tokenStart}; \`max_tokens\` is ${this.maxTokens}.`);
    }
    this.vocab = vocabulary.slice();
    this.index = new Map(this.vocab.map((t, i) => [t, i + this.tokenStart]));
  }

  /** The tokens in index order: with the mask and OOV tokens first unless `includeSpecialTokens` is false. */
  getVocabulary(includeSpecialTokens = true): T[] {
    if (!includeSpecialTokens) return this.vocab.slice();
    const special: T[] = [...(this.maskToken === null ? [] : [this.maskToken]), ...new Array<T>(this.numOovIndices).fill(this.oovToken)];
    return [...special, ...this.vocab];
  }

  /** The number of indices, special tokens included. */
  vocabularySize(): number {
    return this.tokenStart + this.vocab.length;
  }

  /**
   * Sets the vocabulary to the tokens of `data` (a tensor, nested arrays, or a `Dataset` of batches),
   * most frequent first, ties broken by the token in descending order (Keras's rule), cut to `maxTokens`.
   */
  async adapt(data: TensorLike | Dataset, options: AdaptOptions = {}): Promise<void> {
    const counts = new Map<T, number>();
    await forEachBatch(data, options, this.name, (batch) => {
      const x = batch instanceof Tensor ? batch : toTensor(batch, this.name, this.tokenDtype);
      try {
        if (x.dtype !== this.tokenDtype) throw new ValueError(`Layer "${this.name}": adapt expects ${this.tokenDtype} tokens, got ${x.dtype}`);
        const values = x.dataSync() as unknown as ArrayLike<T>;
        for (let i = 0; i < values.length; i++) counts.set(values[i]!, (counts.get(values[i]!) ?? 0) + 1);
      } finally {
        if (x !== batch) x.dispose();
      }
    });
    if (this.maskToken !== null) counts.delete(this.maskToken);
    if (this.numOovIndices > 0) counts.delete(this.oovToken);
    const order = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0)).map(([t]) => t);
    this.setVocabulary(this.maxTokens === null ? order : order.slice(0, Math.max(0, this.maxTokens - this.tokenStart)));
  }

  /** Tokens stay tokens: only floats are converted to the layer's dtype, as for other layers. */
  override _convertInputs(inputs: ApplyInputs, temps: Tensor[]): LayerInputs {
    if (inputs instanceof Tensor) return inputs;
    const t = toTensor(inputs as TensorLike, this.name, this.invert ? "int32" : this.tokenDtype);
    temps.push(t);
    return t;
  }

  override call(inputs: Tensor, _options: CallOptions): Tensor {
    return this.invert ? this.lookupTokens(inputs) : this.lookupIndices(inputs);
  }

  private lookupIndices(inputs: Tensor): Tensor {
    // Integer tokens may come as floats (a model's float32 input): they must be whole numbers.
    const numeric = this.tokenDtype === "int32" && (inputs.dtype === "float32" || inputs.dtype === "float64");
    if (inputs.dtype !== this.tokenDtype && !numeric) throw new ValueError(`Layer "${this.name}": expected ${this.tokenDtype} inputs, got ${inputs.dtype}`);
    const tokens = inputs.dataSync() as unknown as ArrayLike<T>;
    if (numeric && Array.prototype.some.call(tokens, (v: number) => !Number.isInteger(v))) throw new ValueError(`Layer "${this.name}": expected integer tokens, got non-integer values`);
    const out = new Int32Array(tokens.length);
    const oov = this.maskToken === null ? 0 : 1;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const at = this.maskToken !== null && t === this.maskToken ? 0 : this.index.get(t);
      if (at !== undefined) out[i] = at;
      else if (this.numOovIndices > 0) out[i] = oov;
      else throw new InvalidArgumentError(`Layer "${this.name}": found the out-of-vocabulary token ${JSON.stringify(t)} and \`num_oov_indices\` is 0`);
    }
    const ids = constant(out, { shape: inputs.shape.slice(), dtype: "int32" });
    if (this.outputMode === "int") return ids;
    const depth = this.padToMaxTokens ? this.maxTokens! : this.vocabularySize();
    return tidy(() => encodeIds(ids, this.outputMode as CategoryOutputMode, depth, this.dtype, this.name));
  }

  private lookupTokens(inputs: Tensor): Tensor {
    if (inputs.dtype !== "int32") throw new ValueError(`Layer "${this.name}": an inverted lookup expects int32 indices, got ${inputs.dtype}`);
    const vocab = this.getVocabulary();
    const ids = inputs.dataSync() as Int32Array;
    const out = Array.from(ids, (i) => (i >= 0 && i < vocab.length ? vocab[i]! : this.oovToken));
    return constant(out as never, { shape: inputs.shape.slice(), dtype: this.tokenDtype });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    if (this.outputMode === "int") return inputShape.slice();
    const depth = this.padToMaxTokens ? this.maxTokens! : this.vocabularySize();
    const s = inputShape.length === 0 ? [1] : inputShape.slice();
    return this.outputMode === "one_hot" && s[s.length - 1] !== 1 ? [...s, depth] : [...s.slice(0, -1), depth];
  }

  override computeOutputDtype(_inputDtypes: readonly DType[]): DType {
    if (this.invert) return this.tokenDtype;
    return this.outputMode === "int" ? "int32" : this.dtype;
  }

  /** The config; unlike Keras (which saves an adapted vocabulary beside the model), it lists the vocabulary. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      max_tokens: this.maxTokens,
      num_oov_indices: this.numOovIndices,
      mask_token: this.maskToken,
      oov_token: this.oovToken,
      vocabulary: this.vocab.slice(),
      invert: this.invert,
      output_mode: this.outputMode,
      sparse: this.sparse,
      pad_to_max_tokens: this.padToMaxTokens,
    };
  }
}

/** Options of `StringLookup`. */
export interface StringLookupArgs extends IndexLookupArgs<string> {
  /** Only "utf-8" (Keras's default). */
  encoding?: string;
}

/**
 * `new StringLookup({ vocabulary: ["a", "b", "c"] })`: string tokens → int32 indices (unknown tokens →
 * the OOV index 0, or 1 after a mask token), or one-hot/multi-hot/count vectors; `invert: true` maps
 * indices back to tokens. The OOV token is "[UNK]".
 */
export class StringLookup extends IndexLookup<string> {
  static override className = "StringLookup";
  static override argKeys = optionKeys<StringLookupArgs>()(...LOOKUP_KEYS, "encoding");

  constructor(args: StringLookupArgs = {}) {
    super(args, "[UNK]");
    if (args.encoding !== undefined && args.encoding !== "utf-8") throw new ValueError(`Layer "${this.name}": only the "utf-8" encoding is supported, got ${JSON.stringify(args.encoding)}`);
  }

  protected checkToken(t: unknown, what: string): asserts t is string {
    if (typeof t !== "string") throw new ValueError(`Layer "${this.name}": \`${what}\` must hold strings, got ${JSON.stringify(t)}`);
  }

  protected get tokenDtype(): DType {
    return "string";
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), encoding: "utf-8" };
  }
}

/** Options of `IntegerLookup`. */
export interface IntegerLookupArgs extends IndexLookupArgs<number> {
  /** Kept for Keras configs ("int64"); tokens are int32 tensors in Tessera. */
  vocabularyDtype?: "int64" | "int32";
}

/**
 * `new IntegerLookup({ vocabulary: [12, 36, 1138, 42] })`: integer tokens → int32 indices (unknown ones
 * → the OOV index), or encoded vectors; `invert: true` maps indices back. The OOV token is -1.
 */
export class IntegerLookup extends IndexLookup<number> {
  static override className = "IntegerLookup";
  static override argKeys = optionKeys<IntegerLookupArgs>()(...LOOKUP_KEYS, "vocabularyDtype");

  constructor(args: IntegerLookupArgs = {}) {
    super(args, -1);
    if (args.vocabularyDtype !== undefined && args.vocabularyDtype !== "int64" && args.vocabularyDtype !== "int32") {
      throw new ValueError(`Layer "${this.name}": \`vocabulary_dtype\` must be "int64" or "int32", got ${JSON.stringify(args.vocabularyDtype)}`);
    }
  }

  protected checkToken(t: unknown, what: string): asserts t is number {
    if (!Number.isInteger(t)) throw new ValueError(`Layer "${this.name}": \`${what}\` must hold integers, got ${JSON.stringify(t)}`);
  }

  protected get tokenDtype(): DType {
    return "int32";
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), vocabulary_dtype: "int64" };
  }
}
