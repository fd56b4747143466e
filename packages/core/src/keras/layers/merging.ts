/**
 * Merge layers, called on a list of tensors: `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`,
 * `Minimum` (elementwise, with broadcasting), `Concatenate` and `Dot`. Masks of the inputs are
 * combined (all must be true) as in Keras.
 */
import { ValueError } from "../../errors.js";
import { add, divide, maximum, minimum, multiply, subtract } from "../../ops/binary.js";
import { cast } from "../../ops/cast.js";
import { logicalAnd } from "../../ops/compare.js";
import { concat, stack } from "../../ops/concat.js";
import { onesLike } from "../../ops/creation.js";
import { l2Normalize } from "../../ops/l2-normalize.js";
import { reduceAll } from "../../ops/reduce.js";
import { identity } from "../../ops/identity.js";
import { expandDims } from "../../ops/reshape.js";
import { optionKeys } from "../../options.js";
import { formatShapeTuple, normalizeAxis } from "../../shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { batchDot } from "../backend.js";
import { argsFromConfig, required } from "../config.js";
import type { CallOptions, LayerArgs, Mask, Shape } from "../layer.js";
import { LAYER_ARG_KEYS, Layer } from "../layer.js";

const shapesText = (shapes: readonly Shape[]) => `[${shapes.map((s) => formatShapeTuple(s)).join(", ")}]`;

function asShapeList(inputShape: Shape | Shape[], layer: string, cls: string, min: number): Shape[] {
  if (!Array.isArray(inputShape) || !inputShape.every(Array.isArray)) {
    throw new ValueError(`A merge layer should be called on a list of inputs. Received: input_shape=${JSON.stringify(inputShape)} (not a list of shapes) (layer "${layer}")`);
  }
  const shapes = inputShape as Shape[];
  if (shapes.length < min) {
    throw new ValueError(`A \`${cls}\` layer should be called on a list of at least ${min} input${min === 1 ? "" : "s"}. Received ${shapes.length} input(s): ${shapesText(shapes)} (layer "${layer}")`);
  }
  return shapes;
}

/** Runs `f` on temporaries collected in `keep`, freeing them afterwards. */
function withTemps(f: (keep: (t: Tensor) => Tensor) => Tensor): Tensor {
  const tmp: Tensor[] = [];
  try {
    return f((t) => (tmp.push(t), t));
  } finally {
    for (const t of tmp) t.dispose();
  }
}

/** The masks given with a list of inputs, one per input. */
function maskList(mask: Mask | undefined, n: number): (Tensor | null)[] | null {
  if (mask === null || mask === undefined) return null;
  if (mask instanceof Tensor) return new Array<Tensor | null>(n).fill(mask);
  const list = Array.isArray(mask) ? (mask as (Tensor | null)[]) : Object.values(mask);
  return list.every((m) => m === null) ? null : list;
}

/** The elementwise merges: check shapes broadcast (ignoring the batch), then fold the inputs. */
abstract class Merge extends Layer {
  static override argKeys: readonly string[] = LAYER_ARG_KEYS;
  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  /** Combines two tensors of the same rank. */
  protected abstract merge2(a: Tensor, b: Tensor): Tensor;

  /** The least number of inputs (2 for Subtract). */
  protected get minInputs(): number {
    return 1;
  }

  /** Keras's `_compute_elemwise_op_output_shape`: NumPy broadcasting, unknown sizes stay unknown. */
  private static broadcast(a: Shape, b: Shape): Shape {
    const n = Math.max(a.length, b.length);
    const out: Shape = [];
    for (let i = 0; i < n; i++) {
      const x = a[a.length - n + i] ?? 1;
      const y = b[b.length - n + i] ?? 1;
      if (x === null || y === null) out.push(x === 1 ? y : y === 1 ? x : null);
      else if (x === 1) out.push(y);
      else if (y === 1 || x === y) out.push(x);
      else throw new ValueError(`Inputs have incompatible shapes. Received shapes ${formatShapeTuple(a)} and ${formatShapeTuple(b)}`);
    }
    return out;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = asShapeList(inputShape, this.name, this.getClassName(), this.minInputs);
    const batches = new Set(shapes.map((s) => s[0]).filter((d) => d !== null && d !== undefined));
    if (batches.size > 1) throw new ValueError(`Cannot merge tensors with different batch sizes. Received tensors with shapes ${shapesText(shapes)}`);
    let out = shapes[0]!.slice(1);
    for (const s of shapes.slice(1)) out = Merge.broadcast(out, s.slice(1));
    return [batches.size === 1 ? ([...batches][0] as number) : null, ...out];
  }

  override call(inputs: Tensor[], _options: CallOptions): Tensor {
    if (!Array.isArray(inputs)) throw new ValueError(`Layer "${this.name}" (${this.getClassName()}) should be called on a list of inputs`);
    if (inputs.length === 1) return identity(inputs[0]!);
    return withTemps((keep) => {
      // Inputs of lower rank get axes after the batch, so that [b, n] and [b, t, n] combine.
      const rank = Math.max(...inputs.map((t) => t.rank));
      const xs = inputs.map((t) => {
        let x = t;
        while (x.rank < rank) x = keep(expandDims(x, 1));
        return x;
      });
      let acc = this.merge2(xs[0]!, xs[1]!);
      for (let i = 2; i < xs.length; i++) acc = this.merge2(keep(acc), xs[i]!);
      return this.finish(acc, xs.length, keep);
    });
  }

  /** A last step on the folded result (Average divides). */
  protected finish(acc: Tensor, n: number, keep: (t: Tensor) => Tensor): Tensor {
    void n;
    void keep;
    return acc;
  }

  /** Every input's mask must hold (Keras: all over the stacked masks). */
  override computeMask(inputs: Tensor[], mask?: Mask): Mask {
    const masks = maskList(mask, Array.isArray(inputs) ? inputs.length : 1);
    if (!masks) return null;
    const present = masks.filter((m): m is Tensor => m !== null);
    if (present.length === 1) return present[0]!;
    return withTemps((keep) => reduceAll(keep(stack(present, 0)), { axis: 0 }));
  }
}

/** `new Add().apply([a, b, …])`: the elementwise sum. */
export class Add extends Merge {
  static override className = "Add";
  static override argKeys: readonly string[] = LAYER_ARG_KEYS;
  protected merge2(a: Tensor, b: Tensor): Tensor {
    return add(a, b);
  }
}

/** `new Subtract().apply([a, b])`: `a − b` (exactly two inputs). */
export class Subtract extends Merge {
  static override className = "Subtract";
  static override argKeys: readonly string[] = LAYER_ARG_KEYS;
  protected override get minInputs(): number {
    return 2;
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    if (Array.isArray(inputShape) && inputShape.every(Array.isArray) && inputShape.length !== 2) {
      throw new ValueError(`A \`Subtract\` layer should be called on exactly 2 inputs. Received: input_shape=${shapesText(inputShape as Shape[])}`);
    }
    return super.computeOutputShape(inputShape);
  }
  protected merge2(a: Tensor, b: Tensor): Tensor {
    return subtract(a, b);
  }
}

/** `new Multiply().apply([a, b, …])`: the elementwise product. */
export class Multiply extends Merge {
  static override className = "Multiply";
  static override argKeys: readonly string[] = LAYER_ARG_KEYS;
  protected merge2(a: Tensor, b: Tensor): Tensor {
    return multiply(a, b);
  }
}

/** `new Average().apply([a, b, …])`: the elementwise mean. */
export class Average extends Merge {
  static override className = "Average";
  static override argKeys: readonly string[] = LAYER_ARG_KEYS;
  protected merge2(a: Tensor, b: Tensor): Tensor {
    return add(a, b);
  }
  protected override finish(acc: Tensor, n: number, keep: (t: Tensor) => Tensor): Tensor {
    return divide(keep(acc), n);
  }
}

/** `new Maximum().apply([a, b, …])`: the elementwise maximum. */
export class Maximum extends Merge {
  static override className = "Maximum";
  static override argKeys: readonly string[] = LAYER_ARG_KEYS;
  protected merge2(a: Tensor, b: Tensor): Tensor {
    return maximum(a, b);
  }
}

/** `new Minimum().apply([a, b, …])`: the elementwise minimum. */
export class Minimum extends Merge {
  static override className = "Minimum";
  static override argKeys: readonly string[] = LAYER_ARG_KEYS;
  protected merge2(a: Tensor, b: Tensor): Tensor {
    return minimum(a, b);
  }
}

/** Options of `Concatenate`. */
export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along (default -1). */
  axis?: number;
}

/** `new Concatenate({ axis: -1 }).apply([a, b, …])`: the inputs joined along `axis`. */
export class Concatenate extends Layer {
  static override className = "Concatenate";
  static override argKeys = optionKeys<ConcatenateArgs>()(...LAYER_ARG_KEYS, "axis");
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis)) throw new ValueError(`Layer "${this.name}": \`axis\` must be an integer, got ${JSON.stringify(args.axis)}`);
    this.axis = axis;
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = asShapeList(inputShape, this.name, "Concatenate", 1);
    const rank = shapes[0]!.length;
    const bad = () =>
      new ValueError(`A \`Concatenate\` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=${shapesText(shapes)}`);
    if (shapes.some((s) => s.length !== rank)) throw bad();
    const axis = normalizeAxis(this.axis, rank, "Concatenate");
    const out: Shape = shapes[0]!.slice();
    for (const s of shapes.slice(1)) {
      s.forEach((d, i) => {
        if (i === axis) out[i] = out[i] === null || d === null ? null : out[i]! + d;
        else if (d !== null && out[i] !== null && d !== out[i]) throw bad();
        else if (out[i] === null) out[i] = d;
      });
    }
    return out;
  }

  override call(inputs: Tensor[], _options: CallOptions): Tensor {
    if (!Array.isArray(inputs)) throw new ValueError(`Layer "${this.name}" (Concatenate) should be called on a list of inputs`);
    return concat(inputs, this.axis);
  }

  /** The concatenated masks (ones where an input has none), reduced over the last axis when the input had one more. */
  override computeMask(inputs: Tensor[], mask?: Mask): Mask {
    const masks = maskList(mask, inputs.length);
    if (!masks) return null;
    return withTemps((keep) => {
      // Each mask spread over its input's shape (ones where there is none), so that any axis can be joined.
      const full = masks.map((m, i) => {
        const x = inputs[i]!;
        if (m === null) return keep(cast(keep(onesLike(x)), "bool"));
        let b = m;
        while (b.rank < x.rank) b = keep(expandDims(b, -1));
        return keep(logicalAnd(b, keep(cast(keep(onesLike(x)), "bool"))));
      });
      return reduceAll(keep(concat(full, this.axis)), { axis: -1 });
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** Options of `Dot`. */
export interface DotArgs extends LayerArgs {
  /** L2-normalize both inputs along the dot axes first, giving the cosine similarity (default false). */
  normalize?: boolean;
}

/**
 * `new Dot(1).apply([a, b])`: per example, the dot product of `a` and `b` over `axes` (one axis for
 * both, or `[axisOfA, axisOfB]`), Keras's `batch_dot`.
 */
export class Dot extends Layer {
  static override className = "Dot";
  static override argKeys = optionKeys<DotArgs>()(...LAYER_ARG_KEYS, "normalize");
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(axes: number | readonly [number, number], args: DotArgs = {}) {
    super(args);
    const ok = Number.isInteger(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every(Number.isInteger));
    if (!ok) throw new ValueError(`Invalid format for argument \`axes\`: expected an integer or a list of 2 integers. Received: axes=${JSON.stringify(axes)}`);
    this.axes = typeof axes === "number" ? axes : [axes[0], axes[1]];
    this.normalize = args.normalize ?? false;
  }

  static override fromConfig(config: Record<string, unknown>): Layer {
    return new Dot(required(config, "axes", "Dot") as number | [number, number], argsFromConfig(config, ["axes"]));
  }

  private axesFor(r1: number, r2: number): [number, number] {
    const [a, b] = typeof this.axes === "number" ? [this.axes, this.axes] : this.axes;
    return [a < 0 ? ((a % r1) + r1) % r1 : a, b < 0 ? ((b % r2) + r2) % r2 : b];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = asShapeList(inputShape, this.name, "Dot", 2);
    if (shapes.length !== 2) throw new ValueError(`A \`Dot\` layer should be called on a list of 2 inputs. Received: input_shape=${shapesText(shapes)}`);
    const [s1, s2] = shapes as [Shape, Shape];
    const [a1, a2] = this.axesFor(s1.length, s2.length);
    if (a1 === 0 || a2 === 0 || a1 >= s1.length || a2 >= s2.length) {
      throw new ValueError(`Layer "${this.name}": cannot take a Dot over axes ${JSON.stringify(this.axes)} of inputs ${shapesText(shapes)} (axis 0 is the batch)`);
    }
    if (s1[a1] !== null && s2[a2] !== null && s1[a1] !== s2[a2]) {
      throw new ValueError(`Incompatible input shapes: axis values ${s1[a1]} (at axis ${a1}) != ${s2[a2]} (at axis ${a2}). Full input shapes: ${formatShapeTuple(s1)}, ${formatShapeTuple(s2)}`);
    }
    const out = [...s1.filter((_, i) => i !== a1), ...s2.filter((_, i) => i !== a2 && i !== 0)];
    return out.length === 1 ? [out[0]!, 1] : out;
  }

  override call(inputs: Tensor[], _options: CallOptions): Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) throw new ValueError(`A \`Dot\` layer should be called on a list of 2 inputs (layer "${this.name}")`);
    const [x1, x2] = inputs as [Tensor, Tensor];
    const axes = this.axesFor(x1.rank, x2.rank);
    if (!this.normalize) return batchDot(x1, x2, axes);
    return withTemps((keep) => batchDot(keep(l2Normalize(x1, { axis: axes[0] })), keep(l2Normalize(x2, { axis: axes[1] })), axes));
  }

  /** The output has no mask. */
  override computeMask(): Mask {
    return null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: Array.isArray(this.axes) ? this.axes.slice() : this.axes, normalize: this.normalize };
  }
}
